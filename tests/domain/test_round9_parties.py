"""Round-9 readings, who is a Party, who leads, who signs and who controls, as invariants over the shipped, training
and blind scenarios (tests/domain/corpus.py):

1. a development bank or donor that is a Party is a Party for financing only, never bound by operational duties;
2. a pooled fund is administered by a fit Party: never the Host State (the State people flee) nor a State of origin
   of the persons assisted;
3. only the Parties' procedures condition entry into force, and accession is open only to bodies that can be Parties
   of that form (no local authority where local authorities are Participants);
4. the backup lead is never the host State whose own measures strand the migrants (movement restrictions in an
   epidemic), nor the host behind another State's own repatriation channel;
5. every controller the data articles name is a Party (no hole asking for a body no Party can be), and Annex A never
   labels a body of members as a liable private party."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings

from assistant.domain.advice import Advice
from assistant.domain.assembly import in_text, participants, party_name, text_name
from assistant.domain.costs import represents_members
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario, parse_scenario
from assistant.domain.signing import fund_administrator, signatories
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


def parties_block(advice: Advice) -> list[str]:
    block = parties_text(advice)
    return block if isinstance(block, list) else [block or ""]


def named_parties(s: Scenario, advice: Advice) -> list:
    """The signatories named before "hereinafter" in the first paragraph of the parties block: the Parties."""
    first = parties_block(advice)[0].split("hereinafter")[0]
    return [p for p in signatories(s) if text_name(p) in first]


def names_of(s: Scenario, pids) -> set[str]:
    return {in_text(party_name(s, pid)) for pid in pids if s.party(pid)}


@pytest.mark.parametrize("name", IDS)
def test_financing_parties_take_only_financing_duties(name):
    s, advice = BY_NAME[name], advised(name)
    block = "\n".join(parties_block(advice))
    for p in named_parties(s, advice):
        if p.kind not in ("development_bank", "donor"):
            continue
        who = text_name(p).lower()
        paragraph = next((x for x in block.split("\n") if "of financing only" in x and who in x.lower()), "")
        assert paragraph, f"{name}: {p.name} is a Party without a financing-only paragraph"
        assert "do not apply to" in paragraph, name
        assert "conduct of operations" in paragraph, name


@pytest.mark.parametrize("name", IDS)
def test_pooled_fund_administrator_is_fit(name):
    s, advice = BY_NAME[name], advised(name)
    costs = article(advice, "cost_allocation")
    found = re.search(r"pooled fund established and administered by (.+?) in accordance with", costs)
    if not found:
        return
    admin = found[1]
    unfit = names_of(s, [s.host_state] + [g.nationality for g in s.populations or []])
    assert admin not in unfit, f"{name}: the pooled fund is administered by {admin}"
    parties = {in_text(party_name(s, p.id)) for p in named_parties(s, advice)}
    assert admin in parties or admin.startswith("[to be agreed"), f"{name}: {admin} is not a Party"


@pytest.mark.parametrize("name", IDS)
def test_only_parties_condition_entry_into_force_and_accede(name):
    s, advice = BY_NAME[name], advised(name)
    entry = article(advice, "entry_into_force")
    final = article(advice, "final_provisions")
    form = "framework" if "Memorandum of Participation" in parties_block(advice)[-1] else "other"
    joining = participants(s, form) if form == "framework" else []
    for p in joining:
        assert in_text(party_name(s, p.id)) not in entry, f"{name}: {p.name}, a Participant, in entry into force"
    local_parties = [p for p in named_parties(s, advice) if p.kind == "local_authority"]
    if not local_parties:  # a local authority that is no Party joins the Memorandum of Participation, never accedes
        for sentence in re.split(r"(?<=\.)\s+", entry + "\n" + final):
            if re.search(r"\baccedes?\b", sentence):
                assert "local or regional authority" not in sentence, f"{name}: a local authority may accede"


@pytest.mark.parametrize("name", IDS)
def test_backup_lead_is_not_the_host_that_strands_the_migrants(name):
    s, advice = BY_NAME[name], advised(name)
    lead = next(iter(advice.holders("lead")), None)
    if lead is None or lead.party == s.host_state:
        return
    backups = {r.party for r in advice.holders("backup_lead")}
    stranding = s.crisis.kind == "epidemic" and bool(s.host_conditions and s.host_conditions.movement_restrictions)
    own_channel = "role.lead.own_repatriation_scheme_state" in lead.because
    if stranding or own_channel:
        assert s.host_state not in backups, f"{name}: the host State backs up {lead.party}"


@pytest.mark.parametrize("name", IDS)
def test_controllers_are_parties(name):
    s, advice = BY_NAME[name], advised(name)
    parties = {in_text(party_name(s, p.id)) for p in named_parties(s, advice)}
    texts = [article(advice, "data_protection")] + [a.text for a in advice.draft.annexes]
    for text in texts:
        assert "[to be agreed: a Party that none of the persons concerned" not in text, name
        assert "[to be agreed: the Party that controls the protection case files]" not in text, name
        for keeper in re.findall(r"which (.+?) keeps apart and controls", text):
            assert keeper in parties, f"{name}: {keeper} keeps records apart but is not a Party"


@pytest.mark.parametrize("name", IDS)
def test_annex_a_never_makes_a_body_of_members_liable(name):
    s, advice = BY_NAME[name], advised(name)
    annex = next((a for a in advice.draft.annexes if a.title.startswith("Annex A")), None)
    if annex is None:
        return
    bodies = {party_name(s, p.id) for p in s.parties if represents_members(s, p.id)}
    for row in annex.rows or []:
        assert not (row[0] == "liable private party" and row[1] in bodies), f"{name}: {row[1]} labelled liable"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_generated_administrator_and_backup_are_fit(data):
    """On generated scenarios: the pooled fund's administrator is fit (a signing organization with financial
    regulations, or a State that is neither the Host State nor a State of origin), and the host State whose movement
    restrictions strand the migrants in an epidemic never backs up another lead."""
    s = parse_scenario(data)
    advice = evaluate(s)
    lead = next(iter(advice.holders("lead")), None)
    if any(c.id == "cost_allocation" and c.variant == "pooled_fund" for c in advice.clauses):
        admin = fund_administrator(s, lead.party if lead else None)
        if admin is not None:
            origins = {g.nationality for g in s.populations or []}
            assert admin.id != s.host_state
            assert not (admin.kind == "state" and admin.id in origins)
            assert admin.id in {p.id for p in signatories(s)}
    stranding = s.crisis.kind == "epidemic" and bool(s.host_conditions and s.host_conditions.movement_restrictions)
    accepted = {r.party for r in advice.roles if r.role == "backup_lead" and r.status in ("accepted", "reassigned")}
    if stranding and lead and lead.party != s.host_state and s.host_state not in accepted:
        assert s.host_state not in {r.party for r in advice.holders("backup_lead")}
