"""Round-8 legal readers' classes on public cost terms, as invariants over the shipped, training and blind scenarios.

1. Every share of a billed State that pays late is advanced by a named Party (a bridging funder, else the Lead Party
   where it pays in time) or a visible hole, with a ceiling and a repayment period, in the cost article and Annex B
   alike; the reason given for each State is what the scenario records of that State.
2. Where a donor appeal funds a pooled fund and a Party that signs holds a bridging fund, that Party advances the
   costs the fund is to meet pending the appeal's proceeds, in the advance article and in Annex B.
3. Under a pooled fund, what the fund cannot meet of a Transit State's costs is borne by one named Party that is not
   a Transit State, in the cost article and in Annex B.
4. The Party that bears the share of persons no State of nationality is charged for seeks donor contributions and
   bears what they do not cover, up to the persons Annex B counts; further such persons are allocated in
   consultation (never an open-ended liability), in the article and in Annex B.
5. A family member who is not a national of a billed State is counted with the person through whom eligibility was
   established, never "as a national" of a Party that bears no share; under development-bank financing the State of
   nationality does not bear its nationals who seek protection or fear return, and their bearer is named.
6. Under a mutual-aid cost article, Annex B states the rule (who reimburses whom, on what claims, within what time),
   and a State of nationality's reception of its own returning nationals is not billed to the requesting Party.
7. Annex B states only what the articles provide: the onward transport a Transit State provides is paid on a claim
   under the cost article too.
"""

from __future__ import annotations

import re

import pytest

from assistant.domain.advice import Advice
from assistant.domain.assembly import _residual, cost_context, in_text, party_name
from assistant.domain.costs import CONSULT_BACKSTOP, bridging_funders, low_capacity_states
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario
from tests.domain.corpus import corpus_scenarios

EXAMPLES = list(corpus_scenarios())
IDS = [n for n, _ in EXAMPLES]
ADVICE: dict[str, Advice] = {}


def advice(name: str, s: Scenario) -> Advice:
    if name not in ADVICE:
        ADVICE[name] = evaluate(s)
    return ADVICE[name]


def cost_article(a: Advice) -> str:
    return next((x.text for x in a.draft.articles if x.clause == "cost_allocation"), "")


def annex_b(a: Advice) -> str:
    return next((x.text for x in a.draft.annexes if x.title.startswith("Annex B")), "")


def test_the_corpus_has_late_payers_and_pooled_transit_costs():
    late = [n for n, s in EXAMPLES if low_capacity_states(s, advice(n, s))]
    transit = [n for n, s in EXAMPLES if "as Transit State, incur" in cost_article(advice(n, s))]
    assert late
    assert transit


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_late_shares_have_a_named_advancer_ceiling_and_no_recited_reasons(name: str, s: Scenario):
    a = advice(name, s)
    late = low_capacity_states(s, a)
    text = cost_article(a)
    if not late or "shall wait for payment by" not in text:
        return
    ctx = cost_context(s, a)
    for reason_free in ("The Assisting Party shall meet the shares", "The Assisting Party shall meet the costs"):
        assert reason_free not in text, name
    assert ctx["low_capacity_advancer_names"], name
    # repaid to the Party that advanced it, which meets the shares as the costs arise (round 16)
    assert re.search(r"repaid to (it|the Party that advanced them) within", text), name
    assert re.search(r"repaid to (it|the Party that advanced them) within", annex_b(a)), name
    if ctx["low_capacity_ceiling_text"]:
        assert f"outstanding at any time of {ctx['low_capacity_ceiling_text']}" in text, name
        assert f"outstanding at any time of {ctx['low_capacity_ceiling_text']}" in annex_b(a), name
    waits = text[text.index("shall wait for payment by") :].split(".")[0]
    for pid in late:
        # each late payer is named; the operative article states the rule, never its circumstances (round 11)
        assert in_text(party_name(s, pid)) in waits, (name, pid)
    assert "consul" not in waits, (name, waits)
    assert "days to make funds available" not in waits, (name, waits)


def _annex_rule(ctx: dict, verb: str, *, share: bool = False) -> str:
    """The residual rule as Annex B words it (costs.residual_rule through assembly._residual), from the article's
    terms: under a pooled fund, what it cannot meet comes from further contributions to it (round 15)."""
    rule = _residual(ctx, verb, share=share, pooled=not share and ctx["cost_article"] == "pooled_fund")
    return re.sub(r"\b(under|in|of|to) Annex B\b", r"\1 this Annex", rule)  # Annex B speaks of itself (round 17)


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_a_transit_states_unmet_costs_have_one_bearer_that_is_not_a_transit_state(name: str, s: Scenario):
    a = advice(name, s)
    text = cost_article(a)
    if "as Transit State, incur" not in text:
        return
    ctx = cost_context(s, a)
    bearer = ctx["residual_travel_bearer_name"]
    # round 12: one predicate for it in the article and Annex B (costs.residual_rule), no chain of bearers
    assert f"Any such cost that the fund cannot meet {ctx['residual_pooled_rule']}" in text.replace(
        " will ", " shall "
    ), name
    assert f"Any such cost that the fund cannot meet {_annex_rule(ctx, 'is')}" in annex_b(a), name
    transit = [in_text(party_name(s, p)) for p in s.transit_states or []]
    assert bearer not in transit, name
    assert ctx["residual_backstop"] not in transit, name


def clause_variant(a: Advice, clause: str) -> str | None:
    return next((c.variant for c in a.clauses if c.id == clause), None)


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_a_bridging_fund_advances_what_a_pooled_appeal_is_to_fund(name: str, s: Scenario):
    a = advice(name, s)
    if clause_variant(a, "cost_allocation") != "pooled_fund" or not (s.funding and s.funding.donor_appeal_possible):
        return
    funders, _ = bridging_funders(s, a)
    if not funders:
        return
    advance = next((x.text for x in a.draft.articles if x.clause == "bridging_fund"), "")
    assert "pending the proceeds of the appeal" in advance, name
    assert "the unrecovered balance ." not in advance, name
    assert "pending the proceeds of the appeal, recovered from the fund" in annex_b(a), name


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_annex_b_states_the_mutual_aid_cost_rule(name: str, s: Scenario):
    a = advice(name, s)
    if clause_variant(a, "cost_allocation") != "mutual_aid":
        return
    shared = not (s.funding and s.funding.share_costs is False)  # else the Assisting Party bears its costs
    assert ("The requesting Party reimburses the Assisting Party" in annex_b(a)) is shared, name
    assert "own nationals returning to its territory is not claimed from the requesting Party" in annex_b(a), name
    assert "own nationals returning to its territory is not assistance provided" in cost_article(a), name


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_the_transit_states_onward_transport_claim_is_in_the_cost_article(name: str, s: Scenario):
    a = advice(name, s)
    if "pays its actual cost on a claim" not in annex_b(a):
        return
    assert re.search(r"which (shall|will) pay its actual cost on a claim", cost_article(a)), name


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_the_residual_bearer_has_a_donor_route_and_a_bounded_liability(name: str, s: Scenario):
    a = advice(name, s)
    if clause_variant(a, "cost_allocation") != "pro_rata":
        return
    text, ctx = cost_article(a), cost_context(s, a)
    bearer = ctx["residual_cost_bearer_name"]
    # round 12: the bearer seeks donor contributions and bears the whole, or one other Party (or one hole) bears what
    # they do not cover; no cap with the same bearer behind it, no chain of bearers; Annex B in the same words
    assert ctx["residual_share_rule"] in text.replace(" will ", " shall "), name
    assert bearer in ctx["residual_share_rule"], name
    assert "counted as a national of the State of nationality of the family member" not in text, name
    assert "up to the share of the number of such persons counted" not in text, name
    assert "subject to its financial regulations and the availability of funds, meet from them" not in text, name
    if ctx["residual_backstop"] == CONSULT_BACKSTOP:
        # second reading: no State Party could bear it, so the Parties consult (never an unfillable hole)
        assert "the Parties shall consult without delay on meeting any part" in text.replace(" will ", " shall "), name
    else:
        assert f"borne by {ctx['residual_backstop']}" in text, name
    assert "as the Parties agree in consultation" not in text, name
    assert _annex_rule(ctx, "is", share=True) in annex_b(a), name


@pytest.mark.parametrize(("name", "s"), EXAMPLES, ids=IDS)
def test_development_bank_financing_spares_the_state_of_origin_its_protected_nationals(name: str, s: Scenario):
    a = advice(name, s)
    if clause_variant(a, "cost_allocation") != "development_bank" or not cost_context(s, a)["billed_state_names"]:
        return
    text = cost_article(a)
    assert "other than those who seek international protection or have expressed a fear of return" in text, name
    assert "members of their families of other nationalities" in text, name
    ctx = cost_context(s, a)
    assert ctx["residual_cost_rule"] in text.replace(" will ", " shall "), name
    assert _annex_rule(ctx, "are") in annex_b(a), name
