"""Draft assembly: an instrument in order, names as they read in a sentence, visible holes, annexes."""

import pytest

from assistant.domain.assembly import draft_context, in_text, param_values
from assistant.domain.clauses import Clause
from assistant.domain.evaluate import evaluate
from assistant.domain.names import split_organ
from assistant.domain.signing import signatories
from assistant.domain.vocab import CLAUSE_TOPICS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Republic of Corvania", "the Republic of Corvania"),
        ("International Organization for Migration", "the International Organization for Migration"),
        ("Hope Shelters Network", "the Hope Shelters Network"),
        ("The Gambia", "The Gambia"),
        ("Veradan Migrant Forum", "the Veradan Migrant Forum"),
        ("Canada", "Canada"),
        ("UNICEF", "UNICEF"),
        ("Children's Villages International", "Children's Villages International"),
        ("International Rescue Committee", "the International Rescue Committee"),
    ],
)
def test_names_take_their_article_in_a_sentence(name, expected):
    assert in_text(name) == expected


def test_draft_is_an_ordered_instrument(scenario):
    advice = evaluate(scenario("evacuation_multinational"))
    draft = advice.draft
    assert draft.parties.startswith("This Agreement is concluded between the ")
    assert "Have agreed as follows" in draft.preamble or "Have reached" in draft.preamble
    assert "IN WITNESS WHEREOF" in draft.signatures
    assert draft.articles[0].heading == "Purpose"
    topics = {c.id: c.topic for c in advice.clauses}
    # the parties clause's operative paragraphs are an article after the purpose, definitions and scope
    headings = [a.heading for a in draft.articles]
    assert headings.index("Status and Representation of the Parties") == headings.index("Scope of application") + 1
    order = [CLAUSE_TOPICS.index(topics[a.clause]) for a in draft.articles if a.clause != "parties"]
    assert order == sorted(order)
    assert [a.number for a in draft.articles] == [str(i) for i in range(1, len(draft.articles) + 1)]
    assert {a.clause for a in draft.articles}.isdisjoint({"preamble", "signatures"})
    assert "shall" not in draft.parties


def test_annexes_hold_roles_and_cost_shares(scenario):
    advice = evaluate(scenario("evacuation_multinational"))
    # the Appendix to Annex B (standard forms) takes no letter and is no part of these three
    roles, costs, contacts = [x for x in advice.draft.annexes if not x.title.startswith("Appendix")][:3]
    memo = any("Memorandum of Participation" in x.title for x in advice.draft.annexes)
    assert roles.columns == ["Role", "Party or Participant" if memo else "Party", "For"]
    # every role has its row; the other rows are the data controllers the data article names (round 11)
    assert len(roles.rows) >= len(advice.roles)
    role_rows = [r for r in roles.rows if r[0] != "data controller"]
    assert len(role_rows) == len([r for r in advice.roles if r.role != "data_controller"])
    assert len(costs.rows) == len(advice.cost_allocation.shares) > 0
    assert costs.rows[0][2].replace(",", "").replace(".", "").isdigit()
    # only those that sign designate focal points (signing.py); a body that takes part without signing has no row
    # each Party as the State or body itself; its acting organ sits beside its focal point (round 16)
    assert [r[0] for r in contacts.rows] == [
        split_organ(p.name, p.kind).entity for p in signatories(scenario("evacuation_multinational"))
    ]


def test_unknown_params_become_visible_placeholders():
    clause = Clause.model_validate(
        {
            "id": "x",
            "topic": "purpose",
            "title": "Purpose",
            "source": "test",
            "params": {
                "lead_name": {"type": "string", "from": "lead_name", "sample": "A", "description": "the lead"},
                "days": {"type": "integer", "default": 30, "sample": 30},
                "names": {"type": "list", "from": "transit_names", "sample": ["A"]},
            },
            "variants": {"standard": {"body": "{{ lead_name }} {{ days }} {{ names | and_list }}"}},
        }
    )
    values = param_values(clause, {"transit_names": ["the Republic of B", "the Republic of C"]})
    assert values == {
        "lead_name": "[to be agreed: the lead]",
        "days": 30,
        "names": ["the Republic of B", "the Republic of C"],
    }
    assert param_values(clause, {})["names"] == ["[to be agreed: names]"]


def test_context_reflects_the_advice(scenario):
    s = scenario("evacuation_multinational")
    advice = evaluate(s)
    ctx = draft_context(s, advice)
    lead = advice.holders("lead")[0].party
    assert ctx["lead_name"] == in_text(s.party(lead).name)
    assert ctx["crisis_kind"] == s.crisis.kind
    assert "estimated_cost" in ctx


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Republic of Corvania", "state", "the Government of the Republic of Corvania"),
        ("Canada", "state", "the Government of Canada"),
        ("Veradan Civil Protection Agency", "state", "the Veradan Civil Protection Agency"),
        (
            "International Organization for Migration",
            "international_organization",
            "the International Organization for Migration (IOM)",
        ),
        ("UNICEF", "international_organization", "UNICEF"),
        ("Hope Shelters Network", "ngo", "the Hope Shelters Network"),
    ],
)
def test_parties_are_designated_by_kind(name, kind, expected):
    from assistant.domain.assembly import designation
    from assistant.domain.scenario import Party

    assert designation(Party(id="x", name=name, kind=kind)) == expected


def test_cross_references_resolve_to_article_numbers_after_selection():
    from assistant.domain.advice import Advice, ClauseAdvice
    from assistant.domain.assembly import assemble
    from assistant.domain.clauses import ClauseLibrary
    from assistant.domain.scenario import parse_scenario

    def clause(cid, topic, body):
        return Clause.model_validate(
            {
                "id": cid,
                "topic": topic,
                "title": cid.title(),
                "source": "test",
                "variants": {"standard": {"body": body}},
            }
        )

    library = ClauseLibrary(
        clauses={
            "purpose": clause("purpose", "purpose", "1. Costs follow {{ article('cost_allocation') }}."),
            "cost_allocation": clause("cost_allocation", "cost_allocation", "1. Each Party bears its own costs."),
            "firewall": clause("firewall", "firewall", "1. No data for enforcement, see {{ article('purpose') }}."),
        }
    )
    s = parse_scenario(
        {
            "title": "T",
            "crisis": {"kind": "epidemic", "phase": "preparedness"},
            "host_state": "a",
            "parties": [{"id": "a", "name": "A", "kind": "state"}, {"id": "b", "name": "B", "kind": "ngo"}],
        }
    )
    picked = [ClauseAdvice(id=i, topic=i) for i in ("purpose", "firewall", "cost_allocation")]
    draft = assemble(s, Advice(title="T", clauses=picked), library)
    texts = {a.clause: (a.number, a.text) for a in draft.articles}
    assert texts["cost_allocation"][0] == "3"
    assert texts["purpose"][1] == "1. Costs follow Article 3."
    assert texts["firewall"][1] == "1. No data for enforcement, see Article 1."
    without = assemble(s, Advice(title="T", clauses=picked[:2]), library)
    assert "[the provisions on cost allocation, not part of this draft]" in without.articles[0].text


def test_definitions_used_by_selected_clauses_are_gathered():
    from assistant.domain.assembly import gather_definitions

    other = Clause.model_validate(
        {
            "id": "x",
            "topic": "bridging_fund",
            "title": "Bridging",
            "source": "test",
            "definitions": {"Advance": "a sum paid before it is due.", "Migrant": "dup"},
            "variants": {"standard": {"body": "1. x"}},
        }
    )
    text = gather_definitions('1. "Migrant" means a person.\n\n2. "Crisis" means a crisis.', [other])
    assert text.endswith('3. "Advance" means a sum paid before it is due.')
    assert text.count('"Migrant"') == 1
