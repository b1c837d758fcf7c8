"""Draft versions: reading the frozen snapshots, comments in threads per article, and the legal review.

A version's content (scenario, choices, advice, number) never changes once saved; only its review
status moves: draft → in_review → changes_requested → in_review → ... → approved. Every change is
written to the audit trail with the state before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, func, inspect, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..domain.advice import Advice, Draft
from ..domain.draft_check import DraftFormatError, Finding, check_draft
from ..domain.scenario import ScenarioError, parse_scenario
from ..models import Comment, DraftVersion, Membership, Negotiation, User, now
from .audit import record
from .negotiations import choices_of

MAX_COMMENT = 4000
STATUS_LABELS = {
    "draft": "Draft",
    "in_review": "In legal review",
    "changes_requested": "Changes requested",
    "approved": "Approved",
}
STATUS_HINTS = {
    "draft": "Not yet sent for legal review.",
    "in_review": "Waiting for the legal reviewers to request changes or approve.",
    "changes_requested": "The legal reviewers asked for changes; save a new version or send this one again.",
    "approved": "Approved by the legal reviewers: the text carries no DRAFT marking.",
}
# action: (statuses it may start from, status it leads to, what it is called)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (("draft", "changes_requested"), "in_review", "submit it for review"),
    "request_changes": (("in_review",), "changes_requested", "request changes"),
    "approve": (("in_review",), "approved", "approve it"),
}
FROZEN = ("negotiation_id", "number", "scenario", "choices", "advice", "created_at", "created_by")


class VersionError(ValueError):
    """Something asked of a version that cannot be done; the message says why, for the person who asked."""


class IllegalTransition(VersionError):
    """The review status does not allow this step (someone may have moved it meanwhile)."""


class CommentError(VersionError):
    """A comment that cannot be stored: empty, too long, or replying to something that is not there."""


class FrozenVersion(RuntimeError):
    """Code tried to change a saved version's content; versions are immutable snapshots."""


@event.listens_for(DraftVersion, "before_update")
def _keep_frozen(mapper, connection, target: DraftVersion) -> None:
    """A saved version's content is never changed; only its review status may move."""
    state = inspect(target)
    changed = [name for name in FROZEN if state.attrs[name].history.has_changes()]
    if changed:
        raise FrozenVersion(f"version {target.number} is frozen; refused to change {', '.join(changed)}")


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " "))


def get_version(*, session: Session, negotiation: Negotiation, number: int) -> DraftVersion | None:
    return session.exec(
        select(DraftVersion).where(DraftVersion.negotiation_id == negotiation.id, DraftVersion.number == number)
    ).first()


def draft_of(version: DraftVersion) -> Draft:
    """The draft as it was frozen."""
    advice = Advice.model_validate(version.advice)
    return advice.draft or Draft(title=advice.title)


def check_of(version: DraftVersion) -> list[Finding]:
    """What the draft check (issue 16) finds in the version's frozen draft, read as its JSON answer gives it (the
    scenario as frozen with it, when it still reads)."""
    answer = Advice.model_validate(version.advice).to_contract()
    try:
        scenario = parse_scenario(version.scenario)
    except ScenarioError:  # a version frozen under an older contract: the draft alone is checked
        scenario = None
    try:
        return check_draft(answer["draft"], scenario=scenario, advice=answer)
    except DraftFormatError:
        return []


# A version's content never changes once saved, so its draft check is worked out once per process: the versions list
# shows it for every version. Keyed by what identifies a saved version (a test database reusing ids has other
# creation times); bounded, dropping the oldest entries first.
_CHECKED: dict[tuple[int | None, int | None, str], list[Finding]] = {}
_CHECKED_MAX = 2048


def checked(version: DraftVersion) -> list[Finding]:
    """``check_of`` for a saved version, remembered."""
    key = (version.negotiation_id, version.id, version.created_at.isoformat() if version.created_at else "")
    found = _CHECKED.get(key)
    if found is None:
        found = check_of(version)
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.pop(next(iter(_CHECKED)))
        _CHECKED[key] = found
    return found


def people(*, session: Session, ids: set[int | None]) -> dict[int, User]:
    """The users with these ids (to show who wrote or decided what)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(wanted)))}


def allowed_actions(version: DraftVersion) -> list[str]:
    """The review steps the version's status allows (who may take them is access control's business)."""
    return [action for action, (sources, _, _) in TRANSITIONS.items() if version.status in sources]


def _state(version: DraftVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status,
        "decided_by": version.decided_by,
        "decided_at": version.decided_at.isoformat() if version.decided_at else None,
    }


def check_comment(text: str) -> str:
    """The comment's text, trimmed; CommentError if it is empty or too long."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise CommentError("Write a comment before sending it.")
    if len(text) > MAX_COMMENT:
        raise CommentError(f"Keep a comment under {MAX_COMMENT} characters (this one has {len(text)}).")
    return text


def transition(
    *,
    session: Session,
    negotiation: Negotiation,
    version: DraftVersion,
    action: str,
    user: Any = None,
    comment: str = "",
) -> DraftVersion:
    """Move the version's review status: ``submit``, ``request_changes`` (a comment is required) or
    ``approve`` (a comment is optional, unless the draft check finds errors in the version: then the comment is
    the reason for approving it, audited with the errors). The comment is stored on the version as a whole.

    Raises IllegalTransition if the status does not allow the step (checked in the same UPDATE, so two
    reviewers deciding at once cannot both succeed), CommentError for a missing or too long comment.
    """
    if action not in TRANSITIONS:
        raise IllegalTransition("There is no such review step.")
    sources, target, name = TRANSITIONS[action]
    if action == "request_changes" or comment.strip():
        if action == "request_changes" and not comment.strip():
            raise CommentError("Say what should change: a comment is required to request changes.")
        comment = check_comment(comment)
    if version.status not in sources:
        raise IllegalTransition(_refusal(version, name))
    errors = [f for f in check_of(version) if f.severity == "error"] if action == "approve" else []
    if errors and not comment.strip():
        raise CommentError(
            f"The draft check finds {len(errors)} error{'s' if len(errors) > 1 else ''} in this version (first: "
            f"{errors[0].place}: {errors[0].message}). Give the reason for approving it nonetheless in the comment."
        )
    decided = action != "submit"
    if decided:
        conflict = _own_work(session=session, negotiation=negotiation, version=version, user=user)
        if conflict:
            raise IllegalTransition(
                f"You {conflict}, so you cannot {name}: the legal review is decided by someone else "
                "(separation of duties)."
            )
    before = _state(version)
    values: dict[str, Any] = {
        "status": target,
        "decided_by": getattr(user, "id", None) if decided else None,
        "decided_at": now() if decided else None,
    }
    if not decided:
        values["submitted_by"] = getattr(user, "id", None)
    result = session.exec(
        update(DraftVersion).where(DraftVersion.id == version.id, DraftVersion.status.in_(sources)).values(**values)
    )
    if result.rowcount != 1:
        session.rollback()
        session.refresh(version)
        raise IllegalTransition(_refusal(version, name))
    session.refresh(version)
    note = None
    if comment:
        note = _add_comment(session, negotiation, version, text=comment, user=user)
    after = _state(version)
    if note is not None:
        after["comment"] = note.id
    if errors:  # approved although the draft check found errors: the reason is the comment, kept in the trail
        after["check_errors"] = [f.line() for f in errors]
        after["reason"] = comment
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action=f"version.{action}",
        target=f"version {version.number}",
        before=before,
        after=after,
    )
    session.commit()
    return version


def _own_work(*, session: Session, negotiation: Negotiation, version: DraftVersion, user: Any) -> str | None:
    """Why the user may not decide on the version's review (their own work), or None: they sent it for review,
    saved it, or convene the negotiation."""
    uid = getattr(user, "id", None)
    if uid is None:
        return None
    if version.submitted_by == uid:
        return "sent this version for review"
    if version.created_by == uid:
        return "saved this version"
    convener = session.exec(
        select(Membership.id).where(
            Membership.negotiation_id == negotiation.id, Membership.user_id == uid, Membership.role == "convener"
        )
    ).first()
    return "convene this negotiation" if convener is not None or negotiation.created_by == uid else None


def _refusal(version: DraftVersion, name: str) -> str:
    return (
        f"Version {version.number} is {status_label(version.status).lower()}: you cannot {name} now. "
        "Reload the page to see its current status."
    )


# ---------------------------------------------------------------- comments


@dataclass
class Thread:
    """A comment with its replies, oldest first."""

    comment: Comment
    replies: list[Thread] = field(default_factory=list)


def comments_of(*, session: Session, version: DraftVersion) -> list[Comment]:
    return list(
        session.exec(select(Comment).where(Comment.version_id == version.id).order_by(Comment.created_at, Comment.id))
    )


def threads(comments: list[Comment]) -> dict[str, list[Thread]]:
    """The comments as threads per article (clause id; "" for the version as a whole), oldest first."""
    nodes = {c.id: Thread(c) for c in comments}
    roots: dict[str, list[Thread]] = {}
    for c in comments:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        if parent is not None and parent is not nodes[c.id]:
            parent.replies.append(nodes[c.id])
        else:
            roots.setdefault(c.clause, []).append(nodes[c.id])
    return roots


def add_comment(
    *,
    session: Session,
    negotiation: Negotiation,
    version: DraftVersion,
    text: str,
    user: Any = None,
    clause: str = "",
    parent_id: int | None = None,
) -> Comment:
    """A comment on an article of the version (``clause``; "" for the version as a whole), or a reply to
    a comment of the same version (it belongs to the same article)."""
    comment = _add_comment(session, negotiation, version, text=text, user=user, clause=clause, parent_id=parent_id)
    session.commit()
    return comment


def _add_comment(
    session: Session,
    negotiation: Negotiation,
    version: DraftVersion,
    *,
    text: str,
    user: Any = None,
    clause: str = "",
    parent_id: int | None = None,
) -> Comment:
    """The comment and its audit event, in the caller's transaction (committed by the caller)."""
    text = check_comment(text)
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or parent.version_id != version.id:
            raise CommentError("The comment you replied to is not on this version.")
        clause = parent.clause
    elif clause and clause not in {a.clause for a in draft_of(version).articles}:
        raise CommentError("There is no such article in this version.")
    comment = Comment(
        negotiation_id=negotiation.id,
        version_id=version.id,
        clause=clause,
        parent_id=parent_id,
        user_id=getattr(user, "id", None),
        text=text,
    )
    session.add(comment)
    session.flush()  # the id, for the audit event
    record(
        session=session,
        negotiation_id=negotiation.id,
        user=user,
        action="comment.add",
        target=f"version {version.number}" + (f":{clause}" if clause else ""),
        after={"id": comment.id, "version": version.number, "clause": clause, "parent_id": parent_id, "text": text},
    )
    return comment


# ---------------------------------------------------------------- saving versions


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
