"""Exercise mode (issue 7): a trainee answers for a training scenario what the assistant would otherwise
suggest, and the answers are scored against the rule base's advice, each difference explained.

The answer sheet mirrors the suggestions: agreement types; who leads and who backs up; which parties hold the
key roles; cost models; risk flags; good practices. Submitted answers are checked against the vocabularies
and the scenario's parties (``parse_answers``), then compared with the advice (``score``):

* a *matched* item is on both sides; it is shown with the rules that suggest it;
* a *missed* item is suggested by the rule base but not chosen; it is explained with the rules that suggest it
  here (title, rationale, the facts they matched, source);
* an *extra* item was chosen but no rule suggests it here; it is explained with the rules of the rule base that
  could suggest it in other circumstances, with their conditions, so the trainee sees which condition is absent.

The score is transparent (``FORMULA``): each category scores ``matched ÷ (expected + extra)`` — 100 % when the
answers equal the suggestions, lower for every miss and every extra — and the total is the weighted mean of the
categories in which something was expected or chosen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .advice import Advice
from .evaluate import describe
from .rules import Holder, Ref, Rule, RuleBase
from .scenario import Scenario
from .vocab import AGREEMENT_TYPES, COST_MODELS, PRACTICES, RISK_FLAGS, label

# The roles a trainee assigns on the sheet besides lead and backup: those the rule base gives to particular
# parties because of what they can do. Left out: roles every party with a post holds for itself (consular
# focal point) or that the lead's holder takes by default (data controller, monitoring, information).
KEY_ROLES: tuple[str, ...] = (
    "representing_state",
    "host_liaison",
    "transit_facilitator",
    "transport_provider",
    "identity_documents",
    "protection_referral",
    "counter_trafficking_referral",
    "child_protection",
    "family_tracing",
    "funder",
    "bridging_funder",
    "deploying_partner",
    "liable_private_party",
)
LEADERSHIP_ROLES: tuple[str, ...] = ("lead", "backup_lead")

CategoryId = Literal["agreement_types", "leadership", "roles", "cost_models", "risk_flags", "practices"]


@dataclass(frozen=True)
class Category:
    id: CategoryId
    title: str
    weight: int
    question: str


CATEGORIES: tuple[Category, ...] = (
    Category("agreement_types", "Agreement types", 2, "Which kinds of agreement should the parties make?"),
    Category("leadership", "Lead and backup", 2, "Which party leads, and which one takes over if it cannot?"),
    Category("roles", "Key roles", 2, "Which parties hold the key roles?"),
    Category("cost_models", "Cost models", 1, "How should the costs be shared?"),
    Category("risk_flags", "Risk flags", 2, "Which risks must the agreement guard against?"),
    Category("practices", "Good practices", 1, "Which good practices apply?"),
)
CATEGORY = {c.id: c for c in CATEGORIES}
TOTAL_WEIGHT = sum(c.weight for c in CATEGORIES)
FORMULA = (
    "Each category scores matched ÷ (expected + extra): the items both you and the rule base chose, divided by "
    "the items the rule base suggests plus the items you added that it does not. The total is the weighted mean "
    "of the categories: Σ (weight × category score) ÷ Σ weight, counting only the categories in which the rule "
    "base suggests something or you chose something."
)
MAX_VALUES = 200  # values per field: more than any vocabulary, fewer than a flood


# ---------------------------------------------------------------- the answer sheet


class AnswerSheet(BaseModel):
    """What a trainee chose. Every value is a vocabulary id or a party id of the scenario."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    agreement_types: list[str] = []
    lead: str = ""
    backup_lead: str = ""
    roles: dict[str, list[str]] = {}  # role id -> party ids
    cost_models: list[str] = []
    risk_flags: list[str] = []
    practices: list[str] = []

    def holders(self, role: str) -> list[str]:
        return self.roles.get(role, [])

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: Any) -> AnswerSheet:
        """The sheet stored in the database; an unreadable one is an empty sheet, never an error."""
        try:
            return cls.model_validate(data if isinstance(data, dict) else {})
        except ValidationError:
            return cls()

    def is_empty(self) -> bool:
        return self == AnswerSheet()


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong in submitted answers: the form field and what to do."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _pick(
    form: Mapping[str, Sequence[str]], field: str, allowed: Sequence[str], what: str, problems: list[AnswerProblem]
) -> list[str]:
    given = [v.strip() for v in list(form.get(field, ()))[:MAX_VALUES] if isinstance(v, str) and v.strip()]
    for value in given:
        if value not in allowed:
            problems.append(AnswerProblem(field, f"{_shown(value)} is not {what}; choose from the list."))
    return [v for v in allowed if v in given]


def _party_problem(field: str, value: str, parties: Sequence[str]) -> AnswerProblem:
    return AnswerProblem(
        field, f"{_shown(value)} is not a party of this scenario (the parties are {', '.join(parties)})."
    )


def parse_answers(form: Mapping[str, Sequence[str]], scenario: Scenario) -> tuple[AnswerSheet, list[AnswerProblem]]:
    """Read submitted answers (field name -> values, as a form sends them).

    Returns the sheet of every recognised answer, so nothing valid is lost, and the problems with the rest.
    Fields: ``agreement_types``, ``lead``, ``backup_lead``, ``role.<role>`` (party ids), ``cost_models``,
    ``risk_flags``, ``practices``; other fields are not answers and are ignored.
    """
    problems: list[AnswerProblem] = []
    parties = [p.id for p in scenario.parties]
    types = _pick(form, "agreement_types", AGREEMENT_TYPES, "an agreement type", problems)
    leaders: dict[str, str] = {}
    for role in LEADERSHIP_ROLES:
        given = [v.strip() for v in form.get(role, ()) if isinstance(v, str) and v.strip()]
        if len(set(given)) > 1:
            problems.append(AnswerProblem(role, f"Choose one party as {label(role)}, not {len(set(given))}."))
        value = given[0] if given else ""
        if value and value not in parties:
            problems.append(_party_problem(role, value, parties))
            value = ""
        leaders[role] = value
    if leaders["lead"] and leaders["lead"] == leaders["backup_lead"]:
        problems.append(
            AnswerProblem(
                "backup_lead",
                "The backup lead must be another party than the lead: it takes over if the lead cannot act.",
            )
        )
    roles: dict[str, list[str]] = {}
    for field in form:
        if not field.startswith("role."):
            continue
        role = field.removeprefix("role.")
        if role not in KEY_ROLES:
            problems.append(AnswerProblem("roles", f"{_shown(role)} is not one of the roles of this exercise."))
            continue
        given = [v.strip() for v in list(form.get(field, ()))[:MAX_VALUES] if isinstance(v, str) and v.strip()]
        problems += [_party_problem(field, v, parties) for v in dict.fromkeys(given) if v not in parties]
        chosen = [p for p in parties if p in given]
        if chosen:
            roles[role] = chosen
    sheet = AnswerSheet(
        agreement_types=types,
        lead=leaders["lead"],
        backup_lead=leaders["backup_lead"],
        roles={r: roles[r] for r in KEY_ROLES if r in roles},
        cost_models=_pick(form, "cost_models", COST_MODELS, "a cost model", problems),
        risk_flags=_pick(form, "risk_flags", RISK_FLAGS, "a risk flag", problems),
        practices=_pick(form, "practices", PRACTICES, "a good practice", problems),
    )
    return sheet, problems


def sheet_problems(sheet: AnswerSheet, scenario: Scenario) -> list[AnswerProblem]:
    """The problems of a stored sheet (the same checks as for a submitted form)."""
    return parse_answers(sheet_as_form(sheet), scenario)[1]


def sheet_as_form(sheet: AnswerSheet) -> dict[str, list[str]]:
    """The sheet as form fields, the inverse of ``parse_answers``."""
    form = {
        "agreement_types": list(sheet.agreement_types),
        "lead": [sheet.lead] if sheet.lead else [],
        "backup_lead": [sheet.backup_lead] if sheet.backup_lead else [],
        "cost_models": list(sheet.cost_models),
        "risk_flags": list(sheet.risk_flags),
        "practices": list(sheet.practices),
    }
    form |= {f"role.{role}": list(parties) for role, parties in sheet.roles.items()}
    return form


# ---------------------------------------------------------------- the result


class RuleNote(BaseModel):
    """A rule behind an item: why it is suggested here, or when it would be."""

    id: str
    title: str
    source: str = ""
    rationale: str = ""
    facts: list[str] = []  # the facts it matched here (suggested items)
    conditions: list[str] = []  # what it needs (items no rule suggests here)
    fired_here: bool = False


class ItemResult(BaseModel):
    key: str
    label: str
    note: str = ""
    rules: list[RuleNote] = []
    more_rules: int = 0  # rules left out of ``rules`` to keep the explanation short


class CategoryResult(BaseModel):
    id: str
    title: str
    weight: int
    matched: list[ItemResult] = []
    missed: list[ItemResult] = []
    extra: list[ItemResult] = []
    score: float | None = None  # None: nothing expected and nothing chosen, so the category does not count

    @property
    def expected(self) -> int:
        return len(self.matched) + len(self.missed)

    @property
    def chosen(self) -> int:
        return len(self.matched) + len(self.extra)

    @property
    def counted(self) -> bool:
        return self.score is not None


class ExerciseResult(BaseModel):
    """The explained score of one answer sheet."""

    categories: list[CategoryResult]
    score: float  # 0..1

    @property
    def percent(self) -> int:
        return percent(self.score)

    def category(self, category_id: str) -> CategoryResult | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def computation(self) -> str:
        """The formula with this sheet's numbers: ``(2 × 75 % + 1 × 100 %) ÷ 3 = 83 %``."""
        counted = [c for c in self.categories if c.counted]
        if not counted:
            return "Nothing was expected and nothing chosen: 100 %."
        terms = " + ".join(f"{c.weight} × {percent(c.score or 0)} %" for c in counted)
        return f"({terms}) ÷ {sum(c.weight for c in counted)} = {self.percent} %"

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: Any) -> ExerciseResult | None:
        try:
            return cls.model_validate(data)
        except ValidationError:
            return None


def percent(value: float) -> int:
    """A share as a whole percentage, rounded half up (0.825 → 83)."""
    return int(value * 100 + 0.5 + 1e-9)


# ---------------------------------------------------------------- scoring


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
                result.extra.append(_extra(cat.id, key, text, scenario, rule_base, fired))
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


# ---------------------------------------------------------------- extra items: which rules could suggest them

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


def _extra(category: str, key: str, text: str, scenario: Scenario, rule_base: RuleBase, fired: set[str]) -> ItemResult:
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


# ---------------------------------------------------------------- across trainees


class ItemCount(BaseModel):
    """An item many trainees missed (or added): how often, and the rules behind it."""

    category: str
    category_title: str
    key: str
    label: str
    count: int
    rules: list[RuleNote] = []


class Summary(BaseModel):
    """Submitted attempts of one exercise, taken together: the trainer's view."""

    attempts: int
    mean: float | None = None
    median: float | None = None
    category_means: dict[str, float | None] = {}
    most_missed: list[ItemCount] = []
    most_added: list[ItemCount] = []


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _most_frequent(results: list[ExerciseResult], side: str, limit: int) -> list[ItemCount]:
    counts: dict[tuple[str, str], ItemCount] = {}
    for result in results:
        for category in result.categories:
            for item in getattr(category, side):
                found = counts.setdefault(
                    (category.id, item.key),
                    ItemCount(
                        category=category.id,
                        category_title=category.title,
                        key=item.key,
                        label=item.label,
                        count=0,
                        rules=item.rules,
                    ),
                )
                found.count += 1
    order = {c.id: i for i, c in enumerate(CATEGORIES)}
    ranked = sorted(counts.values(), key=lambda c: (-c.count, order.get(c.category, 99), c.label))
    return ranked[:limit]


def summarize(results: Iterable[ExerciseResult], limit: int = 10) -> Summary:
    """Mean and median score, mean per category, and the items most often missed and most often added."""
    results = list(results)
    if not results:
        return Summary(attempts=0)
    scores = [r.score for r in results]
    means: dict[str, float | None] = {}
    for cat in CATEGORIES:
        counted = [c.score for r in results if (c := r.category(cat.id)) is not None and c.score is not None]
        means[cat.id] = sum(counted) / len(counted) if counted else None
    return Summary(
        attempts=len(results),
        mean=sum(scores) / len(scores),
        median=_median(scores),
        category_means=means,
        most_missed=_most_frequent(results, "missed", limit),
        most_added=_most_frequent(results, "extra", limit),
    )
