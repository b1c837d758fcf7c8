"""Positions and consensus pages: each works without JavaScript (POST, then a 303 redirect back to the row)
and answers htmx requests with the row that changed."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..domain.evaluate import default_library, default_rule_base
from ..models import Negotiation
from ..services.positions import (
    SECTIONS,
    STANCE_LABELS,
    STANCES,
    InvalidInput,
    NotRepresentative,
    PositionInput,
    Row,
    StalePosition,
    add_private_note,
    consensus_matrix,
    opened_stamp,
    position_conflicts,
    positions_by_target,
    positions_of,
    private_notes,
    record_position,
    rows_of,
    withdraw_position,
)
from ..web import is_htmx_partial, render_page_or_partial
from ..web.access import can, parties_of
from ..web.guards import advice_for, negotiation_or_404
from . import bp


def _parties(negotiation: Negotiation) -> list[tuple[str, str]]:
    """The negotiation's parties as (id, name)."""
    return [
        (str(p["id"]), str(p.get("name") or p["id"]))
        for p in negotiation.scenario.get("parties") or []
        if isinstance(p, dict) and isinstance(p.get("id"), str) and p["id"]
    ]


def _chosen_party(negotiation: Negotiation, requested: str | None, mine: list[str]) -> str | None:
    """The party whose positions the page shows: the one asked for, else the user's own, else the first."""
    ids = [pid for pid, _ in _parties(negotiation)]
    if requested and (requested in mine or requested in ids):
        return requested
    return (mine or ids or [None])[0]


def _sections(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.kind, []).append(row)
    return [(SECTIONS.get(kind, "Other"), grouped[kind]) for kind in [*SECTIONS, "other"] if kind in grouped]


def _rows(negotiation: Negotiation):
    advice, problems = advice_for(negotiation)
    names = dict(_parties(negotiation))
    rows = rows_of(advice, default_library(current_app.config["CLAUSE_LIBRARY_DIR"]), names)
    return advice, problems, rows


def _context(
    negotiation: Negotiation,
    party: str | None,
    *,
    typed: dict[str, PositionInput] | None = None,
    errors: dict[str, dict[str, str]] | None = None,
    note_typed: dict[str, str] | None = None,
    note_errors: dict[str, str] | None = None,
    saved: str = "",
    stale: dict[str, bool] | None = None,
    opened: dict[str, str] | None = None,
) -> dict[str, Any]:
    session = get_session()
    advice, problems, rows = _rows(negotiation)
    mine = parties_of(current_user, negotiation)
    editable = bool(party) and party in mine and can(current_user, "position", negotiation)
    positions = positions_by_target(session=session, negotiation=negotiation, party_id=party) if party else {}
    inputs = {t: PositionInput.from_position(p) for t, p in positions.items()} | (typed or {})
    # Private notes: only the party's own representatives; the service refuses everyone else.
    notes = (
        private_notes(session=session, negotiation=negotiation, party_id=party, user=current_user) if editable else []
    )
    notes_by_target: dict[str, list] = {}
    for n in notes:
        notes_by_target.setdefault(n.target, []).append(n)
    known = {r.target for r in rows}
    return {
        "negotiation": negotiation,
        "advice": advice,
        "problems": problems,
        "rows": rows,
        "sections": _sections(rows),
        "titles": {r.target: r.title for r in rows},
        "orphans": [t for t in positions if t not in known],
        "parties": _parties(negotiation),
        "party_names": dict(_parties(negotiation)),
        "mine": mine,
        "party": party,
        "editable": editable,
        "positions": positions,
        # What each form says it was opened on (a save is refused if the position is no longer that).
        # A form sent back with problems keeps what it was opened on: correcting it must not skip the check.
        "opened": {t: opened_stamp(p) for t, p in positions.items()} | (opened or {}),
        "stale": stale or {},
        "inputs": inputs,
        "errors": errors or {},
        "notes": notes,
        "notes_by_target": notes_by_target,
        "note_typed": note_typed or {},
        "note_errors": note_errors or {},
        "saved": saved,
        "conflicts": position_conflicts(advice, default_rule_base(current_app.config["RULES_DIR"])),
        "stances": STANCES,
        "stance_labels": STANCE_LABELS,
        "nav_current": "positions",
    }


@bp.get("/<int:negotiation_id>/positions")
def index(negotiation_id: int):
    """A party's positions on every suggestion and article; forms for the parties the user represents."""
    negotiation = negotiation_or_404(negotiation_id)
    party = _chosen_party(negotiation, request.args.get("party"), parties_of(current_user, negotiation))
    ctx = _context(negotiation, party, saved=request.args.get("saved", ""))
    return render_page_or_partial("positions/index.html", "positions/_positions.html", **ctx)


def _represented(negotiation: Negotiation) -> str:
    """The party the form is for; 403 unless the user represents it."""
    party = request.form.get("party", "")
    if not party or party not in parties_of(current_user, negotiation):
        abort(403)
    return party


def _row_or_400(rows: list[Row], target: str) -> Row:
    row = next((r for r in rows if r.target == target), None)
    if row is None:
        abort(400)
    return row


def _back(negotiation: Negotiation, party: str, target: str, anchor: str):
    """After a change: the row for htmx (with the conflicts and notes refreshed), else back to the row."""
    if is_htmx_partial():
        ctx = _context(negotiation, party, saved=target)
        row = next((r for r in ctx["rows"] if r.target == target), None)
        if row is None:
            return render_template("positions/_notes.html", oob=False, **ctx)
        return render_template("positions/_row.html", row=row, oob=True, **ctx)
    url = url_for("positions.index", negotiation_id=negotiation.id, party=party, saved=target or None)
    return redirect(f"{url}#{anchor}", 303)


def _invalid(negotiation: Negotiation, party: str, target: str, status: int = 422, **ctx_args: Any):
    """Show what was sent again, with its problems: the row for htmx (200), else the whole page (422, or 409
    for a position that changed since the form was opened)."""
    ctx = _context(negotiation, party, **ctx_args)
    if is_htmx_partial():
        row = next((r for r in ctx["rows"] if r.target == target), None)
        if row is None:
            return render_template("positions/_notes.html", oob=False, **ctx)
        return render_template("positions/_row.html", row=row, oob=False, **ctx)
    return render_template("positions/index.html", **ctx), status


def _stale(negotiation: Negotiation, party: str, target: str, data: PositionInput):
    """Someone else changed the position first (or the form did not say what it was opened on): the position as
    it is now beside what was typed, kept; the form now carries the current position, so sending it again
    replaces it on purpose. Nothing was overwritten."""
    return _invalid(negotiation, party, target, status=409, typed={target: data}, stale={target: True})


@bp.post("/<int:negotiation_id>/positions")
def record(negotiation_id: int):
    """Record, replace or withdraw the position of a party the user represents on one row."""
    negotiation = negotiation_or_404(negotiation_id, "position")
    party = _represented(negotiation)
    _, _, rows = _rows(negotiation)
    target = request.form.get("target", "")
    row = _row_or_400(rows, target)
    session = get_session()
    data = PositionInput.from_form(request.form)
    opened = request.form.get("opened", "").strip()[:40]  # what the position was when the form was opened
    try:
        if request.form.get("op") == "withdraw":
            withdraw_position(
                session=session,
                negotiation=negotiation,
                party_id=party,
                target=target,
                user=current_user,
                opened=opened,
            )
        else:
            record_position(
                session=session,
                negotiation=negotiation,
                party_id=party,
                row=row,
                data=data,
                party_ids=[pid for pid, _ in _parties(negotiation)],
                user=current_user,
                opened=opened,
            )
    except NotRepresentative:
        abort(403)
    except StalePosition:
        return _stale(negotiation, party, target, data)
    except InvalidInput as exc:
        return _invalid(
            negotiation, party, target, typed={target: data}, errors={target: exc.errors}, opened={target: opened}
        )
    return _back(negotiation, party, target, row.anchor)


@bp.post("/<int:negotiation_id>/positions/notes")
def add_note(negotiation_id: int):
    """Add a private note for a party the user represents, on one row or on the negotiation as a whole."""
    negotiation = negotiation_or_404(negotiation_id, "position")
    party = _represented(negotiation)
    target = request.form.get("target", "")
    anchor = "private-notes"
    if target:
        _, _, rows = _rows(negotiation)
        anchor = _row_or_400(rows, target).anchor
    text = request.form.get("note", "")
    try:
        add_private_note(
            session=get_session(), negotiation=negotiation, party_id=party, user=current_user, text=text, target=target
        )
    except NotRepresentative:
        abort(403)
    except InvalidInput as exc:
        return _invalid(
            negotiation, party, target, note_typed={target: text[:20000]}, note_errors={target: exc.errors["note"]}
        )
    return _back(negotiation, party, target, anchor)


@bp.get("/<int:negotiation_id>/consensus")
def consensus(negotiation_id: int):
    """The consensus matrix: each party's stance on each suggestion and article, and the conflicts."""
    negotiation = negotiation_or_404(negotiation_id)
    advice, problems, rows = _rows(negotiation)
    parties = _parties(negotiation)
    matrix = consensus_matrix(
        rows, positions_of(session=get_session(), negotiation=negotiation), [p for p, _ in parties]
    )
    sections: dict[str, list] = {}
    for m in matrix:
        sections.setdefault(m.row.section if m.row.current else "No longer in the draft", []).append(m)
    return render_page_or_partial(
        "positions/consensus.html",
        "positions/_consensus.html",
        negotiation=negotiation,
        advice=advice,
        problems=problems,
        parties=parties,
        party_names=dict(parties),
        sections=list(sections.items()),
        conflicts=position_conflicts(advice, default_rule_base(current_app.config["RULES_DIR"])),
        stances=STANCES,
        stance_labels=STANCE_LABELS,
        mine=parties_of(current_user, negotiation),
        nav_current="consensus",
    )
