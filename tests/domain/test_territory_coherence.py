"""Territory coherence of the draft (lawyers' review of 25 drafts, territory classes 1-5).

1. Admission "whether or not they hold travel documents" and a stay in the transit State that is never
   conditional on documents for people who hold none or who seek protection.
2. Onward travel to the State of nationality only for people who do not seek protection and consent; nationals of
   the State people flee are covered, and not returned to it during the Crisis.
3. Duties of Transit States bind Transit States that are Parties; other States are requested. The admission
   duty at borders binds only States at whose borders people arrive in the operation.
4. A fled host State listed among the parties is a Party: its duties on its own territory are obligations, not
   requests.
5. An evacuation that needs transport, with only the land route open, departs from inside the host State; only
   an arrangement needing no movement inside it is a border operation.
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
    "capacities": {"transport": ["air", "land"], "reception": True},
}
UNHCR = {
    "id": "unhcr",
    "name": "Office of the United Nations High Commissioner for Refugees",
    "kind": "international_organization",
    "mandates": ["refugee_protection"],
}


def convoy(**over) -> dict:
    """Convoys collect migrants inside the Republic of Varinia (armed conflict, only the land route open) and
    carry them into the Republic of Poldana, from where they travel on; Varinia's own nationals flee too."""
    data = {
        "title": "Evacuation convoys from Varinia through Poldana",
        "agreement_types": ["evacuation_relocation"],
        "crisis": {"kind": "armed_conflict", "phase": "mandatory_evacuation"},
        "host_state": "varinia",
        "transit_states": ["poldana"],
        "host_conditions": {"routes": {"air": "closed", "sea": "closed", "land": "open"}},
        "parties": [copy.deepcopy(HOST), copy.deepcopy(TRANSIT), copy.deepcopy(ORIGIN), IOM, UNHCR],
        "populations": [
            {"nationality": "marundi", "count": 4000, "vulnerabilities": {"fear_of_return": 200}},
            {"nationality": "varinia", "count": 1500, "vulnerabilities": {"refugees_or_asylum_seekers": 1500}},
            {"nationality": "other", "count": 800, "vulnerabilities": {"refugees_or_asylum_seekers": 300}},
        ],
        "services_needed": ["evacuation_transport", "reception", "shelter", "food", "onward_travel"],
    }
    data.update(over)
    return data


def border_reception(**over) -> dict:
    """Reception and referral at the Poldana crossings of people fleeing Varinia, which is listed and brings
    nothing of its own."""
    data = convoy(
        title="Reception at the Varinia–Poldana crossings",
        agreement_types=["protection_referral", "evacuation_relocation"],
        services_needed=["reception", "shelter", "food", "protection_referral", "onward_travel"],
    )
    data.update(over)
    return data


def air_repatriation() -> dict:
    """A flood in the Kingdom of Tamaris: Marundi flies its nationals home; nobody crosses a land border."""
    return {
        "title": "Repatriation by air from Tamaris",
        "agreement_types": ["evacuation_relocation"],
        "crisis": {"kind": "natural_hazard", "hazard": "flood", "phase": "emergency_response"},
        "host_state": "tamaris",
        "parties": [
            {"id": "tamaris", "name": "Kingdom of Tamaris", "kind": "state", "crisis_roles": ["host"]},
            copy.deepcopy(ORIGIN) | {"capacities": {"consular_presence": "embassy", "transport": ["air"]}},
            {"id": "kesh", "name": "Republic of Kesh", "kind": "state", "crisis_roles": ["origin"]},
            IOM,
        ],
        "populations": [{"nationality": "marundi", "count": 3000}, {"nationality": "kesh", "count": 2000}],
        "services_needed": ["evacuation_transport", "information_to_migrants"],
    }


def _advice(data: dict) -> tuple[Scenario, Advice]:
    s = parse_scenario(data)
    return s, evaluate(s)


def _article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def _paragraph(text: str, n: int) -> str:
    return next((p for p in text.split("\n\n") if p.startswith(f"{n}. ")), "")


# ---------------------------------------------------------------- 5. where the evacuation departs


def test_a_convoy_collecting_people_inside_the_host_departs_from_the_host():
    where = territory(parse_scenario(convoy()))
    assert where.host_fled
    assert not where.at_border, "evacuation transport is needed: the convoys depart from inside the host"
    assert where.states_of("evacuation") == ["varinia"]
    assert where.states_of("reception") == ["poldana"]
    # Departing from inside, Migrants who are not nationals of Varinia are relocated there, with their consent,
    # to safer areas and Assembly Points pending evacuation; Varinia's own nationals never are.
    assert where.states_of("relocation") == ["varinia"]
    assert next(o for o in where.operations if o.id == "relocation").excludes == ("varinia",)


def test_a_reception_and_referral_arrangement_with_only_land_open_is_at_the_border():
    where = territory(parse_scenario(border_reception()))
    assert where.at_border
    assert not [o for o in where.operations if o.state == "varinia"]


def test_an_intended_evacuation_without_listed_services_and_only_land_open_stays_at_the_border():
    where = territory(parse_scenario(convoy(services_needed=[])))
    assert where.at_border


# ---------------------------------------------------------------- 1. admission without documents


def test_transit_stay_is_not_conditional_on_documents():
    _, advice = _advice(convoy())
    admission = _paragraph(_article(advice, "transit_reception"), 1)
    assert "whether or not they hold travel documents" in admission
    assert "who holds none, pending his or her identification and the issue of such a document" in admission
    assert "shall not be conditional on any travel document for a person who seeks international protection" in (
        admission
    )
    assert "whether or not they hold travel documents" in _article(advice, "non_discrimination")


# ---------------------------------------------------------------- 2. onward travel of protected people


def test_onward_travel_to_the_state_of_nationality_only_with_consent_and_without_a_protection_claim():
    _, advice = _advice(convoy())
    onward = _paragraph(_article(advice, "transit_reception"), 4)
    assert "Each State of nationality shall arrange" not in onward
    assert "Each State of nationality that is a Party shall arrange" in onward
    assert "who do not seek international protection and who consent" in onward
    assert "shall not be arranged for a Migrant who seeks international protection" in onward
    assert "fears return to that State" in onward
    assert "Nationals of the Republic of Varinia who have left it on account of the Crisis" in onward


def test_the_host_states_own_nationals_are_covered_by_the_definition():
    _, advice = _advice(convoy())
    definitions = _article(advice, "definitions")
    # covered while still in the host State, not only once he or she has left it (round 11, kabul2021)
    assert (
        "and any national of the Republic of Varinia who, on account of the Crisis, seeks to leave its territory"
        " or has left it" in definitions
    )
    _, border = _advice(border_reception())
    assert "A national of the Republic of Varinia who leaves it on account of the Crisis is covered" in (
        _article(border, "definitions")
    )


def test_no_host_nationals_no_extension_of_the_definition():
    data = convoy()
    data["populations"] = [g for g in data["populations"] if g["nationality"] != "varinia"]
    _, advice = _advice(data)
    assert "any national of the Republic of Varinia" not in _article(advice, "definitions")


# ---------------------------------------------------------------- 3. Transit States that are Parties


def test_transit_duties_bind_parties_and_other_states_are_requested():
    _, advice = _advice(convoy())
    definitions = _article(advice, "definitions")
    assert "and any other State through whose territory" not in definitions
    transit = '"Transit State" means the Republic of Poldana and any other State Party through whose territory'
    assert transit in definitions
    reception = _article(advice, "transit_reception")
    assert "The Parties shall jointly request any State that is not a Party" in reception


def test_border_admission_binds_only_states_where_people_arrive():
    _, advice = _advice(air_repatriation())
    text = _article(advice, "non_discrimination")
    assert text
    assert "Each State Party at whose border" not in text
    assert "admit third-country nationals for the purposes of transit" not in text
    assert "The Kingdom of Tamaris, as Host State, shall" in text


def test_border_admission_with_no_known_state_of_arrival_is_a_request():
    data = convoy(transit_states=None)
    data["parties"][1]["crisis_roles"] = []
    data["host_conditions"] = {"safe_to_stay": False}
    _, advice = _advice(data)
    text = _paragraph(_article(advice, "non_discrimination"), 2)
    assert text
    assert "Each State Party at whose border" not in text
    assert text.startswith("2. The Parties shall request every State at whose border")


# ---------------------------------------------------------------- 4. the fled host State is a Party


def test_a_fled_host_listed_among_the_parties_is_bound_as_a_party():
    data = border_reception()
    data["parties"][0]["signatory"] = True  # bringing nothing of its own, it signs only when the scenario says so
    _, advice = _advice(data)
    facilitation = next(c for c in advice.clauses if c.id == "host_state_facilitation")
    assert facilitation.variant == "fled_host"
    text = _article(advice, "host_state_facilitation")
    assert "request the Republic of Varinia" not in text
    assert "jointly request" not in text
    assert "the Republic of Varinia, as the Host State and a Party, shall permit Migrants to leave" in text
    assert "on its own territory" in text
    assert "Relocation" not in text
    assert "shelter" not in text
    assert ("host_liaison", "varinia") in {(r.role, r.party) for r in advice.roles}
    assert not [r for r in advice.roles if r.party == "varinia" and r.role == "logistics_provider"]
