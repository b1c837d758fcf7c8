"""Where each operation takes place (issue 12, item 2; README "Where each operation takes place").

Unit tests on small scenarios built here (a border screening-and-referral arrangement, an evacuation through a
transit State, in-country relocation in a flood, a State's repatriation scheme), then invariants over every
shipped example, every training scenario and generated scenarios: no relocation or shelter offered in the State
people flee when the operation is at the border, outside it; when the evacuation departs from inside a host people
flee, relocation there pending evacuation never denied and never for people who seek protection from it; a transit
State's duties on its own territory, definitions that name the territory of the operation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from assistant.domain.advice import Advice
from assistant.domain.assembly import in_text, party_name
from assistant.domain.evaluate import evaluate
from assistant.domain.facts import scenario_facts
from assistant.domain.names import territorial, territorial_references
from assistant.domain.scenario import Scenario, load_scenario, parse_scenario
from assistant.domain.signing import signs
from assistant.domain.territory import territory
from assistant.domain.wording import non_binding
from tests.helpers import EXAMPLES
from tests.test_hostile import scenarios as generated_scenarios

ROOT = Path(__file__).resolve().parents[2]
TRAINING = sorted((ROOT / "training").glob("*.yaml"))

UNHCR = {
    "id": "unhcr",
    "name": "Office of the United Nations High Commissioner for Refugees",
    "kind": "international_organization",
    "mandates": ["refugee_protection"],
    "constraints": {"privileges_and_immunities": True},
}
IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
    "capacities": {"transport": ["air", "land"], "reception": True},
}


def border_referral(host_party: dict | None = None) -> Scenario:
    """People flee the Republic of Varinia (armed conflict) into the Republic of Poldana, where they are
    screened and referred; Varinia is listed among the parties."""
    return parse_scenario(
        {
            "title": "Screening and referral at the Varinia–Poldana crossings",
            "agreement_types": ["protection_referral"],
            "crisis": {"kind": "armed_conflict", "phase": "emergency_response"},
            "host_state": "varinia",
            "transit_states": ["poldana"],
            "parties": [
                host_party
                or {"id": "varinia", "name": "Republic of Varinia", "kind": "state", "crisis_roles": ["host"]},
                {
                    "id": "poldana",
                    "name": "Republic of Poldana",
                    "kind": "state",
                    "crisis_roles": ["transit"],
                    "capacities": {"reception": True, "shelter": True, "food": True},
                    "constraints": {"can_sign_binding": True},
                },
                UNHCR,
                {
                    "id": "poldana_rc",
                    "name": "Poldana Red Cross",
                    "kind": "national_society",
                    "mandates": ["family_tracing"],
                    "capacities": {"shelter": True},
                },
            ],
            "populations": [
                {
                    "nationality": "other",
                    "count": 20000,
                    "vulnerabilities": {"refugees_or_asylum_seekers": 15000, "fear_of_return": 3000},
                },
            ],
            "services_needed": ["protection_referral", "reception", "shelter", "food", "family_tracing"],
            "data": {"personal_data_shared": True},
        }
    )


def evacuation_through_transit() -> Scenario:
    """An evacuation by sea from the Republic of Zelvara (armed conflict) through the Republic of Ostrevia."""
    return parse_scenario(
        {
            "title": "Evacuation from Zelvara through Ostrevia",
            "agreement_types": ["evacuation_relocation"],
            "crisis": {"kind": "armed_conflict", "phase": "mandatory_evacuation"},
            "host_state": "zelvara",
            "transit_states": ["ostrevia"],
            "host_conditions": {"routes": {"air": "closed", "sea": "open", "land": "uncertain"}},
            "parties": [
                {"id": "zelvara", "name": "Republic of Zelvara", "kind": "state", "crisis_roles": ["host"]},
                {
                    "id": "ostrevia",
                    "name": "Republic of Ostrevia",
                    "kind": "state",
                    "crisis_roles": ["transit"],
                    "capacities": {"reception": True, "shelter": True, "food": True},
                },
                {
                    "id": "marundi",
                    "name": "Republic of Marundi",
                    "kind": "state",
                    "crisis_roles": ["origin"],
                    "capacities": {"consular_presence": "embassy", "travel_documents": True},
                },
                IOM,
                {
                    "id": "harbour",
                    "name": "Harbour Relief Shelters Network",
                    "kind": "ngo",
                    "capacities": {"shelter": True, "food": True},
                },
            ],
            "populations": [{"nationality": "marundi", "count": 5000}],
            "services_needed": ["evacuation_transport", "shelter", "food", "reception", "onward_travel"],
        }
    )


def flood_relocation() -> Scenario:
    """A flood in the Republic of Tamaris: migrants relocate to safer areas inside the country."""
    return parse_scenario(
        {
            "title": "Relocation of migrant workers in the Tamaris floods",
            "agreement_types": ["evacuation_relocation", "service_prearrangement"],
            "crisis": {"kind": "natural_hazard", "hazard": "flood", "phase": "emergency_response"},
            "host_state": "tamaris",
            "parties": [
                {
                    "id": "tamaris",
                    "name": "Kingdom of Tamaris",
                    "kind": "state",
                    "crisis_roles": ["host"],
                    "mandates": ["civil_protection"],
                    "capacities": {"shelter": True, "transport": ["land"]},
                },
                {
                    "id": "kesh",
                    "name": "Republic of Kesh",
                    "kind": "state",
                    "crisis_roles": ["origin"],
                    "capacities": {"consular_presence": "embassy"},
                },
                IOM,
            ],
            "populations": [{"nationality": "kesh", "count": 12000}],
            "services_needed": ["relocation_in_country", "shelter", "food", "information_to_migrants"],
        }
    )


def repatriation_scheme() -> Scenario:
    """The Republic of Palumaya's own standing scheme to repatriate its workers from the Republic of Qasrane."""
    return parse_scenario(
        {
            "title": "Palumaya standing repatriation scheme for its workers in Qasrane",
            "agreement_types": ["evacuation_relocation", "cost_sharing_framework"],
            "crisis": {"kind": "civil_unrest", "phase": "preparedness"},
            "host_state": "qasrane",
            "parties": [
                {
                    "id": "palumaya",
                    "name": "Republic of Palumaya",
                    "kind": "state",
                    "crisis_roles": ["origin"],
                    "capacities": {
                        "consular_presence": "embassy",
                        "transport": ["air"],
                        "travel_documents": True,
                        "bridging_fund": True,
                    },
                },
                {"id": "qasrane", "name": "Republic of Qasrane", "kind": "state", "crisis_roles": ["host"]},
                IOM,
            ],
            "populations": [{"nationality": "palumaya", "count": 30000, "sectors": ["domestic_work"]}],
            "services_needed": ["evacuation_transport", "travel_documents", "information_to_migrants"],
        }
    )


def _article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def _ops(s: Scenario) -> set[tuple[str, str]]:
    return {(o.id, o.state) for o in territory(s).operations}


# ---------------------------------------------------------------- the derivation


def test_a_border_referral_takes_place_in_the_state_of_arrival():
    s = border_referral()
    where = territory(s)
    assert where.host_fled
    assert where.at_border
    assert where.arrival == ("poldana",)
    assert where.fled_state == "varinia"
    assert not where.host_by_choice
    assert {("reception", "poldana"), ("screening_referral", "poldana"), ("relocation", "poldana")} <= _ops(s)
    assert not [o for o in where.operations if o.state == "varinia"]


def test_an_evacuation_departs_from_the_host_and_is_received_in_the_transit_state():
    s = evacuation_through_transit()
    where = territory(s)
    assert where.host_fled
    assert not where.at_border
    assert {("evacuation", "zelvara"), ("reception", "ostrevia"), ("onward_travel", "ostrevia")} <= _ops(s)
    assert ("return", "marundi") in _ops(s)
    # The evacuation departs from inside the host State: Migrants are moved there, with their consent, to safer
    # areas and Assembly Points pending evacuation (relocation outside the State people flee only at the border).
    assert where.states_of("relocation") == ["zelvara"]


def test_in_country_relocation_where_staying_is_safe():
    s = flood_relocation()
    where = territory(s)
    assert not where.host_fled
    assert not where.at_border
    assert where.states_of("relocation") == ["tamaris"]


def test_a_states_repatriation_scheme_returns_people_to_that_state():
    s = repatriation_scheme()
    assert {("evacuation", "qasrane"), ("return", "palumaya")} <= _ops(s)
    assert not territory(s).at_border


def test_the_optional_contract_keys_override_the_derivation():
    data = evacuation_through_transit().to_dict()
    data["host_conditions"]["access_inside"] = False
    assert territory(parse_scenario(data)).at_border
    data["host_conditions"] |= {"safe_to_stay": True, "access_inside": True}
    where = territory(parse_scenario(data))
    assert not where.host_fled
    assert where.states_of("relocation") == ["zelvara"]


def test_operation_facts_and_party_fields():
    facts = scenario_facts(border_referral())
    ops = [f for f in facts if f["type"] == "operation"]
    assert ops
    assert all(f["at_border"] and f["host_fled"] for f in ops)
    assert all(f["state"] == "poldana" and f["in_transit"] for f in ops if f["item"] != "return")
    host = next(f for f in facts if f["type"] == "party" and f["id"] == "varinia")
    assert host["fled_state"] is True
    assert "participates" not in host


# ---------------------------------------------------------------- the advice and the draft


def test_border_referral_draft_is_written_for_the_state_of_arrival():
    host = {"id": "varinia", "name": "Republic of Varinia", "kind": "state", "crisis_roles": ["host"]}
    assert not [r for r in evaluate(border_referral(host)).roles if r.party == "varinia"], (
        "bringing nothing of its own, the State people flee takes part without signing and holds no role"
    )
    advice = evaluate(border_referral(host | {"signatory": True}))
    roles = {(r.role, r.party) for r in advice.roles}
    assert ("host_liaison", "varinia") in roles, "marked as signing, the State people flee is a Party"
    assert not [
        r for r in advice.roles if r.party == "varinia" and r.role in ("logistics_provider", "transport_provider")
    ]
    assert ("logistics_provider", "poldana") in roles
    assert {(o.id, o.state) for o in advice.operations} >= {("reception", "poldana")}
    definitions = _article(advice, "definitions")
    assert "into the territory of the Republic of Poldana" in definitions
    assert "present in its territory" not in definitions
    text = "\n".join(a.text for a in advice.draft.articles)
    assert "Relocation within the Republic of Varinia" not in text
    assert "safer location within the territory of the Republic of Varinia" not in text
    assert "present in the territory of the Republic of Varinia" not in text
    facilitation = next((c for c in advice.clauses if c.id == "host_state_facilitation"), None)
    assert facilitation is not None
    assert facilitation.variant == "fled_host", "a Party is bound on its own territory, not requested"


def test_a_fled_host_that_participates_by_its_own_choice_is_liaison():
    host = {
        "id": "varinia",
        "name": "Republic of Varinia",
        "kind": "state",
        "crisis_roles": ["host"],
        "mandates": ["civil_protection"],
        "capacities": {"shelter": True},
        "constraints": {"can_sign_binding": True},
    }
    advice = evaluate(border_referral(host))
    roles = {(r.role, r.party) for r in advice.roles}
    assert ("host_liaison", "varinia") in roles
    assert ("logistics_provider", "varinia") not in roles, "its shelters are in the State people flee"
    facilitation = next(c for c in advice.clauses if c.id == "host_state_facilitation")
    assert facilitation.variant == "fled_host"


def test_a_transit_states_shelter_is_on_its_own_territory():
    advice = evaluate(evacuation_through_transit())
    operations = _article(advice, "operations")
    at_points = " ".join(x for x in operations.split(". ") if re.match(r"(Shelter|Food)\b[^.]* at Assembly Points", x))
    assert "the Harbour Relief Shelters Network" in at_points
    assert "Ostrevia" not in at_points
    assert "The Republic of Ostrevia shall provide shelter, food and water on its own territory" in operations
    assert "on its own territory" in _article(advice, "transit_reception")
    assert ("host_liaison", "zelvara") in {(r.role, r.party) for r in advice.roles}


def test_flood_relocation_stays_inside_the_host():
    advice = evaluate(flood_relocation())
    assert "safer location within the territory of the Kingdom of Tamaris" in _article(advice, "definitions")


# ---------------------------------------------------------------- invariants


def territory_problems(s: Scenario, advice: Advice) -> list[str]:
    """What the draft must never say about the territory of its operations."""
    where = territory(s)
    name = lambda pid: in_text(party_name(s, pid))  # noqa: E731
    text = "\n\n".join(a.text for a in advice.draft.articles)
    problems = []
    host = name(where.host)
    if where.at_border:
        for offer in (
            f"Relocation within {host}",
            f"safer areas within the territory of {host}",
            f"safer areas and Assembly Points within the territory of {host}",
            f"safer location within the territory of {host}",
        ):
            if offer in text:
                problems.append(f"relocation offered in the State people flee: {offer!r}")
    elif where.host_fled and where.host in where.states_of("relocation"):
        # The evacuation departs from inside the host State: relocation there pending evacuation is offered,
        # never denied, and never to the host State's own nationals or anyone who seeks protection from it.
        for denial in (f"be relocated within, {host}", f"does not include any movement within {host}"):
            if denial in text:
                problems.append(f"relocation denied inside the host the evacuation departs from: {denial!r}")
        places = {in_text(party_name(s, p.id)): territorial(p.name, p.kind) for p in s.parties}
        phrase = territorial_references(  # an authority has no nationals of its own: as names.territorial_references
            f"national of {host} who seeks international protection from it, and no other person who fears "
            "persecution by its authorities, shall be relocated within its territory",
            places,
        )
        closed = (phrase, non_binding(phrase))  # a memorandum words it "will" (wording.non_binding)
        if advice.draft.articles and _article(advice, "non_refoulement") and not any(c in text for c in closed):
            problems.append("relocation inside the host is not closed to people who seek protection from it")
    if where.at_border:
        held = {r.role for r in advice.roles if r.party == where.host}
        if "logistics_provider" in held:
            problems.append("shelter duties for the State people flee")
        facilitation = _article(advice, "host_state_facilitation")
        if signs(s, where.host) and f"request {host}" in facilitation:
            problems.append("the State people flee, a Party, is requested instead of bound")
        if not signs(s, where.host) and re.search(rf"{re.escape(host)}[^.]{{0,40}}\bshall\b", facilitation):
            problems.append("the State people flee takes part without signing but is bound")
        if f"present in the territory of {host}" in text or "present in its territory" in text:
            problems.append("the scope or definitions cover people present in the State they flee")
        definitions = _article(advice, "definitions")
        arrival = name(where.arrival[0])
        places = {in_text(party_name(s, p.id)): territorial(p.name, p.kind) for p in s.parties}
        into = territorial_references(f"into the territory of {arrival}", places)  # no authority's own territory
        if definitions and into not in definitions:
            problems.append("the definitions do not name the territory of the State of arrival")
        if "competent authorities of the Host State, designate Assembly Points" in _article(advice, "operations"):
            problems.append("Assembly Points designated in the State people flee")
    else:
        definitions = _article(advice, "definitions")
        # an authority has no nationals of its own: the phrase as names.territorial_references writes it
        places = {in_text(party_name(s, p.id)): territorial(p.name, p.kind) for p in s.parties}
        migrant = territorial_references(f"not a national of {host} and who is present in its territory", places)
        # an instrument for the nationals of named States defines them as present in the host's territory
        scheme = territorial_references(f"who is present in the territory of {host} during a Crisis", places)
        if definitions and migrant not in definitions and scheme not in definitions:
            problems.append("the definitions do not name the host State's territory")
    operations = _article(advice, "operations")
    at_points = " ".join(
        x
        for x in operations.split(". ")
        if x.startswith(("Shelter, food and water at Assembly", "Shelter at Assembly", "Food and water at Assembly"))
    )
    for state in where.arrival:
        if name(state) in at_points:
            problems.append(f"a transit State ({name(state)}) has shelter duties at Assembly Points")
    reception = _article(advice, "transit_reception")
    if reception and "on its territory" not in reception and "on its own territory" not in reception:
        problems.append("the transit State's reception duties are not on its own territory")
    return problems


def _training(path: Path) -> Scenario:
    return parse_scenario(yaml.safe_load(path.read_text(encoding="utf-8"))["scenario"])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_shipped_examples_keep_to_the_territory_of_their_operations(example):
    s = load_scenario(example)
    assert territory_problems(s, evaluate(s)) == []


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: p.stem)
def test_training_scenarios_keep_to_the_territory_of_their_operations(path):
    s = _training(path)
    assert territory_problems(s, evaluate(s)) == []


@pytest.mark.parametrize(
    "build",
    [border_referral, evacuation_through_transit, flood_relocation, repatriation_scheme],
    ids=lambda f: f.__name__,
)
def test_unit_scenarios_keep_to_the_territory_of_their_operations(build):
    s = build()
    assert territory_problems(s, evaluate(s)) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_generated_scenarios_keep_to_the_territory_of_their_operations(data):
    # Names are made distinct, so that one party's name never reads as part of another's.
    for i, party in enumerate(data["parties"]):
        party["name"] = f"Republic of Party{chr(65 + i)}"
    s = parse_scenario(data)
    assert territory_problems(s, evaluate(s)) == []
