"""A trainer in Chromium: filter the training library, open a scenario, present it with the keyboard, leave."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assistant.domain.training import load_training_library
from tests.browser.test_wizard_browser import sign_in
from tests.helpers import ROOT

pytestmark = pytest.mark.browser


def at_slide(page, number: int) -> None:
    """Wait until the progress shows this slide (no wait_for_function: the page's CSP forbids eval)."""
    expect(page.locator(".present-nav .progress")).to_have_text(re.compile(rf"^{number} / \d+$"))


def progress(page) -> tuple[int, int]:
    number, count = page.locator(".present-nav .progress").inner_text().split(" / ")
    return int(number), int(count)


def test_filter_pick_present_and_leave_with_the_keyboard(live_server, browser):
    base = live_server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    sign_in(page, base)

    page.get_by_role("link", name="Training", exact=True).click()
    page.wait_for_url(base + "/training/")
    cards = page.locator("li.training-card")
    total = cards.count()
    assert total >= 5
    page.evaluate("window.__marker = 'no reload'")
    page.select_option("#training-level", "introductory")  # htmx swaps the results and pushes the URL
    page.wait_for_url("**/training/?*level=introductory*")
    introductory = [i for i in load_training_library(ROOT / "training") if i.level == "introductory"]
    expect(cards).to_have_count(len(introductory))
    assert 0 < len(introductory) < total
    assert page.evaluate("window.__marker") == "no reload"
    titles = cards.locator("h2").all_inner_texts()
    assert "One lead State for sixty nationalities" in titles
    assert page.locator(".library-results .count").inner_text().startswith(f"{len(titles)} of {total}")

    page.get_by_role("link", name="One lead State for sixty nationalities", exact=True).click()
    page.wait_for_url(base + "/training/chad_lead_state")
    assert page.get_by_role("heading", name="Learning objectives").is_visible()
    page.get_by_role("link", name="Present", exact=True).click()
    page.wait_for_url("**/training/chad_lead_state/present")
    assert progress(page)[0] == 1
    first_heading = page.locator("#slide-heading").inner_text()
    assert first_heading == "One lead State for sixty nationalities"
    assert page.locator("header.site").count() == 0  # presentation mode has no site header

    seen = [first_heading]
    for expected in (2, 3, 4, 5):
        page.keyboard.press("ArrowRight")
        at_slide(page, expected)
        assert page.url.endswith(f"slide={expected}")
        seen.append(page.locator("#slide-heading").inner_text())
    assert seen[1] == "The facts at a glance"
    assert seen[2] == "Learning objectives"
    assert len(set(seen)) == len(seen)  # the content changes with each slide
    assert page.locator(".present-rule .source").first.is_visible()  # a suggestion with the source it rests on

    page.keyboard.press("ArrowLeft")
    at_slide(page, 4)
    assert page.locator("#slide-heading").inner_text() == seen[3]
    page.keyboard.press("End")
    count = progress(page)[1]
    at_slide(page, count)
    page.keyboard.press("Home")
    at_slide(page, 1)
    page.keyboard.press(" ")
    at_slide(page, 2)

    page.go_back()  # the browser's history follows the slides
    at_slide(page, 1)

    page.keyboard.press("Escape")
    page.wait_for_url(base + "/training/chad_lead_state")
    assert page.get_by_role("heading", name="One lead State for sixty nationalities").is_visible()
    assert [e for e in errors if not e.endswith("/favicon.ico")] == []  # no script error, no failed request
    page.close()


def test_presentation_without_javascript_follows_links(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + "/training/chad_lead_state/present")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**/present?slide=2")
    assert page.locator("#slide-heading").inner_text() == "The facts at a glance"
    page.get_by_role("link", name="← Previous").click()
    page.wait_for_url("**/present?slide=1")
    page.get_by_role("link", name="Exit").click()
    page.wait_for_url(live_server + "/training/chad_lead_state")
    context.close()
