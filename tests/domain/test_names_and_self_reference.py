"""Names, transit States' own nationals and self-reference (lawyers' review of blind drafts).

1. A Party entered by its organ ("… Agency (State of Nihara)", "Ministry of … of the Republic of Karst") is the
   State; an authority without a State name, or a local authority, never gets a territory or nationals of its own.
2. A Transit State admits its own nationals as its nationals: no 30-day stay, no onward travel to its territory; a
   "transit" State whose nationals are all the people moved receives its own nationals, and the article speaks of
   no protection from it.
3. A sentence never makes a Party consult, notify or assist itself under another name ("the Lead Party shall
   notify the competent authorities of the Transit State" when the Lead Party is the Transit State).
"""

from __future__ import annotations

import copy

from assistant.domain.advice import Advice
from assistant.domain.clauses import render_body
from assistant.domain.evaluate import default_library, evaluate
from assistant.domain.names import split_organ, territorial, territorial_references
from assistant.domain.scenario import parse_scenario
from tests.domain.corpus import parties_text

NIHARA = {
    "id": "nihara",
    "name": "Nihara Nuclear and Civil Protection Agency (State of Nihara)",
    "kind": "state",
    "crisis_roles": ["host"],
}
SINGARA = {
    "id": "singara",
    "name": "Maritime and Port Authority of Singara",
    "kind": "state",
    "crisis_roles": ["transit"],
    "capacities": {"reception": True, "shelter": True},
}
COASTAL = {
    "id": "coastal",
    "name": "Coastal Territory Border and Crossings Authority",
    "kind": "local_authority",
    "crisis_roles": ["transit"],
    "capacities": {"reception": True},
}
KARST = {
    "id": "karst",
    "name": "Ministry of Foreign Affairs of the Republic of Karst",
    "kind": "state",
    "crisis_roles": ["origin"],
    "capacities": {"consular_presence": "embassy", "travel_documents": True},
}
IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
    "capacities": {"transport": ["sea", "land"], "reception": True},
}


IOM_TEXT = "the International Organization for Migration"


def organs(**over) -> dict:
    data = {
        "title": "Evacuation through the Singara ports",
        "agreement_types": ["evacuation_relocation"],
        "crisis": {"kind": "technological", "phase": "mandatory_evacuation"},
        "host_state": "nihara",
        "transit_states": ["singara", "coastal"],
        "parties": [copy.deepcopy(p) for p in (NIHARA, SINGARA, COASTAL, KARST, IOM)],
        "populations": [
            {"nationality": "karst", "count": 3000},
            {"nationality": "singara", "count": 500},
            {"nationality": "other", "count": 400},
        ],
        "services_needed": ["evacuation_transport", "reception", "onward_travel", "shelter"],
    }
    data.update(over)
    return data


def _advice(data: dict) -> Advice:
    return evaluate(parse_scenario(data))


def _article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def _paragraph(text: str, n: int) -> str:
    return next((p for p in text.split("\n\n") if p.startswith(f"{n}. ")), "")


def _text(advice: Advice) -> str:
    return "\n\n".join(a.text for a in advice.draft.articles)


def _holder(advice: Advice, role: str) -> str | None:
    return next((r.party for r in advice.roles if r.role == role), None)


# ---------------------------------------------------------------- 1. parties named by their organ


def test_an_organ_with_its_state_in_brackets_is_that_state():
    name = split_organ(NIHARA["name"], "state")
    assert name.entity == "State of Nihara"
    assert name.organ == "Nihara Nuclear and Civil Protection Agency"


def test_an_organ_of_a_states_formal_name_is_that_state():
    name = split_organ(KARST["name"], "state")
    assert (name.entity, name.organ) == ("Republic of Karst", "Ministry of Foreign Affairs")
    assert split_organ("Government of the Republic of Karst", "state").entity == "Republic of Karst"


def test_names_that_are_states_or_local_authorities_stay():
    assert split_organ("Republic of Karst (Civil Protection Directorate)", "state").entity == "Republic of Karst"
    assert split_organ("United Republic of Tanzania", "state").entity == "United Republic of Tanzania"
    assert split_organ("Sava Prefecture (Republic of Kordesh)", "local_authority").entity == (
        "Sava Prefecture (Republic of Kordesh)"
    )
    assert territorial("Republic of Karst", "state") is None
    assert territorial("Zelvara", "state") is None
    unhcr = "Office of the United Nations High Commissioner for Refugees"
    assert territorial(unhcr, "international_organization") is None


def test_running_text_names_the_state_and_the_parties_block_its_organ():
    advice = _advice(organs())
    text = _text(advice)
    assert "not a national of the State of Nihara" in text
    assert "territory of the State of Nihara" in text
    assert "Nihara Nuclear and Civil Protection Agency (State of Nihara)" not in text
    assert "nationals of the Ministry" not in text
    assert "its Nihara Nuclear and Civil Protection Agency is its competent authority for" in parties_text(advice)
    assert "the Government of the Republic of Karst" in advice.draft.parties


def test_an_authority_has_no_territory_or_nationals_of_its_own():
    text = _text(_advice(organs()))
    for authority in (SINGARA["name"], COASTAL["name"]):
        for phrase in ("territory of the", "national of the", "nationals of the"):
            assert f"{phrase} {authority}" not in text, f"{phrase} {authority}"
    assert "the territory of Singara" in text
    assert f"the territory under the authority of the {COASTAL['name']}" in text


def test_an_authority_as_host_is_never_a_state_of_nationality():
    data = organs(host_state="coastal", transit_states=["singara"])
    data["parties"][0]["crisis_roles"] = ["origin"]
    data["parties"][2]["crisis_roles"] = ["host"]
    text = _text(_advice(data))
    assert f"national of the {COASTAL['name']}" not in text
    assert f"territory of the {COASTAL['name']}" not in text
    assert f"not a person from the territory under the authority of the {COASTAL['name']}" in text


def test_a_local_authority_with_its_state_in_brackets_has_that_states_nationals():
    sava = "Sava Prefecture (Republic of Kordesh)"
    names = {
        f"the {sava}": territorial(sava, "local_authority"),
        "the Republic of Karst": None,
    }
    text = territorial_references(
        "nationals of the Sava Prefecture (Republic of Kordesh) and the Republic of Karst, in the territory of the "
        "Republic of Karst and the Sava Prefecture (Republic of Kordesh).",
        names,
    )
    assert text == (
        "nationals of the Republic of Kordesh and the Republic of Karst, in the territory of the Republic of Karst "
        "and the territory under the authority of the Sava Prefecture (Republic of Kordesh)."
    )


# ---------------------------------------------------------------- 2. a transit State's own nationals


def test_a_transit_state_admits_its_own_nationals_as_its_nationals():
    reception = _article(_advice(organs()), "transit_reception")
    first = _paragraph(reception, 1)
    assert "authorization to stay for up to 30 days pending onward travel" in first, "for the other Migrants"
    assert "shall admit its own nationals as its nationals, without any authorization or limit of stay" in first
    assert "Singara shall admit its own nationals" in first
    fourth = _paragraph(reception, 4)
    assert "No onward travel is arranged for nationals of the Maritime and Port Authority of Singara" not in fourth
    assert "No onward travel is arranged for nationals of Singara" in fourth


def evacuation_home(**over) -> dict:
    """Sahelian nationals evacuated from Varinia into a township of Sahelo, their own State, named as the transit
    State."""
    data = {
        "title": "Evacuation of Sahelian nationals from Varinia",
        "agreement_types": ["evacuation_relocation"],
        "crisis": {"kind": "armed_conflict", "phase": "mandatory_evacuation"},
        "host_state": "varinia",
        "transit_states": ["sahelo"],
        "parties": [
            {"id": "varinia", "name": "Republic of Varinia", "kind": "state", "crisis_roles": ["host"]},
            {
                "id": "sahelo",
                "name": "Republic of Sahelo",
                "kind": "state",
                "crisis_roles": ["origin", "transit"],
                "capacities": {"consular_presence": "embassy", "reception": True, "transport": ["land"]},
            },
            copy.deepcopy(IOM),
        ],
        "populations": [{"nationality": "sahelo", "count": 20000}],
        "services_needed": ["evacuation_transport", "reception", "onward_travel"],
    }
    data.update(over)
    return data


def test_people_moved_into_their_own_state_are_received_not_given_a_stay():
    reception = _article(_advice(evacuation_home()), "transit_reception")
    assert reception
    assert "authorization to stay" not in reception
    assert "onward travel to its territory" not in reception
    assert "need for protection is examined" not in reception
    assert "seeks international protection" not in reception
    first = _paragraph(reception, 1)
    assert "The Republic of Sahelo shall admit to its territory its own nationals leaving the Republic of " in (first)
    assert "without his or her informed consent" in first


# ---------------------------------------------------------------- 3. self-reference


def test_a_transit_state_leading_is_not_told_to_notify_itself():
    data = organs(agreement_types=["protection_referral", "evacuation_relocation"], transit_states=["singara"])
    data["parties"] = [p for p in data["parties"] if p["id"] != "coastal"]
    advice = _advice(data)
    assert _holder(advice, "lead") == "singara"
    reception = _article(advice, "transit_reception")
    assert "notify the competent authorities of the Transit State" not in reception
    assert "shall notify the Lead Party" in _paragraph(reception, 2)


def test_reception_points_run_by_the_transit_state_and_an_organization():
    clause = default_library().get("transit_reception")
    values = {n: p.sample for n, p in clause.params.items()}
    values |= {
        "transit_names": ["the Republic of Ostrevia"],
        "role_transit_facilitator": ["the Republic of Ostrevia", IOM_TEXT],
    }
    for variant in ("standard", "transit_not_party"):
        third = _paragraph(render_body(clause, variant, values), 3)
        assert "competent authorities of the Transit State" not in third, variant
        assert f"by the Republic of Ostrevia, on its own territory, together with {IOM_TEXT}." in third, variant


def test_a_host_state_leading_does_not_consult_itself():
    data = organs(
        agreement_types=["evacuation_relocation"],
        crisis={"kind": "natural_hazard", "hazard": "flood", "phase": "preparedness"},
    )
    data["parties"][0]["mandates"] = ["civil_protection"]
    advice = _advice(data)
    assert _holder(advice, "lead") == "nihara"
    second = _paragraph(_article(advice, "operations"), 2)
    assert "in consultation with the competent authorities of the Host State" not in second
    assert "The Lead Party, as the Host State, shall, through its competent authorities" in second


def test_a_state_of_nationality_leading_does_not_assist_itself():
    data = organs(transit_states=["singara"])
    data["parties"] = [p for p in data["parties"] if p["id"] != "coastal"]
    data["populations"] = [{"nationality": "karst", "count": 3000}]
    advice = _advice(data)
    assert _holder(advice, "lead") == "karst"
    fourth = _paragraph(_article(advice, "transit_reception"), 4)
    assert not fourth.startswith("4. Each State of nationality that is a Party shall arrange, with the assistance of")
    assert fourth.startswith("4. The Lead Party, for its own nationals, and each other State of nationality")
