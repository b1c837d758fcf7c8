"""Round-11 classes of territory and of the persons covered (blind readers on unseen scenarios):

1. The host State's own nationals who flee it were covered only once they had left it (kabul2021: the main caseload,
   an airlift of at-risk nationals, was out of scope inside the host), and only a State of nationality or the host
   authority they flee could set their Alert Phase and trigger activation. They are now covered while still in the
   host State, and the Lead Party, not the State they flee, sets their Alert Phase and asks for activation.
2. Whatever speaks of the host's cooperation or of a State's mechanism fits where the person is and whom he or she
   flees: travel documents for persons seeking protection are not arranged "in cooperation with the Host State" they
   flee; a presumed victim of trafficking still in the host is not referred to the transit State's mechanism.
3. An in-country relocation (thai2011: routes out closed) got a non-discrimination article about border crossing
   points, airports and ports where Migrants are let "leave ... whether or not they hold travel documents".
4. Defined terms with no referent: "Representing State", "Reception Point", "Transit State", "Unrepresented national"
   defined although no Party holds the role or the thing does not exist in the draft.
5. One phase vocabulary: the scope article spoke of "preparedness, emergency-response and post-crisis phases" beside
   the Alert Phases of the activation article.
6. A host that receives people fleeing a Crisis elsewhere (obock) admitted persons "arriving from a State affected by
   the Crisis" while the Crisis was defined as affecting the host itself.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.evaluate import evaluate
from assistant.domain.territory import (
    has_reception_points,
    host_nationals_leaving,
    host_receives,
    relocation_inside_only,
    territory,
    transit_states,
)
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def article(name: str, clause: str) -> str:
    """The text of the article a clause drafts, or "" when the draft has none."""
    return next((a.text for a in advice_of(name).draft.articles if a.clause == clause), "")


def definition(name: str, term: str) -> str:
    """The definition of a term in the definitions article (up to the next definition), or "" when not defined."""
    text = article(name, "definitions")
    found = re.search(rf'"{re.escape(term)}" means(.*?)(?="[A-Z][^"]*" means|\n|$)', text)
    return found.group(1) if found else ""


def other_text(name: str) -> str:
    """Every article but the definitions, and the annexes."""
    draft = advice_of(name).draft
    return "\n".join([a.text for a in draft.articles if a.clause != "definitions"] + [a.text for a in draft.annexes])


@pytest.mark.parametrize("name", IDS)
def test_the_hosts_own_nationals_who_flee_it_are_covered_while_still_there(name):
    s = SCENARIOS[name]
    if not host_nationals_leaving(s):
        pytest.skip("no national of the host State covered while fleeing it from inside")
    migrant = definition(name, "Migrant")
    if migrant.startswith(" a national of") or migrant.startswith("a national of"):
        # an instrument for the nationals of named States covers the host's nationals as their family members only
        # (round 12: the definition as the scope article limits it)
        assert "covered as a member of the family of a Migrant travels with that Migrant, has access to the" in migrant
        assert "provides for his or her return to" in migrant
        return
    assert "seeks to leave its territory or has left it" in migrant, migrant
    assert "who leaves its territory on account of the Crisis and seeks" not in migrant, migrant
    relocation = definition(name, "Relocation")
    if "within the territory of" in relocation and "pending their Evacuation" in relocation:
        assert "who seek to leave it are never relocated within its territory" in relocation, relocation
    scope = article(name, "scope")
    if "applies to all Migrants present in the territory of" not in scope:
        return  # a scope limited to the nationals of some States covers others only as paragraph 3 says
    leaving = r"nationals of .{0,120} present in its territory who, on account of the Crisis, seek to leave"
    assert re.search(leaving, scope), scope


@pytest.mark.parametrize("name", IDS)
def test_the_state_they_flee_neither_sets_their_alert_phase_nor_activates_for_them(name):
    s = SCENARIOS[name]
    if not host_nationals_leaving(s):
        pytest.skip("no national of the host State covered while fleeing it from inside")
    text = article(name, "activation")
    if "at the written request of a State of nationality" not in text:
        pytest.skip("no activation at the request of the States of nationality")
    assert re.search(r"at the written request of a State of nationality (that is a Party, )?other than", text), text
    assert "of the Lead Party for the nationals of" in text, text
    if "Each State of nationality determines" in text:
        assert "save that the Lead Party, and not" in text, text


@pytest.mark.parametrize("name", IDS)
def test_documents_and_referral_fit_the_state_people_flee(name):
    s = SCENARIOS[name]
    where = territory(s)
    if not where.host_fled or where.at_border:
        pytest.skip("people do not flee the host from inside it")
    ids = article(name, "identity_documents")
    assert not re.search(r"in cooperation with the Host State(?! only for a person)", ids), ids
    referral = article(name, "protection_referral")
    mechanism = r"presumed victims of trafficking to the national referral mechanism( of [^;]*)?;"
    trafficking = re.search(mechanism, referral)
    if trafficking and trafficking.group(1):
        assert "on their arrival there" in trafficking.group(1), trafficking.group(0)  # round 12: never the State left


@pytest.mark.parametrize("name", IDS)
def test_an_in_country_relocation_crosses_no_border(name):
    s = SCENARIOS[name]
    if not relocation_inside_only(territory(s)):
        pytest.skip("people are not moved only inside the host State")
    assert not article(name, "non_discrimination")
    facilitation = article(name, "host_state_facilitation")
    for words in ("border crossing", "airports", "departure from its territory", "exit visa"):
        assert words not in facilitation, facilitation
    assert "to a Transit State" not in definition(name, "Evacuation")


@pytest.mark.parametrize("name", IDS)
def test_no_defined_term_without_a_referent(name):
    s, advice = SCENARIOS[name], advice_of(name)
    if definition(name, "Representing State"):
        assert advice.holders("representing_state") or article(name, "consular_representation")
    if definition(name, "Reception Point"):
        assert has_reception_points(s)
    if definition(name, "Unrepresented national"):
        assert "including, at the date of this" in definition(name, "Unrepresented national")
    transit = definition(name, "Transit State")
    if transit and not (transit_states(s) or territory(s).arrival):
        assert "no Transit State is a Party" in transit, transit
    if not definition(name, "Unrepresented national"):
        assert "Unrepresented national" not in other_text(name)


@pytest.mark.parametrize("name", IDS)
def test_one_phase_vocabulary(name):
    if not definition(name, "Alert Phase"):
        pytest.skip("no Alert Phases")
    for a in advice_of(name).draft.articles:
        if a.clause in ("activation", "definitions"):
            continue
        words = re.finditer(r"\bphases?\b", a.text)
        stray = [m.start() for m in words if a.text[max(0, m.start() - 6) : m.start()] != "Alert "]
        assert not stray, (a.clause, a.text[stray[0] - 80 : stray[0] + 40])


@pytest.mark.parametrize("name", IDS)
def test_a_host_that_receives_people_defines_the_crisis_they_flee(name):
    s = SCENARIOS[name]
    if not host_receives(s):
        pytest.skip("the host does not receive people at its own border")
    crisis = definition(name, "Crisis")
    assert "or that affects another State and causes persons to flee from it into the territory of" in crisis, crisis
    draft = advice_of(name).draft
    assert "now affecting" not in draft.preamble + "\n".join(a.text for a in draft.articles)


@pytest.mark.parametrize("name", IDS)
def test_the_migrant_definition_reads_as_one_sentence(name):
    migrant = definition(name, "Migrant")
    if not migrant:
        pytest.skip("no definition of Migrant")
    assert ", regardless of the means of entry" in migrant, migrant
