"""Accounts and access (issue 11): invitations cannot be turned on their issuer, ids are never reused, the API
needs an account and is rate-limited, the legal review is decided by someone else, an invitation makes one
account, sessions can be ended, sign-ins are throttled and take the same time for unknown names, and passwords
and user names that invite mistakes are refused.

The high findings are also tested over HTTP against a real server (werkzeug's, in a thread)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlmodel import select
from werkzeug.serving import make_server

from assistant import create_app
from assistant.db import get_session
from assistant.models import AuditEvent, DraftVersion, Invitation, Membership, Negotiation, User
from assistant.services.people import PeopleError, add_member, authenticate, create_user
from tests.helpers import PASSWORD

SECRET = "PARTY-A-PRIVATE-NOTE-7731"
LINK = re.compile(r'id="new-link-text" type="text" readonly value="http://[^/"]+(/invitations/[^"]+)"')


# ---------------------------------------------------------------- helpers


def cli(app, *args, input=None):
    from assistant.cli import main

    runner = CliRunner(env={"DATABASE_URL": app.config["DATABASE_URL"], "ASSISTANT_SECRET_KEY": "x"})
    return runner.invoke(main, list(args), input=input)


def start(client) -> int:
    """Start a negotiation from the example as the signed-in client; its id."""
    response = client.post("/negotiations", data={"example": "evacuation_multinational"})
    assert response.status_code == 303, response.data[:300]
    return int(response.location.split("/")[2])


def invite(client, nid, role="party", party="marundi") -> str:
    page = client.post(f"/negotiations/{nid}/invitations", data={"role": role, "party": party}).data.decode()
    return LINK.search(page)[1]


def memberships_of(app, username: str, nid: int) -> list[tuple[str, str]]:
    with app.app_context():
        session = get_session()
        user = session.exec(select(User).where(User.username == username)).one()
        rows = session.exec(select(Membership).where(Membership.user_id == user.id, Membership.negotiation_id == nid))
        return sorted((m.role, m.party_id) for m in rows)


@pytest.fixture
def live(tmp_path, migrated_db):
    """A real server on 127.0.0.1 (threaded) over a migrated database; yields (base URL, app)."""

    @contextmanager
    def _serve(**config):
        db = tmp_path / f"live-{len(list(tmp_path.glob('live-*.sqlite')))}.sqlite"
        shutil.copy(migrated_db, db)
        app = create_app(
            {
                "SECRET_KEY": "live-test",
                "DATABASE_URL": f"sqlite:///{db}",
                "WTF_CSRF_ENABLED": False,
                "SESSION_COOKIE_SECURE": False,
                "PDF_ASYNC": False,
                "DOCUMENT_CACHE_DIR": str(tmp_path / "documents"),
                **config,
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", app
        finally:
            server.shutdown()
            app.extensions["assistant.db"].dispose()

    return _serve


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A client with its own cookies that does not follow redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, method, path, form=None, body=None, headers=None):
        data = urllib.parse.urlencode(form or {}).encode() if form is not None else body
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})  # noqa: S310
        try:
            response = self.opener.open(req, timeout=30)  # noqa: S310 - http://127.0.0.1 only
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            return response.status, dict(response.headers), response.read().decode(errors="replace")

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form=None, body=None, headers=None):
        if form is None and body is None:
            form = {}
        return self.request("POST", path, form=form, body=body, headers=headers)

    def sign_in(self, username):
        status, _, body = self.post("/login", {"username": username, "password": PASSWORD})
        assert status == 303, body[:300]
        return self


def users(app, *specs):
    with app.app_context():
        for spec in specs:
            name, _, role = spec.partition(":")
            create_user(
                session=get_session(),
                username=name,
                display_name=name.title(),
                password=PASSWORD,
                role=role or "member",
            )


# ---------------------------------------------------------------- 1. invitations turned on their issuer


def test_convener_cannot_accept_their_own_party_invitation(app, make_user, login):
    make_user("ana")
    make_user("pia")
    ana = login(app.test_client(), "ana")
    nid = start(ana)
    link = invite(ana, nid)
    page = ana.get(link)
    assert page.status_code == 403
    assert "You issued this invitation" in page.data.decode()
    accepted = ana.post(link)
    assert accepted.status_code == 403
    assert "You issued this invitation" in accepted.data.decode()
    assert memberships_of(app, "ana", nid) == [("convener", "")]
    # The link still works for the person it was meant for.
    assert login(app.test_client(), "pia").post(link).status_code == 303
    assert memberships_of(app, "pia", nid) == [("party", "marundi")]


def test_convener_cannot_take_an_invitation_issued_by_an_admin_nor_review_their_own_negotiation(app, make_user, login):
    make_user("ana")
    make_user("root", "admin")
    ana = login(app.test_client(), "ana")
    nid = start(ana)
    root = login(app.test_client(), "root")
    for role in ("party", "reviewer"):
        link = invite(root, nid, role=role)
        response = ana.post(link)
        assert response.status_code == 403, role
        assert "You convene this negotiation" in response.data.decode()
    assert memberships_of(app, "ana", nid) == [("convener", "")]


def test_an_admin_takes_no_party_seat_and_one_account_represents_one_party(app, make_user, login):
    make_user("ana")
    make_user("root", "admin")
    make_user("pia")
    ana = login(app.test_client(), "ana")
    nid = start(ana)
    refused = login(app.test_client(), "root").post(invite(ana, nid))
    assert refused.status_code == 403
    assert "Administrators see every negotiation" in refused.data.decode()
    assert memberships_of(app, "root", nid) == []
    pia = login(app.test_client(), "pia")
    assert pia.post(invite(ana, nid, party="marundi")).status_code == 303
    second = pia.post(invite(ana, nid, party="kesh"))
    assert second.status_code == 403
    assert "You already represent the party marundi" in second.data.decode()
    assert memberships_of(app, "pia", nid) == [("party", "marundi")]


def test_http_convener_cannot_read_a_partys_notes_through_their_own_invitation(live):
    with live() as (base, app):
        users(app, "ana", "pia")
        ana = Browser(base).sign_in("ana")
        status, headers, _ = ana.post("/negotiations", {"example": "evacuation_multinational"})
        nid = int(headers["Location"].split("/")[2])
        _, _, page = ana.post(f"/negotiations/{nid}/invitations", {"role": "party", "party": "marundi"})
        pia_link = LINK.search(page)[1]
        pia = Browser(base)
        status, _, _ = pia.post(pia_link, {"username": "pia2", "display_name": "Pia", "password": PASSWORD})
        assert status == 303
        status, _, _ = pia.post(
            f"/negotiations/{nid}/positions/notes", {"party": "marundi", "target": "", "note": SECRET}
        )
        assert status < 400
        _, _, page = ana.post(f"/negotiations/{nid}/invitations", {"role": "party", "party": "marundi"})
        own_link = LINK.search(page)[1]
        status, _, body = ana.post(own_link)
        assert status == 403
        assert "You issued this invitation" in body
        for path in (f"/negotiations/{nid}/positions", f"/negotiations/{nid}/consensus"):
            status, _, body = ana.get(path)
            assert status == 200, path
            assert SECRET not in body, path
        status, _, _ = ana.post(
            f"/negotiations/{nid}/positions", {"party": "marundi", "target": "role:lead", "stance": "accept"}
        )
        assert status in (403, 404)
        assert memberships_of(app, "ana", nid) == [("convener", "")]


# ---------------------------------------------------------------- 2. ids never reused


def test_negotiation_ids_are_not_reused_and_the_next_one_shows_nothing_of_a_deleted_one(app, make_user, login):
    make_user("ana")
    make_user("bea")
    ana = login(app.test_client(), "ana")
    old = start(ana)
    saved = ana.post(
        f"/negotiations/{old}/context",
        # revision 1: the negotiation as it was started (every wizard form carries its revision)
        data={
            "title": "Old secret deal",
            "crisis.kind": "armed_conflict",
            "crisis.phase": "preparedness",
            "revision": "1",
        },
    )
    assert saved.status_code == 303
    assert ana.post(f"/negotiations/{old}/delete").status_code == 303
    bea = login(app.test_client(), "bea")
    new = start(bea)
    assert new != old
    trail = bea.get(f"/negotiations/{new}/audit.json")
    assert trail.status_code == 200
    events = trail.get_json()
    assert [e["action"] for e in events] == ["negotiation.create"]
    assert "Old secret deal" not in trail.data.decode()
    assert bea.get(f"/negotiations/{old}/audit.json").status_code == 404


def test_every_table_with_public_ids_never_reuses_them(app, make_user):
    make_user("ana")
    with app.app_context():
        session = get_session()
        for table in (
            "user",
            "negotiation",
            "invitation",
            "draft_version",
            "comment",
            "position",
            "privatenote",
            "audit_event",
        ):
            sql = (
                session.connection()
                .exec_driver_sql("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,))
                .scalar()
            )
            assert "AUTOINCREMENT" in sql, table
        first = Negotiation(title="a")
        session.add(first)
        session.commit()
        gone = first.id
        session.delete(first)
        session.commit()
        again = Negotiation(title="b")
        session.add(again)
        session.commit()
        assert again.id > gone


def test_the_audit_trail_of_a_negotiation_starts_with_it(app, make_user, login):
    """Defence in depth: events recorded under an id before the negotiation existed are not its events."""
    from datetime import UTC, datetime

    make_user("ana")
    ana = login(app.test_client(), "ana")
    nid = start(ana)
    with app.app_context():
        session = get_session()
        session.add(
            AuditEvent(
                negotiation_id=nid,
                username="earlier",
                action="negotiation.delete",
                at=datetime(2020, 1, 1, tzinfo=UTC),
                before={"title": "Someone else's"},
            )
        )
        session.commit()
    trail = ana.get(f"/negotiations/{nid}/audit.json").data.decode()
    assert "Someone else's" not in trail
    assert "negotiation.create" in trail


def test_migration_keeps_rows_and_starts_ids_above_every_deleted_one(tmp_path):
    import sqlite3

    from assistant.db import upgrade

    path = tmp_path / "old.sqlite"
    upgrade(f"sqlite:///{path}", "365ac4ddf8b4")
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=ON")
    con.execute(
        "INSERT INTO user (id, username, display_name, password_hash, role, created_at) "
        "VALUES (1, 'ana', 'Ana', 'x', 'member', '2026-01-01 00:00:00')"
    )
    con.execute(
        "INSERT INTO negotiation (id, title, scenario, revision, created_by, created_at, updated_at) "
        "VALUES (1, 'kept', '{}', 1, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    con.execute(
        "INSERT INTO membership (negotiation_id, user_id, role, party_id, created_at) "
        "VALUES (1, 1, 'convener', '', '2026-01-01 00:00:00')"
    )
    con.execute(
        "INSERT INTO audit_event (negotiation_id, username, at, action, target) "
        "VALUES (7, 'ana', '2026-01-01 00:00:00', 'negotiation.delete', 'deleted before the upgrade')"
    )
    con.commit()
    con.close()
    upgrade(f"sqlite:///{path}")
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=ON")
    assert con.execute("SELECT role FROM membership").fetchall() == [("convener",)]  # not cascaded away
    token = con.execute("SELECT session_token FROM user").fetchone()[0]
    assert len(token) >= 32
    con.execute(
        "INSERT INTO negotiation (title, scenario, revision, created_at, updated_at) "
        "VALUES ('new', '{}', 1, '2026-01-02 00:00:00', '2026-01-02 00:00:00')"
    )
    assert con.execute("SELECT MAX(id) FROM negotiation").fetchone()[0] == 8  # above the deleted 7
    con.close()


def test_http_next_negotiation_never_gets_a_deleted_ones_id_or_audit_trail(live):
    with live() as (base, app):
        users(app, "ana", "bea")
        ana = Browser(base).sign_in("ana")
        _, headers, _ = ana.post("/negotiations", {"title": "Confidential relocation terms"})
        old = int(headers["Location"].split("/")[2])
        status, _, _ = ana.post(f"/negotiations/{old}/delete")
        assert status == 303
        bea = Browser(base).sign_in("bea")
        _, headers, _ = bea.post("/negotiations", {"title": "Bea's"})
        new = int(headers["Location"].split("/")[2])
        assert new != old
        status, _, body = bea.get(f"/negotiations/{new}/audit.json")
        assert status == 200
        assert "Confidential relocation terms" not in body
        assert [e["action"] for e in json.loads(body)] == ["negotiation.create"]


# ---------------------------------------------------------------- 4. the API needs an account


def test_api_refuses_calls_without_an_account(anon, example_data):
    response = anon.post("/api/v1/advice", json=example_data())
    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "unauthorized"
    assert "Bearer" in body["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_token_from_the_cli_works_and_ends_with_a_password_change_or_disabling(app, make_user, example_data):
    make_user("robot")
    issued = cli(app, "users", "token", "robot")
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip()
    client = app.test_client()

    def call(value):
        return client.post("/api/v1/advice", json=example_data(), headers={"Authorization": f"Bearer {value}"})

    assert call(token).status_code == 200
    assert call(token + "x").status_code == 401
    assert call("").status_code == 401
    again = cli(app, "users", "token", "robot").stdout.strip()
    assert call(token).status_code == 401  # a new token replaces the old one
    assert call(again).status_code == 200
    assert cli(app, "users", "password", "robot", "--password-stdin", input="a brand new passphrase\n").exit_code == 0
    assert call(again).status_code == 401
    third = cli(app, "users", "token", "robot").stdout.strip()
    assert call(third).status_code == 200
    assert cli(app, "users", "disable", "robot").exit_code == 0
    assert call(third).status_code == 401
    assert cli(app, "users", "token", "robot").exit_code == 2  # no tokens for a disabled account


def test_api_is_rate_limited_per_account(app, make_user, login, example_data):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    make_user("one")
    make_user("two")
    one = login(app.test_client(), "one")
    assert [one.post("/api/v1/advice", json={}).status_code for _ in range(3)] == [422, 422, 422]
    refused = one.post("/api/v1/advice", json=example_data())
    assert refused.status_code == 429
    assert refused.get_json()["message"]
    # Counted per account, not per address: another account from the same address is still served.
    assert login(app.test_client(), "two").post("/api/v1/advice", json=example_data()).status_code == 200


def test_http_api_needs_a_session_or_a_token(live, example_data):
    with live(API_RATE_LIMIT="2 per minute") as (base, app):
        users(app, "robot")
        body = json.dumps(example_data()).encode()
        json_type = {"Content-Type": "application/json"}
        status, _, text = Browser(base).post("/api/v1/advice", body=body, headers=json_type)
        assert status == 401
        assert json.loads(text)["error"] == "unauthorized"
        token = cli(app, "users", "token", "robot").stdout.strip()
        auth = {**json_type, "Authorization": f"Bearer {token}"}
        status, _, text = Browser(base).post("/api/v1/advice", body=body, headers=auth)
        assert status == 200
        assert json.loads(text)["draft"]["articles"]
        wrong = {**json_type, "Authorization": "Bearer not-a-token"}
        assert Browser(base).post("/api/v1/advice", body=body, headers=wrong)[0] == 401
        Browser(base).post("/api/v1/advice", body=body, headers=auth)
        status, _, text = Browser(base).post("/api/v1/advice", body=body, headers=auth)
        assert status == 429
        assert json.loads(text)["message"]
        signed_in = Browser(base).sign_in("robot")
        assert signed_in.post("/api/v1/advice", body=body, headers=json_type)[0] == 429  # same account


# ---------------------------------------------------------------- 5. separation of duties in the review


@pytest.fixture
def submitted(app, make_user, login):
    """A negotiation whose version 1 the convener sent for review; rev is its reviewer."""
    make_user("ana")
    make_user("rev")
    ana = login(app.test_client(), "ana")
    nid = start(ana)
    assert ana.post(f"/negotiations/{nid}/versions").status_code == 303
    assert ana.post(f"/negotiations/{nid}/versions/1/submit").status_code == 303
    with app.app_context():
        session = get_session()
        negotiation = session.get(Negotiation, nid)
        rev = session.exec(select(User).where(User.username == "rev")).one()
        add_member(session=session, negotiation=negotiation, user=rev, role="reviewer")
    return ana, nid


def status_of(app, nid):
    with app.app_context():
        return get_session().exec(select(DraftVersion.status).where(DraftVersion.negotiation_id == nid)).one()


def test_a_convener_who_is_also_a_reviewer_cannot_decide_on_their_own_version(app, submitted, login):
    ana, nid = submitted
    with app.app_context():  # a reviewer membership, as an old invitation could give it
        session = get_session()
        ana_user = session.exec(select(User).where(User.username == "ana")).one()
        add_member(session=session, negotiation=session.get(Negotiation, nid), user=ana_user, role="reviewer")
    for step, form in (("approve", {}), ("request-changes", {"comment": "Looks fine to me."})):
        response = ana.post(f"/negotiations/{nid}/versions/1/{step}", data=form)
        assert response.status_code == 409, step
        assert "separation of duties" in response.data.decode()
    assert status_of(app, nid) == "in_review"
    assert login(app.test_client(), "rev").post(f"/negotiations/{nid}/versions/1/approve").status_code == 303
    assert status_of(app, nid) == "approved"


def test_whoever_submitted_a_version_cannot_approve_it(app, make_user, login):
    """An administrator who saved and submitted a version, and holds a reviewer membership, cannot approve it."""
    from assistant.services.versions import IllegalTransition, transition

    make_user("ana")
    make_user("root", "admin")
    nid = start(login(app.test_client(), "ana"))
    root = login(app.test_client(), "root")
    assert root.post(f"/negotiations/{nid}/versions").status_code == 303
    assert root.post(f"/negotiations/{nid}/versions/1/submit").status_code == 303
    with app.app_context():
        session = get_session()
        negotiation = session.get(Negotiation, nid)
        admin = session.exec(select(User).where(User.username == "root")).one()
        add_member(session=session, negotiation=negotiation, user=admin, role="reviewer")
        version = session.exec(select(DraftVersion).where(DraftVersion.negotiation_id == nid)).one()
        with pytest.raises(IllegalTransition, match="separation of duties"):
            transition(session=session, negotiation=negotiation, version=version, action="approve", user=admin)
    assert root.post(f"/negotiations/{nid}/versions/1/approve").status_code == 409
    assert status_of(app, nid) == "in_review"


# ---------------------------------------------------------------- 6. one invitation, one account


def test_http_parallel_acceptances_of_one_invitation_make_one_account(live):
    with live() as (base, app):
        users(app, "ana")
        ana = Browser(base).sign_in("ana")
        _, headers, _ = ana.post("/negotiations", {"example": "evacuation_multinational"})
        nid = int(headers["Location"].split("/")[2])
        _, _, page = ana.post(f"/negotiations/{nid}/invitations", {"role": "party", "party": "marundi"})
        link = LINK.search(page)[1]
        count = 8
        gate = threading.Barrier(count)
        results: list[tuple[int, str]] = []

        def accept(i):
            browser = Browser(base)
            form = {"username": f"racer{i}", "display_name": f"Racer {i}", "password": PASSWORD}
            gate.wait()
            status, _, body = browser.post(link, form)
            results.append((status, body))

        threads = [threading.Thread(target=accept, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        statuses = sorted(status for status, _ in results)
        assert statuses == [303] + [409] * (count - 1), statuses
        assert all("already been used" in body for status, body in results if status == 409)
        with app.app_context():
            session = get_session()
            racers = session.exec(select(User).where(User.username.like("racer%"))).all()
            assert len(racers) == 1
            parties = session.exec(
                select(Membership).where(Membership.negotiation_id == nid, Membership.role == "party")
            ).all()
            assert [m.user_id for m in parties] == [racers[0].id]
            accepted = session.exec(select(AuditEvent).where(AuditEvent.action == "invitation.accept")).all()
            assert len(accepted) == 1
            assert session.exec(select(Invitation)).one().accepted_by == racers[0].id


def test_a_refused_account_leaves_the_invitation_unused(app, make_user, login):
    make_user("ana")
    ana = login(app.test_client(), "ana")
    nid = start(ana)
    link = invite(ana, nid)
    anon = app.test_client()
    bad = anon.post(link, data={"username": "pia", "display_name": "Pia", "password": "1234567890"})
    assert bad.status_code == 422
    good = anon.post(link, data={"username": "pia", "display_name": "Pia", "password": PASSWORD})
    assert good.status_code == 303
    assert memberships_of(app, "pia", nid) == [("party", "marundi")]


# ---------------------------------------------------------------- 7. sessions that end


def cookie_copy(app, client):
    """A second client holding a copy of the client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_session_cookie_stops_working_after_sign_out(app, make_user, login):
    make_user("bob")
    bob = login(app.test_client(), "bob")
    thief = cookie_copy(app, bob)
    assert thief.get("/").status_code == 200
    assert bob.post("/logout").status_code == 303
    assert thief.get("/").status_code == 302
    assert thief.post("/negotiations", data={"title": "x"}).status_code in (302, 401)
    assert login(app.test_client(), "bob").get("/").status_code == 200  # signing in again works


def test_a_password_change_ends_every_session(app, make_user, login):
    make_user("bob")
    bob = login(app.test_client(), "bob")
    changed = cli(app, "users", "password", "bob", "--password-stdin", input="a brand new passphrase\n")
    assert changed.exit_code == 0, changed.output
    assert bob.get("/").status_code == 302
    assert app.test_client().post("/login", data={"username": "bob", "password": PASSWORD}).status_code == 401
    assert (
        app.test_client().post("/login", data={"username": "bob", "password": "a brand new passphrase"}).status_code
        == 303
    )


def test_users_password_asks_twice_and_checks_the_password(app, make_user):
    make_user("bob")
    mismatch = cli(app, "users", "password", "bob", input="a brand new passphrase\nanother passphrase\n")
    assert mismatch.exit_code != 0
    common = cli(app, "users", "password", "bob", input="1234567890\n1234567890\n")
    assert common.exit_code == 2
    assert "common" in common.stderr
    assert cli(app, "users", "password", "nobody", "--password-stdin", input="whatever passphrase\n").exit_code == 2
    ok = cli(app, "users", "password", "bob", input="a brand new passphrase\na brand new passphrase\n")
    assert ok.exit_code == 0, ok.output


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(app, make_user, login):
    make_user("bob")
    bob = login(app.test_client(), "bob")
    assert cli(app, "users", "disable", "bob").exit_code == 0
    assert bob.get("/").status_code == 302
    refused = app.test_client().post("/login", data={"username": "bob", "password": PASSWORD})
    assert refused.status_code == 403
    assert "disabled" in refused.data.decode()
    assert cli(app, "users", "enable", "bob").exit_code == 0
    assert login(app.test_client(), "bob").get("/").status_code == 200


# ---------------------------------------------------------------- 8. sign-in throttling


def test_sign_ins_are_limited_per_address(app):
    statuses = [
        app.test_client().post("/login", data={"username": f"guess{i}", "password": "wrong guess"}).status_code
        for i in range(11)
    ]
    assert statuses == [401] * 10 + [429]
    page = app.test_client().post("/login", data={"username": "someone", "password": "x"})
    assert page.status_code == 429
    assert re.search(r"try again in \d+ (seconds|minutes?)", page.data.decode())
    assert int(page.headers["Retry-After"]) > 0


def test_failed_sign_ins_lock_the_user_name_and_only_failures_count(app, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"  # the per-name lockout alone
    make_user("bob")
    make_user("ann")
    client = app.test_client()

    def attempt(name, secret="wrong guess"):  # noqa: S107
        return client.post("/login", data={"username": name, "password": secret}).status_code

    assert [attempt("bob") for _ in range(4)] == [401] * 4
    assert attempt("bob", PASSWORD) == 303  # a success is not counted
    assert attempt("BOB") == 401  # the fifth failure, whatever the spelling
    assert attempt("ｂｏｂ", PASSWORD) == 429  # locked, even with the right password
    assert attempt("ann", PASSWORD) == 303  # other names are not affected
    page = client.post("/login", data={"username": "bob", "password": PASSWORD})
    assert "Too many sign-in attempts" in page.data.decode()


def test_an_unknown_user_name_takes_as_long_as_a_wrong_password(app, make_user):
    make_user("bob")
    unknown, wrong = [], []
    with app.app_context():
        session = get_session()
        authenticate(session=session, username="bob", password="warm up")
        for _ in range(5):
            began = time.perf_counter()
            authenticate(session=session, username="nobody-here", password="wrong guess")
            unknown.append(time.perf_counter() - began)
            began = time.perf_counter()
            authenticate(session=session, username="bob", password="wrong guess")
            wrong.append(time.perf_counter() - began)
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 1 / 1.5 < ratio < 1.5, ratio


# ---------------------------------------------------------------- 13. passwords and user names


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("carla", "1234567890", "most common"),
        ("carla", "Password12", "most common"),
        ("carla.mendes", "carla.mendes", "must not contain"),
        ("carla.mendes", "xx-Carla.Mendes-2024", "must not contain"),
        ("mendesca", "mendescxa1", "too similar"),
    ],
)
def test_weak_passwords_are_refused(app, username, password, message):
    with app.app_context(), pytest.raises(PeopleError, match=message):
        create_user(session=get_session(), username=username, display_name="", password=password)


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("\u0430dmin", "Latin letters"),  # Cyrillic а
        ("ａｄｍｉｎ", "is taken"),  # full-width letters are admin
        ("adm1n", "could be taken for 'admin'"),
        ("a.dmin", "could be taken for 'admin'"),
    ],
)
def test_user_names_that_could_pass_for_another_are_refused(app, make_user, username, message):
    make_user("admin", "admin")
    with app.app_context(), pytest.raises(PeopleError, match=message):
        create_user(session=get_session(), username=username, display_name="Mallory", password=PASSWORD)


def test_user_names_are_normalised_when_stored_and_looked_up(app, make_user):
    with app.app_context():
        user = create_user(session=get_session(), username="Ｋａｒｌ", display_name="", password=PASSWORD)
        assert user.username == "karl"
        with pytest.raises(PeopleError, match="is taken"):
            create_user(session=get_session(), username="KARL", display_name="", password=PASSWORD)
    assert app.test_client().post("/login", data={"username": "ＫＡＲＬ", "password": PASSWORD}).status_code == 303
