"""Wizard views: each step has its own URL, works without JavaScript (POST, then redirect)
and answers htmx requests with the step fragment."""

from __future__ import annotations

import re

from flask import abort, redirect, render_template, request, url_for
from flask_htmx import make_response
from flask_login import current_user

from ..db import get_session
from ..domain.draft_check import DraftFormatError, check_draft
from ..domain.facts import CHOICE_KINDS, Choice
from ..domain.scenario import ScenarioError, parse_scenario
from ..services.negotiations import StaleNegotiation, record_choice, save_scenario
from ..services.versions import draft_versions, save_draft_version
from ..web import is_htmx_partial, render_page_or_partial
from ..web.access import can
from ..web.guards import advice_for, negotiation_or_404
from . import bp
from .forms import FORM_STEPS, STEPS, apply_row_op, merge_step, next_step, read_step, step, step_problems

ACTIONS = ("accept", "reject", "reassign", "undo")
REVISION = re.compile(r"[0-9]{1,18}")  # the negotiation's revision as every wizard form carries it


def _render_step(negotiation, name: str, data: dict, errors=None, general=None, status: int = 200, **extra):
    advice, problems = advice_for(negotiation, data)  # the data as typed, saved or not
    if name == "draft" and advice is not None and advice.draft is not None:
        answer = advice.to_contract()  # the check reads the draft as the JSON answer gives it
        try:
            extra["findings"] = check_draft(answer["draft"], scenario=parse_scenario(data), advice=answer)
        except DraftFormatError:  # a draft the assistant made always reads; never let the check break the page
            extra["findings"] = None
    ctx = dict(
        can_edit=can(current_user, "edit", negotiation),
        negotiation=negotiation,
        step=step(name),
        steps=STEPS,
        data=data,
        errors=errors or {},
        general=general or [],
        advice=advice,
        problems=problems,
        **extra,
    )
    body = render_page_or_partial("wizard/step.html", "wizard/_partials/step.html", **ctx)
    return body, status


@bp.get("/<int:negotiation_id>/")
def start(negotiation_id: int):
    """A negotiation opens on its first step."""
    negotiation_or_404(negotiation_id)
    return redirect(url_for("wizard.show", negotiation_id=negotiation_id, name="context"))


@bp.get("/<int:negotiation_id>/<name>")
def show(negotiation_id: int, name: str):
    """Show one step."""
    if step(name) is None:
        abort(404)
    negotiation = negotiation_or_404(negotiation_id)
    return _show_step(negotiation, name)


def _show_step(negotiation, name: str):
    """A step as it is shown on arrival: values that are wrong are flagged, those not filled in yet are not."""
    extra = {}
    if name == "draft":
        extra["versions"] = draft_versions(session=get_session(), negotiation=negotiation)
    errors, general = _step_errors(name, negotiation.scenario, missing=False) if name in FORM_STEPS else ({}, [])
    return _render_step(negotiation, name, negotiation.scenario, errors, general, **extra)


def _go(negotiation, name: str, anchor: str = ""):
    """After a successful POST: the step's fragment for htmx (with its URL pushed), else a redirect (303)."""
    url = url_for("wizard.show", negotiation_id=negotiation.id, name=name)
    if is_htmx_partial():
        body, _ = _show_step(negotiation, name)
        return make_response(body, push_url=url)
    return redirect(url + anchor, 303)


@bp.post("/<int:negotiation_id>/<name>")
def save(negotiation_id: int, name: str):
    """Save a form step; invalid input is kept and shown with its problems."""
    if name not in FORM_STEPS:
        abort(405)
    negotiation = negotiation_or_404(negotiation_id, "edit")
    data = merge_step(negotiation.scenario, name, read_step(request.form, name))
    op = request.form.get("op", "")
    row_op = apply_row_op(data, op)
    revision = _revision()
    if revision is None:
        return _stale(negotiation, name, data, "unchecked")
    try:
        save_scenario(
            session=get_session(), negotiation=negotiation, data=data, user=current_user, expected_revision=revision
        )
    except StaleNegotiation:
        return _stale(negotiation, name, data)
    if row_op:
        return _go(negotiation, name, "#rows")
    errors, general = _step_errors(name, data)
    if errors or general:
        return _render_step(negotiation, name, data, errors, general, 200 if is_htmx_partial() else 422)
    target = request.form.get("go") if request.form.get("go") in FORM_STEPS + ("suggestions",) else next_step(name)
    return _go(negotiation, target)


def _revision() -> int | None:
    """The revision the form was opened at; None when the form does not say (missing, blank or not a number).

    Every form carries it; one without it cannot be checked against changes made since, so it changes nothing
    and is answered like a conflict (``_stale(..., "unchecked")``).
    """
    value = request.form.get("revision", "").strip()
    return int(value) if REVISION.fullmatch(value) else None


def _stale(negotiation, name: str, data: dict, stale: bool | str = True):
    """Someone else saved first (or the form did not say when it was opened): show what was typed, kept, beside
    a clear notice; nothing is overwritten. 409 without JavaScript, 200 for htmx (which swaps only 2xx)."""
    body, _ = _render_step(negotiation, name, data, stale=stale)
    return body, 200 if is_htmx_partial() else 409


def _step_errors(name: str, data: dict, missing: bool = True):
    try:
        parse_scenario(data)
    except ScenarioError as exc:
        return step_problems(name, exc.problems, data, missing=missing)
    return {}, []


@bp.post("/<int:negotiation_id>/<name>/preview")
def preview(negotiation_id: int, name: str):
    """The live panel for a step's unsaved form (htmx); nothing is stored."""
    if name not in FORM_STEPS:
        abort(404)
    negotiation = negotiation_or_404(negotiation_id, "edit")
    data = merge_step(negotiation.scenario, name, read_step(request.form, name))
    advice, problems = advice_for(negotiation, data)  # the data as typed, saved or not
    return render_template(
        "wizard/_partials/live_panel.html", negotiation=negotiation, advice=advice, problems=problems, data=data
    )


@bp.post("/<int:negotiation_id>/choices")
def choose(negotiation_id: int):
    """Accept, reject, reassign or undo a suggestion."""
    negotiation = negotiation_or_404(negotiation_id, "edit")
    form = request.form
    kind, item, action = form.get("kind", ""), form.get("item", ""), form.get("action", "")
    if kind not in CHOICE_KINDS or action not in ACTIONS or not item:
        abort(400)
    new_party = form.get("new_party") or None
    if action == "reassign" and not new_party:
        action = "undo"
    choice = Choice(
        kind=kind,
        item=item,
        action=action,
        party=form.get("party") or None,
        for_=form.get("for") or None,
        new_party=new_party,
    )
    revision = _revision()
    if revision is None:
        return _stale(negotiation, "suggestions", negotiation.scenario, "unchecked")
    try:
        record_choice(
            session=get_session(),
            negotiation=negotiation,
            choice=choice,
            user=current_user,
            expected_revision=revision,
        )
    except StaleNegotiation:
        return _stale(negotiation, "suggestions", negotiation.scenario)
    return _go(negotiation, "suggestions", f"#{kind}-{item}")


@bp.get("/<int:negotiation_id>/why/<rule_id>")
def why(negotiation_id: int, rule_id: str):
    """Why a rule fired: its facts, rationale and source."""
    negotiation = negotiation_or_404(negotiation_id)
    advice, _ = advice_for(negotiation)
    fired = advice.rule(rule_id) if advice else None
    if fired is None:
        abort(404)
    return render_page_or_partial("wizard/why.html", "wizard/_partials/why.html", negotiation=negotiation, fired=fired)


@bp.post("/<int:negotiation_id>/versions")
def save_version(negotiation_id: int):
    """Freeze the current draft as a numbered version."""
    negotiation = negotiation_or_404(negotiation_id, "edit")
    advice, _ = advice_for(negotiation)
    if advice is None:
        return redirect(url_for("wizard.show", negotiation_id=negotiation_id, name="suggestions"), 303)
    save_draft_version(session=get_session(), negotiation=negotiation, advice=advice, user=current_user)
    return _go(negotiation, "draft", "#versions")
