"""Cost allocation computed from the suggested models (domain notes §3).

* Pro rata per person assisted (Dir. 2015/637 Art. 15(2)): each State of nationality bears the share of
  its nationals among the persons assisted.
* Co-financing (Art. 15(3); UCPM) is deducted first and attributed to the co-financing party, at the
  higher rate on the seat condition.
* Employer liability (RA 8042 §15): the share of workers recruited through agencies is borne by the liable
  recruiters and employers, jointly; a State fund advances it. Where the repatriation-liability law applies
  and employers or shipowners are Parties (MLC 2006 Reg. 2.5), the employers bear it for any group said to
  work in a sector, however recruited.
* Groups without a participating State of nationality (stateless persons, other nationalities) are
  carried by the funder, or else the lead, until the parties agree otherwise.
* Refugees, asylum-seekers, stateless persons and people who fear return are never charged to their State of
  origin: their share goes to the bearer of groups without a participating State of nationality.
* Advance and recover (IOM MEFM, OWWA ERF): the bridging funder advances the shares of parties whose
  money comes late (more than 3 days), or of States with no more than an honorary consul on the spot, and
  recovers them.
* Evacuee repayment is only ever with parity, a hardship waiver, and never a condition of evacuation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .advice import CostAllocation, Share
from .names import split_organ
from .scenario import Population, Scenario

if TYPE_CHECKING:
    from .advice import Advice, CostModelAdvice

COFINANCING_KINDS = ("regional_body", "donor", "development_bank")
LATE_AFTER_DAYS = 3  # R-FUND-1: money that takes longer than this needs a bridging advance
SHARED_MODELS = ("pro_rata_per_evacuee", "employer_liability")
LIABLE_KINDS = ("employer", "recruiter", "employers_federation")
LOW_CAPACITY_PRESENCE = ("honorary", "none")


@dataclass
class _Part:
    party: str
    fraction: float
    basis: str
    advanced_by: str | None = None  # a State fund that advances this part, where the law says so


def allocate(scenario: Scenario, advice: Advice) -> CostAllocation:
    """Compute the shares of each party, and amounts when the estimated cost is known."""
    funding = scenario.funding
    currency = (funding.currency if funding else None) or "USD"
    models = {m.id: m for m in advice.cost_allocation.models}
    allocation = CostAllocation(models=list(models.values()), currency=currency)
    if "evacuee_repays" in models:
        models["evacuee_repays"].params |= {
            "parity": True,
            "hardship_waiver": True,
            "precondition_of_evacuation": False,
        }
    if not any(m in models for m in SHARED_MODELS):
        if "advance_and_recover" in models:
            _advance_financing(
                scenario, advice, models["advance_and_recover"], funding.estimated_cost if funding else None
            )
        return allocation
    total = funding.estimated_cost if funding else None
    parts: list[_Part] = []
    cofinancer, rate, cof_basis = _cofinancing(scenario, models.get("net_of_cofinancing"))
    if cofinancer and rate:
        parts.append(_Part(cofinancer, rate, cof_basis))
    parts += _per_person(scenario, advice, 1.0 - (rate if cofinancer else 0.0), "employer_liability" in models)
    allocation.shares = _round_shares(parts, total)
    if "advance_and_recover" in models:
        _advance(scenario, advice, models["advance_and_recover"], parts, allocation, total)
    return allocation


def _cofinancing(scenario: Scenario, model: CostModelAdvice | None) -> tuple[str | None, float, str]:
    cof = scenario.funding.cofinancing if scenario.funding else None
    if model is None or cof is None or not cof.available:
        return None, 0.0, ""
    party = next((p.id for p in scenario.parties if p.kind in COFINANCING_KINDS), None)
    rate = float(model.params.get("rate") or cof.max_rate or cof.base_rate or 0.0)
    basis = f"co-financing at {rate:.0%} of eligible costs, deducted before shares"
    if cof.seat_threshold is not None and cof.base_rate is not None and rate > cof.base_rate:
        basis += (
            f", if at least {cof.seat_threshold:.0%} of seats go to other participants' nationals "
            f"(otherwise {cof.base_rate:.0%})"
        )
    return party, rate, basis


def _per_person(scenario: Scenario, advice: Advice, remaining: float, liability: bool) -> list[_Part]:
    """Shares of the remaining cost by the persons each party answers for."""
    pops = [p for p in scenario.populations or [] if p.count > 0]
    assisted = sum(p.count for p in pops)
    if not assisted or remaining <= 0:
        return []
    liable = [r.party for r in advice.holders("liable_private_party")] if liability else []
    law = bool(scenario.funding and scenario.funding.employer_liability_law)
    funds = {r.party for r in advice.holders("bridging_funder")}
    residual = bearer_of_unattached(advice)
    counts: dict[tuple[str, str, str], int] = {}
    for pop in pops:
        key = _bearer(scenario, pop, liable, residual, law)
        if not key:
            continue
        n = pop.count
        protected = min(n, max((pop.vulnerabilities or {}).get(v, 0) for v in PROTECTED)) if pop.vulnerabilities else 0
        if key[1] == "nationality" and protected and residual:
            # never charged to their State of origin: carried by the bearer the cost article names for them
            carried = (residual, "protected", pop.nationality)
            counts[carried] = counts.get(carried, 0) + protected
            n -= protected
        if n:
            counts[(*key, pop.nationality)] = counts.get((*key, pop.nationality), 0) + n
    parts = []
    for (bearer, why, nationality), n in counts.items():
        people = f"{n:,} of {assisted:,} persons assisted"
        if why in ("liable", "employed"):
            payers = liable if why == "liable" else [p for p in liable if _kind(scenario, p) != "recruiter"]
            names = " and ".join(_name(scenario, p) for p in payers)
            basis = (
                f"{people} ({_group(scenario, nationality)}), recruited through agencies: borne jointly by {names} "
                "(RA 8042 §15)"
                if why == "liable"
                else f"{people} ({_group(scenario, nationality)}), workers whose repatriation the law puts on their "
                f"employers: borne jointly by {names}"
            )
            fund = nationality if nationality in funds else None  # the State of origin's fund advances
            parts += [_Part(p, remaining * n / assisted / len(payers), basis, fund) for p in payers]
        elif why == "protected":
            basis = (
                f"{people}: refugees, asylum-seekers, stateless persons or persons who fear return "
                f"({_group(scenario, nationality)}), not charged to their State of origin, carried by "
                f"{_name(scenario, bearer)}"
            )
            parts.append(_Part(bearer, remaining * n / assisted, basis))
        elif why == "residual":
            others = sorted({p.nationality for p in pops if scenario.party(p.nationality) is None})
            groups = ", ".join(_group(scenario, o) for o in others)
            basis = (
                f"{people} without a participating State of nationality ({groups}), carried by "
                f"{_name(scenario, bearer)}"
            )
            parts.append(_Part(bearer, remaining * n / assisted, basis))
        else:
            parts.append(_Part(bearer, remaining * n / assisted, people))
    return parts


NOT_WORKERS = ("students", "tourists")
# People whose share is never attributed to their State of origin (the pro-rata article, paragraph 2).
PROTECTED = ("refugees_or_asylum_seekers", "fear_of_return", "stateless")


def _bearer(
    scenario: Scenario, pop: Population, liable: list[str], residual: str | None, law: bool = False
) -> tuple[str, str] | None:
    """Who answers for a group: the liable employers and recruiters for workers recruited through agencies, and,
    where a repatriation-liability law applies (shipowners under MLC 2006 Reg. 2.5, employers under RA 8042), for
    any group said to work in a sector (not students or tourists), however recruited, borne by the employers
    (not the recruiters) among them; else the State of
    nationality; else the residual bearer."""
    if liable and pop.recruited_through_agencies:
        return (liable[0], "liable")
    employers = [p for p in liable if _kind(scenario, p) not in (None, "recruiter")]
    if employers and law and any(x not in NOT_WORKERS for x in pop.sectors or ()):
        return (employers[0], "employed")
    if scenario.party(pop.nationality) is not None:
        return (pop.nationality, "nationality")
    return (residual, "residual") if residual else None


def _kind(scenario: Scenario, party_id: str) -> str | None:
    party = scenario.party(party_id)
    return party.kind if party else None


def _name(scenario: Scenario, party_id: str) -> str:
    party = scenario.party(party_id)
    return split_organ(party.name, party.kind).entity if party else party_id


GROUP_WORDS = {"other": "other nationalities", "stateless": "stateless persons"}


def _group(scenario: Scenario, nationality: str) -> str:
    """A group's nationality in words: the State's name, "stateless persons", "other nationalities"."""
    if scenario.party(nationality) is not None:
        return _name(scenario, nationality)
    return GROUP_WORDS.get(nationality, nationality.replace("_", " "))


def bearer_of_unattached(advice: Advice) -> str | None:
    """Who carries groups without a participating State of nationality: the funder, else the lead."""
    for role in ("funder", "lead"):
        holders = advice.holders(role)
        if holders:
            return holders[0].party
    return None


def _round_shares(parts: list[_Part], total: float | None) -> list[Share]:
    """Merge by party, round to 4 places and make the shares add to exactly 1."""
    merged: dict[str, tuple[float, list[str]]] = {}
    for part in parts:
        f, bases = merged.get(part.party, (0.0, []))
        merged[part.party] = (f + part.fraction, bases + ([part.basis] if part.basis not in bases else []))
    whole = sum(f for f, _ in merged.values())
    if whole <= 0:
        return []
    exact = [(p, f / whole, "; ".join(b)) for p, (f, b) in merged.items()]
    shares = [Share(party=p, share=round(f, 4), basis=b) for p, f, b in exact]
    shares[-1].share = round(1 - sum(s.share for s in shares[:-1]), 4)
    if total is not None:
        for s, (_, f, _) in zip(shares, exact, strict=True):
            s.amount = round(total * f, 2)
        shares[-1].amount = round(total - sum(s.amount or 0 for s in shares[:-1]), 2)
    return shares


def _advance(
    scenario: Scenario,
    advice: Advice,
    model: CostModelAdvice,
    parts: list[_Part],
    allocation: CostAllocation,
    total: float | None,
) -> None:
    """Bridging funders advance what late payers owe and recover it; the figures go into the model params.

    Workers recruited through agencies are advanced by their State's fund where it has one (RA 8042 §15:
    the welfare fund repatriates first and recovers); everything else by the lead's bridging fund, or another's.
    """
    funders = [r.party for r in advice.holders("bridging_funder")]
    lead = next((r.party for r in advice.holders("lead")), None)
    general = lead if lead in funders else (funders[0] if funders else None)
    whole = sum(p.fraction for p in parts) or 1.0
    sums: dict[tuple[str, str], float] = {}
    for part in parts:
        by = part.advanced_by or general
        if by is not None and by != part.party and _pays_late(scenario, part.party):
            sums[(by, part.party)] = sums.get((by, part.party), 0.0) + part.fraction / whole
    advances = []
    for (by, payer), fraction in sums.items():
        amount = round(total * fraction, 2) if total is not None else None
        advances.append({"by": by, "for": payer, "share": round(fraction, 4), "amount": amount})
    for share in allocation.shares:
        names = [_name(scenario, a["by"]) for a in advances if a["for"] == share.party]
        if names:
            share.basis += f"; advanced by {' and '.join(dict.fromkeys(names))} and recovered later"
    if advances:
        model.params |= {"advances": advances}


# Financing that comes late: a development bank (retroactive financing disbursed after the operation) or a donor.
FINANCING_KINDS = ("development_bank", "donor")


def _advance_financing(scenario: Scenario, advice: Advice, model: CostModelAdvice, total: float | None) -> None:
    """Where no shares are computed (own costs, a pooled appeal, development-bank financing) but the costs are to be
    met from financing that comes late (a development bank or donor Party, or a donor State, that disburses after the
    bridging threshold), the bridging funder (the lead's fund first) advances the costs pending that financing and
    recovers them from it on disbursement (IOM MEFM; World Bank IDA to Bangladesh 2011, retroactive; R-FUND-1)."""
    funders = [r.party for r in advice.holders("bridging_funder")]
    lead = next((r.party for r in advice.holders("lead")), None)
    by = lead if lead in funders else (funders[0] if funders else None)
    if by is None:
        return
    late = [
        p.id
        for p in scenario.parties
        if p.id != by
        and (p.kind in FINANCING_KINDS or "donor" in (p.crisis_roles or []))
        and _pays_late(scenario, p.id)
    ]
    if not late:
        return
    fraction = 1.0 / len(late)
    made = [
        {
            "by": by,
            "for": pid,
            "financing": True,
            "share": round(fraction, 4),
            "amount": round(total * fraction, 2) if total is not None else None,
        }
        for pid in late
    ]
    model.params |= {"advances": made}


def _pays_late(scenario: Scenario, party_id: str) -> bool:
    party = scenario.party(party_id)
    if party is None:
        return False
    if party.kind in LIABLE_KINDS:
        return True  # liable parties pay on recovery, after the evacuation
    caps = party.capacities
    if party.kind == "state" and caps and caps.consular_presence in LOW_CAPACITY_PRESENCE:
        return True  # a State with no more than an honorary consul on the spot cannot pay there in time
    days = caps.funding_lead_days if caps else None
    return days is not None and days > LATE_AFTER_DAYS
