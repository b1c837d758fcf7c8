"""Round-10 operations classes (round-9 legal readings): transport that no Party provides is arranged in plain words,
only where a route matters, and never requested from a Party nor from the requester itself; the child-protection
article keeps the no-authorization rule for the State a child seeks protection from, never refers such a child to
that State, and says each safeguard once."""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import (
    _TRANSPORT_RULE,
    TRANSPORT_MODES,
    feared_states,
    in_text,
    party_name,
    representation,
)
from assistant.domain.evaluate import default_library, evaluate
from assistant.domain.names import territorial
from assistant.domain.signing import signs
from assistant.domain.territory import territory
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]
LIBRARY = default_library()


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def article(advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def served_evacuation_modes(advice) -> set[str]:
    """The modes the transport providers serve on the Evacuation leg, as the rules that gave them the role say."""
    return {
        m[2] or ""
        for r in advice.holders("transport_provider")
        for rule in r.because
        if (m := _TRANSPORT_RULE.fullmatch(rule)) and m[1] == "evacuation"
    }


# A sentence about Evacuation transport that no Party provides, in the wording of this round or of round 9.
UNSERVED_ROUTE = re.compile(
    r"No Party undertakes to provide transport for Evacuation|transport for Evacuation is needed [^.]*which no Party"
)


@pytest.mark.parametrize("name", IDS)
def test_unserved_route_is_named_only_where_no_party_carries_people_on_an_open_route(name):
    """Where a Party carries people out of the host on an open route, the operations article does not add a sentence
    about the other routes nobody serves (it read as a prohibition beside the Parties that do carry people)."""
    scenario, advice = SCENARIOS[name], advice_of(name)
    routes = scenario.host_conditions.routes if scenario.host_conditions else None
    served = served_evacuation_modes(advice)
    if not routes or not any(getattr(routes, m, None) == "open" for m in served if m in TRANSPORT_MODES):
        pytest.skip("no Party carries people on an open route")
    assert not UNSERVED_ROUTE.search(article(advice, "operations"))


@pytest.mark.parametrize("name", IDS)
def test_transport_no_party_provides_is_never_requested_from_a_party_or_the_requester(name):
    """Transport no Party provides is arranged by request to the authorities of a State where movements begin only
    when that State does not sign (a Party is bound by its own role), never to "the State where the movement
    begins", which may be a Party or the Lead itself."""
    scenario, advice = SCENARIOS[name], advice_of(name)
    text = article(advice, "operations")
    if "commercial carriers" not in text:
        pytest.skip("no transport arranged outside the Parties")
    assert "the State where the movement begins" not in text
    where = territory(scenario)
    for party in scenario.parties:
        if signs(scenario, party.id) and party.id in (where.host, *where.arrival):
            assert f"by request to the competent authorities of {in_text(party_name(scenario, party.id))}" not in text


def child_article(name: str) -> str:
    return article(advice_of(name), "child_protection")


@pytest.mark.parametrize("name", IDS)
def test_no_authorization_rule_only_for_the_state_a_child_seeks_protection_from(name):
    """A child needs no authorization to leave a State only where he or she seeks protection from it (people covered
    of the host's nationality are refugees or fear return); a host in a conflict that children merely flee decides
    on their best interests like any other."""
    scenario, text = SCENARIOS[name], child_article(name)
    host_feared = territory(scenario).host in feared_states(scenario)
    tracing = article(advice_of(name), "tracing_requests")
    assert "shall not require the authorization of its authorities" not in tracing or host_feared
    if not text:
        pytest.skip("no child-protection article")
    assert ("any authorization of" in text) == host_feared


@pytest.mark.parametrize("name", IDS)
def test_child_seeking_protection_from_the_host_is_never_referred_to_it(name):
    """Where children in the host's territory seek protection from it, the article refers them to the refugee agency
    while they are there, never to that State's authorities as every other referral is."""
    scenario, text = SCENARIOS[name], child_article(name)
    where = territory(scenario)
    if not text or where.at_border or where.host not in feared_states(scenario):
        pytest.skip("no child in the territory of a State he or she seeks protection from")
    host = in_text(party_name(scenario, where.host))
    assert f"a Child who seeks protection from {host} is referred" in text


@pytest.mark.parametrize("name", IDS)
def test_child_article_says_each_safeguard_once(name):
    """Immediate danger, and the support of each agency (and the request for it), are each stated once in the
    child-protection article and in the tracing article."""
    for clause in ("child_protection", "tracing_requests"):
        text = article(advice_of(name), clause)
        assert text.count("immediate danger") <= 1, clause
        assert text.count("which the Parties shall jointly request") <= 1, clause
        for agency in re.findall(r"with the (?:support|assistance) of ((?:the )?[A-Z][^,;.]*)", text):
            assert text.count(f"with the support of {agency}") + text.count(f"with the assistance of {agency}") <= 1


@pytest.mark.parametrize("name", IDS)
def test_a_one_word_defined_term_is_used_as_a_term(name):
    """A one-word term the definitions article takes from another clause's definitions ("Movement") is there because
    the draft uses it with its capital in the middle of a sentence: a capital at the start of a line, list item or
    heading ("(a) Movement data set") is grammar, not the term of art. (A clause in the draft may define its own
    term and use it in lower case, as "processing" is.)"""
    draft = advice_of(name).draft
    own = {
        term
        for a in draft.articles
        if a.clause and (clause := LIBRARY.get(a.clause))
        for definitions in [clause.definitions, *(v.definitions for v in clause.variants.values())]
        for term in definitions
    }
    definitions = article(advice_of(name), "definitions")
    others = "\n".join(
        [draft.parties or "", draft.preamble or ""]
        + [a.text for a in draft.articles if a.clause != "definitions"]
        + [x.text for x in draft.annexes]
    )
    for term in set(re.findall(r'"([A-Z][a-z]+)" means', definitions)) - own:
        assert re.search(rf"(?:\b[a-z][\w'-]*|,) {term}(?:s|es)?\b", others), term


@pytest.mark.parametrize("name", IDS)
def test_scope_names_armed_conflict_only_where_it_is_in_view(name):
    """The scope names armed conflict among the crises covered only where the crisis in view is a conflict or unrest,
    or where a disaster treaty is relied on in one (the scope then says how far it applies); a flood, earthquake or
    epidemic instrument covers any crisis whatever its cause."""
    scenario, scope = SCENARIOS[name], article(advice_of(name), "scope")
    if scenario.crisis.kind in ("armed_conflict", "civil_unrest") or "situations arising from armed conflict" in scope:
        pytest.skip("armed conflict in view")
    assert "including a Crisis arising from armed conflict" not in scope


ENSURES = re.compile(r"the Lead Party (?:shall|will) ensure that the nationals of (.+?) covered by this")


@pytest.mark.parametrize("name", IDS)
def test_the_lead_sees_to_the_nationals_it_represents_never_only_to_its_own_outside_the_scheme(name):
    """Where the instrument gives effect to States' own arrangements for their nationals, the Lead Party sees to the
    nationals of every State it represents as well as its own; a Lead Party that is no State of those arrangements
    sees to the nationals they cover, never to its own nationals, whom the instrument does not cover."""
    scenario, advice = SCENARIOS[name], advice_of(name)
    found = ENSURES.search(article(advice, "roles"))
    if not found:
        pytest.skip("no own-scheme instrument")
    lead = advice.holders("lead")[0].party
    arrangements = re.search(
        r"gives effect to the arrangements of (.+?) for (?:its|their respective) nationals", article(advice, "roles")
    )
    lead_name = in_text(party_name(scenario, lead))
    assert (lead_name in found[1]) == (lead_name in arrangements[1])
    for represented, representing in representation(scenario, advice).items():
        if representing[0] == lead and lead_name in arrangements[1]:
            assert in_text(party_name(scenario, represented)) in found[1]


@pytest.mark.parametrize("name", IDS)
def test_information_is_given_in_the_languages_of_the_nationals_covered(name):
    """The languages information is given in are those of the nationals covered (each State of nationality named),
    not the languages some provider happens to run a hotline in, which would leave out the others."""
    scenario, text = SCENARIOS[name], article(advice_of(name), "information_to_migrants")
    states = [p.id for p in scenario.parties if p.kind == "state"]
    nationalities = [pop.nationality for pop in scenario.populations or [] if pop.nationality in states]
    if not text or not nationalities:
        pytest.skip("no information article or no State of nationality")
    languages = re.search(r"(?m)^2\. (.*)$", text)[1].split(" and in formats")[0]
    for state in nationalities:
        p = scenario.party(state)
        forms = territorial(p.name, p.kind)  # an authority entered as a State: its nationals by its place name
        assert ((forms and forms.nationals_of) or in_text(party_name(scenario, state))) in languages, state


@pytest.mark.parametrize("name", IDS)
def test_employers_carry_information_only_to_workers(name):
    """Employers and recruitment agencies are channels of information only where the people covered may be workers:
    never in an instrument for tourists and students (every group's sectors known, none a work sector, and no
    employer, recruiter or employers' federation among the parties)."""
    scenario, text = SCENARIOS[name], article(advice_of(name), "information_to_migrants")
    pops = scenario.populations or []
    no_work = all(pop.sectors and set(pop.sectors) <= {"students", "tourists", "other"} for pop in pops) and not any(
        pop.recruited_through_agencies for pop in pops
    )
    if (
        not text
        or not no_work
        or any(p.kind in ("employer", "recruiter", "employers_federation") for p in scenario.parties)
    ):
        pytest.skip("the people covered may be workers")
    assert "employers" not in text


@pytest.mark.parametrize("name", IDS)
def test_a_food_only_provider_never_answers_for_shelter(name):
    """A party given the logistics role for its food alone (a food agency) provides food, not shelter: no sentence
    of the roles or operations article makes it provide shelter."""
    scenario, advice = SCENARIOS[name], advice_of(name)
    food_only = [
        in_text(party_name(scenario, r.party))
        for r in advice.holders("logistics_provider")
        if {b for b in r.because if b.startswith("role.logistics_provider.")} == {"role.logistics_provider.food"}
    ]
    if not food_only:
        pytest.skip("no food-only logistics provider")
    for clause in ("roles", "operations"):
        for sentence in re.findall(r"Shelter[^.]*\.", article(advice, clause)):
            assert not any(f"provided by {n}" in sentence or f" and {n}" in sentence for n in food_only), sentence


@pytest.mark.parametrize("name", IDS)
def test_the_lead_of_an_instrument_that_moves_nobody_coordinates_no_evacuation(name):
    """Where the instrument moves nobody (no Relocation, Evacuation or onward travel takes place: expert deployment,
    family tracing, consular sharing), the Lead Party coordinates the instrument, not Relocation and Evacuation, and
    consolidates no evacuation capacity."""
    scenario, roles = SCENARIOS[name], article(advice_of(name), "roles")
    if any(o.id in ("relocation", "evacuation", "onward_travel") for o in territory(scenario).operations):
        pytest.skip("the instrument moves people")
    assert "implementation of Relocation and Evacuation" not in roles
    assert "evacuation capacity" not in roles


@pytest.mark.parametrize("name", IDS)
def test_a_nationality_based_scheme_does_not_forbid_distinction_by_nationality(name):
    """An instrument that gives effect to States' arrangements for their own nationals turns on nationality: its
    principles forbid discrimination among the persons covered (the nationality of their family members included),
    never distinction by nationality itself, which its scope makes."""
    advice = advice_of(name)
    if "gives effect to the arrangements of" not in article(advice, "roles"):
        pytest.skip("no nationality-based scheme")
    assert "on any ground, including nationality," not in article(advice, "principles")


@pytest.mark.parametrize("name", IDS)
def test_exercises_of_an_instrument_that_moves_nobody_test_no_movement(name):
    """Where the instrument moves nobody, its joint exercises test no manifests, transport or reception and involve
    no Transit States or transport providers."""
    scenario, text = SCENARIOS[name], article(advice_of(name), "training_exercises")
    if not text or any(o.id in ("relocation", "evacuation", "onward_travel") for o in territory(scenario).operations):
        pytest.skip("no exercises, or the instrument moves people")
    for words in ("manifests", "transport providers", "Transit States"):
        assert words not in text
