"""Accounts, invitations, the audit trail and the guard against lost updates."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import select

from assistant.db import get_session
from assistant.models import Invitation, Negotiation
from tests.helpers import PASSWORD

pytestmark = pytest.mark.both_engines  # the persistence these tests exercise, on both engines


@pytest.fixture
def convener(app, make_user, login):
    make_user("ana")
    client = login(app.test_client(), "ana")
    response = client.post("/negotiations", data={"example": "evacuation_multinational"})
    nid = int(response.location.split("/")[2])
    return client, nid


def invite(client, nid, role="party", party="marundi"):
    page = client.post(f"/negotiations/{nid}/invitations", data={"role": role, "party": party}).data.decode()
    return re.search(r'id="new-link-text" type="text" readonly value="http://localhost(/invitations/[^"]+)"', page)[1]


def test_login_logout_and_cookie_flags(app, anon, make_user):
    make_user("bob")
    bad = anon.post("/login", data={"username": "bob", "password": "wrong"})
    assert bad.status_code == 401
    assert b"The user name or the password is not right." in bad.data
    good = anon.post("/login", data={"username": "bob", "password": PASSWORD, "next": "/rules/"})
    assert good.status_code == 303
    assert good.location == "/rules/"
    cookie = good.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert anon.get("/").status_code == 200
    anon.post("/logout")
    assert anon.get("/").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "javascript:alert(1)"])
def test_login_never_redirects_elsewhere(anon, make_user, target):
    make_user("bob")
    response = anon.post("/login", data={"username": "bob", "password": PASSWORD, "next": target})
    assert response.location == "/"


def test_anonymous_visitors_are_sent_to_login(anon, convener):
    _, nid = convener
    assert anon.get("/").location.startswith("/login")
    assert anon.get(f"/negotiations/{nid}/context").location.startswith("/login?next=")
    assert anon.post(f"/negotiations/{nid}/context", data={}).status_code == 401
    assert anon.get("/rules/").status_code == 200
    assert anon.post("/api/v1/advice", json={}).status_code == 401


def test_negotiations_are_private_to_their_members(app, convener, make_user, login):
    _, nid = convener
    make_user("eve")
    eve = login(app.test_client(), "eve")
    assert eve.get(f"/negotiations/{nid}/context").status_code == 404
    assert eve.get(f"/negotiations/{nid}/draft.json").status_code == 404
    assert f"/negotiations/{nid}/".encode() not in eve.get("/").data


def test_an_invitation_binds_its_holder_to_a_party_once(app, anon, convener):
    client, nid = convener
    link = invite(client, nid)
    landing = anon.get(link)
    assert b"Republic of Marundi" in landing.data
    joined = anon.post(link, data={"username": "marco", "display_name": "Marco", "password": PASSWORD})
    assert joined.status_code == 303
    assert anon.get(f"/negotiations/{nid}/suggestions").status_code == 200
    assert anon.post(f"/negotiations/{nid}/context", data={"title": "x"}).status_code == 403
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert b"already been used" in again.data
    people = client.get(f"/negotiations/{nid}/people").data.decode()
    assert "represents Republic of Marundi" in people


def test_withdrawn_expired_and_forged_links_do_not_work(app, anon, convener):
    client, nid = convener
    link = invite(client, nid, "reviewer", "")
    with app.app_context():
        invitation = get_session().exec(select(Invitation)).one()
        inv_id = invitation.id
    client.post(f"/negotiations/{nid}/invitations/{inv_id}/revoke")
    assert b"withdrawn" in anon.get(link).data
    link2 = invite(client, nid)
    with app.app_context():
        session = get_session()
        latest = session.exec(select(Invitation).order_by(Invitation.id.desc())).first()
        latest.expires_at = datetime.now(UTC) - timedelta(days=1)
        session.add(latest)
        session.commit()
    assert b"expired" in anon.get(link2).data
    assert anon.get(link2[:-3] + "abc").status_code == 410


def test_bad_invitation_requests_are_clear(convener):
    client, nid = convener
    response = client.post(f"/negotiations/{nid}/invitations", data={"role": "party", "party": "atlantis"})
    assert response.status_code == 422
    assert b"Choose one of the negotiation&#39;s parties." in response.data


def test_audit_trail_records_changes_and_exports(convener):
    client, nid = convener
    page = client.get(f"/negotiations/{nid}/context").data.decode()
    rev = re.search(r'name="revision" value="(\d+)"', page)[1]
    client.post(
        f"/negotiations/{nid}/context",
        data={"title": "=HYPERLINK(1)", "crisis.kind": "epidemic", "crisis.phase": "preparedness", "revision": rev},
    )
    page = client.get(f"/negotiations/{nid}/audit").data.decode()
    assert "negotiation.create" in page
    assert "scenario.save" in page
    assert '"kind": "epidemic"' in page
    data = client.get(f"/negotiations/{nid}/audit.json").get_json()
    save = next(e for e in data if e["action"] == "scenario.save")
    assert save["username"] == "ana"
    assert save["before"]["crisis"]["kind"] == "armed_conflict"
    assert save["after"]["crisis"]["kind"] == "epidemic"
    csv = client.get(f"/negotiations/{nid}/audit.csv").data.decode()
    assert csv.splitlines()[0] == "id,at,username,action,target,before,after"
    assert ",'=HYPERLINK(1)," in csv  # a formula is kept as text


def test_two_editors_never_overwrite_each_other(app, convener, make_user, login):
    client, nid = convener
    page = client.get(f"/negotiations/{nid}/context").data.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page)[1]
    form = {"revision": revision, "title": "Mine", "crisis.kind": "epidemic", "crisis.phase": "preparedness"}
    first = client.post(f"/negotiations/{nid}/context", data={**form, "title": "First"})
    assert first.status_code == 303
    second = client.post(f"/negotiations/{nid}/context", data={**form, "title": "Second"})
    assert second.status_code == 409
    assert b"Someone else saved this negotiation while you were editing" in second.data
    assert b'value="Second"' in second.data  # what was typed is kept
    with app.app_context():
        assert get_session().get(Negotiation, nid).title == "First"
    htmx = client.post(f"/negotiations/{nid}/context", data={**form, "title": "Third"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert b"conflict-panel" in htmx.data
    fresh = re.search(r'name="revision" value="(\d+)"', second.data.decode())[1]
    assert client.post(f"/negotiations/{nid}/context", data={**form, "revision": fresh}).status_code == 303


def test_choices_are_guarded_too(convener):
    client, nid = convener
    page = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page)[1]
    choice = {"kind": "agreement_type", "item": "evacuation_relocation", "action": "accept", "revision": revision}
    assert client.post(f"/negotiations/{nid}/choices", data=choice).status_code == 303
    stale = client.post(f"/negotiations/{nid}/choices", data={**choice, "action": "reject"})
    assert stale.status_code == 409
    assert b"Your decision was not recorded" in stale.data


def test_users_cli(app):
    from assistant.cli import main

    runner = CliRunner(env={"DATABASE_URL": app.config["DATABASE_URL"], "ASSISTANT_SECRET_KEY": "x"})
    ok = runner.invoke(main, ["users", "create", "carla", "--role", "trainer", "--password", PASSWORD])
    assert ok.exit_code == 0, ok.output
    short = runner.invoke(main, ["users", "create", "dan", "--password", "short"])
    assert short.exit_code == 2
    assert "at least 10 characters" in short.stderr
    taken = runner.invoke(main, ["users", "create", "carla", "--password", PASSWORD])
    assert "is taken" in taken.stderr
    assert runner.invoke(main, ["users", "bootstrap"]).stderr == ""  # accounts exist: nothing to do
