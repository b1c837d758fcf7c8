"""Issue 11, documents: one user's PDF requests must not keep everybody else waiting, the cache must not
grow without bound, redline PDFs go through the cache and its queue, cached documents are private.

The renders here are fakes that block until the test releases them, so the queue's order is observed
exactly, without timing."""

from __future__ import annotations

import queue
import re
import shutil
import stat
import threading
from pathlib import Path

import pytest
from sqlmodel import select

from assistant import create_app
from assistant.db import get_session
from assistant.models import Negotiation
from assistant.services.negotiations import create_negotiation

QUEUE_MAX = 5
PER_USER = 3


@pytest.fixture
def app(tmp_path, migrated_db):
    """The app with background renders, a small queue and a small per-user limit."""
    db = tmp_path / "assistant.sqlite"
    shutil.copy(migrated_db, db)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{db}",
            "WTF_CSRF_ENABLED": False,
            "PDF_ASYNC": True,
            "DOCUMENT_CACHE_DIR": str(tmp_path / "documents"),
            "RENDER_QUEUE_MAX": QUEUE_MAX,
            "RENDER_PER_USER": PER_USER,
        }
    )
    yield app
    app.extensions["assistant.db"].dispose()


class FakeRenders:
    """Stands in for WeasyPrint: says which document started, then waits until the test lets it finish."""

    def __init__(self, blocking: bool = True):
        self.started: queue.Queue[str] = queue.Queue()
        self.gate = threading.Semaphore(0)
        self.blocking = blocking
        self.count = 0

    def __call__(self, html: str, *, variant=None) -> bytes:
        self.count += 1
        match = re.search(r"Doc-\d+", html)
        name = match.group(0) if match else "other"
        self.started.put(name)
        if self.blocking and not self.gate.acquire(timeout=20):
            raise RuntimeError("the test never released this render")
        return f"%PDF-fake {name} ".encode() + b"x" * 1000

    def next_started(self) -> str:
        return self.started.get(timeout=10)

    def finish(self, n: int = 1) -> None:
        for _ in range(n):
            self.gate.release()


@pytest.fixture
def renders(monkeypatch):
    fake = FakeRenders()
    monkeypatch.setattr("assistant.documents.views.pdf_from_html", fake)
    yield fake
    fake.blocking = False
    fake.finish(100)  # let every render thread go


@pytest.fixture
def users(app, make_user, login):
    """Three signed-in users (administrators, so they may open every negotiation)."""
    clients = {}
    for name in ("alice", "bob", "carol"):
        make_user(name, "admin")
        clients[name] = login(app.test_client(), name)
    return clients


@pytest.fixture
def docs(app, example_data):
    """The PDF addresses of seven negotiations' drafts, Doc-1 … Doc-7."""
    urls = {}
    with app.app_context():
        for i in range(1, 8):
            data = example_data("consular_reciprocity")
            data["title"] = f"Doc-{i}"
            nid = create_negotiation(session=get_session(), title=f"Doc-{i}", scenario=data).id
            urls[f"Doc-{i}"] = f"/negotiations/{nid}/draft.pdf"
    return urls


def wait_ready(client, url: str) -> bytes:
    for _ in range(200):
        response = client.get(url)
        if response.status_code == 200:
            return response.data
        assert response.status_code == 202
        threading.Event().wait(0.05)
    raise AssertionError(f"{url} never became ready")


def test_a_user_over_the_per_user_limit_gets_a_clear_429_and_nothing_is_lost(users, docs, renders):
    alice = users["alice"]
    for i in range(1, PER_USER + 1):
        assert alice.get(docs[f"Doc-{i}"]).status_code == 202
    over = alice.get(docs["Doc-4"])
    assert over.status_code == 429
    assert f"You already have {PER_USER} documents being prepared".encode() in over.data
    assert int(over.headers["Retry-After"]) > 0
    assert b'http-equiv="refresh"' in over.data  # the page asks again by itself
    assert alice.get(docs["Doc-1"]).status_code == 202  # asking again for a queued one is not "over the limit"
    renders.finish(PER_USER)
    for i in range(1, PER_USER + 1):
        assert wait_ready(alice, docs[f"Doc-{i}"]).startswith(f"%PDF-fake Doc-{i}".encode())
    renders.finish(1)
    assert wait_ready(alice, docs["Doc-4"]).startswith(b"%PDF-fake Doc-4")  # once the others are done


def test_a_full_render_queue_answers_503_with_retry_after(users, docs, renders):
    for i in range(1, PER_USER + 1):
        assert users["alice"].get(docs[f"Doc-{i}"]).status_code == 202
    for i in range(PER_USER + 1, QUEUE_MAX + 1):
        assert users["bob"].get(docs[f"Doc-{i}"]).status_code == 202
    busy = users["carol"].get(docs["Doc-6"])
    assert busy.status_code == 503
    assert b"busy" in busy.data
    assert int(busy.headers["Retry-After"]) > 0
    renders.finish(QUEUE_MAX + 1)
    for i in range(1, QUEUE_MAX + 1):
        wait_ready(users["alice"], docs[f"Doc-{i}"])  # nothing queued was lost
    assert wait_ready(users["carol"], docs["Doc-6"]).startswith(b"%PDF-fake Doc-6")  # room again


def test_another_users_first_pdf_starts_after_at_most_one_render(users, docs, renders):
    for i in range(1, PER_USER + 1):
        assert users["alice"].get(docs[f"Doc-{i}"]).status_code == 202
    assert renders.next_started() == "Doc-1"  # alice's first is rendering, her others wait
    assert users["bob"].get(docs["Doc-7"]).status_code == 202
    renders.finish(1)
    assert renders.next_started() == "Doc-7"  # bob's goes next, not after all of alice's
    renders.finish(1)
    assert renders.next_started() == "Doc-2"
    renders.finish(1)
    assert renders.next_started() == "Doc-3"
    renders.finish(1)


def test_finished_jobs_leave_the_job_table(app, users, docs, renders):
    renders.blocking = False
    for i in range(1, 8):
        wait_ready(users["alice"], docs[f"Doc-{i}"])
    assert len(app.extensions["assistant.documents"]._jobs) == 0


def test_the_redline_pdf_is_laid_out_off_the_request_and_cached(app, users, renders):
    admin = users["alice"]
    assert admin.post("/negotiations", data={"example": "consular_reciprocity"}).status_code == 303
    with app.app_context():
        nid = get_session().exec(select(Negotiation)).one().id
    url = f"/negotiations/{nid}/versions"
    assert admin.post(url).status_code == 303
    assert admin.post(url).status_code == 303
    first = admin.get(f"{url}/1/redline/2.pdf")
    assert first.status_code == 202  # the progress page, not a request held for seconds
    assert b"Preparing the PDF" in first.data
    assert b'http-equiv="refresh"' in first.data
    renders.finish(1)
    body = wait_ready(admin, f"{url}/1/redline/2.pdf")
    assert body.startswith(b"%PDF-fake")
    assert admin.get(f"{url}/1/redline/2.pdf").data == body
    assert renders.count == 1  # laid out once, then served from the cache
    assert "redline-v1-v2.pdf" in admin.get(f"{url}/1/redline/2.pdf").headers["Content-Disposition"]


def test_the_document_cache_keeps_under_its_size_cap(tmp_path):
    folder = tmp_path / "capped"
    cache = create_app(
        {"SECRET_KEY": "t", "DOCUMENT_CACHE_DIR": str(folder), "DOCUMENT_CACHE_MAX_BYTES": 2500}
    ).extensions["assistant.documents"]
    for i in range(6):
        cache.render_now(cache.key("pdf", {"i": i}), "pdf", lambda: b"x" * 1000)
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 2500


def test_cached_documents_are_private(app, users, docs, renders):
    renders.blocking = False
    wait_ready(users["alice"], docs["Doc-1"])
    folder = Path(app.config["DOCUMENT_CACHE_DIR"])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert files
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
