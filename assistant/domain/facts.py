"""Turn a scenario and the negotiator's choices into the flat facts the rule base reads.

Facts are dicts with a ``type`` and a unique ``id``. A key is present only when the scenario says
something about it: a missing key means "unknown", and a rule condition on it does not match.
``FACT_FIELDS`` is the schema of every fact type; rule files are checked against it when they load.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from .names import family_links_member
from .scenario import Party, Scenario
from .signing import BINDING_KINDS, Participation, binds, makes_memorandum, participation, signatories
from .territory import Territory, contributes, host_nationals_leaving, territory
from .vocab import (
    AGREEMENT_TYPES,
    MANDATES,
    SERVICES,
    VULNERABILITIES,
    Sector,
    Transport,
    values,
)

SECTORS = values(Sector)
TRANSPORTS = values(Transport)
CHOICE_KINDS = ("agreement_type", "role", "cost_model", "practice", "risk_flag", "clause")
# Parties that are neither States nor international organizations (scenario fact n_non_state_parties).
NON_STATE_PARTY_KINDS = (
    "ngo",
    "national_society",
    "migrant_association",
    "employer",
    "recruiter",
    "employers_federation",
    "carrier",
    "local_authority",
)

_SCENARIO_FIELDS: dict[str, type] = {
    "crisis_kind": str,
    "hazard": str,
    "phase": str,
    "recurring": bool,
    "routine_cooperation": bool,
    "host_state": str,
    "host_nationals_leaving": bool,
    "movement_restrictions": bool,
    "exit_penalties": bool,
    "shelters_open_to_all": bool,
    "objects_to_third_state_consular_acts": bool,
    "route_air": str,
    "route_sea": str,
    "route_land": str,
    "share_costs": bool,
    "estimated_cost": float,
    "currency": str,
    "cofinancing_available": bool,
    "cofinancing_max_rate": float,
    "cofinancing_base_rate": float,
    "cofinancing_seat_threshold": float,
    "donor_appeal_possible": bool,
    "employer_liability_law": bool,
    "evacuee_repayment_considered": bool,
    "personal_data_shared": bool,
    "cross_border_transfer": bool,
    "shared_with_origin_states": bool,
    "n_parties": int,
    "n_states": int,
    "n_origin_states": int,
    "n_transit_states": int,
    "n_ios": int,
    "n_non_binding": int,
    "n_non_state_parties": int,
    "n_signatories": int,
    "n_binding_signatories": int,
    "n_non_state_signatories": int,
    "n_nationalities": int,
    "n_unrepresented": int,
    "total_migrants": int,
    "irregular_migrants": int,
    "max_irregular_share": float,
    "recruited_through_agencies": bool,
    "any_bridging_fund": bool,
    "min_funding_lead_days": int,
    "proposed_shares_total": float,
    "n_lead_claims": int,
}
_SCENARIO_FIELDS |= {f"intends_{a}": bool for a in AGREEMENT_TYPES}
_SCENARIO_FIELDS |= {f"needs_{s}": bool for s in SERVICES}
_SCENARIO_FIELDS |= {f"vuln_{v}": int for v in VULNERABILITIES}
_SCENARIO_FIELDS |= {f"sector_{s}": int for s in SECTORS}
_SCENARIO_FIELDS |= {
    f"instrument_{i}": bool
    for i in ("disaster_mutual_aid_treaty", "regional_consular_framework", "bilateral_labour_agreement")
}

_PARTY_FIELDS: dict[str, type] = {
    "name": str,
    "kind": str,
    "order": int,
    "origin": bool,
    "host": bool,
    "transit": bool,
    "donor": bool,
    "is_host_state": bool,
    "is_transit_state": bool,
    "consular_presence": str,
    "has_transport": bool,
    "identity_verification": bool,
    "travel_documents": bool,
    "shelter": bool,
    "food": bool,
    "health_care": bool,
    "hotline": bool,
    "n_hotline_languages": int,
    "deployable_experts": bool,
    "monitoring_assets": bool,
    "reception": bool,
    "bridging_fund": bool,
    "funding_lead_days": int,
    "privileges_and_immunities": bool,
    "neutrality_required": bool,
    "can_sign_binding": bool,
    "nationals": int,
    "participates": bool,
    "fled_state": bool,
    "nationals_share": float,
    "nationals_fear_return": int,
    "nationals_fear_return_share": float,
    "register_barred": bool,
    "signatory": bool,
    "n_posts": int,
    "family_links_member": bool,
}
_PARTY_FIELDS |= {f"mandate_{m}": bool for m in MANDATES}
_PARTY_FIELDS |= {f"transport_{t}": bool for t in TRANSPORTS}

_POPULATION_FIELDS: dict[str, type] = {
    "nationality": str,
    "count": int,
    "irregular_share": float,
    "recruited_through_agencies": bool,
    "nationality_is_party": bool,
    "stateless": bool,
    "origin_presence": str,
    "irregular": int,
}
_POPULATION_FIELDS |= {f"sector_{s}": bool for s in SECTORS}
_POPULATION_FIELDS |= {f"vuln_{v}": int for v in VULNERABILITIES}

_POSITION_FIELDS: dict[str, type] = {
    "party": str,
    "kind": str,
    "item": str,
    "stance": str,
    "variant": str,
    "proposed_party": str,
    "proposed_share": float,
    "claims_lead": bool,
}

_OPERATION_FIELDS: dict[str, type] = {
    "item": str,
    "state": str,
    "in_host": bool,
    "in_transit": bool,
    "in_origin": bool,
    "host_fled": bool,
    "at_border": bool,
    "state_is_party": bool,
}

_CHOICE_FIELDS: dict[str, type] = {
    "action": str,
    "kind": str,
    "item": str,
    "party": str,
    "for": str,
    "new_party": str,
}

FACT_FIELDS: dict[str, dict[str, type]] = {
    "scenario": _SCENARIO_FIELDS,
    "party": _PARTY_FIELDS,
    "population": _POPULATION_FIELDS,
    "choice": _CHOICE_FIELDS,
    "position": _POSITION_FIELDS,
    "operation": _OPERATION_FIELDS,
}
COMMON_FIELDS = ("id", "type")


class PartyPosition(BaseModel):
    """A party's recorded position on a suggestion or an article (``target`` like ``role:lead``,
    ``cost_model:pro_rata_per_evacuee`` or ``article:non_refoulement``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    party: str
    target: str
    stance: str  # accept | prefer_variant | object | amend
    variant: str | None = None
    proposed_party: str | None = None
    proposed_share: float | None = None

    @property
    def kind(self) -> str:
        kind = self.target.split(":", 1)[0]
        return "clause" if kind == "article" else kind

    @property
    def item(self) -> str:
        return self.target.split(":", 2)[1] if ":" in self.target else self.target

    @property
    def claims_lead(self) -> bool:
        return (
            self.kind == "role" and self.item == "lead" and self.stance == "amend" and self.proposed_party == self.party
        )


class Choice(BaseModel):
    """A negotiator's decision on one suggestion: accept, reject, or reassign to another party."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: str
    item: str
    action: str
    party: str | None = None
    for_: str | None = None
    new_party: str | None = None

    def key(self) -> tuple[str, str, str | None, str | None]:
        """Identify the suggestion the choice is about."""
        return (self.kind, self.item, self.party, self.for_)


def _flags(prefix: str, items: Iterable[str] | None) -> dict[str, bool]:
    return {f"{prefix}{i}": True for i in items or ()}


def _engine_number(value: Any) -> Any:
    """A number durable-rules reads safely: its C parser crashed here on exponent notation ("1e-06"), which
    Python's JSON writes for very small and very large floats. Not a number at all (infinite, NaN: the
    contract refuses them, so only data that bypassed it) is None, left out as unknown, never a crash."""
    if not isinstance(value, float):
        return value
    if not math.isfinite(value):
        return None
    if abs(value) < 1e-4:
        return 0.0
    if abs(value) >= 1e15:
        return int(value)
    return value


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    out = {k: _engine_number(v) for k, v in d.items() if v is not None}
    return {k: v for k, v in out.items() if v is not None}


def scenario_fact(s: Scenario) -> dict[str, Any]:
    """The one fact that describes the whole scenario, with counts the rules compare against."""
    hc, fu, da = s.host_conditions, s.funding, s.data
    routes = hc.routes if hc else None
    cof = fu.cofinancing if fu else None
    pops = s.populations or []
    states = [p for p in s.parties if p.kind == "state"]
    nationalities = {p.nationality for p in pops}
    fact: dict[str, Any] = {
        "id": "scenario",
        "type": "scenario",
        "crisis_kind": s.crisis.kind,
        "hazard": s.crisis.hazard,
        "phase": s.crisis.phase,
        "recurring": s.crisis.recurring,
        "routine_cooperation": s.routine_cooperation,
        "host_state": s.host_state,
        "n_parties": len(s.parties),
        "n_states": len(states),
        "n_origin_states": sum(1 for p in s.parties if "origin" in (p.crisis_roles or [])),
        "n_transit_states": len(s.transit_states or []),
        "n_ios": sum(1 for p in s.parties if p.kind == "international_organization"),
        "n_nationalities": len(nationalities),
        "n_unrepresented": len(unrepresented_nationalities(s)),
        # nationals of the host flee it beside the foreigners evacuated from it (territory.host_nationals_leaving)
        "host_nationals_leaving": host_nationals_leaving(s),
    }
    if hc:
        fact |= {
            k: getattr(hc, k)
            for k in (
                "movement_restrictions",
                "exit_penalties",
                "shelters_open_to_all",
                "objects_to_third_state_consular_acts",
            )
        }
    if routes:
        fact |= {f"route_{k}": getattr(routes, k) for k in ("air", "sea", "land")}
    if fu:
        fact |= {
            k: getattr(fu, k)
            for k in (
                "share_costs",
                "estimated_cost",
                "currency",
                "donor_appeal_possible",
                "employer_liability_law",
                "evacuee_repayment_considered",
            )
        }
        fact |= _flags("instrument_", fu.existing_instruments)
    if cof:
        fact |= {f"cofinancing_{k}": getattr(cof, k) for k in ("available", "max_rate", "base_rate", "seat_threshold")}
    if da:
        fact |= {
            k: getattr(da, k) for k in ("personal_data_shared", "cross_border_transfer", "shared_with_origin_states")
        }
    fact |= _flags("intends_", s.agreement_types)
    fact |= _flags("needs_", s.services_needed)
    fact |= _population_totals(pops)
    fact |= _funding_totals(s)
    fact |= signatory_counts(s)
    return _drop_none(fact)


# The form of the instrument (rules/instrument_form.yaml) turns on which signatories can be Parties to a binding
# instrument: States, international organizations, regional bodies and development banks, and a local authority or
# a donor that says it can sign one (constraints.can_sign_binding: true); none of them when it says it cannot.
def signatory_counts(s: Scenario) -> dict[str, int]:
    """The signatories by class, which the form, dispute-settlement and entry-into-force rules read (bodies that take
    part without signing never count; an unless on a party cannot test the party a rule matched, so they are counts):
    ``n_signatories``; ``n_binding_signatories``, those that can be Parties to a binding instrument (``binds``);
    ``n_non_binding``, those whose saying they cannot sign a binding instrument makes it a memorandum
    (``signing.makes_memorandum``: a non-State body that cannot be bound signs the memorandum annex where States
    share costs); ``n_non_state_signatories``, those of the other kinds (NGOs, National Societies, companies ...),
    which sign the memorandum annex of a binding framework; and
    ``n_non_state_parties``, the Parties to a binding instrument that are neither States nor international
    organizations (a local authority or donor that can bind: no diplomatic channels, no immunities)."""
    signing = signatories(s)
    return {
        "n_signatories": len(signing),
        "n_binding_signatories": sum(1 for p in signing if binds(p)),
        "n_non_binding": sum(1 for p in signing if makes_memorandum(s, p)),
        "n_non_state_signatories": sum(
            1 for p in signing if not binds(p) and (p.kind not in BINDING_KINDS or not makes_memorandum(s, p))
        ),
        "n_non_state_parties": sum(1 for p in signing if binds(p) and p.kind in NON_STATE_PARTY_KINDS),
    }


def _population_totals(pops: list) -> dict[str, Any]:
    if not pops:
        return {}
    totals: dict[str, Any] = {"total_migrants": sum(p.count for p in pops)}
    for p in pops:
        for v, n in (p.vulnerabilities or {}).items():
            totals[f"vuln_{v}"] = totals.get(f"vuln_{v}", 0) + n
        for sec in p.sectors or ():
            totals[f"sector_{sec}"] = totals.get(f"sector_{sec}", 0) + p.count
    shares = [p.irregular_share for p in pops if p.irregular_share is not None]
    if shares:
        totals["max_irregular_share"] = max(shares)
        totals["irregular_migrants"] = round(sum(p.count * (p.irregular_share or 0) for p in pops))
    if any(p.recruited_through_agencies for p in pops):
        totals["recruited_through_agencies"] = True
    return totals


def _funding_totals(s: Scenario) -> dict[str, Any]:
    caps = [p.capacities for p in s.parties if p.capacities]
    out: dict[str, Any] = {}
    if any(c.bridging_fund for c in caps):
        out["any_bridging_fund"] = True
    days = [c.funding_lead_days for c in caps if c.funding_lead_days is not None]
    if days:
        out["min_funding_lead_days"] = min(days)
    return out


def unrepresented_nationalities(s: Scenario) -> list[str]:
    """Nationalities of origin-state parties with no consular presence in the host state."""
    out = []
    for pop in s.populations or []:
        party = s.party(pop.nationality)
        presence = party.capacities.consular_presence if party and party.capacities else None
        if presence == "none" and pop.nationality not in out:
            out.append(pop.nationality)
    return out


def register_barred(s: Scenario, p: Party, where: Territory) -> bool:
    """An authority that must not control registers of people in need of protection: the State people flee
    (``fled_state``), or, in an armed conflict or civil unrest, a local (or de facto) authority of the host State,
    which may itself be a party to the conflict and has published or may publish who may leave."""
    if p.id == where.fled_state:
        return True
    local_host = p.kind == "local_authority" and (p.id == s.host_state or "host" in (p.crisis_roles or []))
    return local_host and s.crisis.kind in ("armed_conflict", "civil_unrest")


def party_fact(
    s: Scenario, index: int, where: Territory | None = None, part: dict[str, Participation] | None = None
) -> dict[str, Any]:
    """One fact per party: kind, crisis roles, mandates and capacities, flattened. ``participates``: the party
    brings a mandate, a capacity or a binding commitment (territory.contributes); ``fled_state``: it is the
    State people flee and the operation takes place outside it (territory.Territory.fled_state); ``signatory``
    (always present, true or false): it signs the instrument rather than taking part without signing
    (signing.participation)."""
    p = s.parties[index]
    where = where or territory(s)
    part = part or participation(s, where)
    caps, cons = p.capacities, p.constraints
    fact: dict[str, Any] = {
        "id": p.id,
        "type": "party",
        "name": p.name,
        "kind": p.kind,
        "order": index,
        "is_host_state": p.id == s.host_state or None,
        "is_transit_state": p.id in (s.transit_states or []) or None,
        "participates": contributes(p) or None,
        "fled_state": p.id == where.fled_state or None,
        "register_barred": register_barred(s, p, where) or None,
        "signatory": part[p.id].signs,
        "n_posts": len(p.posts) if p.posts else None,
        "family_links_member": family_links_member(p.name, p.kind) or None,
    }
    fact |= dict.fromkeys(p.crisis_roles or (), True)
    fact |= _flags("mandate_", p.mandates)
    if caps:
        fact |= {
            k: getattr(caps, k)
            for k in (
                "consular_presence",
                "identity_verification",
                "travel_documents",
                "shelter",
                "food",
                "health_care",
                "deployable_experts",
                "monitoring_assets",
                "reception",
                "bridging_fund",
                "funding_lead_days",
            )
        }
        fact |= _flags("transport_", caps.transport)
        if caps.transport:
            fact["has_transport"] = True
        if caps.hotline_languages:
            fact |= {"hotline": True, "n_hotline_languages": len(caps.hotline_languages)}
    if cons:
        fact |= {k: getattr(cons, k) for k in ("privileges_and_immunities", "neutrality_required", "can_sign_binding")}
    nationals = sum(pop.count for pop in s.populations or [] if pop.nationality == p.id)
    if nationals:
        fact["nationals"] = nationals
        total = sum(pop.count for pop in s.populations or [])
        fact["nationals_share"] = _engine_number(nationals / total)
    fearing = sum(
        max((pop.vulnerabilities or {}).get("refugees_or_asylum_seekers", 0),
            (pop.vulnerabilities or {}).get("fear_of_return", 0))
        for pop in s.populations or []
        if pop.nationality == p.id
    )  # fmt: skip
    if fearing:
        fact["nationals_fear_return"] = fearing
    if nationals:
        fact["nationals_fear_return_share"] = _engine_number(min(fearing, nationals) / nationals)
    return _drop_none(fact)


def population_fact(s: Scenario, index: int) -> dict[str, Any]:
    """One fact per migrant group, with the consular presence of its State of nationality."""
    pop = s.populations[index]  # type: ignore[index]
    party = s.party(pop.nationality)
    fact: dict[str, Any] = {
        "id": f"population_{index}",
        "type": "population",
        "nationality": pop.nationality,
        "count": pop.count,
        "irregular_share": pop.irregular_share,
        "recruited_through_agencies": pop.recruited_through_agencies,
        "nationality_is_party": party is not None,
        "stateless": pop.nationality == "stateless" or None,
        "origin_presence": party.capacities.consular_presence if party and party.capacities else None,
    }
    if pop.irregular_share is not None:
        fact["irregular"] = round(pop.count * pop.irregular_share)
    fact |= _flags("sector_", pop.sectors)
    fact |= {f"vuln_{v}": n for v, n in (pop.vulnerabilities or {}).items() if n > 0}
    return _drop_none(fact)


def operation_facts(s: Scenario, where: Territory | None = None) -> list[dict[str, Any]]:
    """One fact per operation and the State on whose territory it takes place (territory.py has the
    derivation); each also says whether people flee the host State and whether the operation is at the border."""
    where = where or territory(s)
    origins = {p.id for p in s.parties if "origin" in (p.crisis_roles or [])}
    parties = {p.id for p in s.parties}
    return [
        _drop_none(
            {
                "id": f"operation_{op.id}_{op.state}",
                "type": "operation",
                "item": op.id,
                "state": op.state,
                "in_host": op.state == s.host_state or None,
                "in_transit": op.state in where.arrival or None,
                "in_origin": (op.state in origins and op.state != s.host_state) or None,
                "host_fled": where.host_fled or None,
                "at_border": where.at_border or None,
                "state_is_party": op.state in parties,
            }
        )
        for op in where.operations
    ]


def choice_fact(choice: Choice, index: int) -> dict[str, Any]:
    """A negotiator's choice as a fact, so rules can follow it."""
    return _drop_none(
        {
            "id": f"choice_{index}",
            "type": "choice",
            "action": choice.action,
            "kind": choice.kind,
            "item": choice.item,
            "party": choice.party,
            "for": choice.for_,
            "new_party": choice.new_party,
        }
    )


def position_fact(position: PartyPosition, index: int) -> dict[str, Any]:
    """A party's position as a fact, so rules can flag conflicts between positions."""
    return _drop_none(
        {
            "id": f"position_{index}",
            "type": "position",
            "party": position.party,
            "kind": position.kind,
            "item": position.item,
            "stance": position.stance,
            "variant": position.variant,
            "proposed_party": position.proposed_party,
            "proposed_share": position.proposed_share,
            "claims_lead": position.claims_lead or None,
        }
    )


def scenario_facts(
    s: Scenario, choices: Iterable[Choice] = (), positions: Iterable[PartyPosition] = ()
) -> list[dict[str, Any]]:
    """All facts of a scenario, the choices made on it and the parties' positions, in a stable order."""
    positions = list(positions)
    first = scenario_fact(s)
    if positions:
        shares = [p.proposed_share for p in positions if p.proposed_share is not None]
        if shares:
            total = _engine_number(round(sum(shares), 6))
            if total is not None:
                first["proposed_shares_total"] = total
        first["n_lead_claims"] = sum(1 for p in positions if p.claims_lead)
    facts = [first]
    where = territory(s)
    part = participation(s, where)
    facts += [party_fact(s, i, where, part) for i in range(len(s.parties))]
    facts += [population_fact(s, i) for i in range(len(s.populations or []))]
    facts += operation_facts(s, where)
    facts += [choice_fact(c, i) for i, c in enumerate(choices)]
    facts += [position_fact(p, i) for i, p in enumerate(positions)]
    return facts
