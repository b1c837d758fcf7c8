"""Negotiation among the parties over HTTP: positions, private notes, the consensus matrix and its conflicts."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlmodel import select

from assistant.db import get_session
from assistant.models import Position, PrivateNote, User
from assistant.services.audit import events
from assistant.services.negotiations import get_negotiation
from assistant.services.people import add_member
from assistant.services.positions import NotRepresentative, add_private_note, private_notes

pytestmark = pytest.mark.both_engines  # the persistence these tests exercise, on both engines


HX = {"HX-Request": "true"}
A, B = "iom", "marundi"  # two parties of the evacuation_multinational example
SECRET = "ZQX7731 our bottom line: we could accept 40 per cent"
MARK = "ZQX7731"


@pytest.fixture
def world(app, client, make_user, login):
    """A negotiation started by its convener from an example, two parties' representatives and a reviewer."""
    for name in ("convener", "alice", "bob", "rita", "outsider"):
        make_user(name)
    convener = login(app.test_client(), "convener")
    response = convener.post("/negotiations", data={"example": "evacuation_multinational"})
    assert response.status_code == 303
    nid = int(re.search(r"/negotiations/(\d+)/", response.location)[1])
    with app.app_context():
        session = get_session()
        negotiation = get_negotiation(session=session, negotiation_id=nid)
        users = {u: _user(session, u) for u in ("alice", "bob", "rita")}
        add_member(session=session, negotiation=negotiation, user=users["alice"], role="party", party_id=A)
        add_member(session=session, negotiation=negotiation, user=users["bob"], role="party", party_id=B)
        add_member(session=session, negotiation=negotiation, user=users["rita"], role="reviewer")
    return SimpleNamespace(
        nid=nid,
        convener=convener,
        alice=login(app.test_client(), "alice"),
        bob=login(app.test_client(), "bob"),
        reviewer=login(app.test_client(), "rita"),
        outsider=login(app.test_client(), "outsider"),
        admin=client,
    )


def _user(session, username):
    return session.exec(select(User).where(User.username == username)).one()


def post(c, nid, party, target, headers=None, **fields):
    """Send a row's form as the page shows it (with what the position was when it was opened)."""
    fields.setdefault("opened", opened(c, nid, party, target))
    return c.post(
        f"/negotiations/{nid}/positions", data={"party": party, "target": target, **fields}, headers=headers or {}
    )


def opened(c, nid, party, target) -> str:
    """What the row's form on the positions page says the position was when it was opened ("new" if none)."""
    page = c.get(f"/negotiations/{nid}/positions?party={party}").get_data(as_text=True)
    found = re.search(
        rf'name="target" value="{re.escape(target)}">\s*<input type="hidden" name="opened" value="([^"]*)"', page
    )
    return found[1] if found else "new"


def consensus(c, nid) -> str:
    response = c.get(f"/negotiations/{nid}/consensus")
    assert response.status_code == 200
    return response.data.decode()


def cell(page: str, row_target: str, column: int) -> str:
    """The text of one cell of the matrix (column 0 is the first party)."""
    anchor = "c-pos-" + row_target.replace(":", "-").replace(".", "-")
    row = re.search(rf'<tr id="{anchor}">(.*?)</tr>', page, re.S)
    assert row, row_target
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells[column])).strip()


def test_positions_are_recorded_over_http_and_shown_in_the_matrix(app, world):
    nid = world.nid
    page = world.alice.get(f"/negotiations/{nid}/positions")
    assert page.status_code == 200
    html = page.data.decode()
    assert "Positions of International Organization for Migration" in html
    assert 'name="stance"' in html
    assert 'id="pos-article-non_refoulement"' in html
    assert 'id="pos-role-lead"' in html
    assert 'id="pos-cost_model-pro_rata_per_evacuee"' in html
    # Without JavaScript: 303 back to the row.
    response = post(world.alice, nid, A, "article:dispute_settlement", stance="prefer_variant", variant="standard")
    assert response.status_code == 303
    assert response.location.endswith("#pos-article-dispute_settlement")
    assert "saved=article" in response.location
    # With htmx: the row fragment, with the conflicts refreshed out of band.
    response = post(world.bob, nid, B, "article:dispute_settlement", HX, stance="accept", reasons="Fine as it is")
    assert response.status_code == 200
    assert b"<!doctype" not in response.data
    assert b'id="pos-article-dispute_settlement"' in response.data
    assert b'hx-swap-oob="true"' in response.data
    assert "HX-Request" in response.headers.get("Vary", "")
    # Recording again replaces the position (one row per party and target), audited with before and after.
    post(world.bob, nid, B, "article:dispute_settlement", stance="object", reasons="Courts, not arbitration")
    with app.app_context():
        session = get_session()
        rows = session.exec(select(Position).where(Position.party_id == B)).all()
        assert [(p.target, p.stance) for p in rows] == [("article:dispute_settlement", "object")]
        audit = [e for e in events(session=session, negotiation_id=nid) if e.action == "position.record"]
        assert audit[-1].before["stance"] == "accept"
        assert audit[-1].after["stance"] == "object"
    page = consensus(world.convener, nid)
    parties = list(re.findall(r'<th scope="col">([^<]+)</th>', page))
    col_a, col_b = (
        parties.index("International Organization for Migration") - 1,
        parties.index("Republic of Marundi") - 1,
    )
    assert cell(page, "article:dispute_settlement", col_a).startswith("prefer another variant")
    assert cell(page, "article:dispute_settlement", col_b).startswith("object")
    assert "Courts, not arbitration" in cell(page, "article:dispute_settlement", col_b)  # reasons, in words
    assert 'class="cell stance-object" title="object. Reasons: Courts, not arbitration"' in page
    assert cell(page, "article:non_refoulement", col_a) == "no position"
    assert "1 prefer another variant" in page
    assert "1 object" in page
    assert "<caption>Articles of the draft: the stance of each party</caption>" in page
    # The reviewer and the admin read the matrix too.
    assert "Courts, not arbitration" in consensus(world.reviewer, nid)
    assert "Courts, not arbitration" in consensus(world.admin, nid)
    # Withdrawing removes the position.
    assert post(world.bob, nid, B, "article:dispute_settlement", op="withdraw").status_code == 303
    assert cell(consensus(world.convener, nid), "article:dispute_settlement", col_b) == "no position"


def test_a_party_cannot_record_for_another(world):
    nid = world.nid
    assert post(world.bob, nid, A, "article:non_refoulement", stance="accept").status_code == 403
    assert post(world.bob, nid, "", "article:non_refoulement", stance="accept").status_code == 403
    assert post(world.convener, nid, A, "article:non_refoulement", stance="accept").status_code == 403
    assert post(world.reviewer, nid, A, "article:non_refoulement", stance="accept").status_code == 403
    assert post(world.admin, nid, A, "article:non_refoulement", stance="accept").status_code == 403
    assert post(world.outsider, nid, A, "article:non_refoulement", stance="accept").status_code == 404
    note = world.bob.post(f"/negotiations/{nid}/positions/notes", data={"party": A, "note": "x"})
    assert note.status_code == 403
    # Bob may read A's positions, without any form.
    page = world.bob.get(f"/negotiations/{nid}/positions?party={A}").data.decode()
    assert 'name="stance"' not in page
    assert "only International Organization for Migration's representatives record them" in page.replace("&#39;", "'")


def test_private_notes_are_read_only_by_the_party(app, world):
    nid = world.nid
    response = world.alice.post(
        f"/negotiations/{nid}/positions/notes", data={"party": A, "target": "role:lead", "note": SECRET}
    )
    assert response.status_code == 303
    assert response.location.endswith("#pos-role-lead")
    general = world.alice.post(
        f"/negotiations/{nid}/positions/notes", data={"party": A, "note": SECRET + " (general)"}, headers=HX
    )
    assert general.status_code == 200
    assert b'id="private-notes"' in general.data
    assert SECRET.encode() in world.alice.get(f"/negotiations/{nid}/positions").data
    post(world.alice, nid, A, "role:lead", stance="amend", proposed_party=A, reasons="We lead")
    readers = {"bob": world.bob, "convener": world.convener, "reviewer": world.reviewer, "admin": world.admin}
    for who, c in readers.items():
        for url in (
            f"/negotiations/{nid}/positions",
            f"/negotiations/{nid}/positions?party={A}",
            f"/negotiations/{nid}/consensus",
            f"/negotiations/{nid}/draft.html",
            f"/negotiations/{nid}/draft.html?review=1",
            f"/negotiations/{nid}/draft.json",
            f"/negotiations/{nid}/suggestions",
        ):
            response = c.get(url)
            assert response.status_code == 200, (who, url)
            assert SECRET.encode() not in response.data, (who, url)
            assert MARK.encode() not in response.data, (who, url)
        for url in (f"/negotiations/{nid}/positions", f"/negotiations/{nid}/positions?party={A}"):
            assert SECRET.encode() not in c.get(url, headers=HX).data, (who, url)
        if who == "reviewer":
            continue  # the same draft as everyone's: its PDF and Word files are checked for the others
        pdf = c.get(f"/negotiations/{nid}/draft.pdf")
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.data)).pages)
        assert MARK not in text
        assert "We lead" not in text
        docx = c.get(f"/negotiations/{nid}/draft.docx")
        with zipfile.ZipFile(BytesIO(docx.data)) as z:
            xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        assert MARK not in xml
    # The audit trail (read by the convener, reviewers and admins) says a note was added, never what it says.
    with app.app_context():
        session = get_session()
        negotiation = get_negotiation(session=session, negotiation_id=nid)
        trail = events(session=session, negotiation_id=nid)
        assert [e for e in trail if e.action == "note.add"]
        assert MARK not in repr([(e.target, e.before, e.after) for e in trail])
        # The service itself refuses everyone but the party's representatives.
        for name in ("bob", "convener", "rita", "root"):
            with pytest.raises(NotRepresentative):
                private_notes(session=session, negotiation=negotiation, party_id=A, user=_user(session, name))
            with pytest.raises(NotRepresentative):
                add_private_note(
                    session=session, negotiation=negotiation, party_id=A, user=_user(session, name), text="x"
                )
        mine = private_notes(session=session, negotiation=negotiation, party_id=A, user=_user(session, "alice"))
        assert {n.target for n in mine} == {"role:lead", ""}
        assert len(session.exec(select(PrivateNote)).all()) == 2


def test_two_lead_claims_are_a_conflict(world):
    nid = world.nid
    assert "each propose themselves as lead" not in consensus(world.convener, nid)
    assert post(world.alice, nid, A, "role:lead", stance="amend", proposed_party=A).status_code == 303
    page = consensus(world.convener, nid)
    assert "each propose themselves as lead" not in page
    assert "claims the lead" in page
    assert (
        post(world.bob, nid, B, "role:lead", stance="amend", proposed_party=B, reasons="Most nationals").status_code
        == 303
    )
    page = consensus(world.convener, nid)
    assert "Conflicts between the positions" in page
    assert "2 parties each propose themselves as lead" in page
    assert page.count("each propose themselves as lead") == 1  # one conflict, not one per pair
    assert "pos.lead.claimed_twice" in page
    # It also shows on the parties' positions page.
    assert (
        "2 parties each propose themselves as lead" in world.alice.get(f"/negotiations/{nid}/positions").data.decode()
    )
    # Proposing a party without amending is refused clearly.
    response = post(world.alice, nid, A, "role:lead", stance="accept", proposed_party=B)
    assert response.status_code == 422
    assert "Proposing a party is an amendment" in response.data.decode()


def test_shares_above_the_whole_are_a_conflict(world):
    nid = world.nid
    target = "cost_model:pro_rata_per_evacuee"
    assert post(world.alice, nid, A, target, stance="accept", proposed_share="0.7").status_code == 303
    assert "more than the whole" not in consensus(world.convener, nid)
    assert post(world.bob, nid, B, target, stance="accept", proposed_share="0,6").status_code == 303
    page = consensus(world.convener, nid)
    assert "add up to 1.3 of the total cost, more than the whole" in page
    assert "share: 0.7" in page
    assert "share: 0.6" in page
    # An empty share stores nothing.
    post(world.bob, nid, B, target, stance="accept", proposed_share="")
    assert "more than the whole" not in consensus(world.convener, nid)


def test_objection_to_a_required_safeguard_is_a_conflict(world):
    nid = world.nid
    response = post(world.alice, nid, A, "article:non_refoulement", stance="object", reasons="")
    assert response.status_code == 422
    assert "Give the reasons for the objection" in response.data.decode()
    response = post(world.alice, nid, A, "article:non_refoulement", stance="object", reasons="Too broad")
    assert response.status_code == 303
    page = consensus(world.convener, nid)
    assert "International Organization for Migration objects to the non-refoulement article" in page
    assert (
        page.count("International Organization for Migration objects to the non-refoulement article") == 1
    )  # two rules, one conflict
    assert "pos.safeguard.non_refoulement.refugees" in page
    # An amendment is negotiation, not a conflict.
    post(world.alice, nid, A, "article:non_refoulement", stance="amend", amended_text="Shorter wording")
    assert "objects to the non-refoulement article" not in consensus(world.convener, nid)


def test_anonymous_visitors_are_sent_to_login(anon, world):
    nid = world.nid
    for url in (f"/negotiations/{nid}/positions", f"/negotiations/{nid}/consensus"):
        response = anon.get(url)
        assert response.status_code == 302
        assert "/login" in response.location
    assert anon.post(f"/negotiations/{nid}/positions", data={"party": A}).status_code == 401
    assert anon.post(f"/negotiations/{nid}/positions/notes", data={"party": A}).status_code == 401


def test_invalid_stance_is_shown_with_what_was_typed(world):
    nid = world.nid
    response = post(world.alice, nid, A, "article:non_refoulement", stance="maybe", reasons="kept <b>as typed</b>")
    assert response.status_code == 422
    html = response.data.decode()
    assert html.startswith("<!doctype html>")
    assert "Choose a stance: accept, prefer another variant, object, or propose an amendment." in html
    assert "kept &lt;b&gt;as typed&lt;/b&gt;" in html
    assert 'aria-describedby="pos-article-non_refoulement-stance-error"' in html
    assert 'href="#pos-article-non_refoulement-stance-accept"' in html  # the summary links to the field
    assert re.search(r'<details class="pos-row" id="pos-article-non_refoulement" open>', html)
    # htmx: 200 (htmx does not swap 4xx), the row alone, with the message.
    response = post(world.alice, nid, A, "article:non_refoulement", HX, stance="maybe")
    assert response.status_code == 200
    assert b"Choose a stance" in response.data
    assert b"<!doctype" not in response.data
    # Other checks, each next to its field.
    cases = [
        ("cost_model:pro_rata_per_evacuee", {"stance": "accept", "proposed_share": "1.5"}, "number from 0 to 1"),
        ("cost_model:pro_rata_per_evacuee", {"stance": "accept", "proposed_share": "abc"}, "number from 0 to 1"),
        ("cost_model:pro_rata_per_evacuee", {"stance": "accept", "proposed_share": "nan"}, "number from 0 to 1"),
        ("cost_model:pro_rata_per_evacuee", {"stance": "object", "reasons": "x", "proposed_share": "0.2"}, "no share"),
        ("article:firewall", {"stance": "prefer_variant", "variant": "nope"}, "one of the variants"),
        ("article:firewall", {"stance": "prefer_variant"}, "Choose the variant you prefer"),
        ("role:lead", {"stance": "prefer_variant"}, "Only articles have variants"),
        ("role:lead", {"stance": "amend", "proposed_party": "atlantis"}, "one of the parties"),
        ("article:firewall", {"stance": "amend"}, "Write the amended text"),
        ("article:firewall", {"stance": "accept", "reasons": "x" * 4001}, "under 4,000 characters"),
    ]
    for target, fields, message in cases:
        response = post(world.alice, nid, A, target, **fields)
        assert response.status_code == 422, (target, fields)
        assert message in response.data.decode(), (target, fields)
    note = world.alice.post(f"/negotiations/{nid}/positions/notes", data={"party": A, "note": "  "})
    assert note.status_code == 422
    assert b"Write the note." in note.data


GARBAGE = [
    {},
    {"target": "article:no_such_clause", "stance": "accept"},
    {"target": "x" * 5000, "stance": "accept"},
    {"target": "role:lead", "stance": "amend", "proposed_party": "\x00"},
    {"target": "cost_model:pro_rata_per_evacuee", "stance": "accept", "proposed_share": "1e999"},
    {"target": "cost_model:pro_rata_per_evacuee", "stance": "accept", "proposed_share": "-0"},
    {"target": "article:firewall", "stance": "amend", "amended_text": "y" * 30000},
    {"target": "article:firewall", "stance": ["accept", "object"]},
    {"target": "article:firewall", "stance": "accept", "op": "withdraw"},
]


def test_garbage_never_fails(world):
    for fields in GARBAGE:
        for headers in ({}, HX):
            data = {"party": A, **fields}
            response = world.alice.post(f"/negotiations/{world.nid}/positions", data=data, headers=headers)
            # 409: a valid position sent without saying what it was opened on is not saved
            assert response.status_code in (200, 303, 400, 409, 422), (fields, response.status_code)
            assert b"<script>" not in response.data
            response = world.alice.post(
                f"/negotiations/{world.nid}/positions/notes",
                data={"party": A, "target": fields.get("target", ""), "note": "n" * 5000},
                headers=headers,
            )
            assert response.status_code in (200, 400, 422), (fields, response.status_code)
    assert world.alice.get(f"/negotiations/{world.nid}/positions?party=%00&saved=<script>").status_code == 200
    assert world.alice.get("/negotiations/999999/positions").status_code == 404
    assert world.alice.get("/negotiations/999999/consensus").status_code == 404


def test_pages_render_as_fragments_and_link_from_the_wizard(world):
    nid = world.nid
    for url in (f"/negotiations/{nid}/positions", f"/negotiations/{nid}/consensus"):
        full = world.convener.get(url)
        assert full.data.startswith(b"<!doctype html>")
        fragment = world.convener.get(url, headers=HX)
        assert fragment.status_code == 200
        assert not fragment.data.startswith(b"<!doctype")
    step = world.convener.get(f"/negotiations/{nid}/suggestions").data.decode()
    assert f'href="/negotiations/{nid}/positions" hx-boost="false"' in step
    assert f'href="/negotiations/{nid}/consensus" hx-boost="false"' in step
    # The convener reads positions but has no form and no private notes.
    page = world.convener.get(f"/negotiations/{nid}/positions").data.decode()
    assert 'name="stance"' not in page
    assert "Private notes of" not in page


def test_an_incomplete_scenario_lists_what_is_missing(app, client):
    response = client.post("/negotiations", data={"title": "Blank pact"})
    nid = int(re.search(r"/negotiations/(\d+)/", response.location)[1])
    page = client.get(f"/negotiations/{nid}/positions").data.decode()
    assert "Still to do" in page
    assert client.get(f"/negotiations/{nid}/consensus").status_code == 200


def test_forms_need_the_csrf_token(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    response = post(world.alice, world.nid, A, "article:firewall", stance="accept")
    assert response.status_code == 400
    assert b"Form expired" in response.data


def test_deleting_a_negotiation_deletes_its_positions_and_notes(app, world):
    nid = world.nid
    post(world.alice, nid, A, "article:firewall", stance="accept")
    world.alice.post(f"/negotiations/{nid}/positions/notes", data={"party": A, "note": SECRET})
    assert world.convener.post(f"/negotiations/{nid}/delete").status_code == 303
    with app.app_context():
        session = get_session()
        assert session.exec(select(Position)).all() == []
        assert session.exec(select(PrivateNote)).all() == []
