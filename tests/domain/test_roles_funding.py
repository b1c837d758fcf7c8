"""Funding roles that are obligations (blind review, rubric points 4 and 6), each class on small scenarios built here.

1. A funder in Annex A contributes in the cost article; a bridging funder advances in the advance article.
2. Under own costs, when an organization delivers transport or shelter and a donor appeal is possible, the cost
   article sets up the joint appeal and pooled fund whose proceeds meet those costs.
3. A Party with a bridging fund advances the costs pending late development-bank financing, recovered from it."""

from __future__ import annotations

from assistant.domain.advice import Advice
from tests.domain.test_roles_coherence import IOM, build, state

FINANCIAL = ("cost_allocation", "bridging_fund", "cofinancing")


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def annex_a(advice: Advice) -> list[list[str]]:
    return advice.draft.annexes[0].rows


DONOR = {"id": "donor", "name": "Northern Relief Trust", "kind": "donor"}


def own_costs(appeal: bool, io_caps: dict) -> Advice:
    parties = [
        state("alba", "Republic of Alba", "origin", consular_presence="embassy", travel_documents=True),
        state("host", "Republic of Hostia", "host"),
        dict(IOM, capacities=io_caps),
        DONOR,
    ]
    return build(
        parties,
        [{"nationality": "alba", "count": 30000}],
        services=("evacuation_transport", "shelter"),
        funding={"share_costs": False, "donor_appeal_possible": appeal},
    )


def test_funder_contributes_in_the_cost_article():
    advice = own_costs(False, {"transport": ["land"]})
    assert ["funder", "Northern Relief Trust", ""] in [[r[0], r[1], r[2]] for r in annex_a(advice)]
    # a private donor cannot be bound: it signs the Memorandum of Participation, and its pledge says "will"
    assert "Northern Relief Trust will contribute to the costs" in article(advice, "cost_allocation")


def test_own_costs_with_an_organization_transporting_and_an_appeal_sets_up_the_pooled_fund():
    advice = own_costs(True, {"transport": ["land"]})
    cost = article(advice, "cost_allocation")
    assert "pooled fund" in cost
    assert "appeal to donors" in cost
    assert "Northern Relief Trust will contribute to the pooled fund" in cost
    assert "a pooled fund administered by" in advice.draft.annexes[1].text


def test_own_costs_without_an_appeal_keeps_own_costs():
    cost = article(own_costs(False, {"transport": ["land"]}), "cost_allocation")
    assert "pooled fund" not in cost
    assert "each Party shall bear its own costs" in cost


def test_own_costs_with_an_appeal_but_a_state_transporting_keeps_own_costs():
    advice = own_costs(True, {})  # IOM brings no transport or shelter
    assert "pooled fund" not in article(advice, "cost_allocation")


def bank_scenario(bank_days: int) -> Advice:
    parties = [
        state(
            "dacca",
            "Republic of Dacca",
            "origin",
            consular_presence="embassy",
            travel_documents=True,
            bridging_fund=True,
            funding_lead_days=2,
        ),
        state("host", "Republic of Hostia", "host"),
        dict(IOM, capacities={"transport": ["air"]}),
        {
            "id": "bank",
            "name": "Continental Development Bank",
            "kind": "development_bank",
            "capacities": {"funding_lead_days": bank_days},
        },
    ]
    return build(
        parties,
        [{"nationality": "dacca", "count": 30000}],
        services=("evacuation_transport",),
        funding={"share_costs": True, "estimated_cost": 12000000},
    )


def test_bridging_fund_advances_pending_late_development_bank_financing():
    advice = bank_scenario(120)
    advance = article(advice, "bridging_fund")
    assert "the Republic of Dacca" in advance
    assert "pending the financing" in advance
    assert "Continental Development Bank" in advance
    assert "USD 12,000,000.00" in advance  # the ceiling covers the advance
    assert "advanced and recovered as provided in Article" in article(advice, "cost_allocation")
    assert "pending the financing of the Continental Development Bank" in advice.draft.annexes[1].text


def test_no_advance_when_the_bank_pays_in_time():
    advice = bank_scenario(2)
    assert article(advice, "bridging_fund") == ""


def test_every_funding_role_holder_has_its_duty_in_a_financial_article():
    """Invariant: every funder and bridging funder of Annex A is named in a financial article."""
    for advice in (own_costs(True, {"transport": ["land"]}), own_costs(False, {}), bank_scenario(120)):
        text = " ".join(article(advice, c) for c in FINANCIAL)
        for role, party, *_ in annex_a(advice):
            if role in ("funder", "bridging funder"):
                assert party in text, (role, party)
