"""Rule files as data: the schema of a rule, loading with precise errors, and compilation to durable-rules.

A rule file (``rules/*.yaml``) is a list of rules::

    - id: evac.lead.io_migration_mandate
      title: An organization with a migration mandate leads a multi-State evacuation
      priority: 10                       # lower is stronger; also ranks candidates for lead roles
      when:                              # alias -> pattern over one fact; all aliases must match
        scenario: {type: scenario, n_origin_states: {gte: 2}}
        io: {type: party, kind: international_organization, mandate_migration: true}
      unless:                            # alias -> pattern that must match no fact
        st: {type: party, kind: state, consular_presence: embassy, transport_air: true}
      then:
        roles: [{role: lead, party: {ref: io.id}}]
      rationale: …                       # read aloud by trainers
      source: …                          # the guideline or instrument, with the notes' reference
      examples:
        - given: [{type: scenario, n_origin_states: 3}, {type: party, id: iom, kind: international_organization,
                   mandate_migration: true}]
          fires: true

No Python is ever evaluated from these files: conditions compile to durable-rules JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .facts import COMMON_FIELDS, FACT_FIELDS
from .loading import DataError, DataProblem, read_folder, validation_problems
from .vocab import AgreementType, CostModel, Practice, RiskFlag, Role, Severity

RULE_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
CLAUSE_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
OPS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "exists")
# Facts the evaluation itself derives from suggestions, so rules can chain on them.
DERIVED_FIELDS: dict[str, dict[str, type]] = {
    "agreement_type": {"item": str},
    "risk_flag": {"item": str},
    "role": {"item": str, "party": str, "for": str},
}
# Lead and backup are chosen among candidates after the rules run; chaining on candidates would
# give every candidate what only the chosen one should get.
SINGLE_HOLDER_ROLES = ("lead", "backup_lead")
# Names durable-rules' own host reserves on its action closure (kept reserved although the engine module now
# drives the C engine itself, so rule files stay valid for either), and the trigger and sink aliases.
RESERVED_ALIASES = {"s", "m", "host", "post", "assert_fact", "retract_fact", "delete_state", "go__", "never__"}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\}")

Scalar = str | int | float | bool


class Ref(BaseModel):
    """A reference to a field of a matched fact: ``{ref: io.id}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    ref: str = Field(pattern=r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")

    @property
    def alias(self) -> str:
        return self.ref.split(".", 1)[0]

    @property
    def field(self) -> str:
        return self.ref.split(".", 1)[1]


Value = Scalar | Ref


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Holder(BaseModel):
    """The party that ends up holding a single-holder role: ``{holder: lead}``, known only after
    lead candidates are ranked, so it is resolved after the rules have run."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    holder: Literal["lead", "backup_lead"]


class RoleOut(_Item):
    role: Role
    party: Ref | Holder
    for_: Ref | str | None = Field(default=None, alias="for")


class CostModelOut(_Item):
    id: CostModel
    params: dict[str, Value] = {}


class RiskFlagOut(_Item):
    id: RiskFlag
    severity: Severity = "medium"
    safeguards: list[str] = []
    message: str | None = None  # what exactly is at risk; may use {alias.field}


class ClauseOut(_Item):
    id: str = Field(pattern=CLAUSE_ID)
    variant: str = "standard"


class ConflictOut(_Item):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    message: str


class Then(_Item):
    agreement_types: list[AgreementType] = []
    roles: list[RoleOut] = []
    cost_models: list[CostModelOut] = []
    practices: list[Practice] = []
    risk_flags: list[RiskFlagOut] = []
    clauses: list[ClauseOut] = []
    conflicts: list[ConflictOut] = []
    derive: list[dict[str, Value]] = []

    @field_validator("clauses", mode="before")
    @classmethod
    def _clause_shorthand(cls, v: Any) -> Any:
        return [{"id": c} if isinstance(c, str) else c for c in v] if isinstance(v, list) else v


class Example(_Item):
    given: list[dict[str, Any]] = Field(min_length=1)
    fires: bool
    note: str | None = None


class Rule(_Item):
    id: str = Field(pattern=RULE_ID)
    title: str = Field(min_length=3)
    priority: int = Field(default=100, ge=0, le=1000)
    when: dict[str, dict[str, Any]] = Field(min_length=1)
    unless: dict[str, dict[str, Any]] = {}
    then: Then
    rationale: str = Field(min_length=10)
    source: str = Field(min_length=3)
    examples: list[Example] = Field(min_length=1)
    file: str = ""

    def fact_type(self, alias: str) -> str:
        pattern = self.when.get(alias) or self.unless.get(alias) or {}
        return str(pattern.get("type", ""))


class RuleBase(BaseModel):
    """The loaded, validated rules and the versioned name of their compiled ruleset."""

    model_config = ConfigDict(frozen=True)
    rules: tuple[Rule, ...]
    name: str

    def get(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    @property
    def parts(self) -> int:
        """How many trigger facts an evaluation asserts."""
        return trigger_part(max(len(self.rules) - 1, 0)) + 1


# ---------------------------------------------------------------- validation


def _known_fields(derived: dict[str, set[str]]) -> dict[str, set[str]]:
    known = {t: set(f) | set(COMMON_FIELDS) for t, f in FACT_FIELDS.items()}
    for t, fields in DERIVED_FIELDS.items():
        known[t] = set(fields) | set(COMMON_FIELDS)
    for t, fields in derived.items():
        known.setdefault(t, set(COMMON_FIELDS)).update(fields)
    return known


def _check_condition(field: str, cond: Any, where: str, aliases: list[str]) -> list[str]:
    if isinstance(cond, dict) and "ref" in cond:
        cond = {"eq": cond}
    if not isinstance(cond, dict):
        return [] if isinstance(cond, Scalar) else [f"{where}: expected a value or an operator mapping"]
    problems = []
    for op, val in cond.items():
        if op not in OPS:
            problems.append(f"{where}: unknown operator {op!r} (use one of {', '.join(OPS)})")
        elif op in ("in", "not_in") and not (isinstance(val, list) and val):
            problems.append(f"{where}.{op}: expected a non-empty list")
        elif isinstance(val, dict):
            # Measured here: joins on a reference miss matches now and then (4 in 1,000 random fact sets),
            # so rules join through fields the facts already carry (nationals, origin_presence, ...).
            problems.append(f"{where}.{op}: references to other facts are not supported: test a field of this fact")
    return problems


def _check_rule(rule: Rule, known: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Return (field path, message) pairs for everything wrong beyond the plain schema."""
    problems: list[tuple[str, str]] = []
    seen: list[str] = []
    for section in ("when", "unless"):
        for alias, pattern in getattr(rule, section).items():
            where = f"{section}.{alias}"
            if alias in RESERVED_ALIASES or not re.match(r"^[a-z][a-z0-9_]*$", alias):
                problems.append((where, f"{alias!r} cannot be used as an alias"))
            ftype = pattern.get("type")
            if ftype not in known:
                problems.append((f"{where}.type", f"unknown fact type {ftype!r} (known: {', '.join(sorted(known))})"))
                continue
            if section == "unless" and (ftype in DERIVED_FIELDS or ftype not in FACT_FIELDS):
                problems.append((f"{where}.type", f"'unless' on derived facts ({ftype}) depends on firing order"))
            item = pattern.get("item")
            items = item.get("in", [item.get("eq")]) if isinstance(item, dict) else [item]
            if ftype == "role" and (item is None or set(items) & set(SINGLE_HOLDER_ROLES)):
                problems.append((f"{where}.item", "lead candidates are not facts: use party: {holder: lead} in 'then'"))
            scenario_in_when = any(p.get("type") == "scenario" for p in rule.when.values())
            if section == "unless" and ftype == "scenario" and scenario_in_when:
                # durable-rules never binds one fact to two aliases, so this pattern could never match.
                problems.append((f"{where}.type", "the scenario is already matched in 'when': put the condition there"))
            for field, cond in pattern.items():
                if field == "type":
                    continue
                if field not in known[ftype]:
                    problems.append((f"{where}.{field}", f"unknown field of a {ftype} fact"))
                problems += [
                    (p.split(": ", 1)[0], p.split(": ", 1)[1])
                    for p in _check_condition(field, cond, f"{where}.{field}", seen)
                ]
            seen.append(alias)
    problems += _check_then(rule, known)
    problems += _check_examples(rule, known)
    return problems


def _refs_in(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, BaseModel):
        return [r for v in value.__dict__.values() for r in _refs_in(v)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _refs_in(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs_in(v)]
    return []


def _check_then(rule: Rule, known: dict[str, set[str]]) -> list[tuple[str, str]]:
    problems = []
    for ref in _refs_in(rule.then):
        ftype = rule.fact_type(ref.alias)
        if ref.alias not in rule.when:
            problems.append(("then", f"{ref.ref}: {ref.alias!r} is not an alias of 'when'"))
        elif ref.field not in known.get(ftype, set()):
            problems.append(("then", f"{ref.ref}: unknown field of a {ftype} fact"))
    texts = [c.message for c in rule.then.conflicts] + [rule.rationale]
    texts += [f.message for f in rule.then.risk_flags if f.message]
    for text in texts:
        for alias, field in _PLACEHOLDER.findall(text):
            if alias not in rule.when:
                problems.append(("then", f"{{{alias}.{field}}}: {alias!r} is not an alias of 'when'"))
    for i, d in enumerate(rule.then.derive):
        if not isinstance(d.get("type"), str) or d["type"] in FACT_FIELDS or d["type"] in DERIVED_FIELDS:
            problems.append((f"then.derive[{i}].type", "a derived fact needs a new type name"))
    return problems


def _check_examples(rule: Rule, known: dict[str, set[str]]) -> list[tuple[str, str]]:
    problems = []
    for i, ex in enumerate(rule.examples):
        for j, fact in enumerate(ex.given):
            where = f"examples[{i}].given[{j}]"
            ftype = fact.get("type")
            if ftype not in known:
                problems.append((f"{where}.type", f"unknown fact type {ftype!r}"))
                continue
            for field in fact:
                if field not in known[ftype]:
                    problems.append((f"{where}.{field}", f"unknown field of a {ftype} fact"))
    return problems


def _derived_types(rules: list[Rule]) -> dict[str, set[str]]:
    derived: dict[str, set[str]] = {}
    for rule in rules:
        for d in rule.then.derive:
            if isinstance(d.get("type"), str):
                derived.setdefault(d["type"], set()).update(k for k in d if k != "type")
    return derived


def parse_rules(file: str, data: Any) -> tuple[list[Rule], list[DataProblem]]:
    """Validate one rule file's content; return the rules that passed the schema and all problems."""
    if not isinstance(data, list):
        return [], [DataProblem(file, "", "", "a rule file must be a list of rules")]
    rules, problems = [], []
    for i, raw in enumerate(data):
        item = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"rule #{i + 1}"
        if not isinstance(raw, dict):
            problems.append(DataProblem(file, item, "", "a rule must be a mapping"))
            continue
        try:
            rules.append(Rule.model_validate({**raw, "file": file}))
        except ValidationError as exc:
            problems += validation_problems(file, item, exc)
    return rules, problems


def build_rule_base(rules: list[Rule], problems: list[DataProblem] | None = None) -> RuleBase:
    """Check rules across files (ids, fields, references) and give the set its versioned name."""
    problems = list(problems or [])
    known = _known_fields(_derived_types(rules))
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            problems.append(DataProblem(rule.file, rule.id, "id", f"duplicate rule id (also in {seen[rule.id]})"))
        seen.setdefault(rule.id, rule.file)
        problems += [DataProblem(rule.file, rule.id, f, m) for f, m in _check_rule(rule, known)]
    problems += _shared_pattern_problems(rules)
    if problems:
        raise DataError(problems)
    content = json.dumps([r.model_dump(mode="json") for r in rules], sort_keys=True)
    digest = hashlib.sha256(content.encode()).hexdigest()[:12]
    return RuleBase(rules=tuple(rules), name=f"g7_{digest}")


def _shared_pattern_problems(rules: list[Rule]) -> list[DataProblem]:
    """A pattern shared by more rules than durable-rules can hold would crash the engine."""
    users: dict[str, list[Rule]] = {}
    for rule in rules:
        for pattern in [*rule.when.values(), *rule.unless.values()]:
            key = json.dumps(pattern_json(pattern), sort_keys=True)
            users.setdefault(key, []).append(rule)
    return [
        DataProblem(
            found[-1].file,
            found[-1].id,
            "when",
            f"{len(found)} rules share the pattern {key}; the engine "
            f"holds at most {MAX_RULES_PER_PATTERN}: make some of them more specific",
        )
        for key, found in users.items()
        if len(found) > MAX_RULES_PER_PATTERN
    ]


def load_rule_base(folder: str | Path) -> RuleBase:
    """Load every rule file of a folder; raise DataError naming file, rule id and field."""
    files, problems = read_folder(Path(folder), "rules")
    rules: list[Rule] = []
    for _, name, data in files:
        found, errs = parse_rules(name, data)
        rules += found
        problems += errs
    return build_rule_base(rules, problems)


# ---------------------------------------------------------------- compilation


def _condition_json(field: str, cond: Any) -> dict[str, Any]:
    if not isinstance(cond, dict):
        return {field: cond}
    parts = []
    for op, val in cond.items():
        v = val
        if op == "eq":
            parts.append({field: v})
        elif op == "ne":
            parts.append({"$neq": {field: v}})
        elif op in ("lt", "lte", "gt", "gte"):
            parts.append({f"${op}": {field: v}})
        elif op == "in":
            parts.append({"$or": [{field: x} for x in val]})
        elif op == "not_in":
            parts.append({"$and": [{"$ex": {field: 1}}] + [{"$neq": {field: x}} for x in val]})
        elif op == "exists":
            parts.append({"$ex" if val else "$nex": {field: 1}})
    return parts[0] if len(parts) == 1 else {"$and": parts}


def pattern_json(pattern: dict[str, Any]) -> dict[str, Any]:
    """Compile one ``{type: …, field: cond}`` pattern to a durable-rules expression."""
    parts = [{"type": pattern["type"]}]
    parts += [_condition_json(f, c) for f, c in pattern.items() if f != "type"]
    return {"$and": parts}


# durable-rules 2.0.28 keeps at most 255 rules on one pattern (measured by `make bench`: the 256th corrupts
# the heap, the 257th is refused with error 108). Rules are spread over several trigger parts, one `$go`
# fact each, and no other pattern may be shared by that many rules.
TRIGGER_PART_SIZE = 200
MAX_RULES_PER_PATTERN = 250


def trigger_part(index: int) -> int:
    """The trigger part of the rule at this position in the rule base."""
    return index // TRIGGER_PART_SIZE


def rule_json(rule: Rule, part: int = 0) -> dict[str, Any]:
    """Compile a rule: the ``$go`` trigger first (negation is then evaluated on the full fact set)."""
    patterns: list[dict[str, Any]] = [{"go__": {"$and": [{"type": "$go"}, {"part": part}]}}]
    patterns += [{alias: pattern_json(p)} for alias, p in rule.when.items()]
    patterns += [{f"{alias}$not": pattern_json(p)} for alias, p in rule.unless.items()]
    return {"all": patterns, "pri": rule.priority}


SINK_RULE = {"all": [{"never__": {"type": "$never"}}, {"m": {"$ex": {"type": 1}}}]}
# durable-rules 2.0.28 crashes in delete_state on a session where no action ever ran (measured here:
# free(): invalid pointer / SIGSEGV). This rule fires on the trigger alone, last, in every session.
HEARTBEAT_RULE = {"all": [{"m": {"type": "$go"}}], "pri": 1000}
