"""What-if comparisons (issue 7): change a few facts of a scenario and see what the rule base does differently.

A change is a short, stable token that fits in a URL, e.g. ``phase:post_crisis``,
``consular:somal:embassy``, ``vuln:somal:refugees_or_asylum_seekers:900`` or ``bridging_fund:off``; a
list of tokens reproduces a comparison. ``parse_changes`` checks tokens against a scenario (errors
name the change: ``change 3: 'consular:zz:embassy': 'zz' is not a party (hodara, obaru)``),
``apply_changes`` applies them to a copy of the scenario data, ``what_if`` does both and validates the
result, and ``compare`` sets two answers side by side: per category what was added, removed and changed,
each with the rules behind it, and the redline of the draft.

Pure: no Flask, no database.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .advice import Advice
from .redline import ArticleChange, Summary, redline, summarize
from .scenario import NON_PARTY_NATIONALITIES, Scenario, ScenarioError, parse_scenario
from .vocab import (
    MANDATES,
    SERVICES,
    VULNERABILITIES,
    ConsularPresence,
    CrisisKind,
    Hazard,
    Phase,
    RouteStatus,
    Transport,
    label,
    values,
)

MAX_CHANGES = 10
MAX_TOKEN = 120
MAX_COUNT = 100_000_000
UNKNOWN = "unknown"
YES_NO = ("yes", "no")
TRI = ("yes", "no", UNKNOWN)

PHASES = values(Phase)
CRISIS_KINDS = values(CrisisKind)
HAZARDS = values(Hazard)
PRESENCES = values(ConsularPresence)
ROUTE_STATUSES = values(RouteStatus)
TRANSPORTS = values(Transport)
CAPACITIES = (
    "bridging_fund",
    "identity_verification",
    "travel_documents",
    "shelter",
    "food",
    "health_care",
    "reception",
    "deployable_experts",
    "monitoring_assets",
)
CONSTRAINTS = ("can_sign_binding", "privileges_and_immunities", "neutrality_required")
HOST_CONDITIONS = (
    "objects_to_third_state_consular_acts",
    "movement_restrictions",
    "exit_penalties",
    "shelters_open_to_all",
)
DATA_FIELDS = ("personal_data_shared", "cross_border_transfer", "shared_with_origin_states")
FUNDING_FIELDS = (
    "share_costs",
    "cofinancing",
    "donor_appeal_possible",
    "employer_liability_law",
    "evacuee_repayment_considered",
)
# Vulnerabilities in the order a trainer reaches for them: refugees first (the example).
VULNERABILITY_MENU = ("refugees_or_asylum_seekers",) + tuple(
    v for v in VULNERABILITIES if v != "refugees_or_asylum_seekers"
)

FIELD_LABELS = {
    "objects_to_third_state_consular_acts": "the host State objects to third-State consular acts",
    "movement_restrictions": "migrants may not leave a province or employer",
    "exit_penalties": "exit visas, overstay fines or sponsor permission to leave",
    "shelters_open_to_all": "public shelters admit migrants whatever their status",
    "personal_data_shared": "personal data of migrants is shared",
    "cross_border_transfer": "personal data crosses borders",
    "shared_with_origin_states": "personal data is shared with States of origin",
    "share_costs": "the parties share costs",
    "cofinancing": "co-financing is available",
    "donor_appeal_possible": "a donor appeal is possible",
    "employer_liability_law": "a law makes recruiters and employers pay repatriation",
    "evacuee_repayment_considered": "evacuees may be asked to repay",
    "bridging_fund": "bridging fund (can advance money)",
    "identity_verification": "identity verification",
    "travel_documents": "emergency travel documents",
    "health_care": "health care",
    "deployable_experts": "deployable experts",
    "monitoring_assets": "monitoring and communication assets",
    "can_sign_binding": "may sign a binding instrument",
    "privileges_and_immunities": "privileges and immunities",
    "neutrality_required": "neutrality required",
    "refugees_or_asylum_seekers": "refugees or asylum-seekers",
}


def field_label(value: str) -> str:
    """A readable name for a field or vocabulary value of a change."""
    return FIELD_LABELS.get(value) or label(value)


# ---------------------------------------------------------------- the vocabulary of changes


@dataclass(frozen=True)
class Kind:
    """One kind of change: its token name, the parts after it, and what it is called on the page."""

    name: str
    parts: tuple[str, ...]  # form field names, in token order: party, group, what, value, count
    title: str
    hint: str = ""


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("phase", ("value",), "The crisis moves to another phase"),
        Kind(
            "consular",
            ("party", "value"),
            "A State gains or loses consular presence",
            "Consular presence in the host State: embassy, consulate, honorary consul or none.",
        ),
        Kind(
            "vuln",
            ("group", "what", "count"),
            "People with specific needs among the migrants",
            "For example refugees or asylum-seekers among a group; 0 means none known.",
        ),
        Kind("bridging_fund", ("value",), "The bridging fund disappears", "No party can advance money any more."),
        Kind("capacity", ("party", "what", "value"), "A party gains or loses a capacity"),
        Kind("kind", ("value",), "Another kind of crisis"),
        Kind("hazard", ("value",), "Another hazard"),
        Kind(
            "group",
            ("group", "count"),
            "A group of migrants grows, shrinks, appears or leaves",
            "The number of people of a nationality; 0 removes the group.",
        ),
        Kind("host", ("what", "value"), "A condition in the host State changes"),
        Kind("route", ("what", "value"), "A route opens or closes"),
        Kind("transport", ("party", "what", "value"), "A party gains or loses a means of transport"),
        Kind("mandate", ("party", "what", "value"), "A party gains or loses a mandate"),
        Kind("constraint", ("party", "what", "value"), "A party's constraints change"),
        Kind("service", ("what", "value"), "A service is needed or no longer needed"),
        Kind("funding", ("what", "value"), "Funding changes"),
        Kind("data", ("what", "value"), "Personal data flows change"),
    )
}


@dataclass(frozen=True)
class Change:
    """One parsed change: ``consular:somal:embassy`` → kind ``consular``, args ``('somal', 'embassy')``."""

    token: str
    kind: str
    args: tuple[str, ...]

    @property
    def subject(self) -> tuple[str, ...]:
        """What the change is about, without its new value: two changes of one subject cannot both apply."""
        return (self.kind, *self.args[:-1])

    @property
    def title(self) -> str:
        return KINDS[self.kind].title


@dataclass(frozen=True)
class Applied:
    """A change as applied to a scenario, in words, and whether it changed anything."""

    change: Change
    description: str
    effective: bool = True

    @property
    def token(self) -> str:
        return self.change.token


class ChangeError(ValueError):
    """Tokens that cannot be applied; ``problems`` says which change and why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _parties(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [p for p in data.get("parties") or [] if isinstance(p, dict) and isinstance(p.get("id"), str)]


def _groups(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [g for g in data.get("populations") or [] if isinstance(g, dict) and isinstance(g.get("nationality"), str)]


def _one_of(value: str, allowed: Iterable[str]) -> str | None:
    allowed = tuple(allowed)
    return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"


def _count(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 9 and int(value) <= MAX_COUNT else None


def _check(kind: str, args: tuple[str, ...], data: Mapping[str, Any]) -> str | None:
    """The problem with a change's arguments, or None."""
    spec = KINDS[kind]
    if len(args) != len(spec.parts) or any(a == "" for a in args):
        shape = ":".join([kind, *(f"<{p}>" for p in spec.parts)])
        return f"expected {shape}"
    parts = dict(zip(spec.parts, args, strict=True))
    party_ids = [p["id"] for p in _parties(data)]
    if "party" in parts and parts["party"] not in party_ids:
        return f"{parts['party']!r} is not a party ({', '.join(party_ids)})"
    if "count" in parts and _count(parts["count"]) is None:
        return f"{parts['count']!r} is not a whole number of people (0 to {MAX_COUNT:,})"
    value, what = parts.get("value"), parts.get("what")
    if kind in ("group", "vuln"):
        nationalities = [*party_ids, *NON_PARTY_NATIONALITIES]
        if parts["group"] not in nationalities:
            return f"{parts['group']!r} is not a nationality of the scenario ({', '.join(nationalities)})"
        return _one_of(what, VULNERABILITIES) if kind == "vuln" and what is not None else None
    checks: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...]]] = {
        # kind: (allowed "what", allowed "value")
        "phase": (None, PHASES),
        "kind": (None, CRISIS_KINDS),
        "hazard": (None, (*HAZARDS, UNKNOWN)),
        "consular": (None, (*PRESENCES, UNKNOWN)),
        "bridging_fund": (None, ("off",)),
        "capacity": (CAPACITIES, TRI),
        "transport": (TRANSPORTS, YES_NO),
        "mandate": (MANDATES, YES_NO),
        "constraint": (CONSTRAINTS, TRI),
        "host": (HOST_CONDITIONS, TRI),
        "route": (TRANSPORTS, (*ROUTE_STATUSES, UNKNOWN)),
        "service": (SERVICES, YES_NO),
        "funding": (FUNDING_FIELDS, TRI),
        "data": (DATA_FIELDS, TRI),
    }
    whats, allowed = checks[kind]
    if whats is not None:
        problem = _one_of(what or "", whats)
        if problem:
            return problem
    problem = _one_of(value or "", allowed)
    if problem and kind == "bridging_fund":
        problem += "; to give a party a bridging fund use capacity:<party>:bridging_fund:yes"
    return problem


def parse_change(token: str, data: Mapping[str, Any]) -> Change:
    """One token checked against the scenario data; raises ValueError with the reason."""
    if len(token) > MAX_TOKEN:
        raise ValueError(f"longer than {MAX_TOKEN} characters")
    kind, _, rest = token.strip().partition(":")
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of change ({', '.join(KINDS)})")
    args = tuple(rest.split(":")) if rest else ()
    problem = _check(kind, args, data)
    if problem:
        raise ValueError(problem)
    return Change(token=":".join([kind, *args]), kind=kind, args=args)


def _shown(token: str) -> str:
    return repr(token if len(token) <= 60 else token[:57] + "...")


def parse_changes(tokens: Iterable[str], data: Mapping[str, Any]) -> list[Change]:
    """Every token checked; raise ChangeError listing each problem (``change 3: 'x': ...``)."""
    tokens = [t for t in tokens if t.strip()]
    problems: list[str] = []
    if len(tokens) > MAX_CHANGES:
        raise ChangeError([f"at most {MAX_CHANGES} changes at a time ({len(tokens)} given)"])
    changes: list[Change] = []
    seen: dict[tuple[str, ...], int] = {}
    for i, token in enumerate(tokens, 1):
        try:
            change = parse_change(token, data)
        except ValueError as exc:
            problems.append(f"change {i}: {_shown(token)}: {exc}")
            continue
        if change.subject in seen:
            problems.append(f"change {i}: {_shown(token)}: changes the same thing as change {seen[change.subject]}")
            continue
        seen[change.subject] = i
        changes.append(change)
    if problems:
        raise ChangeError(problems)
    return changes


def build_token(kind: str, fields: Mapping[str, str]) -> str:
    """The token of a change chosen in a form (``kind`` plus its fields); raises ValueError if one is missing."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"{kind!r} is not a kind of change")
    parts = []
    for name in spec.parts:
        value = (fields.get(name) or "").strip()
        if not value:
            raise ValueError(f"{spec.title}: choose the {'number of people' if name == 'count' else name} first")
        parts.append(value.replace(",", "").replace(" ", "") if name == "count" else value)
    return ":".join([kind, *parts])


def with_change(tokens: Iterable[str], token: str, data: Mapping[str, Any]) -> list[str]:
    """The tokens with ``token`` added, replacing an earlier change of the same subject (kept in its place)."""
    new = parse_change(token, data)
    out, replaced = [], False
    for t in tokens:
        try:
            same = parse_change(t, data).subject == new.subject
        except ValueError:
            same = False
        if same and not replaced:
            out.append(new.token)
            replaced = True
        elif not same:
            out.append(t)
    if not replaced:
        out.append(new.token)
    return out


# ---------------------------------------------------------------- applying changes


def _yes_no(value: Any) -> str:
    if value is None:
        return UNKNOWN
    return "yes" if value else "no"


def _tri(value: str) -> bool | None:
    return None if value == UNKNOWN else value == "yes"


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _arrow(before: str, after: str) -> str:
    return f"{before} → {after}" if before != after else f"{after} (already so: no change)"


def _name(data: Mapping[str, Any], party_id: str) -> str:
    party = next((p for p in _parties(data) if p["id"] == party_id), None)
    return str(party.get("name") or party_id) if party else nationality_name(data, party_id)


def nationality_name(data: Mapping[str, Any], nationality: str) -> str:
    """``Republic of Somal`` for a party id, ``stateless persons`` and ``other nationalities`` otherwise."""
    if nationality == "stateless":
        return "stateless persons"
    if nationality == "other":
        return "other nationalities"
    party = next((p for p in _parties(data) if p["id"] == nationality), None)
    return str(party.get("name") or nationality) if party else nationality


def group_name(data: Mapping[str, Any], nationality: str) -> str:
    """``Migrants from Republic of Somal``, ``Stateless persons``, ``Migrants of other nationalities``."""
    if nationality in NON_PARTY_NATIONALITIES:
        return "Stateless persons" if nationality == "stateless" else "Migrants of other nationalities"
    return f"Migrants from {nationality_name(data, nationality)}"


def _party(data: dict[str, Any], party_id: str) -> dict[str, Any]:
    return next(p for p in _parties(data) if p["id"] == party_id)


def _apply(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    """Apply one change in place; return its description and whether anything changed."""
    kind, a = change.kind, change.args
    if kind in ("phase", "kind", "hazard"):
        crisis = data.setdefault("crisis", {})
        key = {"kind": "kind", "phase": "phase", "hazard": "hazard"}[kind]
        before = crisis.get(key) or UNKNOWN
        _set(crisis, key, None if a[0] == UNKNOWN else a[0])
        what = {"phase": "Crisis phase", "kind": "Kind of crisis", "hazard": "Hazard"}[kind]
        return f"{what}: {_arrow(label(before), label(a[0]))}", before != a[0]
    if kind == "consular":
        caps = _party(data, a[0]).setdefault("capacities", {})
        before = caps.get("consular_presence") or UNKNOWN
        _set(caps, "consular_presence", None if a[1] == UNKNOWN else a[1])
        return f"{_name(data, a[0])}: consular presence {_arrow(before, a[1])}", before != a[1]
    if kind in ("capacity", "constraint"):
        section = "capacities" if kind == "capacity" else "constraints"
        target = _party(data, a[0]).setdefault(section, {})
        before = _yes_no(target.get(a[1]))
        _set(target, a[1], _tri(a[2]))
        return f"{_name(data, a[0])}: {field_label(a[1])} {_arrow(before, a[2])}", before != a[2]
    if kind == "bridging_fund":
        losing = [p for p in _parties(data) if (p.get("capacities") or {}).get("bridging_fund")]
        for p in losing:
            p["capacities"]["bridging_fund"] = False
        if not losing:
            return "The bridging fund disappears (no party had one: no change)", False
        names = ", ".join(str(p.get("name") or p["id"]) for p in losing)
        return f"The bridging fund disappears: {names} can no longer advance money", True
    if kind in ("transport", "mandate"):
        party = _party(data, a[0])
        if kind == "transport":
            items = party.setdefault("capacities", {}).setdefault("transport", [])
            what = f"transport by {a[1]}"
        else:
            items = party.setdefault("mandates", [])
            what = f"mandate for {label(a[1])}"
        return _toggle(items, a[1], a[2] == "yes", f"{_name(data, a[0])}: {what}")
    if kind == "service":
        items = data.setdefault("services_needed", [])
        return _toggle(items, a[0], a[1] == "yes", f"Service needed: {label(a[0])}")
    if kind == "host":
        target = data.setdefault("host_conditions", {})
        before = _yes_no(target.get(a[0]))
        _set(target, a[0], _tri(a[1]))
        return f"Host State: {field_label(a[0])}: {_arrow(before, a[1])}", before != a[1]
    if kind == "route":
        routes = data.setdefault("host_conditions", {}).setdefault("routes", {})
        before = routes.get(a[0]) or UNKNOWN
        _set(routes, a[0], None if a[1] == UNKNOWN else a[1])
        return f"Route by {a[0]}: {_arrow(before, a[1])}", before != a[1]
    if kind == "data":
        target = data.setdefault("data", {})
        before = _yes_no(target.get(a[0]))
        _set(target, a[0], _tri(a[1]))
        return f"Data: {field_label(a[0])}: {_arrow(before, a[1])}", before != a[1]
    if kind == "funding":
        funding = data.setdefault("funding", {})
        target, key = (funding.setdefault("cofinancing", {}), "available") if a[0] == "cofinancing" else (funding, a[0])
        before = _yes_no(target.get(key))
        _set(target, key, _tri(a[1]))
        return f"Funding: {field_label(a[0])}: {_arrow(before, a[1])}", before != a[1]
    if kind == "group":
        return _group(data, a[0], int(a[1]))
    if kind == "vuln":
        return _vulnerability(data, a[0], a[1], int(a[2]))
    raise AssertionError(f"unhandled kind of change {kind!r}")  # pragma: no cover - KINDS and _apply agree


def _toggle(items: list[str], item: str, on: bool, what: str) -> tuple[str, bool]:
    had = item in items
    if on and not had:
        items.append(item)
    elif not on and had:
        items.remove(item)
    words = "yes" if on else "no"
    return f"{what}: {_arrow('yes' if had else 'no', words)}", had != on


def _group(data: dict[str, Any], nationality: str, count: int) -> tuple[str, bool]:
    groups = data.setdefault("populations", [])
    group = next((g for g in _groups(data) if g["nationality"] == nationality), None)
    who = (
        f"Migrants from {nationality_name(data, nationality)}"
        if nationality not in NON_PARTY_NATIONALITIES
        else (nationality_name(data, nationality).capitalize())
    )
    before = group["count"] if group else 0
    if count == 0 and group is not None:
        groups.remove(group)
    elif group is None and count:
        groups.append({"nationality": nationality, "count": count})
    elif group is not None:
        group["count"] = count
        for vuln, n in list((group.get("vulnerabilities") or {}).items()):
            if isinstance(n, int) and n > count:  # a smaller group cannot hold more people with a need
                group["vulnerabilities"][vuln] = count
    return f"{who}: {_arrow(f'{before:,} people', f'{count:,} people')}", before != count


def _vulnerability(data: dict[str, Any], nationality: str, vuln: str, count: int) -> tuple[str, bool]:
    group = next((g for g in _groups(data) if g["nationality"] == nationality), None)
    if group is None:
        listed = ", ".join(g["nationality"] for g in _groups(data)) or "none"
        raise ValueError(
            f"there is no group of nationality {nationality!r} (groups: {listed}); add one first with "
            f"group:{nationality}:<count>"
        )
    size = group.get("count")
    if isinstance(size, int) and count > size:
        raise ValueError(f"{count:,} is more than the {size:,} people of the group")
    vulns = group.setdefault("vulnerabilities", {})
    before = vulns.get(vuln) or 0
    _set(vulns, vuln, count or None)
    if not vulns:
        group.pop("vulnerabilities")
    who = group_name(data, nationality)
    return f"{who}: {field_label(vuln)} {_arrow(f'{before:,}', f'{count:,}')}", before != count


def apply_changes(data: Mapping[str, Any], changes: Iterable[Change]) -> tuple[dict[str, Any], list[Applied]]:
    """A changed copy of the scenario data (the input is never touched) and each change in words.

    Raises ChangeError when a change does not fit the data as the earlier changes left it.
    """
    out = copy.deepcopy(dict(data))
    applied, problems = [], []
    for i, change in enumerate(changes, 1):
        try:
            description, effective = _apply(out, change)
        except ValueError as exc:
            problems.append(f"change {i}: {_shown(change.token)}: {exc}")
            continue
        applied.append(Applied(change, description, effective))
    if problems:
        raise ChangeError(problems)
    return out, applied


@dataclass(frozen=True)
class WhatIf:
    """The changed scenario, as data and validated, and the changes in words."""

    data: dict[str, Any]
    scenario: Scenario
    applied: list[Applied]

    @property
    def tokens(self) -> list[str]:
        return [a.token for a in self.applied]


def what_if(data: Mapping[str, Any], tokens: Iterable[str]) -> WhatIf:
    """Parse the tokens against ``data``, apply them to a copy and validate the result.

    Raises ChangeError with every problem; a changed scenario that breaks the contract is reported
    with the path of each problem.
    """
    changes = parse_changes(tokens, data)
    changed, applied = apply_changes(data, changes)
    try:
        scenario = parse_scenario(changed)
    except ScenarioError as exc:
        raise ChangeError([f"the changed scenario is not valid: {p}" for p in exc.problems]) from None
    return WhatIf(changed, scenario, applied)


# ---------------------------------------------------------------- menus for a form


def menus(data: Mapping[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The choices a what-if form offers for this scenario: ``(value, label)`` pairs by field."""
    parties = [(p["id"], str(p.get("name") or p["id"])) for p in _parties(data)]
    states = [(p["id"], str(p.get("name") or p["id"])) for p in _parties(data) if p.get("kind") == "state"]
    groups = [(g["nationality"], nationality_name(data, g["nationality"])) for g in _groups(data)]
    others = [(n, nationality_name(data, n)) for n in NON_PARTY_NATIONALITIES]

    def labelled(items: Iterable[str]) -> list[tuple[str, str]]:
        return [(i, field_label(i)) for i in items]

    return {
        "parties": parties,
        "states": states,
        "groups": groups,
        "nationalities": states + others,
        "phases": labelled(PHASES),
        "kinds": labelled(CRISIS_KINDS),
        "hazards": labelled((*HAZARDS, UNKNOWN)),
        "presences": [(p, {"none": "none", "honorary": "honorary consul"}.get(p, p)) for p in PRESENCES]
        + [(UNKNOWN, UNKNOWN)],
        "vulnerabilities": labelled(VULNERABILITY_MENU),
        "capacities": labelled(CAPACITIES),
        "constraints": labelled(CONSTRAINTS),
        "transports": labelled(TRANSPORTS),
        "mandates": labelled(MANDATES),
        "host_conditions": labelled(HOST_CONDITIONS),
        "routes": labelled(TRANSPORTS),
        "route_statuses": labelled((*ROUTE_STATUSES, UNKNOWN)),
        "services": labelled(SERVICES),
        "funding": labelled(FUNDING_FIELDS),
        "data": labelled(DATA_FIELDS),
        "tri": [(v, v) for v in TRI],
        "yes_no": [("yes", "yes"), ("no", "no")],
    }


# ---------------------------------------------------------------- comparing two answers


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


def _diff(
    category: str,
    title: str,
    before: Advice,
    after: Advice,
    items: Callable[[Advice], list[_Item]],
    note: str = "",
) -> CategoryDiff:
    old = {i.key: i for i in items(before)}
    new = {i.key: i for i in items(after)}
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


def _same_number(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, abs_tol=tolerance)


SHARE_MODELS = ("pro_rata_per_evacuee", "employer_liability", "net_of_cofinancing", "advance_and_recover")


def compare(before: Advice, after: Advice, names: Mapping[str, str] | None = None) -> Comparison:
    """What changes from ``before`` to ``after``: suggestions per category with the rules behind them,
    the rules that start or stop firing, and the redline of the draft."""
    names = dict(names or {})

    def who(party: str | None) -> str:
        return names.get(party or "", party or "")

    def roles(a: Advice) -> list[_Item]:
        out = []
        for r in a.roles:
            single = r.role in ("lead", "backup_lead")
            key = f"{r.role}|{r.for_ or ''}" + ("" if single else f"|{r.party}")
            name = label(r.role) + (f" for {who(r.for_)}" if r.for_ else "")
            out.append(_Item(key, name, f"{name}: {who(r.party)}", tuple(r.because), (r.party,)))
        return out

    def value(v: Any) -> str:
        if isinstance(v, dict):
            return ", ".join(f"{k.replace('_', ' ')} {value(x)}" for k, x in v.items())
        if isinstance(v, list):
            return "; ".join(value(x) for x in v)
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return f"{v:,.2f}" if abs(v) >= 1 else f"{v:g}"
        if isinstance(v, str):
            return names.get(v) or label(v)
        return str(v)

    def models(a: Advice) -> list[_Item]:
        out = []
        for m in a.cost_allocation.models:
            params = "; ".join(f"{k.replace('_', ' ')}: {value(v)}" for k, v in sorted(m.params.items()))
            text = label(m.id) + (f" ({params})" if params else "")
            out.append(_Item(m.id, label(m.id), text, tuple(m.because), tuple(sorted(map(str, m.params.items())))))
        return out

    def shares(a: Advice) -> list[_Item]:
        currency = a.cost_allocation.currency
        because = tuple(r for m in a.cost_allocation.models if m.id in SHARE_MODELS for r in m.because)
        out = []
        for s in a.cost_allocation.shares:
            text = f"{who(s.party)}: {_percent(s.share)}, {_money(s.amount, currency)} ({s.basis})"
            sig = (round(s.share, 4), None if s.amount is None else round(s.amount, 2), s.basis, currency)
            out.append(_Item(s.party, who(s.party), text, because, sig))
        return out

    def flags(a: Advice) -> list[_Item]:
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

    def clauses(a: Advice) -> list[_Item]:
        out = []
        for c in a.clauses:
            variant = "" if c.variant == "standard" else f" ({label(c.variant)} variant)"
            out.append(_Item(c.id, label(c.topic), f"{label(c.topic)}{variant}", tuple(c.because), (c.variant,)))
        return out

    def simple(attr: str) -> Callable[[Advice], list[_Item]]:
        def items(a: Advice) -> list[_Item]:
            return [_Item(x.id, label(x.id), label(x.id), tuple(x.because), None) for x in getattr(a, attr)]

        return items

    def conflicts(a: Advice) -> list[_Item]:
        # The same conflict on both sides is unchanged; otherwise, when exactly one conflict of an id is left on
        # each side, it is one conflict whose message changed (a different count); the rest were added or removed.
        other = after if a is before else before
        pairs = {(c.id, c.message) for c in a.conflicts}
        other_pairs = {(c.id, c.message) for c in other.conflicts}
        left = Counter(i for i, m in pairs - other_pairs)
        other_left = Counter(i for i, m in other_pairs - pairs)

        def key(c: Any) -> str:
            paired = (c.id, c.message) not in other_pairs and left[c.id] == 1 and other_left[c.id] == 1
            return c.id if paired else f"{c.id}|{c.message}"

        return [
            _Item(key(c), label(c.id), f"{label(c.id)}: {c.message}", tuple(c.because), c.message) for c in a.conflicts
        ]

    categories = (
        _diff("agreement_types", "Agreement types", before, after, simple("agreement_types")),
        _diff("roles", "Roles", before, after, roles),
        _diff("cost_models", "Cost models", before, after, models),
        _diff(
            "cost_shares",
            "Cost shares",
            before,
            after,
            shares,
            "Shares are computed from the cost models; the rules shown are those of the models they follow.",
        ),
        _diff("risk_flags", "Risks and safeguards", before, after, flags),
        _diff("practices", "Good practices", before, after, simple("practices")),
        _diff("clauses", "Clauses of the draft", before, after, clauses),
        _diff("conflicts", "Conflicts", before, after, conflicts),
    )

    def fired(a: Advice) -> list[_Item]:
        return [_Item(r.id, r.title, r.title, (r.id,), None) for r in a.rules_fired]

    rules = _diff("rules", "Rules that fire", before, after, fired)
    changes = redline(before.draft, after.draft) if before.draft and after.draft else []
    return Comparison(categories, rules, changes, summarize(changes))


def party_names(*scenarios: Scenario) -> dict[str, str]:
    """Party names by id over one or more scenarios (the later ones win), plus the non-party nationalities."""
    names = {n: nationality_name({}, n) for n in NON_PARTY_NATIONALITIES}
    for scenario in scenarios:
        names.update({p.id: p.name for p in scenario.parties})
    return names
