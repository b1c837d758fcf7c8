"""Round 17 (issue 13, rubric points 8 and 11): survival clauses cite paragraphs, not "the provisions of Article 11
on costs".

A clause marks a paragraph with ``label('costs')``; the final provisions cite ``paragraphs(clause, 'costs')``, which
the assembly resolves to "paragraphs 4 and 5 of Article 11" once the articles are numbered, or to the article's
number where no paragraph bears the label. The markers are control characters that scenario text never carries.
"""

from __future__ import annotations

import re

import pytest

from assistant.domain.clauses import (
    Clause,
    paragraph_labels,
    render_body,
    resolve_paragraphs,
)
from assistant.domain.scenario import clean_text
from tests.domain.corpus import IDS, corpus_advice, whole_text

MARKERS = re.compile(r"[\x1d\x1e\x1f]")


def clause(body: str) -> Clause:
    return Clause.model_validate(
        {
            "id": "demo",
            "topic": "cost_allocation",
            "title": "Demo",
            "source": "test",
            "variants": {"standard": {"body": body}},
        }
    )


BODY = (
    "1. Scope.\n\n2. {{ label('costs') }}Costs are reimbursed.\n\n3. Other.\n\n"
    "4. {{ label('costs') }}{{ label('agency') }}Advances.\n\n5. See {{ paragraphs('demo', 'costs') }}."
)


def test_labelled_paragraphs_are_found_by_their_numbers():
    text = render_body(clause(BODY), "standard", {}, anchors=True)
    assert paragraph_labels(text) == {"costs": [2, 4], "agency": [4]}


@pytest.mark.parametrize(
    ("found", "words"),
    [
        ([4], "paragraph 4 of Article 11"),
        ([4, 6], "paragraphs 4 and 6 of Article 11"),
        ([4, 5, 6], "paragraphs 4 to 6 of Article 11"),
        ([8, 4, 5], "paragraphs 4, 5 and 8 of Article 11"),
    ],
)
def test_a_citation_names_the_paragraphs(found, words):
    text = "\x1ddemo|costs\x1f"
    assert resolve_paragraphs(text, {"demo": {"costs": found}}, {"demo": "Article 11"}) == words


def test_a_citation_without_labelled_paragraphs_falls_back_to_the_article():
    assert resolve_paragraphs("the provisions of \x1ddemo|costs\x1f", {}, {"demo": "Annex D"}) == (
        "the provisions of Annex D"
    )
    assert "not part of this draft" in resolve_paragraphs("\x1dabsent|costs\x1f", {}, {})


def test_outside_a_draft_the_labels_vanish_and_a_citation_is_the_article():
    text = render_body(clause(BODY), "standard", {}, article=lambda cid: "Article 7")
    assert not MARKERS.search(text)
    assert "5. See Article 7." in text


def test_scenario_text_cannot_forge_a_marker():
    assert clean_text("Republic of \x1ddemo|costs\x1f Zelvara\x1e") == "Republic of demo|costs Zelvara"


@pytest.mark.parametrize("name", IDS)
def test_no_marker_survives_and_every_cited_paragraph_exists(name):
    advice = corpus_advice(name)
    draft = advice.draft
    texts = [whole_text(advice), draft.signatures] + [cell for x in draft.annexes for row in x.rows for cell in row]
    assert not any(MARKERS.search(t) for t in texts)
    paragraphs = {
        a.number: {int(m[1]) for p in a.text.split("\n\n") if (m := re.match(r"(\d+)\. ", p))} for a in draft.articles
    }
    for cited, article in re.findall(r"paragraphs? ([\d, and to]+?) of Article (\d+)", whole_text(advice)):
        numbers = {int(n) for n in re.findall(r"\d+", cited)}
        if " to " in cited:
            low, high = min(numbers), max(numbers)
            numbers = set(range(low, high + 1))
        assert numbers <= paragraphs.get(article, set()), (name, cited, article)


@pytest.mark.parametrize("name", [n for n in IDS if "consular" in n or "chad2008" in n])
def test_survival_of_consular_costs_cites_paragraphs(name):
    text = whole_text(corpus_advice(name))
    if "shall continue to apply thereafter" not in text or "Consular assistance on behalf" not in text:
        pytest.skip("no consular agency article in this draft")
    assert not re.search(r"the provisions of Article \d+ on costs", text)
    assert re.search(r"the provisions of paragraphs? [\d, and to]+ of Article \d+ on costs", text)
