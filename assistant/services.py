"""Services: the only place that joins the database and the domain core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from .advicecache import ADVICE_CACHE, advice_key
from .audit import record
from .domain.advice import Advice
from .domain.evaluate import default_library, default_rule_base, evaluate
from .domain.facts import Choice, PartyPosition
from .domain.scenario import ScenarioError, clean_text, load_scenario, parse_scenario
from .models import ChoiceRecord, DraftVersion, Membership, Negotiation, Position, now


class StaleNegotiation(Exception):
    """Someone else changed the negotiation since the form was opened; nothing was overwritten."""


def list_negotiations(*, session: Session, user: Any = None) -> list[Negotiation]:
    """The negotiations the user may see, most recently changed first (all of them without a user)."""
    query = select(Negotiation).order_by(Negotiation.updated_at.desc(), Negotiation.id.desc())
    if user is not None and user.role != "admin":
        mine = select(Membership.negotiation_id).where(Membership.user_id == user.id)
        visible = Negotiation.id.in_(mine)
        if user.role == "trainer":
            visible = or_(visible, Negotiation.example.is_not(None))
        query = query.where(visible)
    return list(session.exec(query))


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


def positions_of(*, session: Session, negotiation: Negotiation) -> list[Position]:
    """Every party's recorded positions in the negotiation."""
    return list(session.exec(select(Position).where(Position.negotiation_id == negotiation.id).order_by(Position.id)))


def party_positions(*, session: Session, negotiation: Negotiation) -> list[PartyPosition]:
    """The positions as the rule base reads them."""
    return [
        PartyPosition(
            party=p.party_id,
            target=p.target,
            stance=p.stance,
            variant=p.variant,
            proposed_party=p.proposed_party,
            proposed_share=p.proposed_share,
        )
        for p in positions_of(session=session, negotiation=negotiation)
    ]


def advise(
    *, session: Session, negotiation: Negotiation, rules_dir: str, library_dir: str, data: dict[str, Any] | None = None
) -> Advice:
    """Evaluate the negotiation's scenario (or ``data``, an unsaved edit of it) with its choices and the
    parties' positions; raises ScenarioError if incomplete. Answers come from the advice cache when the
    same scenario, choices and positions were evaluated before (see ``advicecache``)."""
    return advice_on(
        negotiation.scenario if data is None else data,
        rules_dir=rules_dir,
        library_dir=library_dir,
        choices=choices_of(session=session, negotiation=negotiation),
        positions=party_positions(session=session, negotiation=negotiation),
    )


def advice_on(
    data: dict[str, Any],
    *,
    rules_dir: str,
    library_dir: str,
    choices: list[Choice] | None = None,
    positions: list[PartyPosition] | None = None,
) -> Advice:
    """The advice on scenario data (a negotiation's, a training scenario's, a what-if's) under the given rule
    base and clause library, from the advice cache when the same inputs were evaluated before; raises
    ScenarioError if the data is not a complete scenario."""
    choices, positions = choices or [], positions or []
    rule_base, library = default_rule_base(rules_dir), default_library(library_dir)
    return ADVICE_CACHE.get_or_compute(
        advice_key(data, choices, positions, rule_base, library),
        lambda: evaluate(parse_scenario(data), choices, positions=positions, rule_base=rule_base, library=library),
    )


VERSION_NUMBER_ATTEMPTS = 50


def save_draft_version(*, session: Session, negotiation: Negotiation, advice: Advice, user: Any = None) -> DraftVersion:
    """Freeze the current draft as the next numbered version.

    Numbers are unique per negotiation (a constraint): when another save took the number first, the insert (the
    transaction's only write so far) is rolled back and tried again with the next free number, so parallel saves
    get 1, 2, 3, ... The version and its audit event are committed together. (No savepoint: with SQLite's
    Python driver, releasing a savepoint opened outside a transaction commits it.)
    """
    contract = advice.to_contract()
    choices = [c.model_dump() for c in choices_of(session=session, negotiation=negotiation)]
    scenario = dict(negotiation.scenario)
    for attempt in range(VERSION_NUMBER_ATTEMPTS):
        last = session.exec(
            select(func.max(DraftVersion.number)).where(DraftVersion.negotiation_id == negotiation.id)
        ).one()
        version = DraftVersion(
            negotiation_id=negotiation.id,
            number=(last or 0) + 1,
            scenario=scenario,
            choices=choices,
            advice=contract,
            created_by=getattr(user, "id", None),
        )
        session.add(version)
        try:
            session.flush()
        except IntegrityError:  # another save took this number at the same moment: take the next one
            session.rollback()  # only this insert is undone: nothing else was written yet
            if attempt == VERSION_NUMBER_ATTEMPTS - 1:  # pragma: no cover - more parallel saves than attempts
                raise
            continue
        break
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="version.save",
        target=f"version {version.number}",
        after={"number": version.number, "status": version.status},
    )
    session.commit()
    return version


def draft_versions(*, session: Session, negotiation: Negotiation) -> list[DraftVersion]:
    return list(
        session.exec(
            select(DraftVersion)
            .where(DraftVersion.negotiation_id == negotiation.id)
            .order_by(DraftVersion.number.desc())
        )
    )


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
