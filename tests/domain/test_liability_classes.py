"""Who answers for the repatriation of migrant workers (round-7 legal readings), as invariants over every scenario
of the corpus (shipped, training and blind):

1. A body of members (an employers' federation, an association of recruitment agencies) recruits and employs no
   one: it bears no share in Annex B and is never said to bear the responsibility for, or owe the lettered duties
   towards, "the workers whom it has recruited or employed"; it informs its members, encourages their compliance
   and reports. A recruitment agency named in Annex B answers only for the workers it recruited.
2. A Participant that cannot be bound is never liable "jointly and severally" under the instrument: it pays what it
   undertakes to pay, its liability resting on the law of the State of origin.
3. Workers abandoned by their employer are not "without an identifiable recruitment agency or employer": only
   workers in an irregular situation are put on the State fund as such.
4. The model (RA 8042) is not the applicable law: no statute code in Annex B, and the employer article names the
   law of the State of origin rather than "the State of origin that this Article takes as its model".
5. Where a crew-change article governs seafarers' repatriation, no liable employer bears a share of the actual
   costs in Annex B, and no amount of a liable private party is a percentage."""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.advice import Advice
from assistant.domain.assembly import party_name, text_name
from assistant.domain.costs import LIABLE_KINDS, head_counts, represents_members
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario
from assistant.domain.signing import binds
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
IDS = [name for name, _ in CORPUS]


@cache
def advised(index: int) -> Advice:
    return evaluate(CORPUS[index][1])


def employer_article(advice: Advice) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == "employer_liability"), "")


def annex_b_rows(advice: Advice) -> list[list[str]]:
    return next((a.rows for a in advice.draft.annexes if a.title.startswith("Annex B")), [])


def annex_b(advice: Advice) -> str:
    return next((a.text for a in advice.draft.annexes if a.title.startswith("Annex B")), "")


def sentences(text: str) -> list[str]:
    return [x for x in re.split(r"(?<=[.:;])\s+", text) if x]


def check_a_body_of_members_recruits_and_employs_no_one(s: Scenario, advice: Advice) -> None:
    bodies = [p for p in s.parties if represents_members(s, p.id)]
    rows = annex_b_rows(advice)
    text = employer_article(advice)
    for body in bodies:
        assert party_name(s, body.id) not in [r[0] for r in rows], f"Annex B puts a share on {body.name}"
        name = text_name(body)
        for sentence in sentences(text):
            if name in sentence or name[:1].upper() + name[1:] in sentence:
                assert "bear that responsibility" not in sentence, sentence
                assert "towards the workers whom" not in sentence, sentence
    for share in advice.cost_allocation.shares:
        assert "all agency-recruited" not in share.basis
        for p in s.parties:
            if p.kind == "recruiter" and f"by {party_name(s, p.id)}" in share.basis:
                assert f"by {party_name(s, p.id)}, for the workers it recruited" in share.basis, share.basis


def check_no_joint_and_several_liability_of_a_participant(s: Scenario, advice: Advice) -> None:
    for share in advice.cost_allocation.shares:
        party = s.party(share.party)
        if "jointly and severally" in share.basis:
            assert party is not None, share.basis
            assert binds(party), share.basis
            assert "not legally binding" not in share.basis, share.basis


def check_abandoned_workers_are_not_unidentified(s: Scenario, advice: Advice) -> None:
    irregular: dict[str, int] = {}
    for g in s.populations or []:
        irregular[g.nationality] = irregular.get(g.nationality, 0) + round(g.count * (g.irregular_share or 0))
    for (bearer, why, nationality), n in head_counts(s, advice).items():
        if why == "unidentified":
            assert n <= irregular.get(nationality, 0), f"{n} workers put on {bearer} as unidentified"
    for share in advice.cost_allocation.shares:
        assert not re.search(r"identifiable[^;]*abandoned by their employer", share.basis), share.basis


def check_the_model_is_not_the_applicable_law(s: Scenario, advice: Advice) -> None:
    assert not re.search(r"RA 8042|§|Republic Act", annex_b(advice)), annex_b(advice)
    text = employer_article(advice)
    assert "takes as its model" not in text
    recruited = {g.nationality for g in s.populations or [] if g.recruited_through_agencies}
    origins = [text_name(p) for p in s.parties if p.kind == "state" and p.id in recruited]
    if text.startswith("1. Under the law of") and len(origins) == 1:
        assert text.startswith(f"1. Under the law of {origins[0]},"), text[:200]


def check_crew_change_puts_no_share_of_actual_costs_on_the_shipowner(s: Scenario, advice: Advice) -> None:
    liable_rows = [r for r in annex_b_rows(advice) if any(party_name(s, p.id) == r[0] for p in _liable_kinds(s))]
    for row in liable_rows:
        assert "%" not in row[2], row
    if any(c.id == "seafarer_crew_change" for c in advice.clauses):
        assert not liable_rows, liable_rows
        owners = {r.party for r in advice.holders("liable_private_party")}
        for p in s.parties:
            if p.id in owners and p.kind == "employer" and not represents_members(s, p.id):
                name = text_name(p)
                assert f"{name[:1].upper()}{name[1:]} bears the costs of the repatriation of its seafarers" in (
                    annex_b(advice)
                )
                assert "tests, quarantine accommodation and protective equipment" in annex_b(advice)


def _liable_kinds(s: Scenario) -> list:
    return [p for p in s.parties if p.kind in LIABLE_KINDS]


CHECKS = [
    check_a_body_of_members_recruits_and_employs_no_one,
    check_no_joint_and_several_liability_of_a_participant,
    check_abandoned_workers_are_not_unidentified,
    check_the_model_is_not_the_applicable_law,
    check_crew_change_puts_no_share_of_actual_costs_on_the_shipowner,
]


@pytest.mark.parametrize("index", range(len(CORPUS)), ids=IDS)
def test_liability_invariants(index: int) -> None:
    s = CORPUS[index][1]
    advice = advised(index)
    for check in CHECKS:
        check(s, advice)


def test_a_body_of_members_is_recognized_by_kind_or_name() -> None:
    """The classes above need the corpus to hold bodies of members both as federations and as associations."""
    kinds = {p.kind for _, s in CORPUS for p in s.parties if represents_members(s, p.id)}
    assert {"employers_federation", "recruiter"} <= kinds
    assert not any(represents_members(s, p.id) for _, s in CORPUS for p in s.parties if p.kind not in LIABLE_KINDS)
