"""Render a redline between two drafts as a standalone page and as a PDF (WeasyPrint).

Like ``assistant.render`` it uses its own Jinja environment, so the CLI could use it too. Insertions are
underlined and deletions struck through, so the marking reads in black and white as well as in colour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ..domain.advice import Draft
from ..domain.redline import ArticleChange, redline, summarize
from .render import DOCUMENT_CSS, _env


def redline_html(
    old: Draft,
    new: Draft,
    *,
    old_label: str,
    new_label: str,
    changes: list[ArticleChange] | None = None,
    statuses: tuple[str, str] | None = None,
    dated: date | None = None,
) -> str:
    """The redline from ``old`` to ``new`` as one self-contained page (inline CSS); ``dated``: the date it shows
    (the later version's, so the page and its cached PDF do not change from day to day), today's by default."""
    changes = redline(old, new) if changes is None else changes
    today = dated or datetime.now(UTC).date()
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
