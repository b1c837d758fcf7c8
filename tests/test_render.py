"""Documents: the PDF is safe to render on a server (static files only) and carries title and page numbers."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.documents.render import STATIC_DIR, document_html, document_pdf, static_only_fetcher
from assistant.domain.advice import Article, Draft


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        (STATIC_DIR / ".." / ".." / "pyproject.toml").as_uri(),
        STATIC_DIR.as_uri() + "/../config.py",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ValueError, match="refused"):
        static_only_fetcher().fetch(url)


def test_fetcher_serves_static_files():
    response = static_only_fetcher().fetch((STATIC_DIR / "css" / "document.css").as_uri())
    assert b"@page" in response.read()


def draft(n: int) -> Draft:
    return Draft(
        title="Test <Agreement> & Co",
        parties="The parties.",
        preamble="Recalling.",
        articles=[
            Article(number=str(i), heading=f"Heading {i}", text=f"{i}.1 Text.\n\n{i}.2 More.", clause=f"c{i}")
            for i in range(1, n + 1)
        ],
        signatures="Signed.",
    )


def test_html_escapes_and_inlines_its_stylesheet():
    html = document_html(draft(2))
    assert "Test &lt;Agreement&gt; &amp; Co" in html
    assert "@page" in html
    assert "&#34;" not in html.split("</style>")[0]  # the stylesheet is not HTML-escaped


def test_pdf_has_title_running_header_and_page_numbers(tmp_path: Path):
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(document_pdf(draft(40)))
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert pages >= 3
    assert reader.metadata.title == "Test <Agreement> & Co"
    second = reader.pages[1].extract_text()
    assert "Test <Agreement> & Co" in second  # running header
    assert f"Page 2 of {pages}" in second
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (pdf/ua-1)
