"""Invariants over every scenario (shipped, training, blind, and generated cross-border arrangements between local
authorities) on parties that are not States by name and on
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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.domain.assembly import in_text, party_name, text_name
from assistant.domain.evaluate import evaluate, unbound_participants
from assistant.domain.names import territorial
from assistant.domain.scenario import Scenario, parse_scenario
from assistant.domain.signing import signatories
from assistant.domain.territory import authority_kind, state_of, territory, transit_states

from .corpus import corpus_scenarios

CORPUS = corpus_scenarios()
IDS = [name for name, _ in CORPUS]


Articles = tuple[tuple[str, str], ...]


def draft_articles(s: Scenario) -> Articles:
    """A scenario's draft articles, with its parties block and preamble, as (clause id, text)."""
    draft = evaluate(s).to_contract()["draft"]
    head = (("parties", draft["parties"]), ("preamble", draft["preamble"]))
    return head + tuple((a["clause"], a["text"]) for a in draft["articles"])


@cache
def articles(name: str) -> Articles:
    """The draft's articles of a corpus scenario."""
    return draft_articles(dict(CORPUS)[name])


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+", text)


def local_signatories(s: Scenario) -> list[str]:
    """The local authorities among the Parties: signatories, never Participants of a binding framework."""
    joining = unbound_participants(s)
    return [in_text(party_name(s, p.id)) for p in signatories(s) if p.kind == "local_authority" and p.id not in joining]


# What only a State can do, as the draft says it: admit to its territory, grant a stay or visas, keep its
# immigration and police officers away, allow consular teams to deploy.
STATE_POWER = re.compile(
    r"\bshall\b(?P<how>[^.;]*?)\b(admit (to its territory|its own|the nationals)|grant (them )?(promptly )?[^.;]*?"
    r"(visas|authori[sz]ation to stay)|issue[^.;]{0,40}visas|ensure that its authorities do not|allow the temporary "
    r"deployment of consular)"
)


def check_local_authority_holds_no_state_power(s: Scenario, arts: Articles) -> None:
    """A local authority Party (by name, or as the Host State) is never bound to do what only a State can do,
    unless the sentence says it acts within its competence or by request to the competent national authorities."""
    subjects = local_signatories(s)
    if authority_kind(s, s.host_state) == "local":
        subjects.append("Host State")
    bad = []
    for clause, text in arts:
        for sent in sentences(text):
            for subject in subjects:
                at = sent.find(subject)
                m = STATE_POWER.search(sent, at) if at >= 0 else None
                if m and not re.search(r"request|competen", m["how"]):
                    bad.append(f"{clause}: {sent[:200]}")
    assert not bad, bad


def check_final_provisions_match_the_signatories(s: Scenario, arts: Articles) -> None:
    """With a local authority among the Parties, entry into force is not notified only "through diplomatic
    channels" and accession is open to local or regional authorities; without one, accession does not mention them."""
    local = bool(local_signatories(s))
    for clause, text in arts:
        if clause not in ("entry_into_force", "final_provisions"):
            continue
        for sent in sentences(text):
            if local:
                assert not re.search(r"inform each other, through diplomatic channels,", sent), sent
            if re.search(r"\baccedes?\b", sent):
                assert bool(re.search(r"local or regional authority", sent)) == local, sent


def check_an_authority_is_neither_a_place_nor_a_state(s: Scenario, arts: Articles) -> None:
    """A Party entered as an authority with no place of its own (a border-crossings authority, a district
    administration) is never written as the place people are in, cross from or leave, nor called a State."""
    authorities = [text_name(p) for p in s.parties if (f := territorial(p.name, p.kind)) and not f.territory]
    if not authorities:
        return
    item = "|".join(re.escape(n) for n in authorities)
    place = re.compile(
        rf"\b(in|within|out of|affecting|left|leaving|return to|(?:cross|crossing|evacuated|departure) from) "
        rf"(?:{item})(?![\w(])"
    )
    state = re.compile(rf"(?:{item}), the State\b")
    for clause, text in arts:
        m = place.search(text) or state.search(text)
        assert not m, f"{clause}: ...{text[max(0, m.start() - 80) : m.end() + 40]}..."


def check_a_transit_state_is_crossed_on_the_way(s: Scenario, arts: Articles) -> None:
    """The States the definitions call Transit States are never the host (people come from it) nor a State every
    person moved is a national of (people return to it, directly or through the State its local authority
    belongs to)."""
    groups = [g for g in s.populations or [] if g.count]
    for clause, text in arts:
        defined = r'"Transit State" means (.*?) and any other State Party'
        m = re.search(defined, text) if clause == "definitions" else None
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


def check_at_the_border_consular_work_is_in_the_states_of_arrival(s: Scenario, arts: Articles) -> None:
    """Where the operation is at the border (outside the State people flee), the consular presence that counts and
    the cooperation on travel documents are in the States of arrival, never "in" or "with" the Host State."""
    if not territory(s).at_border:
        return
    wrong = re.compile(r"consular (presence|post) in the Host State|in cooperation with the Host State")
    for clause, text in arts:
        m = wrong.search(text)
        assert not m, f"{clause}: ...{text[max(0, m.start() - 120) : m.end() + 40]}..."


def check_states_decide_on_exit_entry_and_stay(s: Scenario, arts: Articles) -> None:
    """Exit, entry, admission and stay are decided by the competent authorities of States: a sentence that says who
    decides them never names a local authority (its State decides on its territory)."""
    locals_ = [in_text(party_name(s, p.id)) for p in s.parties if p.kind == "local_authority"]
    for clause, text in arts:
        for sent in sentences(text):
            if re.search(r"\bdecides? on [^.;]*\b(exit|entry)\b", sent):
                assert not [n for n in locals_ if n in sent], f"{clause}: {sent[:240]}"


def check_no_diplomatic_channels_to_an_authority(s: Scenario, arts: Articles) -> None:
    """A host that is a local authority or an authority in control of a territory is approached through the Lead
    Party's contacts, never "through diplomatic channels", which exist only between States."""
    if not authority_kind(s, s.host_state):
        return
    host = re.escape(in_text(party_name(s, s.host_state)))
    for clause, text in arts:
        m = re.search(rf"request {host}, through diplomatic channels", text)
        assert not m, f"{clause}: {m[0]}"


def check_local_authorities_act_within_their_competence(s: Scenario, arts: Articles) -> None:
    """The parties block says that local authority Parties act within the competences their domestic law gives
    them, request the rest of their national authorities, and do not bind their States by signing; no such
    sentence where none signs."""
    parties = dict(arts)["parties"]
    says = bool(re.search(r"within the competences that (its|their) domestic law confers", parties))
    assert says == bool(local_signatories(s)), parties[-400:]
    if says:
        assert re.search(r"not by (its|their) signature bind the State", parties)


CHECKS = (
    check_local_authorities_act_within_their_competence,
    check_local_authority_holds_no_state_power,
    check_final_provisions_match_the_signatories,
    check_an_authority_is_neither_a_place_nor_a_state,
    check_a_transit_state_is_crossed_on_the_way,
    check_at_the_border_consular_work_is_in_the_states_of_arrival,
    check_states_decide_on_exit_entry_and_stay,
    check_no_diplomatic_channels_to_an_authority,
)


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
@pytest.mark.parametrize("name", IDS)
def test_corpus(name: str, check) -> None:
    """Each check on each scenario of the corpus."""
    check(dict(CORPUS)[name], articles(name))


@st.composite
def local_scenarios(draw) -> Scenario:
    """Cross-border arrangements between local authorities facing each other across a border, each naming its State
    in brackets; the neighbour's State may sign (as the State of origin of some or all of the people) or not, an
    international organization may join; disasters or conflicts, with or without evacuation."""
    host = {
        "id": "west_district",
        "name": "Riverside District Council (Republic of Westia)",
        "kind": "local_authority",
        "crisis_roles": ["host"],
        "capacities": {"shelter": True, "transport": ["land"]},
        "constraints": {"can_sign_binding": True},
    }
    neighbour = {
        "id": "east_township",
        "name": "Eastbank Township Administration (Republic of Eastia)",
        "kind": "local_authority",
        "crisis_roles": ["transit"],
        "capacities": {"reception": True},
        "constraints": {"can_sign_binding": True},
    }
    parties = [host, neighbour]
    if draw(st.booleans()):
        parties.append(
            {
                "id": "eastia",
                "name": "Republic of Eastia",
                "kind": "state",
                "crisis_roles": ["origin"],
                "capacities": {"consular_presence": "consulate", "travel_documents": True},
            }
        )
    if draw(st.booleans()):
        parties.append(
            {
                "id": "iom",
                "name": "International Organization for Migration",
                "kind": "international_organization",
                "mandates": ["migration"],
            }
        )
    kinds = ["stateless", "other"] + (["eastia"] if parties[-1]["id"] == "eastia" or len(parties) > 3 else [])
    nationalities = draw(st.lists(st.sampled_from(kinds), min_size=1, unique=True))
    services = draw(
        st.lists(
            st.sampled_from(
                ["evacuation_transport", "reception", "onward_travel", "shelter", "cross_border_mutual_aid"]
            ),
            min_size=1,
            unique=True,
        )
    )
    doc = {
        "title": "Cross-border arrangement",
        "agreement_types": [draw(st.sampled_from(["cross_border_preparedness", "evacuation_relocation"]))],
        "crisis": {"kind": draw(st.sampled_from(["natural_hazard", "armed_conflict"])), "phase": "preparedness"},
        "host_state": "west_district",
        "transit_states": ["east_township"],
        "parties": parties,
        "populations": [{"nationality": n, "count": 500} for n in nationalities],
        "services_needed": services,
    }
    if draw(st.booleans()):
        doc["host_conditions"] = {"access_inside": draw(st.booleans()), "safe_to_stay": False}
    return parse_scenario(doc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(local_scenarios())
def test_generated_local_authority_arrangements(s: Scenario) -> None:
    """Every check on generated cross-border arrangements between local authorities."""
    arts = draft_articles(s)
    for check in CHECKS:
        check(s, arts)
