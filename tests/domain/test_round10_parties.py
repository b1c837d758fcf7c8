"""Round-10 readings, representative bodies and final clauses fitted to the parties, as invariants over the shipped,
training and blind scenarios (tests/domain/corpus.py):

1. a body of members (employers' federation, association of recruitment agencies) is never bound by "shall" where it
   is no Party, holds no passports of its own and keeps no commitment towards workers after it leaves; Annex A gives
   it a plain label;
2. a bilateral binding instrument ends when either Party terminates it and is open to no accession; a multilateral
   one open to accession has a depositary; an international organization may accede only where organizations are
   Parties;
3. the provisions on costs of the mutual-assistance and employer-liability articles survive withdrawal or
   termination like the cost articles that rely on them;
4. the Memorandum of Participation takes effect with the Agreement, not on signature before it;
5. an agreement made in advance applies provisionally where an alert has been declared, without asserting that one
   has."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings

from assistant.domain.advice import Advice
from assistant.domain.assembly import EMPLOYER_KINDS, ORGANIZATION_KINDS, in_text, participants, party_name, text_name
from assistant.domain.costs import represents_members
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario, parse_scenario
from assistant.domain.signing import signatories
from tests.domain.corpus import corpus_scenarios, parties_text
from tests.test_hostile import scenarios as generated_scenarios

CORPUS = corpus_scenarios()
IDS = [n for n, _ in CORPUS]
BY_NAME = dict(CORPUS)


@cache
def advised(name: str) -> Advice:
    return evaluate(BY_NAME[name])


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def article_number(advice: Advice, clause: str) -> int | None:
    """The number of the article drafted from ``clause`` (its position among the articles), or None."""
    return next((i for i, a in enumerate(advice.draft.articles, 1) if a.clause == clause), None)


def whole_text(advice: Advice) -> str:
    return "\n".join([a.text for a in advice.draft.articles] + [x.text for x in advice.draft.annexes])


def parties_block(advice: Advice) -> list[str]:
    block = parties_text(advice)
    return block if isinstance(block, list) else [block or ""]


def is_framework(advice: Advice) -> bool:
    return "Memorandum of Participation" in parties_block(advice)[-1]


def binding(advice: Advice) -> bool:
    return advice.draft.instrument == "Agreement"


def member_bodies(s: Scenario) -> list[str]:
    return [in_text(party_name(s, p.id)) for p in s.parties if represents_members(s, p.id)]


@pytest.mark.parametrize("name", IDS)
def test_a_body_of_members_is_never_bound_and_holds_no_passports(name):
    s, advice = BY_NAME[name], advised(name)
    text = whole_text(advice)
    joining = {text_name(p) for p in participants(s, "framework")} if is_framework(advice) else set()
    for body in member_bodies(s):
        if body in joining:  # 'X shall', or 'X, which ..., shall': the Participant is bound
            assert not re.search(re.escape(body) + r"(?:, [^,.;]+,)? shall\b", text), f"{name}: {body} shall"
        assert not re.search(re.escape(body) + r" (?:shall|will) return the passports", text), f"{name}: {body}"
    assert "not itself liable" not in text, f"{name}: Annex A label reads as an artefact"


@pytest.mark.parametrize("name", IDS)
def test_memorandum_keeps_no_worker_commitment_of_a_body_of_members(name):
    s, advice = BY_NAME[name], advised(name)
    memo = next((x.text for x in advice.draft.annexes if "Memorandum of Participation" in x.title), "")
    worker_participants = (
        [
            text_name(p)
            for p in participants(s, "framework")
            if p.kind in EMPLOYER_KINDS and not represents_members(s, p.id)
        ]
        if is_framework(advice)
        else []
    )
    if memo and not worker_participants:
        assert "towards workers already covered" not in memo, f"{name}: a body of members keeps worker commitments"


@pytest.mark.parametrize("name", IDS)
def test_final_clauses_fit_the_number_of_parties(name):
    final_clauses_fit(name, BY_NAME[name], advised(name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_generated_final_clauses_fit_the_parties(data):
    """On generated scenarios: the final clauses fit the number and kinds of the Parties, and the Memorandum of
    Participation takes effect with the Agreement."""
    s = parse_scenario(data)
    advice = evaluate(s)
    final_clauses_fit(s.title or "generated", s, advice)
    memo = next((x.text for x in advice.draft.annexes if "Memorandum of Participation" in x.title), "")
    assert "on the date of its signature by that Participant and" not in memo


def final_clauses_fit(name: str, s: Scenario, advice: Advice) -> None:
    """A bilateral binding instrument neither continues 'between the remaining Parties' nor admits accession; a
    multilateral one open to accession has a depositary; an organization accedes only where organizations are
    Parties."""
    if not binding(advice):
        return
    final = article(advice, "final_provisions")
    entry = article(advice, "entry_into_force")
    joining = participants(s, "framework") if is_framework(advice) else []
    parties = [p for p in signatories(s) if p not in joining]
    if len(set(advice.draft.designations)) == 2:  # the params name each Party once
        assert "fewer than two Parties" not in final, f"{name}: bilateral instrument 'between the remaining Parties'"
        assert not re.search(r"\baccedes?\b", final + entry), f"{name}: accession to a bilateral instrument"
    elif re.search(r"\bmay accede\b", final):
        assert "depositary" in final, f"{name}: accession with no depositary"
    if not any(p.kind in ORGANIZATION_KINDS for p in parties):
        for sentence in re.split(r"(?<=\.)\s+", final + "\n" + entry):
            if re.search(r"\baccedes?\b", sentence):
                assert "international organization" not in sentence, f"{name}: an organization may accede"


@pytest.mark.parametrize("name", IDS)
def test_cost_provisions_relied_on_survive(name):
    advice = advised(name)
    final = article(advice, "final_provisions")
    survival = next((p for p in final.split("\n\n") if "continue to apply thereafter" in p), "")
    if not survival:
        return
    for clause in ("mutual_aid", "employer_liability"):
        number = article_number(advice, clause)
        if number is None:
            continue
        ceasing = re.search(rf"other provisions of Articles? [\d, and]*\b{number}\b[^.]* cease", survival)
        assert (
            not ceasing
            or f"Article {number} on costs" in survival
            or re.search(rf"provisions of Articles [\d, and]*\b{number}\b[\d, and]* on costs", survival)
        ), f"{name}: Article {number} ({clause}) ends, costs included"


@pytest.mark.parametrize("name", IDS)
def test_memorandum_takes_effect_with_the_agreement(name):
    advice = advised(name)
    memo = next((x.text for x in advice.draft.annexes if "Memorandum of Participation" in x.title), "")
    assert "on the date of its signature by that Participant and" not in memo, f"{name}: effective before the Agreement"
    if memo:
        assert "enters into force" in memo, f"{name}: the Memorandum's effect is not tied to the Agreement"


@pytest.mark.parametrize("name", IDS)
def test_provisional_application_asserts_no_alert(name):
    entry = article(advised(name), "entry_into_force")
    assert "As an alert has been declared" not in entry, f"{name}: an agreement made in advance asserts an alert"


COMPETENT_ORGAN = re.compile(
    r"its (?P<organ>[^;,]+?) is its competent authority for the functions that Annex A assigns to it "
    r"\((?P<functions>[^)]*)\)"
)


@pytest.mark.parametrize("name", IDS)
def test_an_organ_is_named_only_for_functions_within_its_competence(name):
    """Consular functions and travel documents are named for a foreign ministry or mission, health care for a health
    authority; another organ's such functions fall to the State's other competent authorities."""
    for paragraph in parties_block(advised(name)):
        for m in COMPETENT_ORGAN.finditer(paragraph):
            organ, functions = m["organ"], m["functions"].split(", ")
            if not re.search(r"Foreign Affairs|Foreign Office|Embassy|Consul|Mission|Passport", organ):
                assert "consular focal point" not in functions, f"{name}: {organ} as consular focal point"
                assert "identity and travel documents" not in functions, f"{name}: {organ} issues travel documents"
            if not re.search(r"Health|Medical", organ):
                assert "health provider" not in functions, f"{name}: {organ} as health provider"


@pytest.mark.parametrize("name", IDS)
def test_no_participant_or_non_signatory_is_an_agent_of_shall_relay(name):
    """Public advice 'shall be relayed' by the Parties only: a Participant or a body that does not sign relays it as
    its own intention ('will')."""
    s, advice = BY_NAME[name], advised(name)
    unbound = [text_name(p) for p in participants(s, "framework")] if is_framework(advice) else []
    unbound += [text_name(p) for p in s.parties if p not in signatories(s)]
    for sentence in re.split(r"(?<=\.)\s+", whole_text(advice)):
        if "shall be relayed" in sentence:
            assert not any(n in sentence for n in unbound), f"{name}: {sentence[:120]}"
