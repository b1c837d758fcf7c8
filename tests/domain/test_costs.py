"""Cost allocation computed from the models: pro rata, co-financing, employer liability, advances."""

import pytest

from assistant.domain.advice import Advice, CostAllocation, CostModelAdvice, RoleAdvice
from assistant.domain.costs import RECOVERED_FROM, allocate
from assistant.domain.scenario import parse_scenario


def scenario(**funding):
    return parse_scenario(
        {
            "title": "Costs",
            "crisis": {"kind": "armed_conflict", "phase": "voluntary_departure"},
            "host_state": "host",
            "parties": [
                {"id": "host", "name": "Host", "kind": "state"},
                {
                    "id": "a",
                    "name": "State A",
                    "kind": "state",
                    "capacities": {"funding_lead_days": 30, "bridging_fund": True},
                },
                {"id": "b", "name": "State B", "kind": "state", "capacities": {"funding_lead_days": 2}},
                {"id": "io", "name": "IO", "kind": "international_organization", "capacities": {"bridging_fund": True}},
                {"id": "union", "name": "Union", "kind": "regional_body"},
                {"id": "agency", "name": "Agency", "kind": "recruiter"},
            ],
            "populations": [
                {"nationality": "a", "count": 600, "recruited_through_agencies": True},
                {"nationality": "b", "count": 300},
                {"nationality": "stateless", "count": 100},
            ],
            "funding": {"share_costs": True, "currency": "EUR", **funding},
        }
    )


def advice(*models, roles=()):
    a = Advice(title="x", cost_allocation=CostAllocation(models=[CostModelAdvice(id=m, because=["r"]) for m in models]))
    a.roles = [RoleAdvice(role=r, party=p, because=["r"]) for r, p in roles]
    return a


LEAD = [("lead", "io"), ("bridging_funder", "io"), ("bridging_funder", "a")]


def shares(alloc):
    return {s.party: s for s in alloc.shares}


def test_pro_rata_per_person_assisted_with_amounts():
    alloc = allocate(scenario(estimated_cost=1_000_000), advice("pro_rata_per_evacuee", roles=LEAD))
    s = shares(alloc)
    assert (s["a"].share, s["b"].share, s["io"].share) == (0.6, 0.3, 0.1)
    assert (s["a"].amount, s["b"].amount, s["io"].amount) == (600_000.0, 300_000.0, 100_000.0)
    assert (
        "without a participating State of nationality (stateless persons), met from the donor contributions that IO"
        in (s["io"].basis)
    )
    assert alloc.currency == "EUR"


def test_no_amounts_without_an_estimate_and_no_shares_without_a_sharing_model():
    assert all(s.amount is None for s in allocate(scenario(), advice("pro_rata_per_evacuee", roles=LEAD)).shares)
    assert allocate(scenario(estimated_cost=10), advice("own_costs", "mutual_aid_costs")).shares == []


def test_cofinancing_is_deducted_once_granted_never_from_the_planning_estimate():
    """The rate (the seat condition counts nationals of the mechanism's participating States, which the scenario
    does not record) and the eligible base (transport only) are known per movement: the planning shares divide the
    whole estimate, and the model records who co-finances and at which rates."""
    cof = {"available": True, "max_rate": 0.75, "base_rate": 0.5, "seat_threshold": 0.3}
    m = advice("pro_rata_per_evacuee", "net_of_cofinancing", roles=LEAD)
    alloc = allocate(scenario(estimated_cost=1000, cofinancing=cof), m)
    s = shares(alloc)
    assert "union" not in s
    assert s["a"].share == pytest.approx(0.6)
    assert sum(x.amount for x in alloc.shares) == pytest.approx(1000.0)
    params = next(x.params for x in alloc.models if x.id == "net_of_cofinancing")
    assert (params["provider"], params["max_rate"], params["base_rate"]) == ("union", 0.75, 0.5)


def test_recruited_workers_are_met_by_their_states_fund_and_recovered_from_the_liable_agencies():
    """The State of nationality's fund meets its agency-recruited workers' repatriation and recovers it under its
    law; the agency that takes part answers for the workers it recruited, not for the whole group, and bears no
    share of its own; no statute of the model is cited as the law."""
    m = advice(
        "pro_rata_per_evacuee",
        "employer_liability",
        "advance_and_recover",
        roles=[*LEAD, ("liable_private_party", "agency")],
    )
    alloc = allocate(scenario(estimated_cost=1000, employer_liability_law=True), m)
    s = shares(alloc)
    assert s["a"].share == 0.6
    assert "agency" not in s
    assert "recovers them from the recruitment agencies (Agency, for the workers it recruited)" in s["a"].basis
    assert "liable under the law of State A" in s["a"].basis
    assert "RA 8042" not in s["a"].basis
    advances = m.cost_allocation.models[2].params["advances"]
    made = {"by": "a", "for": RECOVERED_FROM, "share": 0.6, "amount": 600.0, "liable": True, "workers_of": "a"}
    assert made | {"recovered": True} in advances


def test_late_payers_are_advanced_by_the_leads_bridging_fund():
    m = advice("pro_rata_per_evacuee", "advance_and_recover", roles=LEAD)
    alloc = allocate(scenario(estimated_cost=1000), m)
    advances = m.cost_allocation.models[1].params["advances"]
    assert advances == [{"by": "io", "for": "a", "share": 0.6, "amount": 600.0}]  # b pays within 3 days
    assert "advanced by IO and recovered later" in shares(alloc)["a"].basis


def test_evacuee_repayment_always_carries_its_safeguards():
    m = advice("evacuee_repays")
    allocate(scenario(), m)
    assert m.cost_allocation.models[0].params == {
        "parity": True,
        "hardship_waiver": True,
        "precondition_of_evacuation": False,
    }
