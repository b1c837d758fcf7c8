"""Who signs is a legal person, designated alike (lawyers' review of blind drafts, rubric point 1).

1. An organ, office or delegation never signs as if it were the legal person: a State entered as "<Organ> of <Place>"
   is the Government of the place acting through the organ, and the place is its territory; a regional body entered
   as its delegation or office is the body, represented by or acting through it.
2. Every State Party is designated the same way, "the Government of …", whatever its formal name.
3. A donor "Group" reads as a group: it is flagged and does not sign.
"""

from __future__ import annotations

import glob

import pytest
import yaml

from assistant.domain.assembly import acting_through, designation
from assistant.domain.names import ORGAN_WORD, split_organ, territorial
from assistant.domain.scenario import Party, parse_scenario
from assistant.domain.signing import reads_as_group


def _corpus() -> list:
    """Every shipped, training and blind scenario."""
    out = []
    for path in sorted(glob.glob("scenarios/*.yaml") + glob.glob("training/*.yaml") + glob.glob("tests/blind/*.yaml")):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        if isinstance(doc, dict) and "scenario" in doc:
            doc = doc["scenario"]
        if isinstance(doc, dict) and "parties" in doc:
            out.append(parse_scenario(doc))
    return out


CORPUS = _corpus()
PARTIES = [p for s in CORPUS for p in s.parties]


def _party(name: str, kind: str) -> Party:
    return Party(id="x", name=name, kind=kind)


def test_the_corpus_is_read():
    assert len(CORPUS) >= 40
    assert sum(p.kind == "state" for p in PARTIES) > 100


def test_a_state_entered_as_an_organ_of_a_place_is_the_government_of_the_place():
    name = split_organ("Maritime and Port Authority of Singara", "state")
    assert (name.entity, name.organ) == ("Singara", "Maritime and Port Authority")
    assert territorial("Maritime and Port Authority of Singara", "state") is None, "Singara reads as a place"
    party = _party("Maritime and Port Authority of Singara", "state")
    assert designation(party) == "the Government of Singara"
    organ = "Maritime and Port Authority"
    assert acting_through(party) == (
        f"The Government of Singara is the Party; its {organ} is its competent authority for the matters within its "
        "competence, and its other competent authorities carry out its other commitments"
    )


@pytest.mark.parametrize("name", ["Ministry of Interior", "Department of Civil Protection", "Ministry of Health"])
def test_an_organ_named_by_its_portfolio_is_no_place(name):
    assert split_organ(name, "state").organ is None


@pytest.mark.parametrize(
    ("name", "kind", "body", "phrase"),
    [
        ("Eurasian Union Delegation", "regional_body", "the Eurasian Union", "represented by its Delegation"),
        (
            "Continental Union Humanitarian Aid Office",
            "donor",
            "the Continental Union",
            "acting through its Humanitarian Aid Office",
        ),
        (
            "Delegation of the Eurasian Union to Sinara",
            "regional_body",
            "the Eurasian Union",
            "represented by its Delegation to Sinara",
        ),
    ],
)
def test_a_regional_body_entered_as_its_delegation_or_office_is_the_body(name, kind, body, phrase):
    party = _party(name, kind)
    assert designation(party) == body
    assert acting_through(party) == f"{body[:1].upper()}{body[1:]} is a Party {phrase}"


def test_no_signatory_in_the_corpus_is_an_organ_without_its_legal_person():
    """A State, regional body or donor whose name ends with an organ word after "of <Place>" or after the body's
    name is read as the legal person acting through the organ."""
    for p in PARTIES:
        entity = split_organ(p.name, p.kind).entity
        if p.kind == "state" and " of " in entity:
            head = entity.rsplit(" of ", 1)[0]
            assert not (ORGAN_WORD.search(head) and head.split()[0] not in ("Ministry", "Department", "Office")), p.name
        if p.kind in ("regional_body", "donor"):
            assert not entity.endswith(("Delegation", "Office")), p.name


def test_every_state_party_is_designated_as_its_government():
    """Every State of the corpus whose name is a State's or a place's (not an authority that cannot be split, nor
    de facto authorities: names.territorial) is "the Government of …", whether it is a Republic, a Hashemite
    Kingdom, an Arab Republic or a Dominion."""
    states = [p for p in PARTIES if p.kind == "state"]
    for p in states:
        if territorial(p.name, p.kind) is not None:
            assert not designation(p).startswith("the Government of "), p.name
            continue
        assert designation(p).startswith("the Government of "), p.name
    formal = (
        "Arab Republic of Sinara",
        "Hashemite Kingdom of Jordara",
        "Federative Republic of Brasiva",
        "Syrene Arab Republic of Damaris",
        "Socialist Republic of Vietara",
        "Dominion of Marlowe",
    )
    for name in formal:
        assert designation(_party(name, "state")) == f"the Government of the {name}"


@pytest.mark.parametrize(
    "name", ["Friends of Zelvara Humanitarian Donor Group", "Border Crisis Donor Group", "Kyrene Crisis Contact Group"]
)
def test_a_donor_group_reads_as_a_group(name):
    assert reads_as_group(name)


@pytest.mark.parametrize("name", ["World Bank Group", "Northern Relief Trust", "Solidarity Charities Fund"])
def test_one_body_called_group_or_fund_does_not(name):
    assert reads_as_group(name) is None
