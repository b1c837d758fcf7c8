"""The Word copy: real headings and numbering, tables, fields and metadata; review notes only in the review copy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from itertools import takewhile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from assistant.documents.word import REVIEW_HEADING_STYLE, REVIEW_STYLE, SUBJECT, document_docx
from assistant.domain.advice import Annex, Article, Draft
from assistant.domain.evaluate import default_library, evaluate
from assistant.domain.review import ReviewNote, review_notes
from assistant.domain.scenario import load_scenario

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))
TYPED = re.compile(r"^\d+\.\s")
REVIEW_STYLES = {REVIEW_STYLE, REVIEW_HEADING_STYLE}


@dataclass
class Example:
    draft: Draft
    review: dict[str, ReviewNote]
    clean: WordDocument
    reviewed: WordDocument


def reopen(data: bytes) -> WordDocument:
    return Document(BytesIO(data))


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def example(request) -> Example:
    """An example scenario's draft, written as a clean copy and a review copy and read back."""
    advice = evaluate(load_scenario(request.param))
    review = review_notes(advice, default_library())
    return Example(
        draft=advice.draft,
        review=review,
        clean=reopen(document_docx(advice.draft, version="2")),
        reviewed=reopen(document_docx(advice.draft, version="2", review=review)),
    )


def styled(doc: WordDocument) -> list[tuple[str, Paragraph]]:
    """Each paragraph with its style name (``Paragraph.style`` looks the style up anew each time, which is slow)."""
    names = {style.style_id: style.name for style in doc.styles}
    return [(names.get(p._p.style or "Normal", "?"), p) for p in doc.paragraphs]


def headings(doc: WordDocument) -> list[str]:
    return [p.text for style, p in styled(doc) if style == "Heading 1"]


def sections(doc: WordDocument) -> dict[str, list[tuple[str, Paragraph]]]:
    """The paragraphs (with their style names) under each "Heading 1", by heading text."""
    out: dict[str, list[tuple[str, Paragraph]]] = {}
    current: list[tuple[str, Paragraph]] | None = None
    for style, p in styled(doc):
        if style == "Heading 1":
            current = out.setdefault(p.text, [])
        elif current is not None:
            current.append((style, p))
    return out


def num_id(p: Paragraph) -> int | None:
    num_pr = p._p.pPr.numPr if p._p.pPr is not None else None
    return num_pr.numId.val if num_pr is not None else None


def typed_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if TYPED.match(p.strip())]


def test_headings_are_the_articles_then_the_annexes(example):
    expected = [f"Article {a.number}. {a.heading}" for a in example.draft.articles]
    expected += [annex.title for annex in example.draft.annexes]
    assert headings(example.clean) == expected
    assert headings(example.reviewed) == expected


def test_article_paragraphs_are_a_real_list_restarting_in_each_article(example):
    by_heading = sections(example.clean)
    numbering = example.clean.part.numbering_part.element
    seen: set[int] = set()
    for article in example.draft.articles:
        expected = [TYPED.sub("", t) for t in typed_paragraphs(article.text)]
        paras = [p for _, p in by_heading[f"Article {article.number}. {article.heading}"]]
        assert [p.text for p in paras[: len(expected)]] == expected
        assert not any(TYPED.match(p.text) for p in paras[: len(expected)])
        ids = {num_id(p) for p in paras[: len(expected)]}
        assert None not in ids, article.number  # every paragraph is in a list ...
        (nid,) = ids  # ... and one list per article
        assert all(num_id(p) != nid for p in paras[len(expected) :])  # the signatures follow the last article
        assert nid not in seen
        seen.add(nid)
        num = numbering.num_having_numId(nid)
        assert num.xpath("./w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val") == ["1"]
        level = f"./w:abstractNum[@w:abstractNumId='{num.abstractNumId.val}']/w:lvl[@w:ilvl='0']"
        assert numbering.xpath(f"{level}/w:numFmt/@w:val") == ["decimal"]
        assert numbering.xpath(f"{level}/w:lvlText/@w:val") == ["%1."]


def test_parties_and_preamble_are_normal_paragraphs(example):
    texts = {p.text: style for style, p in styled(example.clean)}
    for block in (example.draft.parties, example.draft.preamble):
        for para in filter(None, (p.strip() for p in block.split("\n\n"))):
            assert texts.get(para) == "Normal"


def test_annexes_start_on_a_new_page_and_tables_have_header_rows(example):
    doc, annexes = example.clean, example.draft.annexes
    starts = [p for style, p in styled(doc) if style == "Heading 1" and p.text.startswith(("Annex", "Appendix"))]
    assert [p.text for p in starts] == [a.title for a in annexes]
    assert all(p.paragraph_format.page_break_before for p in starts)
    with_rows = [a for a in annexes if a.rows]
    assert len(doc.tables) == len(with_rows)
    for table, annex in zip(doc.tables, with_rows, strict=True):
        assert table.style.name == "Table Grid"
        assert previous_heading(table._tbl) == annex.title
        assert [c.text for c in table.rows[0].cells] == annex.columns
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [[c.text for c in row.cells] for row in table.rows[1:]] == annex.rows


def previous_heading(element) -> str:
    """The text of the "Heading 1" paragraph before a body element."""
    for sibling in element.itersiblings(preceding=True):
        if sibling.xpath("./w:pPr/w:pStyle/@w:val") == ["Heading1"]:
            return "".join(sibling.xpath(".//w:t/text()"))
    return ""


def test_roles_costs_and_contacts_tables(example):
    by_title = {a.title.split(". ", 1)[1]: a for a in example.draft.annexes}
    header_rows = [[c.text for c in t.rows[0].cells] for t in example.clean.tables]
    roles = next(a for a in example.draft.annexes if a.columns and a.columns[0] == "Role")
    assert roles.columns in header_rows
    # Participants of a framework hold roles too (they sign its Memorandum of Participation)
    assert roles.columns in (["Role", "Party", "For"], ["Role", "Party or Participant", "For"])
    contacts = by_title["Contact points and communication channels"]
    assert contacts.columns in header_rows  # the Word table carries the annex's columns, whatever they are
    # the column of the holders as Annex A heads it; each acting organ is identified in Annex C (parties block)
    assert contacts.columns[0] == roles.columns[1]
    assert contacts.columns[1:5] == [
        "Acting organ and focal point (name, office)",
        "24-hour contact",
        "Channel",
        "Languages",
    ]
    costs = by_title["Allocation of costs"]
    # the Word table carries Annex B's columns (net-of-co-financing columns where the eligible costs are given)
    assert (costs.columns in header_rows) == bool(costs.rows)
    if costs.rows:
        assert costs.columns[:3] == ["Bearer", "Share", "Amount (USD)"]
        assert costs.columns[-1] == "Basis"
    assert costs.note in {p.text for p in example.clean.paragraphs}


def test_core_properties(example):
    props = example.clean.core_properties
    assert props.title == example.draft.title
    assert props.subject == SUBJECT
    assert props.author == "Agreement Assistant"
    assert "MICIC" in props.keywords
    assert "Version 2" in props.comments
    assert props.revision == 2


def test_footer_has_page_x_of_y_fields(example):
    footer = example.clean.sections[0].footer._element
    codes = [c.strip() for c in footer.xpath(".//w:instrText/text()")]
    assert codes == ["PAGE", "NUMPAGES"]
    assert "Page 1 of 1" in "".join(footer.xpath(".//w:t/text()"))


def header_text(doc: WordDocument) -> str:
    return "".join(doc.sections[0].header._element.xpath(".//w:t/text()"))


def test_header_has_title_version_and_draft_marking(example):
    text = header_text(example.clean)
    assert example.draft.title in text
    assert "Version 2" in text
    assert "DRAFT" in text
    assert "review copy" in header_text(example.reviewed)


def test_final_copy_has_no_draft_marking():
    draft = Draft(title="Final text", articles=[Article(number="1", heading="A", text="1. Text.", clause="a")])
    doc = reopen(document_docx(draft, version="7", final=True))
    assert "DRAFT" not in header_text(doc)
    assert "Final text" in header_text(doc)
    assert not any("Draft for negotiation" in p.text for p in doc.paragraphs)
    assert doc.core_properties.content_status == "Final"


def test_review_copy_has_a_note_after_every_article(example):
    by_heading = sections(example.reviewed)
    for article in example.draft.articles:
        paras = by_heading[f"Article {article.number}. {article.heading}"]
        start = len(typed_paragraphs(article.text))  # right after the article's paragraphs
        assert all(style not in REVIEW_STYLES for style, _ in paras[:start])
        assert paras[start][0] == REVIEW_HEADING_STYLE
        assert paras[start][1].text == f"Review note — Article {article.number}"
        block = takewhile(lambda sp: sp[0] == REVIEW_STYLE, paras[start + 1 :])
        text = "\n".join(p.text for _, p in block)
        note = example.review[article.clause]
        for reason in note.reasons:
            assert reason.title in text
            assert all(fact in text for fact in reason.facts)
        assert f"Clause: {article.clause}" in text
        assert f"Variant used: {note.variant}" in text
        for alt in note.alternatives:
            assert alt.variant in text
            assert alt.playbook in text


def test_clean_copy_has_no_review_notes(example):
    doc = example.clean
    assert not [p for style, p in styled(doc) if style in REVIEW_STYLES]
    assert not [p for p in doc.paragraphs if "Review note" in p.text]


def test_signature_blocks_are_kept_together(example):
    lines = [line.strip() for line in example.draft.signatures.split("\n") if line.strip()]
    starts = [i for i, line in enumerate(lines) if line.startswith("For ")]
    blocks = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    assert blocks
    paras = [p for style, p in styled(example.clean) if style == "Signature Block"]
    assert [p.text for p in paras] == lines[starts[0] :]
    at = 0
    for block in blocks:
        group = [p.paragraph_format for p in paras[at : at + len(block)]]
        assert len(block) > 1
        assert [f.keep_with_next for f in group] == [True] * (len(block) - 1) + [False]
        assert all(f.keep_together for f in group)
        at += len(block)


def test_names_with_markup_characters_survive():
    name = 'Relief & Rescue <Coastal> "Network"'
    draft = Draft(
        title=f"Agreement with {name}",
        parties=f"1. This Agreement is concluded with {name}.",
        articles=[Article(number="1", heading=f"Role of {name}", text=f"1. {name} shall assist.", clause="c")],
        annexes=[Annex(title="Annex A. Roles", text="", columns=["Role", "Party"], rows=[["lead", name]])],
        signatures=f"For {name}\nSignature: ____",
    )
    doc = reopen(document_docx(draft, version="<1>"))
    texts = [p.text for p in doc.paragraphs]
    assert doc.core_properties.title == f"Agreement with {name}"
    assert f"Article 1. Role of {name}" in texts
    assert f"{name} shall assist." in texts
    assert f"For {name}" in texts
    assert doc.tables[0].rows[1].cells[1].text == name
    assert "<1>" in header_text(doc)


def test_typed_numbers_out_of_order_and_plain_paragraphs_stay_as_written():
    draft = Draft(
        title="T",
        articles=[
            Article(number="1", heading="Skips", text="1. One.\n\n3. Three.", clause="a"),
            Article(number="2", heading="Mixed", text="1. One.\n\nA plain paragraph.\n\n2. Two.", clause="b"),
            Article(number="3", heading="Decimal", text="3.1 Sub.\n\n3.2 Sub.", clause="c"),
        ],
    )
    by_heading = sections(reopen(document_docx(draft)))
    skips, mixed, decimal = (
        [p for _, p in by_heading[f"Article {n}. {h}"]] for n, h in ((1, "Skips"), (2, "Mixed"), (3, "Decimal"))
    )
    assert [(p.text, num_id(p)) for p in skips] == [("1. One.", None), ("3. Three.", None)]
    assert [p.text for p in mixed] == ["One.", "A plain paragraph.", "Two."]
    assert num_id(mixed[0]) == num_id(mixed[2]) is not None
    assert num_id(mixed[1]) is None
    assert [(p.text, num_id(p)) for p in decimal] == [("3.1 Sub.", None), ("3.2 Sub.", None)]


def test_control_characters_pasted_from_word_do_not_break_the_file():
    draft = Draft(title="Line\x0bbreak", articles=[Article(number="1", heading="A\x01", text="1. x\x0cy", clause="a")])
    doc = reopen(document_docx(draft, version="v\x00"))
    assert doc.core_properties.title == "Line\nbreak"
    assert headings(doc) == ["Article 1. A"]
