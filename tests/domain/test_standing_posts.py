"""Issue 14, item 2: a standing, reciprocal consular arrangement at listed posts, beside the crisis scope.

Real consular services sharing arrangements (Canada–Australia 1986/2001, the Nordic States) are standing and
reciprocal: each Party lists the posts at which it assists the others' nationals in the States where they have no
post, for routine consular work as in a crisis, and the list is kept by exchange of notes. The contract gains
``routine_cooperation`` and each party's ``posts`` (README, "Standing consular cooperation at listed posts").
"""

from __future__ import annotations

import copy

import pytest

from assistant.domain.draft_check import checked_answer
from assistant.domain.evaluate import evaluate
from assistant.domain.posts import listed_posts, receiving_state
from assistant.domain.scenario import MAX_POSTS, ScenarioError, parse_scenario
from tests.domain.corpus import article_text, corpus_docs

BASE = {
    "title": "Consular sharing",
    "agreement_types": ["consular_representation"],
    "crisis": {"kind": "natural_hazard", "phase": "preparedness"},
    "host_state": "kav",
    "parties": [
        {"id": "kav", "name": "Republic of Kaveria", "kind": "state", "crisis_roles": ["host"]},
        {
            "id": "nor",
            "name": "Kingdom of Norland",
            "kind": "state",
            "crisis_roles": ["origin"],
            "capacities": {"consular_presence": "embassy"},
            "posts": [{"city": "Almadi", "country": "Roshan"}, {"city": "Tessaly", "country": "Ostrava"}],
        },
        {
            "id": "tas",
            "name": "Commonwealth of Tasmara",
            "kind": "state",
            "crisis_roles": ["origin"],
            "capacities": {"consular_presence": "none"},
            "posts": [{"city": "Vell", "country": "Dunmora"}, {"city": "Tessaly", "country": "the Ostrava"}],
        },
        {
            "id": "ngo",
            "name": "Travellers Aid Network",
            "kind": "ngo",
            "posts": [{"city": "Kiro", "country": "Lagunia"}],
        },
    ],
    "populations": [{"nationality": "nor", "count": 100}, {"nationality": "tas", "count": 200}],
}


def scenario(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return parse_scenario(data)


def text(advice, clause: str) -> str:
    return " ".join(article_text(advice, clause).split())


def test_each_post_acts_for_the_parties_without_a_post_in_its_receiving_state():
    posts = {(p.party, p.city): p.acts_for for p in listed_posts(scenario())}
    assert posts[("nor", "Almadi")] == ("tas",)
    assert posts[("tas", "Vell")] == ("nor",)
    # both have a post in Ostrava ("the Ostrava" is the same State): each assists its own nationals there
    assert posts[("nor", "Tessaly")] == ()
    assert posts[("tas", "Tessaly")] == ()
    # an NGO has no consular post: its "posts" are not consular posts of a Party
    assert not [p for p in listed_posts(scenario()) if p.party == "ngo"]


def test_a_post_in_a_party_states_territory_never_acts_for_that_state():
    data = copy.deepcopy(BASE)
    data["parties"][1]["posts"].append({"city": "Port Serin", "country": "Republic of Kaveria"})
    s = parse_scenario(data)
    assert receiving_state(s, "Republic of Kaveria") == "kav" == receiving_state(s, "KAV")
    post = next(p for p in listed_posts(s) if p.city == "Port Serin")
    assert post.receiving == "kav"
    assert post.acts_for == ("tas",)


def test_posts_make_an_annex_and_a_paragraph_that_say_the_same_thing():
    advice = evaluate(scenario())
    annex = next(a for a in advice.draft.annexes if a.title.endswith("Consular posts"))
    letter = annex.title.split(".")[0]
    consular = text(advice, "consular_representation")
    assert f"at each of its consular posts listed in {letter}" in consular
    assert "by an exchange of notes" in consular
    assert "Article 8 of the Vienna Convention" in consular
    assert "at Almadi (Roshan), for the Commonwealth of Tasmara" in annex.text
    assert "at Tessaly (Ostrava), where each Party assists its own nationals" in annex.text
    assert "Lagunia" not in annex.text
    # one bearer for the protected persons' costs at a post, in the article and in Annex B (round 16)
    assert "are borne by the Party whose post it is" in consular
    annex_b = next(a.text for a in advice.draft.annexes if a.title.startswith("Annex B"))
    assert "are borne by the Party whose post it is" in " ".join(annex_b.split())
    fired = {r.id for r in advice.rules_fired}
    assert "draft.consular_representation.listed_posts" in fired
    assert "reciprocal_consular_agreements" in [p.id for p in advice.practices]


def test_without_posts_there_is_no_annex_of_posts_nor_paragraph():
    data = copy.deepcopy(BASE)
    for p in data["parties"]:
        p.pop("posts", None)
    advice = evaluate(parse_scenario(data))
    assert not [a for a in advice.draft.annexes if a.title.endswith("Consular posts")]
    assert "consular posts listed in" not in text(advice, "consular_representation")


@pytest.mark.parametrize(
    ("routine", "phase", "standing"),
    [
        (True, "emergency_response", True),  # routine cooperation stands whatever the phase
        (False, "preparedness", False),  # the Parties say: only in a crisis
        (None, "preparedness", True),  # unknown: a representation arrangement made in preparedness stands
        (None, "emergency_response", False),
    ],
)
def test_routine_cooperation_decides_whether_the_scope_is_standing(routine, phase, standing):
    changes = {"crisis": {"kind": "natural_hazard", "phase": phase}}
    if routine is not None:
        changes["routine_cooperation"] = routine
    advice = evaluate(scenario(**changes))
    variant = next(c.variant for c in advice.clauses if c.id == "scope")
    assert (variant == "standing_representation") is standing
    consular = text(advice, "consular_representation")
    assert ("At all times, in routine consular work as in a Crisis" in consular) is standing
    if not standing:
        assert "In a Crisis affecting the receiving State of a consular post listed in" in consular


def test_no_post_is_listed_for_a_party_that_does_not_sign():
    data = copy.deepcopy(BASE)
    data["parties"][2]["signatory"] = False
    s = parse_scenario(data)
    assert {p.party for p in listed_posts(s)} == {"nor"}
    assert all("tas" not in p.acts_for for p in listed_posts(s))


def with_posts(doc: dict) -> dict:
    """A corpus scenario whose signing States each list two posts, one shared with nobody and one in a common State."""
    data = copy.deepcopy(doc)
    for i, p in enumerate(data["parties"]):
        if p.get("kind") == "state":
            p["posts"] = [
                {"city": f"City {i}", "country": f"Land {i}"},
                {"city": "Common City", "country": "Commonland"},
            ]
    return data


GENERATED = [
    (name, doc) for name, doc in corpus_docs() if "consular_representation" in (doc.get("agreement_types") or [])
]


def test_the_corpus_has_consular_arrangements_to_generate_from():
    assert len(GENERATED) >= 3


@pytest.mark.parametrize(("name", "doc"), GENERATED, ids=[n for n, _ in GENERATED])
def test_generated_posts_never_break_the_draft(name, doc):
    """Every consular arrangement of the corpus, given posts: the annex lists each signing State's posts, the
    consular article refers to the annex by its letter, and the assistant's own legal check finds no error."""
    s = parse_scenario(with_posts(doc))
    advice = evaluate(s)
    answer = checked_answer(advice.to_contract(), s)
    errors = [c for c in answer["checks"] if c["severity"] == "error"]
    assert not errors, errors
    annexes = [a for a in advice.draft.annexes if a.title.endswith("Consular posts")]
    if not any(c.id == "consular_representation" and c.variant == "standard" for c in advice.clauses):
        # no State acts for another (an organization assists instead, or each State acts from abroad): no annex,
        # and the negotiators are told why
        assert not annexes
        if "draft.consular_representation.listed_posts" in {r.id for r in advice.rules_fired}:
            assert "posts_without_representation" in [c.id for c in advice.conflicts]
        return
    if not annexes:
        return  # no signing State lists a post (the States that list them take part without signing)
    letter = annexes[0].title.split(".")[0]
    assert f"listed in {letter}" in text(advice, "consular_representation")
    assert "Commonland), where each Party assists its own nationals" in annexes[0].text
    if advice.draft.instrument != "Agreement":
        assert " shall " not in annexes[0].text


def test_posts_are_validated_with_their_path():
    data = copy.deepcopy(BASE)
    data["parties"][1]["posts"] = [{"city": "Almadi"}]
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert "parties[1].posts[0].country" in str(err.value)
    data["parties"][1]["posts"] = [{"city": "X", "country": "Y"}] * (MAX_POSTS + 1)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert "parties[1].posts" in str(err.value)
    data["parties"][1]["posts"] = [{"city": "x" * 101, "country": "Y"}]
    with pytest.raises(ScenarioError):
        parse_scenario(data)
    data["parties"][1]["posts"] = [{"city": "Al\u202emadi", "country": "Roshan"}]
    assert parse_scenario(data).parties[1].posts[0].city == "Almadi"
