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
