"""Signing in and out, and accepting invitations: the blueprint (routes in ``views``) and the login manager."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import LoginManager

from ..db import get_session
from ..models import User
from ..services.people import user_for_session

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


@login_manager.user_loader
def _load(user_id: str) -> User | None:
    """The user of a session (or remember) cookie: ``<id>:<session token>``, refused once the token changed
    (sign-out, password change, disabling) or the account is disabled."""
    return user_for_session(session=get_session(), user_id=user_id)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
