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
from assistant.domain.evaluate import evaluate
from assistant.domain.names import split_organ, territorial, territorial_references
from assistant.domain.scenario import parse_scenario

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
    assert split_organ(SINGARA["name"], "state").entity == SINGARA["name"], "Singara is no State's formal name"
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
    assert "acting through its Nihara Nuclear and Civil Protection Agency" in advice.draft.parties
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
