"""Relocation and the territory of the operation (lawyers' review: "Relocation" defined as movement outside the
host State and "shall not be relocated within" it, beside an alert phase that "arranges Relocation to safer
areas").

The rule (README, "Where each operation takes place"; MICIC Guidelines 10, 13; Lebanon 2006, Libya 2011, Sudan
2023): when the evacuation departs from inside the host State, Migrants who are not its nationals may be moved,
with their informed consent, to safer areas and Assembly Points inside it pending Evacuation. Nothing offers
relocation or shelter inside the State people flee when the operation is outside it, at the border. The host's
own nationals who seek protection, and anyone who seeks protection from the host State, are never relocated
within it.
"""

from __future__ import annotations

import copy

from assistant.domain.advice import Advice
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario, parse_scenario
from assistant.domain.territory import territory

HOST = {"id": "varinia", "name": "Republic of Varinia", "kind": "state", "crisis_roles": ["host"]}
TRANSIT = {
    "id": "poldana",
    "name": "Republic of Poldana",
    "kind": "state",
    "crisis_roles": ["transit"],
    "capacities": {"reception": True, "shelter": True, "food": True},
    "constraints": {"can_sign_binding": True},
}
ORIGIN = {
    "id": "marundi",
    "name": "Republic of Marundi",
    "kind": "state",
    "crisis_roles": ["origin"],
    "capacities": {"consular_presence": "embassy", "travel_documents": True},
}
IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
    "capacities": {"transport": ["air", "land", "sea"], "reception": True},
}
UNHCR = {
    "id": "unhcr",
    "name": "Office of the United Nations High Commissioner for Refugees",
    "kind": "international_organization",
    "mandates": ["refugee_protection"],
}
SHELTERS = {
    "id": "harbour",
    "name": "Harbour Relief Shelters Network",
    "kind": "ngo",
    "capacities": {"shelter": True, "food": True},
}

VARINIA = "the Republic of Varinia"


def departure_from_inside(**over) -> dict:
    """Armed conflict in Varinia, the airport closed: the Parties collect Migrants inside Varinia, move them to
    safer areas and Assembly Points, and evacuate them by sea and by convoy through Poldana. Some of Varinia's
    own nationals flee too and seek protection."""
    data = {
        "title": "Evacuation of migrants from Varinia",
        "agreement_types": ["evacuation_relocation"],
        "crisis": {"kind": "armed_conflict", "phase": "mandatory_evacuation"},
        "host_state": "varinia",
        "transit_states": ["poldana"],
        "host_conditions": {"routes": {"air": "closed", "sea": "open", "land": "open"}},
        "parties": [
            copy.deepcopy(HOST),
            copy.deepcopy(TRANSIT),
            copy.deepcopy(ORIGIN),
            copy.deepcopy(IOM),
            copy.deepcopy(UNHCR),
            copy.deepcopy(SHELTERS),
        ],
        "populations": [
            {"nationality": "marundi", "count": 6000, "vulnerabilities": {"fear_of_return": 150}},
            {"nationality": "other", "count": 900},
            {"nationality": "varinia", "count": 700, "vulnerabilities": {"refugees_or_asylum_seekers": 700}},
        ],
        "services_needed": ["evacuation_transport", "shelter", "food", "reception", "onward_travel"],
    }
    data.update(over)
    return data


def border_reception(**over) -> dict:
    """Reception, screening and referral at the Poldana crossings of people fleeing Varinia: nothing moves
    inside Varinia."""
    data = departure_from_inside(
        title="Reception at the Varinia–Poldana crossings",
        agreement_types=["protection_referral", "evacuation_relocation"],
        services_needed=["reception", "shelter", "food", "protection_referral", "onward_travel"],
        host_conditions={"routes": {"air": "closed", "sea": "closed", "land": "open"}},
    )
    data.update(over)
    return data


def _advice(data: dict) -> tuple[Scenario, Advice]:
    s = parse_scenario(data)
    return s, evaluate(s)


def _article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def _paragraph(text: str, n: int) -> str:
    return next((p for p in text.split("\n\n") if p.startswith(f"{n}. ")), "")


def _relocation_definition(advice: Advice) -> str:
    definitions = _article(advice, "definitions")
    start = definitions.index('"Relocation" means')
    return definitions[start : definitions.index('"Evacuation" means', start)]


def _all_text(advice: Advice) -> str:
    return "\n\n".join(a.text for a in advice.draft.articles)


# ---------------------------------------------------------------- an evacuation departing from inside the host


def test_relocation_takes_place_inside_a_host_the_evacuation_departs_from():
    where = territory(parse_scenario(departure_from_inside()))
    assert where.host_fled
    assert not where.at_border
    assert where.states_of("evacuation") == ["varinia"]
    assert "varinia" in where.states_of("relocation"), "safer areas and Assembly Points inside the host"
    inside = next(o for o in where.operations if o.id == "relocation" and o.state == "varinia")
    assert "informed consent" in inside.basis
    assert "pending evacuation" in inside.basis


def test_the_definition_moves_people_to_safer_areas_inside_the_host_pending_evacuation():
    _, advice = _advice(departure_from_inside())
    relocation = _relocation_definition(advice)
    assert f"to safer areas and Assembly Points within the territory of {VARINIA} pending their Evacuation" in (
        relocation
    )
    assert "with their informed consent" in relocation
    assert "does not include any movement within" not in relocation
    assert "safer location outside" not in relocation


def test_operations_relocate_pending_evacuation_and_never_forbid_it():
    _, advice = _advice(departure_from_inside())
    first = _paragraph(_article(advice, "operations"), 1)
    assert f"be relocated within, {VARINIA}" not in first
    assert "Pending Evacuation, the Parties may, with the informed consent of the Migrants concerned, arrange " in first
    assert f"Relocation to safer areas and Assembly Points within the territory of {VARINIA}" in first
    assert f"No Migrant shall be required to remain in {VARINIA}" in first


def test_the_alert_phase_uses_relocation_as_defined():
    _, advice = _advice(departure_from_inside())
    phases = _paragraph(_article(advice, "activation"), 1)
    assert "(c) a voluntary departure phase, in which the Parties arrange Relocation to safer areas" in phases
    text = _all_text(advice)
    for denial in (
        f"does not include any movement within {VARINIA}",
        f"be relocated within, {VARINIA}",
        f"relocated within {VARINIA}, which he or she is leaving",
    ):
        assert denial not in text, denial


def test_non_refoulement_offers_relocation_inside_the_host_except_from_the_state_feared():
    _, advice = _advice(departure_from_inside())
    second = _paragraph(_article(advice, "non_refoulement"), 2)
    assert f"Relocation within {VARINIA}" in second
    assert (
        f"No national of {VARINIA} who seeks international protection from it, and no other person who fears "
        "persecution by its authorities, shall be relocated within its territory" in second
    )
    scope = _article(advice, "scope")
    if scope:
        assert f"within the territory of {VARINIA}, for assistance and Relocation pending Evacuation" in scope


def test_a_sea_evacuation_with_the_airport_closed_also_relocates_inside():
    data = departure_from_inside(host_conditions={"routes": {"air": "closed", "sea": "open", "land": "closed"}})
    data["populations"] = [g for g in data["populations"] if g["nationality"] != "varinia"]
    s, advice = _advice(data)
    assert territory(s).states_of("relocation")[:1] == ["varinia"]
    assert "pending their Evacuation" in _relocation_definition(advice)
    assert "national of the Republic of Varinia" not in _relocation_definition(advice)


# ---------------------------------------------------------------- the host's own nationals


def test_the_hosts_own_nationals_are_never_relocated_within_it():
    s, advice = _advice(departure_from_inside())
    inside = next(o for o in territory(s).operations if o.id == "relocation" and o.state == "varinia")
    assert inside.excludes == ("varinia",)
    relocation = _relocation_definition(advice)
    assert "shall be relocated" not in relocation  # a definition only defines: the rule is in the articles
    assert f"No national of {VARINIA} who seeks international protection from it" in _article(advice, "non_refoulement")
    first = _paragraph(_article(advice, "operations"), 1)
    assert f"no national of {VARINIA} who seeks international protection" in first
    # When only its own nationals flee, nobody is relocated within the host State.
    data = departure_from_inside()
    data["populations"] = [g for g in data["populations"] if g["nationality"] == "varinia"]
    where = territory(parse_scenario(data))
    assert not where.at_border
    assert "varinia" not in where.states_of("relocation")


# ---------------------------------------------------------------- a border operation


def test_a_border_operation_offers_no_relocation_or_shelter_in_the_fled_state():
    s, advice = _advice(border_reception())
    where = territory(s)
    assert where.at_border
    assert where.states_of("relocation") == ["poldana"]
    assert not [o for o in where.operations if o.state == "varinia"]
    first = _paragraph(_article(advice, "operations"), 1)
    assert f"No Party shall offer Relocation or shelter within the territory of {VARINIA}" in first
    relocation = _relocation_definition(advice)
    assert "within the territory of the Republic of Poldana, away from the border" in relocation
    text = _all_text(advice)
    assert f"safer areas and Assembly Points within the territory of {VARINIA}" not in text
    assert f"Relocation within {VARINIA}" not in text
    phases = _paragraph(_article(advice, "activation"), 1)
    if phases:
        assert "arrange Relocation to safer areas and urge" not in phases
        assert "their Relocation away from the border" in phases
