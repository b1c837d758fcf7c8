"""Positions and private notes: what each party says about each suggestion and article (database services).

A position is public to everyone who may view the negotiation: it is what the party puts on the table.
A private note is not: only the representatives of its party may read it. That is enforced here, in the
services, so that no page, download or audit entry can show a note to anyone else (not the convener, not
a reviewer, not an administrator).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..domain.advice import Advice, ConflictAdvice
from ..domain.clauses import ClauseLibrary
from ..domain.facts import PartyPosition
from ..domain.rules import RuleBase
from ..domain.vocab import label
from ..models import Membership, Negotiation, Position, PrivateNote, now
from .audit import record

STANCES = ("accept", "prefer_variant", "object", "amend")
STANCE_LABELS = {
    "accept": "accept",
    "prefer_variant": "prefer another variant",
    "object": "object",
    "amend": "amend",
}
# The kinds of rows, in the order the pages show them, with their headings.
SECTIONS = {
    "agreement_type": "Agreement types",
    "role": "Roles",
    "cost_model": "Cost models",
    "risk_flag": "Risks and safeguards",
    "practice": "Good practices",
    "article": "Articles of the draft",
}
MAX_REASONS = 4000
MAX_AMENDED = 20000
MAX_NOTE = 4000
POSITION_RULES_FILE = "positions.yaml"


class NotRepresentative(PermissionError):
    """The user does not represent the party: its private notes and its positions are not theirs."""


class StalePosition(Exception):
    """The position changed (or was recorded, or withdrawn) since the form was opened; nothing was overwritten.

    ``current`` is the position as it is now (None when there is none)."""

    def __init__(self, current: Position | None):
        super().__init__("the position changed since the form was opened")
        self.current = current


class InvalidInput(ValueError):
    """What was sent cannot be stored; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# ---------------------------------------------------------------- rows: what positions are about


@dataclass(frozen=True)
class Row:
    """One suggestion or article a party takes a position on; ``target`` is what the Position stores."""

    kind: str  # agreement_type | role | cost_model | risk_flag | practice | article
    item: str
    title: str
    detail: str = ""
    variants: tuple[str, ...] = ()  # articles: the variants of the clause in the library
    current_variant: str | None = None
    current: bool = True  # False: a position on something the draft no longer contains

    @property
    def target(self) -> str:
        return f"{self.kind}:{self.item}"

    @property
    def anchor(self) -> str:
        return "pos-" + self.target.replace(":", "-").replace(".", "-")

    @property
    def section(self) -> str:
        return SECTIONS.get(self.kind, "Other")


def rows_of(advice: Advice | None, library: ClauseLibrary, names: Mapping[str, str] | None = None) -> list[Row]:
    """The rows of the positions page and the consensus matrix: every suggestion (agreement types, roles,
    cost models, risk flags, practices) and every article (or annex) of the current draft."""
    if advice is None:
        return []
    names = names or {}
    rows = [Row("agreement_type", a.id, label(a.id)) for a in advice.agreement_types]
    holders: dict[str, list[str]] = {}
    for r in advice.roles:
        who = names.get(r.party, r.party)
        holders.setdefault(r.role, []).append(f"{who} (for {names.get(r.for_, r.for_)})" if r.for_ else who)
    rows += [Row("role", role, label(role), "Suggested: " + "; ".join(who)) for role, who in holders.items()]
    rows += [Row("cost_model", m.id, label(m.id)) for m in advice.cost_allocation.models]
    rows += [Row("risk_flag", f.id, label(f.id), f"Severity: {f.severity}") for f in advice.risk_flags]
    rows += [Row("practice", p.id, label(p.id)) for p in advice.practices]
    seen: set[str] = set()
    parts = (
        [(f"Article {a.number}. {a.heading}", a.clause, a.variant) for a in advice.draft.articles]
        if advice.draft
        else []
    )
    parts += [(x.title, x.clause, "standard") for x in advice.draft.annexes] if advice.draft else []
    for title, clause_id, variant in parts:
        clause = library.get(clause_id) if clause_id else None
        if clause is None or clause_id in seen:
            continue
        seen.add(clause_id)
        rows.append(
            Row(
                "article",
                clause_id,
                title,
                f"Variant in the draft: {label(variant)}",
                variants=tuple(clause.variants),
                current_variant=variant,
            )
        )
    return rows


def row_for_target(target: str) -> Row:
    """A row for a target the draft no longer contains (kept so that nobody's position disappears)."""
    kind, _, item = target.partition(":")
    return Row(kind, item, label(item), "No longer suggested or in the draft", current=False)


# ---------------------------------------------------------------- who represents whom


def represents(*, session: Session, negotiation: Negotiation, user: Any, party_id: str) -> bool:
    """Whether the user is a representative of the party in this negotiation (read from the database)."""
    if not getattr(user, "is_authenticated", False) or not party_id or negotiation.id is None:
        return False
    found = session.exec(
        select(Membership.id).where(
            Membership.negotiation_id == negotiation.id,
            Membership.user_id == user.id,
            Membership.role == "party",
            Membership.party_id == party_id,
        )
    ).first()
    return found is not None


def _require_representative(session: Session, negotiation: Negotiation, user: Any, party_id: str) -> None:
    if not represents(session=session, negotiation=negotiation, user=user, party_id=party_id):
        raise NotRepresentative(party_id)


# ---------------------------------------------------------------- positions


@dataclass
class PositionInput:
    """A position as typed in the form (kept as typed, so a rejected form shows it again)."""

    stance: str = ""
    variant: str = ""
    reasons: str = ""
    amended_text: str = ""
    proposed_party: str = ""
    proposed_share: str = ""

    @classmethod
    def from_form(cls, form: Mapping[str, Any]) -> PositionInput:
        def text(name: str) -> str:
            value = form.get(name)
            return value if isinstance(value, str) else ""

        return cls(
            stance=text("stance").strip(),
            variant=text("variant").strip(),
            reasons=text("reasons").strip(),
            amended_text=text("amended_text").strip(),
            proposed_party=text("proposed_party").strip(),
            proposed_share=text("proposed_share").strip(),
        )

    @classmethod
    def from_position(cls, p: Position | None) -> PositionInput:
        if p is None:
            return cls()
        share = "" if p.proposed_share is None else f"{p.proposed_share:g}"
        return cls(p.stance, p.variant or "", p.reasons, p.amended_text, p.proposed_party or "", share)


def parse_share(text: str) -> float | None:
    """A proposed share as a number from 0 to 1 (``0.25``, ``0,25``); None when empty; ValueError if not."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    value = float(text)  # ValueError for anything that is not a number
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(text)
    return value


def check_position(data: PositionInput, row: Row, party_ids: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate a typed position for a row; return the values to store and the problems, by field."""
    errors: dict[str, str] = {}
    stance = data.stance
    if stance not in STANCES:
        errors["stance"] = "Choose a stance: accept, prefer another variant, object, or propose an amendment."
    elif stance == "prefer_variant" and row.kind != "article":
        errors["stance"] = "Only articles have variants to prefer: choose another stance."
    if len(data.reasons) > MAX_REASONS:
        errors["reasons"] = f"Keep the reasons under {MAX_REASONS:,} characters."
    elif stance == "object" and not data.reasons:
        errors["reasons"] = "Give the reasons for the objection, so the other parties can answer them."
    if len(data.amended_text) > MAX_AMENDED:
        errors["amended_text"] = f"Keep the amended text under {MAX_AMENDED:,} characters."
    variant = None
    if stance == "prefer_variant" and row.kind == "article":
        if not data.variant:
            errors["variant"] = "Choose the variant you prefer."
        elif data.variant not in row.variants:
            errors["variant"] = "Choose one of the variants of this article."
        else:
            variant = data.variant
    proposed_party = None
    if row.kind == "role" and data.proposed_party:
        if data.proposed_party not in set(party_ids):
            errors["proposed_party"] = "Choose one of the parties of the negotiation."
        elif stance in STANCES and stance != "amend":
            errors["proposed_party"] = "Proposing a party is an amendment: choose “propose an amendment” as the stance."
        else:
            proposed_party = data.proposed_party
    share = None
    if row.kind == "cost_model" and data.proposed_share:
        try:
            share = parse_share(data.proposed_share)
        except ValueError:
            errors["proposed_share"] = "Give the share as a number from 0 to 1, for example 0.25 for a quarter."
        else:
            if stance == "object":
                errors["proposed_share"] = (
                    "An objection carries no share: leave the share empty or choose another stance."
                )
    if stance == "amend" and not (data.amended_text or proposed_party or share is not None) and not errors:
        errors["amended_text"] = {
            "role": "Propose another party or write the amendment you propose.",
            "cost_model": "Propose a share or write the amendment you propose.",
        }.get(row.kind, "Write the amended text you propose.")
    values = {
        "stance": stance,
        "variant": variant,
        "reasons": data.reasons,
        "amended_text": data.amended_text if stance != "accept" else "",
        "proposed_party": proposed_party,
        "proposed_share": share,
    }
    return values, errors


def describe_position(p: Position | None) -> dict[str, Any] | None:
    """A position as the audit trail records it."""
    if p is None:
        return None
    return {
        "party": p.party_id,
        "target": p.target,
        "stance": p.stance,
        "variant": p.variant,
        "reasons": p.reasons,
        "amended_text": p.amended_text,
        "proposed_party": p.proposed_party,
        "proposed_share": p.proposed_share,
    }


def position_of(*, session: Session, negotiation: Negotiation, party_id: str, target: str) -> Position | None:
    return session.exec(
        select(Position).where(
            Position.negotiation_id == negotiation.id, Position.party_id == party_id, Position.target == target
        )
    ).first()


def positions_by_target(*, session: Session, negotiation: Negotiation, party_id: str) -> dict[str, Position]:
    """One party's positions, by target."""
    rows = session.exec(
        select(Position).where(Position.negotiation_id == negotiation.id, Position.party_id == party_id)
    )
    return {p.target: p for p in rows}


NEW = "new"  # what a form opened on a row without a position says it was opened at


def opened_stamp(position: Position | None) -> str:
    """What a form carries about the position it was opened on: its last change (UTC, to the microsecond), or
    "new" when there was none. A save or a withdrawal is refused when the position is no longer that."""
    if position is None:
        return NEW
    stamp = position.updated_at
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp.isoformat(timespec="microseconds")


def _current(session: Session, negotiation: Negotiation, party_id: str, target: str) -> Position | None:
    """The position as stored now, read again from the database (not from the session's memory)."""
    return session.exec(
        select(Position)
        .where(Position.negotiation_id == negotiation.id, Position.party_id == party_id, Position.target == target)
        .execution_options(populate_existing=True)
    ).first()


def record_position(
    *,
    session: Session,
    negotiation: Negotiation,
    party_id: str,
    row: Row,
    data: PositionInput,
    party_ids: Iterable[str],
    user: Any,
    opened: str,
) -> Position:
    """Record (or replace) the party's position on a row, only if it is still as it was when the form was
    ``opened`` (see ``opened_stamp``); raises NotRepresentative, InvalidInput or StalePosition (nothing is
    overwritten: two representatives of one party never silently replace each other's position)."""
    _require_representative(session, negotiation, user, party_id)
    values, errors = check_position(data, row, party_ids)
    if errors:
        raise InvalidInput(errors)
    position = _current(session, negotiation, party_id, row.target)
    if opened != opened_stamp(position):
        raise StalePosition(position)
    before = describe_position(position)
    changed = {**values, "user_id": getattr(user, "id", None), "updated_at": now()}
    if position is None:
        position = Position(negotiation_id=negotiation.id, party_id=party_id, target=row.target, **changed)
        session.add(position)
        try:
            session.flush()  # the unique (party, target) row, taken or not, before the audit event
        except IntegrityError:  # another representative of the party recorded one at the same moment
            session.rollback()
            raise StalePosition(_current(session, negotiation, party_id, row.target)) from None
    else:
        # Compare and swap: the row changes only if nobody changed it since it was read above.
        result = session.exec(
            update(Position)
            .where(Position.id == position.id, Position.updated_at == position.updated_at)
            .values(**changed)
        )
        if result.rowcount != 1:
            session.rollback()
            raise StalePosition(_current(session, negotiation, party_id, row.target))
    session.refresh(position)
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="position.record",
        target=f"{party_id}:{row.target}",
        before=before,
        after=describe_position(position),
    )
    session.commit()
    return position


def withdraw_position(
    *, session: Session, negotiation: Negotiation, party_id: str, target: str, user: Any, opened: str
) -> bool:
    """Withdraw the party's position on a target if it is still as it was when the form was ``opened``; False
    when there was none (and none was expected); raises NotRepresentative or StalePosition."""
    _require_representative(session, negotiation, user, party_id)
    position = _current(session, negotiation, party_id, target)
    if opened != opened_stamp(position):
        raise StalePosition(position)
    if position is None:
        return False
    before = describe_position(position)
    result = session.exec(
        delete(Position).where(Position.id == position.id, Position.updated_at == position.updated_at)
    )
    if result.rowcount != 1:
        session.rollback()
        raise StalePosition(_current(session, negotiation, party_id, target))
    session.expunge(position)
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="position.withdraw",
        target=f"{party_id}:{target}",
        before=before,
        after=None,
    )
    session.commit()
    return True


# ---------------------------------------------------------------- private notes


def private_notes(*, session: Session, negotiation: Negotiation, party_id: str, user: Any) -> list[PrivateNote]:
    """The party's private notes, newest first; only for its representatives (NotRepresentative otherwise,
    whatever the user's other roles: convener, reviewer and administrator included)."""
    _require_representative(session, negotiation, user, party_id)
    return list(
        session.exec(
            select(PrivateNote)
            .where(PrivateNote.negotiation_id == negotiation.id, PrivateNote.party_id == party_id)
            .order_by(PrivateNote.id.desc())
        )
    )


def add_private_note(
    *, session: Session, negotiation: Negotiation, party_id: str, user: Any, text: str, target: str = ""
) -> PrivateNote:
    """Add a note only the party's representatives can read; raises NotRepresentative or InvalidInput."""
    _require_representative(session, negotiation, user, party_id)
    text = text.strip()
    if not text:
        raise InvalidInput({"note": "Write the note."})
    if len(text) > MAX_NOTE:
        raise InvalidInput({"note": f"Keep the note under {MAX_NOTE:,} characters."})
    if len(target) > 200:
        raise InvalidInput({"note": "This note is not about anything on this page."})
    note = PrivateNote(negotiation_id=negotiation.id, party_id=party_id, user_id=user.id, target=target, text=text)
    session.add(note)
    session.flush()  # the id, for the audit event
    # The audit trail is read by the convener, the reviewers and administrators: it records that a note
    # was added, never what it says.
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="note.add",
        target=f"{party_id}:{target}" if target else party_id,
        after={"id": note.id, "party": party_id, "target": target, "characters": len(text)},
    )
    session.commit()
    return note


# ---------------------------------------------------------------- consensus


@dataclass
class MatrixRow:
    """One row of the consensus matrix: each party's position (or None) and the counts per stance."""

    row: Row
    cells: list[tuple[str, Position | None]]
    counts: dict[str, int] = field(default_factory=dict)


def consensus_matrix(rows: list[Row], positions: Iterable[Position], party_ids: list[str]) -> list[MatrixRow]:
    """Rows × parties; positions on targets that are no longer in the draft are kept at the end."""
    by_key = {(p.target, p.party_id): p for p in positions}
    targets = {r.target for r in rows}
    extra = [row_for_target(t) for t in dict.fromkeys(t for t, _ in by_key) if t not in targets]
    out = []
    for row in rows + extra:
        cells = [(party, by_key.get((row.target, party))) for party in party_ids]
        counts = dict.fromkeys((*STANCES, "none"), 0)
        for _, p in cells:
            counts[p.stance if p and p.stance in STANCES else "none"] += 1
        out.append(MatrixRow(row, cells, counts))
    return out


def position_conflicts(advice: Advice | None, rule_base: RuleBase) -> list[ConflictAdvice]:
    """The conflicts the rule base raised from the parties' positions (rules of rules/positions.yaml)."""
    if advice is None:
        return []
    ids = {r.id for r in rule_base.rules if Path(r.file).name == POSITION_RULES_FILE}
    return [c for c in advice.conflicts if set(c.because) & ids]


# ---------------------------------------------------------------- positions as the rule base reads them


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
