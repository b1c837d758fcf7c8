"""Cost allocation computed from the suggested models (domain notes §3).

Pro-rata per evacuee (Dir. 2015/637 Art. 15(2)): each State of nationality bears the share of its
nationals among the persons assisted. Co-financing (Art. 15(3); UCPM) is deducted first and attributed
to the co-financing party. Groups without a participating State of nationality (stateless persons,
other nationalities) are carried by the funder, or else the lead, until the parties agree otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .advice import CostAllocation, Share
from .scenario import Scenario

if TYPE_CHECKING:
    from .advice import Advice

COFINANCING_KINDS = ("regional_body", "donor", "development_bank")


def allocate(scenario: Scenario, advice: Advice) -> CostAllocation:
    """Compute the shares of each party, and amounts when the estimated cost is known."""
    funding = scenario.funding
    currency = (funding.currency if funding else None) or "USD"
    models = {m.id: m for m in advice.cost_allocation.models}
    allocation = CostAllocation(models=list(models.values()), currency=currency)
    if "pro_rata_per_evacuee" not in models:
        return allocation
    total = funding.estimated_cost if funding else None
    cofinancer, rate, cof_basis = _cofinancing(scenario, models.get("net_of_cofinancing"))
    raw: list[tuple[str, float, str]] = []
    if cofinancer and rate:
        raw.append((cofinancer, rate, cof_basis))
    raw += _pro_rata(scenario, advice, 1.0 - (rate if cofinancer else 0.0))
    allocation.shares = _round_shares(raw, total)
    return allocation


def _cofinancing(scenario: Scenario, model: Any) -> tuple[str | None, float, str]:
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


def _pro_rata(scenario: Scenario, advice: Advice, remaining: float) -> list[tuple[str, float, str]]:
    pops = [p for p in scenario.populations or [] if p.count > 0]
    assisted = sum(p.count for p in pops)
    if not assisted or remaining <= 0:
        return []
    by_party: dict[str, int] = {}
    carried: dict[str, int] = {}
    bearer = bearer_of_unattached(advice)
    for pop in pops:
        if scenario.party(pop.nationality) is not None:
            by_party[pop.nationality] = by_party.get(pop.nationality, 0) + pop.count
        elif bearer:
            carried[pop.nationality] = carried.get(pop.nationality, 0) + pop.count
    out = []
    for party, n in by_party.items():
        out.append((party, remaining * n / assisted, f"{n:,} of {assisted:,} persons assisted"))
    if bearer and carried:
        n = sum(carried.values())
        who = " and ".join(f"{k} ({v:,})" for k, v in carried.items())
        out.append(
            (
                bearer,
                remaining * n / assisted,
                f"{n:,} of {assisted:,} persons assisted without a participating State of nationality: {who}",
            )
        )
    return out


def bearer_of_unattached(advice: Advice) -> str | None:
    """Who carries groups without a participating State of nationality: the funder, else the lead."""
    for role in ("funder", "lead"):
        holders = advice.holders(role)
        if holders:
            return holders[0].party
    return None


def _round_shares(raw: list[tuple[str, float, str]], total: float | None) -> list[Share]:
    """Merge by party, round to 4 places and make the shares add to exactly 1."""
    merged: dict[str, tuple[float, list[str]]] = {}
    for party, share, basis in raw:
        s, bases = merged.get(party, (0.0, []))
        merged[party] = (s + share, bases + [basis])
    whole = sum(s for s, _ in merged.values())
    if whole <= 0:
        return []
    exact = [(p, s / whole, "; ".join(b)) for p, (s, b) in merged.items()]
    shares = [Share(party=p, share=round(f, 4), basis=b) for p, f, b in exact]
    shares[-1].share = round(1 - sum(s.share for s in shares[:-1]), 4)
    if total is not None:
        for s, (_, f, _) in zip(shares, exact, strict=True):
            s.amount = round(total * f, 2)
        shares[-1].amount = round(total - sum(s.amount or 0 for s in shares[:-1]), 2)
    return shares
