"""Round-9 legal readings: who the host is, and where each operation happens (invariants over the whole corpus).

- A local authority that is the territorial Party is the "Host Authority", never defined as a State; "Host State"
  then means its State, which binds nothing unless it is a Party.
- The "Alert Phase" definition names the phases the activation article sets up (arrivals at the border, Relocation
  inside the host State, or evacuation), and an operation that moves people only inside the host State has no
  evacuation phase and no Transit State in its activation article.
- Consular functions on behalf of an unrepresented State are exercised where the operation takes place (the State
  of arrival at the border), not in the territory people leave.
- The authority that clears departure across a crossing receives the extract of the Departure Lists it clears.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import in_text, party_name
from assistant.domain.evaluate import evaluate
from assistant.domain.territory import ALERT_SYSTEMS, authority_kind, host_state_party, territory
from tests.domain.corpus import corpus_scenarios

SCENARIOS = corpus_scenarios()
IDS = [name for name, _ in SCENARIOS]


@cache
def _draft(index: int) -> dict:
    return evaluate(SCENARIOS[index][1]).to_contract()["draft"]


def _article(draft: dict, clause: str) -> str | None:
    return next((a["text"] for a in draft["articles"] if a.get("clause") == clause), None)


def _all_text(draft: dict) -> str:
    return "\n".join(a["text"] for a in draft["articles"])


def _host(s) -> str:
    return in_text(party_name(s, s.host_state))


LOCAL_HOSTS = [i for i, (_, s) in enumerate(SCENARIOS) if authority_kind(s, s.host_state) == "local"]


def test_the_corpus_has_local_hosts() -> None:
    assert LOCAL_HOSTS, "no scenario of the corpus has a local authority as its host: the invariant below is empty"


@pytest.mark.parametrize("index", LOCAL_HOSTS, ids=[IDS[i] for i in LOCAL_HOSTS])
def test_a_local_host_is_the_host_authority_never_a_state(index: int) -> None:
    """A district or municipality is defined as the "Host Authority"; nothing defines it, or names it, as the Host
    State; and a "Host State" that is not a Party is never the subject of "shall"."""
    s = SCENARIOS[index][1]
    text, host = _all_text(_draft(index)), re.escape(_host(s))
    assert re.search(rf'"Host Authority" means {host}', text)
    assert not re.search(rf'"Host State" means {host}', text)
    assert not re.search(rf"{host}, as the Host State|Host State \({host}\)", text)
    if host_state_party(s) is None:
        assert not re.search(r"\bThe Host State (shall|will)\b", text)


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_host_authority_only_for_a_local_host(index: int) -> None:
    s = SCENARIOS[index][1]
    if authority_kind(s, s.host_state) != "local":
        assert "Host Authority" not in _all_text(_draft(index))


def _activation_phases(activation: str) -> list[str]:
    return re.findall(r"\([a-d]\) an? ([a-z -]+?) phase\b", activation)


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_alert_phase_definition_follows_the_activation_article(index: int) -> None:
    """The phases the definition names are the phases the activation article drafts."""
    draft = _draft(index)
    m = re.search(r'"Alert Phase" means each of the ([a-z ,-]+?) phases', _all_text(draft))
    activation = _article(draft, "activation")
    if not m or not activation or not _activation_phases(activation):
        return
    named = re.split(r", | and ", m.group(1))
    assert named == _activation_phases(activation), (named, _activation_phases(activation))
    assert tuple(named) in ALERT_SYSTEMS.values()


def _relocation_inside_only(s) -> bool:
    where = territory(s)
    ops = {o.id for o in where.operations}
    return any(o.id == "relocation" and o.state == where.host for o in where.operations) and not ops & {
        "evacuation",
        "onward_travel",
        "reception",
    }


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_relocation_inside_the_host_state_has_no_evacuation_phase(index: int) -> None:
    """Where people are moved only inside the host State, the common alert system ends in Relocation: no voluntary
    departure or mandatory evacuation phase, and no Transit State decides anything."""
    s = SCENARIOS[index][1]
    activation = _article(_draft(index), "activation")
    if not activation or not _relocation_inside_only(s) or not _activation_phases(activation):
        return
    if "common alert system" in activation:
        assert "evacuation phase" not in activation
        assert "voluntary departure" not in activation
    for clause in ("activation", "coordination", "training_exercises"):
        assert not re.search(r"any Transit State|of Transit States", _article(_draft(index), clause) or ""), clause


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_consular_functions_are_exercised_where_the_operation_takes_place(index: int) -> None:
    """At the border, consular functions on behalf of an unrepresented State are exercised in the State of arrival,
    never in the territory people leave."""
    s = SCENARIOS[index][1]
    where = territory(s)
    article = _article(_draft(index), "consular_representation")
    if not article or not (where.at_border and where.arrival):
        return
    places = re.findall(r"consular functions in (.+?) on behalf", article) + re.findall(
        r"consular post in (.+?) that represents", article
    )
    arrival = [in_text(party_name(s, a)) for a in where.arrival]
    host = party_name(s, s.host_state)
    for place in places:
        assert host not in place, place
        assert any(a in place for a in arrival), place


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_the_authority_clearing_departure_receives_the_extract_it_clears(index: int) -> None:
    """The authority that controls departure from the territory people leave receives the names, nationality and
    travel-document numbers of the persons cleared (the minimum it needs to let them leave), even when it is no
    Party or lead, and nothing else."""
    s = SCENARIOS[index][1]
    article = _article(_draft(index), "departure_lists")
    if not article:
        return
    host = re.escape(_host(s))
    assert re.search(rf"communicate to {host}, which clears departure across the crossing, only the names", article)
    assert "without requiring any list" not in article


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_relocation_inside_the_host_state_defines_its_own_places(index: int) -> None:
    """Where people are moved only inside the host State, an Assembly Point is where they gather for Relocation (not
    departure) and a Reception Point is in a safer area of the host State (not at the entry into a Transit State)."""
    if not _relocation_inside_only(SCENARIOS[index][1]):
        return
    definitions = _article(_draft(index), "definitions") or ""
    for term in ("Assembly Point", "Reception Point"):
        m = re.search(rf'"{term}" means ([^"]*)', definitions)
        if m:
            assert "departure" not in m.group(1), m.group(1)
            assert "Transit State" not in m.group(1), m.group(1)


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_at_the_border_the_fled_authority_is_a_channel_for_exit_not_for_consular_posts(index: int) -> None:
    """At the border the consular posts work in the State of arrival: the channel with the authorities of the
    territory people leave is about exit formalities and access to the crossing, not a consular liaison with its
    emergency-management, labour and immigration services."""
    where = territory(SCENARIOS[index][1])
    article = _article(_draft(index), "host_state_facilitation")
    if not article or not (where.at_border and where.arrival):
        return
    assert "consular posts of the States of nationality and its emergency-management" not in article
