"""Consistency under concurrency and what is left behind (issue 11): parallel saves of a version get distinct
numbers, a database error never leads to the bare server page, stale position and wizard forms never
overwrite newer data, signed-in pages are not cached, and the database and instance files are owner-only."""

from __future__ import annotations

import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlmodel import select
from werkzeug.serving import make_server

from assistant.db import get_session
from assistant.models import DraftVersion, User

EXAMPLE = "evacuation_multinational"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(base: str, path: str, data: dict, cookie: str = "") -> tuple[int, dict, str]:
    """POST a form to the real server; (status, headers, body) whatever the status."""
    body = urllib.parse.urlencode(data).encode()
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(base + path, data=body, headers=headers)  # noqa: S310 - http://127.0.0.1
    opener = urllib.request.build_opener(NoRedirect())
    try:
        response = opener.open(request, timeout=60)  # noqa: S310 - http://127.0.0.1 only
    except urllib.error.HTTPError as exc:
        response = exc
    with response:
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def _get(base: str, path: str, cookie: str = "") -> tuple[int, dict, str]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect())
    try:
        response = opener.open(request, timeout=60)  # noqa: S310 - http://127.0.0.1 only
    except urllib.error.HTTPError as exc:
        response = exc
    with response:
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


@pytest.fixture
def server(app):
    """The app behind a real threaded server (werkzeug) on the migrated temporary database."""
    app.config["SESSION_COOKIE_SECURE"] = False  # plain http on 127.0.0.1
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


# ---------------------------------------------------------------- finding 11: parallel versions, DB errors


def test_eight_parallel_version_saves_are_numbered_in_order_without_a_5xx(app, make_user, server):
    make_user("conv")
    status, headers, _ = _post(server, "/login", {"username": "conv", "password": "correct horse battery"})
    assert status == 303
    cookie = re.search(r"session=[^;]+", headers["Set-Cookie"]).group(0)
    status, headers, _ = _post(server, "/negotiations", {"example": EXAMPLE}, cookie)
    assert status == 303
    nid = int(re.search(r"/negotiations/(\d+)/", headers["Location"]).group(1))
    # Warm the advice cache, so that the eight requests reach the version numbering at the same moment.
    assert _get(server, f"/negotiations/{nid}/draft", cookie)[0] == 200

    rounds = 3  # eight at once, three times over: the race is met every time, not most times
    barrier = threading.Barrier(8)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def save() -> None:
        for _ in range(rounds):
            barrier.wait()
            status, _, body = _post(server, f"/negotiations/{nid}/versions", {}, cookie)
            with lock:
                results.append((status, body))

    threads = [threading.Thread(target=save) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert [s for s, _ in results] == [303] * 8 * rounds, [(s, b[:300]) for s, b in results if s != 303]
    with app.app_context():
        numbers = sorted(
            get_session().exec(select(DraftVersion.number).where(DraftVersion.negotiation_id == nid)).all()
        )
    assert numbers == list(range(1, 8 * rounds + 1))


def _break_the_session() -> None:
    """Leave the request's session as a failed write leaves it: a flush error, a transaction to roll back."""
    session = get_session()
    user = session.exec(select(User)).first()
    session.add(User(username=user.username, display_name="Twin", password_hash="x"))
    session.flush()  # IntegrityError: the user name is taken


def test_the_error_handler_rolls_back_the_request_session(app, make_user):
    from assistant.web.errors import _unexpected

    make_user("conv")
    with app.test_request_context("/anything"):
        try:
            _break_the_session()
        except Exception as exc:  # noqa: BLE001 - what the handler receives
            error = exc
        session = get_session()
        assert not session.get_transaction().is_active  # needs a rollback before anything else
        body, status = _unexpected(error)
        assert status == 500
        assert "Unexpected error" in body
        assert session.get_transaction() is None or session.get_transaction().is_active
        assert session.exec(select(User.username)).all() == ["conv"]  # usable again


def test_a_database_error_shows_the_error_page_not_the_bare_server_page(app, make_user, login):
    app.add_url_rule("/test-db-error", "test_db_error", _break_the_session)
    make_user("conv")
    client = login(app.test_client(), "conv")
    response = client.get("/test-db-error")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Unexpected error" in page
    assert "nothing you entered was lost" in page
    assert "Internal Server Error" not in page
    assert client.get("/").status_code == 200


# ---------------------------------------------------------------- finding 15: caches and file permissions


def test_signed_in_pages_and_downloads_are_not_stored_static_files_are(app, client, anon, example_data):
    from assistant.services.negotiations import create_negotiation

    with app.app_context():
        nid = create_negotiation(session=get_session(), title="T", scenario=example_data()).id
    for path in ("/", f"/negotiations/{nid}/context", f"/negotiations/{nid}/audit", f"/negotiations/{nid}/audit.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Pragma"] == "no-cache", path
    assert "attachment" in client.get(f"/negotiations/{nid}/audit.json").headers["Content-Disposition"]
    response = anon.post("/api/v1/advice", json=example_data())  # the API: whatever the answer, never stored
    assert response.headers["Cache-Control"] == "no-store"
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def umask_022():
    old = os.umask(0o022)  # the usual umask, under which files are created world-readable
    yield
    os.umask(old)


def test_the_database_and_its_folder_are_created_owner_only(tmp_path, umask_022):
    from assistant import create_app
    from assistant.db import upgrade
    from assistant.services.negotiations import create_negotiation

    folder = tmp_path / "instance"
    url = f"sqlite:///{folder / 'assistant.sqlite'}"
    upgrade(url)  # the migrations create the file
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": url})
    with app.app_context():
        create_negotiation(session=get_session(), title="Written", scenario={"title": "Written"})
        assert _mode(folder) == 0o700
        for name in ("assistant.sqlite", "assistant.sqlite-wal", "assistant.sqlite-shm"):
            assert _mode(folder / name) == 0o600, name
    app.extensions["assistant.db"].dispose()


def test_a_database_left_world_readable_is_narrowed_to_its_owner(tmp_path, migrated_db, umask_022):
    import shutil

    from assistant import create_app

    db = tmp_path / "old.sqlite"
    shutil.copy(migrated_db, db)
    db.chmod(0o644)
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{db}"})
    assert _mode(db) == 0o600
    app.extensions["assistant.db"].dispose()


def test_the_instance_folder_and_secret_key_are_owner_only(tmp_path, umask_022):
    from assistant.config import _instance_secret

    folder = tmp_path / "instance"
    key = _instance_secret(folder)
    assert len(key) == 64
    assert _mode(folder) == 0o700
    assert _mode(folder / "secret_key") == 0o600
    assert _instance_secret(folder) == key  # kept across restarts
    folder.chmod(0o755)
    _instance_secret(folder)
    assert _mode(folder) == 0o700


# ---------------------------------------------------------------- finding 14: stale forms never overwrite


def _revision_of(app, nid: int) -> int:
    from assistant.models import Negotiation

    with app.app_context():
        return get_session().get(Negotiation, nid).revision


@pytest.mark.parametrize("revision", [None, "", "  ", "abc", "1e3", "-1", "²", "9" * 40])
def test_a_wizard_form_without_a_valid_revision_changes_nothing(app, client, example_data, revision):
    from assistant.services.negotiations import create_negotiation

    with app.app_context():
        nid = create_negotiation(session=get_session(), title="T", scenario=example_data()).id
    form = {"title": "Typed title", "crisis.kind": "epidemic", "crisis.phase": "preparedness"}
    if revision is not None:
        form["revision"] = revision
    response = client.post(f"/negotiations/{nid}/context", data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "could not be checked against the saved negotiation" in page
    assert "reload the page" in page
    assert 'value="Typed title"' in page  # what was typed is kept
    assert f'name="revision" value="{_revision_of(app, nid)}"' in page  # and can be saved again
    htmx = client.post(f"/negotiations/{nid}/context", data=form, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert "conflict-panel" in htmx.get_data(as_text=True)
    choice = {"kind": "agreement_type", "item": "evacuation_relocation", "action": "reject"}
    if revision is not None:
        choice["revision"] = revision
    response = client.post(f"/negotiations/{nid}/choices", data=choice)
    assert response.status_code == 409
    assert "Your decision could not be checked" in response.get_data(as_text=True)
    with app.app_context():
        from assistant.services.negotiations import choices_of, get_negotiation

        negotiation = get_negotiation(session=get_session(), negotiation_id=nid)
        assert negotiation.title != "Typed title"
        assert negotiation.scenario["crisis"] == example_data()["crisis"]
        assert choices_of(session=get_session(), negotiation=negotiation) == []
    assert _revision_of(app, nid) == 1


A = "marundi"  # a party of the example, with two representatives below


@pytest.fixture
def reps(app, make_user, login):
    """A negotiation from the example; Alice and Amir both represent party A."""
    from assistant.services.negotiations import get_negotiation
    from assistant.services.people import add_member

    for name in ("conv", "alice", "amir"):
        make_user(name)
    conv = login(app.test_client(), "conv")
    nid = int(re.search(r"/negotiations/(\d+)/", conv.post("/negotiations", data={"example": EXAMPLE}).location)[1])
    with app.app_context():
        session = get_session()
        negotiation = get_negotiation(session=session, negotiation_id=nid)
        for name in ("alice", "amir"):
            user = session.exec(select(User).where(User.username == name)).one()
            add_member(session=session, negotiation=negotiation, user=user, role="party", party_id=A)
    return nid, login(app.test_client(), "alice"), login(app.test_client(), "amir")


def _opened(client, nid: int, target: str) -> str:
    """What the row's form says the position was when the page was opened."""
    page = client.get(f"/negotiations/{nid}/positions?party={A}").get_data(as_text=True)
    form = re.search(
        rf'name="target" value="{re.escape(target)}">\s*<input type="hidden" name="opened" value="([^"]*)"', page
    )
    assert form, "the row's form must say what the position was when it was opened"
    return form[1]


def _stored(app, nid: int, target: str):
    from assistant.models import Position

    with app.app_context():
        position = (
            get_session()
            .exec(select(Position).where(Position.negotiation_id == nid, Position.target == target))
            .first()
        )
        return None if position is None else (position.stance, position.reasons)


TARGET = "article:dispute_settlement"


def test_a_second_representative_does_not_silently_replace_the_first(app, reps):
    nid, alice, amir = reps
    opened_by_alice, opened_by_amir = _opened(alice, nid, TARGET), _opened(amir, nid, TARGET)
    assert opened_by_alice == opened_by_amir == "new"
    form = {"party": A, "target": TARGET}
    first = alice.post(
        f"/negotiations/{nid}/positions",
        data={**form, "stance": "accept", "reasons": "Alice: fine", "opened": opened_by_alice},
    )
    assert first.status_code == 303
    second = amir.post(
        f"/negotiations/{nid}/positions",
        data={**form, "stance": "object", "reasons": "Amir: courts, not arbitration", "opened": opened_by_amir},
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "This position changed since you opened the form" in page
    assert "Alice: fine" in page  # the position as it is now
    assert "Amir: courts, not arbitration" in page  # and what Amir typed, kept
    assert _stored(app, nid, TARGET) == ("accept", "Alice: fine")  # nothing overwritten
    htmx = amir.post(
        f"/negotiations/{nid}/positions",
        data={**form, "stance": "object", "reasons": "Amir again", "opened": opened_by_amir},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 200
    assert "conflict-panel" in htmx.get_data(as_text=True)
    # The form Amir got back carries the position as it is now: sending it again replaces it, on purpose.
    current = re.search(r'name="opened" value="([^"]*)"', htmx.get_data(as_text=True))[1]
    assert current not in ("new", opened_by_amir)
    again = amir.post(
        f"/negotiations/{nid}/positions", data={**form, "stance": "object", "reasons": "Amir again", "opened": current}
    )
    assert again.status_code == 303
    assert _stored(app, nid, TARGET) == ("object", "Amir again")


def test_a_stale_update_or_withdrawal_is_refused(app, reps):
    nid, alice, amir = reps
    form = {"party": A, "target": TARGET}
    assert (
        alice.post(f"/negotiations/{nid}/positions", data={**form, "stance": "accept", "opened": "new"}).status_code
        == 303
    )
    stamp = _opened(amir, nid, TARGET)
    assert (
        alice.post(
            f"/negotiations/{nid}/positions",
            data={**form, "stance": "object", "reasons": "Changed my mind", "opened": stamp},
        ).status_code
        == 303
    )
    stale = amir.post(
        f"/negotiations/{nid}/positions", data={**form, "stance": "amend", "amended_text": "Mine", "opened": stamp}
    )
    assert stale.status_code == 409
    withdrawn = amir.post(f"/negotiations/{nid}/positions", data={**form, "op": "withdraw", "opened": stamp})
    assert withdrawn.status_code == 409
    assert _stored(app, nid, TARGET) == ("object", "Changed my mind")
    # A form sent back for its problems keeps what it was opened on: correcting it does not skip the check.
    invalid = amir.post(f"/negotiations/{nid}/positions", data={**form, "stance": "maybe", "opened": stamp})
    assert invalid.status_code == 422
    assert f'name="opened" value="{stamp}"' in invalid.get_data(as_text=True)
    fresh = _opened(amir, nid, TARGET)
    assert (
        amir.post(f"/negotiations/{nid}/positions", data={**form, "op": "withdraw", "opened": fresh}).status_code == 303
    )
    assert _stored(app, nid, TARGET) is None


@pytest.mark.parametrize("opened", [None, "", "garbage", "2020-01-01T00:00:00.000000"])
def test_a_position_form_that_does_not_say_what_it_was_opened_on_changes_nothing(app, reps, opened):
    nid, alice, _ = reps
    form = {"party": A, "target": TARGET, "stance": "accept"}
    assert (
        alice.post(f"/negotiations/{nid}/positions", data={**form, "reasons": "First", "opened": "new"}).status_code
        == 303
    )
    data = {**form, "reasons": "Overwrite?"}
    if opened is not None:
        data["opened"] = opened
    response = alice.post(f"/negotiations/{nid}/positions", data=data)
    assert response.status_code == 409
    assert _stored(app, nid, TARGET) == ("accept", "First")


def test_parallel_first_positions_of_one_party_record_one_and_refuse_the_others(app, make_user, example_data, server):
    """Eight representatives' first positions on one row at the same moment: one is recorded, seven get the
    conflict (the unique constraint catches the inserts that race), none a 5xx."""
    from assistant.services.negotiations import create_negotiation
    from assistant.services.people import add_member

    make_user("alice")
    with app.app_context():
        session = get_session()
        user = session.exec(select(User).where(User.username == "alice")).one()
        negotiation = create_negotiation(session=session, title="T", scenario=example_data())
        add_member(session=session, negotiation=negotiation, user=user, role="party", party_id=A)
        nid = negotiation.id
    status, headers, _ = _post(server, "/login", {"username": "alice", "password": "correct horse battery"})
    assert status == 303
    cookie = re.search(r"session=[^;]+", headers["Set-Cookie"]).group(0)
    assert _get(server, f"/negotiations/{nid}/positions?party={A}", cookie)[0] == 200  # warm the advice cache
    barrier = threading.Barrier(8)
    statuses: list[int] = []
    lock = threading.Lock()

    def record(n: int) -> None:
        barrier.wait()
        form = {"party": A, "target": TARGET, "stance": "object", "reasons": f"Reason {n}", "opened": "new"}
        status, _, _ = _post(server, f"/negotiations/{nid}/positions", form, cookie)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=record, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(statuses) == [303] + [409] * 7, statuses
    stance, reasons = _stored(app, nid, TARGET)
    assert stance == "object"
    assert reasons.startswith("Reason ")
