"""Applying what-if changes to a copy of scenario data, each change in words.

``apply_changes`` applies parsed changes one after the other to a deep copy (the input is never touched), each
by the function its kind names in ``APPLY``; ``what_if`` parses tokens, applies them and validates the result.
A change that leaves the data as it was is kept but marked not effective (``already so: no change``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..scenario import NON_PARTY_NATIONALITIES, Scenario, ScenarioError, parse_scenario
from ..vocab import label
from .changes import (
    UNKNOWN,
    Change,
    ChangeError,
    field_label,
    group_name,
    groups_in,
    nationality_name,
    parse_changes,
    parties_in,
    shown,
)


@dataclass(frozen=True)
class Applied:
    """A change as applied to a scenario, in words, and whether it changed anything."""

    change: Change
    description: str
    effective: bool = True

    @property
    def token(self) -> str:
        return self.change.token


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
    party = next((p for p in parties_in(data) if p["id"] == party_id), None)
    return str(party.get("name") or party_id) if party else nationality_name(data, party_id)


def _party(data: dict[str, Any], party_id: str) -> dict[str, Any]:
    return next(p for p in parties_in(data) if p["id"] == party_id)


def _set_tri(target: dict[str, Any], key: str, value: str) -> str:
    """Set a yes/no/unknown field (unknown removes it); return what it was before, in the same words."""
    before = _yes_no(target.get(key))
    _set(target, key, _tri(value))
    return before


def _toggle(items: list[str], item: str, on: bool, what: str) -> tuple[str, bool]:
    had = item in items
    if on and not had:
        items.append(item)
    elif not on and had:
        items.remove(item)
    words = "yes" if on else "no"
    return f"{what}: {_arrow('yes' if had else 'no', words)}", had != on


# ---------------------------------------------------------------- one function per kind of change
# Each applies one change in place and returns its description and whether anything changed.

_CRISIS_FIELDS = {"phase": "Crisis phase", "kind": "Kind of crisis", "hazard": "Hazard"}


def _crisis(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    """The crisis's phase, kind or hazard (the field the kind names); unknown removes it."""
    crisis = data.setdefault("crisis", {})
    new = change.args[0]
    before = crisis.get(change.kind) or UNKNOWN
    _set(crisis, change.kind, None if new == UNKNOWN else new)
    return f"{_CRISIS_FIELDS[change.kind]}: {_arrow(label(before), label(new))}", before != new


def _consular(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    party_id, new = change.args
    caps = _party(data, party_id).setdefault("capacities", {})
    before = caps.get("consular_presence") or UNKNOWN
    _set(caps, "consular_presence", None if new == UNKNOWN else new)
    return f"{_name(data, party_id)}: consular presence {_arrow(before, new)}", before != new


def _party_field(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    """A party's capacity or constraint: yes, no or unknown."""
    party_id, what, new = change.args
    section = "capacities" if change.kind == "capacity" else "constraints"
    before = _set_tri(_party(data, party_id).setdefault(section, {}), what, new)
    return f"{_name(data, party_id)}: {field_label(what)} {_arrow(before, new)}", before != new


def _bridging_fund(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    """No party can advance money any more."""
    losing = [p for p in parties_in(data) if (p.get("capacities") or {}).get("bridging_fund")]
    for p in losing:
        p["capacities"]["bridging_fund"] = False
    if not losing:
        return "The bridging fund disappears (no party had one: no change)", False
    names = ", ".join(str(p.get("name") or p["id"]) for p in losing)
    return f"The bridging fund disappears: {names} can no longer advance money", True


def _transport(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    party_id, means, new = change.args
    items = _party(data, party_id).setdefault("capacities", {}).setdefault("transport", [])
    return _toggle(items, means, new == "yes", f"{_name(data, party_id)}: transport by {means}")


def _mandate(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    party_id, mandate, new = change.args
    items = _party(data, party_id).setdefault("mandates", [])
    return _toggle(items, mandate, new == "yes", f"{_name(data, party_id)}: mandate for {label(mandate)}")


def _service(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    service, new = change.args
    items = data.setdefault("services_needed", [])
    return _toggle(items, service, new == "yes", f"Service needed: {label(service)}")


def _host(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    what, new = change.args
    before = _set_tri(data.setdefault("host_conditions", {}), what, new)
    return f"Host State: {field_label(what)}: {_arrow(before, new)}", before != new


def _route(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    means, new = change.args
    routes = data.setdefault("host_conditions", {}).setdefault("routes", {})
    before = routes.get(means) or UNKNOWN
    _set(routes, means, None if new == UNKNOWN else new)
    return f"Route by {means}: {_arrow(before, new)}", before != new


def _data_flow(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    what, new = change.args
    before = _set_tri(data.setdefault("data", {}), what, new)
    return f"Data: {field_label(what)}: {_arrow(before, new)}", before != new


def _funding(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    """A funding field; co-financing is ``funding.cofinancing.available``."""
    what, new = change.args
    funding = data.setdefault("funding", {})
    target, key = (funding.setdefault("cofinancing", {}), "available") if what == "cofinancing" else (funding, what)
    before = _set_tri(target, key, new)
    return f"Funding: {field_label(what)}: {_arrow(before, new)}", before != new


def _group(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    """A group of migrants grows, shrinks, appears or (at 0) leaves; its needs never exceed its size."""
    nationality, count = change.args[0], int(change.args[1])
    groups = data.setdefault("populations", [])
    group = next((g for g in groups_in(data) if g["nationality"] == nationality), None)
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


def _vulnerability(data: dict[str, Any], change: Change) -> tuple[str, bool]:
    """The number of people with a need in an existing group, at most the group's size; 0 means none known."""
    nationality, vuln, count = change.args[0], change.args[1], int(change.args[2])
    group = next((g for g in groups_in(data) if g["nationality"] == nationality), None)
    if group is None:
        listed = ", ".join(g["nationality"] for g in groups_in(data)) or "none"
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


APPLY: dict[str, Callable[[dict[str, Any], Change], tuple[str, bool]]] = {
    "phase": _crisis,
    "kind": _crisis,
    "hazard": _crisis,
    "consular": _consular,
    "capacity": _party_field,
    "constraint": _party_field,
    "bridging_fund": _bridging_fund,
    "transport": _transport,
    "mandate": _mandate,
    "service": _service,
    "host": _host,
    "route": _route,
    "data": _data_flow,
    "funding": _funding,
    "group": _group,
    "vuln": _vulnerability,
}


# ---------------------------------------------------------------- applying a list of changes


def apply_changes(data: Mapping[str, Any], changes: Iterable[Change]) -> tuple[dict[str, Any], list[Applied]]:
    """A changed copy of the scenario data (the input is never touched) and each change in words.

    Raises ChangeError when a change does not fit the data as the earlier changes left it.
    """
    out = copy.deepcopy(dict(data))
    applied, problems = [], []
    for i, change in enumerate(changes, 1):
        try:
            description, effective = APPLY[change.kind](out, change)
        except ValueError as exc:
            problems.append(f"change {i}: {shown(change.token)}: {exc}")
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
