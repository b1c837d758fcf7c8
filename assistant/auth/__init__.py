"""Signing in and out, and accepting invitations."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user

from ..db import get_session
from ..models import Negotiation, User
from ..people import PeopleError, accept, authenticate, create_user, open_invitation

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


@login_manager.user_loader
def _load(user_id: str) -> User | None:
    return get_session().get(User, int(user_id)) if user_id.isdigit() else None


def _safe_next(target: str | None) -> str:
    """Only local paths: never send someone to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a user name and password."""
    error = ""
    if request.method == "POST":
        user = authenticate(
            session=get_session(), username=request.form.get("username", ""), password=request.form.get("password", "")
        )
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.form.get("next")), 303)
        error = "The user name or the password is not right."
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, next=request.values.get("next", "")), status


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("auth.login"), 303)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """An invitation: sign in or create an account, then join the negotiation as the invited party."""
    session = get_session()
    secret = current_app.config["SECRET_KEY"]
    try:
        inv = open_invitation(session=session, token=token, secret=secret)
    except PeopleError as exc:
        return render_template("auth/invitation.html", error=str(exc), invitation=None), 410
    negotiation = session.get(Negotiation, inv.negotiation_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        user = current_user if current_user.is_authenticated else None
        if user is None:
            try:
                user = create_user(
                    session=session,
                    username=request.form.get("username", ""),
                    display_name=request.form.get("display_name", ""),
                    password=request.form.get("password", ""),
                )
            except PeopleError as exc:
                errors["account"] = str(exc)
        if user is not None:
            accept(session=session, invitation=inv, user=user)
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
        form=request.form,
    ), (422 if errors else 200)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    app.register_blueprint(bp)
