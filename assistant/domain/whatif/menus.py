"""The choices a what-if form offers for a scenario: its parties, groups and nationalities, and the vocabularies
of the changes, as ``(value, label)`` pairs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..scenario import NON_PARTY_NATIONALITIES
from ..vocab import MANDATES, SERVICES, VULNERABILITIES
from .changes import (
    CAPACITIES,
    CONSTRAINTS,
    CRISIS_KINDS,
    DATA_FIELDS,
    FUNDING_FIELDS,
    HAZARDS,
    HOST_CONDITIONS,
    PHASES,
    PRESENCES,
    ROUTE_STATUSES,
    TRANSPORTS,
    TRI,
    UNKNOWN,
    field_label,
    groups_in,
    nationality_name,
    parties_in,
)

# Vulnerabilities in the order a trainer reaches for them: refugees first (the example).
VULNERABILITY_MENU = ("refugees_or_asylum_seekers",) + tuple(
    v for v in VULNERABILITIES if v != "refugees_or_asylum_seekers"
)


def _labelled(items: Iterable[str]) -> list[tuple[str, str]]:
    return [(i, field_label(i)) for i in items]


def menus(data: Mapping[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The choices a what-if form offers for this scenario: ``(value, label)`` pairs by field."""
    parties = [(p["id"], str(p.get("name") or p["id"])) for p in parties_in(data)]
    states = [(p["id"], str(p.get("name") or p["id"])) for p in parties_in(data) if p.get("kind") == "state"]
    groups = [(g["nationality"], nationality_name(data, g["nationality"])) for g in groups_in(data)]
    others = [(n, nationality_name(data, n)) for n in NON_PARTY_NATIONALITIES]

    return {
        "parties": parties,
        "states": states,
        "groups": groups,
        "nationalities": states + others,
        "phases": _labelled(PHASES),
        "kinds": _labelled(CRISIS_KINDS),
        "hazards": _labelled((*HAZARDS, UNKNOWN)),
        "presences": [(p, {"none": "none", "honorary": "honorary consul"}.get(p, p)) for p in PRESENCES]
        + [(UNKNOWN, UNKNOWN)],
        "vulnerabilities": _labelled(VULNERABILITY_MENU),
        "capacities": _labelled(CAPACITIES),
        "constraints": _labelled(CONSTRAINTS),
        "transports": _labelled(TRANSPORTS),
        "mandates": _labelled(MANDATES),
        "host_conditions": _labelled(HOST_CONDITIONS),
        "routes": _labelled(TRANSPORTS),
        "route_statuses": _labelled((*ROUTE_STATUSES, UNKNOWN)),
        "services": _labelled(SERVICES),
        "funding": _labelled(FUNDING_FIELDS),
        "data": _labelled(DATA_FIELDS),
        "tri": [(v, v) for v in TRI],
        "yes_no": [("yes", "yes"), ("no", "no")],
    }
