"""Negotiations: their scenario as entered, the negotiators' choices on the suggestions, and the examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, select

from ..domain.facts import Choice
from ..domain.scenario import ScenarioError, clean_text, load_scenario
from ..models import ChoiceRecord, DraftVersion, Membership, Negotiation, now
from .audit import record
from .pages import Page, paginate


class StaleNegotiation(Exception):
    """Someone else changed the negotiation since the form was opened; nothing was overwritten."""


PER_PAGE = 25  # negotiations per page of the home page


def list_negotiations(
    *, session: Session, user: Any = None, page: int = 1, per_page: int = PER_PAGE, search: str = ""
) -> Page:
    """The negotiations the user may see whose title contains ``search`` (any case), most recently changed first
    (all of them without a user), one page at a time: the cost of the home page does not grow with their number
    (the order uses the index on ``updated_at``)."""
    query = select(Negotiation)
    visible = _visible(user)
    if visible is not None:
        query = query.where(visible)
    if search:
        query = query.where(func.lower(Negotiation.title).contains(search.lower(), autoescape=True))
    query = query.order_by(Negotiation.updated_at.desc(), Negotiation.id.desc())
    return paginate(session, query, page=page, per_page=per_page)


def _visible(user: Any) -> Any:
    """Which negotiations a user may see (None: all): those of which they are a member; a trainer also the
    examples; an administrator all."""
    if user is None or user.role == "admin":
        return None
    mine = select(Membership.negotiation_id).where(Membership.user_id == user.id)
    visible = Negotiation.id.in_(mine)
    if user.role == "trainer":
        visible = or_(visible, Negotiation.example.is_not(None))
    return visible


def get_negotiation(*, session: Session, negotiation_id: int) -> Negotiation | None:
    return session.get(Negotiation, negotiation_id)


def create_negotiation(
    *,
    session: Session,
    title: str,
    scenario: dict[str, Any] | None = None,
    example: str | None = None,
    user: Any = None,
) -> Negotiation:
    """Start a negotiation, blank (just a title) or from a scenario; its creator convenes it. One transaction:
    the negotiation, the convener's membership and the audit event are written together or not at all."""
    data = dict(scenario or {})
    data.setdefault("title", title)
    given = clean_text(data["title"])  # the scenario's, if it is text (an import may say ``title: null``)
    shown = given.strip()[:300] if isinstance(given, str) and given.strip() else title
    negotiation = Negotiation(title=shown, scenario=data, example=example, created_by=getattr(user, "id", None))
    session.add(negotiation)
    session.flush()  # the id, for the membership and the audit event
    if user is not None:
        session.add(Membership(negotiation_id=negotiation.id, user_id=user.id, role="convener"))
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="negotiation.create",
        target=negotiation.title,
        after=data,
    )
    session.commit()
    return negotiation


def _bump(session: Session, negotiation: Negotiation, expected: int | None, **values: Any) -> None:
    """Change the negotiation only if nobody else did since ``expected`` (compare and swap); the caller adds its
    audit event and commits."""
    stmt = update(Negotiation).where(Negotiation.id == negotiation.id)
    if expected is not None:
        stmt = stmt.where(Negotiation.revision == expected)
    result = session.exec(stmt.values(revision=Negotiation.revision + 1, updated_at=now(), **values))
    if result.rowcount != 1:
        session.rollback()
        session.refresh(negotiation)
        raise StaleNegotiation


def _commit(session: Session, negotiation: Negotiation) -> None:
    """Commit the operation (its change and its audit event) and read the negotiation's new revision back."""
    session.commit()
    session.refresh(negotiation)


def save_scenario(
    *,
    session: Session,
    negotiation: Negotiation,
    data: dict[str, Any],
    user: Any = None,
    expected_revision: int | None = None,
) -> None:
    """Store the scenario as entered (valid or not: nothing the negotiator typed is lost).

    With ``expected_revision``, raise StaleNegotiation instead of overwriting someone else's change.
    """
    before = dict(negotiation.scenario)
    title = clean_text(data.get("title"))  # the page title, as the contract will read it
    values: dict[str, Any] = {"scenario": data}
    if isinstance(title, str) and title.strip():
        values["title"] = title.strip()[:300]
    _bump(session, negotiation, expected_revision, **values)
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="scenario.save",
        target=values.get("title", negotiation.title),
        before=before,
        after=data,
    )
    _commit(session, negotiation)


def delete_negotiation(*, session: Session, negotiation: Negotiation, user: Any = None) -> None:
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="negotiation.delete",
        target=negotiation.title,
        before=negotiation.scenario,
    )
    session.exec(delete(ChoiceRecord).where(ChoiceRecord.negotiation_id == negotiation.id))
    session.exec(delete(DraftVersion).where(DraftVersion.negotiation_id == negotiation.id))
    session.delete(negotiation)
    session.commit()


def choices_of(*, session: Session, negotiation: Negotiation) -> list[Choice]:
    rows = session.exec(
        select(ChoiceRecord).where(ChoiceRecord.negotiation_id == negotiation.id).order_by(ChoiceRecord.id)
    )
    return [
        Choice(
            kind=r.kind,
            item=r.item,
            action=r.action,
            party=r.party or None,
            for_=r.for_party or None,
            new_party=r.new_party,
        )
        for r in rows
    ]


def record_choice(
    *,
    session: Session,
    negotiation: Negotiation,
    choice: Choice,
    user: Any = None,
    expected_revision: int | None = None,
) -> None:
    """Record (or replace) the negotiator's decision on one suggestion; ``action='undo'`` clears it.

    With ``expected_revision``, raise StaleNegotiation if someone else changed the negotiation meanwhile.
    """
    before = next(
        (c.model_dump() for c in choices_of(session=session, negotiation=negotiation) if c.key() == choice.key()), None
    )
    _bump(session, negotiation, expected_revision)
    session.exec(
        delete(ChoiceRecord).where(
            ChoiceRecord.negotiation_id == negotiation.id,
            ChoiceRecord.kind == choice.kind,
            ChoiceRecord.item == choice.item,
            ChoiceRecord.party == (choice.party or ""),
            ChoiceRecord.for_party == (choice.for_ or ""),
        )
    )
    if choice.action != "undo":
        session.add(
            ChoiceRecord(
                negotiation_id=negotiation.id,
                kind=choice.kind,
                item=choice.item,
                party=choice.party or "",
                for_party=choice.for_ or "",
                action=choice.action,
                new_party=choice.new_party,
            )
        )
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action=f"choice.{choice.action}",
        target=":".join(x for x in choice.key() if x),
        before=before,
        after=None if choice.action == "undo" else choice.model_dump(),
    )
    _commit(session, negotiation)


def example_files(folder: str | Path) -> list[Path]:
    """The example scenarios shipped with the project."""
    return sorted(Path(folder).glob("*.yaml"))


def load_examples(*, session: Session, folder: str | Path) -> list[Negotiation]:
    """Open each example scenario as a ready negotiation, once (examples already loaded are skipped)."""
    created = []
    for path in example_files(folder):
        if session.exec(select(Negotiation).where(Negotiation.example == path.stem)).first():
            continue
        scenario = load_scenario(path)
        created.append(
            create_negotiation(session=session, title=scenario.title, scenario=scenario.to_dict(), example=path.stem)
        )
    return created


def start_from_example(*, session: Session, folder: str | Path, name: str, user: Any = None) -> Negotiation:
    """A new negotiation copied from one example scenario."""
    path = next((p for p in example_files(folder) if p.stem == name), None)
    if path is None:
        raise ScenarioError([])
    scenario = load_scenario(path)
    return create_negotiation(session=session, title=scenario.title, scenario=scenario.to_dict(), user=user)
