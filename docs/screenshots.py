"""Take the README's screenshots of each wizard step (``make screenshots``), in Debian's Chromium."""

from __future__ import annotations

import secrets
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from assistant import create_app  # noqa: E402 - after the repository root is on the path
from assistant.db import get_session, upgrade  # noqa: E402
from assistant.services import start_from_example  # noqa: E402
from assistant.services.people import create_user  # noqa: E402
from tests.browser.chromium import ARGS, CHROMIUM, live_server  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"
PASSWORD = secrets.token_urlsafe(16)  # a throw-away account in a temporary database
STEPS = ("context", "parties", "populations", "services", "suggestions", "draft")


def main(example: str = "evacuation_multinational") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/shots.sqlite"
        upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "screenshots"})
        with app.app_context():
            user = create_user(
                session=get_session(), username="convener", display_name="Ana Convener", password=PASSWORD
            )
            nid = start_from_example(
                session=get_session(), folder=app.config["EXAMPLES_DIR"], name=example, user=user
            ).id
        OUT.mkdir(exist_ok=True)
        with live_server(app) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base)
            page.fill("#login-username", "convener")
            page.fill("#login-password", PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(base + "/")
            page.screenshot(path=OUT / "home.png")
            for step in STEPS:
                page.goto(f"{base}/negotiations/{nid}/{step}")
                if step == "suggestions":
                    page.locator("#role-lead details.why summary").first.click()
                    page.locator("#h-roles").evaluate("e => e.scrollIntoView()")
                page.screenshot(path=OUT / f"{step}.png")
            training(page, base)
            browser.close()
        app.extensions["assistant.db"].dispose()


TRAINING = "chad_lead_state"
WHAT_IF = "&".join(
    f"change={c}"
    for c in ("phase:mandatory_evacuation", "consular:baltava:embassy", "host:objects_to_third_state_consular_acts:no")
)


def training(page, base: str) -> None:
    """Trainer mode: the library, a scenario, a slide, a what-if comparison, an exercise's score."""
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(f"{base}/training/")
    page.screenshot(path=OUT / "training-library.png")
    page.goto(f"{base}/training/{TRAINING}")
    page.screenshot(path=OUT / "training-scenario.png")
    page.set_viewport_size({"width": 1280, "height": 720})  # a projector
    page.goto(f"{base}/training/{TRAINING}/present?slide=5")
    page.screenshot(path=OUT / "training-present.png")
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(f"{base}/training/{TRAINING}/what-if?{WHAT_IF}")
    page.locator("#wi-results-h").evaluate("e => e.scrollIntoView()")
    page.screenshot(path=OUT / "training-what-if.png")
    page.goto(f"{base}/training/{TRAINING}")
    page.get_by_role("button", name="Start an exercise").first.click()
    page.wait_for_url("**/training/exercises/*")
    page.locator("input[type=checkbox][value=consular_representation]").first.check()
    page.get_by_role("button", name="Submit for scoring").click()
    page.wait_for_load_state()
    page.screenshot(path=OUT / "training-exercise-score.png")


if __name__ == "__main__":
    main(*sys.argv[1:])
