"""Blind readers' classes fixed by rule (exit penalties waived whenever incurred; more below), as invariants over the
shipped, training and blind scenarios, stated on the scenario alone."""

from __future__ import annotations

import re

import pytest

from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario
from tests.domain.corpus import corpus_scenarios

EXAMPLES = list(corpus_scenarios())
IDS = [n for n, _ in EXAMPLES]


def article_text(s: Scenario, clause: str) -> str:
    return next((a.text for a in evaluate(s).draft.articles if a.clause == clause), "")


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_exit_penalties_are_waived_whenever_incurred_where_they_block_departure(name, s):
    """Where the host imposes exit penalties or migrants in irregular status are concerned (an exit amnesty), the
    waiver covers penalties incurred at any time, not only during the Crisis."""
    text = article_text(s, "host_state_facilitation")
    if "penalties for exit" not in text:
        return
    blocked = bool(s.host_conditions and s.host_conditions.exit_penalties) or any(
        (g.irregular_share or 0) > 0 for g in s.populations or []
    )
    assert ("at any time, before or during the Crisis" in text) == blocked
    assert ("during or on account of the Crisis" in text) != blocked


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_nationals_of_a_state_that_cannot_issue_documents_have_an_issuer(name, s):
    """A State Party with no career post in the host (none, or only an honorary consul) that does not say it issues
    travel documents gets an issuer for its nationals in the identity-documents article: a Representing State, its
    nearest mission with an organization's help, or a visible hole, never silence."""
    text = article_text(s, "identity_documents")
    if "Laissez-passer shall be issued or arranged" not in text:
        return
    issued = text.split("Laissez-passer shall be issued or arranged", 1)[1].split(". ")[0]
    for p in s.parties:
        caps = p.capacities
        nationals = [g for g in s.populations or [] if g.nationality == p.id and g.count]
        at_risk = sum(
            max((g.vulnerabilities or {}).get(v, 0) for v in ("refugees_or_asylum_seekers", "fear_of_return"))
            for g in nationals
        )
        if p.kind != "state" or not nationals or at_risk >= sum(g.count for g in nationals) or caps is None:
            continue
        if caps.consular_presence in ("none", "honorary") and not caps.travel_documents:
            entity = p.name.split(" (")[0]
            assert entity in issued, f"{name}: no issuer for nationals of {entity}"


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_screening_for_protection_needs_has_a_referral_article(name, s):
    """Whenever protection needs exist (refugees, asylum-seekers, fear of return, confiscated documents as a
    trafficking indicator) and the identity article screens people, the draft has the referral article the
    screening refers to, and never "referred accordingly" with nowhere to refer."""
    advice = evaluate(s)
    arts = {a.clause: a.text for a in advice.draft.articles}
    assert all("referred accordingly" not in text for text in arts.values()), name
    needs = any(
        (g.vulnerabilities or {}).get(v, 0) > 0
        for g in s.populations or []
        for v in ("refugees_or_asylum_seekers", "fear_of_return", "documents_confiscated")
    )
    rejected = any(getattr(r, "id", None) == "protection_referral" for r in advice.rejected)
    if needs and "identity_documents" in arts and not rejected:
        assert "protection_referral" in arts, name


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_people_seeking_protection_are_referred_to_a_named_holder(name, s):
    """The referral article names who receives people seeking protection: the Party holding the referral, or the
    refugee agency whose assistance the Parties request; never an organization left unnamed."""
    text = article_text(s, "protection_referral")
    if not text:
        return
    target = text.split("persons who express a fear of return and stateless persons to ", 1)[1].split(";")[0]
    holders = {r.party for r in evaluate(s).holders("protection_referral")}
    assert holders or ("Refugees" in target and "jointly request" in target), (name, target)


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_one_lead_per_function_and_own_phases_only_for_the_scheme_state_that_leads(name, s):
    """A State activates on its own Alert Phases only where it leads the instrument as its own scheme; no State of
    nationality is the Operation Lead of an operation that moves or registers people of several nationalities."""
    advice = evaluate(s)
    lead = next((r for r in advice.holders("lead")), None)
    variant = next((c.variant for c in advice.clauses if c.id == "activation"), None)
    if variant == "own_alert_phases":
        assert lead is not None, name
        assert any("own" in r and "scheme" in r for r in lead.because), name
    nationalities = {g.nationality for g in s.populations or [] if g.count}
    if len(nationalities) >= 2:
        for r in advice.holders("operation_lead"):
            p = s.party(r.party)
            if r.for_ in ("evacuation_relocation", "service_prearrangement") and p.kind == "state":
                assert r.party not in nationalities, (name, r.party)
                assert "origin" not in (p.crisis_roles or []), (name, r.party)


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_relocation_before_evacuation_never_restricts_leaving(name, s):
    """The movement article suggests Relocation within the host before Evacuation only in a conflict, unrest or
    natural hazard, and always says it restricts neither the right to leave nor a State evacuating its own
    nationals; never "Evacuation shall be a measure of last resort" in a repatriation scheme, an epidemic or an
    accident."""
    art = next((a for a in evaluate(s).draft.articles if a.clause == "operations"), None)
    if art is None or art.variant != "standard":
        return  # the in-country relocation variant is a relocation plan, evacuation at a State's request
    text = art.text
    assert "measure of last resort" not in text, name
    if "before their Evacuation" in text:
        assert s.crisis.kind in ("armed_conflict", "civil_unrest", "natural_hazard"), name
        assert "restricts the right of any Migrant to leave" in text, name


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_manifests_never_go_to_the_state_people_fled_at_the_border(name, s):
    """At the border the Manifest goes to the States of arrival for entry and transit, never to the authorities of
    the State the Migrants have left; where people leave the host, it gets what exit needs, without those who seek
    protection."""
    from assistant.domain.territory import territory

    text = article_text(s, "operations")
    if "share the Manifest" not in text:
        return
    where = territory(s)
    if where.at_border:
        assert "competent authorities of the Host State" not in text, name
        assert "which the Migrants have left" in text, name
    elif where.host_fled:
        assert "excluding any person who seeks international protection from it" in text, name


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_an_employer_carrying_people_receives_only_passenger_data(name, s):
    """An employer, recruiter or employers' federation that provides transport is named among the recipients of the
    movement data set only for the passenger data of the movement it operates."""
    advice = evaluate(s)
    protocol = next((a.text for a in advice.draft.annexes if "Movement data set" in a.text), "")
    if not protocol:
        return
    for r in advice.holders("transport_provider"):
        p = s.party(r.party)
        if p.kind in ("employer", "recruiter", "employers_federation") and p.name.split(" (")[0] in protocol:
            # passenger data only, or (round 8) none: the carrier it engages receives them directly, the employers'
            # body itself only what the protocol's protection paragraph allows an employers' body
            assert "only the name, date of birth and travel-document number" in protocol or re.search(
                re.escape(p.name.split(" (")[0]) + r"[^;]*\b(itself|themselves) receiving only what paragraph", protocol
            ), (name, p.id)
