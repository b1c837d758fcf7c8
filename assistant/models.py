"""Database tables: people, negotiations and memberships, invitations, choices, positions, private notes,
draft versions with their review, comments, the audit trail, and trainees' exercise attempts."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


# Ids that reach URLs (negotiations, versions, invitations, ...) are never given out twice on SQLite: without
# AUTOINCREMENT it reuses the highest rowid after a deletion, and the next negotiation would inherit whatever
# still points at the deleted one's id. (PostgreSQL sequences never go back; the flag means nothing there.)
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(SQLModel, table=True):
    """A person who signs in. ``role`` is global (member, trainer, admin); what a member may do in a
    negotiation comes from their memberships."""

    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    display_name: str = Field(max_length=120)
    password_hash: str = Field(max_length=300)
    role: str = Field(default="member", max_length=20)
    created_at: datetime = Field(default_factory=now)
    # Part of every session (and remember) cookie: replaced on sign-out, password change and disabling, so
    # cookies issued before stop working.
    session_token: str = Field(default_factory=new_session_token, max_length=64)
    disabled_at: datetime | None = None
    # SHA-256 of the account's API token (``assistant users token NAME``); None when there is none.
    api_token_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)

    # Flask-Login's user protocol.
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def get_id(self) -> str:
        """Flask-Login's alternative token: the id with the current session token, checked on every request."""
        return f"{self.id}:{self.session_token}"


class Negotiation(SQLModel, table=True):
    """One agreement being negotiated: the scenario as entered so far (it may still be incomplete).

    ``revision`` grows with every change, so two people editing at once never overwrite each other.
    """

    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    scenario: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    example: str | None = Field(default=None, max_length=100, index=True)
    revision: int = Field(default=1)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now, index=True)  # the home page lists by it, a page at a time


class Membership(SQLModel, table=True):
    """A person's part in one negotiation: convener, a party's representative, or legal reviewer."""

    __table_args__ = (UniqueConstraint("negotiation_id", "user_id", "role", "party_id"),)

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)  # convener | party | reviewer
    party_id: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=now)


class Invitation(SQLModel, table=True):
    """A signed, expiring, revocable link that binds whoever accepts it to a party (or as reviewer)."""

    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)  # party | reviewer
    party_id: str = Field(default="", max_length=64)
    nonce: str = Field(max_length=64)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=now)
    expires_at: datetime
    revoked_at: datetime | None = None
    accepted_by: int | None = Field(default=None, foreign_key="user.id")
    accepted_at: datetime | None = None


class Position(SQLModel, table=True):
    """A party's position on one suggestion or article: accept, prefer another variant, object, amend."""

    __table_args__ = (UniqueConstraint("negotiation_id", "party_id", "target"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    party_id: str = Field(max_length=64)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    target: str = Field(max_length=200)  # "article:<clause id>" or "role:<role>", "cost_model:<id>", ...
    stance: str = Field(max_length=20)  # accept | prefer_variant | object | amend
    variant: str | None = Field(default=None, max_length=64)
    reasons: str = Field(default="", max_length=4000)
    amended_text: str = Field(default="", max_length=20000)
    proposed_party: str | None = Field(default=None, max_length=64)
    proposed_share: float | None = None
    updated_at: datetime = Field(default_factory=now)


class PrivateNote(SQLModel, table=True):
    """A note only the members of one party can read."""

    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    party_id: str = Field(max_length=64)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    target: str = Field(default="", max_length=200)
    text: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=now)


class Comment(SQLModel, table=True):
    """A comment on an article of a draft version, in threads (``parent_id``)."""

    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    version_id: int = Field(foreign_key="draft_version.id", index=True, ondelete="CASCADE")
    clause: str = Field(default="", max_length=100)
    parent_id: int | None = Field(default=None, foreign_key="comment.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    text: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=now)


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, with the state before and after."""

    __tablename__ = "audit_event"
    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int | None = Field(default=None, index=True)
    user_id: int | None = Field(default=None)
    username: str = Field(default="", max_length=80)
    at: datetime = Field(default_factory=now)
    action: str = Field(max_length=60)
    target: str = Field(default="", max_length=200)
    before: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: Any = Field(default=None, sa_column=Column(JSON, nullable=True))


class ChoiceRecord(SQLModel, table=True):
    """The negotiator's decision on one suggestion (accept, reject, reassign to another party)."""

    __tablename__ = "choice"
    __table_args__ = (UniqueConstraint("negotiation_id", "kind", "item", "party", "for_party"),)

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=40)
    item: str = Field(max_length=100)
    party: str = Field(default="", max_length=64)
    for_party: str = Field(default="", max_length=64)
    action: str = Field(max_length=20)
    new_party: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=now)


class DraftVersion(SQLModel, table=True):
    """An immutable snapshot of a draft: the scenario, the choices and the answer at that moment."""

    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("negotiation_id", "number"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    number: int
    scenario: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    choices: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    advice: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    status: str = Field(default="draft", max_length=20)  # draft | in_review | changes_requested | approved
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    submitted_by: int | None = Field(default=None, foreign_key="user.id")  # who sent it for review (last)


class ExerciseAttempt(SQLModel, table=True):
    """A trainee's exercise on a training scenario: the answer sheet, then (once submitted) its explained score.

    ``answers`` is the sheet as typed so far (``assistant.domain.exercise.AnswerSheet``); ``breakdown`` is the
    scored result at submission (per category: matched, missed, extra, each with its rules), kept as it was then.
    """

    __tablename__ = "exercise_attempt"
    __table_args__ = (Index("ix_exercise_attempt_slug_user_id", "slug", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    slug: str = Field(max_length=100)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="in_progress", max_length=20)  # in_progress | submitted
    score: float | None = None  # 0..1, set on submission
    breakdown: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    rule_base: str = Field(default="", max_length=40)  # the versioned name of the rule base that scored it
    started_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    submitted_at: datetime | None = None
