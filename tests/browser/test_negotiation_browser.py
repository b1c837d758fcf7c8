"""A convener, two parties and a legal reviewer take one negotiation from invitation to approval in Chromium."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.browser.test_wizard_browser import sign_in
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def invitation_link(page, role, party=""):
    page.select_option("#inv-role", role)
    if party:
        page.select_option("#inv-party", party)
    page.get_by_role("button", name="Create the invitation link").click()
    return page.input_value("#new-link-text")


def join(browser, link, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    page.fill("#inv-name", username.title())
    page.fill("#inv-username", username)
    page.fill("#inv-password", PASSWORD)
    page.get_by_role("button", name="Create my account and join").click()
    page.wait_for_url("**/suggestions")
    return context, page


def record_position(page, base, nid, stance, reasons=""):
    page.goto(f"{base}/negotiations/{nid}/positions")
    page.locator("details#pos-role-lead > summary").click()  # each row opens like a card
    row = page.locator("form:has(input[name='target'][value='role:lead'])").first
    row.locator(f"input[name='stance'][value='{stance}']").check()
    if reasons:
        row.locator("textarea[name='reasons']").fill(reasons)
    row.get_by_role("button", name="Record position").click()
    page.wait_for_load_state()


def test_from_invitation_to_approval(browser, live_server, tmp_path):
    base = live_server
    convener = browser.new_context(accept_downloads=True)
    page = convener.new_page()
    sign_in(page, base)
    page.select_option("#new-example", "consular_reciprocity")
    page.get_by_role("button", name="Start from this example").click()
    page.wait_for_url("**/context")
    nid = page.url.split("/")[-2]
    page.get_by_role("link", name="People").click()
    link_a = invitation_link(page, "party", "mereva")
    link_b = invitation_link(page, "party", "aurangi")
    link_r = invitation_link(page, "reviewer")

    party_a, page_a = join(browser, link_a, "mereva_rep")
    party_b, page_b = join(browser, link_b, "aurangi_rep")
    record_position(page_a, base, nid, "accept")
    record_position(page_b, base, nid, "object", "Our embassy cannot take on the lead this year.")

    page.goto(f"{base}/negotiations/{nid}/consensus")
    consensus = page.inner_text("main")
    assert "accept" in consensus.lower()
    assert "object" in consensus.lower()

    page.goto(f"{base}/negotiations/{nid}/draft")
    page.get_by_role("button", name="Save as a version").click()
    page.get_by_role("link", name="Version 1", exact=False).first.wait_for()
    page.goto(f"{base}/negotiations/{nid}/versions/1")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    page.get_by_text("In legal review").first.wait_for()

    reviewer, page_r = join(browser, link_r, "rita_reviewer")
    page_r.goto(f"{base}/negotiations/{nid}/versions/1")
    page_r.fill("#review-comment", "Cleared by legal.")
    page_r.get_by_role("button", name="Approve").click()
    page_r.wait_for_load_state()
    page_r.get_by_text("Approved", exact=False).first.wait_for()

    with page.expect_download(timeout=60_000) as info:
        page.goto(f"{base}/negotiations/{nid}/draft")
        page.get_by_role("link", name="PDF", exact=True).first.click()
    path = tmp_path / "approved.pdf"
    info.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "DRAFT" not in text
    assert "approved text" in text
    for context in (convener, party_a, party_b, reviewer):
        context.close()
