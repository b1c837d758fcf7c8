"""Backups unfit by class (docs/leadership.md, "The backup"): no backup, a gap, is better than one that would take
over functions it must not hold. Invariants over the shipped, training, blind and generated scenarios, stated on
the scenario alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from assistant.domain.advice import RoleAdvice
from assistant.domain.evaluate import NEVER, _unfit_backups, evaluate
from assistant.domain.scenario import Scenario, load_scenario, parse_scenario
from assistant.domain.territory import arrival_states
from assistant.domain.training import load_training_library
from tests.test_hostile import scenarios as generated_scenarios

ROOT = Path(__file__).resolve().parents[2]
AT_RISK = ("refugees_or_asylum_seekers", "fear_of_return")
EXAMPLES = (
    [(p.name, load_scenario(p)) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    + [(t._slug, t.scenario) for t in load_training_library(ROOT / "training")]
    + [
        (p.stem, parse_scenario(yaml.safe_load(p.read_text())["scenario"]))
        for p in sorted((ROOT / "tests" / "blind").glob("*.yaml"))
    ]
)


def unfit_reason(s: Scenario, lead: str, backup: str) -> str | None:
    """Why this backup is unfit behind this lead, or None."""
    p = s.party(backup)
    if p is None or p.kind != "state":
        return None
    pops = s.populations or []
    at_risk = {g.nationality for g in pops if any((g.vulnerabilities or {}).get(v) for v in AT_RISK)}
    post = p.capacities.consular_presence if p.capacities else None
    host = backup == s.host_state
    if backup in at_risk:
        return "it is the State of origin of people at risk"
    if host and s.crisis.kind in ("armed_conflict", "civil_unrest") and at_risk:
        return "it is the host State in a conflict where people at risk are concerned"
    if not host and lead == s.host_state:
        return "a foreign State would inherit the host State's functions"
    if not host and backup not in arrival_states(s) and post in ("none", "honorary"):
        return "it has no presence in the host"
    return None


def check(s: Scenario) -> None:
    advice = evaluate(s)
    accepted = {r.party for r in advice.roles if r.role == "backup_lead" and r.status in ("accepted", "reassigned")}
    lead = next((r.party for r in advice.holders("lead")), None)
    for r in advice.holders("backup_lead"):
        if r.party in accepted or lead is None:
            continue
        why = unfit_reason(s, lead, r.party)
        assert why is None, f"{s.title}: {r.party} backs up {lead}, but {why}"


@pytest.mark.parametrize(("name", "scenario"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_no_unfit_backup_in_the_examples(name, scenario):
    check(scenario)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_no_unfit_backup_in_generated_scenarios(data):
    check(parse_scenario(data))


def _party(pid: str, kind: str, **kw) -> dict:
    return {"id": pid, "name": kw.pop("name", pid.title()), "kind": kind, **kw}


def _holder(data: dict, role: str) -> str | None:
    return next((r.party for r in evaluate(parse_scenario(data)).holders(role)), None)


def tracing_in_the_host() -> dict:
    return {
        "title": "Tracing after an earthquake",
        "agreement_types": ["family_tracing"],
        "crisis": {"kind": "natural_hazard", "hazard": "earthquake", "phase": "emergency_response"},
        "host_state": "host",
        "parties": [
            _party("host", "state", crisis_roles=["host"], mandates=["child_protection"]),
            _party("rc", "national_society", mandates=["family_tracing"]),
            _party("near", "state", crisis_roles=["origin"], capacities={"consular_presence": "embassy"}),
        ],
        "populations": [{"nationality": "near", "count": 300, "vulnerabilities": {"unaccompanied_children": 40}}],
    }


def test_the_host_state_stands_in_for_its_national_society():
    """The National Society, a Participant of a binding instrument, leads the tracing operation; the host State,
    whose auxiliary it is, leads the instrument; no foreign State backs up the host State."""
    data = tracing_in_the_host()
    assert _holder(data, "lead") == "host"
    assert _holder(data, "operation_lead") == "rc"
    assert _holder(data, "backup_lead") != "near"


def test_a_state_with_only_an_honorary_consul_does_not_back_up():
    data = tracing_in_the_host()
    data["agreement_types"] = ["evacuation_relocation"]
    data["parties"] += [
        _party("iom", "international_organization", mandates=["migration"]),
        _party("far", "state", crisis_roles=["origin"], capacities={"consular_presence": "honorary"}),
    ]
    data["populations"].append({"nationality": "far", "count": 500})
    lead = RoleAdvice(role="lead", party="iom")
    assert _unfit_backups(parse_scenario(data), "evacuation_relocation", lead).get("far") == NEVER
    data["parties"][-1]["capacities"]["consular_presence"] = "consulate"
    assert _unfit_backups(parse_scenario(data), "evacuation_relocation", lead).get("far", 0) < NEVER
