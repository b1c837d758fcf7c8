"""Leadership that fits the agreement (issue 12, item 1; docs/leadership.md).

The table of docs/leadership.md as one small scenario per row, the negatives the issue names, and an invariant
over the shipped examples, the training scenarios and generated scenarios: the lead fits the agreement's main
purpose as the table says, whenever a Party that fits exists. The invariant re-states the table here, in terms
of the scenario only, so that it checks the rules rather than repeating them."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from assistant.domain.evaluate import STATE_INSTRUMENTS, evaluate, unbound_participants
from assistant.domain.facts import Choice
from assistant.domain.scenario import Scenario, load_scenario, parse_scenario
from assistant.domain.signing import binds, signatories
from assistant.domain.territory import receives_people
from assistant.domain.training import load_training_library
from tests.test_hostile import scenarios as generated_scenarios

ROOT = Path(__file__).resolve().parents[2]
NON_STATE = {
    "ngo",
    "national_society",
    "migrant_association",
    "employer",
    "recruiter",
    "employers_federation",
    "carrier",
    "donor",
    "development_bank",
}


def _party(pid: str, kind: str, **kw) -> dict:
    return {"id": pid, "name": kw.pop("name", pid.replace("_", " ").title()), "kind": kind, **kw}


def _scenario(types: list[str], parties: list[dict], *, host: str, transit: list[str] | None = None, **kw) -> dict:
    return {
        "title": kw.pop("title", "Leadership test"),
        "agreement_types": types,
        "crisis": kw.pop("crisis", {"kind": "armed_conflict", "phase": "emergency_response"}),
        "host_state": host,
        "transit_states": transit or [],
        "parties": parties,
        **kw,
    }


def leaders(data: dict | Scenario, choices: list[Choice] = ()) -> tuple[str | None, str | None, dict[str, str]]:
    scenario = data if isinstance(data, Scenario) else parse_scenario(data)
    advice = evaluate(scenario, choices)
    lead = next((r.party for r in advice.holders("lead")), None)
    backup = next((r.party for r in advice.holders("backup_lead")), None)
    return lead, backup, {r.for_: r.party for r in advice.holders("operation_lead")}


# ---------------------------------------------------------------- one scenario per row of the table


def border_referral() -> dict:
    """Screening and referral where people cross from a State at war into a neighbouring State."""
    return _scenario(
        ["protection_referral", "evacuation_relocation"],
        [
            _party("fled", "state", crisis_roles=["host"]),
            _party("red_cross", "national_society", mandates=["family_tracing", "humanitarian_relief"]),
            _party("shelters", "ngo", mandates=["refugee_protection", "humanitarian_relief"]),
            _party("border", "state", crisis_roles=["transit"], capacities={"reception": True}),
            _party("unhcr", "international_organization", mandates=["refugee_protection"]),
            _party("iom", "international_organization", mandates=["migration"]),
            _party("origin", "state", crisis_roles=["origin"], capacities={"consular_presence": "embassy"}),
        ],
        host="fled",
        transit=["border"],
        populations=[
            {"nationality": "origin", "count": 3000, "vulnerabilities": {"refugees_or_asylum_seekers": 400}},
            {"nationality": "stateless", "count": 500},
        ],
    )


def own_scheme() -> dict:
    """A State of origin's standing relocation and repatriation scheme for its own workers."""
    return _scenario(
        ["evacuation_relocation", "expert_deployment"],
        [
            _party("qasar", "state", crisis_roles=["host"]),
            _party(
                "iom",
                "international_organization",
                mandates=["migration", "humanitarian_relief"],
                capacities={"transport": ["air", "land"], "bridging_fund": True},
            ),
            _party(
                "palu",
                "state",
                crisis_roles=["origin"],
                capacities={"consular_presence": "consulate", "deployable_experts": True},
            ),
            _party("agency", "recruiter"),
            _party("builders", "employers_federation", capacities={"transport": ["land"]}),
        ],
        host="qasar",
        crisis={"kind": "armed_conflict", "phase": "preparedness"},
        populations=[{"nationality": "palu", "count": 20000, "recruited_through_agencies": True}],
    )


def own_deployment() -> dict:
    """A State of origin deploys its own rapid-response teams to assist its nationals."""
    data = own_scheme()
    data["agreement_types"] = ["expert_deployment"]
    data["parties"].append(_party("unicef", "international_organization", mandates=["child_protection"]))
    return data


def cross_border() -> dict:
    """Local authorities on both sides of a border prepare for a recurring technological hazard."""
    return _scenario(
        ["cross_border_preparedness", "service_prearrangement"],
        [
            _party("rc", "national_society", mandates=["humanitarian_relief", "family_tracing"]),
            _party("near_town", "local_authority", crisis_roles=["host"]),
            _party("far_town", "local_authority", crisis_roles=["transit"]),
            _party("ngo", "ngo", mandates=["humanitarian_relief"]),
        ],
        host="near_town",
        transit=["far_town"],
        crisis={"kind": "technological", "phase": "preparedness"},
    )


def consular_framework(kind: str = "consular_representation") -> dict:
    return _scenario(
        [kind],
        [
            _party("rc", "national_society", mandates=["family_tracing"]),
            _party("host", "state", crisis_roles=["host"]),
            _party("small", "state", crisis_roles=["origin"], capacities={"consular_presence": "none"}),
            _party("consul", "state", crisis_roles=["origin"], capacities={"consular_presence": "consulate"}),
            _party("embassy", "state", crisis_roles=["origin"], capacities={"consular_presence": "embassy"}),
        ],
        host="host",
        crisis={"kind": "natural_hazard", "phase": "preparedness"},
        populations=[{"nationality": n, "count": 500} for n in ("small", "consul", "embassy")],
    )


def multinational_evacuation(with_iom: bool = True) -> dict:
    parties = [
        _party("host", "state", crisis_roles=["host"]),
        _party("poor", "state", crisis_roles=["origin"], capacities={"consular_presence": "none"}),
        _party(
            "rich", "state", crisis_roles=["origin"], capacities={"consular_presence": "embassy", "transport": ["air"]}
        ),
        _party("rc", "national_society", mandates=["family_tracing", "humanitarian_relief"]),
    ]
    if with_iom:
        parties.append(_party("iom", "international_organization", mandates=["migration"]))
    return _scenario(
        ["evacuation_relocation"],
        parties,
        host="host",
        populations=[{"nationality": "poor", "count": 9000}, {"nationality": "rich", "count": 400}],
    )


def evacuation_and_tracing() -> dict:
    data = multinational_evacuation()
    data["agreement_types"] = ["evacuation_relocation", "family_tracing"]
    return data


def tracing_only() -> dict:
    data = evacuation_and_tracing()
    data["agreement_types"] = ["family_tracing"]
    data["parties"].append(_party("icrc", "international_organization", mandates=["family_tracing"]))
    return data


def expert_deployment() -> dict:
    return _scenario(
        ["expert_deployment"],
        [
            _party("roster", "ngo", mandates=["child_protection"], capacities={"deployable_experts": True}),
            _party("host", "state", crisis_roles=["host"], mandates=["health"]),
            _party("agency", "international_organization", mandates=["child_protection"]),
            _party("donor_state", "state", crisis_roles=["donor"], capacities={"deployable_experts": True}),
        ],
        host="host",
        crisis={"kind": "epidemic", "phase": "emergency_response"},
    )


TABLE = [
    # (row, scenario, lead, backup or None when any, operation leads)
    ("border referral", border_referral, "border", "unhcr", {"evacuation_relocation": "iom"}),
    ("own scheme", own_scheme, "palu", "iom", {}),
    ("own deployment scheme", own_deployment, "palu", None, {}),
    ("cross-border preparedness", cross_border, "near_town", "far_town", {}),
    ("consular representation", consular_framework, "embassy", "consul", {}),
    ("consular-host liaison", lambda: consular_framework("consular_host_liaison"), "embassy", "consul", {}),
    ("evacuation of several nationalities (IOM)", multinational_evacuation, "iom", "rich", {}),
    ("evacuation of several nationalities (Lead State)", lambda: multinational_evacuation(False), "rich", None, {}),
    ("evacuation with family tracing", evacuation_and_tracing, "iom", None, {"family_tracing": "rc"}),
    # binding (several States sign): the National Society is a Participant, so the ICRC leads the tracing
    ("family tracing", tracing_only, "icrc", None, {}),
    ("expert deployment", expert_deployment, "agency", None, {}),
]


@pytest.mark.parametrize(("row", "make", "lead", "backup", "operations"), TABLE, ids=[t[0] for t in TABLE])
def test_the_leadership_table(row, make, lead, backup, operations):
    got_lead, got_backup, got_operations = leaders(make())
    assert got_lead == lead, row
    if backup:
        assert got_backup == backup, row
    assert got_backup != got_lead
    assert got_operations == operations, row


def test_the_why_of_the_lead_gives_the_ranking_reason():
    advice = evaluate(parse_scenario(border_referral()))
    lead = advice.holders("lead")[0]
    first = advice.rule(lead.because[0])
    assert first.id.startswith("role.lead.border_state_referral")
    ranking = [line for line in first.facts if line.startswith("lead ranking:")]
    assert ranking
    assert "protection screening and referral" in ranking[0]
    assert "first agreement type" in ranking[0]
    assert "border" in first.rationale


def test_a_state_own_scheme_activates_on_its_own_alert_phases():
    advice = evaluate(parse_scenario(own_scheme()))
    assert next(c for c in advice.clauses if c.id == "activation").variant == "own_alert_phases"
    article = next(a for a in advice.draft.articles if a.clause == "activation")
    assert "its own crisis alert system" in article.text
    assert "No other Party shall declare an Alert Phase" in article.text
    assert (
        "Lead Party shall, after consulting the Parties through their Focal Points as far as circumstances"
        " permit, determine" not in article.text
    )


def test_no_clause_lets_the_lead_decide_status_admission_or_alert_phase():
    for make in (border_referral, multinational_evacuation, own_scheme):
        draft = evaluate(parse_scenario(make())).draft
        text = " ".join(a.text for a in draft.articles)
        assert (
            "Lead Party shall, after consulting the Parties through their Focal Points as far as circumstances "
            "permit, determine the Alert Phase" not in text
        )
        if "protection" in text:
            assert re.search(r"(do|does) not take those decisions", text)


def test_operation_leads_appear_in_the_roles_annex_and_the_coordination_article():
    advice = evaluate(parse_scenario(evacuation_and_tracing()))
    annex = next(a for a in advice.draft.annexes if a.title.startswith("Annex A"))
    assert ["operation lead", "Rc", "family tracing"] in annex.rows
    coordination = next(a for a in advice.draft.articles if a.clause == "coordination")
    assert "family tracing to Rc" in coordination.text
    assert "the Operation Lead coordinate" in coordination.text  # one operation lead: singular


def test_the_negotiator_still_decides():
    data = border_referral()
    lead, _, _ = leaders(data, [Choice(kind="role", item="lead", action="reject", party="border")])
    assert lead == "unhcr"
    lead, _, _ = leaders(data, [Choice(kind="role", item="lead", action="reassign", party="border", new_party="iom")])
    assert lead == "iom"
    _, _, ops = leaders(
        evacuation_and_tracing(),
        [Choice(kind="role", item="operation_lead", action="reject", party="rc", for_="family_tracing")],
    )
    assert ops == {}


def test_a_rejected_main_purpose_hands_the_ranking_to_the_next_listed_type():
    data = border_referral()
    lead, _, _ = leaders(data, [Choice(kind="agreement_type", item="protection_referral", action="reject")])
    assert lead == "iom"  # an evacuation of several nationalities, IOM with a migration mandate


# ---------------------------------------------------------------- negatives the issue names


BORDER_VARIANTS = {
    "as built": lambda d: d,
    "no refugee agency": lambda d: d.update(parties=[p for p in d["parties"] if p["id"] != "unhcr"]),
    "no IOM, no UNHCR": lambda d: d.update(parties=[p for p in d["parties"] if p["id"] not in ("unhcr", "iom")]),
    "border State listed only as transit": lambda d: d["parties"][3].pop("crisis_roles"),
    "border State has only a crisis role": lambda d: d.update(transit_states=[]),
    "border authority is local": lambda d: d["parties"][3].update(
        kind="local_authority", constraints={"can_sign_binding": True}
    ),
    "referral only": lambda d: d.update(agreement_types=["protection_referral"]),
    "natural hazard": lambda d: d.update(crisis={"kind": "natural_hazard", "phase": "emergency_response"}),
}


@pytest.mark.parametrize("variant", BORDER_VARIANTS, ids=list(BORDER_VARIANTS))
def test_no_ngo_or_national_society_leads_a_border_referral_arrangement(variant):
    data = copy.deepcopy(border_referral())
    BORDER_VARIANTS[variant](data)
    scenario = parse_scenario(data)
    lead, _, _ = leaders(scenario)
    assert lead == "border"
    assert scenario.party(lead).kind not in NON_STATE


OWN_VARIANTS = {
    "as built": lambda d: d,
    "no consular post": lambda d: d["parties"][2]["capacities"].update(consular_presence="none"),
    "IOM with transport and a bridging fund listed first": lambda d: d["parties"].insert(0, d["parties"].pop(1)),
    "a few others among the workers": lambda d: d["populations"].append({"nationality": "other", "count": 900}),
    "evacuation only": lambda d: d.update(agreement_types=["evacuation_relocation"]),
}


@pytest.mark.parametrize("variant", OWN_VARIANTS, ids=list(OWN_VARIANTS))
def test_iom_does_not_lead_a_state_own_scheme(variant):
    data = copy.deepcopy(own_scheme())
    OWN_VARIANTS[variant](data)
    lead, backup, _ = leaders(data)
    assert lead == "palu"
    assert backup == "iom"


def test_a_state_to_state_instrument_is_never_led_by_a_national_society_or_ngo():
    data = consular_framework()
    for p in data["parties"]:
        if p["kind"] == "state":
            p.pop("capacities", None)  # nobody fits: no State has a post
    data["agreement_types"] = ["consular_representation", "family_tracing"]
    lead, _, _ = leaders(data)
    assert lead is None or parse_scenario(data).party(lead).kind not in NON_STATE


# ---------------------------------------------------------------- the invariant


def fitting_leads(s: Scenario) -> set[str] | None:
    """The Parties the table lets lead the scenario's main purpose (the first listed type), or None when the table
    says nothing or no Party fits. Stated on the scenario alone, independently of the rules."""
    main = (s.agreement_types or [None])[0]
    parties = s.parties
    total = sum(p.count for p in s.populations or [])
    origins = [p for p in parties if "origin" in (p.crisis_roles or [])]

    def caps(p, field):
        return getattr(p.capacities, field, None) if p.capacities else None

    def share(p):
        return sum(g.count for g in s.populations or [] if g.nationality == p.id) / total if total else 0

    own = [p for p in origins if len(origins) == 1 and p.kind == "state" and share(p) >= 0.8]
    if main == "evacuation_relocation" and own:
        return {own[0].id}
    if main == "expert_deployment" and own and caps(own[0], "deployable_experts"):
        return {own[0].id}
    if main == "protection_referral":
        border = {
            p.id
            for p in parties
            if p.kind in ("state", "local_authority")
            and ("transit" in (p.crisis_roles or []) or p.id in (s.transit_states or []))
        }
        return border or None
    if main == "cross_border_preparedness":
        sides = {p.id for p in parties if p.kind == "local_authority"}
        # the host is one side only when it has a territory: an organization entered as the host is no side of a
        # border (hypothesis, profile 'explore')
        host = s.party(s.host_state)
        sides |= {host.id} if sides and host and host.kind in ("state", "local_authority") else set()
        return sides or None
    if main == "consular_representation":
        for post in ("embassy", "consulate"):
            posts = {p.id for p in parties if p.kind == "state" and caps(p, "consular_presence") == post}
            if posts:
                return posts
    if main == "consular_host_liaison":
        for post in ("embassy", "consulate"):
            posts = {p.id for p in origins if p.kind == "state" and caps(p, "consular_presence") == post}
            if posts:
                return posts
    if main == "family_tracing":
        tracers = {
            p.id
            for p in parties
            if p.kind == "national_society"
            or (p.kind == "international_organization" and "family_tracing" in (p.mandates or []))
        }
        return (tracers - unbound_participants(s)) or None  # a Participant leads only the tracing operation
    if main == "evacuation_relocation":
        fits = {p.id for p in parties if p.kind == "international_organization" and "migration" in (p.mandates or [])}
        return (fits | {p.id for p in parties if p.kind in ("state", "local_authority")}) if fits else None
    if main == "expert_deployment":
        fits = {p.id for p in parties if p.kind == "international_organization"}
        return (fits | {s.host_state}) if fits else None
    return None


def check_invariant(s: Scenario) -> None:
    lead, backup, operations = leaders(s)
    expected = fitting_leads(s)
    host = s.party(s.host_state)
    if expected and host and host.kind in ("state", "local_authority") and s.crisis.kind == "armed_conflict":
        # a party to the armed conflict never leads (docs/leadership.md, "Who never leads")
        expected = (expected if receives_people(s, host) else expected - {host.id}) or None
    if expected and binding_instrument(s):
        # in a binding instrument only a Party that can be bound leads (check_bound_leads): a candidate of the table
        # that cannot be bound is no candidate (hypothesis found a local authority with no stated capacity)
        expected = {pid for pid in expected if binds(s.party(pid))} or None
    if expected is not None:
        assert lead in expected, f"{s.title}: {lead} leads, the table says one of {sorted(expected)}"
    main = (s.agreement_types or [None])[0]
    if lead and main in STATE_INSTRUMENTS:
        assert s.party(lead).kind not in NON_STATE, f"{s.title}: {lead} leads a State-to-State instrument"
    assert backup is None or backup != lead
    assert all(p != lead for p in operations.values())
    unbound = unbound_participants(s)
    # beside the main purpose only operations the Parties listed; for the main purpose only a Participant
    assert all(
        operations[t] in unbound if t == main or t not in (s.agreement_types or []) else True for t in operations
    )
    check_bound_leads(s, lead, backup)


def binding_instrument(s: Scenario) -> bool:
    """Two or more signatories can be bound and none says it cannot."""
    signing = signatories(s)
    return sum(1 for p in signing if binds(p)) >= 2 and not any(
        p.constraints and p.constraints.can_sign_binding is False for p in signing
    )


def check_bound_leads(s: Scenario, lead: str | None, backup: str | None) -> None:
    """In a binding instrument (two or more signatories can be bound, none says it cannot) the lead and the backup
    are Parties that can be bound: a National Society, NGO or company signs only the Memorandum of Participation."""
    if binding_instrument(s):
        for who, pid in (("lead", lead), ("backup lead", backup)):
            assert pid is None or binds(s.party(pid)), f"{s.title}: {who} {pid} cannot be bound"


SHIPPED = [(p.name, load_scenario(p)) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
TRAINING = [(t._slug, t.scenario) for t in load_training_library(ROOT / "training")]
BLIND = [
    (p.stem, parse_scenario(yaml.safe_load(p.read_text())["scenario"]))
    for p in sorted((ROOT / "tests" / "blind").glob("*.yaml"))
]


@pytest.mark.parametrize(("name", "scenario"), SHIPPED + TRAINING, ids=[n for n, _ in SHIPPED + TRAINING])
def test_the_lead_fits_the_agreement_in_every_example(name, scenario):
    check_invariant(scenario)


@pytest.mark.parametrize(("name", "scenario"), BLIND, ids=[n for n, _ in BLIND])
def test_lead_and_backup_of_a_binding_instrument_can_be_bound_in_blind_scenarios(name, scenario):
    lead, backup, _ = leaders(scenario)
    check_bound_leads(scenario, lead, backup)


def test_a_national_society_leads_tracing_as_operation_lead_beside_a_party():
    """A binding instrument whose main purpose is tracing, with a State at the border able to lead it: the National
    Society (a Participant) is the Operation Lead for tracing, not the Lead Party."""
    data = tracing_only()
    data["parties"] = [p for p in data["parties"] if p["id"] != "icrc"]
    lead, backup, operations = leaders(data)
    assert lead != "rc"
    assert backup != "rc"
    scenario = parse_scenario(data)
    if lead is None:
        flag = next(f for f in evaluate(scenario).risk_flags if f.id == "capacity_gap")
        assert any("Operation Lead" in d for d in flag.details)
    else:
        assert operations.get("family_tracing") == "rc"


def test_a_national_society_may_lead_a_memorandum():
    """When a signatory says it cannot be bound the instrument is a memorandum: nobody is a Participant, and the
    National Society may lead tracing."""
    data = tracing_only()
    data["parties"] = [p for p in data["parties"] if p["id"] != "icrc"]
    data["parties"][0].setdefault("constraints", {})["can_sign_binding"] = False
    lead, _, _ = leaders(data)
    assert lead == "rc"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_the_lead_fits_the_agreement_in_generated_scenarios(data):
    check_invariant(parse_scenario(data))
