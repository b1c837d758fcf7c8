"""Round-14 cost classes (rubric point 6), found by the round-13 readers.

1. Annex B net of co-financing ("Annex B figures ... are net of co-financing"). Round 13's final reading found Annex
   B gross of co-financing with no indicative net figure in every co-financed draft (evacuation_multinational USD
   5.4M, yemen USD 4.2M, libya2011 USD 11M, sudan EUR 4M): "Kenara sees a gross figure of EUR 1.64 m". The planning
   shares still divide the whole estimate (an upper bound, since co-financing is granted per movement on eligible
   transport costs), but Annex B now says how each amount is reduced once it is granted and, where the scenario gives
   the eligible transport costs (``funding.cofinancing.eligible_cost``, an addition to the contract), shows each
   amount net of co-financing at each rate, each column adding up to exactly the estimate less that co-financing.
2. Several own-costs drafts never said who bears the costs of refugees, asylum-seekers, stateless persons and
   people who fear return, nor that they are never charged to their State of origin; round-14 readers found the
   same of pooled-fund and mutual-aid drafts and of their Annex B: the cost article and Annex B now say so wherever
   such persons are, or may be, among those assisted.
"""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from assistant.domain.costs import cofinancing_terms, protected_count
from assistant.domain.draft_check import check_draft
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import ScenarioError, parse_scenario
from tests.domain.corpus import IDS, ROOT, SCENARIOS, article_text
from tests.domain.corpus import corpus_advice as advice_of


def annex_b(advice):
    return next(a for a in advice.draft.annexes if a.title.startswith("Annex B"))


def divided(advice) -> bool:
    """An article divides an estimated total among the Parties net of co-financing: Annex B tabulates shares."""
    models = {m.id for m in advice.cost_allocation.models}
    return {"pro_rata_per_evacuee", "net_of_cofinancing"} <= models and bool(annex_b(advice).rows)


COFINANCED = [n for n in IDS if divided(advice_of(n)) and cofinancing_terms(SCENARIOS[n], advice_of(n))]


def test_the_corpus_has_cofinanced_tables() -> None:
    """The corpus exercises the class (the four drafts the round-13 readers named, at least)."""
    assert len(COFINANCED) >= 4, COFINANCED


@pytest.mark.parametrize("name", COFINANCED)
def test_annex_b_says_how_each_amount_is_reduced_net_of_cofinancing(name: str) -> None:
    """Without the eligible costs, Annex B says how each amount is reduced once co-financing is granted, with the
    eligible transport costs as an open point (it said only that the amounts are before co-financing)."""
    if SCENARIOS[name].funding.cofinancing.eligible_cost is not None:
        pytest.skip("the scenario gives the eligible costs")
    text = annex_b(advice_of(name)).text
    assert "each amount shown is reduced in the proportion that the co-financing granted bears" in text, name
    assert "[to be agreed: the eligible transport costs, in" in text, name


def with_eligible(name: str, fraction: float):
    """The corpus scenario with eligible transport costs of ``fraction`` of its estimate."""
    data = SCENARIOS[name].to_dict()
    data = copy.deepcopy(data)
    data["funding"]["cofinancing"]["eligible_cost"] = round(data["funding"]["estimated_cost"] * fraction, 2)
    return parse_scenario(data)


def money(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.mark.parametrize("fraction", [0.0, 0.37, 1.0])
@pytest.mark.parametrize("name", COFINANCED)
def test_net_columns_add_up_to_the_estimate_less_the_cofinancing(name: str, fraction: float) -> None:
    """With the eligible costs, each net column adds up to exactly the estimate less that rate of them, each net
    amount is its gross amount in that proportion (to a cent), and the draft check finds no error in the table."""
    s = with_eligible(name, fraction)
    advice = evaluate(s)
    annex = annex_b(advice)
    terms = cofinancing_terms(s, advice)
    total, eligible = s.funding.estimated_cost, s.funding.cofinancing.eligible_cost
    rates = list(dict.fromkeys([terms.max_rate, terms.base_rate]))
    nets = [i for i, c in enumerate(annex.columns) if c.startswith("Net at ")]
    assert len(nets) == len(rates), annex.columns
    for column, rate in zip(nets, rates, strict=True):
        left = round(total - rate * eligible, 2)
        column_values = [money(r[column]) for r in annex.rows]
        assert abs(sum(column_values) - left) < 0.005, (name, rate, sum(column_values), left)
        for row, net in zip(annex.rows, column_values, strict=True):
            assert abs(money(row[2]) * left / total - net) <= 0.01 * len(annex.rows), (name, row, net)
    assert f"{eligible:,.2f}" in annex.text
    errors = [f for f in check_draft(advice.to_contract()) if f.severity == "error" and f.check == "cost_shares"]
    assert not errors, errors


def test_eligible_costs_above_the_estimate_are_refused_with_the_path() -> None:
    data = yaml.safe_load((ROOT / "tests/blind/sudan2023_lead_state_cofinancing.yaml").read_text())["scenario"]
    data["funding"]["cofinancing"]["eligible_cost"] = data["funding"]["estimated_cost"] + 1
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert [p.path for p in caught.value.problems] == ["funding.cofinancing.eligible_cost"]
    assert "more than the estimated cost" in str(caught.value)
    data["funding"]["cofinancing"]["eligible_cost"] = -1
    with pytest.raises(ScenarioError):
        parse_scenario(data)


@pytest.mark.parametrize("name", IDS)
def test_a_cost_article_without_shares_names_the_bearer_of_protected_persons_costs(name: str) -> None:
    """Where no share or claim names them (each Party bears its own costs, a pooled fund, mutual aid) and refugees,
    asylum-seekers, stateless persons or people who fear return are, or may be, among those assisted, the cost
    article and Annex B both say who meets their costs and that they are never charged to their State of origin
    (round-14 readers of eight drafts: "Annex B never says who bears the share of refugees")."""
    advice = advice_of(name)
    if next((c.variant for c in advice.clauses if c.id == "cost_allocation"), None) not in (
        "standard",
        "pooled_fund",
        "mutual_aid",
    ):
        pytest.skip("a cost article with shares or claims, which names the bearer of each")
    screened = any(c.id in ("protection_referral", "non_refoulement") for c in advice.clauses)
    if not screened and not any(protected_count(p) for p in SCENARIOS[name].populations or []):
        pytest.skip("no protected persons among those assisted")
    for text in (article_text(advice, "cost_allocation"), annex_b(advice).text):
        text = " ".join(text.split())
        assert "charged to their State of origin" in text, name
        assert "refugees, asylum-seekers, stateless persons" in text, name


@pytest.mark.parametrize("name", IDS)
def test_a_person_fleeing_the_state_that_operates_the_movements_is_evacuated_by_others_at_no_cost_to_it(name: str):
    """Round 14, syria2012 (heavy): in a State's own scheme "a Luzaran who fears Luzara is promised evacuation
    elsewhere, but no Party is charged with carrying it out", and the costs fell on Luzara's fund. Where every Party
    that operates the movements is a State of nationality of people covered, the non-refoulement article keeps such
    a person off its movements and Manifests, has organizations asked to arrange the Evacuation, and never puts the
    cost on that State."""
    from assistant.domain.assembly import _origin_only_movers

    s, advice = SCENARIOS[name], advice_of(name)
    movers = _origin_only_movers(s, advice)
    text = " ".join(article_text(advice, "non_refoulement").split())
    if not movers or "Evacuation to a safe destination other than the State" not in text:
        pytest.skip("other Parties operate movements, or no Evacuation is offered to persons who fear return")
    assert re.search(r"(shall|will) not be carried on a movement", text), name
    assert "to arrange his or her Evacuation" in text, name
    costs = re.search(r"Its costs (shall|will) not be met[^.]*", text).group(0)
    # one rule for one cost: the cost article's for persons who seek protection (round 14b: a second rule here
    # contradicted the cost article's bearer of their share)
    cost_article = next(f"Article {a.number}" for a in advice.draft.articles if a.clause == "cost_allocation")
    assert f"met as {cost_article} provides for the costs of persons who have sought international protection" in costs
    for mover in movers:
        assert not re.search(f"that {re.escape(mover)} (shall|will) seek", costs), (name, costs)
        assert f"borne by {mover}" not in costs, (name, costs)
