"""Routes for the people of a negotiation: members, invitation links (create, copy, revoke), and the audit trail."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ..config import signing_keys
from ..db import get_session
from ..models import Invitation
from ..services.audit import as_csv, as_json, events, events_page
from ..services.pages import page_number
from ..services.people import PeopleError, invitations, invite, members, revoke, token_of
from ..web.access import can
from ..web.guards import negotiation_or_404
from . import bp


def _parties(negotiation) -> list[tuple[str, str]]:
    return [
        (str(p["id"]), str(p.get("name") or p["id"]))
        for p in negotiation.scenario.get("parties") or []
        if isinstance(p, dict) and p.get("id")
    ]


def _page(negotiation, status: int = 200, error: str = "", new_link: str = ""):
    session = get_session()
    editor = can(current_user, "edit", negotiation)
    secret = signing_keys(current_app.config)
    people = members(session=session, negotiation=negotiation)
    links = {}
    if editor:
        links = {
            i.id: url_for("auth.invitation", token=token_of(i, secret), _external=True)
            for i in invitations(session=session, negotiation=negotiation)
        }
    return render_template(
        "team/index.html",
        negotiation=negotiation,
        members=people,
        invitations=invitations(session=session, negotiation=negotiation) if editor else [],
        links=links,
        parties=_parties(negotiation),
        editor=editor,
        error=error,
        new_link=new_link,
        users={u.id: u for _, u in people},
        can_audit=can(current_user, "audit", negotiation),
    ), status


@bp.get("/<int:negotiation_id>/people")
def index(negotiation_id: int):
    """Who takes part, and (for the convener) the invitation links."""
    return _page(negotiation_or_404(negotiation_id))


@bp.post("/<int:negotiation_id>/invitations")
def create(negotiation_id: int):
    """Create an invitation link for a party's representative or a legal reviewer."""
    negotiation = negotiation_or_404(negotiation_id, "edit")
    try:
        token = invite(
            session=get_session(),
            negotiation=negotiation,
            role=request.form.get("role", ""),
            party_id=request.form.get("party", ""),
            by=current_user,
            secret=signing_keys(current_app.config),
        )
    except PeopleError as exc:
        return _page(negotiation, 422, error=str(exc))
    return _page(negotiation, new_link=url_for("auth.invitation", token=token, _external=True))


@bp.post("/<int:negotiation_id>/invitations/<int:invitation_id>/revoke")
def withdraw(negotiation_id: int, invitation_id: int):
    """Withdraw an invitation: its link stops working."""
    negotiation = negotiation_or_404(negotiation_id, "edit")
    invitation = get_session().get(Invitation, invitation_id)
    if invitation is None or invitation.negotiation_id != negotiation.id:
        abort(404)
    if invitation.revoked_at is None and invitation.accepted_at is None:
        revoke(session=get_session(), invitation=invitation, by=current_user)
    return redirect(url_for("team.index", negotiation_id=negotiation.id) + "#invitations", 303)


@bp.get("/<int:negotiation_id>/audit")
def audit(negotiation_id: int):
    """Every change to the negotiation: who, when, what, before and after; a page at a time (``?page=``)."""
    negotiation = negotiation_or_404(negotiation_id, "audit")
    listing = events_page(
        session=get_session(), negotiation_id=negotiation.id, page=page_number(request.args.get("page"))
    )
    return render_template("team/audit.html", negotiation=negotiation, events=listing.items, listing=listing)


@bp.get("/<int:negotiation_id>/audit.<fmt>")
def audit_export(negotiation_id: int, fmt: str):
    """The audit trail as CSV or JSON."""
    if fmt not in ("csv", "json"):
        abort(404)
    negotiation = negotiation_or_404(negotiation_id, "audit")
    items = events(session=get_session(), negotiation_id=negotiation.id)
    body, mimetype = (as_csv(items), "text/csv") if fmt == "csv" else (as_json(items), "application/json")
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="negotiation-{negotiation.id}-audit.{fmt}"'},
    )
