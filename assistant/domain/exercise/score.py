"""Scoring an answer sheet against the rule base's advice.

* a *matched* item is on both sides; it is shown with the rules that suggest it;
* a *missed* item is suggested by the rule base but not chosen; it is explained with the rules that suggest it
  here (title, rationale, the facts they matched, source);
* an *extra* item was chosen but no rule suggests it here; it is explained with the rules of the rule base that
  could suggest it in other circumstances (``explain``).

The score is transparent (``FORMULA``): each category scores ``matched ÷ (expected + extra)`` — 100 % when the
answers equal the suggestions, lower for every miss and every extra — and the total is the weighted mean of the
categories in which something was expected or chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..advice import Advice
from ..rules import RuleBase
from ..scenario import Scenario
from ..vocab import label
from .explain import explain_extra
from .result import CategoryResult, ExerciseResult, ItemResult, RuleNote
from .sheet import CATEGORIES, KEY_ROLES, LEADERSHIP_ROLES, AnswerSheet

FORMULA = (
    "Each category scores matched ÷ (expected + extra): the items both you and the rule base chose, divided by "
    "the items the rule base suggests plus the items you added that it does not. The total is the weighted mean "
    "of the categories: Σ (weight × category score) ÷ Σ weight, counting only the categories in which the rule "
    "base suggests something or you chose something."
)


@dataclass
class _Expected:
    label: str
    because: list[str]


def _party_label(scenario: Scenario, party_id: str) -> str:
    party = scenario.party(party_id)
    return party.name if party else party_id


def expected_items(scenario: Scenario, advice: Advice) -> dict[str, dict[str, _Expected]]:
    """What the rule base suggests, per category: item key -> label and the ids of the rules behind it."""
    out: dict[str, dict[str, _Expected]] = {c.id: {} for c in CATEGORIES}
    for a in advice.agreement_types:
        out["agreement_types"][a.id] = _Expected(label(a.id), list(a.because))
    for role in LEADERSHIP_ROLES:
        for r in advice.holders(role)[:1]:
            out["leadership"][f"{role}:{r.party}"] = _Expected(
                f"{label(role)}: {_party_label(scenario, r.party)}", list(r.because)
            )
    for r in advice.roles:
        if r.role not in KEY_ROLES:
            continue
        key = f"{r.role}:{r.party}"
        item = out["roles"].setdefault(key, _Expected(f"{label(r.role)}: {_party_label(scenario, r.party)}", []))
        item.because += [rid for rid in r.because if rid not in item.because]
    out["roles"] = dict(sorted(out["roles"].items(), key=lambda kv: KEY_ROLES.index(kv[0].split(":", 1)[0])))
    for m in advice.cost_allocation.models:
        out["cost_models"][m.id] = _Expected(label(m.id), list(m.because))
    for f in advice.risk_flags:
        out["risk_flags"][f.id] = _Expected(label(f.id), list(f.because))
    for p in advice.practices:
        out["practices"][p.id] = _Expected(label(p.id), list(p.because))
    return out


def chosen_items(scenario: Scenario, sheet: AnswerSheet) -> dict[str, dict[str, str]]:
    """What the trainee chose, per category: item key -> label."""
    leadership = {
        f"{role}:{party}": f"{label(role)}: {_party_label(scenario, party)}"
        for role, party in (("lead", sheet.lead), ("backup_lead", sheet.backup_lead))
        if party
    }
    roles = {
        f"{role}:{party}": f"{label(role)}: {_party_label(scenario, party)}"
        for role in KEY_ROLES
        for party in sheet.holders(role)
    }
    return {
        "agreement_types": {a: label(a) for a in sheet.agreement_types},
        "leadership": leadership,
        "roles": roles,
        "cost_models": {m: label(m) for m in sheet.cost_models},
        "risk_flags": {f: label(f) for f in sheet.risk_flags},
        "practices": {p: label(p) for p in sheet.practices},
    }


def score(sheet: AnswerSheet, scenario: Scenario, advice: Advice, rule_base: RuleBase) -> ExerciseResult:
    """Compare the sheet with the advice on the scenario; explain every item and compute the score."""
    expected = expected_items(scenario, advice)
    chosen = chosen_items(scenario, sheet)
    fired = {r.id for r in advice.rules_fired}
    categories = []
    for cat in CATEGORIES:
        exp, got = expected[cat.id], chosen[cat.id]
        result = CategoryResult(id=cat.id, title=cat.title, weight=cat.weight)
        for key, item in exp.items():
            explained = ItemResult(key=key, label=item.label, rules=_fired_notes(advice, item.because))
            (result.matched if key in got else result.missed).append(explained)
        for key, text in got.items():
            if key not in exp:
                result.extra.append(explain_extra(cat.id, key, text, scenario, rule_base, fired))
        for item in result.missed:
            item.note = _missed_note(cat.id, item)
        total = len(exp) + len(result.extra)
        result.score = len(result.matched) / total if total else None
        categories.append(result)
    counted = [c for c in categories if c.counted]
    weight = sum(c.weight for c in counted)
    total_score = sum(c.weight * (c.score or 0) for c in counted) / weight if weight else 1.0
    return ExerciseResult(categories=categories, score=total_score)


def _fired_notes(advice: Advice, because: Iterable[str]) -> list[RuleNote]:
    notes = []
    for rid in because:
        r = advice.rule(rid)
        if r is not None:
            notes.append(
                RuleNote(id=r.id, title=r.title, source=r.source, rationale=r.rationale, facts=r.facts, fired_here=True)
            )
    return notes


def _missed_note(category: str, item: ItemResult) -> str:
    n = len(item.rules)
    which = "this rule" if n == 1 else f"these {n} rules"
    if category == "leadership":
        return f"The rule base gives this role here because of {which}, the strongest reasons among the candidates."
    return f"The rule base suggests this here because of {which}."
