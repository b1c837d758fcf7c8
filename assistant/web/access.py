"""Who may do what in a negotiation.

Global roles: member, trainer, admin. Per negotiation (memberships): convener (started it), party
(represents one party, bound by an invitation), reviewer (legal review, bound by an invitation).

| action   | who                                                                                   |
|----------|---------------------------------------------------------------------------------------|
| view     | admin; the convener, parties and reviewers of the negotiation; trainers for examples   |
| edit     | admin; the convener (scenario, choices, versions, invitations)                        |
| position | the representatives of a party (for their own party only)                             |
| comment  | everyone who may view, except trainers                                                 |
| review   | the reviewers of the negotiation (request changes, approve)                            |
| audit    | admin; the convener and the reviewers                                                  |
"""

from __future__ import annotations

from typing import Any

from flask import abort, g
from flask_login import current_user

from ..db import get_session
from ..models import Membership, Negotiation
from ..services.people import memberships_of

ACTIONS = ("view", "edit", "position", "comment", "review", "audit")


def memberships(user: Any, negotiation: Negotiation) -> list[Membership]:
    """The user's memberships in the negotiation (cached for the request)."""
    if not getattr(user, "is_authenticated", False) or negotiation.id is None:
        return []
    cache = g.setdefault("memberships", {})
    key = (user.id, negotiation.id)
    if key not in cache:
        cache[key] = memberships_of(session=get_session(), negotiation_id=negotiation.id, user_id=user.id)
    return cache[key]


def roles_in(user: Any, negotiation: Negotiation) -> set[str]:
    return {m.role for m in memberships(user, negotiation)}


def parties_of(user: Any, negotiation: Negotiation) -> list[str]:
    """The parties the user represents in this negotiation."""
    return [m.party_id for m in memberships(user, negotiation) if m.role == "party"]


def can(user: Any, action: str, negotiation: Negotiation) -> bool:
    """Whether the user may do ``action`` (see the table above) in the negotiation."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_in(user, negotiation)
    admin = user.role == "admin"
    trainer_view = user.role == "trainer" and negotiation.example is not None
    return {
        "view": admin or bool(roles) or trainer_view,
        "edit": admin or "convener" in roles,
        "position": "party" in roles,
        "comment": admin or bool(roles),
        "review": "reviewer" in roles,
        "audit": admin or bool(roles & {"convener", "reviewer"}),
    }[action]


def require(action: str, negotiation: Negotiation) -> None:
    """Abort with 403 unless the signed-in user may do ``action``."""
    if not can(current_user, action, negotiation):
        abort(403)
