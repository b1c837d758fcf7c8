"""A negotiator walks the wizard in Chromium from a blank negotiation to a downloaded PDF,
once with JavaScript (htmx swaps, no reloads) and once without (POST, then redirect)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def fill_party(page, i, pid, name, kind):
    page.fill(f"#f-parties-{i}-id", pid)
    page.fill(f"#f-parties-{i}-name", name)
    page.select_option(f"#f-parties-{i}-kind", kind)


def submit(page, label="Save and continue"):
    page.get_by_role("button", name=label, exact=True).first.click()
    page.wait_for_load_state()


def sign_in(page, base, username="convener"):
    page.goto(base)
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


def walk(page, base, tmp_path, js: bool):
    sign_in(page, base)
    page.fill("#new-title", "Evacuation of workers from Testland")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url("**/context")
    if js:
        page.evaluate("window.__marker = 'no reload'")

    page.select_option("#f-crisis-kind", "armed_conflict")
    page.select_option("#f-crisis-phase", "voluntary_departure")
    page.get_by_label("evacuation and relocation").check()
    submit(page)
    page.wait_for_url("**/parties")

    # Rows are added with a button (a POST that keeps what is typed) and filled in place.
    for i in range(3):
        page.get_by_role("button", name="Add a party").click()
        page.locator(f"#f-parties-{i}-id").wait_for()
    fill_party(page, 0, "testland", "Republic of Testland", "state")
    page.locator('input[name="host_row"][value="0"]').check()
    fill_party(page, 1, "iom", "International Organization for Migration", "international_organization")
    page.locator("#party-1").get_by_label("migration", exact=True).check()
    fill_party(page, 2, "origin", "Republic of Origin", "state")
    page.locator("#party-2").get_by_label("origin", exact=True).check()
    page.locator("#party-2 summary").click()
    page.select_option("#f-parties-2-capacities-consular_presence", "none")
    submit(page)
    page.wait_for_url("**/populations")

    page.get_by_role("button", name="Add a group").click()
    page.locator("#f-populations-0-nationality").wait_for()
    page.select_option("#f-populations-0-nationality", "origin")
    page.fill("#f-populations-0-count", "many")
    submit(page)
    assert page.locator(".error").first.inner_text() == "expected a whole number, got 'many'"
    page.fill("#f-populations-0-count", "1200")
    submit(page)
    page.wait_for_url("**/services")

    page.get_by_label("evacuation transport").check()
    page.select_option("#f-funding-share_costs", "yes")
    page.fill("#f-funding-estimated_cost", "500000")
    submit(page)
    page.wait_for_url("**/suggestions")

    assert page.get_by_role("heading", name="Roles").is_visible()
    why = page.locator("details.why").first
    why.locator("summary").click()
    assert why.locator(".facts li").count() >= 1
    page.get_by_role("link", name="Go to the draft").click()
    page.wait_for_url("**/draft")
    assert page.locator(".agreement .article").count() >= 5
    if js:
        assert page.evaluate("window.__marker") == "no reload"  # every step so far was an htmx swap

    # The first request shows a progress page while the PDF renders off the request path; it asks again
    # by itself, and the download starts when the PDF is ready.
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Download PDF").click()
    path = tmp_path / ("js.pdf" if js else "nojs.pdf")
    info.value.save_as(path)
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    assert "Evacuation of workers from" in reader.pages[0].extract_text()
    assert "Testland" in reader.pages[0].extract_text()


def test_wizard_with_javascript(browser, live_server, tmp_path):
    context = browser.new_context(accept_downloads=True, java_script_enabled=True)
    page = context.new_page()
    requests, console = [], []
    page.on("request", lambda r: requests.append(r.headers.get("hx-request")))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    walk(page, live_server, tmp_path, js=True)
    assert "true" in requests  # htmx did the swaps
    assert not [m for m in console if "Content Security Policy" in m], console  # the CSP blocks nothing we use
    context.close()


def test_wizard_without_javascript(browser, live_server, tmp_path):
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    page = context.new_page()
    walk(page, live_server, tmp_path, js=False)
    context.close()
