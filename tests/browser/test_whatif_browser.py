"""A trainer runs a what-if on a training scenario in Chromium, as a new user would: three changes through the
forms, at least three suggestions that change and a redline, then the link reopened gives the same comparison.
Once with JavaScript (htmx swaps the results and pushes the URL) and once without (plain GET forms)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.test_wizard_browser import sign_in

pytestmark = pytest.mark.browser

CHANGES = ["consular:ethara:none", "vuln:ethara:refugees_or_asylum_seekers:300", "bridging_fund:off"]


def add(page, kind, button="Add this change"):
    page.locator(f"#wi-add-{kind}").get_by_role("button", name=button).click()
    page.wait_for_load_state()


def summary_counts(page) -> tuple[int, int, int]:
    text = page.locator("#wi-summary").inner_text()
    match = re.search(r"(\d+) suggestions? added, (\d+) removed, (\d+) changed", text)
    assert match, text
    return tuple(int(n) for n in match.groups())


def run_whatif(page, base, js: bool):
    from playwright.sync_api import expect

    sign_in(page, base)
    page.goto(f"{base}/training/yemen_sea_evacuation/what-if")
    page.get_by_role("heading", name="Add a change").wait_for()
    assert page.locator("#wi-summary").count() == 0
    if js:
        page.evaluate("window.__marker = 'no reload'")

    # 1. A State loses its consular presence.
    page.select_option("#wi-consular-party", "ethara")
    page.select_option("#wi-consular-value", "none")
    add(page, "consular")
    page.get_by_text("Federal Republic of Ethara: consular presence embassy → none").wait_for()

    # 2. Refugees appear among the migrants of a group.
    page.select_option("#wi-vuln-group", "ethara")
    page.select_option("#wi-vuln-what", "refugees_or_asylum_seekers")
    page.fill("#wi-vuln-count", "300")
    add(page, "vuln")
    page.get_by_text("Migrants from Federal Republic of Ethara: refugees or asylum-seekers 0 → 300").wait_for()

    # 3. The bridging fund disappears.
    add(page, "bridging_fund", "Remove every bridging fund")
    page.get_by_text("The bridging fund disappears:").wait_for()

    assert page.locator("ol.wi-change-list > li").count() == 3
    added, removed, changed = summary_counts(page)
    assert added + removed + changed >= 3
    marks = page.locator("tr.wi-row")
    assert marks.count() == added + removed + changed
    # Marked by words, not by colour alone; each row names its rule with a link to the rule book.
    assert re.search(r"(Added|Removed|Changed)", marks.first.locator("th").inner_text(), re.IGNORECASE)
    assert marks.first.locator("a[href*='/rules/#rule-']").count() >= 1
    assert page.locator("#wi-redline ins, #wi-redline del").count() >= 1

    # The address bar holds the comparison (pushed by htmx with JavaScript, reached by redirect without).
    assert parse_qs(urlsplit(page.url).query)["change"] == CHANGES
    if js:
        assert page.evaluate("window.__marker") == "no reload"

    link = page.input_value("#wi-link")
    assert parse_qs(urlsplit(link).query)["change"] == CHANGES
    shown = page.locator(".wi-results").inner_text()
    page.goto(link)
    assert page.locator(".wi-results").inner_text() == shown
    page.reload()
    assert page.locator(".wi-results").inner_text() == shown

    # A change is removed by its link; the comparison follows.
    page.locator("ol.wi-change-list > li").nth(2).get_by_role("link", name="Remove").click()
    page.wait_for_load_state()
    expect(page.locator("ol.wi-change-list > li")).to_have_count(2)
    assert parse_qs(urlsplit(page.url).query)["change"] == CHANGES[:2]


def test_whatif_with_javascript(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    run_whatif(page, live_server, js=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    context.close()


def test_whatif_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    run_whatif(context.new_page(), live_server, js=False)
    context.close()
