"""Classes of defects found by the blind corpus (issue 12, item 5), each on small scenarios built here.

Each test names the class it guards: territory of the border clauses, the lead of a State's own deployment
scheme, transport for onward travel, employer liability without recruitment agencies, the transit/reception and
cost-allocation articles, the return of confiscated documents, data controllers in a conflict, and the naming
of organizations and of the refugee agency."""

from __future__ import annotations

import re

from assistant.domain.advice import Advice
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario


def build(parties, populations, *, types=(), services=(), kind="armed_conflict", host="host", transit=(), **extra):
    data = {
        "title": "Test",
        "agreement_types": list(types),
        "crisis": {"kind": kind, "phase": "emergency_response"},
        "host_state": host,
        "transit_states": list(transit),
        "parties": parties,
        "populations": populations,
        "services_needed": list(services),
        **extra,
    }
    return evaluate(parse_scenario(data))


def state(pid, name, *roles, **caps):
    return {"id": pid, "name": name, "kind": "state", "crisis_roles": list(roles), "capacities": caps}


IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
}
UNHCR = {
    "id": "unhcr",
    "name": "Office of the United Nations High Commissioner for Refugees",
    "kind": "international_organization",
    "mandates": ["refugee_protection"],
}


def holders(advice: Advice, role: str, for_: str | None = None) -> list[str]:
    return [r.party for r in advice.holders(role) if for_ is None or r.for_ == for_]


def lead(advice: Advice) -> tuple[str | None, str | None]:
    return (holders(advice, "lead") or [None])[0], (holders(advice, "backup_lead") or [None])[0]


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def full_text(advice: Advice) -> str:
    d = advice.draft
    return "\n".join([d.parties or "", d.preamble or "", *(a.text for a in d.articles), *(a.text for a in d.annexes)])


# ---------------------------------------------------------------- 2. a State's own deployment scheme


def own_deployment(populations, **luzara_kw):
    return build(
        [
            state(
                "luzara",
                "Republic of Luzara",
                *luzara_kw.pop("roles", ()),
                deployable_experts=True,
                consular_presence="none",
            ),
            state("host", "Republic of Hostia", "host"),
            {**IOM, "capacities": {"transport": ["land"]}},
        ],
        populations,
        types=["expert_deployment"],
    )


def test_own_deployment_scheme_is_led_by_the_deploying_state_with_mixed_families():
    advice = own_deployment(
        [{"nationality": "luzara", "count": 700}, {"nationality": "other", "count": 300}], roles=["origin"]
    )
    assert lead(advice) == ("luzara", "iom")
    assert {c.id: c.variant for c in advice.clauses}.get("activation") == "own_alert_phases"


def test_own_deployment_scheme_needs_no_origin_crisis_role():
    advice = own_deployment([{"nationality": "luzara", "count": 1000}])
    assert lead(advice) == ("luzara", "iom")


def test_own_deployment_scheme_with_a_few_nationals_fearing_return():
    advice = own_deployment(
        [{"nationality": "luzara", "count": 1000, "vulnerabilities": {"fear_of_return": 5}}], roles=["origin"]
    )
    assert lead(advice) == ("luzara", "iom")
    assert "host" not in holders(advice, "backup_lead")


def test_a_state_whose_nationals_flee_it_does_not_lead_a_deployment_to_them():
    advice = own_deployment(
        [{"nationality": "luzara", "count": 1000, "vulnerabilities": {"fear_of_return": 400}}], roles=["origin"]
    )
    assert lead(advice)[0] != "luzara"


# ---------------------------------------------------------------- 1. territory of a border screening arrangement


def border_screening(**host_fields):
    return build(
        [
            {**state("lyrend", "Republic of Lyrend", "host"), **host_fields},
            state("tavira", "Republic of Tavira", "transit", reception=True),
            UNHCR,
            {**IOM, "capacities": {"transport": ["land"]}},
        ],
        [
            {
                "nationality": "other",
                "count": 5000,
                "irregular_share": 0.5,
                "vulnerabilities": {"refugees_or_asylum_seekers": 2000},
            }
        ],
        types=["protection_referral"],
        services=["reception", "protection_referral", "onward_travel", "shelter"],
        host="lyrend",
        transit=["tavira"],
        host_conditions={"shelters_open_to_all": False, "movement_restrictions": True},
        data={"personal_data_shared": True},
    )


SHELTER_IN_FLED = re.compile(
    r"(^|[.;\n])(?![^.;\n]*\b(no|not|never|nor)\b)[^.;\n]*(relocat\w*|shelter\w*|centres)\s+(\w+\s+){0,4}"
    r"(in|within|inside)\s+(the\s+)?(territory\s+of\s+)?(the\s+)?Republic\s+of\s+Lyrend"
)


def test_border_screening_clauses_speak_of_the_state_of_arrival():
    advice = border_screening()
    text = full_text(advice)
    assert not SHELTER_IN_FLED.search(text)
    assert "Migrants in the Republic of Lyrend" not in article(advice, "purpose")
    assert "the Republic of Tavira" in article(advice, "purpose")
    assert "near the territory of the Republic of Lyrend" not in article(advice, "coordination")
    firewall = article(advice, "firewall")
    assert firewall
    assert "The Host State shall" not in firewall
    assert "The Republic of Tavira, as State of arrival, shall ensure" in firewall
    assert not re.search(r"Republic of Lyrend[^.]{0,40}\bshall\b", article(advice, "personnel_duty_of_care"))


def test_border_screening_requests_the_fled_state_that_does_not_sign():
    # The State people flee, listed only because the contract names the host and bringing nothing of its own, takes
    # part without signing (assistant.domain.signing): it is requested, never bound, and holds no role.
    advice = border_screening()
    chosen = {c.id: c.variant for c in advice.clauses}
    assert chosen.get("host_state_facilitation") == "host_not_party"
    facilitation = article(advice, "host_state_facilitation")
    assert "request the Republic of Lyrend" in facilitation
    assert not re.search(r"Republic of Lyrend[^.]{0,40}\bshall\b", facilitation)
    assert "Republic of Lyrend, as a Party" not in article(advice, "scope")
    assert not [r for r in advice.roles if r.party == "lyrend"]


def test_border_screening_binds_the_fled_state_that_signs_on_its_own_territory():
    # Marked as signing, the State people flee is a Party: bound to facilitate departure on its own territory
    # (tests/domain/test_territory_coherence.py), never requested like a third State.
    advice = border_screening(signatory=True)
    chosen = {c.id: c.variant for c in advice.clauses}
    assert chosen.get("host_state_facilitation") == "fled_host"
    assert "request the Republic of Lyrend" not in article(advice, "host_state_facilitation")
    assert "Republic of Lyrend, as a Party" in article(advice, "scope")


# ---------------------------------------------------------------- 3. transport for onward travel


def crew_change():
    return build(
        [
            state("portia", "Republic of Portia", "host", "transit", reception=True),
            state("manila", "Republic of Manila", "origin", consular_presence="embassy", bridging_fund=True),
            {"id": "skyline", "name": "Skyline Air", "kind": "carrier", "capacities": {"transport": ["air"]}},
            {
                "id": "oceanic",
                "name": "Oceanic Shipping Lines",
                "kind": "carrier",
                "capacities": {"transport": ["sea"]},
            },
        ],
        [{"nationality": "manila", "count": 800, "sectors": ["seafarers"]}],
        kind="epidemic",
        types=["service_prearrangement"],
        services=["onward_travel", "reception", "health_care"],
        host="portia",
        transit=[],
        funding={"share_costs": True, "employer_liability_law": True, "estimated_cost": 400000},
    )


def test_a_carrier_provides_transport_for_onward_travel():
    advice = crew_change()
    assert {"skyline", "oceanic"} <= set(holders(advice, "transport_provider"))


def test_no_transport_provider_role_for_the_state_people_flee():
    advice = border_screening()
    assert "iom" in holders(advice, "transport_provider")
    assert "lyrend" not in holders(advice, "transport_provider")


# ---------------------------------------------------------------- 4. employer liability follows the law


def test_shipowner_liability_gives_the_employer_liability_model():
    advice = crew_change()
    models = {m.id for m in advice.cost_allocation.models}
    assert "employer_liability" in models
    assert "oceanic" in holders(advice, "liable_private_party")
    assert "skyline" not in holders(advice, "liable_private_party")
    shares = {s.party: s for s in advice.cost_allocation.shares}
    assert "oceanic" not in shares  # the crew-change article alone puts their repatriation on it: no share of costs
    assert "manila" not in shares


def test_employers_party_under_a_liability_law_without_agencies():
    advice = build(
        [
            state("host", "Republic of Hostia", "host"),
            state("alpha", "Republic of Alpha", "origin", bridging_fund=True),
            {"id": "builders", "name": "Hostian Builders Ltd", "kind": "employer"},
            IOM,
        ],
        [{"nationality": "alpha", "count": 1000, "sectors": ["construction"], "recruited_through_agencies": False}],
        types=["evacuation_relocation"],
        funding={"share_costs": True, "employer_liability_law": True},
    )
    assert "employer_liability" in {m.id for m in advice.cost_allocation.models}


def test_no_employer_liability_without_the_law():
    advice = build(
        [
            state("host", "Republic of Hostia", "host"),
            {"id": "builders", "name": "Hostian Builders Ltd", "kind": "employer"},
            IOM,
        ],
        [{"nationality": "other", "count": 100, "sectors": ["construction"]}],
        types=["evacuation_relocation"],
        funding={"share_costs": True, "employer_liability_law": False},
    )
    assert "employer_liability" not in {m.id for m in advice.cost_allocation.models}


# ---------------------------------------------------------------- 5. transit/reception and cost-allocation articles


def test_transit_state_with_reception_capacity_gets_its_article():
    advice = build(
        [
            state("host", "Republic of Hostia", "host"),
            state("portia", "Republic of Portia", "transit", reception=True),
            {**IOM, "capacities": {"transport": ["air"]}},
        ],
        [{"nationality": "other", "count": 300, "sectors": ["seafarers"]}],
        kind="epidemic",
        types=["service_prearrangement"],
        services=["onward_travel", "reception"],
    )
    assert "transit_reception" in {c.id for c in advice.clauses}


def test_no_transit_article_without_a_receiving_party():
    advice = build(
        [state("host", "Republic of Hostia", "host"), state("portia", "Republic of Portia", "transit"), IOM],
        [{"nationality": "other", "count": 300}],
        kind="epidemic",
        types=["service_prearrangement"],
        services=["onward_travel"],
    )
    assert "transit_reception" not in {c.id for c in advice.clauses}


def test_a_cost_sharing_framework_always_has_its_cost_allocation_article():
    advice = build(
        [
            state("manila", "Republic of Manila", "origin", bridging_fund=True),
            state("host", "Republic of Hostia", "host"),
            {"id": "agency", "name": "Bright Horizon Placement Agency", "kind": "recruiter"},
        ],
        [{"nationality": "manila", "count": 5000, "recruited_through_agencies": True, "sectors": ["domestic_work"]}],
        types=["cost_sharing_framework"],
        funding={"share_costs": True, "employer_liability_law": True},
    )
    text = article(advice, "cost_allocation")
    assert text
    assert re.search(r"in particular in Articles? \d+", text)


# ---------------------------------------------------------------- 6. confiscated documents returned


def test_employers_federation_returns_confiscated_passports():
    advice = build(
        [
            state("host", "Republic of Hostia", "host"),
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy", travel_documents=True),
            {"id": "federation", "name": "Federation of Hostian Employers", "kind": "employers_federation"},
            IOM,
        ],
        [
            {
                "nationality": "alpha",
                "count": 20000,
                "sectors": ["domestic_work"],
                "vulnerabilities": {"documents_confiscated": 12000},
            }
        ],
        kind="civil_unrest",
        types=["evacuation_relocation"],
        services=["travel_documents"],
    )
    pattern = re.compile(r"(return|restitution|hand\w*\s+over|surrender)\w*[^.]{0,80}(passport|identity document)")
    assert pattern.search(article(advice, "employer_liability"))
    assert pattern.search(article(advice, "identity_documents"))


# ---------------------------------------------------------------- 7. data controllers in a conflict


def test_a_de_facto_authority_that_publishes_lists_controls_no_register():
    advice = build(
        [
            state("egypt", "Republic of Egyptia", "transit", reception=True),
            {
                "id": "coastal_admin",
                "name": "Coastal Administration",
                "kind": "local_authority",
                "crisis_roles": ["host"],
                "capacities": {"identity_verification": True},
            },
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy", identity_verification=True),
            IOM,
        ],
        [
            {"nationality": "alpha", "count": 600},
            {"nationality": "other", "count": 400, "vulnerabilities": {"fear_of_return": 50}},
        ],
        types=["evacuation_relocation", "identity_verification"],
        services=["evacuation_transport", "identity_verification", "reception"],
        host="coastal_admin",
        transit=["egypt"],
        data={"personal_data_shared": True},
    )
    assert "coastal_admin" not in holders(advice, "data_controller")


def test_the_host_state_in_a_conflict_keeps_no_protection_case_files():
    advice = build(
        [state("host", "Republic of Hostia", "host"), IOM],
        [{"nationality": "other", "count": 400, "vulnerabilities": {"refugees_or_asylum_seekers": 100}}],
        types=["protection_referral"],
        data={"personal_data_shared": True},
    )
    assert "host" not in holders(advice, "data_controller", "protection_case_files")
    assert any("protection case files" in d for f in advice.risk_flags if f.id == "capacity_gap" for d in f.details)


def test_the_refugee_agency_keeps_protection_case_files_in_a_conflict():
    advice = build(
        [state("host", "Republic of Hostia", "host"), UNHCR],
        [{"nationality": "other", "count": 400, "vulnerabilities": {"refugees_or_asylum_seekers": 100}}],
        types=["protection_referral"],
        data={"personal_data_shared": True},
    )
    assert holders(advice, "data_controller", "protection_case_files") == ["unhcr"]


def test_the_host_state_in_a_flood_keeps_protection_case_files_without_an_agency():
    advice = build(
        [state("host", "Republic of Hostia", "host"), IOM],
        [{"nationality": "other", "count": 400, "vulnerabilities": {"trafficking_indicators": 10}}],
        kind="natural_hazard",
        types=["protection_referral"],
        data={"personal_data_shared": True},
    )
    assert holders(advice, "data_controller", "protection_case_files") == ["host"]


# ---------------------------------------------------------------- 8. naming


def test_organizations_keep_their_own_abbreviations():
    advice = border_screening()
    assert "OUNHCR" not in full_text(advice)
    assert "the Office of the United Nations High Commissioner for Refugees (UNHCR)" in advice.draft.parties


def test_unknown_organizations_get_no_invented_abbreviation():
    from assistant.domain.assembly import acronym

    assert acronym("Regional Migration Coordination Office") is None
    assert acronym("International Organization for Migration") == "IOM"


def consular_framework():
    return build(
        [
            state("host", "Republic of Hostia", "host"),
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy"),
            state("beta", "Republic of Beta", "origin", consular_presence="none"),
        ],
        [{"nationality": "alpha", "count": 300}, {"nationality": "beta", "count": 200}],
        kind="natural_hazard",
        types=["consular_representation"],
    )


def test_coordination_names_unhcr_only_when_refugee_protection_is_in_play():
    assert "High Commissioner for Refugees" not in article(consular_framework(), "coordination")
    assert "High Commissioner for Refugees" in article(border_screening(), "coordination")


def test_alert_phase_definition_follows_the_own_alert_phases_variant():
    advice = own_deployment([{"nationality": "luzara", "count": 1000}], roles=["origin"])
    definitions = article(advice, "definitions")
    assert "common alert system applied by the Parties" not in definitions
    alert = re.search(r'"Alert Phase" means [^.]*', definitions).group(0)
    assert "crisis alert system of the Republic of Luzara" in alert
    assert "State of nationality" not in alert
