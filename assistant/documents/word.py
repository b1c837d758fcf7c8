"""Render a draft as a Word document (DOCX) that lawyers can continue with tracked changes.

The structure follows the HTML and PDF documents (``render.py``): title, contents, parties, preamble, articles,
signatures, then the annexes, each on a new page. Articles use the built-in "Heading 1" style and their
paragraphs a real Word list (numbering definition in the numbering part, restarted for each article), so
Word shows and renumbers them. Text goes in only through python-docx, which escapes it; the few things
python-docx has no API for (fields, numbering definitions, shading, repeated table headers) are added as
WordprocessingML elements.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..domain.advice import Annex, Article, Draft
from ..domain.review import ReviewNote

SUBJECT = "Coordination agreement (MICIC Guideline 7)"
AUTHOR = "Agreement Assistant"
KEYWORDS = "MICIC; Guideline 7; coordination agreement; migrants in countries in crisis; draft agreement"

PARAGRAPH_STYLE = "Agreement Paragraph"
SIGNATURE_STYLE = "Signature Block"
REVIEW_STYLE = "Review Note"
REVIEW_HEADING_STYLE = "Review Note Heading"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4, as the PDF
MARGIN_X, MARGIN_Y = Mm(20), Mm(25)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
INK = RGBColor(0x1F, 0x2A, 0x44)
DRAFT_RED = RGBColor(0x8A, 0x1C, 0x1C)
REVIEW_FILL, REVIEW_RULE = "EEF1F6", "5B6B8C"

_TYPED_NUMBER = re.compile(r"^(\d+)\.\s+")
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_LIST_LEVELS = (("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)"))
_INDENT_TWIPS = 567  # 1 cm per list level
_LIST_NSID = "4D494337"  # fixed, so the same draft gives the same file


def document_docx(
    draft: Draft, *, version: str | None = None, review: dict[str, ReviewNote] | None = None, final: bool = False
) -> bytes:
    """The agreement as a DOCX file; with ``review``, the review copy (a shaded note after each article)."""
    doc = Document()
    _define_styles(doc)
    _set_properties(doc, draft, version=version, final=final)
    _set_up_page(doc.sections[0], draft.title, _version_label(version, review, final), final)
    abstract_id = _add_list_definition(doc)
    _add_front_matter(doc, draft, review, final)
    for article in draft.articles:
        _add_article(doc, article, abstract_id)
        _add_review_note(doc, (review or {}).get(article.clause), f"Article {article.number}")
    _add_signatures(doc, draft.signatures)
    _add_review_note(doc, (review or {}).get("signatures"), "Signatures")
    for annex in draft.annexes:
        _add_annex(doc, annex, abstract_id)
        _add_review_note(doc, (review or {}).get(annex.clause) if annex.clause else None, annex.title)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- document set-up


def _version_text(version: str | None) -> str:
    """The version as shown: "Version 3" for a bare number, as given otherwise, "working draft" without one."""
    if not version:
        return "working draft"
    return f"Version {version}" if version.isdigit() else _safe(version)


def _version_label(version: str | None, review: dict | None, final: bool) -> str:
    """What the running header says after the title: the version, review copy, DRAFT."""
    parts = [_version_text(version)]
    if review is not None:
        parts.append("review copy")
    if not final:
        parts.append("DRAFT")
    return " · ".join(parts)


def _set_properties(doc: WordDocument, draft: Draft, *, version: str | None, final: bool) -> None:
    """Core properties (File > Info in Word): title, subject, author, keywords, version and status."""
    props = doc.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.title, props.subject, props.keywords = _safe(draft.title), SUBJECT, KEYWORDS
    props.author = props.last_modified_by = AUTHOR
    props.category = "Coordination agreement"
    props.content_status = "Final" if final else "Draft"
    props.language = "en"
    props.created = props.modified = now
    status = "Final text" if final else "Draft for negotiation"
    props.comments = f"{status} — {_version_text(version)}" if version else status
    number = re.search(r"\d+", version or "")
    props.revision = int(number.group()) if number and int(number.group()) > 0 else 1


def _set_up_page(section: Section, title: str, label: str, final: bool) -> None:
    """A4 pages; the title and the version (with DRAFT unless final) on every page; "Page X of Y" below."""
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_X
    section.top_margin = section.bottom_margin = MARGIN_Y
    header = section.header.paragraphs[0]
    header.add_run(_safe(title))
    header.add_run("\t")
    marking = header.add_run(label)
    marking.bold = not final
    marking.font.color.rgb = DRAFT_RED if not final else INK
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _add_field(footer, "NUMPAGES", "1")


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a field (PAGE, NUMPAGES) as Word writes it: begin, instruction, separate, result, end."""
    _field_char(paragraph, "begin")
    code = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    _field_char(paragraph, "separate")
    paragraph.add_run(placeholder)
    _field_char(paragraph, "end")


def _field_char(paragraph: Paragraph, kind: str) -> None:
    """One ``w:fldChar`` marker in a run of its own."""
    paragraph.add_run()._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))


# ---------------------------------------------------------------- text


def _safe(text: str) -> str:
    """Text Word can store: Word's own line and page breaks pasted in (vertical tab, form feed) become line
    breaks, other control characters (which XML cannot hold) are dropped."""
    text = text.replace("\r\n", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return _XML_INVALID.sub("", text)


def _add_paragraph(doc: WordDocument, text: str, style: str) -> Paragraph:
    """``doc.add_paragraph(text, style=style)``, but setting the style by its id.

    python-docx resolves a style name by scanning every style in the document, which made a long
    agreement take seconds; the ids of the styles used here are their names without spaces.
    """
    paragraph = doc.add_paragraph(_safe(text))
    paragraph._p.get_or_add_pPr().style = style.replace(" ", "")
    return paragraph


def _paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a text (paragraphs are separated by blank lines)."""
    return [p.strip() for p in text.split("\n\n") if p.strip()]


# ---------------------------------------------------------------- styles


def _define_styles(doc: WordDocument) -> None:
    """Tune the built-in styles and add the assistant's own (paragraphs, signatures, review notes)."""
    styles = doc.styles
    styles["Normal"].font.size = Pt(11)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    for name in ("Title", "Heading 1"):
        styles[name].font.color.rgb = INK
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8)
    header_tabs = styles["Header"].paragraph_format.tab_stops
    header_tabs.clear_all()  # title on the left, version and DRAFT against the right margin
    header_tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    body = styles.add_style(PARAGRAPH_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    body.paragraph_format.space_after = Pt(8)
    signature = styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    signature.base_style = styles["Normal"]
    signature.paragraph_format.space_before, signature.paragraph_format.space_after = Pt(12), Pt(0)
    _define_review_styles(doc)


def _define_review_styles(doc: WordDocument) -> None:
    """Define the review styles: small text on a shaded background with a rule on the left, and a bold heading."""
    note = doc.styles.add_style(REVIEW_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = doc.styles["Normal"]
    note.font.size = Pt(9)
    note.font.color.rgb = RGBColor(0x33, 0x3B, 0x4D)
    ppr = note.element.get_or_add_pPr()  # border and shading first: python-docx keeps the schema order after them
    borders = OxmlElement("w:pBdr")
    borders.append(_border("w:left", sz="24", space="8", color=REVIEW_RULE))
    ppr.append(borders)
    ppr.append(OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): REVIEW_FILL}))
    fmt = note.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(4), Mm(2)
    fmt.space_before, fmt.space_after = Pt(0), Pt(3)
    heading = doc.styles.add_style(REVIEW_HEADING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = note
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(6)


def _border(tag: str, **attrs: str) -> OxmlElement:
    """A single-line paragraph border edge."""
    return OxmlElement(tag, {qn("w:val"): "single"} | {qn(f"w:{k}"): v for k, v in attrs.items()})


# ---------------------------------------------------------------- numbering


def _add_list_definition(doc: WordDocument) -> int:
    """Add the abstract numbering definition for article paragraphs: 1. / (a) / (i). Return its id."""
    numbering = doc.part.numbering_part.element
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=-1) + 1
    abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
    abstract.append(OxmlElement("w:nsid", {qn("w:val"): _LIST_NSID}))
    abstract.append(OxmlElement("w:multiLevelType", {qn("w:val"): "multilevel"}))
    for level, (fmt, text) in enumerate(_LIST_LEVELS):
        abstract.append(_list_level(level, fmt, text))
    first_num = numbering.find(qn("w:num"))  # every abstractNum must precede every num
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    return abstract_id


def _list_level(level: int, fmt: str, text: str) -> OxmlElement:
    """One ``w:lvl``: start at 1, the number format, its text, and a hanging indent."""
    lvl = OxmlElement("w:lvl", {qn("w:ilvl"): str(level)})
    for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text), ("w:lvlJc", "left")):
        lvl.append(OxmlElement(tag, {qn("w:val"): value}))
    ppr = OxmlElement("w:pPr")
    left = str(_INDENT_TWIPS * (level + 1))
    ppr.append(OxmlElement("w:ind", {qn("w:left"): left, qn("w:hanging"): str(_INDENT_TWIPS)}))
    lvl.append(ppr)
    return lvl


def _new_list(doc: WordDocument, abstract_id: int) -> int:
    """A new list instance of the definition, restarting at 1; return its ``numId``."""
    num = doc.part.numbering_part.element.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _number(paragraph: Paragraph, num_id: int) -> None:
    """Make a paragraph an item of a list (level 0)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _typed_numbers_in_order(paragraphs: list[str]) -> bool:
    """True when the typed numbers run 1, 2, 3 … so Word's numbering shows exactly the same numbers."""
    numbers = [int(m.group(1)) for p in paragraphs if (m := _TYPED_NUMBER.match(p))]
    return bool(numbers) and numbers == list(range(1, len(numbers) + 1))


def _add_numbered(doc: WordDocument, text: str, abstract_id: int) -> None:
    """Add paragraphs, turning typed "1. " numbers into a real list restarting at 1.

    Paragraphs without a typed number stay plain; if the typed numbers skip or repeat, all are kept
    as typed, since Word's renumbering would otherwise change the numbers cross references rely on.
    """
    paragraphs = _paragraphs(text)
    num_id = _new_list(doc, abstract_id) if _typed_numbers_in_order(paragraphs) else None
    for para in paragraphs:
        typed = _TYPED_NUMBER.match(para)
        if typed and num_id is not None:
            _number(_add_paragraph(doc, para[typed.end() :], PARAGRAPH_STYLE), num_id)
        else:
            _add_paragraph(doc, para, PARAGRAPH_STYLE)


# ---------------------------------------------------------------- content


def _add_front_matter(doc: WordDocument, draft: Draft, review: dict[str, ReviewNote] | None, final: bool) -> None:
    """Title, contents, then the parties block and the preamble as normal paragraphs."""
    if not final:
        mark = doc.add_paragraph().add_run("Draft for negotiation")
        mark.bold, mark.font.color.rgb = True, DRAFT_RED
    _add_paragraph(doc, draft.title, "Title")
    _add_contents(doc, draft)
    for block, label in ((draft.parties, "Parties"), (draft.preamble, "Preamble")):
        for para in _paragraphs(block):
            _add_paragraph(doc, para, "Normal")
        _add_review_note(doc, (review or {}).get(label.lower()), label)


def _add_contents(doc: WordDocument, draft: Draft) -> None:
    """A Word table of contents (TOC field over "Heading 1"), pre-filled with the headings until Word updates it."""
    entries = [f"Article {a.number}. {a.heading}" for a in draft.articles] + [x.title for x in draft.annexes]
    if not entries:
        return
    _add_paragraph(doc, "Contents", "TOC Heading")
    paragraphs = [doc.add_paragraph() for _ in entries]
    _field_char(paragraphs[0], "begin")
    code = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    code.text = ' TOC \\o "1-1" \\h \\z \\u '
    paragraphs[0].add_run()._r.append(code)
    _field_char(paragraphs[0], "separate")
    for paragraph, entry in zip(paragraphs, entries, strict=True):
        paragraph.add_run(_safe(entry))
        paragraph.paragraph_format.space_after = Pt(0)
    _field_char(paragraphs[-1], "end")
    paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _add_article(doc: WordDocument, article: Article, abstract_id: int) -> None:
    """The article's heading ("Article N. Heading", style "Heading 1"), then its paragraphs as a numbered list."""
    _add_paragraph(doc, f"Article {article.number}. {article.heading}", "Heading 1")
    _add_numbered(doc, article.text, abstract_id)


def _signature_blocks(signatures: str) -> tuple[list[str], list[list[str]]]:
    """The testimonium's lines, and the signature blocks: each from a "For …" line to the next one."""
    lines = [line.strip() for line in signatures.split("\n") if line.strip()]
    first = next((i for i, line in enumerate(lines) if line.startswith("For ")), len(lines))
    blocks: list[list[str]] = []
    for line in lines[first:]:
        if line.startswith("For "):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return lines[:first], blocks


def _add_signatures(doc: WordDocument, signatures: str) -> None:
    """The testimonium, kept with the first block, and the signature blocks, each kept together on one page."""
    testimonium, blocks = _signature_blocks(signatures)
    for line in testimonium:
        _add_paragraph(doc, line, PARAGRAPH_STYLE).paragraph_format.keep_with_next = bool(blocks)
    for block in blocks:
        for i, line in enumerate(block):
            fmt = _add_paragraph(doc, line, SIGNATURE_STYLE).paragraph_format
            fmt.keep_together = True
            fmt.keep_with_next = i < len(block) - 1
            if i == 0:
                fmt.space_before = Pt(24)


def _add_annex(doc: WordDocument, annex: Annex, abstract_id: int) -> None:
    """An annex on a new page: its note, then its table, or else its text."""
    heading = _add_paragraph(doc, annex.title, "Heading 1")
    heading.paragraph_format.page_break_before = True
    if annex.note:
        _add_paragraph(doc, annex.note, PARAGRAPH_STYLE)
    if annex.rows:
        _add_table(doc, annex.columns, annex.rows)
    elif not annex.note:
        _add_numbered(doc, annex.text, abstract_id)


def _add_table(doc: WordDocument, columns: list[str], rows: list[list[str]]) -> Table:
    """A "Table Grid" table whose first row is a header row, repeated on every page."""
    table = doc.add_table(rows=1, cols=len(columns), style="Table Grid")
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, name in zip(header.cells, columns, strict=True):
        cell.paragraphs[0].add_run(_safe(name)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = _safe(value)
    return table


# ---------------------------------------------------------------- review notes


def _add_review_note(doc: WordDocument, note: ReviewNote | None, where: str) -> None:
    """The shaded review block: why the clause is there, its source, the variant used and the alternatives."""
    if note is None:
        return
    _add_paragraph(doc, f"Review note — {where}", REVIEW_HEADING_STYLE)
    for finding in note.findings:
        _note_line(doc, ("Draft check: ", finding))
    for reason in note.reasons:
        _note_line(doc, ("Rule: ", f"{reason.title} ({reason.id})"))
        if reason.rationale:
            _note_line(doc, ("Why: ", reason.rationale))
        if reason.facts:
            _note_line(doc, ("Facts matched: ", "; ".join(reason.facts)))
        if reason.source:
            _note_line(doc, ("Rule source: ", reason.source))
    if not note.reasons:
        _note_line(doc, ("Rule: ", "no fired rule recorded for this clause"))
    _note_line(doc, ("Clause: ", note.clause), ("  Source: ", note.source or "not recorded"))
    _note_line(doc, ("Variant used: ", note.variant), ("  Playbook: ", note.playbook or "no notes"))
    _add_alternatives(doc, note)


def _add_alternatives(doc: WordDocument, note: ReviewNote) -> None:
    """The other variants of the clause, with their playbook notes."""
    if not note.alternatives:
        _note_line(doc, ("Alternatives: ", "none in the clause library"))
        return
    _note_line(doc, ("Alternatives:", ""))
    for alt in note.alternatives:
        binding = {True: " (binding)", False: " (non-binding)"}.get(alt.binding, "")
        _note_line(doc, (f"{alt.variant}{binding}: ", alt.playbook or "no notes"))


def _note_line(doc: WordDocument, *parts: tuple[str, str]) -> Paragraph:
    """One paragraph of a review note: bold labels, each followed by its text."""
    paragraph = _add_paragraph(doc, "", REVIEW_STYLE)
    for label, text in parts:
        paragraph.add_run(_safe(label)).bold = True
        if text:
            paragraph.add_run(_safe(text))
    return paragraph
