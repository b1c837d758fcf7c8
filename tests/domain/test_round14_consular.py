"""Issue 14: consular representation as real instruments write it, and amendments that say how they enter into force.

1. The Canada–Australia Consular Services Sharing Agreement (1986/2001) makes the acting Government's staff the
   represented Government's agents, has claims notified and handled in consultation and the represented Government
   indemnify the acting one; services follow the represented Government's instructions and its supervising mission's
   conditions (loans only on its authority, against an undertaking signed before payment); a post that is not
   competent forwards the request. Directive (EU) 2015/637 has the State of nationality consulted before help, save
   in urgency. The drafts said the acting State follows "its own consular instructions" and attributed each act to
   the Party that performs it (the liability article now defers to the consular article for those acts).
2. Both instruments are concluded among the States that share consular services: the receiving State is notified
   (VCCR Art. 8), never a signatory. A receiving State that brings nothing of its own, in an arrangement that is only
   about consular sharing, takes part without signing and holds no role (``signing.consular_sharing``).
3. Round-14 readers: "amendments are said to enter into force 'in accordance with' the entry-into-force article,
   which only covers the Agreement itself".

The coverage table at the end lists the Canada–Australia arrangement's provisions with the article of our draft of
its model scenario (``tests/blind/consular_sharing_standing_posts.yaml``, with the posts each State lists) that must
carry each.
"""

from __future__ import annotations

import re

import pytest

from assistant.domain.signing import consular_sharing, signs
from assistant.domain.territory import contributes
from tests.domain.corpus import IDS, SCENARIOS, article_text
from tests.domain.corpus import corpus_advice as advice_of


def variant(advice, clause: str) -> str | None:
    return next((c.variant for c in advice.clauses if c.id == clause), None)


def number(advice, clause: str) -> str | None:
    return next((f"Article {a.number}" for a in advice.draft.articles if a.clause == clause), None)


def flat(text: str) -> str:
    return " ".join(text.split())


AGENCY_PHRASES = (
    "instructions and conditions that the Represented State has communicated",  # its instructions
    "Save in cases of urgency, it",  # consulted before help, save in urgency
    "only with the authority of the Represented State and against a written undertaking to repay",  # loans
    "act on behalf of the Represented State",  # agency
    "indemnify the Representing State",  # indemnity
    "forward the request without delay to the competent post",  # forwarding
    "request that a case be transferred to it",  # case transfer
)


@pytest.mark.parametrize("name", IDS)
def test_a_representing_state_acts_as_the_represented_states_agent_under_its_instructions(name: str) -> None:
    advice = advice_of(name)
    if variant(advice, "consular_representation") != "standard":
        pytest.skip("no consular representation proper")
    text = flat(article_text(advice, "consular_representation"))
    for phrase in AGENCY_PHRASES:
        assert phrase in text, (name, phrase)
    # the liability article, where there is one, does not attribute those acts to the Representing State alone
    liability = flat(article_text(advice, "liability"))
    if liability:
        assert number(advice, "consular_representation") in liability, name
        assert "Representing State does on behalf of a Represented State" in liability, name


SHARING = [n for n in IDS if consular_sharing(SCENARIOS[n])]


def test_the_corpus_has_consular_sharing_arrangements() -> None:
    assert len(SHARING) >= 2, SHARING


@pytest.mark.parametrize("name", SHARING)
def test_the_receiving_state_of_a_consular_sharing_arrangement_is_notified_not_a_party(name: str) -> None:
    s = SCENARIOS[name]
    host = s.party(s.host_state)
    if host is None or contributes(host) or host.signatory is not None:
        pytest.skip("the receiving State brings something of its own or the scenario says whether it signs")
    advice = advice_of(name)
    assert not signs(s, s.host_state)
    assert not [r for r in advice.roles if r.party == s.host_state], name
    assert host.name not in advice.draft.signatures, name
    if variant(advice, "consular_representation") == "standard":  # the host does not object to third-State acts
        consular = flat(article_text(advice, "consular_representation"))
        assert re.search(r"notification to (the )?" + re.escape(host.name), consular), name


@pytest.mark.parametrize("name", IDS)
def test_amendments_enter_into_force_by_the_entry_into_force_procedure_mutatis_mutandis(name: str) -> None:
    advice = advice_of(name)
    final = flat(article_text(advice, "final_provisions"))
    if "Amendments" not in final or not number(advice, "entry_into_force"):
        pytest.skip("no amendment paragraph or no entry-into-force article")
    assert f"{number(advice, 'entry_into_force')} sets out for the entry into force of this" in final, name
    assert "mutatis mutandis" in final, name


# The Canada–Australia Consular Services Sharing Agreement (exchange of notes 1986, memorandum 2001; domain notes
# §2.3, issue 14): each provision and the clause of our draft that carries it, with a phrase of that clause.
# "partly": the draft carries it in part (what is missing says why).
CSSA = [
    ("services to the other's nationals where only one is represented", "consular_representation", "on behalf of"),
    ("covered services listed", "consular_representation", "The services covered are"),
    (
        "excluded services (passports, visas, notarial acts, extradition, estates, deaths, investigations)",
        "consular_representation",
        "the following services are excluded",
    ),  # fmt: skip
    (
        "services under the represented Government's instructions",
        "consular_representation",
        "instructions and conditions that the Represented State has communicated",
    ),  # fmt: skip
    ("the supervising mission's conditions", "consular_representation", "mission of the Represented State"),
    (
        "staff act as the represented Government's agents",
        "consular_representation",
        "act on behalf of the Represented State",
    ),  # fmt: skip
    ("claims notified and handled in consultation", "consular_representation", "deal with the claim in consultation"),
    ("indemnity by the represented Government", "consular_representation", "indemnify the Representing State"),
    (
        "loans only on the represented Government's authority, undertaking before payment",
        "consular_representation",
        "signed by the national before the money is paid",
    ),  # fmt: skip
    ("reimbursement of the costs of assistance", "consular_representation", "shall reimburse the actual costs"),
    (
        "the receiving State notified, not a Party (VCCR Art. 8)",
        "consular_representation",
        "upon appropriate notification to",
    ),  # fmt: skip
    ("a post that is not competent forwards the request", "consular_representation", "forward the request"),
    (
        "services at listed posts of each Party, in every State where only one of them is represented",
        "consular_representation",
        "at each of its consular posts listed in Annex",
    ),  # fmt: skip
    ("routine consular services at all times, not only in a crisis", "scope", "It applies at all times"),
    ("the list of posts kept up to date between the foreign ministries", "consular_representation",
     "by an exchange of notes between their Ministries of Foreign Affairs"),
]  # fmt: skip
CSSA_MISSING: list[str] = []  # every provision listed is carried since the standing scope at listed posts (issue 14)


def test_the_canada_australia_arrangement_is_covered_at_90_per_cent_or_more() -> None:
    # the model scenario lists each State's posts and says the States cooperate at all times (routine_cooperation)
    advice = advice_of("consular_sharing_standing_posts")
    carried = [provision for provision, clause, phrase in CSSA if phrase in flat(article_text(advice, clause))]
    missing = [p for p, _, _ in CSSA if p not in carried]
    coverage = len(carried) / (len(CSSA) + len(CSSA_MISSING))
    assert not missing, missing
    assert coverage == 1.0, coverage  # 15 of 15 provisions (42 % before issue 14, 92 % in round 14)
    annex = next(a.text for a in advice.draft.annexes if a.title.endswith("Consular posts"))
    assert "for the Commonwealth of Tasmara" in annex, annex
    assert "for the Kingdom of Norland" in annex, annex


def test_the_first_consular_sharing_model_without_posts_has_no_annex_of_posts() -> None:
    """Without posts the arrangement stays one of representation in the host State: no annex, no paragraph 8."""
    advice = advice_of("consular_sharing_bilateral")
    assert not [a for a in advice.draft.annexes if a.title.endswith("Consular posts")]
    assert "consular posts listed in" not in flat(article_text(advice, "consular_representation"))


# Council Directive (EU) 2015/637 (issue 14: 28 provisions counted, 73 % before), on its model scenario, an EU-style
# Lead State evacuation with pro rata reimbursement and co-financing (tests/blind/sudan2023_lead_state_cofinancing):
# each provision, the clause that carries it and a phrase of that clause.
DIRECTIVE = [
    ("Art. 2: assistance on the same conditions as to nationals", "consular_representation",
     "on the same conditions as its own nationals"),
    ("Art. 3: family members of other nationalities", "scope", "members of their families whatever their nationality"),
    ("Art. 4: unrepresented citizens", "definitions", '"Unrepresented national" means'),
    ("Art. 7(2): representation arranged in advance, the receiving State notified", "consular_representation",
     "of each consular officer who acts under this Article"),
    ("Art. 8: nationality by passport or identity card, other evidence verified with the central authorities",
     "identity_documents", "verify it with the competent central authorities"),
    ("Art. 9(a): arrest or detention", "consular_representation", "assistance in cases of arrest or detention"),
    ("Art. 9(b): victims of crime", "consular_representation", "assistance to victims of crime"),
    ("Art. 9(c): serious accident or illness", "consular_representation", "serious accident or illness"),
    ("Art. 9(d): death", "consular_representation", "assistance in cases of death"),
    ("Art. 9(e): relief and repatriation in distress", "consular_representation", "relief and repatriation"),
    ("Art. 9(f): emergency travel documents", "consular_representation", "the issue of emergency travel documents"),
    ("Art. 10(1): the State of nationality consulted before assistance, save in urgency", "consular_representation",
     "Save in cases of urgency, it shall consult the Represented State"),
    ("Art. 10(1): the State of nationality informed of each case", "consular_representation",
     "inform the Represented State promptly of each case"),
    ("Art. 10(3): a case transferred to the State of nationality on request", "consular_representation",
     "request that a case be transferred to it"),
    ("Art. 12: local cooperation, regular meetings", "coordination", "shall meet at least twice a year"),
    ("Art. 13(1): joint contingency plans", "coordination", "joint contingency plans"),
    ("Art. 13(2): the Lead State coordinates and endeavours that all are assisted", "roles",
     "the Lead Party shall endeavour to ensure that all Migrants"),
    ("Art. 13(3): the State of nationality shares assessments and reinforcements", "roles",
     "share its situation assessments, and provide, within its means, the reinforcements"),
    ("Art. 14(1): undertaking to repay, never a condition in a crisis", "consular_representation",
     "against a written undertaking to repay"),
    ("Art. 14(2): reimbursement by the State of nationality", "consular_representation",
     "shall reimburse the actual costs incurred by the Representing State"),
    ("Art. 14(3): exceptional costs of arrest or detention", "cost_allocation",
     "travel, accommodation and translation costs incurred in cases of arrest or detention"),
    ("Art. 15(1): claims to the Ministry of Foreign Affairs, even without an undertaking", "cost_allocation",
     "A claim may be submitted even where the persons assisted have not signed an undertaking to repay"),
    ("Art. 15(2): pro rata by persons assisted", "cost_allocation",
     "divided by the total number of persons assisted"),
    ("Art. 15(3): the Union contribution deducted first", "cost_allocation", "after deduction of any co-financing"),
    ("Art. 15, recital: claims within a time limit", "cost_allocation", "within 12 months of the end of the operation"),
    ("Art. 16: more favourable treatment", "consular_representation", "on terms more favourable to the national"),
    ("UCPM (Art. 15(3) with Decision 1313/2013 Art. 23): co-financing on eligible transport, seat condition",
     "cofinancing", "eligible transport costs"),
]  # fmt: skip
# The standard forms (Art. 14(4), Annexes I and II) are drafted in the Appendix to Annex B since round 15: the
# undertaking to repay on the model scenario (claims there follow the pro rata article). The Union delegations'
# support (Art. 11) is carried where a regional body with a delegation or deployable experts is a Party (role
# institutional_support): the model scenario has none, so it is measured on that scenario with the Union's
# delegation added as a Party (test_the_union_delegations_support_is_carried_by_a_regional_party).
DIRECTIVE_MISSING: list[str] = []
DIRECTIVE_DELEGATION = ("Art. 11: the Union delegations' logistical support", "roles",
                        "logistical support, including office space, communications, transport")  # fmt: skip
DIRECTIVE_FORMS = [
    ("Art. 14(4), Annex I: the common form of undertaking to repay", "Standard form of undertaking to repay")
]


def test_directive_2015_637_is_covered_at_90_per_cent_or_more() -> None:
    advice = advice_of("sudan2023_lead_state_cofinancing")
    missing = [p for p, clause, phrase in DIRECTIVE if phrase not in flat(article_text(advice, clause))]
    assert not missing, missing
    appendix = next((a.text for a in advice.draft.annexes if a.title.startswith("Appendix to Annex B")), "")
    missing = [p for p, phrase in DIRECTIVE_FORMS if phrase not in appendix]
    assert not missing, missing
    carried = len(DIRECTIVE) + len(DIRECTIVE_FORMS) + 1  # Art. 11, below
    coverage = carried / (carried + len(DIRECTIVE_MISSING))
    assert coverage == 1.0, coverage  # 29 of 29 (73 % before issue 14; 93 % in round 14, 97 % in round 15)


def test_the_union_delegations_support_is_carried_by_a_regional_party() -> None:
    """Directive 2015/637 Art. 11 and 13(3): the Union's delegation supports the States' posts with logistics and
    intervention teams with consular experts. On the model scenario with the Union's delegation as a Party."""
    import copy

    from assistant.domain.evaluate import evaluate
    from assistant.domain.scenario import parse_scenario
    from tests.domain.corpus import corpus_docs

    data = copy.deepcopy(dict(corpus_docs())["sudan2023_lead_state_cofinancing"])
    data["parties"].append(
        {
            "id": "union_delegation",
            "name": "European Union (Delegation to the Republic of Nilara)",
            "kind": "regional_body",
            "capacities": {"consular_presence": "embassy", "deployable_experts": True},
            "constraints": {"can_sign_binding": True},
        }
    )
    advice = evaluate(parse_scenario(data))
    provision, clause, phrase = DIRECTIVE_DELEGATION
    assert phrase in flat(article_text(advice, clause)), provision
    assert "intervention teams that include consular experts" in flat(article_text(advice, clause))
    assert ("institutional_support", "union_delegation") in [(r.role, r.party) for r in advice.roles]
