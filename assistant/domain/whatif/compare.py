"""Comparing two answers of the rule base, e.g. before and after a what-if change.

``compare`` sets two answers side by side: per category of suggestion, what was added, removed and changed,
each with the rules behind it (for a removed item, the rules behind it before); the rules that start or stop
firing; and the redline of the draft. An item is matched across the two answers by its key (a role's holder is
part of the key only for roles several parties hold) and is changed when its signature differs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..advice import Advice
from ..redline import ArticleChange, Summary, redline, summarize
from ..scenario import NON_PARTY_NATIONALITIES, Scenario
from ..vocab import label
from .changes import nationality_name


@dataclass(frozen=True)
class RuleRef:
    """A rule behind a suggestion, as a trainer shows it."""

    id: str
    title: str
    rationale: str = ""
    source: str = ""


Mark = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class ItemChange:
    """One suggestion that appears, disappears or changes; ``before``/``after`` are None where it is absent."""

    kind: Mark
    key: str
    name: str
    before: str | None
    after: str | None
    rules: tuple[RuleRef, ...] = ()  # the rules behind the item where it is (after; before for a removed one)
    rules_before: tuple[RuleRef, ...] = ()  # for a changed item: the rules behind it before, if others


@dataclass(frozen=True)
class CategoryDiff:
    id: str
    title: str
    changes: tuple[ItemChange, ...] = ()
    unchanged: tuple[str, ...] = ()
    note: str = ""

    def count(self, kind: Mark) -> int:
        return sum(c.kind == kind for c in self.changes)


@dataclass(frozen=True)
class Comparison:
    """Two answers side by side: per category, the rules that start or stop firing, and the draft's redline."""

    categories: tuple[CategoryDiff, ...]
    rules: CategoryDiff
    redline: list[ArticleChange] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    def count(self, kind: Mark) -> int:
        """Suggestions added, removed or changed over every category."""
        return sum(c.count(kind) for c in self.categories)

    @property
    def identical(self) -> bool:
        return not any(c.changes for c in self.categories) and self.summary.identical

    def category(self, category_id: str) -> CategoryDiff:
        return next(c for c in self.categories if c.id == category_id)


def _refs(advice: Advice, because: Iterable[str]) -> tuple[RuleRef, ...]:
    out = []
    for rid in because:
        rule = advice.rule(rid)
        out.append(
            RuleRef(rid, rule.title, rule.rationale, rule.source) if rule else RuleRef(rid, rid.replace("_", " "))
        )
    return tuple(out)


@dataclass(frozen=True)
class _Item:
    key: str
    name: str
    text: str
    because: tuple[str, ...]
    signature: Any  # what must be equal for the item to be unchanged


# The items of one category in an answer, given the answer it is compared with and the parties' names.
Items = Callable[[Advice, Advice, Mapping[str, str]], list[_Item]]


def _diff(
    category: str,
    title: str,
    before: Advice,
    after: Advice,
    items: Items,
    names: Mapping[str, str],
    note: str = "",
) -> CategoryDiff:
    """One category of the comparison: changed items first, then added, then removed; and the unchanged ones."""
    old = {i.key: i for i in items(before, after, names)}
    new = {i.key: i for i in items(after, before, names)}
    changes, unchanged = [], []
    for key, o in old.items():
        if key not in new:
            changes.append(ItemChange("removed", key, o.name, o.text, None, _refs(before, o.because)))
    for key, n in new.items():
        o = old.get(key)
        if o is None:
            changes.append(ItemChange("added", key, n.name, None, n.text, _refs(after, n.because)))
        elif o.signature != n.signature:
            earlier = _refs(before, o.because) if set(o.because) != set(n.because) else ()
            changes.append(ItemChange("changed", key, n.name, o.text, n.text, _refs(after, n.because), earlier))
        else:
            unchanged.append(n.text)
    order = {"changed": 0, "added": 1, "removed": 2}
    changes.sort(key=lambda c: order[c.kind])
    return CategoryDiff(category, title, tuple(changes), tuple(unchanged), note)


def _percent(share: float) -> str:
    return f"{share * 100:.2f} %"


def _money(amount: float | None, currency: str) -> str:
    return f"{currency} {amount:,.2f}" if amount is not None else "amount to be determined"


# ---------------------------------------------------------------- the items of each category

SHARE_MODELS = ("pro_rata_per_evacuee", "employer_liability", "net_of_cofinancing", "advance_and_recover")


def _who(names: Mapping[str, str], party: str | None) -> str:
    return names.get(party or "", party or "")


def _value(v: Any, names: Mapping[str, str]) -> str:
    """A parameter of a cost model in words: party ids by name, vocabulary values by label."""
    if isinstance(v, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_value(x, names)}" for k, x in v.items())
    if isinstance(v, list):
        return "; ".join(_value(x, names) for x in v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) >= 1 else f"{v:g}"
    if isinstance(v, str):
        return names.get(v) or label(v)
    return str(v)


def _listed(xs: Iterable[Any]) -> list[_Item]:
    return [_Item(x.id, label(x.id), label(x.id), tuple(x.because), None) for x in xs]


def _agreement_types(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    return _listed(a.agreement_types)


def _practices(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    return _listed(a.practices)


def _roles(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    """A lead or backup lead is one item whoever holds it; other roles are one item per holder."""
    out = []
    for r in a.roles:
        single = r.role in ("lead", "backup_lead")
        key = f"{r.role}|{r.for_ or ''}" + ("" if single else f"|{r.party}")
        name = label(r.role) + (f" for {_who(names, r.for_)}" if r.for_ else "")
        out.append(_Item(key, name, f"{name}: {_who(names, r.party)}", tuple(r.because), (r.party,)))
    return out


def _models(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    out = []
    for m in a.cost_allocation.models:
        params = "; ".join(f"{k.replace('_', ' ')}: {_value(v, names)}" for k, v in sorted(m.params.items()))
        text = label(m.id) + (f" ({params})" if params else "")
        out.append(_Item(m.id, label(m.id), text, tuple(m.because), tuple(sorted(map(str, m.params.items())))))
    return out


def _shares(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    """Each party's share; the rules behind it are those of the cost models shares follow."""
    currency = a.cost_allocation.currency
    because = tuple(r for m in a.cost_allocation.models if m.id in SHARE_MODELS for r in m.because)
    out = []
    for s in a.cost_allocation.shares:
        text = f"{_who(names, s.party)}: {_percent(s.share)}, {_money(s.amount, currency)} ({s.basis})"
        sig = (round(s.share, 4), None if s.amount is None else round(s.amount, 2), s.basis, currency)
        out.append(_Item(s.party, _who(names, s.party), text, because, sig))
    return out


def _flags(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    out = []
    for f in a.risk_flags:
        text = f"{label(f.id)} ({f.severity})"
        if f.safeguards:
            text += "; safeguards: " + ", ".join(label(s) for s in f.safeguards)
        if f.details:
            text += "; " + "; ".join(f.details)
        sig = (f.severity, tuple(f.safeguards), tuple(f.details))
        out.append(_Item(f.id, label(f.id), text, tuple(f.because), sig))
    return out


def _clauses(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    out = []
    for c in a.clauses:
        variant = "" if c.variant == "standard" else f" ({label(c.variant)} variant)"
        out.append(_Item(c.id, label(c.topic), f"{label(c.topic)}{variant}", tuple(c.because), (c.variant,)))
    return out


def _conflicts(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    """The same conflict on both sides is unchanged; otherwise, when exactly one conflict of an id is left on
    each side, it is one conflict whose message changed (a different count); the rest were added or removed."""
    pairs = {(c.id, c.message) for c in a.conflicts}
    other_pairs = {(c.id, c.message) for c in other.conflicts}
    left = Counter(i for i, m in pairs - other_pairs)
    other_left = Counter(i for i, m in other_pairs - pairs)
    out = []
    for c in a.conflicts:
        paired = (c.id, c.message) not in other_pairs and left[c.id] == 1 and other_left[c.id] == 1
        key = c.id if paired else f"{c.id}|{c.message}"
        out.append(_Item(key, label(c.id), f"{label(c.id)}: {c.message}", tuple(c.because), c.message))
    return out


def _fired(a: Advice, other: Advice, names: Mapping[str, str]) -> list[_Item]:
    return [_Item(r.id, r.title, r.title, (r.id,), None) for r in a.rules_fired]


# (id, title, items, note), in the order a page shows them.
CATEGORIES: tuple[tuple[str, str, Items, str], ...] = (
    ("agreement_types", "Agreement types", _agreement_types, ""),
    ("roles", "Roles", _roles, ""),
    ("cost_models", "Cost models", _models, ""),
    (
        "cost_shares",
        "Cost shares",
        _shares,
        "Shares are computed from the cost models; the rules shown are those of the models they follow.",
    ),
    ("risk_flags", "Risks and safeguards", _flags, ""),
    ("practices", "Good practices", _practices, ""),
    ("clauses", "Clauses of the draft", _clauses, ""),
    ("conflicts", "Conflicts", _conflicts, ""),
)


# ---------------------------------------------------------------- the comparison


def compare(before: Advice, after: Advice, names: Mapping[str, str] | None = None) -> Comparison:
    """What changes from ``before`` to ``after``: suggestions per category with the rules behind them,
    the rules that start or stop firing, and the redline of the draft."""
    names = dict(names or {})
    categories = tuple(
        _diff(category, title, before, after, items, names, note) for category, title, items, note in CATEGORIES
    )
    rules = _diff("rules", "Rules that fire", before, after, _fired, names)
    changes = redline(before.draft, after.draft) if before.draft and after.draft else []
    return Comparison(categories, rules, changes, summarize(changes))


def party_names(*scenarios: Scenario) -> dict[str, str]:
    """Party names by id over one or more scenarios (the later ones win), plus the non-party nationalities."""
    names = {n: nationality_name({}, n) for n in NON_PARTY_NATIONALITIES}
    for scenario in scenarios:
        names.update({p.id: p.name for p in scenario.parties})
    return names
