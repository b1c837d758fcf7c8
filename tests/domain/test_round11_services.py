"""Round-11 service classes (blind legal readers on unseen scenarios): every needed service has a capable, binding
provider where the operation is.

1. A binding food duty on a Party without food capacity (a State with shelter and reception only), the capable body
   a non-binding Participant: a duty to provide food goes only to a party with food capacity.
2. A service that only Participants or non-signatories provide has no binding arranger; a National Society serves
   Assembly Points in a State other than its own: the Lead Party (or the Party that runs the operation) arranges
   what Participants do not provide, and a Society of a State of arrival works on that State's territory.
3. "No Party undertakes to provide transport" although a Party has transport; the only open route out of the host
   left to nobody and no onward leg for those who take it.
4. A needed shelter with no provider at the Assembly Points in the host, a Transit State's shelter being on its own
   territory only: the article says who sources it there.
5. A National Society acting outside its State with no reference to the ICRC or the National Society there.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings

from assistant.domain.assembly import in_text, party_name
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario
from assistant.domain.services import society_state
from assistant.domain.signing import binds, signs
from assistant.domain.territory import territory
from tests.domain.corpus import corpus_scenarios
from tests.test_hostile import scenarios as generated_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def articles(name: str) -> str:
    return "\n".join(a.text for a in advice_of(name).draft.articles)


def sentences(text: str) -> list[str]:
    """The draft's sentences (a full stop followed by a space, a new line or the end)."""
    return [x for x in re.split(r"(?<=\.)(?:\s+|$)", text) if x]


def text_names(name: str) -> dict[str, str]:
    s = SCENARIOS[name]
    return {p.id: in_text(party_name(s, p.id)) for p in s.parties}


@pytest.mark.parametrize("name", IDS)
def test_a_food_duty_binds_only_a_party_with_food_capacity(name):
    s = SCENARIOS[name]
    holders = food_duty_holders(s, articles(name))
    if not holders:
        pytest.skip("no food duty")
    for pid in holders:
        p = s.party(pid)
        assert p.capacities, pid
        assert p.capacities.food, pid


def food_duty_holders(s, text: str) -> list[str]:
    """The parties a sentence of the articles binds to provide food ("Food ... shall be provided by A and B")."""
    names = {p.id: in_text(party_name(s, p.id)) for p in s.parties}
    duties = [
        m[1]
        for x in sentences(text)
        if (
            m := re.search(
                r"\b(?:[Ff]ood|[Ss]helter and food|[Ss]helter, food and water)\b[^;.]* shall be provided "
                r"by ([^;]+)",
                x,
            )
        )
    ]
    return [p.id for p in s.parties for providers in duties if names[p.id] in providers]


def loose_services(text: str) -> list[str]:
    """The sentences of a binding instrument in which only bodies that are not bound provide a service, with no
    Party to arrange it where they do not ("X will be provided by Y.")."""
    if " shall " not in text:
        return []  # a memorandum: nothing binds
    return [
        x
        for x in sentences(text)
        if " will be provided by " in x and not re.search(r"; .+ shall arrange (?:it|them) to the extent", x)
    ]


@pytest.mark.parametrize("name", IDS)
def test_a_service_only_unbound_bodies_provide_has_a_binding_arranger(name):
    assert not loose_services(articles(name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_generated_food_duties_and_unbound_providers(data):
    """Generated scenarios (plain distinct names, as test_draft_check): food binds only a party with food capacity,
    and a service that only unbound bodies provide has a Party to arrange it."""
    for i, party in enumerate(data["parties"]):
        party["name"] = f"Party{chr(65 + i)} Association" if party["kind"] != "state" else f"Republic of P{chr(65 + i)}"
    s = parse_scenario(data)
    text = "\n".join(a.text for a in evaluate(s).draft.articles)
    for pid in food_duty_holders(s, text):
        p = s.party(pid)
        assert p.capacities, pid
        assert p.capacities.food, pid
    assert not loose_services(text)


@pytest.mark.parametrize("name", IDS)
def test_a_national_society_serves_assembly_points_only_in_its_own_state(name):
    s = SCENARIOS[name]
    where = territory(s)
    if where.at_border or not where.arrival:
        pytest.skip("Assembly Points in a State of arrival, or no State of arrival")
    # the proper name of each State of arrival, without the organ named in brackets ("Republic of Tunara (Army)")
    arrival = [re.sub(r"\s*\(.*\)", "", p.name).rsplit(" of ", 1)[-1] for a in where.arrival if (p := s.party(a))]
    societies = [
        text_names(name)[p.id]
        for p in s.parties
        if p.kind == "national_society" and any(w.startswith(a) for a in arrival for w in p.name.split())
    ]
    if not societies:
        pytest.skip("no National Society of a State of arrival")
    for x in sentences(articles(name)):
        if "at Assembly Points" in x and " provided by " in x:
            assert not any(ns in x for ns in societies), x


@pytest.mark.parametrize("name", IDS)
def test_a_national_society_abroad_acts_with_the_icrc_and_the_society_there(name):
    s, advice = SCENARIOS[name], advice_of(name)
    operating = {o.state for o in territory(s).operations if o.id != "return"}
    abroad = [
        p.id
        for p in s.parties
        if any(r.party == p.id for r in advice.roles) and (st := society_state(s, p.id)) and st not in operating
    ]
    if not abroad:
        pytest.skip("no National Society acting outside its State")
    text = articles(name)
    for pid in abroad:
        assert re.search(
            re.escape(text_names(name)[pid])
            + r"[^.]* act outside the territory of [^.]*International Committee of the "
            r"Red Cross and with the National Society of the State where",
            text,
            re.IGNORECASE,
        ), pid


@pytest.mark.parametrize("name", IDS)
def test_no_party_undertakes_transport_only_where_no_bound_party_has_transport(name):
    s = SCENARIOS[name]
    text = articles(name)
    if "No Party undertakes to provide transport." not in text:
        pytest.skip("some Party provides transport")
    fled = territory(s).fled_state
    carriers = [
        p.id
        for p in s.parties
        if p.capacities and p.capacities.transport and binds(p) and signs(s, p.id) and p.id != fled
    ]
    assert not carriers, carriers


@pytest.mark.parametrize("name", IDS)
def test_those_evacuated_by_a_route_left_to_nobody_are_carried_onward(name):
    s = SCENARIOS[name]
    routes = s.host_conditions.routes if s.host_conditions else None
    text = articles(name)
    gaps = re.findall(r"Where transport for Evacuation is needed by (\w+)[^.]*, which no Party provides", text)
    if not any(getattr(routes, g, None) == "open" for g in gaps):
        pytest.skip("no open route left to nobody")
    transport = next(
        x
        for x in sentences(text)
        if x.startswith("3. Transport shall be provided") or "Transport shall be provided for" in x
    )
    if "for onward travel" in transport:
        pytest.skip("a Party provides onward travel")
    assert re.search(r"shall carry the Migrants so evacuated onward from the State into which they cross", text)


@pytest.mark.parametrize("name", IDS)
def test_needed_shelter_at_assembly_points_in_the_host_has_a_provider_or_a_sourcer(name):
    s = SCENARIOS[name]
    where = territory(s)
    text = articles(name)
    if "shelter" not in (s.services_needed or []) or where.at_border or "At each Assembly Point" not in text:
        pytest.skip("no shelter needed at Assembly Points in the host")
    assert re.search(r"[Ss]helter(?:, food and water)? at Assembly Points", text), "no one shelters people there"
