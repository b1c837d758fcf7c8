"""Training: exercise mode. A trainee answers for a training scenario with the suggestions hidden, saves as often as
they like, submits, and sees the explained score; trainers and administrators see every trainee's results.

Everything works without JavaScript: plain forms, POST then 303 redirect; bad answers are shown again with a
message per section (422), and whatever was valid is saved.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...db import get_session
from ...domain.exercise import (
    CATEGORIES,
    CATEGORY,
    FORMULA,
    KEY_ROLES,
    AnswerProblem,
    AnswerSheet,
    parse_answers,
    percent,
)
from ...domain.training import TrainingScenario
from ...domain.vocab import AGREEMENT_TYPES, COST_MODELS, PRACTICES, RISK_FLAGS
from ...models import ExerciseAttempt
from ...services.exercises import (
    AttemptClosed,
    attempts_of,
    get_attempt,
    is_staff,
    may_open,
    result_of,
    results_for,
    save_answers,
    sheet_of,
    start,
    submit,
    trainee,
)
from .. import bp
from ..common import scenario_or_404
from .library import facts_of

MAX_ID = 2**31 - 1
# Which section of the sheet a form field belongs to, for messages next to the answers they concern.
SECTIONS = {
    "agreement_types": "agreement_types",
    "lead": "leadership",
    "backup_lead": "leadership",
    "roles": "roles",
    "cost_models": "cost_models",
    "risk_flags": "risk_flags",
    "practices": "practices",
}


def _attempt_or_404(attempt_id: int) -> ExerciseAttempt:
    """The attempt, if the signed-in user may open it (its trainee, trainers, admins); else 404."""
    attempt = get_attempt(session=get_session(), attempt_id=attempt_id) if attempt_id <= MAX_ID else None
    if attempt is None or not may_open(current_user, attempt):
        abort(404)  # do not tell other trainees that the attempt exists
    return attempt


def _section_errors(problems: list[AnswerProblem]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for p in problems:
        section = SECTIONS.get(p.field, "roles" if p.field.startswith("role.") else "agreement_types")
        errors.setdefault(section, []).append(p.message)
    return errors


def _context(attempt: ExerciseAttempt, item: TrainingScenario, **extra) -> dict:
    scenario = item.scenario
    ctx = {
        "attempt": attempt,
        "item": item,
        "scenario": scenario,
        "parties": {p.id: p.name for p in scenario.parties},
        "facts": facts_of(scenario),
        "trainee": trainee(session=get_session(), attempt=attempt),
        "own": attempt.user_id == current_user.id,
        "staff": is_staff(current_user),
        "categories": CATEGORIES,
        "category": CATEGORY,
        "number": {c.id: i for i, c in enumerate(CATEGORIES, 1)},
        "vocab": {
            "agreement_types": AGREEMENT_TYPES,
            "cost_models": COST_MODELS,
            "risk_flags": RISK_FLAGS,
            "practices": PRACTICES,
        },
        "key_roles": KEY_ROLES,
        "formula": FORMULA,
        "percent": percent,
        "sheet": sheet_of(attempt),
        "errors": {},
        "notice": None,
    }
    ctx.update(extra)
    return ctx


def _result_page(attempt: ExerciseAttempt, item: TrainingScenario, status: int = 200, notice: str | None = None):
    owner = trainee(session=get_session(), attempt=attempt)
    history = attempts_of(session=get_session(), user=owner, slug=item.slug) if owner else []
    body = render_template(
        "training/exercise_result.html",
        **_context(attempt, item, result=result_of(attempt), notice=notice, history=history),
    )
    return body, status


@bp.post("/training/<slug>/exercises")
def exercise_start(slug: str):
    """Start an exercise on a training scenario (or go back to the one in progress)."""
    item = scenario_or_404(slug)
    attempt, created = start(session=get_session(), user=current_user, slug=item.slug)
    if not created:
        flash("You already have this exercise in progress: your saved answers are below.")
    return redirect(url_for("training.exercise", attempt_id=attempt.id), 303)


@bp.route("/training/exercises/<int:attempt_id>", methods=["GET", "POST"])
def exercise(attempt_id: int):
    """The exercise: the scenario's facts and the answer sheet; after submission, the explained score."""
    attempt = _attempt_or_404(attempt_id)
    item = scenario_or_404(attempt.slug)
    if request.method == "GET":
        if attempt.status == "submitted":
            return _result_page(attempt, item)
        return render_template("training/exercise.html", **_context(attempt, item))

    if attempt.user_id != current_user.id:
        abort(403)  # trainers may look, only the trainee answers
    if attempt.status == "submitted":
        return _result_page(attempt, item, 409, _closed_notice())
    sheet, problems = parse_answers(request.form.to_dict(flat=False), item.scenario)
    submitting = request.form.get("action") == "submit"
    session = get_session()
    try:
        if submitting and not problems:
            result = submit(
                session=session,
                attempt=attempt,
                item=item,
                sheet=sheet,
                rules_dir=current_app.config["RULES_DIR"],
                library_dir=current_app.config["CLAUSE_LIBRARY_DIR"],
            )
            flash(f"Your answers were scored: {result.percent} %. Each difference is explained below.")
            return redirect(url_for("training.exercise", attempt_id=attempt.id), 303)
        save_answers(session=session, attempt=attempt, sheet=sheet)
    except AttemptClosed:
        return _result_page(attempt, item, 409, _closed_notice())
    if problems:
        return _invalid(attempt, item, sheet, problems, submitting)
    flash("Your answers are saved. Submit them for scoring when you are ready.")
    return redirect(url_for("training.exercise", attempt_id=attempt.id), 303)


def _closed_notice() -> str:
    return "This exercise was already submitted, so its answers can no longer change. Start again to try once more."


def _invalid(attempt: ExerciseAttempt, item: TrainingScenario, sheet: AnswerSheet, problems, submitting: bool):
    notice = (
        "Some answers could not be accepted, so nothing was submitted; the other answers are saved. "
        if submitting
        else "Some answers could not be accepted; the other answers are saved. "
    ) + "Correct the answers marked below."
    errors = _section_errors(problems)
    body = render_template(
        "training/exercise.html", **_context(attempt, item, sheet=sheet, errors=errors, notice=notice)
    )
    return body, 422


@bp.get("/training/<slug>/results")
def results(slug: str):
    """Every trainee's submitted attempts on one scenario, with the score per category and what was most missed."""
    item = scenario_or_404(slug)
    if not is_staff(current_user):
        abort(403)
    rows, in_progress, summary = results_for(session=get_session(), slug=item.slug)
    return render_template(
        "training/results.html",
        item=item,
        rows=rows,
        in_progress=in_progress,
        summary=summary,
        trainees=len({user.id for _, user, _ in rows if not is_staff(user)}),
        is_staff=is_staff,
        categories=CATEGORIES,
        formula=FORMULA,
        percent=percent,
    )
