"""Version views: each works without JavaScript (POST, then redirect) and answers htmx requests with a
fragment; errors keep what was typed and say what to do."""

from __future__ import annotations

import html
import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..db import get_session
from ..documents.redline import redline_html
from ..documents.views import cached_pdf, preparing_page
from ..domain.draft_check import summary
from ..domain.redline import redline, summarize
from ..models import DraftVersion, Negotiation
from ..services.versions import (
    MAX_COMMENT,
    STATUS_HINTS,
    CommentError,
    IllegalTransition,
    add_comment,
    allowed_actions,
    check_comment,
    checked,
    comments_of,
    draft_of,
    draft_versions,
    get_version,
    people,
    status_label,
    threads,
    transition,
)
from ..web import is_htmx_partial, render_page_or_partial
from ..web.access import can
from ..web.guards import negotiation_or_404
from . import bp

NOTICES = {
    "submit": "Version {n} was sent for legal review.",
    "request_changes": "Changes were requested on version {n}.",
    "approve": "Version {n} is approved: its documents no longer carry the DRAFT marking.",
}
MAX_NUMBER = 2**31 - 1
_ARTICLE = re.compile(r'(<section class="article" id="article-[^"]*" data-clause="([^"]*)">.*?)(</section>)', re.S)


def _number(value: str | None) -> int | None:
    """A version number typed in a query string, or None if it is not one."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


def _version_or_404(negotiation: Negotiation, number: int) -> DraftVersion:
    if number > MAX_NUMBER:  # larger than any database integer: certainly not a version
        abort(404)
    version = get_version(session=get_session(), negotiation=negotiation, number=number)
    if version is None:
        abort(404)
    return version


def _filename(negotiation: Negotiation, suffix: str, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", negotiation.title.lower()).strip("-")[:60] or "agreement"
    return f"{slug}{suffix}.{ext}"


# ---------------------------------------------------------------- the list


@bp.get("/<int:negotiation_id>/versions")
def index(negotiation_id: int):
    """The saved versions with their status; ``?a=1&b=3`` opens the redline from version 1 to 3
    (with ``order=older-first``, from the older of the two to the newer)."""
    negotiation = negotiation_or_404(negotiation_id)
    versions = draft_versions(session=get_session(), negotiation=negotiation)
    error = None
    if "a" in request.args or "b" in request.args:
        a, b = _number(request.args.get("a")), _number(request.args.get("b"))
        numbers = {v.number for v in versions}
        if a is None or b is None or a not in numbers or b not in numbers:
            error = "Choose two of the saved versions to compare."
        elif a == b:
            error = "Choose two different versions to compare."
        else:
            if request.args.get("order") == "older-first":  # "compare with": whichever is older is the base
                a, b = min(a, b), max(a, b)
            return redirect(url_for("versions.redline_page", negotiation_id=negotiation.id, a=a, b=b), 303)
    body = render_template(
        "versions/index.html",
        negotiation=negotiation,
        versions=versions,
        authors=people(session=get_session(), ids={v.created_by for v in versions} | {v.decided_by for v in versions}),
        status_label=status_label,
        checks={v.number: summary(checked(v)).removeprefix("Draft check: ") for v in versions},
        can_edit=can(current_user, "edit", negotiation),
        error=error,
        a=request.args.get("a", ""),
        b=request.args.get("b", ""),
    )
    return body, 422 if error else 200


# ---------------------------------------------------------------- one version


def _context(negotiation: Negotiation, version: DraftVersion, **extra) -> dict:
    session = get_session()
    comments = comments_of(session=session, version=version)
    authors = people(
        session=session,
        ids={c.user_id for c in comments} | {version.created_by, version.decided_by},
    )
    others = [v for v in draft_versions(session=session, negotiation=negotiation) if v.number != version.number]
    ctx = {
        "negotiation": negotiation,
        "version": version,
        "draft": draft_of(version),
        "findings": checked(version),
        "final": version.status == "approved",
        "threads": threads(comments),
        "comment_count": len(comments),
        "authors": authors,
        "others": others,
        "allowed": allowed_actions(version),
        "status_label": status_label,
        "status_hint": STATUS_HINTS.get(version.status, ""),
        "can_comment": can(current_user, "comment", negotiation),
        "can_edit": can(current_user, "edit", negotiation),
        "can_review": can(current_user, "review", negotiation),
        "max_comment": MAX_COMMENT,
        "errors": {},
        "typed": {},
        "message": None,
        "notice": None,
    }
    ctx.update(extra)
    return ctx


def _thread(ctx: dict, clause: str, label: str) -> str:
    return render_template(
        "versions/_thread.html",
        **ctx,
        clause=clause,
        label=label,
        thread_id=f"thread-{clause}" if clause else "thread-general",
        nodes=ctx["threads"].get(clause, []),
    )


def _agreement(ctx: dict) -> Markup:
    """The version's draft as the documents show it (no cover), with each article's comment thread
    at the end of the article."""
    draft = ctx["draft"]
    body = render_template(
        "documents/_agreement.html",
        draft=draft,
        cover=False,
        toc=True,
        final=ctx["final"],
        version=f"version {ctx['version'].number}",
        review=None,
    )
    labels = {a.clause: f"Article {a.number}. {a.heading}" for a in draft.articles}

    def with_thread(match: re.Match) -> str:
        clause = html.unescape(match.group(2))
        if clause not in labels:
            return match.group(0)
        return match.group(1) + _thread(ctx, clause, labels[clause]) + match.group(3)

    return Markup(_ARTICLE.sub(with_thread, body))  # noqa: S704 - both parts were rendered with autoescaping


def _render_version(negotiation: Negotiation, version: DraftVersion, status: int = 200, **extra):
    ctx = _context(negotiation, version, **extra)
    ctx["general"] = Markup(_thread(ctx, "", "the version as a whole"))  # noqa: S704 - rendered with autoescaping
    ctx["agreement"] = _agreement(ctx)
    return render_page_or_partial("versions/version.html", "versions/_version.html", **ctx), status


@bp.get("/<int:negotiation_id>/versions/<int:number>")
def show(negotiation_id: int, number: int):
    """A version's draft with the comments under each article, its status and the review actions."""
    negotiation = negotiation_or_404(negotiation_id)
    return _render_version(negotiation, _version_or_404(negotiation, number))


@bp.post("/<int:negotiation_id>/versions/<int:number>/comments")
def comment(negotiation_id: int, number: int):
    """A comment on an article (``clause``), on the version as a whole, or a reply (``parent_id``)."""
    negotiation = negotiation_or_404(negotiation_id, "comment")
    version = _version_or_404(negotiation, number)
    form = request.form
    clause = form.get("clause", "")
    raw_parent = form.get("parent_id", "").strip()
    parent_id = _number(raw_parent)
    key = f"reply-{raw_parent}" if raw_parent else f"new-{clause or 'general'}"
    text = form.get("text", "")
    session = get_session()
    try:
        check_comment(text)
    except CommentError as exc:
        return _comment_error(negotiation, version, clause, key, text, str(exc))
    try:
        if raw_parent and parent_id is None:
            raise CommentError("The comment you replied to is not on this version.")
        note = add_comment(
            session=session,
            negotiation=negotiation,
            version=version,
            user=current_user,
            text=text,
            clause=clause,
            parent_id=parent_id,
        )
    except CommentError as exc:
        body, _ = _render_version(negotiation, version, message=str(exc))
        return body, 422
    if is_htmx_partial():
        ctx = _context(negotiation, version)
        draft = ctx["draft"]
        label = next((f"Article {a.number}. {a.heading}" for a in draft.articles if a.clause == note.clause), "")
        return _thread(ctx, note.clause, label or "the version as a whole")
    anchor = f"#comment-{note.id}"
    return redirect(url_for("versions.show", negotiation_id=negotiation.id, number=version.number) + anchor, 303)


def _comment_error(negotiation, version, clause: str, key: str, text: str, message: str):
    """The form again with the problem beside it: the thread for htmx (200), else the page (422)."""
    errors, typed = {key: message}, {key: text[: MAX_COMMENT * 2]}
    if is_htmx_partial():
        ctx = _context(negotiation, version, errors=errors, typed=typed)
        labels = {a.clause: f"Article {a.number}. {a.heading}" for a in ctx["draft"].articles}
        if key.startswith("reply-"):
            parent_id = _number(key.removeprefix("reply-"))
            parent = next((c for c in comments_of(session=get_session(), version=version) if c.id == parent_id), None)
            clause = parent.clause if parent else ""
        if clause in labels or clause == "":
            return _thread(ctx, clause, labels.get(clause, "the version as a whole"))
    body, _ = _render_version(negotiation, version, errors=errors, typed=typed)
    return body, 422


# ---------------------------------------------------------------- the legal review


@bp.post("/<int:negotiation_id>/versions/<int:number>/<any(submit, 'request-changes', approve):step>")
def review(negotiation_id: int, number: int, step: str):
    """Submit for review (convener), request changes or approve (the negotiation's legal reviewers)."""
    action = step.replace("-", "_")
    negotiation = negotiation_or_404(negotiation_id, "edit" if action == "submit" else "review")
    version = _version_or_404(negotiation, number)
    text = request.form.get("comment", "")
    try:
        transition(
            session=get_session(),
            negotiation=negotiation,
            version=version,
            action=action,
            user=current_user,
            comment=text,
        )
    except CommentError as exc:
        body, _ = _render_version(
            negotiation, version, errors={"review": str(exc)}, typed={"review": text[: MAX_COMMENT * 2]}
        )
        return body, 200 if is_htmx_partial() else 422
    except IllegalTransition as exc:
        body, _ = _render_version(negotiation, version, message=str(exc))
        return body, 200 if is_htmx_partial() else 409
    notice = NOTICES[action].format(n=version.number)
    if is_htmx_partial():
        body, _ = _render_version(negotiation, version, notice=notice)
        return body
    flash(notice)
    return redirect(url_for("versions.show", negotiation_id=negotiation.id, number=version.number) + "#review", 303)


# ---------------------------------------------------------------- redlines


def _pair(negotiation_id: int, a: int, b: int):
    negotiation = negotiation_or_404(negotiation_id)
    return negotiation, _version_or_404(negotiation, a), _version_or_404(negotiation, b)


@bp.get("/<int:negotiation_id>/versions/<int:a>/redline/<int:b>")
def redline_page(negotiation_id: int, a: int, b: int):
    """What changed from version a to version b: insertions, deletions, per article, with a summary."""
    negotiation, old, new = _pair(negotiation_id, a, b)
    changes = redline(draft_of(old), draft_of(new))
    return render_template(
        "versions/redline.html",
        negotiation=negotiation,
        old=old,
        new=new,
        draft=draft_of(new),
        changes=changes,
        summary=summarize(changes),
        versions=draft_versions(session=get_session(), negotiation=negotiation),
        status_label=status_label,
    )


@bp.get("/<int:negotiation_id>/versions/<int:a>/redline/<int:b>.pdf")
def redline_download(negotiation_id: int, a: int, b: int):
    """The redline as a PDF: underlined insertions, struck-through deletions (readable in black and white)."""
    negotiation, old, new = _pair(negotiation_id, a, b)
    # Through the document cache and its queue like the drafts: laid out once, off the request path.
    body = cached_pdf(
        redline_html(
            draft_of(old),
            draft_of(new),
            old_label=f"version {old.number}",
            new_label=f"version {new.number}",
            statuses=(status_label(old.status).lower(), status_label(new.status).lower()),
            dated=max(old.created_at, new.created_at).date(),
        )
    )
    if body is None:
        return preparing_page(f"Redline of {negotiation.title}: version {old.number} to version {new.number}")
    filename = _filename(negotiation, f"-redline-v{old.number}-v{new.number}", "pdf")
    return Response(
        body, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
