"""Round 19 (issue 13, rubric points 1, 6, 11 and 12): the light points of the round-18 blind readings, by class.

Each test checks a property on every scenario of the corpus (shipped, training and blind), so a class fixed for one
draft is fixed for all.
"""

from __future__ import annotations

import re

import pytest

from assistant.domain.clauses import Clause, render_body
from tests.domain.corpus import article_text, corpus_scenarios


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def drafts():
    from assistant.domain.evaluate import evaluate

    return {name: evaluate(s) for name, s in corpus_scenarios()}


def number(advice, clause: str) -> str | None:
    return next((a.number for a in advice.draft.articles if a.clause == clause), None)


def survival(advice) -> str:
    text = flat(article_text(advice, "final_provisions"))
    return next((s for s in re.split(r"(?= \d+\. )", text) if "continue to apply" in s), "")


def test_open_cases_and_the_final_report_survive(drafts):
    """Round 18 (twelve and eight drafts): the survival paragraph forgot the final financial report and the tracing
    and child-protection cases still open."""
    seen = {"cases": 0, "report": 0}
    for name, advice in drafts.items():
        text = survival(advice)
        if not text:
            continue
        cases = [n for c in ("child_protection", "family_tracing", "tracing_requests") if (n := number(advice, c))]
        if cases:
            seen["cases"] += 1
            m = re.search(r"the provisions of Articles? ([\d, and]+) as regards the cases opened under them", text)
            assert m, name
            assert re.findall(r"\d+", m[1]) == sorted(cases, key=int), name
        report = number(advice, "reporting_monitoring")
        if report:
            seen["report"] += 1
            m = re.search(rf"paragraph (\d+) of Article {report} on the final report", text)
            assert m, name
            cited = re.search(rf"(?:^|\n){m[1]}\. ([^\n]+)", article_text(advice, "reporting_monitoring"))
            assert cited, name
            assert "final narrative and financial report" in cited[1], name
    assert seen["cases"] >= 5, seen
    assert seen["report"] >= 20, seen


def test_a_prelude_is_shared_by_every_variant():
    clause = Clause.model_validate(
        {
            "id": "purpose",
            "topic": "purpose",
            "title": "Purpose",
            "source": "test",
            "params": {"n": {"type": "integer", "sample": 2}},
            "prelude": "{%- set twice = n * 2 %}",
            "variants": {"standard": {"body": "1. {{ twice }} days."}, "short": {"body": "1. {{ twice - 1 }} days."}},
        }
    )
    assert render_body(clause, "standard", {"n": 3}) == "1. 6 days."
    assert render_body(clause, "short", {"n": 3}) == "1. 5 days."


def test_the_parties_block_only_names_the_parties_and_an_article_holds_the_rest(drafts):
    """Round 18: operative text ("shall be identified in Annex C") stood in the parties block, before the preamble."""
    for name, advice in drafts.items():
        d = advice.draft
        assert not re.search(r"\bshall\b", d.parties), name
        headings = [a.heading for a in d.articles]
        assert headings.count("Status and Representation of the Parties") == 1, name
        status = article_text(advice, "parties")
        assert "acts through its duly authorized representative" in status, name
        assert status.startswith("1. "), name
        # right after the purpose, the definitions and the scope, the last of them drafted
        before = {a.clause for a in d.articles[: headings.index("Status and Representation of the Parties")]}
        topics = {c.id: c for c in advice.clauses}
        assert all(c in topics for c in before), name


def test_signature_blocks_name_no_competent_authority_under_another_partys_block(drafts):
    seen = 0
    for name, advice in drafts.items():
        for block in re.split(r"\n(?=For )", advice.draft.signatures)[1:]:
            m = re.search(r"^Competent authority \((Article \d+)\): (.+)$", block, re.MULTILINE)
            if m:
                seen += 1
                assert m[1] == f"Article {number(advice, 'parties')}", name
    assert seen >= 5


def test_personnel_welfare_does_not_survive_and_confidentiality_does(drafts):
    """Round 19: "Article 22 (security and welfare of personnel) is kept in force for no purpose" (eleven drafts);
    "the survival list omits the paragraphs on the confidentiality of protection information" (four)."""
    seen = 0
    for name, advice in drafts.items():
        text = survival(advice)
        if not text:
            continue
        care = number(advice, "personnel_duty_of_care")
        if care:
            whole = text.split("the provisions of")[0]
            assert not re.search(rf"Articles? [\d, and]*\b{care}\b[\d, and]*;", whole), name
        m = re.search(r"the provisions of ((?:paragraphs? [\d, and to]+ of Article \d+(?:, | and )?)+) on the use and "
                      r"confidentiality of the information", text)  # fmt: skip
        if not m:
            continue
        seen += 1
        for para, art in re.findall(r"paragraph (\d+) of Article (\d+)", m[1]):
            body = next(a.text for a in advice.draft.articles if a.number == art)
            cited = re.search(rf"(?:^|\n){para}\. ([^\n]+)", body)
            assert cited, (name, para, art)
            protective = r"confidential|not be used|shall not|will not|be limited|No verification|No Departure"
            assert re.search(protective, cited[1]), (name, art)
    assert seen >= 10


def test_entry_into_force_is_notified_by_the_party_and_owes_only_what_the_articles_require(drafts):
    for name, advice in drafts.items():
        text = flat(article_text(advice, "entry_into_force"))
        assert "through their Focal Points" not in text, name
        assert "its part of the costs" not in text, name


def costs(advice) -> str:
    return flat(article_text(advice, "cost_allocation"))


def test_the_fallback_entry_into_force_needs_those_that_advance_and_is_never_all_the_parties(drafts):
    seen = 0
    for name, advice in drafts.items():
        text = flat(article_text(advice, "entry_into_force"))
        m = re.search(r"if they include (.+?), may (?:agree|decide) in writing", text)
        if not m:
            continue
        seen += 1
        needed = m[1]
        assert needed.count(",") + needed.count(" and ") + 1 < len(advice.draft.designations), name
        # a Party named in the cost article as advancing others' shares is among them
        for by in re.findall(r"advanced by ((?:the )?[A-Z][^,\[]+?), (?:which|each of which) meets", costs(advice)):
            assert by in needed, (name, by)
    assert seen >= 10


def test_the_recalculation_of_annex_b_is_no_amendment(drafts):
    seen = 0
    for name, advice in drafts.items():
        if not any(c.id == "cost_allocation" and c.variant == "pro_rata" for c in advice.clauses):
            continue
        final = flat(article_text(advice, "final_provisions"))
        m = re.search(r"The recalculation of the shares and amounts of Annex B under paragraph (\d+) of Article (\d+) "
                      r"does not amend that Annex", final)  # fmt: skip
        assert m, name
        seen += 1
        cost = article_text(advice, "cost_allocation")
        assert m[2] == number(advice, "cost_allocation"), name
        cited = re.search(rf"(?:^|\n){m[1]}\. ([^\n]+)", cost)
        assert cited, name
        assert re.search(r"(?:shall|will) be recalculated", cited[1]), name
    assert seen >= 3


def test_an_advanced_share_has_one_claim_route_and_a_deadline(drafts):
    seen = 0
    for name, advice in drafts.items():
        cost = flat(article_text(advice, "cost_allocation"))
        if "which it alone makes" in cost:
            raise AssertionError(name)
        if "it alone makes that claim, within" not in cost:
            continue
        seen += 1
        assert re.search(r"it alone makes that claim, within \d+ months of the end of the operation", cost), name
        if "Assisting Party shall address its claim" in cost:
            # one claim route: the claims paragraph leaves the advanced shares to the Party that advanced them
            assert re.search(r"Save for the shares? of .+?, which only the Party that advanced (?:it|them) claims "
                             r"under paragraph \d+, the Assisting Party|claimed by the Bridging Party in place of the "
                             r"Assisting Party", cost), name  # fmt: skip
    assert seen >= 3


def test_the_open_bearer_of_what_donors_leave_names_the_candidates(drafts):
    for name, advice in drafts.items():
        text = flat(" ".join([article_text(advice, "cost_allocation")] + [x.text for x in advice.draft.annexes]))
        assert "the Party or Parties that bear any part of it that those contributions do not cover" not in text, name
        assert "(stateless persons), not charged" not in text, name


def test_a_participant_controller_is_accountable_on_the_memorandum_s_terms(drafts):
    seen = 0
    for name, advice in drafts.items():
        text = flat(article_text(advice, "data_protection"))
        m = re.search(r"as (?:a Participant|Participants), will assume that accountability", text)
        if m:
            seen += 1
            assert "not legally binding" in text[m.end() : m.end() + 200], name
    assert seen >= 2


def test_the_final_article_is_headed_final_provisions(drafts):
    for name, advice in drafts.items():
        headings = [a.heading for a in advice.draft.articles if a.clause == "final_provisions"]
        assert headings == ["Final Provisions"], name


# ---------------------------------------------------------------- round 20 readings


def test_the_depositary_s_own_withdrawal_and_notification_have_a_date(drafts):
    seen = 0
    for name, advice in drafts.items():
        final = flat(article_text(advice, "final_provisions"))
        if "by written notification to the depositary" not in final:
            continue
        seen += 1
        assert "where the depositary itself withdraws, by written notification to each of the other Parties" in final
        assert "where the depositary withdraws, by the last of the other Parties to receive it" in final, name
        eif = flat(article_text(advice, "entry_into_force"))
        if "inform the depositary designated in" in eif:
            assert "the depositary making its own notification to the other Parties" in eif, name
    assert seen >= 20


def test_an_amendment_of_an_annex_says_when_it_enters_into_force(drafts):
    seen = 0
    for name, advice in drafts.items():
        if advice.draft.instrument != "Agreement" or not number(advice, "entry_into_force"):
            continue
        seen += 1
        final = flat(article_text(advice, "final_provisions"))
        assert (
            "An amendment of an annex shall enter into force on the date of receipt of the last of the written "
            "agreements of the Parties, unless a Party states in its agreement that its internal procedures must "
            "first be completed, in which case it shall enter into force as Article "
        ) + number(advice, "entry_into_force") in final, name
    assert seen >= 20


def test_the_participants_are_named_and_their_participation_accepted(drafts):
    seen = 0
    for name, advice in drafts.items():
        memo = next((x.text for x in advice.draft.annexes if "Memorandum of Participation" in x.title), "")
        if not memo:
            continue
        seen += 1
        assert "is accepted in writing by all the Parties to the Agreement" in memo, name
        depositary = "Recorded by the depositary, on behalf of the Parties to the Agreement:" in memo
        assert depositary == (len(advice.draft.designations) > 2), name
        assert re.search(r'\(the "Participants?"\)', memo), name
    assert seen >= 5


def test_an_article_cites_its_own_paragraphs_without_its_number(drafts):
    for name, advice in drafts.items():
        for a in advice.draft.articles:
            assert not re.search(rf"paragraphs? [\d, and to]+ of Article {a.number}\b", a.text), (name, a.number)


def test_annex_b_names_the_bearer_of_each_row(drafts):
    seen = 0
    for name, advice in drafts.items():
        costs = next((x for x in advice.draft.annexes if x.title.startswith("Annex B.")), None)
        if costs is None or not costs.rows:
            continue
        seen += 1
        if costs.columns[1] == "Share":
            assert costs.columns[0] == "Bearer", name
            for row in costs.rows:
                assert not row[0].startswith("Donor contributions sought by International"), name
    assert seen >= 10


def test_alert_phases_never_evacuate_where_the_operations_article_moves_no_one(drafts):
    """Round 21 (crew_change_seafarers, heavy): the alert phases had the Parties "carry out Evacuation" while the
    operations article organizes no movement."""
    seen = 0
    for name, advice in drafts.items():
        ops = next((a for a in advice.draft.articles if a.clause == "operations"), None)
        activation = flat(article_text(advice, "activation"))
        if ops is None or "mandatory evacuation phase" not in activation:
            continue
        if ops.variant == "crew_change":
            seen += 1
            assert "the Parties carry out Evacuation" not in activation, name
            assert "arrange Relocation to safer areas" not in activation, name
        else:
            assert "the Parties carry out Evacuation" in activation, name
    assert seen >= 1


def test_seafarers_costs_in_transit_are_borne_as_the_crew_change_article_provides(drafts):
    for name, advice in drafts.items():
        crew = number(advice, "seafarer_crew_change")
        transit = flat(article_text(advice, "transit_reception"))
        if crew and "contribution in kind" in transit:
            expected = "the costs of the travel, accommodation, subsistence and medical care of seafarers, in transit"
            assert f"{expected} as elsewhere, are borne as Article {crew} provides" in transit, name


def test_provisional_application_has_an_end_and_participants_are_no_recipient_parties(drafts):
    """Round 21: "provisional application has no way to end" (car2014, chad2008); "a Participant is treated as a
    Recipient Party", bound by the Protocol's "shall" (five drafts)."""
    seen = 0
    for name, advice in drafts.items():
        eif = flat(article_text(advice, "entry_into_force"))
        if "shall apply this Agreement provisionally" in eif and "shall so declare at signature" in eif:
            seen += 1
            assert "The provisional application of this Agreement by a signatory ends on its entry into force" in eif
        data = flat(article_text(advice, "data_protection"))
        assert "and every Participant, processes" not in data, name
    assert seen >= 5
