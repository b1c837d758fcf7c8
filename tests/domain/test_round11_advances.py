"""Round-11 classes on co-financing, advances and claims (blind legal readings of unseen scenarios), each an invariant
over the corpus: co-financing is never an advanced share nor a debt of the co-financer; the co-financed base is an
assumption to confirm where the estimate covers more than transport; Annex B says whether its figures are before or
after co-financing; one claimant per share; the advance ceiling keeps a margin above the required advances; the
budgetary-procedures reservation applies wherever States take on cost shares; one mechanism per cost where a State
fund meets and recovers its workers' repatriation under the employer article."""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import advances, cost_context, in_text, party_name
from assistant.domain.costs import ADVANCE_MARGIN, cofinancing_terms, uncofinanced_services
from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]
CEILING = re.compile(r"aggregate amount outstanding at any time of [A-Z]{3} ([\d,]+\.\d\d)")


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def article(advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def annex_b_text(advice) -> str:
    return next((a.text for a in advice.draft.annexes if a.title.startswith("Annex B.")), "")


def variant(advice, clause: str) -> str | None:
    return next((c.variant for c in advice.clauses if c.id == clause), None)


def whole_text(advice) -> str:
    return "\n".join([a.text for a in advice.draft.articles] + [a.text for a in advice.draft.annexes])


@pytest.mark.parametrize("name", IDS)
def test_cofinancing_is_never_an_advanced_share_nor_a_debt(name: str) -> None:
    """Co-financing (a grant from a third party, not reimbursed by the Parties) is never advanced as the share of
    its provider nor said to be owed by it: an advance pending co-financing is recovered from the co-financing
    received, the part not received falling on the shares recalculated under the co-financing article."""
    s, advice = SCENARIOS[name], advice_of(name)
    terms = cofinancing_terms(s, advice)
    if terms is None:
        return
    ctx = cost_context(s, advice)
    provider = ctx["cofinancer_name"]
    assert provider not in ctx["advanced_party_names"]
    assert f"owed by {provider}" not in annex_b_text(advice)
    pending = [a for a in advances(advice) if a["for"] == terms.provider]
    assert all(a.get("cofinancing") for a in pending)
    if pending:
        bridging = article(advice, "bridging_fund")
        assert f"not a debt of {provider}" in bridging
        assert "recalculated under Article" in bridging


@pytest.mark.parametrize("name", IDS)
def test_cofinanced_base_is_an_assumption_where_the_estimate_covers_more_than_transport(name: str) -> None:
    """Co-financing meets only eligible transport costs: where the estimate also covers reception, shelter, food or
    documents, the rate applied to the whole estimate is bracketed as an assumption to confirm, in the co-financing
    article and in Annex B alike, never stated as the planning basis."""
    s, advice = SCENARIOS[name], advice_of(name)
    if cofinancing_terms(s, advice) is None or not uncofinanced_services(s):
        return
    text = whole_text(advice)
    assert "on the planning assumption that all of them are eligible transport costs" not in text
    assert "(for planning, the whole estimate is taken as eligible" not in text
    for m in re.finditer(r"the whole estimate is taken as eligible", text):
        before = text[: m.start()]
        assert before.rfind("[to be confirmed:") > before.rfind("]"), name


@pytest.mark.parametrize("name", IDS)
def test_annex_b_says_whether_its_figures_are_net_of_cofinancing(name: str) -> None:
    """Where the cost article computes the shares after deduction of any co-financing received, Annex B either
    deducts co-financing (its own row) or says that its figures are before co-financing and how it reduces them."""
    advice = advice_of(name)
    annex = annex_b_text(advice)
    if "after deduction of any co-financing" not in article(advice, "cost_allocation"):
        return
    if "divide the estimated total cost" not in annex:
        return
    assert "of co-financing and" in annex or "before any co-financing" in annex, name


@pytest.mark.parametrize("name", IDS)
def test_one_claimant_per_advanced_share(name: str) -> None:
    """Where a share is advanced, the claim for it passes to the Bridging Party, which alone submits it: never a
    claim by the Assisting Party on the State beside a claim by the Bridging Party for repayment of the same share."""
    advice = advice_of(name)
    bridging = article(advice, "bridging_fund")
    if "has been advanced (" in bridging:
        assert re.search(r"the claim for (that|an advanced) share passes to the Bridging Party, which alone", bridging)
        cost = article(advice, "cost_allocation")
        if "The Assisting Party shall address its claim" in cost:
            assert "claimed by the Bridging Party in place of the Assisting Party" in cost, name
    for sentence in re.findall(r"[^.]*advances [A-Z]{3} [\d,.]+ owed by [^.]*\.", annex_b_text(advice)):
        assert "in place of the Assisting Party" in sentence, sentence


@pytest.mark.parametrize("name", IDS)
def test_advance_ceiling_keeps_a_margin_above_the_required_advances(name: str) -> None:
    """The estimate the advances are computed from does not limit the actual costs: the ceiling keeps a stated
    margin above the required advances (in the advance article, and in the cost article's ceiling of late payers'
    shares), so that an overrun does not send the slow payers the advance exists for back to paying directly."""
    s, advice = SCENARIOS[name], advice_of(name)
    ctx = cost_context(s, advice)
    bridging = article(advice, "bridging_fund")
    required = [a for a in advances(advice) if not a.get("recovered")]
    m = CEILING.search(bridging)
    if m and required and all(a.get("amount") is not None for a in required):
        ceiling = float(m.group(1).replace(",", ""))
        assert ceiling >= sum(a["amount"] for a in required) * (1 + ADVANCE_MARGIN) - 0.01
        assert "margin of at least" in bridging
    # the late payers' shares that the cost article's own ceiling covers (no bridging advance is computed for them)
    names = set(ctx["low_capacity_advanced_names"]) - set(ctx["advanced_party_names"])
    owed = [x for x in advice.cost_allocation.shares if in_text(party_name(s, x.party)) in names]
    m = CEILING.search(article(advice, "cost_allocation"))
    if m and owed and all(x.amount is not None for x in owed):
        assert float(m.group(1).replace(",", "")) >= sum(x.amount for x in owed) * (1 + ADVANCE_MARGIN) - 0.01


SHARE_VARIANTS = ("pro_rata", "nationality_reimburses", "development_bank", "mutual_aid")


@pytest.mark.parametrize("name", IDS)
def test_budgetary_procedures_reserved_wherever_states_take_on_cost_shares(name: str) -> None:
    """Whenever the cost article makes Parties reimburse, bear shares or finance costs (and advances follow), the
    obligations are subject to each Party's budgetary procedures, as under an own-costs article."""
    advice = advice_of(name)
    if variant(advice, "cost_allocation") not in SHARE_VARIANTS:
        return
    assert "subject to its applicable budgetary procedures" in article(advice, "cost_allocation"), name


@pytest.mark.parametrize("name", IDS)
def test_one_mechanism_per_cost_for_a_fund_that_meets_and_recovers(name: str) -> None:
    """Where a State's fund meets the repatriation of its workers as it arises and recovers it from the liable
    agencies and principals under the employer article, that cost is met under that article alone: it is no
    Advance under the advance article (not counted against its ceiling, no second recovery period, no second bearer
    of what is not recovered), and Annex B does not set it out as an Advance."""
    s, advice = SCENARIOS[name], advice_of(name)
    recovered = [a for a in advances(advice) if a.get("recovered")]
    bridging = article(advice, "bridging_fund")
    if not recovered or not bridging:
        return
    assert "are not Advances under this Article" in bridging
    annex = annex_b_text(advice)
    assert not re.search(r"advances [A-Z]{3} [\d,.]+ of the repatriation[^.]*owed by the recruitment agencies", annex)
    others = [a for a in advances(advice) if not a.get("recovered")]
    m = CEILING.search(bridging)
    if m and others and all(a.get("amount") is not None for a in others):
        assert cost_context(s, advice)["advance_ceiling"] == float(m.group(1).replace(",", ""))
