"""The audit trail: every change, with who, when, what, and the state before and after."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlmodel import Session, select

from ..models import AuditEvent, Negotiation
from .pages import Page, paginate


def record(
    *,
    session: Session,
    negotiation_id: int | None,
    user: Any,
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Add one event to the caller's transaction; ``before``/``after`` are JSON-serialisable states of what
    changed. The caller commits once, so the event is written with the change it describes, or neither is."""
    event = AuditEvent(
        negotiation_id=negotiation_id,
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", "") or "",
        action=action,
        target=target[:200],
        before=before,
        after=after,
    )
    session.add(event)
    session.flush()
    return event


def _trail(negotiation: Negotiation) -> Any:
    """The query of a negotiation's events, oldest first: only those of its own lifetime. Ids are never reused
    (see models.NEVER_REUSE_IDS), and even if one were, a deleted negotiation's trail is not shown as this one's."""
    return (
        select(AuditEvent)
        .where(AuditEvent.negotiation_id == negotiation.id, AuditEvent.at >= negotiation.created_at)
        .order_by(AuditEvent.id)
    )


def events(*, session: Session, negotiation_id: int) -> list[AuditEvent]:
    """Every event of the negotiation, oldest first (the exports)."""
    negotiation = session.get(Negotiation, negotiation_id)
    return [] if negotiation is None else list(session.exec(_trail(negotiation)))


EVENTS_PER_PAGE = 100


def events_page(*, session: Session, negotiation_id: int, page: int, per_page: int = EVENTS_PER_PAGE) -> Page:
    """One page of the negotiation's events, oldest first (the audit page: its cost does not grow with the trail)."""
    negotiation = session.get(Negotiation, negotiation_id)
    if negotiation is None:
        return Page(items=[], number=1, per_page=per_page, total=0)
    return paginate(session, _trail(negotiation), page=page, per_page=per_page)


FIELDS = ("id", "at", "username", "action", "target", "before", "after")


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "username": event.username,
        "action": event.action,
        "target": event.target,
        "before": event.before,
        "after": event.after,
    }


def as_json(items: list[AuditEvent]) -> str:
    return json.dumps([_row(e) for e in items], ensure_ascii=False, indent=2)


def _cell(value: Any) -> Any:
    # A cell that starts like a formula would run in a spreadsheet: keep it text (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(items: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for e in items:
        row = _row(e)
        row["before"] = json.dumps(row["before"], ensure_ascii=False) if row["before"] is not None else ""
        row["after"] = json.dumps(row["after"], ensure_ascii=False) if row["after"] is not None else ""
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()
