"""Issue 7's "done when", as a new trainer would do it in Chromium: pick a scenario in the library, present
it, run a what-if that changes at least three suggestions, and print the handout (the PDF is laid out in
the background: the progress page refreshes itself until the download starts)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_wizard_browser import sign_in

pytestmark = pytest.mark.browser


def test_pick_present_what_if_and_handout(live_server, browser, tmp_path):
    base = live_server
    page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    failures: list[str] = []
    page.on("pageerror", lambda e: failures.append(str(e)))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    sign_in(page, base)

    # Pick: the library, filtered by a practice, then the scenario's page.
    page.get_by_role("link", name="Training", exact=True).click()
    page.wait_for_url(base + "/training/")
    page.select_option("#training-practice", "needs_based_prioritisation")
    page.wait_for_url("**/training/?*practice=needs_based_prioritisation*")
    page.get_by_role("link", name="Seats by need, not by passport — the sea evacuation", exact=True).click()
    page.wait_for_url(re.compile(r".*/training/[a-z_]+$"))
    slug = page.url.rsplit("/", 1)[1]
    title = page.locator("h1").inner_text()
    expect(page.get_by_role("heading", name="Discussion questions")).to_be_visible()

    # Present: the first slides, with the keyboard, then back.
    page.get_by_role("link", name="Present", exact=True).click()
    page.wait_for_url(f"**/training/{slug}/present")
    expect(page.locator("#slide-heading")).to_have_text(title)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".present-nav .progress")).to_have_text(re.compile(r"^2 / \d+$"))
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/training/{slug}")

    # What-if: the parties prepare before the crisis instead, Ethara's embassy closes, the bridging fund goes.
    page.get_by_role("link", name="What-if", exact=True).click()
    page.wait_for_url(f"**/training/{slug}/what-if")
    page.select_option("#wi-phase-value", "preparedness")
    page.locator("#wi-add-phase").get_by_role("button", name="Add this change").click()
    page.get_by_text("mandatory evacuation → preparedness").first.wait_for()
    page.select_option("#wi-consular-party", "ethara")
    page.select_option("#wi-consular-value", "none")
    page.locator("#wi-add-consular").get_by_role("button", name="Add this change").click()
    page.get_by_text("Federal Republic of Ethara: consular presence embassy → none").wait_for()
    page.locator("#wi-add-bridging_fund").get_by_role("button", name="Remove every bridging fund").click()
    # The kind's title is on the form itself: wait for the comparison's link to carry the change instead.
    expect(page.locator("input[readonly]").first).to_have_value(re.compile("bridging_fund"))
    summary = page.locator("#wi-summary").inner_text()
    counts = re.search(r"(\d+) suggestions? added, (\d+) removed, (\d+) changed", summary)
    assert counts, summary
    assert sum(int(n) for n in counts.groups()) >= 3, summary
    assert page.locator(".wi-results a[href*='/rules/']").count() >= 3  # each change names its rule
    link = page.locator("input[readonly]").first.input_value()
    assert link.count("change=") == 3

    # Handout: from the scenario page, through the progress page, to a PDF with the title and questions.
    page.goto(f"{base}/training/{slug}")
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("link", name="Handout PDF").click()
    path = tmp_path / "handout.pdf"
    download.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert title in " ".join(text.split())
    assert "Questions for discussion" in text
    assert not failures, failures
