"""Cost coherence between the articles and Annex B (blind review, cost classes 1-6), on small scenarios built here
and as invariants over the shipped examples and the training scenarios.

1. Annex B lists only the cost models whose operative article is in the draft, and its figures follow that article.
2. An advance article only with a named bridging funder and a debtor; its ceiling is at least the advances.
3. No residual balance charged to States of nationality for refugees, asylum-seekers, stateless persons or people who
   fear return; low-capacity States are advanced; a transit State's reception costs follow the cost model.
4. One cost, one mechanism, one deadline: consular reimbursement refers to the cost article.
5. "Article N on X" points at an article that contains X.
6. A commercial carrier is paid for the transport it provides, never made to fly people at its own expense."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.domain.advice import Advice
from assistant.domain.assembly import OPERATIVE_ARTICLES, operative_models
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario, load_scenario, parse_scenario
from assistant.domain.training import load_training_library

ROOT = Path(__file__).resolve().parents[2]


def build(parties, populations, *, types=(), services=(), phase="emergency_response", transit=(), funding=None):
    data = {
        "title": "Test",
        "agreement_types": list(types),
        "crisis": {"kind": "armed_conflict", "phase": phase},
        "host_state": "host",
        "transit_states": list(transit),
        "parties": parties,
        "populations": populations,
        "services_needed": list(services),
        "funding": funding or {},
    }
    return evaluate(parse_scenario(data))


def state(pid, name, *roles, **caps):
    return {"id": pid, "name": name, "kind": "state", "crisis_roles": list(roles), "capacities": caps}


IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
    "capacities": {"transport": ["air"], "bridging_fund": True, "funding_lead_days": 1},
}
DONOR = {"id": "donors", "name": "Humanitarian Donor Group", "kind": "donor"}
HOST = state("host", "Republic of Hostia", "host")


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def number(advice: Advice, clause: str) -> str | None:
    return next((f"Article {a.number}" for a in advice.draft.articles if a.clause == clause), None)


def annex_b(advice: Advice):
    return advice.draft.annexes[1]


def clauses(advice: Advice) -> dict[str, str]:
    return {c.id: c.variant for c in advice.clauses}


# ---------------------------------------------------------------- 1. Annex B follows the articles


def consular_reciprocity():
    """Consular representation before a crisis: per-case reimbursement is the article, the per-person formula only
    a suggestion."""
    return build(
        [
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy"),
            state("beta", "Republic of Beta", "origin", consular_presence="none"),
            HOST,
        ],
        [{"nationality": "alpha", "count": 800}, {"nationality": "beta", "count": 200}],
        types=["consular_representation"],
        phase="preparedness",
        funding={"share_costs": True, "donor_appeal_possible": True},
    )


def test_annex_b_shows_no_pro_rata_table_when_the_article_reimburses_per_case():
    advice = consular_reciprocity()
    assert clauses(advice)["cost_allocation"] == "nationality_reimburses"
    assert "pro_rata_per_evacuee" in {m.id for m in advice.cost_allocation.models}  # suggested, not in force
    ann = annex_b(advice)
    assert not ann.rows
    assert "pro-rata" not in ann.text
    assert "own nationals" in ann.text


def test_annex_b_says_no_pooled_fund_unless_an_article_sets_it_up():
    advice = consular_reciprocity()
    assert "pooled_fund" in {m.id for m in advice.cost_allocation.models}
    assert "a pooled fund or appeal" not in annex_b(advice).text
    assert "No pooled fund" not in annex_b(advice).text  # no note to self: the annex speaks as the instrument
    assert annex_b(advice).text.startswith(
        "This Annex sets out the cost arrangements of the articles, which provide for"
    )


def test_annex_b_does_not_list_own_costs_beside_a_mutual_aid_reimbursement_article():
    advice = evaluate(load_scenario(ROOT / "scenarios" / "border_flood_preparedness.yaml"))
    assert clauses(advice)["cost_allocation"] == "mutual_aid"
    assert "each party bears its own costs" not in annex_b(advice).text


# ---------------------------------------------------------------- 2. advances need a holder and a debtor


def slow_states(fund: bool, share: bool = True):
    return build(
        [
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy", funding_lead_days=30),
            state("beta", "Republic of Beta", "origin", consular_presence="embassy", funding_lead_days=10),
            HOST,
            IOM if fund else {**IOM, "capacities": {"transport": ["air"]}},
        ],
        [{"nationality": "alpha", "count": 600}, {"nationality": "beta", "count": 400}],
        types=["evacuation_relocation"],
        services=["evacuation_transport"],
        funding={"share_costs": share, "estimated_cost": 1000000},
    )


def test_no_advance_article_without_a_party_holding_a_bridging_fund():
    advice = slow_states(fund=False)
    assert "bridging_fund" not in clauses(advice)
    assert "Advance" not in annex_b(advice).text
    flag = next(f for f in advice.risk_flags if f.id == "underfunding")
    assert "bridging_fund" not in flag.safeguards
    assert any("no advance article" in d for d in flag.details)


def test_no_advance_article_under_own_costs_where_nobody_owes_anything():
    advice = slow_states(fund=True, share=False)
    assert clauses(advice)["cost_allocation"] == "standard"
    assert "bridging_fund" not in clauses(advice)


def test_the_advance_article_names_its_debtor_and_a_ceiling_at_least_the_advances():
    advice = slow_states(fund=True)
    text = article(advice, "bridging_fund")
    assert "(the International Organization for Migration)" in text
    assert "[to be agreed" not in text.split("2.")[0]
    advanced = next(m for m in advice.cost_allocation.models if m.id == "advance_and_recover").params["advances"]
    total = sum(a["amount"] for a in advanced)
    ceiling = float(re.search(r"at any time of USD ([\d,]+\.\d\d)", text).group(1).replace(",", ""))
    assert ceiling >= total - 0.01
    assert "(the Republic of Alpha and the Republic of Beta, as set out in Annex B)" in text
    assert "The Parties expected to bear the costs under" not in text


# ---------------------------------------------------------------- 3. residual balances and protected persons


def refugees_among_nationals(**beta_caps):
    return build(
        [
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy", funding_lead_days=30),
            state("beta", "Republic of Beta", "origin", **({"consular_presence": "embassy"} | beta_caps)),
            HOST,
            IOM,
            DONOR,
        ],
        [
            {"nationality": "alpha", "count": 600, "vulnerabilities": {"refugees_or_asylum_seekers": 100}},
            {"nationality": "beta", "count": 400},
        ],
        types=["evacuation_relocation"],
        services=["evacuation_transport"],
        funding={"share_costs": True, "estimated_cost": 1000000, "donor_appeal_possible": True},
    )


def test_the_unrecovered_balance_is_never_charged_to_states_of_origin_for_protected_persons():
    text = article(refugees_among_nationals(), "bridging_fund")
    assert text
    assert "borne by the States of nationality in proportion" not in text
    assert "shall be charged to their State of origin" in text


def test_refugees_share_is_carried_by_the_same_bearer_in_the_article_and_annex_b():
    advice = refugees_among_nationals()
    shares = {s.party: s for s in advice.cost_allocation.shares}
    assert shares["alpha"].share == pytest.approx(500 / 1000, abs=1e-4)
    # the lead carries it, never the donor, which bears only what it pledges
    assert "not charged to their State of origin" in shares["iom"].basis
    assert "donors" not in shares
    # round 12: an organization seeks the donor contributions; one other bearer (or one hole) bears the rest
    assert "shall be met from the donor contributions that the International Organization for Migration shall seek" in (
        article(advice, "cost_allocation")
    )
    advance = article(advice, "bridging_fund")
    assert (
        "shall be borne by the International Organization for Migration" in advance
        or "shall be met from the donor contributions that the International Organization for Migration shall seek"
        in advance
    )


def test_a_state_with_only_an_honorary_consul_is_advanced():
    advice = refugees_among_nationals(consular_presence="honorary")
    advanced = next(m for m in advice.cost_allocation.models if m.id == "advance_and_recover").params["advances"]
    assert "beta" in {a["for"] for a in advanced}


def test_transit_reception_costs_follow_an_own_costs_article():
    advice = build(
        [
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy"),
            state("transit", "Republic of Transia", "transit", reception=True, shelter=True, food=True),
            HOST,
            {**IOM, "capacities": {"transport": ["land"]}},
        ],
        [{"nationality": "alpha", "count": 500}],
        types=["evacuation_relocation"],
        services=["evacuation_transport", "reception"],
        transit=["transit"],
        funding={"share_costs": False},
    )
    assert clauses(advice)["cost_allocation"] == "standard"
    text = article(advice, "transit_reception")
    assert text
    assert "except as provided in" not in text
    assert "contribution in kind" in text


# ---------------------------------------------------------------- 4. one cost, one mechanism, one deadline


def test_consular_reimbursement_refers_to_the_pro_rata_article():
    advice = build(
        [
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy", transport=["air"]),
            state("beta", "Republic of Beta", "origin", consular_presence="none"),
            HOST,
        ],
        [{"nationality": "alpha", "count": 800}, {"nationality": "beta", "count": 200}],
        types=["evacuation_relocation", "consular_representation"],
        services=["evacuation_transport"],
        funding={"share_costs": True},
    )
    assert clauses(advice)["cost_allocation"] == "pro_rata"
    text = article(advice, "consular_representation")
    assert text
    assert "within 12 months of the assistance" not in text
    assert f"in accordance with {number(advice, 'cost_allocation')}" in text


# ---------------------------------------------------------------- 6. commercial carriers are paid


def test_a_commercial_carrier_is_paid_on_charter_terms_under_own_costs():
    advice = build(
        [
            state("alpha", "Republic of Alpha", "origin", consular_presence="embassy"),
            HOST,
            {"id": "sky", "name": "Skyline Air", "kind": "carrier", "capacities": {"transport": ["air"]}},
        ],
        [{"nationality": "alpha", "count": 500}],
        types=["evacuation_relocation"],
        services=["evacuation_transport"],
        funding={"share_costs": False},
    )
    text = article(advice, "cost_allocation")
    assert "charter terms" in text
    assert "does not require Skyline Air, as a commercial carrier, to carry persons at its own expense" in text


# ---------------------------------------------------------------- invariants over shipped and training scenarios


def shipped() -> list[tuple[str, Scenario]]:
    items = [(p.stem, load_scenario(p)) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    return items + [(t.slug, t.scenario) for t in load_training_library(ROOT / "training")]


LABELS = {
    "a pooled fund or appeal": "pooled_fund",
    "reimbursement above a threshold or up to a cap": "capped_threshold",
    "the cost rule of the mutual-aid arrangement": "mutual_aid_costs",
    "pro-rata shares per person assisted": "pro_rata_per_evacuee",
    "each party bears its own costs": "own_costs",
    "advance from a bridging fund": "advance_and_recover",
}
# Subjects an "Article N on …" phrase may refer to, and the words the referenced article must contain.
SUBJECT_WORDS = {"supporting documents": ["supporting documents"], "audit": ["audit"]}


def check_cost_invariants(advice: Advice) -> None:
    chosen = clauses(advice)
    ann = annex_b(advice)
    listed = ann.note.split(".")[0]
    for words, model in LABELS.items():
        if words in listed:
            clause, variants = OPERATIVE_ARTICLES[model]
            assert clause in chosen, model
            assert variants is None or chosen[clause] in variants, (model, chosen[clause])
    in_force = operative_models(advice)
    if ann.rows:
        assert {"pro_rata_per_evacuee", "employer_liability"} & set(in_force)
    # An advance article only with a named funder and a debtor; its ceiling covers the advances when known.
    text = article(advice, "bridging_fund")
    if text:
        assert advice.holders("bridging_funder")
        assert "advances" in ann.text
        assert "owed by" in ann.text or "pending the financing of" in ann.text
        assert "borne by the States of nationality in proportion" not in text
    else:
        assert "Advance" not in ann.text
    # One deadline for consular reimbursement where the cost article has its own claims procedure.
    if chosen.get("cost_allocation") in ("pro_rata", "nationality_reimburses"):
        assert "within 12 months of the assistance" not in article(advice, "consular_representation")
    # Cross-references "Article N on X" point at an article containing X.
    by_number = {f"Article {a.number}": a.text for a in advice.draft.articles}
    everything = [a.text for a in advice.draft.articles] + [a.text for a in advice.draft.annexes]
    for t in everything:
        for ref, subject in re.findall(r"(Article \d+) on ((?:[a-z]+ ?){1,4})", t):
            for key, words in SUBJECT_WORDS.items():
                if key in subject:
                    assert all(w in by_number.get(ref, "") for w in words), (ref, subject)


@pytest.mark.parametrize(("name", "scenario"), shipped(), ids=[n for n, _ in shipped()])
def test_cost_invariants_hold_on_shipped_and_training_scenarios(name, scenario):
    check_cost_invariants(evaluate(scenario))


def test_unit_scenarios_hold_the_invariants_too():
    for advice in (consular_reciprocity(), slow_states(True), slow_states(False), refugees_among_nationals()):
        check_cost_invariants(advice)
