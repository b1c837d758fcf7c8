"""Round-11 cost classes (blind legal readings of unseen scenarios): one bearer per cost share, and residual clauses
that hold.

1. One share, two or three bearers (mixed_border, obock): a Transit State's uncovered costs for refugees went, in one
   sentence, to the refugee agency and then to a hole, and in another to the refugee agency and then back to "the
   Party that incurred the cost, as its own cost" (the Transit State itself), "never ... a Transit State".
2. A residual clause keyed to "persons for whom no State of nationality is liable" where no State of nationality is
   liable for anyone (each Party bears its own costs, or a pooled fund): it made the protected-share bearer pay for
   every person assisted, the host State underwriting the organizations' costs without limit (obock; haiti2010 and
   thai2011 for the transport of such persons under an own-costs article).
3. Circular deadlines (obock, mixed_border): an Advance is recovered within 12 months of the claim, then 30 days'
   consultation, then the balance goes back to the cost article, which gave again "12 months of receipt of its
   claim".
4. The refugee agency carried "nationals of States that are not Parties" as such (juba2013, moldova2022): the
   refugees, asylum-seekers, stateless persons and people who fear return among them are counted as what they are;
   only the others are Migrants without a participating State of nationality.
5. Two payers for chartered transport (rafah): "No Party undertakes to provide transport. The Lead Party shall
   arrange it ... by charter", onward travel "borne by the State of nationality or the Party that arranges it, never
   by a Transit State", while the Lead Party was the Transit State: in an own-costs article the State of nationality
   pays for its nationals' transport whoever arranges it, and Annex B says so.
6. Boilerplate recovery sources (obock, mixed_border): the advance article listed "reimbursement by States of
   nationality, ... co-financing or payment by employers or recruitment agencies" where none of them existed.
7. Scenario facts recited in an operative article ("which has no more than an honorary consul on the spot", "has
   declared that it needs 45 days"): the article states the rule (no movement waits, the share is advanced), not
   the reason (abidjan2011).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import cost_context, signatory_state_context
from assistant.domain.costs import (
    _liable,
    billed_states,
    bills_nationality,
    charged_state,
    cofinancing_terms,
    protected_count,
    recovering_funds,
    signed,
    transport_payers,
)
from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

# the own-cost fallback of rounds 10-11, which round 12 removed (a protected Party could be the one that incurred it)
OWN_COST_BACKSTOP = "the Party that incurred the cost, as its own cost"

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]
NO_STATE_LIABLE = "persons for whom no State of nationality is liable"
PROTECTED_PART = re.compile(r"[Tt]he part of such a cost attributable to refugees|that part, and the part attributable")


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def texts(advice) -> list[str]:
    """Every article and annex of the draft."""
    return [a.text for a in advice.draft.articles] + [a.text for a in advice.draft.annexes]


@pytest.mark.parametrize("name", IDS)
def test_a_transit_states_costs_are_never_sent_back_to_the_party_that_incurred_them(name: str) -> None:
    """Where a Transit State signs, no sentence that keeps a cost from a Transit State also sends what donors do
    not cover back to "the Party that incurred the cost, as its own cost" (the Transit State, when it incurred it)
    without saying who bears it where that Party is a Transit State, as the transit sentence does: one bearer for a
    Transit State's costs for refugees in every article and Annex B."""
    s = SCENARIOS[name]
    if not signatory_state_context(s)["transit_party_names"]:
        pytest.skip("no Transit State signs")
    advice = advice_of(name)
    transit_rule = f"where that Party is a Transit State, by {cost_context(s, advice)['residual_transit_backstop']}"
    for text in texts(advice):
        for sentence in re.split(r"(?<=\.)\s+(?=[A-Z0-9])", text):
            if OWN_COST_BACKSTOP in sentence and "Transit State" in sentence:
                assert transit_rule in sentence, sentence


@pytest.mark.parametrize("name", IDS)
def test_no_residual_clause_where_no_state_of_nationality_is_liable(name: str) -> None:
    """Where the cost article charges no State of nationality (own costs, a pooled fund, mutual aid), no article or
    annex puts "the part attributable to persons for whom no State of nationality is liable", or the refugees' part of
    a cost the fund cannot meet, on one Party: every person assisted would be such a person, and the clause made one
    Party bear the others' costs."""
    s = SCENARIOS[name]
    advice = advice_of(name)
    if bills_nationality(s, advice):
        pytest.skip("the cost article charges States of nationality")
    for text in texts(advice):
        assert NO_STATE_LIABLE not in text
        assert not PROTECTED_PART.search(text), PROTECTED_PART.search(text)


LATE_REASONS = re.compile(r"honorary consul on the spot|declared that (?:it needs|they need)|consular presence on the")


@pytest.mark.parametrize("name", IDS)
def test_the_cost_article_states_the_rule_for_late_payers_not_their_circumstances(name: str) -> None:
    """The article that advances the shares of States whose payment comes late says that no movement waits for them
    and who advances; it recites no fact about them (what posts they have, what they declared)."""
    for article in advice_of(name).draft.articles:
        if article.clause == "cost_allocation":
            assert not LATE_REASONS.search(article.text), LATE_REASONS.search(article.text)


REFERS_BACK = re.compile(r"shall be treated as a cost that the pooled fund cannot meet under (Article \d+)")


@pytest.mark.parametrize("name", IDS)
def test_an_unrecovered_balance_sent_back_to_the_cost_article_gets_no_new_claim_period(name: str) -> None:
    """Where the advance article sends an unrecovered balance back to the cost article after its recovery period and
    consultations, the cost article and Annex B set a last deadline for its repayment, never a new period "of receipt
    of its claim" (which would start the recovery over)."""
    advice = advice_of(name)
    articles = {f"Article {a.number}": a.text for a in advice.draft.articles}
    bridge = next((a.text for a in advice.draft.articles if a.clause == "bridging_fund"), "")
    back = REFERS_BACK.search(bridge)
    if not back:
        pytest.skip("no balance sent back to the cost article")
    annex = "\n".join(a.text for a in advice.draft.annexes)
    for text in (articles[back.group(1)], annex):
        for sentence in re.split(r"(?<=\.)\s+(?=[A-Z0-9])", text):
            if "unrecovered balance" in sentence and "repaid" in sentence:
                assert not re.search(r"months of (?:receipt of )?its claim", sentence), sentence


@pytest.mark.parametrize("name", IDS)
def test_the_advance_article_lists_only_the_recovery_sources_the_scenario_has(name: str) -> None:
    """The notice of an Advance names, as sources of recovery, reimbursement by States of nationality only where the
    cost article bills them, co-financing only where it applies, and employers or recruitment agencies only where
    the employer-liability model names a liable party or a State fund that recovers from them."""
    s = SCENARIOS[name]
    advice = advice_of(name)
    bridge = next((a.text for a in advice.draft.articles if a.clause == "bridging_fund"), "")
    notice = next((p for p in bridge.split("\n\n") if "the source from which recovery is expected" in p), "")
    if not notice:
        pytest.skip("no notice of Advances")
    if "reimbursement by States of nationality" in notice:
        assert bills_nationality(s, advice)
        assert billed_states(s, advice)
    if "co-financing" in notice.split("the source from which recovery is expected")[1]:
        assert cofinancing_terms(s, advice)
    if "employers or recruitment agencies" in notice:
        assert _liable(s, advice, signed(s)) or recovering_funds(s, advice)


TWO_PAYERS = re.compile(r"State of nationality,? or (?:of )?the Party that arranges")


@pytest.mark.parametrize("name", IDS)
def test_transport_a_party_arranges_has_one_payer_under_own_costs(name: str) -> None:
    """Under the own-costs article, where the operation moves people and States of nationality sign, no article or
    annex makes "the State of nationality or the Party that arranges it" pay for transport (the arranging Party may be
    the Transit State the same sentence protects); the cost article and Annex B name the same payers."""
    s = SCENARIOS[name]
    advice = advice_of(name)
    payers = transport_payers(s, advice)
    cost = next((a.text for a in advice.draft.articles if a.clause == "cost_allocation"), "")
    if not payers or "each Party shall bear its own costs" not in cost:
        pytest.skip("no own-costs article moving Parties' nationals")
    for text in texts(advice):
        assert not TWO_PAYERS.search(text), TWO_PAYERS.search(text)
    annex = next(a.text for a in advice.draft.annexes if a.title.startswith("Annex B"))
    ctx = cost_context(s, advice)
    for text in (cost, annex):
        said = text[text.index("The transport and onward travel that a Party arranges") :].split(".")[0]
        for payer in ctx["transport_payer_names"]:
            assert payer in said, (payer, said)


WITHOUT_STATE = re.compile(r"([\d,]+) of [\d,]+ persons assisted without a participating State of nationality")


@pytest.mark.parametrize("name", IDS)
def test_refugees_without_a_state_party_are_counted_as_refugees(name: str) -> None:
    """Annex B counts as "without a participating State of nationality" no more persons than the members of such
    groups who are not refugees, asylum-seekers, stateless or in fear of return: those are carried as protected
    persons, the bearer's mandate covering them as such."""
    s = SCENARIOS[name]
    advice = advice_of(name)
    signing = signed(s)
    ordinary = sum(
        p.count - protected_count(p)
        for p in s.populations or []
        if p.count > 0 and not charged_state(s, p.nationality, signing)
    )
    for share in advice.cost_allocation.shares:
        for m in WITHOUT_STATE.finditer(share.basis):
            assert int(m.group(1).replace(",", "")) <= ordinary, share.basis


UNCAPPED = re.compile(r"bears? any part that (?:those contributions|they) do not cover")


@pytest.mark.parametrize("name", IDS)
def test_no_party_underwrites_others_costs_where_each_bears_its_own(name: str) -> None:
    """Where the Parties bear their own costs, the bearer of the costs of persons no State of nationality answers
    for seeks donor contributions and meets what they allow; no Party undertakes to bear, without limit, what donors
    do not cover of the costs that others incur."""
    s = SCENARIOS[name]
    if not (s.funding and s.funding.share_costs is False):
        pytest.skip("the Parties share costs")
    for text in texts(advice_of(name)):
        assert not UNCAPPED.search(text), UNCAPPED.search(text)
