"""People: accounts, memberships and invitations (database services)."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import timedelta
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import Invitation, Membership, Negotiation, User, new_session_token, now
from .audit import record

ROLES = ("member", "trainer", "admin")
INVITATION_DAYS = 14
MIN_PASSWORD = 10
MAX_SIMILARITY = 0.7  # a password this similar to the user name is refused (Django's default threshold)
USERNAME = re.compile(r"[a-z0-9._]{1,80}")
# Spent on sign-ins with an unknown user name, so that they take as long as a wrong password (computed once).
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


class PeopleError(ValueError):
    """A request about people that cannot be done; the message says why, for the person who asked."""


class InvitationRefused(PeopleError):
    """The invitation cannot be accepted (by this account, or any more); nothing was changed."""


# ---------------------------------------------------------------- user names and passwords


def normalise_username(username: str) -> str:
    """The form a user name is stored and looked up in: NFKC, then case-folded (``ＡＤＭＩＮ`` is ``admin``)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _skeleton(username: str) -> str:
    """What a name looks like at a glance: separators dropped, look-alike letters and digits merged."""
    return username.replace(".", "").replace("_", "").replace("rn", "m").replace("vv", "w").translate(_LOOKALIKE)


_LOOKALIKE = str.maketrans({"0": "o", "1": "l", "i": "l"})


def check_username(*, session: Session, username: str) -> str:
    """The normalised user name; PeopleError if it is malformed, taken, or could pass for a taken one."""
    name = normalise_username(username)
    if not USERNAME.fullmatch(name) or not name.strip("._"):
        raise PeopleError(
            "Choose a user name of Latin letters a–z, digits, dots and underscores (at most 80): letters of other "
            "scripts are refused because some look exactly like Latin ones and a name could pass for another."
        )
    taken = list(session.exec(select(User.username)))
    if name in taken:
        raise PeopleError(f"The user name {name!r} is taken.")
    lookalike = next((t for t in taken if _skeleton(t) == _skeleton(name)), None)
    if lookalike is not None:
        raise PeopleError(f"The user name {name!r} could be taken for {lookalike!r}, which exists; choose another.")
    return name


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower case), read once, on first use."""
    data = files("assistant").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(data).decode().splitlines() if line.strip())


def check_password(password: str, *, username: str, display_name: str = "") -> None:
    """PeopleError unless the password is long enough, not a common one and not made of the user's name."""
    if len(password) < MIN_PASSWORD:
        raise PeopleError(f"Choose a password of at least {MIN_PASSWORD} characters.")
    folded = password.strip().casefold()
    if folded in common_passwords():
        raise PeopleError("This password is among the most common ones that attackers try first; choose another.")
    name = normalise_username(username)
    words = {name, *re.split(r"[._]+", name), *re.split(r"\W+", normalise_username(display_name))}
    if any(w and (folded == w or (len(w) >= 4 and w in folded)) for w in words):
        raise PeopleError("The password must not contain your user name or your name; choose another.")
    if any(len(w) >= 3 and SequenceMatcher(a=folded, b=w).quick_ratio() >= MAX_SIMILARITY for w in words):
        raise PeopleError("The password is too similar to your user name or your name; choose another.")


def create_user(
    *, session: Session, username: str, display_name: str, password: str, role: str = "member", commit: bool = True
) -> User:
    """A new account; the password is stored hashed (scrypt, Werkzeug's default). With ``commit=False`` the
    account is only flushed, to be committed with the rest of the caller's transaction."""
    name = check_username(session=session, username=username)
    if role not in ROLES:
        raise PeopleError(f"A role is one of {', '.join(ROLES)}.")
    display = (display_name.strip() or name)[:120]
    check_password(password, username=name, display_name=display)
    user = User(username=name, display_name=display, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    try:
        session.commit() if commit else session.flush()
    except IntegrityError:  # created at the same moment by someone else
        session.rollback()
        raise PeopleError(f"The user name {name!r} is taken.") from None
    return user


def find_user(*, session: Session, username: str) -> User | None:
    """The account with this user name, in any of its normalised spellings."""
    spellings = {normalise_username(username), (username or "").strip().lower()}
    return session.exec(select(User).where(User.username.in_(spellings))).first()


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The user with this name and password, or None (the same answer, and the same work, for a wrong name or
    password: one password check either way). A disabled account is returned: the caller refuses it."""
    user = find_user(session=session, username=username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def user_for_session(*, session: Session, user_id: str) -> User | None:
    """The user a session cookie names (``<id>:<session token>``), if the token is still theirs and the
    account is not disabled."""
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit() or not token:
        return None
    user = session.get(User, int(ident))
    if user is None or not user.is_active or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def end_sessions(*, session: Session, user: User) -> None:
    """Every session cookie issued to the user so far stops working (sign-out, password change, disabling)."""
    _end_sessions(user, session)
    session.commit()


def _end_sessions(user: User, session: Session) -> None:
    """A new session token, in the caller's transaction."""
    user.session_token = new_session_token()
    session.add(user)


def set_password(*, session: Session, user: User, password: str) -> None:
    """A new password: checked like a new account's; every session and the API token end."""
    check_password(password, username=user.username, display_name=user.display_name)
    user.password_hash = generate_password_hash(password)
    user.api_token_hash = None
    _end_sessions(user, session)
    record(session=session, negotiation_id=None, user=user, action="user.password", target=user.username)
    session.commit()


def set_disabled(*, session: Session, user: User, disabled: bool) -> None:
    """Disable an account (it cannot sign in, its sessions and API token end) or enable it again."""
    before = {"disabled": user.disabled_at is not None}
    user.disabled_at = now() if disabled else None
    if disabled:
        user.api_token_hash = None
    _end_sessions(user, session)
    record(
        session=session,
        negotiation_id=None,
        user=user,
        action="user.disable" if disabled else "user.enable",
        target=user.username,
        before=before,
        after={"disabled": disabled},
    )
    session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(*, session: Session, user: User) -> str:
    """A new API token for the account (shown once; only its SHA-256 is kept); the previous one stops working."""
    if not user.is_active:
        raise PeopleError(f"The account {user.username!r} is disabled; enable it first.")
    token = secrets.token_urlsafe(32)
    user.api_token_hash = _token_hash(token)
    session.add(user)
    record(session=session, negotiation_id=None, user=user, action="user.api_token", target=user.username)
    session.commit()
    return token


def user_for_api_token(*, session: Session, token: str) -> User | None:
    """The active account whose API token this is, or None."""
    if not token or len(token) > 200:
        return None
    user = session.exec(select(User).where(User.api_token_hash == _token_hash(token))).first()
    return user if user is not None and user.is_active else None


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


def memberships_of(*, session: Session, negotiation_id: int, user_id: int) -> list[Membership]:
    """The user's memberships in the negotiation (every role they hold in it)."""
    return list(
        session.exec(
            select(Membership).where(Membership.negotiation_id == negotiation_id, Membership.user_id == user_id)
        )
    )


def has_accounts(*, session: Session) -> bool:
    """Whether any account exists (a fresh installation has none)."""
    return session.exec(select(User.id)).first() is not None


def members(*, session: Session, negotiation: Negotiation) -> list[tuple[Membership, User]]:
    rows = session.exec(
        select(Membership, User)
        .join(User, Membership.user_id == User.id)
        .where(Membership.negotiation_id == negotiation.id)
        .order_by(Membership.id)
    )
    return list(rows)


# ---------------------------------------------------------------- invitations


def _serializer(secret: str | list[str]) -> URLSafeTimedSerializer:
    """Invitation tokens: signed with the last key, verified with any (earlier keys while a new one is rolled out)."""
    return URLSafeTimedSerializer(secret, salt="assistant.invitation")


def invite(
    *, session: Session, negotiation: Negotiation, role: str, party_id: str, by: User, secret: str | list[str]
) -> str:
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
    session.flush()  # the id, for the audit event and the token
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=by,
        action="invitation.create",
        target=f"{role}:{invitation.party_id}",
        after=_describe(invitation),
    )
    session.commit()
    return token_of(invitation, secret)


def token_of(invitation: Invitation, secret: str | list[str]) -> str:
    return _serializer(secret).dumps({"i": invitation.id, "n": invitation.nonce})


def open_invitation(*, session: Session, token: str, secret: str | list[str]) -> Invitation:
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


def refusal(*, session: Session, invitation: Invitation, user: User) -> str | None:
    """Why this account may not accept the invitation, or None. Whoever issued an invitation cannot take it; a
    convener neither represents a party nor reviews their own negotiation; an administrator (who sees every
    negotiation) takes no party's seat; one account represents one party."""
    if invitation.created_by is not None and invitation.created_by == user.id:
        return "You issued this invitation: it is for someone else. Send the link to the person it is meant for."
    held = list(
        session.exec(
            select(Membership).where(
                Membership.negotiation_id == invitation.negotiation_id, Membership.user_id == user.id
            )
        )
    )
    if any(m.role == "convener" for m in held):
        return (
            "You convene this negotiation, so you can neither represent a party nor review it. "
            "Send the link to the person it is meant for."
        )
    if invitation.role == "party" and user.role == "admin":
        return (
            "Administrators see every negotiation, so an administrator's account cannot hold a party's seat "
            "(a party's private notes are for that party only). The party's representative needs their own account."
        )
    other = next((m.party_id for m in held if m.role == "party" and m.party_id != invitation.party_id), None)
    if invitation.role == "party" and other is not None:
        return f"You already represent the party {other} in this negotiation; an account represents one party only."
    return None


def accept(
    *,
    session: Session,
    invitation: Invitation,
    user: User | None = None,
    account: dict[str, str] | None = None,
) -> tuple[User, Membership]:
    """Bind ``user`` (or a new account made from ``account``: username, display_name, password) to the
    invitation's party, or as reviewer. One transaction: the invitation is claimed by a conditional UPDATE
    (only while unused and not withdrawn), so of several acceptances at once exactly one succeeds; the others
    get PeopleError and create nothing."""
    if user is not None:
        why = refusal(session=session, invitation=invitation, user=user)
        if why:
            raise InvitationRefused(why)
    elif account is None:
        raise InvitationRefused("Sign in or create an account to accept the invitation.")
    claimed = session.exec(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=now())
    )
    if claimed.rowcount != 1:
        session.rollback()
        session.refresh(invitation)
        if invitation.revoked_at is not None:
            raise InvitationRefused("This invitation was withdrawn. Ask the convener for a new link.")
        raise InvitationRefused("This invitation has already been used.")
    try:
        if user is None:
            user = create_user(session=session, commit=False, **(account or {}))
        session.exec(update(Invitation).where(Invitation.id == invitation.id).values(accepted_by=user.id))
        membership = session.exec(
            select(Membership).where(
                Membership.negotiation_id == invitation.negotiation_id,
                Membership.user_id == user.id,
                Membership.role == invitation.role,
                Membership.party_id == invitation.party_id,
            )
        ).first()
        if membership is None:
            membership = Membership(
                negotiation_id=invitation.negotiation_id,
                user_id=user.id,
                role=invitation.role,
                party_id=invitation.party_id,
            )
            session.add(membership)
            session.flush()
        record(
            session=session,
            negotiation_id=invitation.negotiation_id,
            user=user,
            action="invitation.accept",
            target=f"{invitation.role}:{invitation.party_id}",
            after={**_describe(invitation), "accepted_by": user.id},
        )
    except BaseException:
        session.rollback()  # the invitation stays unused, no account is left behind
        raise
    session.commit()
    session.refresh(invitation)
    return user, membership


def revoke(*, session: Session, invitation: Invitation, by: User) -> None:
    before = _describe(invitation)
    invitation.revoked_at = now()
    session.add(invitation)
    record(
        session=session,
        negotiation_id=invitation.negotiation_id,
        user=by,
        action="invitation.revoke",
        target=f"{invitation.role}:{invitation.party_id}",
        before=before,
        after=_describe(invitation),
    )
    session.commit()


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
