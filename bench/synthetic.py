"""Synthetic inputs for the growth measurements: valid scenarios of any size and multiplied rule bases.

Scenarios are built from the contract's vocabularies with a seeded random, so every run measures the same
inputs; each one is validated through ``parse_scenario`` before it is used, with the contract's limit on the
number of parties and groups lifted (``limits=False``): the growth runs measure 100, 300 and 500, beyond the
60 parties and 200 groups the application accepts, to show the shape of the growth. Everything else about
them follows the contract.
"""

from __future__ import annotations

import random
from typing import Any

from assistant.domain.rules import RuleBase, build_rule_base
from assistant.domain.scenario import Scenario, parse_scenario
from assistant.domain.vocab import (
    AGREEMENT_TYPES,
    MANDATES,
    SERVICES,
    VULNERABILITIES,
    ConsularPresence,
    PartyKind,
    Sector,
    Transport,
    values,
)

SEED = 20240607
KINDS = tuple(k for k in values(PartyKind) if k != "state")
PRESENCES = values(ConsularPresence)
TRANSPORTS = values(Transport)
SECTORS = values(Sector)
CAPACITY_FLAGS = (
    "identity_verification",
    "travel_documents",
    "shelter",
    "food",
    "health_care",
    "deployable_experts",
    "monitoring_assets",
    "reception",
    "bridging_fund",
)


def _some(rng: random.Random, items: tuple[str, ...], most: int) -> list[str]:
    return sorted(rng.sample(items, rng.randint(0, min(most, len(items)))), key=items.index)


def _party(rng: random.Random, index: int) -> dict[str, Any]:
    """Party ``index`` (0 is the host State); about half are States (origin, some transit), the rest vary."""
    if index == 0:
        return {"id": "host", "name": "Host State", "kind": "state", "crisis_roles": ["host"]}
    is_state = index % 2 == 1
    party: dict[str, Any] = {
        "id": f"{'state' if is_state else 'org'}_{index:03d}",
        "name": f"{'State' if is_state else 'Organization'} number {index}",
        "kind": "state" if is_state else KINDS[rng.randrange(len(KINDS))],
    }
    if is_state:
        party["crisis_roles"] = ["transit"] if index % 10 == 3 else ["origin"]
    mandates = _some(rng, MANDATES, 3)
    if mandates:
        party["mandates"] = mandates
    caps: dict[str, Any] = {f: rng.random() < 0.4 for f in CAPACITY_FLAGS if rng.random() < 0.6}
    if is_state:
        caps["consular_presence"] = PRESENCES[rng.randrange(len(PRESENCES))]
    transport = _some(rng, TRANSPORTS, 2)
    if transport:
        caps["transport"] = transport
    if rng.random() < 0.3:
        caps["hotline_languages"] = rng.sample(["en", "fr", "ar", "es", "ru", "zh", "sw"], rng.randint(1, 4))
    if rng.random() < 0.5:
        caps["funding_lead_days"] = rng.randint(1, 60)
    if caps:
        party["capacities"] = caps
    if rng.random() < 0.5:
        party["constraints"] = {
            k: rng.random() < 0.5
            for k in ("privileges_and_immunities", "neutrality_required", "can_sign_binding")
            if rng.random() < 0.5
        }
    return party


def _population(rng: random.Random, index: int, origins: list[str]) -> dict[str, Any]:
    roll = rng.random()
    nationality = (
        "stateless" if roll < 0.05 else "other" if roll < 0.08 or not origins else origins[index % len(origins)]
    )
    count = rng.randint(50, 8000)
    pop: dict[str, Any] = {"nationality": nationality, "count": count}
    if rng.random() < 0.7:
        pop["irregular_share"] = round(rng.random(), 2)
    sectors = _some(rng, SECTORS, 3)
    if sectors:
        pop["sectors"] = sectors
    if rng.random() < 0.5:
        pop["recruited_through_agencies"] = rng.random() < 0.5
    vulns = _some(rng, VULNERABILITIES, 4)
    if vulns:
        pop["vulnerabilities"] = {v: rng.randint(0, count // 10) for v in vulns}
    return pop


def synthetic_scenario(n_parties: int, n_populations: int, seed: int = SEED) -> Scenario:
    """A valid scenario with ``n_parties`` parties (at least 2) and ``n_populations`` migrant groups."""
    rng = random.Random(seed * 1_000_003 + n_parties * 1_009 + n_populations)  # noqa: S311 - not for security
    parties = [_party(rng, i) for i in range(max(2, n_parties))]
    origins = [p["id"] for p in parties if "origin" in p.get("crisis_roles", [])]
    transit = [p["id"] for p in parties if "transit" in p.get("crisis_roles", [])]
    data: dict[str, Any] = {
        "title": f"Synthetic scenario: {n_parties} parties, {n_populations} groups",
        "agreement_types": _some(rng, AGREEMENT_TYPES, 3) or ["evacuation_relocation"],
        "crisis": {"kind": "armed_conflict", "phase": "voluntary_departure"},
        "host_state": "host",
        "host_conditions": {
            "movement_restrictions": rng.random() < 0.5,
            "exit_penalties": rng.random() < 0.5,
            "shelters_open_to_all": rng.random() < 0.5,
            "routes": {"air": "closed", "sea": "open", "land": "uncertain"},
        },
        "parties": parties,
        "populations": [_population(rng, i, origins) for i in range(n_populations)],
        "services_needed": _some(rng, SERVICES, 8) or ["evacuation_transport"],
        "funding": {
            "share_costs": True,
            "estimated_cost": float(rng.randint(100, 10_000) * 1_000),
            "currency": "USD",
            "cofinancing": {"available": True, "max_rate": 0.75, "base_rate": 0.5, "seat_threshold": 0.3},
            "donor_appeal_possible": rng.random() < 0.5,
        },
        "data": {"personal_data_shared": True, "cross_border_transfer": rng.random() < 0.5},
    }
    if transit:
        data["transit_states"] = transit[:5]
    return parse_scenario(data, limits=False)  # beyond the contract's size limits on purpose (see above)


def multiplied_rule_base(base: RuleBase, copies: int) -> RuleBase:
    """The shipped rules and ``copies - 1`` renamed copies of each (``….copy2``, ``….copy3``, …)."""
    rules = list(base.rules)
    for k in range(2, copies + 1):
        rules += [r.model_copy(update={"id": f"{r.id}.copy{k}"}) for r in base.rules]
    return build_rule_base(rules)


def hostile_scenario_data(n_parties: int | None = None, n_populations: int | None = None) -> dict[str, Any]:
    """The most expensive scenario found for the rule base at the contract's limits (issue 11): every party a
    State of origin, transit and donor with every capacity and mandate, no consular presence for half of
    them, every one a transit State, the longest names, and the most groups with every sector and
    vulnerability. (Three agreement types and six services, not all: with every one of them the scenario
    fact has more fields than durable-rules takes in one fact, and the engine refuses it with error 303.)"""
    from assistant.domain.scenario import MAX_PARTIES, MAX_POPULATIONS
    from assistant.domain.vocab import Instrument

    n_parties = MAX_PARTIES if n_parties is None else n_parties
    n_populations = MAX_POPULATIONS if n_populations is None else n_populations
    parties = []
    for i in range(n_parties):
        parties.append(
            {
                "id": "host" if i == 0 else f"state_{i:03d}",
                "name": f"State {i} " + "n" * 190,
                "kind": "state",
                "crisis_roles": ["host"] if i == 0 else ["origin", "transit", "donor"],
                "mandates": list(MANDATES),
                "capacities": {
                    "consular_presence": "none" if i % 2 else "embassy",
                    "transport": list(TRANSPORTS),
                    **dict.fromkeys(CAPACITY_FLAGS, True),
                    "hotline_languages": ["en", "fr"],
                    "funding_lead_days": 3,
                },
                "constraints": {
                    "privileges_and_immunities": True,
                    "neutrality_required": True,
                    "can_sign_binding": True,
                },
            }
        )
    others = [p["id"] for p in parties[1:]]
    return {
        "title": "Hostile scenario at the contract's limits " + "t" * 250,
        "agreement_types": list(AGREEMENT_TYPES)[:3],
        "crisis": {"kind": "armed_conflict", "phase": "voluntary_departure", "hazard": "flood", "recurring": True},
        "host_state": "host",
        "transit_states": others,
        "host_conditions": {
            "movement_restrictions": True,
            "exit_penalties": True,
            "shelters_open_to_all": False,
            "objects_to_third_state_consular_acts": True,
            "routes": {"air": "closed", "sea": "open", "land": "uncertain"},
        },
        "parties": parties,
        "populations": [
            {
                "nationality": others[i % len(others)],
                "count": 10**6,
                "irregular_share": 0.5,
                "sectors": list(SECTORS),
                "recruited_through_agencies": True,
                "vulnerabilities": dict.fromkeys(VULNERABILITIES, 1000),
            }
            for i in range(n_populations)
        ],
        "services_needed": list(SERVICES)[:6],
        "funding": {
            "share_costs": True,
            "estimated_cost": 1e9,
            "currency": "USD",
            "cofinancing": {"available": True, "max_rate": 0.75, "base_rate": 0.5, "seat_threshold": 0.3},
            "donor_appeal_possible": True,
            "employer_liability_law": True,
            "evacuee_repayment_considered": True,
            "existing_instruments": list(values(Instrument)),
        },
        "data": {"personal_data_shared": True, "cross_border_transfer": True, "shared_with_origin_states": True},
    }
