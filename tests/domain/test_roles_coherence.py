"""Roles that hold together (blind review, rubric point 4 and 5), each class on small scenarios built here.

1. A State of nationality verifies, and keeps records on, its own nationals only: a register of several
   nationalities is controlled by a Party that is no State of nationality (an organization with a migration
   mandate, a neutral verifier), else a hole; the Manifest is prepared by the controller of the registers.
2. No "Parties designated in Annex A" for a service Annex A gives nobody: the holder is named, or a hole.
3. Duties only on Parties: no documentation duties for an organization that is not a Party.
4. The backup lead fits: no State of nationality backs up a multinational operation when another candidate
   exists; the State people flee never leads or backs up an operation at its neighbour's border.
5. The lead's decision on places is final only on its own transport."""

from __future__ import annotations

import re

from assistant.domain.advice import Advice
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario


def build(parties, populations, *, types=("evacuation_relocation",), services=(), kind="armed_conflict", **extra):
    data = {
        "title": "Test",
        "agreement_types": list(types),
        "crisis": {"kind": kind, "phase": "emergency_response"},
        "host_state": "host",
        "transit_states": extra.pop("transit", []),
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
    "capacities": {"transport": ["sea"], "identity_verification": True, "travel_documents": True},
}
DATA = {"data": {"personal_data_shared": True, "cross_border_transfer": True, "shared_with_origin_states": True}}
SERVICES = ("evacuation_transport", "identity_verification", "travel_documents", "shelter", "food", "health_care")


def origin_states(**alba_caps):
    return [
        state(
            "alba",
            "Republic of Alba",
            "origin",
            consular_presence="embassy",
            identity_verification=True,
            travel_documents=True,
            **alba_caps,
        ),
        state(
            "bora",
            "Republic of Bora",
            "origin",
            consular_presence="embassy",
            identity_verification=True,
            travel_documents=True,
        ),
        state("host", "Republic of Hostia", "host"),
    ]


POPS = [{"nationality": "alba", "count": 3000}, {"nationality": "bora", "count": 2000}]


def holders(advice: Advice, role: str, for_: str | None = None) -> list[str]:
    return [r.party for r in advice.holders(role) if for_ is None or r.for_ == for_]


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def flag_details(advice: Advice, flag: str) -> str:
    return " ".join(d for f in advice.risk_flags if f.id == flag for d in f.details)


# ---------------------------------------------------------------- 1. registers of several nationalities


def multinational_identity(*extra_parties):
    return build(
        origin_states(transport=["air"]) + list(extra_parties),
        POPS,
        types=("evacuation_relocation", "identity_verification"),
        services=SERVICES,
        **DATA,
    )


def test_no_state_of_nationality_controls_a_register_of_several_nationalities():
    a = multinational_identity()
    assert not {"alba", "bora"} & set(holders(a, "data_controller", "identity_records"))
    text = article(a, "identity_documents")
    assert "responsibility of the Republic of Alba and the Republic of Bora" not in text
    assert "own nationals only" in text
    # round 10: no register on a placeholder no Party can fill: the Lead Party coordinates, and each issuer keeps
    # the register of the documents it issues or arranges
    assert "[to be agreed: a Party that is not a State of nationality" not in text
    assert "shall keep the register of the documents it issues or arranges" in text
    assert "keep the register of the other nationalities" in flag_details(a, "capacity_gap")
    # round 8: each State controls the verifications of its own consenting nationals; the data article names the
    # same keepers of the documents as the identity article
    protection = article(a, "data_protection")
    assert "each for the verifications it makes of its own nationals, with their consent" in protection
    assert "[to be agreed" not in protection.split("for the identity")[1]
    assert "for the register of the documents it issues or arranges" in protection
    # with one nationality, its State verifies and keeps the records, as before
    one = build(
        origin_states()[:1] + [state("host", "Republic of Hostia", "host")],
        [{"nationality": "alba", "count": 500}],
        types=("identity_verification",),
        services=("identity_verification",),
        **DATA,
    )
    assert holders(one, "data_controller", "identity_records") == ["alba"]
    assert "own nationals only" not in article(one, "identity_documents")


def test_an_organization_with_a_migration_mandate_keeps_the_register_of_several_nationalities():
    a = multinational_identity(IOM)
    assert holders(a, "data_controller", "identity_records") == ["iom"]
    text = article(a, "identity_documents")
    assert "including a register of the documents issued, shall be the responsibility of the International " in text
    assert "own nationals only" in text


def test_the_manifest_is_prepared_by_the_controller_not_a_lead_that_is_a_state_of_origin():
    # most of the people fear return, so the refugee agency's mandate covers them (round 12: it controls no
    # Manifests of people most of whom are outside its mandate)
    pops = [POPS[0], {"nationality": "bora", "count": 4000, "vulnerabilities": {"fear_of_return": 4000}}]
    unhcr = {
        "id": "unhcr",
        "name": "Office of the United Nations High Commissioner for Refugees",
        "kind": "international_organization",
        "mandates": ["refugee_protection"],
    }
    a = build(origin_states(transport=["air"]) + [unhcr], pops, services=SERVICES, **DATA)
    assert holders(a, "lead") == ["alba"]
    ops = article(a, "operations")
    assert "The Lead Party shall prepare a Manifest" not in ops
    assert "The Office of the United Nations High Commissioner for Refugees, as controller of the registration" in ops


# ---------------------------------------------------------------- 2. no designation that does not exist


def test_services_nobody_holds_are_holes_not_references_to_annex_a():
    a = build(origin_states(transport=["air"]), POPS, services=SERVICES, **DATA)
    ops = article(a, "operations")
    assert "designated for each service in Annex A" not in ops
    assert "[to be agreed: the Party that provides health care and medical escorts]" in ops
    assert "[to be agreed: the Party that provides shelter and food]" in ops
    assert re.search(r"Transport shall be provided for Evacuation from [^,;.]+, by air by the Republic of Alba\.", ops)
    assert any(f.id == "capacity_gap" for f in a.risk_flags)


def test_no_party_designated_for_counter_trafficking_that_nobody_is():
    pops = [POPS[0], {"nationality": "bora", "count": 2000, "vulnerabilities": {"trafficking_indicators": 12}}]
    a = build(origin_states(transport=["air"]), pops, services=SERVICES, **DATA)
    text = article(a, "counter_trafficking")
    assert text, "counter-trafficking article expected"
    assert "Parties designated for this purpose" not in text


# ---------------------------------------------------------------- 3. duties only on Parties


def test_no_documentation_duty_for_an_organization_that_is_not_a_party():
    a = multinational_identity()
    text = article(a, "identity_documents")
    assert "International Organization for Migration" not in text
    assert "shall jointly request the assistance of an international organization" in text
    with_iom = article(multinational_identity(IOM), "identity_documents")
    assert "with the assistance of the International Organization for Migration, which shall transmit" in with_iom


# ---------------------------------------------------------------- 4. the backup lead fits


def test_no_state_of_origin_backs_up_a_multinational_evacuation_led_by_an_organization_when_the_transit_state_can():
    ostr = state("ostr", "Republic of Ostrevia", "transit", reception=True, consular_presence="embassy")
    a = build([*origin_states(), ostr, IOM], POPS, services=SERVICES, transit=["ostr"], **DATA)
    assert holders(a, "lead") == ["iom"]
    assert holders(a, "backup_lead") == ["ostr"]


def test_a_transit_state_without_a_post_or_migration_mandate_gives_way_to_a_state_that_issues_documents():
    """Behind an organization leading a multinational evacuation, a transit State with no consular post and no
    migration mandate backs up only when no State with a post that issues travel documents takes part."""
    ostr = state("ostr", "Republic of Ostrevia", "transit", reception=True)
    a = build([*origin_states(), ostr, IOM], POPS, services=SERVICES, transit=["ostr"], **DATA)
    assert holders(a, "lead") == ["iom"]
    assert holders(a, "backup_lead") == ["alba"]


def test_behind_a_lead_state_another_state_with_a_post_backs_up():
    # EU Lead State concept (Directive 2015/637 Art. 13): the Lead State is itself a State of nationality, and
    # another State of nationality with an embassy is its natural second, before the transit State.
    parties = origin_states(transport=["air"]) + [state("ostr", "Republic of Ostrevia", "transit", reception=True)]
    a = build(parties, POPS, services=SERVICES, transit=["ostr"], **DATA)
    assert holders(a, "lead") == ["alba"]
    assert holders(a, "backup_lead") == ["bora"]
    alone = build(origin_states(transport=["air"]), POPS, services=SERVICES, **DATA)
    assert holders(alone, "backup_lead") == ["bora"]


def test_the_state_people_flee_never_leads_at_its_neighbours_border():
    parties = [
        state("host", "Republic of Hostia", "host"),
        state("ostr", "Republic of Ostrevia", "transit", reception=True, shelter=True),
    ]
    a = build(
        parties,
        [{"nationality": "host", "count": 4000, "vulnerabilities": {"refugees_or_asylum_seekers": 400}}],
        types=("protection_referral",),
        services=("reception", "protection_referral", "shelter"),
        kind="natural_hazard",
        transit=["ostr"],
        host_conditions={"safe_to_stay": False, "access_inside": False},
    )
    assert holders(a, "lead") == ["ostr"]
    assert "host" not in holders(a, "lead") + holders(a, "backup_lead")


# ---------------------------------------------------------------- 5. final only on the lead's own transport


def test_the_lead_decides_places_with_the_transport_provider_and_is_final_only_on_its_own():
    a = build(origin_states(transport=["air"]) + [IOM], POPS, services=SERVICES, **DATA)
    lead = holders(a, "lead")[0]
    text = article(a, "prioritisation")
    assert "shall be final for the movement concerned" not in text
    assert "together with the provider of the transport concerned" in text
    if lead == "iom":
        assert "On transport provided by the Republic of Alba, places shall be allocated by agreement" in text
    else:
        assert "On transport provided by the International Organization for Migration" in text
