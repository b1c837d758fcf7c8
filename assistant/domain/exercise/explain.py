"""Explaining an extra item (chosen, but suggested by no rule here): the rules of the rule base that could
suggest it in other circumstances, with their conditions in words, so the trainee sees which condition is
absent."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..evaluate import describe
from ..rules import Holder, Ref, Rule, RuleBase
from ..scenario import Scenario
from ..vocab import label
from .result import ItemResult, RuleNote

MAX_RULES_SHOWN = 8
_FACT_NAMES = {
    "scenario": "the scenario",
    "party": "a party",
    "population": "a group of migrants",
    "agreement_type": "a suggested agreement type",
    "risk_flag": "a raised risk flag",
    "role": "a suggested role",
    "choice": "a negotiator's choice",
    "position": "a party's position",
}
_OPS = {"ne": "is not", "lt": "below", "lte": "at most", "gt": "above", "gte": "at least"}
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\}")


def _field_name(field: str) -> str:
    return describe(field, True).removesuffix(": yes")


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and 0 < value < 1:
        return f"{value:.0%}"
    if isinstance(value, int):
        return f"{value:,}"
    return label(str(value))


def condition_text(field: str, cond: Any) -> str:
    """One condition of a rule pattern in words: ``number of nationalities at least 2``."""
    if isinstance(cond, float):
        return f"{_field_name(field)}: {_value_text(cond)}"
    if not isinstance(cond, dict):
        return describe(field, cond)
    parts = []
    for op, value in cond.items():
        if op == "eq":
            parts.append(condition_text(field, value))
        elif op == "exists":
            parts.append(f"{_field_name(field)} {'known' if value else 'unknown'}")
        elif op in ("in", "not_in"):
            values = ", ".join(_value_text(v) for v in value) if isinstance(value, list) else _value_text(value)
            parts.append(f"{_field_name(field)}: {'one of' if op == 'in' else 'none of'} {values}")
        elif op in _OPS:
            parts.append(f"{_field_name(field)} {_OPS[op]} {_value_text(value)}")
    return " and ".join(parts)


def _pattern_text(pattern: dict[str, Any]) -> str:
    kind = str(pattern.get("type", ""))
    name = _FACT_NAMES.get(kind, label(kind))
    conditions = [condition_text(f, c) for f, c in pattern.items() if f != "type"]
    return f"{name}: {'; '.join(conditions)}" if conditions else name


def rule_conditions(rule: Rule) -> list[str]:
    """What a rule needs, in words: one line per fact it matches, then what must be absent."""
    lines = [_pattern_text(p)[:1].upper() + _pattern_text(p)[1:] for p in rule.when.values()]
    lines += [f"Unless {_pattern_text(p)}" for p in rule.unless.values()]
    return lines


def _kind_fits(cond: Any, kind: str) -> bool:
    if cond is None:
        return True
    if not isinstance(cond, dict):
        return cond == kind
    checks = {
        "eq": lambda v: v == kind,
        "ne": lambda v: v != kind,
        "in": lambda v: kind in v,
        "not_in": lambda v: kind not in v,
    }
    return all(checks[op](v) for op, v in cond.items() if op in checks)


def _gives_role(rule: Rule, roles: Sequence[str], kind: str | None) -> bool:
    for out in rule.then.roles:
        if out.role not in roles:
            continue
        if isinstance(out.party, Holder) or kind is None:
            return True
        if isinstance(out.party, Ref) and _kind_fits(rule.when.get(out.party.alias, {}).get("kind"), kind):
            return True
    return False


def rules_that_could(category: str, key: str, scenario: Scenario, rule_base: RuleBase) -> list[Rule]:
    """The rules of the rule base whose ``then`` produces this item (for roles: for a party of this kind)."""
    if category in ("leadership", "roles"):
        role, _, party_id = key.partition(":")
        party = scenario.party(party_id)
        kind = party.kind if party else None
        # A backup lead is a backup candidate or else the next lead candidate.
        roles = ("backup_lead", "lead") if role == "backup_lead" else (role,)
        return [r for r in rule_base.rules if _gives_role(r, roles, kind)]
    produced = {
        "agreement_types": lambda r: r.then.agreement_types,
        "cost_models": lambda r: [m.id for m in r.then.cost_models],
        "risk_flags": lambda r: [f.id for f in r.then.risk_flags],
        "practices": lambda r: r.then.practices,
    }[category]
    return [r for r in rule_base.rules if key in produced(r)]


def explain_extra(
    category: str, key: str, text: str, scenario: Scenario, rule_base: RuleBase, fired: set[str]
) -> ItemResult:
    """An item the trainee chose that no rule suggests here, with the rules that could suggest it (those that
    fired here first) and a note saying what to compare."""
    found = sorted(rules_that_could(category, key, scenario, rule_base), key=lambda r: (r.id not in fired, r.priority))
    notes = [
        RuleNote(
            id=r.id,
            title=r.title,
            source=r.source,
            rationale=_PLACEHOLDER.sub("…", r.rationale),
            conditions=rule_conditions(r),
            fired_here=r.id in fired,
        )
        for r in found[:MAX_RULES_SHOWN]
    ]
    if category in ("leadership", "roles"):
        role, _, party_id = key.partition(":")
        party = scenario.party(party_id)
        kind = label(party.kind) if party else "party"
        if not found:
            note = f"No rule suggests this here, and no rule of the rule base gives a {kind} the role of {label(role)}."
        else:
            note = (
                f"No rule suggests this here. These rules can give a {kind} the role of {label(role)}; compare their "
                f"conditions with the scenario to see what is missing."
            )
            if any(n.fired_here for n in notes):
                note += " A rule marked “fired here” matched this scenario, but for another party" + (
                    " or for a weaker candidate than the one chosen." if category == "leadership" else "."
                )
    elif not found:
        note = "No rule suggests this here, and no rule of the rule base suggests it at all."
    else:
        note = (
            "No rule suggests this here. These rules suggest it in other circumstances; compare their conditions "
            "with the scenario to see what is missing."
        )
    return ItemResult(key=key, label=text, note=note, rules=notes, more_rules=max(0, len(found) - MAX_RULES_SHOWN))
