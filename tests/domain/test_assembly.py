"""Draft assembly: an instrument in order, names as they read in a sentence, visible holes, annexes."""

import pytest

from assistant.domain.assembly import draft_context, in_text, param_values
from assistant.domain.clauses import Clause
from assistant.domain.evaluate import evaluate
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
    ],
)
def test_names_take_their_article_in_a_sentence(name, expected):
    assert in_text(name) == expected


def test_draft_is_an_ordered_instrument(scenario):
    advice = evaluate(scenario("evacuation_multinational"))
    draft = advice.draft
    assert draft.parties.startswith("1. This Agreement is concluded between the ")
    assert "Have agreed as follows" in draft.preamble or "Have reached" in draft.preamble
    assert "IN WITNESS WHEREOF" in draft.signatures
    assert draft.articles[0].heading == "Purpose"
    topics = {c.id: c.topic for c in advice.clauses}
    order = [CLAUSE_TOPICS.index(topics[a.clause]) for a in draft.articles]
    assert order == sorted(order)
    assert [a.number for a in draft.articles] == [str(i) for i in range(1, len(draft.articles) + 1)]
    assert {a.clause for a in draft.articles}.isdisjoint({"parties", "preamble", "signatures"})


def test_annexes_hold_roles_and_cost_shares(scenario):
    advice = evaluate(scenario("evacuation_multinational"))
    roles, costs = advice.draft.annexes
    assert roles.columns == ["Role", "Party", "For"]
    assert len(roles.rows) == len(advice.roles)
    assert len(costs.rows) == len(advice.cost_allocation.shares) > 0
    assert costs.rows[0][2].replace(",", "").replace(".", "").isdigit()


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
