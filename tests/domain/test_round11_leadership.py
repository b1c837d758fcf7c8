"""Round-11 classes on leadership and coordinating functions (blind legal readers of unseen scenarios):

1. An origin State led a border transit operation on the territory of a State of arrival that is a Party with a
   reception capacity and an asylum authority (moldova2022): that State leads whatever the instrument's first
   purpose, and no other State backs it up (it would inherit functions only the territorial State holds).
2. A regional body's funding mechanism (financing only, no field presence) was Backup Lead Party (libya2011): a
   Party there for financing only never leads, backs up or leads an operation.
3. An organization that deploys no one directed a deployment of experts requested by a host State's civil-protection
   body (aadmer): outside a conflict that body directs them.
4. A host State entered as its office for refugees was host liaison, the channel to the consular posts of the
   States refugees flee (obock): such an organ holds no host liaison role.
5. "Information ... coordinated by X, Y and Z as information focal point", one of them a Participant that cannot be
   bound (thai2011, aadmer, moldova2022, abidjan2011); and the State people flee issued common public advice
   (libya2011): one coordinating holder, a Party that can be bound, issues both.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import text_name
from assistant.domain.evaluate import evaluate, financing_only, main_purpose, unbound_participants
from assistant.domain.territory import territory
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]
# Operations of their own, which keep their own Operation Lead even at a border
OWN_OPERATIONS = ("evacuation_relocation", "family_tracing", "expert_deployment")


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def holders(name: str, role: str, for_: str | None = None) -> list[str]:
    return [r.party for r in advice_of(name).holders(role) if for_ is None or r.for_ == for_]


def border_authorities(name: str) -> list[str]:
    """States of arrival at a border operation that receive people and have an asylum authority."""
    s = SCENARIOS[name]
    where = territory(s)
    if not where.at_border:
        return []
    return [
        p.id
        for p in s.parties
        if p.id in where.arrival
        and p.kind == "state"
        and "transit" in (p.crisis_roles or [])
        and p.capacities
        and p.capacities.reception
        and "refugee_protection" in (p.mandates or [])
    ]


@pytest.mark.parametrize("name", IDS)
def test_the_state_of_arrival_leads_an_operation_at_its_border(name):
    s, advice = SCENARIOS[name], advice_of(name)
    arrival = border_authorities(name)
    main, _ = main_purpose(s, advice)
    if not arrival or main in OWN_OPERATIONS:
        pytest.skip("no State of arrival with an asylum authority at a border operation it does not lead by nature")
    lead = holders(name, "lead")
    assert lead, "no lead"
    assert lead[0] in arrival, lead
    others = {p.id for p in s.parties if p.kind == "state" and p.id not in arrival}
    assert not others & set(holders(name, "backup_lead")), holders(name, "backup_lead")


@pytest.mark.parametrize("name", IDS)
def test_a_party_there_for_financing_only_never_leads(name):
    funders = financing_only(SCENARIOS[name])
    if not funders:
        pytest.skip("no Party for financing only")
    for role in ("lead", "backup_lead", "operation_lead"):
        assert not funders & set(holders(name, role)), (role, funders)


@pytest.mark.parametrize("name", IDS)
def test_a_host_civil_protection_body_directs_the_experts_it_requests(name):
    s = SCENARIOS[name]
    host = s.party(s.host_state)
    if not (
        host
        and host.kind == "state"
        and "civil_protection" in (host.mandates or [])
        and s.crisis.kind not in ("armed_conflict", "civil_unrest")
        and "expert_deployment" in s.agreement_types
    ):
        pytest.skip("no expert deployment requested by a host civil-protection body outside a conflict")
    directing = holders(name, "operation_lead", "expert_deployment") or holders(name, "lead")
    for pid in directing:
        p = s.party(pid)
        assert pid == host.id or (p.capacities and p.capacities.deployable_experts), pid


@pytest.mark.parametrize("name", IDS)
def test_an_office_for_refugees_is_no_host_liaison(name):
    s = SCENARIOS[name]
    refugee_organs = {p.id for p in s.parties if "refugee_protection" in (p.mandates or []) and p.kind == "state"}
    if not refugee_organs:
        pytest.skip("no State Party entered with a refugee-protection mandate")
    assert not refugee_organs & set(holders(name, "host_liaison"))


@pytest.mark.parametrize("name", IDS)
def test_information_to_migrants_has_one_coordinator_that_can_be_bound(name):
    s, advice = SCENARIOS[name], advice_of(name)
    focal = holders(name, "information_focal_point")
    if not focal:
        pytest.skip("no information focal point")
    assert len(focal) == 1, focal
    if holders(name, "lead"):
        assert focal[0] not in unbound_participants(s), focal
        assert focal[0] not in financing_only(s), focal
    text = "\n".join(a.text for a in advice.draft.articles)
    for sentence in re.findall(r"Information to Migrants (?:shall|will) be coordinated by [^.]*", text):
        assert " and " not in sentence.split(" by ", 1)[1].split(" as information")[0], sentence


@pytest.mark.parametrize("name", IDS)
def test_common_public_advice_comes_from_the_information_coordinator_never_the_state_people_flee(name):
    s, advice = SCENARIOS[name], advice_of(name)
    text = "\n".join(a.text for a in advice.draft.articles)
    issued = re.search(r"Common public advice based on shared monitoring shall be issued by (.*?), without", text)
    if not issued:
        pytest.skip("no common public advice")
    if territory(s).host_fled:
        host = s.party(s.host_state)
        assert text_name(host) not in issued[1], issued[1]
    focal = holders(name, "information_focal_point")
    if focal:
        assert text_name(s.party(focal[0])) in issued[1], (focal, issued[1])
