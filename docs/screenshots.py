"""Take the README's screenshots of each wizard step (``make screenshots``), in Debian's Chromium."""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from assistant import create_app
from assistant.db import get_session, upgrade
from assistant.services import start_from_example

OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STEPS = ("context", "parties", "populations", "services", "suggestions", "draft")


def main(example: str = "evacuation_multinational") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/shots.sqlite"
        upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "screenshots"})
        with app.app_context():
            nid = start_from_example(session=get_session(), folder=app.config["EXAMPLES_DIR"], name=example).id
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        OUT.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base)
            page.screenshot(path=OUT / "home.png")
            for step in STEPS:
                page.goto(f"{base}/negotiations/{nid}/{step}")
                if step == "suggestions":
                    page.locator("#role-lead details.why summary").first.click()
                    page.locator("#h-roles").evaluate("e => e.scrollIntoView()")
                page.screenshot(path=OUT / f"{step}.png")
            browser.close()
        server.shutdown()
        app.extensions["assistant.db"].dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
