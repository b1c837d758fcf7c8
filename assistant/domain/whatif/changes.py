"""The vocabulary of what-if changes and their parsing.

A change is a short, stable token that fits in a URL, e.g. ``phase:post_crisis``, ``consular:somal:embassy``,
``vuln:somal:refugees_or_asylum_seekers:900`` or ``bridging_fund:off``. ``parse_changes`` checks tokens against
a scenario's data; errors name the change (``change 3: 'consular:zz:embassy': 'zz' is not a party (hodara,
obaru)``), and two changes of one subject are refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..scenario import NON_PARTY_NATIONALITIES
from ..vocab import (
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


class ChangeError(ValueError):
    """Tokens that cannot be applied; ``problems`` says which change and why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parties_in(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parties of scenario data that have an id (data not yet validated may hold anything)."""
    return [p for p in data.get("parties") or [] if isinstance(p, dict) and isinstance(p.get("id"), str)]


def groups_in(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The groups of migrants of scenario data that have a nationality."""
    return [g for g in data.get("populations") or [] if isinstance(g, dict) and isinstance(g.get("nationality"), str)]


def _one_of(value: str, allowed: Iterable[str]) -> str | None:
    allowed = tuple(allowed)
    return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"


def _count(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 9 and int(value) <= MAX_COUNT else None


# kind: (the allowed "what", or None where the kind has none; the allowed "value"). Groups and needs are
# checked against the scenario's nationalities instead.
ALLOWED: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...]]] = {
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


def _check(kind: str, args: tuple[str, ...], data: Mapping[str, Any]) -> str | None:
    """The problem with a change's arguments, or None: the right number of parts, a party of the scenario,
    a whole number of people, a nationality of the scenario, and values from the kind's vocabularies."""
    spec = KINDS[kind]
    if len(args) != len(spec.parts) or any(a == "" for a in args):
        shape = ":".join([kind, *(f"<{p}>" for p in spec.parts)])
        return f"expected {shape}"
    parts = dict(zip(spec.parts, args, strict=True))
    party_ids = [p["id"] for p in parties_in(data)]
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
    whats, allowed = ALLOWED[kind]
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


def shown(token: str) -> str:
    """A token as an error message quotes it, cut to 60 characters."""
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
            problems.append(f"change {i}: {shown(token)}: {exc}")
            continue
        if change.subject in seen:
            problems.append(f"change {i}: {shown(token)}: changes the same thing as change {seen[change.subject]}")
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


# ---------------------------------------------------------------- names of nationalities and groups


def nationality_name(data: Mapping[str, Any], nationality: str) -> str:
    """``Republic of Somal`` for a party id, ``stateless persons`` and ``other nationalities`` otherwise."""
    if nationality == "stateless":
        return "stateless persons"
    if nationality == "other":
        return "other nationalities"
    party = next((p for p in parties_in(data) if p["id"] == nationality), None)
    return str(party.get("name") or nationality) if party else nationality


def group_name(data: Mapping[str, Any], nationality: str) -> str:
    """``Migrants from Republic of Somal``, ``Stateless persons``, ``Migrants of other nationalities``."""
    if nationality in NON_PARTY_NATIONALITIES:
        return "Stateless persons" if nationality == "stateless" else "Migrants of other nationalities"
    return f"Migrants from {nationality_name(data, nationality)}"
