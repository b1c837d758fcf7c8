"""Exercise services: the only place that joins exercise attempts in the database with the exercise domain.

A trainee starts an attempt on a training scenario, saves answers as often as they like, and submits once;
the submission is scored against the rule base's advice and the explained result is stored with the attempt,
so it reads the same later even if the rule base changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from ..domain.evaluate import default_rule_base
from ..domain.exercise import AnswerSheet, ExerciseResult, Summary, score, summarize
from ..domain.training import TrainingScenario
from ..models import ExerciseAttempt, User, now
from .advice import advice_on

STAFF_ROLES = ("trainer", "admin")


class AttemptClosed(Exception):
    """The attempt was already submitted: its answers and score can no longer change."""


def is_staff(user: Any) -> bool:
    """Trainers and administrators see every trainee's attempts and the results across trainees."""
    return getattr(user, "role", None) in STAFF_ROLES


def may_open(user: Any, attempt: ExerciseAttempt) -> bool:
    """The trainee who owns the attempt, trainers and administrators may open it."""
    return getattr(user, "id", None) == attempt.user_id or is_staff(user)


def get_attempt(*, session: Session, attempt_id: int) -> ExerciseAttempt | None:
    return session.get(ExerciseAttempt, attempt_id)


def open_attempt(*, session: Session, user: User, slug: str) -> ExerciseAttempt | None:
    """The user's attempt on this scenario that is still in progress, if any."""
    query = (
        select(ExerciseAttempt)
        .where(
            ExerciseAttempt.slug == slug, ExerciseAttempt.user_id == user.id, ExerciseAttempt.status == "in_progress"
        )
        .order_by(ExerciseAttempt.id.desc())
    )
    return session.exec(query).first()


def start(*, session: Session, user: User, slug: str) -> tuple[ExerciseAttempt, bool]:
    """Start an attempt on a training scenario, or return the one still in progress (``created`` is False)."""
    existing = open_attempt(session=session, user=user, slug=slug)
    if existing is not None:
        return existing, False
    attempt = ExerciseAttempt(user_id=user.id, slug=slug, answers=AnswerSheet().to_json())
    session.add(attempt)
    session.commit()
    return attempt, True


def sheet_of(attempt: ExerciseAttempt) -> AnswerSheet:
    return AnswerSheet.from_json(attempt.answers)


def result_of(attempt: ExerciseAttempt) -> ExerciseResult | None:
    """The explained score stored at submission (None while in progress)."""
    return ExerciseResult.from_json(attempt.breakdown) if attempt.breakdown else None


def _change(session: Session, attempt: ExerciseAttempt, **values: Any) -> None:
    """Change an attempt only while it is in progress (checked in the UPDATE itself, so two tabs cannot race)."""
    stmt = (
        update(ExerciseAttempt)
        .where(ExerciseAttempt.id == attempt.id, ExerciseAttempt.status == "in_progress")
        .values(updated_at=now(), **values)
    )
    result = session.exec(stmt)
    if result.rowcount != 1:
        session.rollback()
        session.refresh(attempt)
        raise AttemptClosed
    session.commit()
    session.refresh(attempt)


def save_answers(*, session: Session, attempt: ExerciseAttempt, sheet: AnswerSheet) -> None:
    """Keep the answers typed so far; raises AttemptClosed once the attempt was submitted."""
    _change(session, attempt, answers=sheet.to_json())


def score_sheet(
    *, item: TrainingScenario, sheet: AnswerSheet, rules_dir: str, library_dir: str
) -> tuple[ExerciseResult, str]:
    """Score a sheet against the advice of the configured rule base; return the result and the rule base's name."""
    rule_base = default_rule_base(rules_dir)
    advice = advice_on(item.scenario.to_dict(), rules_dir=rules_dir, library_dir=library_dir)
    return score(sheet, item.scenario, advice, rule_base), rule_base.name


def submit(
    *,
    session: Session,
    attempt: ExerciseAttempt,
    item: TrainingScenario,
    sheet: AnswerSheet,
    rules_dir: str,
    library_dir: str,
) -> ExerciseResult:
    """Save the final answers, score them and close the attempt; raises AttemptClosed if it was already closed."""
    result, rule_base = score_sheet(item=item, sheet=sheet, rules_dir=rules_dir, library_dir=library_dir)
    _change(
        session,
        attempt,
        answers=sheet.to_json(),
        status="submitted",
        score=result.score,
        breakdown=result.to_json(),
        rule_base=rule_base,
        submitted_at=now(),
    )
    return result


def attempts_of(*, session: Session, user: User, slug: str | None = None) -> list[ExerciseAttempt]:
    """A trainee's attempts, newest first (on one scenario if ``slug`` is given)."""
    query = select(ExerciseAttempt).where(ExerciseAttempt.user_id == user.id)
    if slug is not None:
        query = query.where(ExerciseAttempt.slug == slug)
    return list(session.exec(query.order_by(ExerciseAttempt.id.desc())))


def attempts_for(*, session: Session, slug: str) -> list[tuple[ExerciseAttempt, User]]:
    """Every trainee's attempts on one scenario, with the trainee, oldest first."""
    query = (
        select(ExerciseAttempt, User)
        .join(User, User.id == ExerciseAttempt.user_id)
        .where(ExerciseAttempt.slug == slug)
        .order_by(ExerciseAttempt.id)
    )
    return [(a, u) for a, u in session.exec(query)]


def results_for(
    *, session: Session, slug: str
) -> tuple[list[tuple[ExerciseAttempt, User, ExerciseResult]], int, Summary]:
    """The submitted attempts on one scenario with their results, how many trainees' attempts are still in
    progress, and the summary across trainees (staff attempts are listed but not summarized)."""
    rows = attempts_for(session=session, slug=slug)
    submitted = []
    for attempt, user in rows:
        result = result_of(attempt) if attempt.status == "submitted" else None
        if result is not None:
            submitted.append((attempt, user, result))
    submitted.sort(key=lambda row: (row[1].display_name.lower(), row[0].submitted_at or row[0].started_at))
    in_progress = sum(1 for attempt, user in rows if attempt.status == "in_progress" and not is_staff(user))
    # Trainers and administrators trying the exercise are listed, but their scores stay out of the figures
    # across trainees.
    return submitted, in_progress, summarize(r for _, user, r in submitted if not is_staff(user))


def trainee(*, session: Session, attempt: ExerciseAttempt) -> User | None:
    return session.get(User, attempt.user_id)
