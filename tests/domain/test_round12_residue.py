"""Round-12 re-readings: template residue, clauses written for an operation the agreement does not have.

1. A host that is itself a State of arrival (people flee a neighbour into it) was drafted as the State people flee:
   it "shall facilitate the movement of Migrants to safety and their departure", waives exit penalties "at any time,
   before or during the Crisis", considers a "transfer out of danger", and insures its personnel against the war.
2. A flood arrangement with no mutual-aid treaty let "a mutual-aid agreement in force between them" prevail on costs
   "including situations arising from armed conflict"; an annex to a disaster treaty covered any Crisis "whatever
   its cause".
3. Consular and border staff working at a crossing from a State at war had no duty-of-care article (no Party kept a
   consular post in the host and no organization signed).
4. Evacuation machinery in agreements that move nobody: a Laissez-passer sentence in the roles article, "evacuation
   and reception capacity ... any movement they plan", Assembly Points and Manifests for a crew change.
5. Health care "and medical escorts" by the host State, whose duties stop at its border; a Migrant who falls ill
   before departure "shall receive" care from nobody.
"""

from __future__ import annotations

import re

import pytest

from assistant.domain.assembly import text_name
from assistant.domain.territory import receives_people, territory
from tests.domain.corpus import CONFLICT, IDS, SCENARIOS
from tests.domain.corpus import article_text as article
from tests.domain.corpus import corpus_advice as advice_of
from tests.domain.corpus import whole_text as draft_text


def leaving(s) -> bool:
    """Someone is moved out of the host State: Evacuation, onward travel or return."""
    return any(o.id in ("evacuation", "onward_travel", "return") for o in territory(s).operations)


def moves(s) -> bool:
    return any(o.id in ("relocation", "evacuation", "onward_travel") for o in territory(s).operations)


def crew_only(s) -> bool:
    pops = [g for g in s.populations or [] if g.count]
    return bool(pops) and all("seafarers" in (g.sectors or ()) for g in pops)


@pytest.mark.parametrize("name", IDS)
def test_a_state_of_arrival_is_not_drafted_as_the_state_people_flee(name):
    s = SCENARIOS[name]
    if not receives_people(s, s.party(s.host_state)):
        pytest.skip("the host is no State of arrival")
    text = article(advice_of(name), "host_state_facilitation")
    for residue in ("movement of Migrants to safety", "before or during the Crisis", "transfer out of danger",
                    "for exit, for overstay"):  # fmt: skip
        assert residue not in text, residue
    care = article(advice_of(name), "personnel_duty_of_care")
    if care and s.crisis.kind in CONFLICT:
        assert "for those sent to a State affected by the Crisis" in care


@pytest.mark.parametrize("name", IDS)
def test_no_mutual_aid_treaty_prevails_where_none_is_in_force(name):
    s = SCENARIOS[name]
    treaty = "disaster_mutual_aid_treaty" in ((s.funding.existing_instruments or []) if s.funding else [])
    costs = article(advice_of(name), "cost_allocation")
    annexes = "\n".join(x.text for x in advice_of(name).draft.annexes)
    for text in (costs, annexes):
        if "mutual-aid agreement in force" in text or "mutual assistance in disasters" in text:
            assert treaty
    if s.crisis.kind not in CONFLICT:
        assert "armed conflict" not in costs
    if treaty and s.crisis.kind not in CONFLICT:
        assert "whatever its cause" not in article(advice_of(name), "scope")


@pytest.mark.parametrize("name", IDS)
def test_duty_of_care_where_personnel_work_at_a_crossing_from_a_state_in_conflict(name):
    s = SCENARIOS[name]
    where = territory(s)
    if s.crisis.kind not in CONFLICT or not (where.host_fled and where.arrival):
        pytest.skip("no crossing from a State in conflict or unrest")
    assert article(advice_of(name), "personnel_duty_of_care")


@pytest.mark.parametrize("name", IDS)
def test_no_evacuation_machinery_where_nobody_is_moved(name):
    s, advice = SCENARIOS[name], advice_of(name)
    if "travel_documents" not in (s.services_needed or []) and not leaving(s):
        assert "Laissez-passer" not in article(advice, "roles")
    if not moves(s):
        assert "evacuation and reception capacity" not in article(advice, "coordination")
    if crew_only(s) and article(advice, "seafarer_crew_change"):
        ops = article(advice, "operations")
        assert "Assembly Point" not in ops
        assert "Manifest" not in ops
        assert "Assembly Point" not in article(advice, "host_state_facilitation")
        for clause in ("host_state_facilitation", "purpose", "roles"):
            assert "Relocation or Evacuation" not in article(advice, clause), clause
            assert "Relocation and Evacuation" not in article(advice, clause), clause


ESCORTS = re.compile(r"Health care and medical escorts shall be provided by (?P<who>[^.;]*)")


@pytest.mark.parametrize("name", IDS)
def test_the_host_gives_health_care_on_its_territory_and_no_escorts(name):
    s, advice = SCENARIOS[name], advice_of(name)
    where = territory(s)
    states = [p for p in s.parties if p.id in (where.host, *where.arrival)]
    for m in ESCORTS.finditer(article(advice, "operations")):
        for p in states:
            assert text_name(p) not in m.group("who"), m.group(0)
    assert "falls ill or tests positive before departure shall receive" not in draft_text(advice)


# 6. Scope and mandate wider than the population: a State of nationality leading an instrument for its own nationals
#    only (its seafarers' crew change) undertook to assist "all Migrants ... whatever their nationality".
# 7. The preamble recited the IDRL Guidelines where no article requests or deploys international relief, and left out
#    the 1951 Refugee Convention where the articles apply non-refoulement.
# 8. "Operation Lead ... such as family tracing" with no tracing operation; "an Assisting Party that is a State or a
#    local authority" with no local authority; "its consular posts" where no State of nationality is a Party; "the
#    migrant workers in their employ" in a scheme for employees.


@pytest.mark.parametrize("name", IDS)
def test_a_state_leading_for_its_own_nationals_only_does_not_undertake_for_all(name):
    s, advice = SCENARIOS[name], advice_of(name)
    lead = next(iter(advice.holders("lead")), None)
    party = s.party(lead.party) if lead else None
    if party is None or party.kind != "state" or {g.nationality for g in s.populations or [] if g.count} != {party.id}:
        pytest.skip("no State leads for its own nationals only")
    assert "whatever their nationality, and shall coordinate" not in article(advice, "roles")
    assert "including nationals of" not in article(advice, "scope")


IDRL = "International Disaster Relief"
RELIEF = {
    ("deployment_requests", None),
    ("mutual_aid", None),
    ("activation", "on_request"),
    ("cost_allocation", "mutual_aid"),
}


@pytest.mark.parametrize("name", IDS)
def test_the_preamble_recites_the_instruments_the_articles_apply(name):
    advice = advice_of(name)
    preamble = advice.draft.preamble or ""
    if IDRL in preamble:
        assert any((a.clause, None) in RELIEF or (a.clause, a.variant) in RELIEF for a in advice.draft.articles)
    if any("non-refoulement" in a.text for a in advice.draft.articles):
        assert "Status of Refugees of 28 July 1951" in preamble


@pytest.mark.parametrize("name", IDS)
def test_no_template_examples_for_what_the_agreement_does_not_have(name):
    s, advice = SCENARIOS[name], advice_of(name)
    text = draft_text(advice)
    assert "such as family tracing" not in text
    if "an Assisting Party that is a State or a local authority" in text:
        assert any(p.kind == "local_authority" for p in s.parties)
    if "including through its consular posts" in article(advice, "tracing_requests"):
        assert any(p.kind == "state" and p.id != s.host_state for p in s.parties)
    if "the migrant workers in their employ" in article(advice, "scope"):
        assert any(not g.sectors or "other" in g.sectors for g in s.populations or [] if g.count)
