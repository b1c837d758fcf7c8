"""Invariants over every scenario (shipped, training, blind) on parties that are not States by name and on
territory (README, "Where each operation takes place"):

- a local or regional authority holds only duties within its competence: what only a State can do (admit people
  to its territory, grant a stay or visas, keep immigration officers away from shelters) it requests of the
  competent national authorities (Outline Convention on Transfrontier Co-operation, Madrid 1980, Art. 2);
- the final provisions match the kinds of signatories: no local authority notifies "through diplomatic channels",
  and a local or regional authority may accede when local authorities are Parties;
- an authority (a border-crossings authority, a district administration) is neither a place nor a State: people
  are "in the territory under its authority", not "in" it;
- a Transit State is crossed on the way somewhere else: never the State people come from or return to;
- at the border, consular presence and cooperation on documents are in the States of arrival, not the Host State.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import in_text, party_name, text_name
from assistant.domain.evaluate import evaluate
from assistant.domain.names import territorial
from assistant.domain.scenario import Scenario
from assistant.domain.signing import signatories
from assistant.domain.territory import authority_kind, state_of, territory, transit_states

from .corpus import corpus_scenarios

CORPUS = corpus_scenarios()
IDS = [name for name, _ in CORPUS]


@cache
def articles(name: str) -> tuple[tuple[str, str], ...]:
    """The draft's articles of a corpus scenario, as (clause id, text)."""
    draft = evaluate(dict(CORPUS)[name]).to_contract()["draft"]
    return (("preamble", draft["preamble"]),) + tuple((a["clause"], a["text"]) for a in draft["articles"])


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+", text)


def local_signatories(s: Scenario) -> list[str]:
    return [in_text(party_name(s, p.id)) for p in signatories(s) if p.kind == "local_authority"]


# What only a State can do, as the draft says it: admit to its territory, grant a stay or visas, keep its
# immigration and police officers away, allow consular teams to deploy.
STATE_POWER = re.compile(
    r"\bshall\b(?P<how>[^.;]*?)\b(admit (to its territory|its own|the nationals)|grant (them )?(promptly )?[^.;]*?"
    r"(visas|authori[sz]ation to stay)|issue[^.;]{0,40}visas|ensure that its authorities do not|allow the temporary "
    r"deployment of consular)"
)


@pytest.mark.parametrize("name", IDS)
def test_local_authority_holds_no_state_power(name: str) -> None:
    """A local authority Party (by name, or as the Host State) is never bound to do what only a State can do,
    unless the sentence says it acts within its competence or by request to the competent national authorities."""
    s = dict(CORPUS)[name]
    subjects = local_signatories(s)
    if authority_kind(s, s.host_state) == "local":
        subjects.append("Host State")
    bad = []
    for clause, text in articles(name):
        for sent in sentences(text):
            for subject in subjects:
                at = sent.find(subject)
                m = STATE_POWER.search(sent, at) if at >= 0 else None
                if m and not re.search(r"request|competen", m["how"]):
                    bad.append(f"{clause}: {sent[:200]}")
    assert not bad, bad


@pytest.mark.parametrize("name", IDS)
def test_final_provisions_match_the_signatories(name: str) -> None:
    """With a local authority among the Parties, entry into force is not notified only "through diplomatic
    channels" and accession is open to local or regional authorities; without one, accession does not mention them."""
    s = dict(CORPUS)[name]
    local = bool(local_signatories(s))
    for clause, text in articles(name):
        if clause not in ("entry_into_force", "final_provisions"):
            continue
        for sent in sentences(text):
            if local:
                assert not re.search(r"inform each other, through diplomatic channels,", sent), sent
            if re.search(r"\baccedes?\b", sent):
                assert bool(re.search(r"local or regional authority", sent)) == local, sent


@pytest.mark.parametrize("name", IDS)
def test_an_authority_is_neither_a_place_nor_a_state(name: str) -> None:
    """A Party entered as an authority with no place of its own (a border-crossings authority, a district
    administration) is never written as the place people are in, cross from or leave, nor called a State."""
    s = dict(CORPUS)[name]
    authorities = [text_name(p) for p in s.parties if (f := territorial(p.name, p.kind)) and not f.territory]
    if not authorities:
        return
    item = "|".join(re.escape(n) for n in authorities)
    place = re.compile(
        rf"\b(in|within|out of|affecting|left|leaving|return to|(?:cross|crossing|evacuated|departure) from) "
        rf"(?:{item})(?![\w(])"
    )
    state = re.compile(rf"(?:{item}), the State\b")
    for clause, text in articles(name):
        m = place.search(text) or state.search(text)
        assert not m, f"{clause}: ...{text[max(0, m.start() - 80) : m.end() + 40]}..."


@pytest.mark.parametrize("name", IDS)
def test_a_transit_state_is_crossed_on_the_way(name: str) -> None:
    """The States the definitions call Transit States are never the host (people come from it) nor a State every
    person moved is a national of (people return to it, directly or through the State its local authority
    belongs to)."""
    s = dict(CORPUS)[name]
    groups = [g for g in s.populations or [] if g.count]
    for clause, text in articles(name):
        m = re.search(r'"Transit State" means (.*?) and any other Party', text) if clause == "definitions" else None
        if not m:
            continue
        for p in s.parties:
            if in_text(party_name(s, p.id)) not in m[1]:
                continue
            assert p.id != s.host_state, m[0]
            assert not (groups and all(g.nationality == state_of(s, p.id) for g in groups)), m[0]


def test_state_of_a_local_authority_is_the_state_in_its_name() -> None:
    """A local authority whose name gives its State in brackets belongs to the State Party of that name, and a
    transit local authority of the State every person moved returns to is no Transit State."""
    s = dict(CORPUS)["border_flood_local_authorities"]
    transit = s.transit_states[0]
    origin = next(p.id for p in s.parties if p.kind == "state")
    assert state_of(s, transit) == origin
    assert transit not in transit_states(s)
    assert state_of(s, origin) == origin


@pytest.mark.parametrize("name", IDS)
def test_at_the_border_consular_work_is_in_the_states_of_arrival(name: str) -> None:
    """Where the operation is at the border (outside the State people flee), the consular presence that counts and
    the cooperation on travel documents are in the States of arrival, never "in" or "with" the Host State."""
    if not territory(dict(CORPUS)[name]).at_border:
        return
    wrong = re.compile(r"consular (presence|post) in the Host State|in cooperation with the Host State")
    for clause, text in articles(name):
        m = wrong.search(text)
        assert not m, f"{clause}: ...{text[max(0, m.start() - 120) : m.end() + 40]}..."


@pytest.mark.parametrize("name", IDS)
def test_states_decide_on_exit_entry_and_stay(name: str) -> None:
    """Exit, entry, admission and stay are decided by the competent authorities of States: a sentence that says who
    decides them never names a local authority (its State decides on its territory)."""
    s = dict(CORPUS)[name]
    locals_ = [in_text(party_name(s, p.id)) for p in s.parties if p.kind == "local_authority"]
    for clause, text in articles(name):
        for sent in sentences(text):
            if re.search(r"\bdecides? on [^.;]*\b(exit|entry)\b", sent):
                assert not [n for n in locals_ if n in sent], f"{clause}: {sent[:240]}"


@pytest.mark.parametrize("name", IDS)
def test_no_diplomatic_channels_to_an_authority(name: str) -> None:
    """A host that is a local authority or an authority in control of a territory is approached through the Lead
    Party's contacts, never "through diplomatic channels", which exist only between States."""
    s = dict(CORPUS)[name]
    if not authority_kind(s, s.host_state):
        return
    host = re.escape(in_text(party_name(s, s.host_state)))
    for clause, text in articles(name):
        m = re.search(rf"request {host}, through diplomatic channels", text)
        assert not m, f"{clause}: {m[0]}"
