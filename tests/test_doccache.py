"""PDFs never block the wizard: cached by content, rendered off the request path with a progress page."""

import time
from pathlib import Path

from assistant.doccache import DocumentCache


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
    from assistant.services import create_negotiation

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
