"""Typed models of a negotiation scenario (contract §1), loaded from YAML or JSON.

Every key is optional unless the contract marks it required; ``None`` means "unknown", never "false".
Problems are reported with the path of each one, e.g.
``parties[2].capacities.transport[0]: 'boat' is not one of air, sea, land``.

Limits (README, "The scenario contract in brief"): how many parties, groups and list items, how long text may
be and how large numbers may be, so that every scenario the contract accepts is evaluated and drafted in well
under a second; numbers must be finite. Free text (the title, party names, hotline languages) loses its
control and format characters on the way in (bidirectional overrides such as U+202E would otherwise reverse
text in the legal documents), so every output gets the cleaned text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .safe_yaml import UnsafeInput, load_data
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
    values,
)

PARTY_ID = r"^[a-z][a-z0-9_]*$"
NON_PARTY_NATIONALITIES = ("stateless", "other")

# Limits of the contract (README). The rule base's firings grow about quadratically with the parties: a
# worst-case scenario of 60 parties (all States, every role and capacity) and 200 groups evaluates in about
# 0.3 s (bench/REPORT.md, "Hostile input"); 100 parties took 0.8 s and 400 parties 12.6 s.
MAX_PARTIES = 60
MAX_POPULATIONS = 200
MAX_PEOPLE = 10**9  # people in a group, or with one vulnerability
MAX_COST = 10**13  # estimated cost, in any currency
MAX_DAYS = 3650  # days before a party can disburse funds
MAX_LANGUAGES = 20  # hotline languages of one party
MAX_LANGUAGE_LENGTH = 50
MAX_POSTS = 100  # consular posts of one party (README, "Standing consular cooperation at listed posts")
MAX_PLACE_LENGTH = 100

# Control and format characters removed from free text: C0/C1 controls, bidirectional embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069), marks (U+200E, U+200F, U+061C), zero-width and other format
# characters, lone surrogates. Kept: the zero-width (non-)joiner U+200C/U+200D that some scripts need.
_KEEP = {"\u200c", "\u200d"}
_SPACE = {"\t", "\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"}


def clean_text(value: Any) -> Any:
    """Text without control or format characters (line breaks and tabs become spaces); other values as given."""
    if not isinstance(value, str):
        return value
    if value.isprintable() and value.isascii():
        return value
    return "".join(
        " " if ch in _SPACE else ch
        for ch in value
        if ch in _SPACE or ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )


Text = BeforeValidator(clean_text)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


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
    # Additions (issue 12, README "Where each operation takes place"): both optional, derived when unknown.
    safe_to_stay: bool | None = None  # safe areas remain in the host State (false: people are fleeing it)
    access_inside: bool | None = None  # the parties can work inside the host State (false: only at the border)


class Capacities(_Strict):
    consular_presence: ConsularPresence | None = None
    transport: list[Transport] | None = Field(default=None, max_length=len(values(Transport)))
    identity_verification: bool | None = None
    travel_documents: bool | None = None
    shelter: bool | None = None
    food: bool | None = None
    health_care: bool | None = None
    hotline_languages: list[Annotated[str, Text, Field(min_length=1, max_length=MAX_LANGUAGE_LENGTH)]] | None = Field(
        default=None, max_length=MAX_LANGUAGES
    )
    deployable_experts: bool | None = None
    monitoring_assets: bool | None = None
    reception: bool | None = None
    bridging_fund: bool | None = None
    funding_lead_days: int | None = Field(default=None, ge=0, le=MAX_DAYS)


class Constraints(_Strict):
    privileges_and_immunities: bool | None = None
    neutrality_required: bool | None = None
    can_sign_binding: bool | None = None


class Post(_Strict):
    """A consular post at which a Party acts for the other Parties under a standing arrangement: the city and the
    receiving State (a party id or a State's name)."""

    city: Annotated[str, Text] = Field(min_length=1, max_length=MAX_PLACE_LENGTH)
    country: Annotated[str, Text] = Field(min_length=1, max_length=MAX_PLACE_LENGTH)


class Party(_Strict):
    id: str = Field(pattern=PARTY_ID, max_length=64)
    name: Annotated[str, Text] = Field(min_length=1, max_length=200)
    kind: PartyKind
    crisis_roles: list[CrisisRole] | None = Field(default=None, max_length=len(values(CrisisRole)))
    mandates: list[Mandate] | None = Field(default=None, max_length=len(values(Mandate)))
    capacities: Capacities | None = None
    constraints: Constraints | None = None
    # Addition to the contract (README, "Bodies that take part without signing"): false for a body that takes part
    # without signing (addressed by request or note verbale, never bound, never in the signature block). Unset: it
    # signs, unless its name reads as a group or placeholder, or it is the State people flee in an operation
    # outside it that brings nothing of its own (assistant.domain.signing).
    signatory: bool | None = None
    # Addition to the contract (README, "Standing consular cooperation at listed posts"): the consular posts at which
    # this Party assists the nationals of the other Parties where they have no post of their own.
    posts: list[Post] | None = Field(default=None, max_length=MAX_POSTS)


class Population(_Strict):
    nationality: str = Field(pattern=PARTY_ID, max_length=64)
    count: int = Field(ge=0, le=MAX_PEOPLE)
    irregular_share: float | None = Field(default=None, ge=0, le=1)
    sectors: list[Sector] | None = Field(default=None, max_length=len(values(Sector)))
    recruited_through_agencies: bool | None = None
    vulnerabilities: dict[Vulnerability, Annotated[int, Field(le=MAX_PEOPLE)]] | None = None


class Cofinancing(_Strict):
    available: bool | None = None
    max_rate: float | None = Field(default=None, ge=0, le=1)
    base_rate: float | None = Field(default=None, ge=0, le=1)
    seat_threshold: float | None = Field(default=None, ge=0, le=1)
    # Addition to the contract: who provides the co-financing (a party id, or the name of a mechanism that is not
    # a Party, e.g. "EU Civil Protection Mechanism"); unset, a regional body, donor or development bank Party.
    provider: Annotated[str, Text] | None = Field(default=None, max_length=200)
    # Addition to the contract: the part of the estimated cost that the co-financing may meet (the transport costs of
    # co-financed movements), in the scenario's currency; Annex B then shows each amount net of co-financing.
    eligible_cost: float | None = Field(default=None, ge=0, le=MAX_COST)


class Funding(_Strict):
    share_costs: bool | None = None
    estimated_cost: float | None = Field(default=None, ge=0, le=MAX_COST)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    cofinancing: Cofinancing | None = None
    donor_appeal_possible: bool | None = None
    employer_liability_law: bool | None = None
    evacuee_repayment_considered: bool | None = None
    existing_instruments: list[Instrument] | None = Field(default=None, max_length=len(values(Instrument)))


class DataFlows(_Strict):
    personal_data_shared: bool | None = None
    cross_border_transfer: bool | None = None
    shared_with_origin_states: bool | None = None


class Scenario(_Strict):
    title: Annotated[str, Text] = Field(min_length=1, max_length=300)
    agreement_types: list[AgreementType] | None = Field(default=None, max_length=len(values(AgreementType)))
    crisis: Crisis
    host_state: str = Field(pattern=PARTY_ID, max_length=64)
    transit_states: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=MAX_PARTIES)
    host_conditions: HostConditions | None = None
    parties: list[Party] = Field(min_length=2)
    populations: list[Population] | None = None
    services_needed: list[Service] | None = Field(default=None, max_length=len(values(Service)))
    funding: Funding | None = None
    data: DataFlows | None = None
    # Addition to the contract (README, "Standing consular cooperation at listed posts"): the Parties cooperate at all
    # times, in routine consular work, not only in a crisis; false: only in a crisis.
    routine_cooperation: bool | None = None

    @field_validator("parties", "populations", mode="before")
    @classmethod
    def _at_most(cls, value: Any, info: ValidationInfo) -> Any:
        """Refuse too many parties or groups before validating each (the bench may lift this, see
        ``parse_scenario``)."""
        most = MAX_PARTIES if info.field_name == "parties" else MAX_POPULATIONS
        if isinstance(value, list) and len(value) > most and (info.context or {}).get("limits", True):
            raise PydanticCustomError(
                "too_many",
                "{count} {what}: at most {most} are accepted",
                {"count": len(value), "what": info.field_name, "most": most},
            )
        return value

    # The parties by id, built once: a draft of 60 parties asks for a party some 30,000 times (a linear search was a
    # tenth of the costliest evaluation). The model is frozen, so the index never goes stale.
    _by_id: dict[str, Party] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        for p in self.parties:
            self._by_id.setdefault(p.id, p)

    def party(self, party_id: str) -> Party | None:
        """Return the party with this id (the first, should ids repeat), or None."""
        index = self.__pydantic_private__["_by_id"]  # not self._by_id: pydantic's __getattr__ would double the cost
        return index.get(party_id) if isinstance(party_id, str) else None

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


def _shown(value: Any) -> str:
    """A value as a problem quotes it: at most 60 characters (a huge whole number may not even print)."""
    try:
        text = repr(value)
    except ValueError:
        return "a number too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def error_message(err: dict[str, Any]) -> str:
    kind, given, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind == "finite_number":
        return f"expected a finite number, got {_shown(given)}"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = ctx.get("le", ctx.get("ge"))
        word = "at most" if kind == "less_than_equal" else "at least"
        return f"must be {word} {bound:,}, got {_shown(given)}"
    if kind == "string_too_long" or (kind == "too_long" and isinstance(given, str)):
        return f"is too long: at most {ctx.get('max_length'):,} characters"
    if kind == "too_long":
        return f"has {ctx.get('actual_length'):,} items: at most {ctx.get('max_length'):,} are accepted"
    if kind == "literal_error":
        return f"{_shown(given)} is not one of {_expected(ctx)}"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "is required"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") != PARTY_ID:
        return f"{given!r} does not match the pattern {ctx.get('pattern')}"
    if kind == "string_pattern_mismatch":
        return f"{given!r} is not a valid identifier (lower-case letters, digits and _, starting with a letter)"
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return f"expected a whole number, got {_shown(given)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_shown(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_shown(given)}"
    if kind in ("list_type", "dict_type", "model_type", "string_type"):
        wanted = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping"}.get(kind, "text")
        return f"expected {wanted}, got {_shown(given)}"
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
    known: set[str] = set()
    problems = []
    for i, pid in enumerate(ids):
        if pid in known:
            problems.append(Problem(f"parties[{i}].id", f"duplicate party id {_shown(pid)}"))
        known.add(pid)
    listed = ", ".join(ids[:12]) + (f" and {len(ids) - 12} more" if len(ids) > 12 else "")

    def check(path: str, ref: Any) -> None:
        if isinstance(ref, str) and ids and ref not in known:
            problems.append(Problem(path, f"{_shown(ref)} is not the id of a party ({listed})"))

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
    funding = data.get("funding")
    cof = funding.get("cofinancing") if isinstance(funding, dict) else None
    eligible = cof.get("eligible_cost") if isinstance(cof, dict) else None
    estimate = funding.get("estimated_cost") if isinstance(funding, dict) else None
    if _number(eligible) and _number(estimate) and eligible > estimate:
        problems.append(
            Problem(
                "funding.cofinancing.eligible_cost",
                f"{eligible:,.2f} is more than the estimated cost of {estimate:,.2f}: the costs that co-financing may "
                "meet are part of the estimate",
            )
        )
    return problems


def _number(value: Any) -> bool:
    """A finite JSON number (not a boolean)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_scenario(data: Any, *, limits: bool = True) -> Scenario:
    """Validate contract data; raise ScenarioError listing every problem with its path.

    ``limits=False`` lifts the limits on the number of parties and groups, for the bench's growth
    measurements only: nothing the application reads goes through it."""
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "a scenario must be a mapping of keys to values")])
    problems: list[Problem] = []
    scenario = None
    try:
        scenario = Scenario.model_validate(data, context={"limits": limits})
    except ValidationError as exc:
        problems = _problems_from(exc)
    problems += [p for p in _reference_problems(data) if p not in problems]
    if problems or scenario is None:
        raise ScenarioError(problems)
    return scenario


def parse_scenario_text(text: str, name: str = "scenario") -> Scenario:
    """Parse YAML or JSON text (JSON is YAML) into a validated scenario; plain data only (``safe_yaml``)."""
    return parse_scenario(read_scenario_data(text, name))


def read_scenario_data(text: str | bytes, name: str = "scenario") -> Any:
    """YAML or JSON text as plain data, not yet validated; ScenarioError says what is wrong and where."""
    try:
        return load_data(text)
    except UnsafeInput as exc:
        raise ScenarioError([Problem("", input_message(exc, name))]) from None


def input_message(exc: UnsafeInput, name: str) -> str:
    """``bad.yaml is not valid YAML or JSON at line 3: …`` or ``bomb.yaml, line 2: aliases … are not accepted``."""
    if exc.syntax:
        where = f" at line {exc.line}" if exc.line else ""
        return f"{name} is not valid YAML or JSON{where}: {exc.reason}"
    return f"{name}, line {exc.line}: {exc.reason}" if exc.line else f"{name}: {exc.reason}"


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem("", f"cannot read {path}: {exc.strerror or exc}")]) from None
    return parse_scenario_text(text, name=str(path))
