"""One operation, one transaction: every audited change is written with its audit event, or not at all.

Each operation runs with the audit write forced to fail; the database must then read exactly as before (no
change without its audit entry), and the same operation with a working audit trail changes it and leaves one
event more.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel, select

from assistant.domain.facts import Choice
from assistant.domain.scenario import load_scenario
from assistant.models import AuditEvent, DraftVersion, Invitation, Negotiation
from assistant.services import advice, audit, negotiations, people, positions, versions
from tests.helpers import EXAMPLES

SECRET = "test-secret"
PASSWORD = "correct horse battery"


pytestmark = pytest.mark.both_engines


@pytest.fixture
def world(db_url):
    """A negotiation from an example with a convener, a party representative and a reviewer, one saved
    version, one open invitation and one recorded position (on SQLite and on PostgreSQL)."""
    engine = create_engine(db_url)
    with Session(engine, expire_on_commit=False) as session:
        convener = people.create_user(session=session, username="convener", display_name="C", password=PASSWORD)
        member = people.create_user(session=session, username="member", display_name="M", password=PASSWORD)
        scenario = load_scenario(EXAMPLES[0]).to_dict()
        neg = negotiations.create_negotiation(session=session, title="Atomic", scenario=scenario, user=convener)
        party = scenario["parties"][0]["id"]
        people.add_member(session=session, negotiation=neg, user=member, role="party", party_id=party)
        answer = advice.advise(session=session, negotiation=neg, rules_dir="rules", library_dir="clause_library")
        version = versions.save_draft_version(session=session, negotiation=neg, advice=answer, user=convener)
        token = people.invite(
            session=session, negotiation=neg, role="reviewer", party_id="", by=convener, secret=SECRET
        )
        row = positions.row_for_target("article:purpose")
        positions.record_position(
            session=session,
            negotiation=neg,
            party_id=party,
            row=row,
            data=positions.PositionInput(stance="accept"),
            party_ids=[party],
            user=member,
            opened=positions.opened_stamp(None),
        )
        yield SimpleNamespace(
            engine=engine,
            convener=convener,
            member=member,
            neg=neg,
            party=party,
            advice=answer,
            version=version,
            token=token,
            row=row,
        )
    engine.dispose()


def _reload(session: Session, w: SimpleNamespace) -> SimpleNamespace:
    """The world's rows as this session sees them (each operation runs in a fresh session, like a request)."""
    neg = session.get(Negotiation, w.neg.id)
    invitation = session.exec(select(Invitation).where(Invitation.negotiation_id == neg.id)).first()
    return SimpleNamespace(
        neg=neg,
        convener=session.get(type(w.convener), w.convener.id),
        member=session.get(type(w.member), w.member.id),
        version=session.get(DraftVersion, w.version.id),
        invitation=invitation,
    )


# Each operation: what it does, given a session and the reloaded world.
OPERATIONS: dict[str, Callable[[Session, SimpleNamespace, SimpleNamespace], object]] = {
    "create negotiation": lambda s, w, r: negotiations.create_negotiation(
        session=s, title="Second", scenario=dict(r.neg.scenario), user=r.convener
    ),
    "save scenario": lambda s, w, r: negotiations.save_scenario(
        session=s, negotiation=r.neg, data={**r.neg.scenario, "title": "Renamed"}, user=r.convener
    ),
    "record choice": lambda s, w, r: negotiations.record_choice(
        session=s,
        negotiation=r.neg,
        choice=Choice(kind="practice", item="joint_exercises", action="reject"),
        user=r.convener,
    ),
    "save version": lambda s, w, r: versions.save_draft_version(
        session=s, negotiation=r.neg, advice=w.advice, user=r.convener
    ),
    "delete negotiation": lambda s, w, r: negotiations.delete_negotiation(
        session=s, negotiation=r.neg, user=r.convener
    ),
    "invite": lambda s, w, r: people.invite(
        session=s, negotiation=r.neg, role="party", party_id=w.party, by=r.convener, secret=SECRET
    ),
    "revoke invitation": lambda s, w, r: people.revoke(session=s, invitation=r.invitation, by=r.convener),
    "accept invitation": lambda s, w, r: people.accept(
        session=s,
        invitation=people.open_invitation(session=s, token=w.token, secret=SECRET),
        account={"username": "reviewer", "display_name": "R", "password": PASSWORD},
    ),
    "record position": lambda s, w, r: positions.record_position(
        session=s,
        negotiation=r.neg,
        party_id=w.party,
        row=w.row,
        data=positions.PositionInput(stance="amend", amended_text="Shorter."),
        party_ids=[w.party],
        user=r.member,
        opened=positions.opened_stamp(
            positions.position_of(session=s, negotiation=r.neg, party_id=w.party, target=w.row.target)
        ),
    ),
    "withdraw position": lambda s, w, r: positions.withdraw_position(
        session=s,
        negotiation=r.neg,
        party_id=w.party,
        target=w.row.target,
        user=r.member,
        opened=positions.opened_stamp(
            positions.position_of(session=s, negotiation=r.neg, party_id=w.party, target=w.row.target)
        ),
    ),
    "add private note": lambda s, w, r: positions.add_private_note(
        session=s, negotiation=r.neg, party_id=w.party, user=r.member, text="Our fallback."
    ),
    "add comment": lambda s, w, r: versions.add_comment(
        session=s, negotiation=r.neg, version=r.version, text="Tighten Article 2.", user=r.member
    ),
    "submit for review with a comment": lambda s, w, r: versions.transition(
        session=s, negotiation=r.neg, version=r.version, action="submit", user=r.convener, comment="Please review."
    ),
    "set password": lambda s, w, r: people.set_password(session=s, user=r.member, password="a much newer secret"),
    "disable account": lambda s, w, r: people.set_disabled(session=s, user=r.member, disabled=True),
    "issue API token": lambda s, w, r: people.issue_api_token(session=s, user=r.member),
}


def _snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, read afresh."""
    with engine.connect() as conn:
        return {
            table.name: sorted(map(tuple, conn.execute(table.select()).all()), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


class AuditDown(RuntimeError):
    """The audit write failed (forced)."""


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_failed_audit_write_leaves_nothing_committed(world, monkeypatch, name):
    before = _snapshot(world.engine)

    def refuse(**_: object) -> AuditEvent:
        raise AuditDown

    monkeypatch.setattr(audit, "AuditEvent", refuse)
    with Session(world.engine, expire_on_commit=False) as session:
        with pytest.raises(AuditDown):
            OPERATIONS[name](session, world, _reload(session, world))
        session.rollback()  # what the request's teardown does
    assert _snapshot(world.engine) == before, f"{name}: a change was committed without its audit event"


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_with_a_working_audit_trail_the_operation_commits_with_its_events(world, name):
    before = _snapshot(world.engine)
    with Session(world.engine, expire_on_commit=False) as session:
        OPERATIONS[name](session, world, _reload(session, world))
    after = _snapshot(world.engine)
    assert len(after["audit_event"]) > len(before["audit_event"])
    changed = {t for t in after if t != "audit_event" and after[t] != before[t]}
    assert changed, f"{name}: the operation changed nothing but the audit trail"
