"""Readiness of the database, for ``/readyz``."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session


def database_problem(*, session: Session) -> str | None:
    """Why the database cannot serve (its error class only: no connection string, no data), or None."""
    try:
        session.exec(text("SELECT 1")).one()  # type: ignore[call-overload]
    except SQLAlchemyError as exc:
        session.rollback()
        return f"database unreachable ({type(exc).__name__})"
    return None
