"""One bearer for each cost, and only Parties charged (blind readings, rubric point 6), as invariants over every
scenario of the corpus (shipped, training and blind):

1. The bearer of persons no State of nationality can be charged for is never a Transit State (the transit article
   promises it bears no costs for others' nationals) nor the State of origin of protected persons.
2. Where such persons are moved and the cost article names no shares (own costs, development-bank financing),
   the cost article, and Annex B, name who bears their transport and onward travel.
3. Under a pooled fund, the consular article does not also bill evacuation costs to the Represented State.
4. No cost article makes an unqualified "State of nationality" pay: only the States Parties it names or means.
5. Under development-bank financing, the States of nationality billed bear the costs in the article, and a bank
   that signs has an operative duty; a donor that does not sign is only invited.
6. A crew-change article alone governs seafarers' travel costs: the transit and employer articles defer to it, and
   Annex B leaves abandoned seafarers to the shipowner's financial security and the flag State, not a State fund.
7. Beside a pooled fund, the bridging fund advances the costs the fund is to meet pending the appeal; an Advance
   pending financing that is not disbursed gets no repayment deadline in Annex B that the advance article lacks.
8. A Transit State promised that it bears no costs for others' nationals is met first from the pooled fund (and
   advanced pending the appeal where an advance article exists), in the cost and transit articles and Annex B."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.domain.advice import Advice
from assistant.domain.assembly import cost_context, signatory_state_context
from assistant.domain.costs import (
    PROTECTED_COSTS_HOLE,
    billed_states,
    bills_nationality,
    financing_banks,
    head_counts,
    invited_funders,
    protected_bearer,
    protected_count,
)
from assistant.domain.costs import seafaring as seafaring_group
from assistant.domain.evaluate import evaluate
from assistant.domain.names import split_organ
from assistant.domain.scenario import Scenario, parse_scenario
from tests.domain.corpus import corpus_scenarios
from tests.domain.test_cost_engine import SLOW, cost_scenarios

CORPUS = corpus_scenarios()
IDS = [name for name, _ in CORPUS]


@cache
def advised(index: int) -> Advice:
    return evaluate(CORPUS[index][1])


def article(advice: Advice, clause: str) -> tuple[str, str]:
    """The article of a clause: its number as cited ("Article 9") and its text; empty when absent."""
    for a in advice.draft.articles:
        if a.clause == clause:
            return f"Article {a.number}", a.text
    return "", ""


def annex_b(advice: Advice) -> str:
    return next((a.text for a in advice.draft.annexes if a.title.startswith("Annex B")), "")


def case(index: int) -> tuple[Scenario, Advice, dict]:
    s = CORPUS[index][1]
    advice = advised(index)
    return s, advice, cost_context(s, advice)


def check_all(s: Scenario, advice: Advice) -> None:
    ctx = cost_context(s, advice)
    for check in CHECKS:
        check(s, advice, ctx)


def check_protected_bearer_is_never_a_transit_state_or_their_state_of_origin(
    s: Scenario, advice: Advice, ctx: dict
) -> None:
    bearer = protected_bearer(s, advice)
    origins = {p.nationality for p in s.populations or [] if protected_count(p) > 0}
    assert bearer not in set(s.transit_states or []) - {s.host_state}, f"{bearer} is a Transit State"
    assert bearer not in origins, f"{bearer} is the State of origin of protected persons"


def check_persons_without_a_state_of_nationality_have_one_bearer_in_article_and_annex(
    s: Scenario, advice: Advice, ctx: dict
) -> None:
    if not ctx["residual_moved"] or ctx["cost_article"] not in ("standard", "development_bank"):
        return
    bearer = ctx["residual_travel_bearer_name"]
    _, text = article(advice, "cost_allocation")
    # round 12: "borne by X", or "met from the donor contributions that X seeks" with one bearer of the rest
    assert re.search(rf"(?:borne by|donor contributions that) {re.escape(bearer)}", text), (
        "the cost article names no bearer for them"
    )
    assert re.search(rf"(?:borne by|donor contributions that) {re.escape(bearer)}", annex_b(advice)), (
        "Annex B names no bearer for them"
    )
    others = re.findall(
        r"refugees, asylum-seekers, stateless persons[^.]*?(?:borne by|donor contributions that) "
        r"(the [^,.;]+?)(?=,| shall| will| seeks|;)",
        text,
    )
    assert all(b == bearer or bearer == PROTECTED_COSTS_HOLE for b in others), others


def check_pooled_fund_costs_are_not_also_billed_to_a_represented_state(s: Scenario, advice: Advice, ctx: dict) -> None:
    if ctx["cost_article"] != "pooled_fund":
        return
    _, consular = article(advice, "consular_representation")
    if not consular:
        return
    assert "share of the actual costs of an evacuation movement" not in consular
    assert re.search(r"Relocation and Evacuation[^.]*pooled fund", consular), "evacuation costs not left to the fund"


UNQUALIFIED_PAYER = re.compile(r"\b(?:Each|The) State of nationality (?:shall|will) (?:pay|reimburse)\b")


def check_no_cost_article_bills_an_unqualified_state_of_nationality(s: Scenario, advice: Advice, ctx: dict) -> None:
    for clause in ("cost_allocation", "bridging_fund", "cofinancing"):
        _, text = article(advice, clause)
        assert not UNQUALIFIED_PAYER.search(text), f"{clause}: {UNQUALIFIED_PAYER.search(text).group(0)}"


def check_development_bank_financing_has_a_bearer_and_operative_funders(s: Scenario, advice: Advice, ctx: dict) -> None:
    if ctx["cost_article"] != "development_bank":
        return
    _, text = article(advice, "cost_allocation")
    first = text.split("\n\n")[0]
    assert len(ctx["billed_state_names"]) == len(billed_states(s, advice))
    for name in ctx["billed_state_names"]:
        assert name.lower() in first.lower(), f"{name} is not named in paragraph 1"
        assert re.search(r"\bbears?\b", first), f"{name} bears nothing in paragraph 1"
    assert len(ctx["financing_bank_names"]) == len(financing_banks(s))
    for name in ctx["financing_bank_names"]:
        assert re.search(rf"{re.escape(name)} (?:shall|will) consider", text, re.I), f"{name} has no operative duty"
    assert len(ctx["invited_funder_names"]) == len(invited_funders(s, advice))
    annex = annex_b(advice).lower()
    for name in ctx["billed_state_names"]:
        assert re.search(rf"{re.escape(name.lower())} bears? the costs", annex), f"Annex B: {name} bears nothing"
    for name in ctx["invited_funder_names"]:
        assert re.search(rf"invite [^.]*{re.escape(name)}", text), f"{name} is not invited"
        assert name.lower() in annex, f"Annex B leaves out the invitation of {name}"
        assert not re.search(rf"{re.escape(name)} (?:shall|will) contribute", text, re.I), f"{name} is bound"


def check_crew_change_article_alone_governs_seafarers_travel_costs(s: Scenario, advice: Advice, ctx: dict) -> None:
    crew, _ = article(advice, "seafarer_crew_change")
    if not crew:
        return
    _, transit = article(advice, "transit_reception")
    if "costs of onward travel are borne by" in transit:
        assert f"seafarers, in transit as elsewhere, are borne as {crew} provides" in transit
    _, employer = article(advice, "employer_liability")
    if "(d) bear the cost of transporting" in employer:
        assert f"governed by {crew} alone" in employer
    _, cost = article(advice, "cost_allocation")
    if "each Party shall bear its own costs" in cost or "each Party will bear its own costs" in cost:
        # "in particular in Article 9" or, with other articles, "in particular in Articles 9 and 19"
        number = crew.removeprefix("Article ")
        assert re.search(rf"Articles? (?:[\d, ]+ and )?{number}\b|Articles {number}\b", cost.split("\n\n")[0])


def check_seafarers_repatriation_stays_with_the_shipowner_and_flag_state(
    s: Scenario, advice: Advice, ctx: dict
) -> None:
    groups = s.populations or []
    seafaring = {g.nationality for g in groups} - {g.nationality for g in groups if not seafaring_group(g)}
    for bearer, why, nationality in head_counts(s, advice):
        assert not (why == "unidentified" and nationality in seafaring), f"abandoned seafarers put on {bearer}'s fund"
    for share in advice.cost_allocation.shares:
        if "workers whose repatriation the law puts on their employers" not in share.basis:
            continue
        if any(f"({split_organ(p.name, p.kind).entity})" in share.basis for n in seafaring if (p := s.party(n))):
            assert "financial security of the shipowner or the flag State" in share.basis, share.basis


def check_a_bridging_fund_beside_a_pooled_fund_advances_pending_the_appeal(
    s: Scenario, advice: Advice, ctx: dict
) -> None:
    _, bridging = article(advice, "bridging_fund")
    if ctx["cost_article"] != "pooled_fund" or not bridging or not ctx["advancer_names"]:
        return
    assert re.search(r"advanced pending the proceeds of the appeal[^.]*recovered from the pooled fund", bridging)
    assert "pending the proceeds of the appeal, recovered from the fund" in annex_b(advice)


def check_an_undisbursed_financing_has_no_second_deadline_in_annex_b(s: Scenario, advice: Advice, ctx: dict) -> None:
    if bills_nationality(s, advice):  # repaid by the States billed, within the payment deadline the articles state
        return
    for sentence in re.findall(r"if that financing is not disbursed[^.]*\.", annex_b(advice)):
        assert "within" not in sentence, sentence


def check_a_transit_state_promised_its_costs_is_met_first_from_the_pooled_fund(
    s: Scenario, advice: Advice, ctx: dict
) -> None:
    _, transit = article(advice, "transit_reception")
    promised = signatory_state_context(s)["transit_party_names"]  # a Transit State that signs
    if ctx["cost_article"] != "pooled_fund" or "met from the pooled fund" not in transit or not promised:
        return
    _, cost = article(advice, "cost_allocation")
    assert re.search(r"as Transit State, incurs? for Migrants other than[^.]*before any other cost", cost)
    assert re.search(r"as Transit State for Migrants other than[^.]*met first from", annex_b(advice))
    bridging, _ = article(advice, "bridging_fund")
    if bridging:
        assert f"advanced under {bridging}" in transit, "the transit State's costs wait for the appeal"


CHECKS = [
    check_protected_bearer_is_never_a_transit_state_or_their_state_of_origin,
    check_persons_without_a_state_of_nationality_have_one_bearer_in_article_and_annex,
    check_pooled_fund_costs_are_not_also_billed_to_a_represented_state,
    check_no_cost_article_bills_an_unqualified_state_of_nationality,
    check_development_bank_financing_has_a_bearer_and_operative_funders,
    check_crew_change_article_alone_governs_seafarers_travel_costs,
    check_seafarers_repatriation_stays_with_the_shipowner_and_flag_state,
    check_a_bridging_fund_beside_a_pooled_fund_advances_pending_the_appeal,
    check_an_undisbursed_financing_has_no_second_deadline_in_annex_b,
    check_a_transit_state_promised_its_costs_is_met_first_from_the_pooled_fund,
]


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__.removeprefix("check_") for c in CHECKS])
@pytest.mark.parametrize("index", range(len(CORPUS)), ids=IDS)
def test_cost_bearers_on_the_corpus(index: int, check) -> None:
    check(*case(index))


@st.composite
def with_transit(draw):
    """A generated evacuation (test_cost_engine.cost_scenarios), through a Transit State that signs or not."""
    data = draw(cost_scenarios())
    if draw(st.booleans()):
        transit = {"id": "transit", "name": "Republic of Transitia", "kind": "state", "crisis_roles": ["transit"]}
        transit["capacities"] = {"reception": True, "transport": ["land"]}
        if draw(st.booleans()):
            transit["signatory"] = False
        data["parties"].append(transit)
        data["transit_states"] = ["transit"]
        data["services_needed"] = [*data["services_needed"], "reception", "onward_travel"]
    return data


@SLOW
@given(with_transit())
def test_cost_bearers_on_generated_evacuations(data) -> None:
    check_all(parse_scenario(data), evaluate(parse_scenario(data)))
