"""Draft versions over HTTP: the list, a version with its comment threads, the legal review, redlines
(page and PDF), the DRAFT marking that only an approved version loses, permissions and bad input."""

from __future__ import annotations

import copy
import re
from io import BytesIO
from types import SimpleNamespace

import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import select

from assistant.db import get_session
from assistant.models import AuditEvent, Comment, DraftVersion, User
from assistant.services.negotiations import get_negotiation, save_scenario
from assistant.services.people import add_member
from assistant.services.versions import FrozenVersion

pytestmark = pytest.mark.both_engines  # the persistence these tests exercise, on both engines


HX = {"HX-Request": "true"}
EXAMPLE = "evacuation_multinational"


def _user(session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


@pytest.fixture
def neg(app, make_user, login):
    """A negotiation started from an example by a member (its convener), with a legal reviewer, a party's
    representative and a stranger, each signed in on their own client."""
    return start(app, make_user, login, EXAMPLE)


def start(app, make_user, login, example: str) -> SimpleNamespace:
    for name in ("conv", "rev", "marundi_rep", "stranger"):
        make_user(name)
    convener = login(app.test_client(), "conv")
    response = convener.post("/negotiations", data={"example": example})
    assert response.status_code == 303
    nid = int(re.search(r"/negotiations/(\d+)/", response.location).group(1))
    with app.app_context():
        session = get_session()
        negotiation = get_negotiation(session=session, negotiation_id=nid)
        add_member(session=session, negotiation=negotiation, user=_user(session, "rev"), role="reviewer")
        add_member(
            session=session,
            negotiation=negotiation,
            user=_user(session, "marundi_rep"),
            role="party",
            party_id=negotiation.scenario["parties"][1]["id"],
        )
    return SimpleNamespace(
        id=nid,
        url=f"/negotiations/{nid}/versions",
        convener=convener,
        reviewer=login(app.test_client(), "rev"),
        party=login(app.test_client(), "marundi_rep"),
        stranger=login(app.test_client(), "stranger"),
    )


def save_version(neg) -> None:
    assert neg.convener.post(neg.url).status_code == 303


def change_scenario(app, nid: int) -> None:
    """Another title, and one party (the Federal Republic of Kesh) with its nationals taken out."""
    with app.app_context():
        session = get_session()
        negotiation = get_negotiation(session=session, negotiation_id=nid)
        data = copy.deepcopy(negotiation.scenario)
        data["title"] = "Joint evacuation pact"
        data["parties"] = [p for p in data["parties"] if p["id"] != "kesh"]
        data["populations"] = [p for p in data["populations"] if p["nationality"] != "kesh"]
        save_scenario(session=session, negotiation=negotiation, data=data)


@pytest.fixture
def two_versions(app, neg):
    """Version 1 as the example stands, version 2 after the scenario changed."""
    save_version(neg)
    change_scenario(app, neg.id)
    save_version(neg)
    return neg


def version_row(app, nid: int, number: int) -> DraftVersion:
    with app.app_context():
        session = get_session()
        row = session.exec(
            select(DraftVersion).where(DraftVersion.negotiation_id == nid, DraftVersion.number == number)
        ).one()
        session.expunge(row)
        return row


def audit(app, nid: int, prefix: str) -> list[AuditEvent]:
    with app.app_context():
        session = get_session()
        rows = session.exec(select(AuditEvent).where(AuditEvent.negotiation_id == nid).order_by(AuditEvent.id))
        return [e for e in rows if e.action.startswith(prefix)]


def text_of(response) -> str:
    return response.data.decode()


# ---------------------------------------------------------------- the list and the version page


def test_list_shows_number_date_author_status_and_compares(two_versions):
    neg = two_versions
    page = neg.convener.get(neg.url)
    assert page.status_code == 200
    html = text_of(page)
    assert "Version 1" in html
    assert "Version 2" in html
    assert html.count("<td>Conv</td>") == 2  # the author of each version
    assert html.count('class="version-status status-draft">Draft<') == 2
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\dT", html)
    assert 'name="a"' in html
    assert 'name="b"' in html
    assert f'href="{neg.url}/1/redline/2"' in html  # "since version 1"
    compare = neg.convener.get(f"{neg.url}?a=1&b=2")
    assert compare.status_code == 303
    assert compare.location.endswith(f"{neg.url}/1/redline/2")
    assert neg.convener.get(f"{neg.url}?a=2&b=1&order=older-first").location.endswith(f"{neg.url}/1/redline/2")
    assert neg.convener.get(f"{neg.url}?a=2&b=1").location.endswith(f"{neg.url}/2/redline/1")


def test_wizard_draft_step_links_to_the_versions(two_versions):
    html = text_of(two_versions.convener.get(f"/negotiations/{two_versions.id}/draft"))
    assert f'href="{two_versions.url}/1"' in html
    assert f'href="{two_versions.url}/2"' in html
    assert f'href="{two_versions.url}">Compare versions</a>' in html


def test_version_page_shows_the_draft_with_a_thread_under_each_article(app, two_versions):
    neg = two_versions
    page = neg.convener.get(f"{neg.url}/1")
    assert page.status_code == 200
    html = text_of(page)
    assert html.startswith("<!doctype html>")
    assert '<h1>Version 1 <span class="version-status status-draft">Draft</span></h1>' in html
    assert "Draft for negotiation" in html  # the draft itself, with its marking
    assert "Coordinated evacuation of foreign nationals" in html  # version 1 keeps the old title
    draft = version_row(app, neg.id, 1).advice["draft"]
    for article in draft["articles"]:
        opening = f'<section class="article" id="article-{article["number"]}" data-clause="{article["clause"]}">'
        section = re.search(re.escape(opening) + r"(.*?)</section>\s*</section>", html, re.S)  # thread, then end
        assert section, article["clause"]
        assert f'id="thread-{article["clause"]}"' in section.group(1)
        assert f"Comments on Article {article['number']}. {article['heading']}" in section.group(1)
    assert 'id="thread-general"' in html
    assert ">Submit for review</button>" in html
    assert ">Approve</button>" not in html  # the convener does not review
    fragment = neg.convener.get(f"{neg.url}/1", headers=HX)
    assert fragment.status_code == 200
    assert b"<html" not in fragment.data
    assert b'id="thread-purpose"' in fragment.data


def test_unknown_versions_and_strangers(two_versions):
    neg = two_versions
    assert neg.convener.get(f"{neg.url}/9").status_code == 404
    assert neg.convener.get(f"{neg.url}/1/redline/9").status_code == 404
    assert neg.convener.get(f"{neg.url}/9/redline/1.pdf").status_code == 404
    assert neg.convener.get("/negotiations/999/versions").status_code == 404
    for url in (neg.url, f"{neg.url}/1", f"{neg.url}/1/redline/2"):
        assert neg.stranger.get(url).status_code == 404  # strangers are not told it exists
    assert neg.stranger.post(f"{neg.url}/1/comments", data={"text": "hi"}).status_code == 404


def test_anonymous_visitors_are_sent_to_login(app, two_versions):
    anon = app.test_client()
    for url in (
        two_versions.url,
        f"{two_versions.url}/1",
        f"{two_versions.url}/1/redline/2",
        f"{two_versions.url}/1/redline/2.pdf",
    ):
        response = anon.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.location
    assert anon.post(f"{two_versions.url}/1/comments", data={"text": "x"}).status_code == 401
    assert anon.post(f"{two_versions.url}/1/approve").status_code == 401


# ---------------------------------------------------------------- redlines


def test_redline_page_marks_insertions_and_deletions(two_versions):
    neg = two_versions
    page = neg.convener.get(f"{neg.url}/1/redline/2")
    assert page.status_code == 200
    html = text_of(page)
    assert "Changes from version 1 to version 2" in html
    assert "How to read this redline" in html  # the legend
    assert "<ins>Inserted text</ins>" in html
    assert "<del>Deleted text</del>" in html
    assert re.search(r"<ins>Joint</ins>", html)
    assert re.search(r"<del>[^<]*Coordinated[^<]*</del>", html)
    assert re.search(r"<del>[^<]*Kesh[^<]*</del>", html)
    summary = re.search(r'<section class="rl-summary".*?</section>', html, re.S).group(0)
    assert "<strong>0</strong> articles added" in summary
    # Kesh's nationals (refugees and unaccompanied children among them) and its missing post leave with it
    assert re.search(r"<strong>3</strong> articles removed: .*Protection of children", summary)
    assert "articles changed" in summary
    assert "moved or renumbered" in summary
    assert '<section class="rl-part rl-removed" id="rl-article-child_protection"' in html
    assert "Removed" in html
    moved = re.findall(r"Renumbered: was Article (\d+), now Article (\d+)", html)
    assert moved, "an article after the removed ones is renumbered"
    assert all(int(was) - int(now) == 3 for was, now in moved[-1:])  # the last ones move up by the 3 removed
    back = text_of(neg.convener.get(f"{neg.url}/2/redline/1"))
    assert re.search(r"<strong>3</strong> articles added: .*Protection of children", back)
    assert re.search(r"<ins>[^<]*Kesh[^<]*</ins>", back)


def test_redline_of_a_version_with_itself_has_no_changes(two_versions):
    html = text_of(two_versions.convener.get(f"{two_versions.url}/2/redline/2"))
    assert "The two versions are identical" in html
    assert "<ins>" not in html.split("How to read this redline")[1].split("</section>", 1)[1]


def test_redline_pdf_has_pages_and_the_changed_words(two_versions):
    response = two_versions.convener.get(f"{two_versions.url}/1/redline/2.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "redline-v1-v2.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) > 5
    pages = [p.extract_text() for p in reader.pages]
    text = "\n".join(pages)
    assert "Changes from version 1 (draft) to version 2 (draft)" in pages[0]
    assert "Joint" in text
    assert "Coordinated" in text
    assert "Kesh" in text
    assert "Non-refoulement" in text
    assert "Page 2 of" in pages[1]
    assert reader.metadata.title.startswith("Redline: Joint evacuation pact")


# ---------------------------------------------------------------- comments


def comments(app, nid: int) -> list[Comment]:
    with app.app_context():
        session = get_session()
        rows = list(session.exec(select(Comment).where(Comment.negotiation_id == nid).order_by(Comment.id)))
        for r in rows:
            session.expunge(r)
        return rows


def test_comments_and_replies_in_threads(app, two_versions):
    neg = two_versions
    url = f"{neg.url}/1/comments"
    response = neg.party.post(url, data={"clause": "purpose", "text": "Marundi would like\n<b>shorter</b> purposes."})
    assert response.status_code == 303
    first = comments(app, neg.id)[0]
    assert response.location.endswith(f"{neg.url}/1#comment-{first.id}")
    assert first.clause == "purpose"
    assert first.parent_id is None
    reply = neg.convener.post(url, data={"clause": "ignored", "parent_id": str(first.id), "text": "Agreed."})
    assert reply.status_code == 303
    second = comments(app, neg.id)[1]
    assert (second.parent_id, second.clause) == (first.id, "purpose")  # a reply is on its parent's article
    general = neg.reviewer.post(url, data={"clause": "", "text": "Overall fine."})
    assert general.status_code == 303
    html = text_of(neg.convener.get(f"{neg.url}/1"))
    thread = re.search(r'<section class="thread" id="thread-purpose".*?</section>', html, re.S).group(0)
    assert "&lt;b&gt;shorter&lt;/b&gt;" in thread  # escaped, never markup
    assert re.search(rf'id="comment-{first.id}".*<ol class="comments replies">.*id="comment-{second.id}"', thread, re.S)
    assert "Marundi_Rep" in thread
    assert "Conv" in thread
    assert "Overall fine." in re.search(r'id="thread-general".*?</section>', html, re.S).group(0)
    # htmx: the thread comes back alone
    hx = neg.reviewer.post(url, data={"clause": "scope", "text": "Check the scope."}, headers=HX)
    assert hx.status_code == 200
    assert hx.data.startswith(b'<section class="thread" id="thread-scope"')
    assert b"Check the scope." in hx.data
    assert b"<html" not in hx.data
    # the other version has its own threads
    assert "Check the scope." not in text_of(neg.convener.get(f"{neg.url}/2"))
    events = audit(app, neg.id, "comment.add")
    assert len(events) == 4
    assert events[0].after["clause"] == "purpose"
    assert events[1].after["parent_id"] == first.id


def test_bad_comments_are_refused_with_the_page_and_the_error(app, two_versions):
    neg = two_versions
    url = f"{neg.url}/1/comments"
    empty = neg.convener.post(url, data={"clause": "purpose", "text": "   "})
    assert empty.status_code == 422
    html = text_of(empty)
    assert "Write a comment before sending it." in html
    assert 'id="new-purpose-text" name="text" rows="3" maxlength="4000" aria-invalid="true"' in html
    long = neg.convener.post(url, data={"clause": "purpose", "text": "x" * 4001})
    assert long.status_code == 422
    assert "Keep a comment under 4000 characters (this one has 4001)." in text_of(long)
    hx = neg.convener.post(url, data={"clause": "purpose", "text": ""}, headers=HX)
    assert hx.status_code == 200
    assert hx.data.startswith(b'<section class="thread" id="thread-purpose"')
    assert b"Write a comment before sending it." in hx.data
    for data in (
        {"clause": "no_such_article", "text": "hi"},
        {"parent_id": "abc", "text": "hi"},
        {"parent_id": "9" * 40, "text": "hi"},
        {"parent_id": "12345", "text": "hi"},
        {"clause": "x" * 5000, "text": "hi"},
    ):
        response = neg.convener.post(url, data=data)
        assert response.status_code == 422, data
    assert comments(app, neg.id) == []
    # a reply must be on the same version
    neg.convener.post(f"{neg.url}/2/comments", data={"clause": "purpose", "text": "On version 2."})
    other = comments(app, neg.id)[0]
    response = neg.convener.post(url, data={"parent_id": str(other.id), "text": "Cross reply"})
    assert response.status_code == 422
    assert "The comment you replied to is not on this version." in text_of(response)
    assert len(comments(app, neg.id)) == 1


# ---------------------------------------------------------------- the legal review


def status_of(app, neg, number: int = 1) -> str:
    return version_row(app, neg.id, number).status


def test_review_flow_submit_request_changes_resubmit_approve(app, two_versions):
    neg = two_versions
    before = version_row(app, neg.id, 1)
    base = f"{neg.url}/1"
    response = neg.convener.post(f"{base}/submit")
    assert response.status_code == 303
    assert response.location.endswith(f"{base}#review")
    assert status_of(app, neg) == "in_review"
    page = text_of(neg.reviewer.get(base))
    assert "In legal review" in page
    assert ">Approve</button>" in page
    assert ">Request changes</button>" in page
    assert ">Submit for review</button>" not in page

    missing = neg.reviewer.post(f"{base}/request-changes", data={"comment": "  "})
    assert missing.status_code == 422
    assert "a comment is required to request changes" in text_of(missing)
    assert status_of(app, neg) == "in_review"

    asked = neg.reviewer.post(f"{base}/request-changes", data={"comment": "Article 17 must stay."})
    assert asked.status_code == 303
    row = version_row(app, neg.id, 1)
    assert row.status == "changes_requested"
    assert row.decided_at is not None
    page = text_of(neg.convener.get(base))
    assert "Changes requested" in page
    assert "Article 17 must stay." in page
    assert "Submit again for review" in page

    assert neg.convener.post(f"{base}/submit").status_code == 303
    assert status_of(app, neg) == "in_review"
    approved = neg.reviewer.post(f"{base}/approve", data={"comment": ""})
    assert approved.status_code == 303
    row = version_row(app, neg.id, 1)
    assert row.status == "approved"
    with app.app_context():
        assert row.decided_by == _user(get_session(), "rev").id
    page = text_of(neg.convener.get(base))
    assert '<span class="version-status status-approved">Approved</span>' in page
    assert "Draft for negotiation" not in page  # the text on the page lost its DRAFT marking too
    listing = text_of(neg.convener.get(neg.url))
    assert 'status-approved">Approved<' in listing
    assert 'status-draft">Draft<' in listing
    # the content never changed
    assert (row.advice, row.scenario, row.choices, row.number) == (
        before.advice,
        before.scenario,
        before.choices,
        before.number,
    )
    events = audit(app, neg.id, "version.")
    steps = [(e.action, e.before["status"] if e.before else None, e.after["status"]) for e in events]
    assert steps == [
        ("version.save", None, "draft"),
        ("version.save", None, "draft"),
        ("version.submit", "draft", "in_review"),
        ("version.request_changes", "in_review", "changes_requested"),
        ("version.submit", "changes_requested", "in_review"),
        ("version.approve", "in_review", "approved"),
    ]


def test_approving_a_version_whose_draft_check_finds_errors_needs_a_reason_that_is_audited(
    app, two_versions, monkeypatch
):
    """Issue 16: the version page shows the draft check; a reviewer who approves a version with errors must say why,
    and the errors and the reason go into the audit trail."""
    from assistant.domain.draft_check import Finding
    from assistant.services import versions as services

    neg = two_versions
    base = f"{neg.url}/1"
    page = text_of(neg.reviewer.get(base))
    assert re.search(r"Draft check: 0 errors,", page), "a version of an example checks with no error"
    broken = Finding("cross_reference", "error", "Article 4", "Article 4 refers to Article 99.", "Refer to Article 9.")
    monkeypatch.setattr(services, "check_of", lambda version: [broken])
    assert neg.convener.post(f"{base}/submit").status_code == 303
    refused = neg.reviewer.post(f"{base}/approve", data={"comment": " "})
    assert refused.status_code == 422
    assert "The draft check finds 1 error in this version (first: Article 4" in text_of(refused)
    assert status_of(app, neg) == "in_review"
    reason = "Article 99 is added by the Parties' compromise of 3 December."
    assert neg.reviewer.post(f"{base}/approve", data={"comment": reason}).status_code == 303
    assert status_of(app, neg) == "approved"
    event = audit(app, neg.id, "version.approve")[-1]
    assert event.after["reason"] == reason
    assert event.after["check_errors"] == [broken.line()]


def test_only_reviewers_decide_and_only_the_convener_submits(app, two_versions):
    neg = two_versions
    base = f"{neg.url}/1"
    assert neg.party.post(f"{base}/submit").status_code == 403
    assert neg.reviewer.post(f"{base}/submit").status_code == 403
    assert neg.convener.post(f"{base}/submit").status_code == 303
    assert neg.party.post(f"{base}/approve").status_code == 403
    assert neg.convener.post(f"{base}/approve").status_code == 403
    assert neg.convener.post(f"{base}/request-changes", data={"comment": "Please"}).status_code == 403
    assert status_of(app, neg) == "in_review"
    page = text_of(neg.party.get(base))
    assert "Only the negotiation's legal reviewers can request changes or approve." in page
    assert ">Approve</button>" not in page
    assert ">Submit for review</button>" not in page
    assert 'id="new-purpose-text"' in page  # but a party may comment


def test_illegal_transitions_are_409_with_a_clear_message(app, two_versions):
    neg = two_versions
    base = f"{neg.url}/1"
    draft_approve = neg.reviewer.post(f"{base}/approve")
    assert draft_approve.status_code == 409
    assert "Version 1 is draft: you cannot approve it now." in text_of(draft_approve)
    assert neg.reviewer.post(f"{base}/request-changes", data={"comment": "x"}).status_code == 409
    assert neg.convener.post(f"{base}/submit").status_code == 303
    twice = neg.convener.post(f"{base}/submit")
    assert twice.status_code == 409
    assert "Version 1 is in legal review: you cannot submit it for review now." in text_of(twice)
    assert neg.reviewer.post(f"{base}/approve").status_code == 303
    for step, client in (("approve", neg.reviewer), ("submit", neg.convener), ("request-changes", neg.reviewer)):
        response = client.post(f"{base}/{step}", data={"comment": "late"})
        assert response.status_code == 409, step
        assert "Version 1 is approved" in text_of(response)
    hx = neg.reviewer.post(f"{base}/approve", headers=HX)
    assert hx.status_code == 200  # htmx 2 does not swap 4xx answers
    assert b"This could not be done" in hx.data
    assert b"<html" not in hx.data
    assert status_of(app, neg) == "approved"
    assert neg.reviewer.post(f"{base}/publish").status_code in (404, 405)


def test_review_over_htmx_answers_with_the_version_fragment(app, two_versions):
    neg = two_versions
    response = neg.convener.post(f"{neg.url}/2/submit", headers=HX)
    assert response.status_code == 200
    assert b"<html" not in response.data
    assert b"Version 2 was sent for legal review." in response.data
    assert b'status-in_review">In legal review<' in response.data
    missing = neg.reviewer.post(f"{neg.url}/2/request-changes", data={"comment": ""}, headers=HX)
    assert missing.status_code == 200
    assert b'id="review-comment-error"' in missing.data
    assert status_of(app, neg, 2) == "in_review"


# ---------------------------------------------------------------- the DRAFT marking


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    header = "".join(doc.sections[0].header._element.xpath(".//w:t/text()"))
    return header + "\n" + "\n".join(p.text for p in doc.paragraphs)


def test_only_an_approved_version_loses_the_draft_marking(app, make_user, login):
    neg = start(app, make_user, login, "consular_reciprocity")  # a shorter draft: quicker PDFs
    save_version(neg)
    url = f"{neg.url}/1"
    before = {fmt: neg.party.get(f"{url}.{fmt}").data for fmt in ("pdf", "docx", "html")}
    assert neg.convener.post(f"{url}/submit").status_code == 303
    assert neg.reviewer.post(f"{url}/approve").status_code == 303
    after = {fmt: neg.party.get(f"{url}.{fmt}").data for fmt in ("pdf", "docx", "html")}

    assert "DRAFT FOR NEGOTIATION" in pdf_text(before["pdf"])
    assert "version 1 · DRAFT" in pdf_text(before["pdf"])
    assert "DRAFT" not in pdf_text(after["pdf"])

    assert "DRAFT" in docx_text(before["docx"])
    assert "Draft for negotiation" in docx_text(before["docx"])
    assert "DRAFT" not in docx_text(after["docx"])
    assert "Draft for negotiation" not in docx_text(after["docx"])

    draft_html, approved_html = before["html"].decode(), after["html"].decode()
    assert "Draft for negotiation" in draft_html
    assert 'class="document is-draft' in draft_html
    assert "Draft for negotiation" not in approved_html
    assert 'class="document is-draft' not in approved_html
    assert "approved text" in approved_html
    # the HTML carries the stylesheet inline, whose print rule for drafts names the marking: no visible text does
    assert "DRAFT" not in re.sub(r"<style>.*?</style>", "", approved_html, flags=re.S)


# ---------------------------------------------------------------- immutability and garbage


def test_a_saved_version_cannot_be_changed(app, two_versions):
    with app.app_context():
        session = get_session()
        row = session.exec(select(DraftVersion).where(DraftVersion.negotiation_id == two_versions.id)).first()
        row.advice = {"title": "forged"}
        with pytest.raises(FrozenVersion):
            session.commit()
        session.rollback()
    assert version_row(app, two_versions.id, 1).advice["title"] != "forged"


def test_garbage_compare_queries_are_refused_clearly(two_versions):
    for query in (
        "a=x&b=2",
        "a=1",
        "b=2",
        "a=1&b=1",
        "a=1&b=99",
        "a=%3Cscript%3E&b=2",
        f"a={'9' * 40}&b=1",
        "a=-1&b=2",
    ):
        response = two_versions.convener.get(f"{two_versions.url}?{query}")
        assert response.status_code == 422, query
        assert b"<script>" not in response.data
        assert b"Choose two" in response.data


def test_garbage_paths_and_forms_never_fail(two_versions):
    neg = two_versions
    for url in (
        f"{neg.url}/abc",
        f"{neg.url}/1/redline/abc",
        f"{neg.url}/1/redline/2.docx",
        f"{neg.url}/-1",
        f"{neg.url}/{'9' * 30}",
    ):
        assert neg.convener.get(url).status_code == 404, url
    assert neg.convener.post(f"{neg.url}/1/comments").status_code == 422
    assert neg.convener.post(f"{neg.url}/99/comments", data={"text": "x"}).status_code == 404
    assert neg.convener.post(f"{neg.url}/1/submit", data={"comment": "x" * 10000}).status_code == 422
    assert neg.convener.get(f"{neg.url}/1/comments").status_code == 405


def test_without_versions_the_list_says_how_to_make_one(neg):
    html = text_of(neg.convener.get(neg.url))
    assert "No version has been saved yet." in html
    assert "draft step" in html


def test_the_versions_list_shows_each_versions_draft_check(app, two_versions):
    """Issue 16: the list of versions gives each version's draft check, linked to its findings on the version page."""
    neg = two_versions
    listing = text_of(neg.convener.get(neg.url))
    assert ">Draft check</th>" in listing
    found = re.findall(r'/versions/(\d+)#draft-check">(\d+) errors?, (\d+) warnings?, (\d+) open points?</a>', listing)
    assert sorted(n for n, *_ in found) == ["1", "2"]
    assert all(errors == "0" for _, errors, _, _ in found)
    assert all(int(open_points) > 0 for *_, open_points in found)


class _Tomorrow:
    """``datetime`` as the renderers see it, a day later (documents printed on another day)."""

    @staticmethod
    def now(tz=None):
        from datetime import datetime, timedelta

        return datetime.now(tz) + timedelta(days=1)


def test_a_saved_version_and_its_redline_print_the_same_from_one_day_to_the_next(app, two_versions, monkeypatch):
    """The cover carries the version's own date, so the page (and the PDF cached by its content) is stable."""
    neg = two_versions
    saved = version_row(app, neg.id, 1).created_at.date()
    shown = f"{saved.day} {saved:%B %Y}"
    first = neg.convener.get(f"/negotiations/{neg.id}/versions/1.html").get_data(as_text=True)
    assert f"<dd>{shown}</dd>" in first
    monkeypatch.setattr("assistant.documents.render.datetime", _Tomorrow)
    monkeypatch.setattr("assistant.documents.redline.datetime", _Tomorrow)
    assert neg.convener.get(f"/negotiations/{neg.id}/versions/1.html").get_data(as_text=True) == first
    from assistant.documents.redline import redline_html
    from assistant.services.versions import draft_of

    old, new = version_row(app, neg.id, 1), version_row(app, neg.id, 2)
    later = max(old.created_at, new.created_at).date()
    page = redline_html(draft_of(old), draft_of(new), old_label="v1", new_label="v2", dated=later)
    assert f"{later.day} {later:%B %Y}" in page
