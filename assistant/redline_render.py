"""Render a redline between two drafts as a standalone page and as a PDF (WeasyPrint).

Like ``assistant.render`` it uses its own Jinja environment, so the CLI could use it too. Insertions are
underlined and deletions struck through, so the marking reads in black and white as well as in colour.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .domain.advice import Draft
from .domain.redline import ArticleChange, redline, summarize
from .render import DOCUMENT_CSS, STATIC_DIR, _env, static_only_fetcher


def redline_html(
    old: Draft,
    new: Draft,
    *,
    old_label: str,
    new_label: str,
    changes: list[ArticleChange] | None = None,
    statuses: tuple[str, str] | None = None,
) -> str:
    """The redline from ``old`` to ``new`` as one self-contained page (inline CSS)."""
    changes = redline(old, new) if changes is None else changes
    today = datetime.now(UTC).date()
    return (
        _env()
        .get_template("documents/redline.html")
        .render(
            old=old,
            new=new,
            old_label=old_label,
            new_label=new_label,
            statuses=statuses,
            changes=changes,
            summary=summarize(changes),
            css=DOCUMENT_CSS.read_text(encoding="utf-8"),
            created=today.isoformat(),
            date=f"{today.day} {today:%B %Y}",
        )
    )


def redline_pdf(
    old: Draft,
    new: Draft,
    *,
    old_label: str,
    new_label: str,
    changes: list[ArticleChange] | None = None,
    statuses: tuple[str, str] | None = None,
    variant: str | None = "pdf/ua-1",
) -> bytes:
    """The redline as a tagged PDF: a summary, then every part with insertions underlined and deletions
    struck through; the title and the two versions on every page, "Page X of Y" below."""
    from weasyprint import HTML

    html = redline_html(old, new, old_label=old_label, new_label=new_label, changes=changes, statuses=statuses)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher())
    return document.write_pdf(pdf_variant=variant, custom_metadata=True)
