"""Who issues travel documents and who is bound for them, over the whole corpus (shipped, training and blind).

Round-8 legal readings: a scope of all Migrants covers nationals of States that are not Parties, so the identity
article never tells "the State of nationality" to issue documents as if every one signed; only a State issues its
nationals' travel documents, so an organization or a State of no Migrant's nationality verifies, transmits and
delivers, never "is responsible for" emergency travel documents; a refugee agency that signs is bound by name,
never asked as an outside body; stateless persons are referred to statelessness determination.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.advice import Advice
from assistant.domain.assembly import text_name
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario
from assistant.domain.signing import signs
from tests.domain.corpus import corpus_scenarios

SCENARIOS = list(corpus_scenarios())
IDS = [n for n, _ in SCENARIOS]


@cache
def _advice(name: str) -> Advice:
    return evaluate(dict(SCENARIOS)[name])


def _article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def _nationality_ids(s: Scenario) -> set[str]:
    return {g.nationality for g in s.populations or [] if g.count} | {
        p.id for p in s.parties if "origin" in (p.crisis_roles or [])
    }


# "the State of nationality shall issue" / "the State of nationality of any of its members shall issue": a duty
# on every State of nationality, as if each one signed.
EVERY_STATE_ISSUES = re.compile(r"\bthe State of nationality (?:of any of its members )?(?:shall|will) issue\b")
RESPONSIBLE = re.compile(
    r"Identity verification and emergency travel documents (?:shall|will) be the responsibility of ([^.]*)\."
)


@pytest.mark.parametrize("name", IDS)
def test_a_scope_of_all_migrants_binds_only_the_states_of_nationality_that_sign(name):
    advice = _advice(name)
    scope, identity = _article(advice, "scope"), _article(advice, "identity_documents")
    # a family's Laissez-passer is never asked of "the State of nationality of any of its members", which may be
    # a State that is not a Party
    assert not re.search(r"the State of nationality of any of its members (?:shall|will) issue", identity), name
    if "applies to all Migrants" not in scope:
        return
    assert not EVERY_STATE_ISSUES.search(identity), f"{name}: every State of nationality told to issue documents"
    assert "States that are not Parties, by their State of nationality" not in identity, (
        f"{name}: a State that is not a Party told to issue through its mission"
    )


@pytest.mark.parametrize("name", IDS)
def test_only_a_signing_state_of_nationality_is_responsible_for_travel_documents(name):
    s = dict(SCENARIOS)[name]
    roles = _article(_advice(name), "roles")
    match = RESPONSIBLE.search(roles)
    if not match:
        return
    nationals = _nationality_ids(s)
    for p in s.parties:
        if text_name(p) in match.group(1).split(", each State")[0]:
            why = f"{name}: {p.name} made responsible for emergency travel documents it cannot issue"
            assert p.kind == "state", why
            assert p.id in nationals, why
            assert signs(s, p.id), why


@pytest.mark.parametrize("name", IDS)
def test_a_signing_refugee_agency_is_bound_by_name(name):
    s = dict(SCENARIOS)[name]
    agency = next(
        (
            p
            for p in s.parties
            if p.kind == "international_organization" and "refugee_protection" in (p.mandates or []) and signs(s, p.id)
        ),
        None,
    )
    identity = _article(_advice(name), "identity_documents")
    if agency is None or not identity:
        return
    assert "the organization mandated to protect refugees and stateless persons" not in identity, (
        f"{name}: the refugee agency that signs is addressed as an outside body"
    )
    bound = re.compile(rf"{re.escape(text_name(agency)[1:])} (?:shall|will) assist")
    assert bound.search(identity), f"{name}: the refugee agency that signs has no duty"


@pytest.mark.parametrize("name", IDS)
def test_stateless_persons_are_referred_to_statelessness_determination(name):
    identity = _article(_advice(name), "identity_documents")
    if identity:
        assert "determination of statelessness" in identity, f"{name}: stateless persons left at a transit stay"


@pytest.mark.parametrize("name", IDS)
def test_a_tracing_service_that_no_party_forms_is_requested_not_bound(name):
    """Where no Party traces, the Parties request the Movement's tracing services and undertake their own duties:
    no placeholder service is designated, and no "shall" falls on a service that has not signed."""
    tracing = _article(_advice(name), "tracing_requests")
    if not tracing:
        return
    first = tracing.split("\n\n")[0]
    assert "[to be agreed" not in first.split('(the "Tracing Service")')[0], f"{name}: a placeholder Tracing Service"
    if re.search(r'request [^.]*\(the "Tracing Service"\)', first):
        assert not re.search(r"\bthe Tracing Service (?:shall|will)\b", tracing, re.I), (
            f"{name}: a duty on a Tracing Service that no Party forms"
        )


@pytest.mark.parametrize("name", IDS)
def test_the_child_protection_authority_is_named_by_its_state(name):
    """Children are referred to an authority a reader can find: the child-protection authority of the State of
    arrival at the border, else of the host (of the State where the child is, when people flee the host), or a
    Party that holds child protection; never "the competent child-protection authority" of no State."""
    advice = _advice(name)
    for clause in ("protection_referral", "tracing_requests"):
        text = _article(advice, clause)
        assert not re.search(r"the competent child-protection authority(?! of )", text), (
            f"{name}: {clause} refers children to an authority of no State"
        )


@pytest.mark.parametrize("name", IDS)
def test_a_state_people_fear_decides_nothing_for_them(name):
    """Where refugees, asylum-seekers or people who fear return are among those covered, the roles article denies
    every State of nationality any part in activating, ending or deciding operations for people who fear it, and
    its fallback on activation gives a State of nationality no say for them."""
    s = dict(SCENARIOS)[name]
    fear = any(
        (g.vulnerabilities or {}).get(v, 0) > 0
        for g in s.populations or []
        for v in ("refugees_or_asylum_seekers", "fear_of_return")
    )
    roles = _article(_advice(name), "roles")
    if not fear or not roles:
        return
    assert "with respect to persons who seek protection from it" in roles, f"{name}: a feared State may activate"
    assert not re.search(r"decides on the activation of its own arrangements for its nationals,(?! save)", roles), (
        f"{name}: a feared State decides on activation for its nationals"
    )


@pytest.mark.parametrize("name", IDS)
def test_a_backup_lead_is_fit_or_none_is_named(name):
    """No Party is told to choose a Backup Lead Party from nobody: with no fit backup the article says none is
    designated. A family-tracing lead is never backed up by a State of nationality (it would take over enquiries
    about its nationals), nor a State's own repatriation scheme by the host State."""
    from assistant.domain.evaluate import OWN_SCHEME_RULES, main_purpose

    s = dict(SCENARIOS)[name]
    advice = _advice(name)
    roles = _article(advice, "roles")
    assert "designate by consensus a Backup Lead Party" not in roles, f"{name}: a backup chosen from nobody"
    backup = next(iter(advice.holders("backup_lead")), None)
    lead = next(iter(advice.holders("lead")), None)
    if backup is None or lead is None:
        return
    p = s.party(backup.party)
    if main_purpose(s, advice)[0] == "family_tracing":
        assert not (p.kind == "state" and p.id in _nationality_ids(s)), (
            f"{name}: a State of nationality backs up tracing"
        )
    if any(r in OWN_SCHEME_RULES for r in lead.because):
        assert backup.party != s.host_state, f"{name}: the host backs up another State's own scheme"


LEAD_DESIGNATES_ABROAD = re.compile(
    r"Lead Party (?:shall|will),[^.]*in consultation with the competent authorities of [^.]*designate Assembly Points"
)


@pytest.mark.parametrize("name", IDS)
def test_assembly_points_are_designated_by_their_territorial_state(name):
    """A Lead Party never designates Assembly Points on another State's territory, and where an Operation Lead
    coordinates evacuation, Assembly Points, routes and means of transport are its functions, not the Lead
    Party's."""
    advice = _advice(name)
    text = "\n".join(a.text for a in advice.draft.articles)
    assert not LEAD_DESIGNATES_ABROAD.search(text), f"{name}: the Lead Party designates Assembly Points abroad"
    assert "designated by the Lead Party" not in text, f"{name}: the Lead Party designates Assembly Points"
    evac_lead = any(r.for_ in ("evacuation", "evacuation_relocation") for r in advice.holders("operation_lead"))
    if evac_lead:
        assert not re.search(r"The Lead Party[^.]*designate Assembly Points, routes", _article(advice, "operations")), (
            f"{name}: the Lead Party sets routes beside the Operation Lead for evacuation"
        )


@pytest.mark.parametrize("name", IDS)
def test_relocation_inside_the_host_is_not_written_around_exit(name):
    """An agreement whose only movement is Relocation inside the Host State (no evacuation, reception abroad or
    onward travel) commits the host to authorize movement to and residence in the receiving localities and to
    suspend movement restrictions, not to let people leave; its identity article speaks of no exit or Transit
    State; each local authority Party that shelters relocated Migrants has a commitment of its own."""
    from assistant.domain.assembly import draft_context

    s = dict(SCENARIOS)[name]
    advice = _advice(name)
    ctx = draft_context(s, advice)
    if not ctx.get("relocation_inside_only") or ctx.get("at_border"):
        return
    facilitation, identity = _article(advice, "host_state_facilitation"), _article(advice, "identity_documents")
    operations = _article(advice, "operations")
    for text, clause in ((facilitation, "host_state_facilitation"), (operations, "operations")):
        assert "departure from its territory" not in text, f"{name}: {clause} on exit"
        assert "exit visas" not in text, f"{name}: {clause} on exit"
    assert "Transit State" not in identity, f"{name}: identity on exit"
    assert "for the Evacuation" not in identity, f"{name}: identity on exit"
    if facilitation and ctx.get("host_signs", True):
        assert "authorize the movement of Migrants relocated" in facilitation, f"{name}: no authorization to reside"
    for m in ctx.get("local_party_names") or []:
        if m in (ctx.get("role_logistics_provider") or []) and m != ctx.get("host_name"):
            assert f"{m[1:]} shall, within its competence, receive" in facilitation or (
                f"{m[1:]} will, within its competence, receive" in facilitation
            ), f"{name}: {m} hosts without a commitment of its own"


@pytest.mark.parametrize("name", IDS)
def test_a_national_society_of_a_state_of_arrival_works_on_its_own_territory(name):
    """The National Society of a State of arrival is never tasked at Assembly Points inside the Host State: the
    tasks of a Party or Participant stay on its territory."""
    from assistant.domain.territory import territory

    s = dict(SCENARIOS)[name]
    where = territory(s)
    operations = _article(_advice(name), "operations")
    assembly = re.search(
        r"Shelter(?:, food and water)? at Assembly Points (?:shall|will) be provided by ([^.]*)\.", operations
    )
    if not assembly or not where.arrival or where.at_border:
        return  # at the border the Assembly Points are on the territory of the State of arrival
    arrival_words = {
        w
        for a in where.arrival
        if (st := s.party(a)) is not None and st.kind == "state"
        for w in st.name.rsplit(" of ", 1)[-1].split()
    }
    for p in s.parties:
        if p.kind == "national_society" and text_name(p) in assembly.group(1):
            assert not (set(p.name.split()) & arrival_words), f"{name}: {p.name} tasked inside the Host State"
