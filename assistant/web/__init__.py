"""Web plumbing shared by the blueprints: htmx, CSRF, the page-or-partial helper, response headers."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, render_template, request
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

from ..domain.vocab import label

htmx = HTMX()
csrf = CSRFProtect()
# Rate limits (login attempts, the API): in-memory by default; RATELIMIT_STORAGE_URI (for instance
# redis://host:6379) lets several servers share the counts. Limits are declared where the routes are.
limiter = Limiter(key_func=get_remote_address)


def is_htmx_partial() -> bool:
    """True for htmx requests that swap a fragment (history restores need the full page)."""
    return bool(htmx) and not htmx.history_restore_request


def render_page_or_partial(page: str, partial: str, **ctx: Any) -> str:
    """Render only the partial for htmx requests, else the full page that includes it."""
    return render_template(partial if is_htmx_partial() else page, **ctx)


# No inline or foreign script (htmx is served from our static folder); styles may be inline because the
# standalone document carries its stylesheet; nothing may frame the app.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _headers(response: Response) -> Response:
    # One URL answers with a full page or a fragment: caches must key on the header (htmx docs).
    response.vary.add("HX-Request")
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    hsts = int(current_app.config.get("HSTS_SECONDS") or 0)
    if hsts > 0 and request.is_secure:  # browsers ignore it over http (RFC 6797): sent on https answers only
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
    if _private(response):
        # What a signed-in user sees and every download stays out of browser and proxy caches (a shared
        # computer's back button, a proxy between offices); static files stay cacheable.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def _private(response: Response) -> bool:
    """Whether an answer must not be stored: a download, the API, or anything answered to a signed-in user."""
    if request.path.startswith("/static/"):
        return False
    if "Content-Disposition" in response.headers or request.path.startswith("/api/") or request.authorization:
        return True
    try:
        return bool(current_user.is_authenticated)
    except Exception:  # noqa: BLE001 - the user could not be loaded (the database failed): assume signed in
        return True


def init_app(app: Flask) -> None:
    htmx.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_headers)
    app.jinja_env.filters["label"] = label
    app.jinja_env.globals["label"] = label
