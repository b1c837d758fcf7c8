"""Crash safety: the server killed with SIGKILL in the middle of writes leaves every committed negotiation
intact (SQLite WAL); the rule engine survives 20,000 evaluations from several threads."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from assistant.domain.engine import get_engine
from assistant.domain.evaluate import default_rule_base
from assistant.domain.facts import scenario_facts
from assistant.domain.scenario import parse_scenario
from tests.helpers import PASSWORD, ROOT

SERVER = """
import sys
from werkzeug.serving import run_simple
from assistant import create_app
run_simple("127.0.0.1", int(sys.argv[1]), create_app(), threaded=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect())


def post(op, url, data):
    """POST a form; None once the server is gone (killed mid-request)."""
    body = urllib.parse.urlencode(data, doseq=True).encode()
    try:
        response = op.open(urllib.request.Request(url, data=body), timeout=10)  # noqa: S310 - http://127.0.0.1 only
    except urllib.error.HTTPError as exc:
        response = exc
    except (OSError, http.client.HTTPException):
        return None
    try:
        with response:
            response.read()
    except (OSError, http.client.HTTPException):
        return None  # killed while answering: not committed as far as the client knows
    return response


def test_sigkill_mid_writes_loses_no_committed_negotiation(tmp_path, migrated_db):
    import shutil

    db = tmp_path / "crash.sqlite"
    shutil.copy(migrated_db, db)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "ASSISTANT_SECRET_KEY": "crash-test",
        "ASSISTANT_WTF_CSRF_ENABLED": "false",
        "ASSISTANT_SESSION_COOKIE_SECURE": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "assistant.cli", "users", "create", "writer", "--password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=1).close()  # noqa: S310 - http://127.0.0.1 only
                break
            except OSError:
                time.sleep(0.1)
        committed: list[tuple[int, str]] = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n: int) -> None:
            op = opener()
            post(op, base + "/login", {"username": "writer", "password": PASSWORD})
            i = 0
            while not stop.is_set():
                title = f"Crash test {n}-{i}"
                response = post(op, base + "/negotiations", {"title": title})
                if response is None:
                    return
                if response.status == 303:
                    nid = int(response.headers["Location"].split("/")[2])
                    saved = post(
                        op,
                        f"{base}/negotiations/{nid}/context",
                        # revision 1: the negotiation as it was created
                        {"title": title, "crisis.kind": "epidemic", "crisis.phase": "preparedness", "revision": "1"},
                    )
                    if saved is not None and saved.status == 303:
                        with lock:
                            committed.append((nid, title))
                i += 1

        threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
        for t in threads:
            t.start()
        deadline = time.time() + 30
        while len(committed) < 40 and time.time() < deadline:
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)  # in the middle of writes
        server.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
    assert len(committed) >= 40
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(conn.execute("SELECT id, scenario FROM negotiation").fetchall())
    for nid, title in committed:
        assert nid in rows, f"committed negotiation {nid} lost"
        assert f'"title": "{title}"' in rows[nid] or f'"title":"{title}"' in rows[nid]
        assert '"kind": "epidemic"' in rows[nid] or '"kind":"epidemic"' in rows[nid]


def test_engine_survives_20000_evaluations_from_threads():
    base = default_rule_base()
    facts = scenario_facts(
        parse_scenario(
            {
                "title": "Small",
                "crisis": {"kind": "epidemic", "phase": "preparedness"},
                "host_state": "a",
                "parties": [{"id": "a", "name": "A", "kind": "state"}, {"id": "b", "name": "B", "kind": "ngo"}],
            }
        )
    )
    engine = get_engine()
    expected = sorted(f.rule.id for f in engine.evaluate(base, facts))
    errors: list[Exception] = []
    mismatches = 0

    def work() -> None:
        nonlocal mismatches
        try:
            for _ in range(5000):
                if sorted(f.rule.id for f in engine.evaluate(base, facts)) != expected:
                    mismatches += 1
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert mismatches == 0
    assert engine._runs == {}  # no live session left behind (the cap is 1,024)
