"""PDFs never block the wizard: cached by content, rendered off the request path with a progress page."""

import os
import queue
import stat
import threading
import time
from pathlib import Path

import pytest

from assistant.documents import cache as doccache
from assistant.documents.cache import DocumentCache


def test_cache_renders_once_and_by_content(tmp_path):
    cache = DocumentCache(tmp_path)
    calls = []

    def render():
        calls.append(1)
        return b"%PDF-1"

    key = cache.key("pdf", {"html": "<p>a</p>"})
    assert cache.render_now(key, "pdf", render) == b"%PDF-1"
    assert cache.render_now(key, "pdf", render) == b"%PDF-1"
    assert len(calls) == 1
    assert cache.key("pdf", {"html": "<p>b</p>"}) != key


def test_background_render_reports_progress(tmp_path):
    cache = DocumentCache(tmp_path)
    key = cache.key("pdf", {"html": "slow"})

    def slow():
        time.sleep(0.3)
        return b"%PDF-slow"

    assert cache.start(key, "pdf", slow) == "rendering"
    assert cache.get(key, "pdf") is None
    for _ in range(50):
        if cache.start(key, "pdf", slow) == "ready":
            break
        time.sleep(0.05)
    assert cache.get(key, "pdf") == b"%PDF-slow"


def test_failed_render_is_reported_and_can_be_retried(tmp_path):
    cache = DocumentCache(tmp_path)
    key = cache.key("pdf", {"html": "broken"})

    def broken():
        raise RuntimeError("layout failed")

    states = [cache.start(key, "pdf", broken)]
    while states[-1] != "failed" and len(states) < 50:
        time.sleep(0.02)
        states.append(cache.start(key, "pdf", broken))
    assert states[-1] == "failed"
    assert set(states) <= {"rendering", "failed"}
    for _ in range(50):
        if cache.start(key, "pdf", lambda: b"%PDF-ok") == "ready":
            break
        time.sleep(0.02)
    assert cache.get(key, "pdf") == b"%PDF-ok"


def test_pdf_download_shows_progress_then_the_file(app, client, example_data):
    from assistant.db import get_session
    from assistant.services.negotiations import create_negotiation

    app.config["PDF_ASYNC"] = True
    with app.app_context():
        nid = create_negotiation(session=get_session(), title="T", scenario=example_data("consular_reciprocity")).id
    first = client.get(f"/negotiations/{nid}/draft.pdf")
    assert first.status_code == 202
    assert b"Preparing the PDF" in first.data
    assert b'http-equiv="refresh"' in first.data
    for _ in range(100):
        response = client.get(f"/negotiations/{nid}/draft.pdf")
        if response.status_code == 200:
            break
        time.sleep(0.1)
    assert response.status_code == 200
    assert response.data[:4] == b"%PDF"
    started = time.perf_counter()
    assert client.get(f"/negotiations/{nid}/draft.pdf").status_code == 200  # cached: no second render
    assert time.perf_counter() - started < 0.5


def test_the_training_handout_is_laid_out_off_the_request_and_cached(app, client):
    app.config["PDF_ASYNC"] = True
    first = client.get("/training/chad_lead_state/handout.pdf")
    assert first.status_code == 202
    assert b"Handout: One lead State for sixty nationalities" in first.data
    assert b'http-equiv="refresh"' in first.data
    for _ in range(300):
        response = client.get("/training/chad_lead_state/handout.pdf")
        if response.status_code == 200:
            break
        time.sleep(0.1)
    assert response.status_code == 200
    assert response.data[:4] == b"%PDF"
    cached = list((Path(app.config["DOCUMENT_CACHE_DIR"])).glob("*.pdf"))
    assert len(cached) == 1
    assert client.get("/training/chad_lead_state/handout.pdf").data == response.data


# ---------------------------------------------------------------- issue 11: the bounded, fair queue; the capped cache


class Gate:
    """A render that reports its start and waits until released (no timing in the assertions)."""

    def __init__(self) -> None:
        self.started: queue.Queue[str] = queue.Queue()
        self.release = threading.Semaphore(0)

    def render(self, name: str):
        def _render() -> bytes:
            self.started.put(name)
            if not self.release.acquire(timeout=20):
                raise RuntimeError("never released")
            return f"%PDF-{name}".encode()

        return _render

    def next(self) -> str:
        return self.started.get(timeout=10)


@pytest.fixture
def gate():
    g = Gate()
    yield g
    for _ in range(100):
        g.release.release()


def wait_for(cache: DocumentCache, key: str) -> bytes:
    for _ in range(200):
        data = cache.get(key, "pdf")
        if data is not None:
            return data
        time.sleep(0.02)
    raise AssertionError("never rendered")


def test_one_owner_may_have_only_per_user_jobs_queued_or_rendering(tmp_path, gate):
    cache = DocumentCache(tmp_path, per_user=2, queue_max=10)
    keys = [cache.key("pdf", i) for i in range(3)]
    assert cache.start(keys[0], "pdf", gate.render("a0"), owner="a") == "rendering"
    assert cache.start(keys[1], "pdf", gate.render("a1"), owner="a") == "rendering"
    with pytest.raises(doccache.UserLimit) as refused:
        cache.start(keys[2], "pdf", gate.render("a2"), owner="a")
    assert refused.value.status == 429
    assert refused.value.count == 2
    assert "You already have 2 documents being prepared" in refused.value.message
    assert cache.start(keys[1], "pdf", gate.render("a1"), owner="a") == "rendering"  # already queued: fine
    assert cache.start(keys[2], "pdf", gate.render("b2"), owner="b") == "rendering"  # another owner: fine
    gate.release.release()
    gate.release.release()
    gate.release.release()
    assert [wait_for(cache, k) for k in keys] == [b"%PDF-a0", b"%PDF-a1", b"%PDF-b2"]


def test_the_queue_is_bounded_for_everybody(tmp_path, gate):
    cache = DocumentCache(tmp_path, per_user=3, queue_max=4)
    for i in range(4):
        cache.start(cache.key("pdf", i), "pdf", gate.render(str(i)), owner=f"user{i}")
    with pytest.raises(doccache.QueueFull) as refused:
        cache.start(cache.key("pdf", 9), "pdf", gate.render("9"), owner="user9")
    assert refused.value.status == 503
    assert refused.value.retry_after > 0
    assert gate.next() == "0"
    assert cache.pending() == {"queued": 3, "rendering": 1, "failed": 0}  # the refused one was not added


def test_owners_take_turns_so_a_newcomer_waits_for_at_most_one_render(tmp_path, gate):
    cache = DocumentCache(tmp_path, per_user=10, queue_max=20)
    for i in range(6):
        cache.start(cache.key("pdf", f"a{i}"), "pdf", gate.render(f"a{i}"), owner="a")
    assert gate.next() == "a0"
    cache.start(cache.key("pdf", "b0"), "pdf", gate.render("b0"), owner="b")
    cache.start(cache.key("pdf", "b1"), "pdf", gate.render("b1"), owner="b")
    order = []
    for _ in range(7):
        gate.release.release()
        order.append(gate.next())
    assert order == ["b0", "a1", "b1", "a2", "a3", "a4", "a5"]


def test_finished_and_reported_failed_jobs_leave_the_job_table(tmp_path):
    cache = DocumentCache(tmp_path, per_user=100, queue_max=100)
    keys = [cache.key("pdf", i) for i in range(30)]
    for i, key in enumerate(keys):
        cache.start(key, "pdf", lambda i=i: f"%PDF-{i}".encode())
    for key in keys:
        wait_for(cache, key)
    broken = cache.key("pdf", "broken")

    def fail():
        raise RuntimeError("layout failed")

    cache.start(broken, "pdf", fail)
    for _ in range(200):
        if cache.start(broken, "pdf", fail) == "failed":
            break
        time.sleep(0.02)
    for _ in range(100):
        if not cache._jobs:
            break
        time.sleep(0.02)
    assert len(cache._jobs) == 0


def test_the_cache_deletes_the_least_recently_used_files_over_its_cap(tmp_path):
    cache = DocumentCache(tmp_path, max_bytes=250)
    a, b, c = (cache.key("pdf", n) for n in "abc")
    cache.render_now(a, "pdf", lambda: b"a" * 100)
    cache.render_now(b, "pdf", lambda: b"b" * 100)
    assert cache.get(a, "pdf") == b"a" * 100  # a is now used more recently than b
    cache.render_now(c, "pdf", lambda: b"c" * 100)
    assert cache.get(b, "pdf") is None
    assert cache.get(a, "pdf") is not None
    assert cache.get(c, "pdf") is not None
    assert cache.size() <= 250
    big = cache.key("pdf", "big")
    assert cache.render_now(big, "pdf", lambda: b"x" * 1000) == b"x" * 1000  # larger than the cap: still served
    assert cache.get(big, "pdf") == b"x" * 1000  # and kept, alone
    assert [p.name for p in tmp_path.iterdir()] == [f"{big}.pdf"]


def test_leftover_part_files_are_removed(tmp_path):
    stale = tmp_path / "0123.pdf.part"
    stale.write_bytes(b"half a file")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    DocumentCache(tmp_path)
    assert not stale.exists()


def test_the_cache_folder_and_its_files_are_private(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    old = folder / "old.pdf"
    old.write_bytes(b"%PDF-old")
    old.chmod(0o644)
    previous = os.umask(0o022)
    try:
        cache = DocumentCache(folder)
        key = cache.key("pdf", "x")
        cache.render_now(key, "pdf", lambda: b"%PDF-x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.path(key, "pdf").stat().st_mode) == 0o600
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
