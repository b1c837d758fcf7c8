"""Duties on classes of States that are not Parties, over the whole corpus (shipped, training and blind scenarios).

A binding instrument binds only the bodies that sign it: a State of nationality, a Transit State or a Host State
that does not sign is asked by the Parties, never told "shall". Each test also makes the class non-signing in
every scenario (a copy with ``signatory: false``), so the rule is checked where the corpus does not reach it.
"""

from __future__ import annotations

import copy
import re

import pytest

from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario
from assistant.domain.signing import signs
from tests.domain.corpus import corpus_docs

SCENARIOS = list(corpus_docs())
IDS = [n for n, _ in SCENARIOS]


def _text(doc: dict) -> tuple[str, object, object]:
    s = parse_scenario(doc)
    advice = evaluate(s)
    draft = advice.draft
    return "\n".join([a.text for a in draft.articles] + [x.text for x in draft.annexes]), s, draft


def _unsigned(doc: dict, ids: set[str]) -> dict:
    """A copy of the scenario in which the Parties ``ids`` take part without signing."""
    out = copy.deepcopy(doc)
    for p in out["parties"]:
        if p["id"] in ids:
            p["signatory"] = False
    return out


def _nationality_ids(doc: dict) -> set[str]:
    return {g["nationality"] for g in doc.get("populations") or []} | {
        p["id"] for p in doc["parties"] if "origin" in (p.get("crisis_roles") or [])
    }


# The duties of roles and identity_documents (the cost article's "shall pay" and transit_reception's "shall
# arrange" are outside these clauses).
DUTIES = r"(?:retain|designate|determine|answer|issue)"
BARE_NATIONALITY = re.compile(rf"\bEach State of nationality (?:shall|will) {DUTIES}\b")
PARTY_NATIONALITY = re.compile(rf"\bEach State of nationality that is a Party (?:shall|will) {DUTIES}\b")
BARE_TRANSIT = re.compile(r"\bEach Transit State (?:shall|will)\b")
PARTY_TRANSIT = re.compile(r"\bEach Transit State that is a Party\b")


def _check_nationality(name: str, doc: dict) -> None:
    text, s, _ = _text(doc)
    assert not BARE_NATIONALITY.search(text), f"{name}: a duty on every State of nationality, Party or not"
    if PARTY_NATIONALITY.search(text):
        nationals = _nationality_ids(doc)
        assert any(signs(s, p.id) and p.kind == "state" and p.id in nationals for p in s.parties), (
            f"{name}: 'Each State of nationality that is a Party' where none is"
        )


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=IDS)
def test_states_of_nationality_are_bound_only_as_parties(name, doc):
    _check_nationality(name, doc)
    nationals = _nationality_ids(doc)
    lead_or_host = {doc.get("host_state")}
    unsigned = _unsigned(doc, nationals - lead_or_host)
    try:
        parse_scenario(unsigned)
    except ValueError:
        return
    _check_nationality(name + " (States of nationality not signing)", unsigned)


def _check_transit(name: str, doc: dict) -> None:
    text, s, _ = _text(doc)
    assert not BARE_TRANSIT.search(text), f"{name}: a duty on every Transit State, Party or not"
    if PARTY_TRANSIT.search(text):
        assert any(signs(s, t) for t in s.transit_states or []), f"{name}: 'Each Transit State that is a Party'"


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=IDS)
def test_transit_states_are_bound_only_as_parties(name, doc):
    _check_transit(name, doc)
    unsigned = _unsigned(doc, set(doc.get("transit_states") or []))
    try:
        parse_scenario(unsigned)
    except ValueError:
        return
    _check_transit(name + " (Transit States not signing)", unsigned)


HOST_BOUND = (
    re.compile(r"\bThe Host State(?: \([^()]*(?:\([^()]*\))?[^()]*\))?(?: and [^.;,]{1,80}?)? (?:shall|will) accept\b"),
    re.compile(r"\bincluding the Host State\b"),
)


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=IDS)
def test_a_host_state_that_does_not_sign_is_asked_not_bound(name, doc):
    host = doc.get("host_state")
    unsigned = _unsigned(doc, {host}) if host else doc
    try:
        text, s, _ = _text(unsigned)
    except ValueError:
        return
    if signs(s, host):
        return
    for pattern in HOST_BOUND:
        m = pattern.search(text)
        assert not m, f"{name}: the Host State, which does not sign, is bound: {m[0]}"


def test_a_transport_leg_reads_will_only_when_all_its_providers_are_unbound():
    from assistant.domain.wording import non_binding_for

    leg = "Transport shall be provided for Evacuation from the Republic of Alda, by land convoys by {}."
    names = ["the Republic of Alda", "the Republic of Brin"]
    alone = non_binding_for(leg.format("the Hope Network"), ["the Hope Network"], names)
    mixed = non_binding_for(leg.format("the Republic of Brin and the Hope Network"), ["the Hope Network"], names)
    assert alone.startswith("Transport will be provided")
    assert mixed.startswith("Transport shall be provided")


PROVIDED = re.compile(r"(?:^|\.\s+|\d\.\s+)((?:Shelter|Health care)[^.;]*?) (shall|will) be provided by ([^.;]+)")


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=IDS)
def test_shelter_and_health_name_parties_and_participants_apart(name, doc):
    """A Party and a body that is not bound never share one 'shall be provided by': the Party 'shall provide', the
    other 'will contribute'; and places on transport of an unbound provider are not 'agreed with that Party'."""
    from assistant.domain.assembly import participants, text_name
    from assistant.domain.signing import non_signatories

    text, s, draft = _text(doc)
    if draft.instrument != "Agreement":
        return
    form = "framework" if any(x.clause == "participation_memorandum" for x in draft.annexes) else "agreement"
    soft = [text_name(p) for p in participants(s, form) + non_signatories(s)]
    for m in PROVIDED.finditer(text):
        agents = m[3]
        if any(x in agents for x in soft):
            assert m[2] == "will", f"{name}: {m[0][:200]}"
            assert not any(text_name(p) in agents for p in s.parties if text_name(p) not in soft), (
                f"{name}: {m[0][:200]}"
            )
    allocated = r"On transport provided by ([^.]*?), places shall be allocated [^.]*?that Party, which shall"
    for m in re.finditer(allocated, text):
        assert not any(x in m[1] for x in soft), f"{name}: {m[0][:200]}"


NATIONAL_DUTIES = re.compile(
    r"\b(?:it|[Tt]he Host State) shall (?:waive or expedite exit visas|waive the fees, fines and penalties for exit|"
    r"not arrest or detain|issue, free of charge|consider the release of Migrants held in immigration detention)"
)


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=IDS)
def test_a_local_authority_as_host_asks_the_national_authorities(name, doc):
    """Exit visas, national fines, immigration detention and visas are national competences: a local authority
    that is the Host State requests them of the competent national authorities (each scenario's host made a local
    authority when it is a State)."""
    variant = copy.deepcopy(doc)
    host = next((p for p in variant["parties"] if p["id"] == variant.get("host_state")), None)
    if host is None:
        return
    host["kind"] = "local_authority"
    try:
        text, _, _ = _text(variant)
    except ValueError:
        return
    m = NATIONAL_DUTIES.search(text)
    assert not m, f"{name}: a local authority as Host State given a national competence: {m[0]}"


FAMILY_HOST_BOUND = re.compile(r"the Host State \([^)]*\) (?:shall|will) permit")


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=IDS)
def test_a_host_that_does_not_sign_is_asked_to_let_family_members_leave(name, doc):
    """Round-6 readings: the family-unity article bound a host that takes part without signing to permit a family
    member's departure. A host that signs is bound; one that does not is requested."""
    host = doc.get("host_state")
    for label, variant in ((name, doc), (name + " (host not signing)", _unsigned(doc, {host}))):
        text, s, _ = _text(variant)
        if signs(s, host):
            continue
        assert not FAMILY_HOST_BOUND.search(text), f"{label}: a non-signing host bound to permit departure"
