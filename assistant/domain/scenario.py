"""Typed models of a negotiation scenario (contract §1), loaded from YAML or JSON.

Every key is optional unless the contract marks it required; ``None`` means "unknown", never "false".
Problems are reported with the path of each one, e.g.
``parties[2].capacities.transport[0]: 'boat' is not one of air, sea, land``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .vocab import (
    AgreementType,
    ConsularPresence,
    CrisisKind,
    CrisisRole,
    Hazard,
    Instrument,
    Mandate,
    PartyKind,
    Phase,
    RouteStatus,
    Sector,
    Service,
    Transport,
    Vulnerability,
)

PARTY_ID = r"^[a-z][a-z0-9_]*$"
NON_PARTY_NATIONALITIES = ("stateless", "other")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Crisis(_Strict):
    kind: CrisisKind
    hazard: Hazard | None = None
    phase: Phase
    recurring: bool | None = None


class Routes(_Strict):
    air: RouteStatus | None = None
    sea: RouteStatus | None = None
    land: RouteStatus | None = None


class HostConditions(_Strict):
    movement_restrictions: bool | None = None
    exit_penalties: bool | None = None
    shelters_open_to_all: bool | None = None
    objects_to_third_state_consular_acts: bool | None = None
    routes: Routes | None = None


class Capacities(_Strict):
    consular_presence: ConsularPresence | None = None
    transport: list[Transport] | None = None
    identity_verification: bool | None = None
    travel_documents: bool | None = None
    shelter: bool | None = None
    food: bool | None = None
    health_care: bool | None = None
    hotline_languages: list[str] | None = None
    deployable_experts: bool | None = None
    monitoring_assets: bool | None = None
    reception: bool | None = None
    bridging_fund: bool | None = None
    funding_lead_days: int | None = Field(default=None, ge=0)


class Constraints(_Strict):
    privileges_and_immunities: bool | None = None
    neutrality_required: bool | None = None
    can_sign_binding: bool | None = None


class Party(_Strict):
    id: str = Field(pattern=PARTY_ID, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    kind: PartyKind
    crisis_roles: list[CrisisRole] | None = None
    mandates: list[Mandate] | None = None
    capacities: Capacities | None = None
    constraints: Constraints | None = None


class Population(_Strict):
    nationality: str = Field(pattern=PARTY_ID, max_length=64)
    count: int = Field(ge=0)
    irregular_share: float | None = Field(default=None, ge=0, le=1)
    sectors: list[Sector] | None = None
    recruited_through_agencies: bool | None = None
    vulnerabilities: dict[Vulnerability, int] | None = None


class Cofinancing(_Strict):
    available: bool | None = None
    max_rate: float | None = Field(default=None, ge=0, le=1)
    base_rate: float | None = Field(default=None, ge=0, le=1)
    seat_threshold: float | None = Field(default=None, ge=0, le=1)


class Funding(_Strict):
    share_costs: bool | None = None
    estimated_cost: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    cofinancing: Cofinancing | None = None
    donor_appeal_possible: bool | None = None
    employer_liability_law: bool | None = None
    evacuee_repayment_considered: bool | None = None
    existing_instruments: list[Instrument] | None = None


class DataFlows(_Strict):
    personal_data_shared: bool | None = None
    cross_border_transfer: bool | None = None
    shared_with_origin_states: bool | None = None


class Scenario(_Strict):
    title: str = Field(min_length=1, max_length=300)
    agreement_types: list[AgreementType] | None = None
    crisis: Crisis
    host_state: str = Field(pattern=PARTY_ID, max_length=64)
    transit_states: list[str] | None = None
    host_conditions: HostConditions | None = None
    parties: list[Party] = Field(min_length=2)
    populations: list[Population] | None = None
    services_needed: list[Service] | None = None
    funding: Funding | None = None
    data: DataFlows | None = None

    def party(self, party_id: str) -> Party | None:
        """Return the party with this id, or None."""
        return next((p for p in self.parties if p.id == party_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as contract data, leaving unknown keys out."""
        return self.model_dump(mode="json", exclude_none=True)


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario, at a path such as ``parties[2].kind``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ScenarioError(ValueError):
    """A scenario that does not follow the contract; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_path(loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location into ``parties[2].capacities.transport[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _expected(ctx: dict[str, Any]) -> str:
    return re.sub(r"'([^']*)'", r"\1", str(ctx.get("expected", ""))).replace(" or ", ", ")


def error_message(err: dict[str, Any]) -> str:
    kind, given, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind == "literal_error":
        return f"{given!r} is not one of {_expected(ctx)}"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "is required"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") != PARTY_ID:
        return f"{given!r} does not match the pattern {ctx.get('pattern')}"
    if kind == "string_pattern_mismatch":
        return f"{given!r} is not a valid identifier (lower-case letters, digits and _, starting with a letter)"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {given!r}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {given!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {given!r}"
    if kind in ("list_type", "dict_type", "model_type", "string_type"):
        wanted = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping"}.get(kind, "text")
        return f"expected {wanted}, got {given!r}"
    return err["msg"][0].lower() + err["msg"][1:]


def _problems_from(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if loc and loc[-1] == "[key]" and err["type"] == "literal_error":
            problems.append(Problem(format_path(loc), f"{err.get('input')!r} is not one of {_expected(err['ctx'])}"))
            continue
        problems.append(Problem(format_path(loc), error_message(err)))
    return problems


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _reference_problems(data: dict[str, Any]) -> list[Problem]:
    """Check ids across the scenario on the raw data, so they are reported with structural problems."""
    parties = [p for p in _items(data.get("parties")) if isinstance(p, dict)]
    ids = [p.get("id") for p in parties if isinstance(p.get("id"), str)]
    known = set(ids)
    problems = [
        Problem(f"parties[{i}].id", f"duplicate party id {pid!r}") for i, pid in enumerate(ids) if pid in ids[:i]
    ]

    def check(path: str, ref: Any) -> None:
        if isinstance(ref, str) and ids and ref not in known:
            problems.append(Problem(path, f"{ref!r} is not the id of a party ({', '.join(ids)})"))

    check("host_state", data.get("host_state"))
    for i, t in enumerate(_items(data.get("transit_states"))):
        check(f"transit_states[{i}]", t)
    for i, pop in enumerate(_items(data.get("populations"))):
        if not isinstance(pop, dict):
            continue
        if pop.get("nationality") not in NON_PARTY_NATIONALITIES:
            check(f"populations[{i}].nationality", pop.get("nationality"))
        vulns, count = pop.get("vulnerabilities"), pop.get("count")
        for vuln, n in vulns.items() if isinstance(vulns, dict) else []:
            path = f"populations[{i}].vulnerabilities.{vuln}"
            if isinstance(n, int) and n < 0:
                problems.append(Problem(path, "must not be negative"))
            elif isinstance(n, int) and isinstance(count, int) and n > count:
                problems.append(Problem(path, f"{n} is more than the group's {count}"))
    return problems


def parse_scenario(data: Any) -> Scenario:
    """Validate contract data; raise ScenarioError listing every problem with its path."""
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "a scenario must be a mapping of keys to values")])
    problems: list[Problem] = []
    scenario = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = _problems_from(exc)
    problems += [p for p in _reference_problems(data) if p not in problems]
    if problems or scenario is None:
        raise ScenarioError(problems)
    return scenario


def parse_scenario_text(text: str, name: str = "scenario") -> Scenario:
    """Parse YAML or JSON text (JSON is YAML) into a validated scenario."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ScenarioError([Problem("", f"{name} is not valid YAML or JSON{where}")]) from None
    return parse_scenario(data)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem("", f"cannot read {path}: {exc.strerror or exc}")]) from None
    return parse_scenario_text(text, name=str(path))


def scenario_json(scenario: Scenario) -> str:
    """Serialise a scenario as stable JSON for storage."""
    return json.dumps(scenario.to_dict(), ensure_ascii=False, sort_keys=False)
