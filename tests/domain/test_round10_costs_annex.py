"""Round-10 cost classes (round-9 legal readings): Annex B's table matches the cost model (where no article divides
the costs among the Parties it is a table of what a fund meets and recovers, never a division of the estimate);
the advance ceiling is a sum, never a percentage of costs not yet known, says what happens when it is reached and
never caps what the employer article requires a fund to meet as the costs arise; rounded percentages say so."""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import cost_context, text_name
from assistant.domain.costs import low_capacity_states
from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def article(advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def annex_b(advice):
    return next((a for a in advice.draft.annexes if a.title.startswith("Annex B.")), None)


def variant(advice, clause: str) -> str | None:
    return next((c.variant for c in advice.clauses if c.id == clause), None)


@pytest.mark.parametrize("name", IDS)
def test_annex_b_table_divides_only_what_an_article_divides(name: str) -> None:
    """Where no article divides the costs among the Parties (each bears its own, a State fund meeting the
    repatriation of its workers), Annex B's table is of what the fund meets and recovers: it never says that its
    amounts divide the estimate among the Parties, and its columns are not shares of the whole."""
    advice = advice_of(name)
    annex = annex_b(advice)
    if annex is None or not annex.rows or variant(advice, "cost_allocation") == "pro_rata":
        return
    assert "divide the estimated total cost" not in annex.text
    assert "Share" not in annex.columns
    assert "divides no cost among the Parties" in annex.text


CEILING = re.compile(r"aggregate amount outstanding at any time ((?:[^.;]|\.\d)*)")


@pytest.mark.parametrize("name", IDS)
def test_advance_ceiling_is_a_sum_and_says_what_happens_when_reached(name: str) -> None:
    """The ceiling of Advances is an amount (or a hole for one), never a percentage of actual costs that nobody
    knows when the agreement is signed; when it is reached, movements do not wait for the agreement of the Parties
    that would bear further Advances."""
    text = article(advice_of(name), "bridging_fund")
    m = CEILING.search(text)
    if m is None:
        return
    assert "per cent" not in m.group(1)
    assert re.match(r"of ([A-Z]{3} [\d,]+\.\d\d|\[to be agreed: [^\]]*amount\])", m.group(1)), m.group(1)
    assert "no movement shall wait for that agreement" in text
    annex = annex_b(advice_of(name))
    assert annex is None or "% of the actual costs of the operation" not in annex.text


@pytest.mark.parametrize("name", IDS)
def test_ceiling_never_caps_what_a_fund_must_meet_as_costs_arise(name: str) -> None:
    """Where the employer article requires a State fund to meet the costs of repatriation as they arise, the advance
    ceiling does not limit those costs, in the advance article and in Annex B alike."""
    advice = advice_of(name)
    employer, bridging = article(advice, "employer_liability"), article(advice, "bridging_fund")
    if "costs of repatriation as they arise" not in employer or not CEILING.search(bridging):
        return
    assert "that ceiling does not limit the costs that Article" in bridging
    annex = annex_b(advice)
    ceiling = re.search(r"Advances outstanding at any time[^.]*do not exceed", annex.text if annex else "")
    assert ceiling is None or "other than the costs of repatriation" in ceiling.group(0)


@pytest.mark.parametrize("name", IDS)
def test_rounded_percentages_are_said_to_be_rounded(name: str) -> None:
    """Where Annex B shows several percentages to two decimals (rounded by largest remainder so that they add up to
    100.00%), it says that they are rounded and that the amount prevails over the percentage."""
    annex = annex_b(advice_of(name))
    if annex is None or len(annex.rows) < 2:
        return
    shown = [r[1] for r in annex.rows]
    assert sum(float(p.rstrip("%")) for p in shown) == pytest.approx(100.0)
    assert "percentages are rounded to two decimals" in annex.text
    assert "the amount prevails" in annex.text


@pytest.mark.parametrize("name", IDS)
def test_a_state_with_a_fund_pays_an_organizations_services_on_account(name: str) -> None:
    """Where the advance article is in force, a State Party that holds the fund reimburses the services an
    organization provides for its nationals (an own-costs or mutual-aid article): it pays them on account from that
    fund before they are provided, so that the organization does not pre-finance them for months."""
    scenario, advice = SCENARIOS[name], advice_of(name)
    bridging = article(advice, "bridging_fund")
    ctx = cost_context(scenario, advice)
    # a State whose fund meets its nationals' repatriation as it arises pays on account under the employer article
    # instead (round 12: one cost, one payment rule)
    by_fund = set(ctx["service_fund_payer_names"]) if article(advice, "employer_liability") else set()
    fund_payers = set(ctx["service_payer_names"]) & set(ctx["bridging_funder_names"]) - by_fund
    if ctx["cost_article"] not in ("standard", "mutual_aid") or not ctx["provided_service_text"]:
        return
    if by_fund:
        employer = article(advice, "employer_liability")
        assert "on account, at the request of the provider and before the services are provided" in employer
        assert "on account, at the request of the provider" not in bridging
    if not (bridging and fund_payers):
        return
    assert "on account, at the request of the provider and before the services are provided" in bridging
    assert ctx["provided_service_text"] in bridging
    assert "on account and before the services are provided" in annex_b(advice).text  # Annex B says the same


@pytest.mark.parametrize("name", IDS)
def test_an_organization_never_prefinances_beyond_its_fund(name: str) -> None:
    """An international organization that holds the bridging fund makes the Advances the article requires only
    within the resources of that fund available for the operation (it cannot be bound to pre-finance the whole
    estimate), and the article says what happens when they are exhausted."""
    scenario, advice = SCENARIOS[name], advice_of(name)
    bridging = article(advice, "bridging_fund")
    holders = re.search(r"holds? an emergency or revolving fund \(([^)]*)\) shall make Advances", bridging)
    if not holders or variant(advice, "bridging_fund") != "standard":
        return
    organizations = [p for p in scenario.parties if p.kind in ("international_organization", "regional_body")]
    if not any(text_name(p) in holders.group(1) for p in organizations):
        return
    assert "shall make Advances from that fund, within the resources of that fund available for the operation" in (
        bridging
    )
    assert "or exhaust those resources" in bridging


@pytest.mark.parametrize("name", IDS)
def test_the_ceiling_plainly_covers_required_and_permitted_advances(name: str) -> None:
    """The capped advance article leaves no doubt whether its ceiling caps the Advances it requires or only the
    others it permits: the ceiling is a sentence of its own over both."""
    advice = advice_of(name)
    if variant(advice, "bridging_fund") != "standard":
        return
    bridging = article(advice, "bridging_fund")
    assert "may make other Advances for the operation, up to" not in bridging
    # where no Advance is required, the Advances made at other Parties' request are the only ones it caps
    assert re.search(
        r"(?:All those Advances, required and permitted alike,|Those Advances) shall not exceed an aggregate", bridging
    )


COUNTING = re.compile(r"family member[^.]*shall be counted (?:as|with)")


@pytest.mark.parametrize("name", IDS)
def test_one_counting_rule_for_family_members(name: str) -> None:
    """How a family member of another nationality is counted for the costs is stated in one article only: where
    the cost article states it, no other article states a rule of its own (it refers to the cost article)."""
    advice = advice_of(name)
    stating = [a.clause for a in advice.draft.articles if COUNTING.search(a.text)]
    assert len(stating) <= 1, stating


LATE_CEILING = re.compile(
    r"advanced by [^.]*?, up to an aggregate amount outstanding at any time of ([A-Z]{3}) ([\d,]+\.\d\d)"
)


@pytest.mark.parametrize("name", IDS)
def test_late_payers_ceiling_covers_their_shares_of_the_whole_estimate(name: str) -> None:
    """The ceiling of the advances of late payers' shares is a sum (never a share of the actual costs) that covers
    their shares of the whole estimate, which Annex B states before any co-financing (round 12: co-financing is
    deducted once granted, so no lower rate can make those shares grow beyond it)."""
    scenario, advice = SCENARIOS[name], advice_of(name)
    cost = article(advice, "cost_allocation")
    assert not re.search(r"up to an aggregate amount outstanding at any time of \d+% of the actual costs", cost)
    m = LATE_CEILING.search(cost)
    if m is None:
        return
    late = low_capacity_states(scenario, advice)
    owed = sum(x.amount or 0 for x in advice.cost_allocation.shares if x.party in late)
    assert float(m.group(2).replace(",", "")) >= owed - 0.005
