"""Round-12 readings of co-financing and Annex B figures, by class:

1. Annex B and the co-financing article computed the shares net of co-financing at 75% of the whole estimate while
   saying the estimate also covers consular services, documents and reception (two drafts): every share understated,
   an Advance "pending the co-financing" of most of the estimate largely unrecoverable. The planning shares divide
   the whole estimate (an upper bound); co-financing is a reduction applied, once granted, to the eligible
   transport costs; nothing is advanced pending a grant nobody has made.
2. "66.3 per cent of the persons assisted are nationals of States Parties other than [the Lead] ... at least the 30
   per cent required": the UCPM seat condition counts seats offered to nationals of other participating States of
   the mechanism, not nationals of States of origin; and a non-participating Transit State made the applicant. The
   condition is stated as the mechanism states it, and the applicant is a Party the instrument's rules allow.
3. A contributor's contribution never deducted from what States of nationality reimburse "at its actual cost".
4. Shares "before any co-financing" with a donor contribution to be agreed: Annex B says they are reduced pro rata.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import cost_context
from assistant.domain.costs import advances, cofinancing_terms
from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def whole_text(advice) -> str:
    return "\n".join([a.text for a in advice.draft.articles] + [a.text for a in advice.draft.annexes])


def annex_b(advice):
    return next(a for a in advice.draft.annexes if a.title.startswith("Annex B"))


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+", text)


# A seat condition stated on a count of persons assisted who are nationals of States Parties (or of the States of
# origin): not the count the mechanism's condition uses (seats offered to nationals of its participating States).
PARTY_COUNT = re.compile(r"(?:per cent|%) of (?:the )?persons assisted are nationals of States Parties")


@pytest.mark.parametrize("name", IDS)
def test_no_seat_condition_claimed_on_a_count_the_condition_does_not_use(name: str) -> None:
    """No draft says the seat condition is met or missed on the planning figures (which do not say who participates
    in the mechanism), and wherever a draft states the condition it names the States that participate in the
    co-financing mechanism, not any State other than the organizer (UCPM: citizens of other participating States)."""
    text = whole_text(advice_of(name))
    assert not PARTY_COUNT.search(text), name
    assert not re.search(r"at least the \d+(?: per cent|%) (?:required|the higher rate requires)", text), name
    for sentence in sentences(text):
        if "of the seats" in sentence and "offered to" in sentence:
            assert "participate in the co-financing mechanism" in sentence, sentence


@pytest.mark.parametrize("name", IDS)
def test_the_applicant_for_cofinancing_is_a_party_its_rules_allow(name: str) -> None:
    """No Party is made the applicant for co-financing by its role alone (a Lead that is a Transit State outside the
    mechanism cannot apply): the applicant is the Party organizing a movement where the instrument's rules let it
    apply, else a Party they allow."""
    s, advice = SCENARIOS[name], advice_of(name)
    if cofinancing_terms(s, advice) is None:
        pytest.skip("no co-financing")
    text = whole_text(advice)
    assert "shall apply for co-financing" not in text, name
    assert "where the rules of the co-financing instrument allow it to apply" in text, name


@pytest.mark.parametrize("name", IDS)
def test_no_planning_figure_rests_on_an_eligible_base_the_text_says_is_wrong(name: str) -> None:
    """The planning shares never take co-financing as granted on the whole estimate: the shares in Annex B's table
    add up to the whole estimate, no row or amount is co-financing, and no draft says the whole estimate is taken as
    eligible while it covers other services."""
    s, advice = SCENARIOS[name], advice_of(name)
    text = whole_text(advice)
    assert "the whole estimate is taken as eligible" not in text, name
    assert not re.search(r"[A-Z]{3} [\d,.]+ of co-financing and", text), name
    total = s.funding.estimated_cost if s.funding else None
    shares = advice.cost_allocation.shares
    if total and shares:
        assert sum(x.amount or 0 for x in shares) == pytest.approx(total, abs=0.05)
        assert not any(x.party == cofinancing_terms(s, advice).provider for x in shares if cofinancing_terms(s, advice))


@pytest.mark.parametrize("name", IDS)
def test_nothing_is_advanced_pending_a_grant_nobody_has_made(name: str) -> None:
    """An Advance pending co-financing of a part of the estimate the co-financing may never meet is largely
    unrecoverable: no Advance is computed pending co-financing, and Annex B states none."""
    advice = advice_of(name)
    assert not any(a.get("cofinancing") for a in advances(advice)), name
    assert "pending the co-financing" not in annex_b(advice).text, name


@pytest.mark.parametrize("name", IDS)
def test_shares_are_stated_before_cofinancing_and_contributions_and_reduced_by_them(name: str) -> None:
    """Where the per-person article divides the estimate, Annex B says its amounts are before any co-financing and
    before any contribution of the Parties that pledge one, whoever provides it, and that what is received reduces
    each share in proportion; the amounts add up to the estimate."""
    s, advice = SCENARIOS[name], advice_of(name)
    ctx = cost_context(s, advice)
    text = annex_b(advice).text
    if ctx["cost_article"] != "pro_rata" or "divide the estimated total cost" not in text:
        pytest.skip("no per-person shares of an estimate")
    assert "before any co-financing" in text, name
    assert re.search(r"reduces? each share in proportion", text), name
    if ctx["pledger_names"]:
        assert "before any co-financing or contribution" in text, name
        assert "contributions received are deducted" in text, name


@pytest.mark.parametrize("name", IDS)
def test_contributions_are_deducted_from_what_the_parties_reimburse(name: str) -> None:
    """Where a Party contributes towards the costs and no shares are computed (own costs with reimbursements at
    actual cost), Annex B deducts what contributions meet from the costs reimbursed, whoever provides them."""
    s, advice = SCENARIOS[name], advice_of(name)
    ctx = cost_context(s, advice)
    text = annex_b(advice).text
    if not ctx["pledger_names"] or "towards the costs of the operations under this instrument" not in text:
        pytest.skip("no contribution towards the costs")
    assert re.search(r"\bdeduct(ed|ion)\b", text), name


def test_no_article_says_the_indicative_shares_are_net_of_cofinancing() -> None:
    """The cost article and Annex B say the same of the planning figures: the indicative shares divide the whole
    estimate, before any co-financing, on every scenario."""
    for name in IDS:
        text = whole_text(advice_of(name))
        assert "net of the co-financing expected" not in text, name
