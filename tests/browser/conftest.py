"""Browser fixtures: a live server on 127.0.0.1 and Debian's Chromium driven by Playwright (tech notes §6)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant import create_app
from tests.browser.chromium import ARGS, CHROMIUM
from tests.browser.chromium import live_server as serve
from tests.helpers import PASSWORD


@pytest.fixture
def live_server(tmp_path, migrated_db):
    db = tmp_path / "live.sqlite"
    shutil.copy(migrated_db, db)
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "DATABASE_URL": f"sqlite:///{db}",
            "DOCUMENT_CACHE_DIR": str(tmp_path / "documents"),
        }
    )
    with app.app_context():
        from assistant.db import get_session
        from assistant.services.people import create_user

        create_user(session=get_session(), username="convener", display_name="Ana Convener", password=PASSWORD)
    with serve(app) as base:
        yield base
    app.extensions["assistant.db"].dispose()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium; skipped when it cannot start, except under CI=true where that fails the run."""
    try:
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise FileNotFoundError(f"{CHROMIUM} not found (apt-get install chromium)")
        manager = sync_playwright().start()
        browser = manager.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser could not start under CI: {exc}")
        pytest.skip(f"the browser could not start: {exc}")
    yield browser
    browser.close()
    manager.stop()
