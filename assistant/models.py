"""Database tables: negotiations, the negotiator's choices, and draft versions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


class Negotiation(SQLModel, table=True):
    """One agreement being negotiated: the scenario as entered so far (it may still be incomplete)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    scenario: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    example: str | None = Field(default=None, max_length=100, index=True)
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)


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
    __table_args__ = (UniqueConstraint("negotiation_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    negotiation_id: int = Field(foreign_key="negotiation.id", index=True, ondelete="CASCADE")
    number: int
    scenario: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    choices: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    advice: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now)
