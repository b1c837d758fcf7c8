"""People: accounts, memberships and invitations (database services)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from .audit import record
from .models import Invitation, Membership, Negotiation, User, now

ROLES = ("member", "trainer", "admin")
INVITATION_DAYS = 14
MIN_PASSWORD = 10


class PeopleError(ValueError):
    """A request about people that cannot be done; the message says why, for the person who asked."""


def create_user(*, session: Session, username: str, display_name: str, password: str, role: str = "member") -> User:
    """A new account; the password is stored hashed (scrypt, Werkzeug's default)."""
    username = username.strip().lower()
    if not username or len(username) > 80 or not username.replace("_", "").replace(".", "").isalnum():
        raise PeopleError("Choose a user name of letters, digits, dots and underscores.")
    if role not in ROLES:
        raise PeopleError(f"A role is one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise PeopleError(f"Choose a password of at least {MIN_PASSWORD} characters.")
    if session.exec(select(User).where(User.username == username)).first():
        raise PeopleError(f"The user name {username!r} is taken.")
    user = User(
        username=username,
        display_name=(display_name.strip() or username)[:120],
        password_hash=generate_password_hash(password),
        role=role,
    )
    session.add(user)
    session.commit()
    return user


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The user with this name and password, or None (the same answer for a wrong name or password)."""
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        check_password_hash(generate_password_hash("x"), password)  # spend the same time either way
        return None
    return user if check_password_hash(user.password_hash, password) else None


def add_member(*, session: Session, negotiation: Negotiation, user: User, role: str, party_id: str = "") -> Membership:
    """Give the user a part in the negotiation (once)."""
    found = session.exec(
        select(Membership).where(
            Membership.negotiation_id == negotiation.id,
            Membership.user_id == user.id,
            Membership.role == role,
            Membership.party_id == party_id,
        )
    ).first()
    if found:
        return found
    membership = Membership(negotiation_id=negotiation.id, user_id=user.id, role=role, party_id=party_id)
    session.add(membership)
    session.commit()
    return membership


def members(*, session: Session, negotiation: Negotiation) -> list[tuple[Membership, User]]:
    rows = session.exec(
        select(Membership, User)
        .join(User, Membership.user_id == User.id)
        .where(Membership.negotiation_id == negotiation.id)
        .order_by(Membership.id)
    )
    return list(rows)


# ---------------------------------------------------------------- invitations


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="assistant.invitation")


def invite(*, session: Session, negotiation: Negotiation, role: str, party_id: str, by: User, secret: str) -> str:
    """Create an invitation and return its signed token (the link's last part)."""
    if role not in ("party", "reviewer"):
        raise PeopleError("An invitation is for a party's representative or a legal reviewer.")
    if role == "party" and party_id not in {
        p.get("id") for p in negotiation.scenario.get("parties") or [] if isinstance(p, dict)
    }:
        raise PeopleError("Choose one of the negotiation's parties.")
    invitation = Invitation(
        negotiation_id=negotiation.id,
        role=role,
        party_id=party_id if role == "party" else "",
        nonce=secrets.token_urlsafe(16),
        created_by=by.id,
        expires_at=now() + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.commit()
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=by,
        action="invitation.create",
        target=f"{role}:{invitation.party_id}",
        after=_describe(invitation),
    )
    return token_of(invitation, secret)


def token_of(invitation: Invitation, secret: str) -> str:
    return _serializer(secret).dumps({"i": invitation.id, "n": invitation.nonce})


def open_invitation(*, session: Session, token: str, secret: str) -> Invitation:
    """The invitation a token stands for; PeopleError if it is forged, expired, revoked or used."""
    try:
        data: Any = _serializer(secret).loads(token, max_age=INVITATION_DAYS * 86400)
    except SignatureExpired:
        raise PeopleError("This invitation has expired. Ask the convener for a new link.") from None
    except BadSignature:
        raise PeopleError("This link is not a valid invitation.") from None
    invitation = session.get(Invitation, data.get("i")) if isinstance(data, dict) else None
    if invitation is None or invitation.nonce != data.get("n"):
        raise PeopleError("This link is not a valid invitation.")
    if invitation.revoked_at is not None:
        raise PeopleError("This invitation was withdrawn. Ask the convener for a new link.")
    if invitation.accepted_at is not None:
        raise PeopleError("This invitation has already been used.")
    if _aware(invitation.expires_at) < now():
        raise PeopleError("This invitation has expired. Ask the convener for a new link.")
    return invitation


def _aware(moment):
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def accept(*, session: Session, invitation: Invitation, user: User) -> Membership:
    """Bind the user to the invitation's party (or as reviewer); the link cannot be used again."""
    negotiation = session.get(Negotiation, invitation.negotiation_id)
    invitation.accepted_by, invitation.accepted_at = user.id, now()
    session.add(invitation)
    session.commit()
    membership = add_member(
        session=session, negotiation=negotiation, user=user, role=invitation.role, party_id=invitation.party_id
    )
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="invitation.accept",
        target=f"{invitation.role}:{invitation.party_id}",
        after=_describe(invitation),
    )
    return membership


def revoke(*, session: Session, invitation: Invitation, by: User) -> None:
    before = _describe(invitation)
    invitation.revoked_at = now()
    session.add(invitation)
    session.commit()
    record(
        session=session,
        negotiation_id=invitation.negotiation_id,
        user=by,
        action="invitation.revoke",
        target=f"{invitation.role}:{invitation.party_id}",
        before=before,
        after=_describe(invitation),
    )


def invitations(*, session: Session, negotiation: Negotiation) -> list[Invitation]:
    return list(
        session.exec(
            select(Invitation).where(Invitation.negotiation_id == negotiation.id).order_by(Invitation.id.desc())
        )
    )


def _describe(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "role": invitation.role,
        "party": invitation.party_id,
        "expires_at": invitation.expires_at.isoformat(),
        "revoked": invitation.revoked_at is not None,
        "accepted_by": invitation.accepted_by,
    }
