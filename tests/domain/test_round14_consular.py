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
its model scenario (``tests/blind/consular_sharing_bilateral.yaml``) that must carry each.
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
]
# Not carried, argued in the closing note of issue 14: services at listed posts of each Party in several receiving
# States, reciprocally and outside any crisis (the contract has one host State per scenario).
CSSA_MISSING = ["services at listed posts of each Party, in every State where only one of them is represented"]


def test_the_canada_australia_arrangement_is_covered_at_90_per_cent_or_more() -> None:
    advice = advice_of("consular_sharing_bilateral")
    carried = [provision for provision, clause, phrase in CSSA if phrase in flat(article_text(advice, clause))]
    missing = [p for p, _, _ in CSSA if p not in carried]
    coverage = len(carried) / (len(CSSA) + len(CSSA_MISSING))
    assert not missing, missing
    assert coverage >= 12 / 13 - 1e-9, coverage  # 92 %: 12 of 13 provisions (42 % before, issue 14)
