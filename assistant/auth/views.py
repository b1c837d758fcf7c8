"""Routes for signing in and out, and accepting invitations."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlparse

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_user, logout_user

from ..config import signing_keys
from ..db import get_session
from ..services.negotiations import get_negotiation
from ..services.people import (
    InvitationRefused,
    PeopleError,
    accept,
    authenticate,
    end_sessions,
    normalise_username,
    open_invitation,
    refusal,
)
from ..web import limiter
from . import bp

log = logging.getLogger(__name__)


def _login_name() -> str:
    """The key of the per-name lockout: the user name as it is looked up."""
    return "login-name:" + normalise_username(request.form.get("username", ""))[:80]


def _safe_next(target: str | None) -> str:
    """Only local paths: never send someone to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LOCKOUT_LIMIT"],
    methods=["POST"],
    key_func=_login_name,
    deduct_when=lambda response: response.status_code == 401,  # only failed attempts count towards the lockout
)
def login():
    """Sign in with a user name and password."""
    error, status = "", 200
    if request.method == "POST":
        user = authenticate(
            session=get_session(), username=request.form.get("username", ""), password=request.form.get("password", "")
        )
        if user is not None and login_user(user):
            log.info("sign-in", extra={"user_id": user.id})
            return redirect(_safe_next(request.form.get("next")), 303)
        if user is not None:
            error, status = "This account is disabled. Ask an administrator to enable it.", 403
            log.warning("sign-in refused: account disabled", extra={"user_id": user.id, "client": request.remote_addr})
        else:
            error, status = "The user name or the password is not right.", 401
            name = normalise_username(request.form.get("username", ""))[:80]
            log.warning("sign-in failed", extra={"login_name": name, "client": request.remote_addr})
    return render_template("auth/login.html", error=error, next=request.values.get("next", "")), status


@bp.errorhandler(RateLimitExceeded)
def _too_many(exc: RateLimitExceeded):
    """Too many sign-in attempts: say when the next one is possible (also in Retry-After)."""
    current = limiter.current_limit
    wait = max(1, int((current.reset_at if current else time.time() + 60) - time.time()))
    minutes = (wait + 59) // 60
    error = (
        "Too many sign-in attempts. For your safety, signing in is paused: try again in "
        + (f"{minutes} minute{'s' if minutes > 1 else ''}" if wait > 60 else f"{wait} seconds")
        + ". Nothing was checked meanwhile."
    )
    body = render_template("auth/login.html", error=error, next=request.values.get("next", ""))
    return body, 429, {"Retry-After": str(wait)}


@bp.post("/logout")
def logout():
    """Sign out, everywhere: the account's session token changes, so copies of this cookie stop working too."""
    if current_user.is_authenticated:
        end_sessions(session=get_session(), user=current_user._get_current_object())
    logout_user()
    return redirect(url_for("auth.login"), 303)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """An invitation: sign in or create an account, then join the negotiation as the invited party."""
    session = get_session()
    secret = signing_keys(current_app.config)
    try:
        inv = open_invitation(session=session, token=token, secret=secret)
    except PeopleError as exc:
        return render_template("auth/invitation.html", error=str(exc), invitation=None), 410
    negotiation = get_negotiation(session=session, negotiation_id=inv.negotiation_id)
    errors: dict[str, str] = {}
    user = current_user._get_current_object() if current_user.is_authenticated else None
    refused = refusal(session=session, invitation=inv, user=user) if user is not None else None
    if request.method == "POST" and not refused:
        account = None
        if user is None:
            account = {
                "username": request.form.get("username", ""),
                "display_name": request.form.get("display_name", ""),
                "password": request.form.get("password", ""),
            }
        try:
            user, _ = accept(session=session, invitation=inv, user=user, account=account)
        except InvitationRefused as exc:
            return render_template("auth/invitation.html", error=str(exc), invitation=None), 409
        except PeopleError as exc:
            errors["account"] = str(exc)
        else:
            login_user(user)
            flash(f"You now take part in “{negotiation.title}”.")
            return redirect(url_for("wizard.show", negotiation_id=negotiation.id, name="suggestions"), 303)
    party = next(
        (p for p in negotiation.scenario.get("parties") or [] if isinstance(p, dict) and p.get("id") == inv.party_id),
        {},
    )
    return render_template(
        "auth/invitation.html",
        invitation=inv,
        negotiation=negotiation,
        party=party,
        errors=errors,
        error="",
        refused=refused,
        form=request.form,
    ), (403 if refused else 422 if errors else 200)
