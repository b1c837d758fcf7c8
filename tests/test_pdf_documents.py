"""The PDF of each example draft, checked by text extraction: cover, contents whose page numbers are
right, every article present, running header with title and version, page numbers, metadata, review copy."""

import re
from functools import cache
from io import BytesIO

import pytest
from pypdf import PdfReader

from assistant.documents.render import document_pdf
from assistant.domain.evaluate import default_library, evaluate
from assistant.domain.review import review_notes
from assistant.domain.scenario import load_scenario
from tests.helpers import EXAMPLES

PICKED = [p for p in EXAMPLES if p.stem in ("evacuation_multinational", "consular_reciprocity")]


@cache
def rendered(path, review=False, final=False):
    advice = evaluate(load_scenario(path))
    notes = review_notes(advice, default_library()) if review else None
    pdf = document_pdf(advice.draft, version="version 3", review=notes, final=final)
    reader = PdfReader(BytesIO(pdf))
    return advice, reader, [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize("path", PICKED, ids=lambda p: p.stem)
def test_contents_page_numbers_point_at_the_articles(path):
    advice, _, pages = rendered(path)
    contents = next(i for i, t in enumerate(pages) if "Contents" in t)
    entries = re.findall(r"Article (\d+)\. .*?\.{3,}\s*(\d+)", pages[contents])
    assert [int(n) for n, _ in entries] == list(range(1, len(advice.draft.articles) + 1))
    for number, page in entries:
        assert f"ARTICLE {number}\n" in pages[int(page) - 1] + "\n", f"Article {number} is not on page {page}"


@pytest.mark.parametrize("path", PICKED, ids=lambda p: p.stem)
def test_every_article_and_annex_is_in_the_pdf(path):
    advice, _, pages = rendered(path)
    text = "\n".join(pages)
    for article in advice.draft.articles:
        assert f"ARTICLE {article.number}" in text
    for annex in advice.draft.annexes:
        assert annex.title.split(".")[0] in text
    # the signature block closes the document: a treaty's testimonium, or a memorandum's record of understandings
    closing = "The foregoing record" if advice.draft.instrument.startswith("Memorandum") else "IN WITNESS WHEREOF"
    assert closing in text


def test_cover_header_footer_and_metadata():
    advice, reader, pages = rendered(PICKED[0])
    assert "DRAFT FOR NEGOTIATION" in pages[0]
    assert "version 3" in pages[0]
    assert advice.draft.title.split()[0] in pages[0]
    assert "version 3 · DRAFT" in pages[3]
    assert advice.draft.title in pages[3]  # running header
    assert f"Page 4 of {len(pages)}" in pages[3]
    assert reader.metadata.title == advice.draft.title
    assert "MICIC Guideline 7" in reader.metadata.get("/Keywords", "")
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_final_text_carries_no_draft_marking():
    _, _, pages = rendered(PICKED[0], final=True)
    assert "DRAFT" not in "\n".join(pages)


def test_review_copy_explains_every_article():
    advice, _, pages = rendered(PICKED[0], review=True)
    text = "\n".join(pages)
    annexed = [a for a in advice.draft.annexes if a.clause]
    assert text.count("Why this is here") == len(advice.draft.articles) + len(annexed)
    assert "Other texts the parties could use" in text
    _, _, clean = rendered(PICKED[0])
    assert "Why this is here" not in "\n".join(clean)
