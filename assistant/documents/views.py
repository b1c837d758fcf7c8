"""Routes for the downloads: the current draft and saved versions as PDF, Word, JSON and standalone HTML,
clean or review copy."""

from __future__ import annotations

import re
from datetime import date

from flask import Response, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..domain.advice import Advice
from ..domain.draft_check import check_draft
from ..domain.evaluate import default_library
from ..domain.review import review_notes, with_findings
from ..domain.scenario import Scenario, ScenarioError, parse_scenario
from ..services.versions import get_version
from ..web.guards import advice_for, negotiation_or_404
from . import bp
from .cache import Busy
from .render import advice_json, document_html, pdf_from_html

MIMETYPES = {
    "pdf": "application/pdf",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _filename(title: str, suffix: str, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "agreement"
    return f"{slug}{suffix}.{ext}"


def _send(
    advice: Advice,
    fmt: str,
    filename: str,
    version: str | None = None,
    final: bool = False,
    scenario: Scenario | None = None,
    dated: date | None = None,
) -> Response:
    """Send the draft in a format; ``?review=1`` gives the review copy (why each article is there).
    ``final`` (an approved version) drops the DRAFT marking."""
    assert advice.draft is not None  # noqa: S101 - evaluate always assembles a draft
    review = None
    if request.args.get("review") and fmt != "json":
        review = review_notes(advice, default_library(current_app.config["CLAUSE_LIBRARY_DIR"]))
        answer = advice.to_contract()
        review = with_findings(review, advice.draft, check_draft(answer["draft"], scenario=scenario, advice=answer))
        filename = filename.replace(f".{fmt}", f"-review.{fmt}")
    if fmt == "pdf":
        html = document_html(advice.draft, version=version, review=review, final=final, dated=dated)
        body = cached_pdf(html)
        if body is None:
            return preparing_page(advice.draft.title)
    elif fmt == "docx":
        from .word import document_docx

        body = document_docx(advice.draft, version=version, review=review, final=final)
    elif fmt == "json":
        body = advice_json(advice, scenario)
    else:
        body = document_html(advice.draft, version=version, review=review, final=final, dated=dated)
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        body, mimetype=MIMETYPES[fmt], headers={"Content-Disposition": f'{disposition}; filename="{filename}"'}
    )


def cached_pdf(html: str) -> bytes | None:
    """The PDF of this page from the cache; rendered here, or (PDF_ASYNC) in the background: None until ready.

    A background render goes through the cache's bounded queue: over the requester's or the server's limit,
    the request ends here with a 429 or 503 page (see :func:`busy_page`)."""
    cache = current_app.extensions["assistant.documents"]
    variant = current_app.config["PDF_VARIANT"]
    key = cache.key("pdf", {"html": html, "variant": variant})

    def render() -> bytes:
        return pdf_from_html(html, variant=variant)

    if not current_app.config["PDF_ASYNC"]:
        return cache.render_now(key, "pdf", render)
    cached = cache.get(key, "pdf")
    if cached is not None:
        return cached
    try:
        state = cache.start(key, "pdf", render, owner=requester())
    except Busy as busy:
        abort(busy_page(busy))
    if state == "failed":
        abort(503)
    return cache.get(key, "pdf") if state == "ready" else None


def requester() -> str:
    """Who asks, for the per-user limit of the render queue: the signed-in user, else the remote address."""
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"address:{request.remote_addr}"


def busy_page(busy: Busy) -> Response:
    """429 (this user has enough documents in preparation) or 503 (the server is busy), with Retry-After;
    the page asks again by itself after that time, so nothing is lost."""
    body = render_template(
        "documents/busy.html",
        status=busy.status,
        message=busy.message,
        again=request.full_path,
        retry_after=busy.retry_after,
    )
    response = make_response(body, busy.status)
    response.headers["Retry-After"] = str(busy.retry_after)
    return response


def preparing_page(title: str) -> tuple[str, int]:
    """A page that shows progress and asks again until the PDF is ready (no script needed)."""
    return render_template("documents/preparing.html", title=title, again=request.full_path), 202


@bp.get("/<int:negotiation_id>/draft.<fmt>")
def current(negotiation_id: int, fmt: str):
    """The current draft; while the scenario is incomplete, back to the suggestions step."""
    if fmt not in MIMETYPES:
        abort(404)
    negotiation = negotiation_or_404(negotiation_id)
    advice, _ = advice_for(negotiation)
    if advice is None:
        return redirect(url_for("wizard.show", negotiation_id=negotiation_id, name="suggestions"), 303)
    try:
        scenario = parse_scenario(negotiation.scenario)
    except ScenarioError:  # the advice was made, so the scenario reads; the check then goes without it
        scenario = None
    return _send(advice, fmt, _filename(negotiation.title, "-draft", fmt), scenario=scenario)


@bp.get("/<int:negotiation_id>/versions/<int:number>.<fmt>")
def version(negotiation_id: int, number: int, fmt: str):
    """A saved draft version, exactly as it was frozen."""
    if fmt not in MIMETYPES:
        abort(404)
    negotiation = negotiation_or_404(negotiation_id)
    row = get_version(session=get_session(), negotiation=negotiation, number=number)
    if row is None:
        abort(404)
    advice = Advice.model_validate(row.advice)
    return _send(
        advice,
        fmt,
        _filename(negotiation.title, f"-v{number}", fmt),
        version=f"version {number}",
        final=row.status == "approved",  # only an approved version loses the DRAFT marking
        dated=row.created_at.date(),
    )
