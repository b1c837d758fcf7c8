"""Render a draft as a document: standalone HTML, PDF (WeasyPrint) and contract JSON.

This module is shared by the web app and the CLI, so it uses its own Jinja environment
(autoescaping, the repository's ``templates/``) rather than Flask's.
"""

from __future__ import annotations

import json
import mimetypes
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..config import ROOT
from ..domain.advice import Advice, Draft
from ..domain.draft_check import checked_answer
from ..domain.review import ReviewNote
from ..domain.scenario import Scenario

STATIC_DIR = ROOT / "assistant" / "static"
DOCUMENT_CSS = STATIC_DIR / "css" / "document.css"


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(ROOT / "templates"), autoescape=select_autoescape(default=True))


def document_html(
    draft: Draft,
    *,
    version: str | None = None,
    review: dict[str, ReviewNote] | None = None,
    final: bool = False,
    inline_css: bool = True,
    dated: date | None = None,
) -> str:
    """The agreement as one self-contained page, with a cover and contents; with ``review``, the review copy.
    ``dated``: the date on the cover (a saved version's own date, so its page, and the PDF cached by the page's
    content, stay the same from one day to the next); today's for the working draft."""
    css = DOCUMENT_CSS.read_text(encoding="utf-8") if inline_css else ""
    today = dated or datetime.now(UTC).date()
    return (
        _env()
        .get_template("documents/agreement.html")
        .render(
            draft=draft,
            toc=True,
            cover=True,
            css=css,
            version=version or "working draft",
            review=review,
            final=final,
            created=today.isoformat(),
            date=f"{today.day} {today:%B %Y}",
        )
    )


def advice_json(advice: Advice, scenario: Scenario | None = None) -> str:
    """The answer as contract §3 JSON text, with the draft check's findings (``checks``; with the scenario it was
    drafted from, the check also says who must sign and compares Annex B with the computed shares)."""
    return json.dumps(checked_answer(advice.to_contract(), scenario), ensure_ascii=False, indent=2)


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves the app's own static files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or not path.is_relative_to(STATIC_DIR) or not path.is_file():
                raise ValueError(f"refused to fetch {url!r}: only the assistant's static files may be used")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher()


def document_pdf(
    draft: Draft,
    *,
    variant: str | None = "pdf/ua-1",
    version: str | None = None,
    review: dict[str, ReviewNote] | None = None,
    final: bool = False,
) -> bytes:
    """The agreement as a tagged PDF: cover, contents with page numbers, running header with title and
    version, a DRAFT marking (unless final), "Page X of Y" and document metadata."""
    return pdf_from_html(document_html(draft, version=version, review=review, final=final), variant=variant)


def pdf_from_html(html: str, *, variant: str | None = "pdf/ua-1") -> bytes:
    """WeasyPrint on a finished page, fetching only the app's own static files."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher())
    return document.write_pdf(pdf_variant=variant, custom_metadata=True)
