"""The authorization matrix: every route × (anonymous, party A, party B, reviewer, trainer, admin, convener).

Nobody reads or changes what they should not, and party A's private notes never reach anybody else, in
HTML, PDF, DOCX, JSON or exports. A new route without an expectation here fails the test.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from assistant.db import get_session
from assistant.services.negotiations import load_examples
from assistant.services.people import add_member

ROLES = ("anonymous", "party_a", "party_b", "reviewer", "trainer", "admin", "convener")
VIEW = {"party_a", "party_b", "reviewer", "admin", "convener"}
EDIT = {"admin", "convener"}
AUDIT = {"reviewer", "admin", "convener"}
SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)
SECRET = "SECRET-NOTE-OF-PARTY-A"

# (endpoint, method, path, form, who may) — {n} is the negotiation, {x} an example negotiation, {attempt} party A's
# exercise attempt.
REV = "{revision}"  # the negotiation's revision at the time of the request, as the wizard's forms carry it

CASES = [
    ("home.index", "GET", "/", None, SIGNED_IN),
    ("home.create", "POST", "/negotiations", {"title": "Mine"}, SIGNED_IN),
    ("home.import_scenario", "POST", "/negotiations/import", "upload", SIGNED_IN),
    ("wizard.start", "GET", "/negotiations/{n}/", None, VIEW),
    ("wizard.show", "GET", "/negotiations/{n}/context", None, VIEW),
    ("wizard.show", "GET", "/negotiations/{n}/suggestions", None, VIEW),
    (
        "wizard.show",
        "GET",
        "/negotiations/{x}/draft",
        None,
        VIEW - {"party_a", "party_b", "reviewer", "convener"} | {"trainer"},
    ),
    ("wizard.save", "POST", "/negotiations/{n}/services", {"services_needed": "shelter", "revision": REV}, EDIT),
    ("wizard.preview", "POST", "/negotiations/{n}/context/preview", {"title": "T"}, EDIT),
    (
        "wizard.choose",
        "POST",
        "/negotiations/{n}/choices",
        {"kind": "agreement_type", "item": "evacuation_relocation", "action": "accept", "revision": REV},
        EDIT,
    ),
    ("wizard.save_version", "POST", "/negotiations/{n}/versions", {}, EDIT),
    ("wizard.why", "GET", "/negotiations/{n}/why/{rule}", None, VIEW),
    ("documents.current", "GET", "/negotiations/{n}/draft.json", None, VIEW),
    ("documents.current", "GET", "/negotiations/{n}/draft.html", None, VIEW),
    ("documents.current", "GET", "/negotiations/{n}/draft.docx", None, VIEW),
    ("documents.current", "GET", "/negotiations/{n}/draft.pdf", None, VIEW),
    ("documents.version", "GET", "/negotiations/{n}/versions/1.json", None, VIEW),
    ("positions.index", "GET", "/negotiations/{n}/positions", None, VIEW),
    ("positions.consensus", "GET", "/negotiations/{n}/consensus", None, VIEW),
    (
        "positions.record",
        "POST",
        "/negotiations/{n}/positions",
        {"party": "marundi", "target": "role:lead", "stance": "accept", "opened": "new"},
        {"party_a"},
    ),
    (
        "positions.add_note",
        "POST",
        "/negotiations/{n}/positions/notes",
        {"party": "marundi", "target": "", "note": "another note"},
        {"party_a"},
    ),
    ("team.index", "GET", "/negotiations/{n}/people", None, VIEW),
    ("team.create", "POST", "/negotiations/{n}/invitations", {"role": "party", "party": "lunavia"}, EDIT),
    ("team.withdraw", "POST", "/negotiations/{n}/invitations/{inv}/revoke", {}, EDIT),
    ("team.audit", "GET", "/negotiations/{n}/audit", None, AUDIT),
    ("team.audit_export", "GET", "/negotiations/{n}/audit.csv", None, AUDIT),
    ("team.audit_export", "GET", "/negotiations/{n}/audit.json", None, AUDIT),
    ("versions.index", "GET", "/negotiations/{n}/versions", None, VIEW),
    ("versions.show", "GET", "/negotiations/{n}/versions/1", None, VIEW),
    ("versions.comment", "POST", "/negotiations/{n}/versions/1/comments", {"clause": "purpose", "text": "Why?"}, VIEW),
    ("versions.review", "POST", "/negotiations/{n}/versions/1/submit", {}, EDIT),
    ("versions.review", "POST", "/negotiations/{n}/versions/2/approve", {"comment": "Fine."}, {"reviewer"}),
    ("versions.redline_page", "GET", "/negotiations/{n}/versions/1/redline/2", None, VIEW),
    ("versions.redline_download", "GET", "/negotiations/{n}/versions/1/redline/2.pdf", None, VIEW),
    ("home.delete", "POST", "/negotiations/{n}/delete", {}, EDIT),
    ("rulebook.index", "GET", "/rules/", None, EVERYONE),
    ("library.index", "GET", "/library/", None, EVERYONE),
    ("library.clause", "GET", "/library/purpose", None, EVERYONE),
    ("api.advice", "POST", "/api/v1/advice", "json", SIGNED_IN),
    ("training.index", "GET", "/training/", None, SIGNED_IN),
    ("training.show", "GET", "/training/chad_lead_state", None, SIGNED_IN),
    ("training.present", "GET", "/training/chad_lead_state/present", None, SIGNED_IN),
    ("training.handout", "GET", "/training/chad_lead_state/handout.pdf", None, SIGNED_IN),
    ("training.whatif", "GET", "/training/chad_lead_state/what-if", None, SIGNED_IN),
    ("training.negotiation_whatif", "GET", "/negotiations/{n}/what-if", None, VIEW),
    ("training.exercise_start", "POST", "/training/chad_lead_state/exercises", {}, SIGNED_IN),
    ("training.exercise", "GET", "/training/exercises/{attempt}", None, {"party_a", "trainer", "admin"}),
    ("training.results", "GET", "/training/chad_lead_state/results", None, {"trainer", "admin"}),
    ("auth.login", "GET", "/login", None, EVERYONE),
    ("auth.invitation", "GET", "/invitations/not-a-token", None, set()),  # 410 for everyone: forged link
    ("auth.logout", "POST", "/logout", {}, EVERYONE),
    # public by design: probes, metrics (route names and counts only) and the API's description
    ("health.alive", "GET", "/healthz", None, EVERYONE),
    ("health.ready", "GET", "/readyz", None, EVERYONE),
    ("health.metrics_page", "GET", "/metrics", None, EVERYONE),
    ("api.openapi", "GET", "/api/v1/openapi.json", None, EVERYONE),
]


@pytest.fixture
def world(app, make_user, login, example_data):
    """One negotiation with a convener, two parties, a reviewer, two saved versions, a private note; an exercise
    attempt of party A's user."""
    for name, role in (
        ("conv", "member"),
        ("pa", "member"),
        ("pb", "member"),
        ("rev", "member"),
        ("trainer", "trainer"),
        ("admin", "admin"),
    ):
        make_user(name, role)
    conv = login(app.test_client(), "conv")
    nid = int(conv.post("/negotiations", data={"example": "evacuation_multinational"}).location.split("/")[2])
    with app.app_context():
        session = get_session()
        from sqlmodel import select

        from assistant.models import Negotiation, User

        negotiation = session.get(Negotiation, nid)
        users = {u.username: u for u in session.exec(select(User))}
        add_member(session=session, negotiation=negotiation, user=users["pa"], role="party", party_id="marundi")
        add_member(session=session, negotiation=negotiation, user=users["pb"], role="party", party_id="kesh")
        add_member(session=session, negotiation=negotiation, user=users["rev"], role="reviewer")
        example = load_examples(session=session, folder=app.config["EXAMPLES_DIR"])[0].id
    conv.post(f"/negotiations/{nid}/versions")
    conv.post(
        f"/negotiations/{nid}/context",
        data={
            "title": "Changed title",
            "crisis.kind": "armed_conflict",
            "crisis.phase": "mandatory_evacuation",
            "revision": revision_of(app, nid),
        },
    )
    conv.post(f"/negotiations/{nid}/versions")
    conv.post(f"/negotiations/{nid}/versions/2/submit")
    page = conv.post(f"/negotiations/{nid}/invitations", data={"role": "reviewer"}).data.decode()
    assert "new-link-text" in page
    with app.app_context():
        from sqlmodel import select

        from assistant.models import Invitation

        inv = get_session().exec(select(Invitation)).first().id
    pa = login(app.test_client(), "pa")
    assert (
        pa.post(
            f"/negotiations/{nid}/positions/notes", data={"party": "marundi", "target": "", "note": SECRET}
        ).status_code
        < 400
    )
    started = pa.post("/training/chad_lead_state/exercises")  # party A's user is the trainee of this attempt
    assert started.status_code == 303
    attempt = int(started.location.rsplit("/", 1)[1])
    rule = "draft.g7.core_practices"  # fires whatever the scenario says
    clients = {
        "anonymous": app.test_client(),
        "party_a": pa,
        "party_b": login(app.test_client(), "pb"),
        "reviewer": login(app.test_client(), "rev"),
        "trainer": login(app.test_client(), "trainer"),
        "admin": login(app.test_client(), "admin"),
        "convener": conv,
    }
    return {
        "n": nid,
        "x": example,
        "inv": inv,
        "rule": rule,
        "attempt": attempt,
        "clients": clients,
        "revision": lambda: revision_of(app, nid),
    }


def revision_of(app, nid: int) -> str:
    with app.app_context():
        from assistant.models import Negotiation

        return str(get_session().get(Negotiation, nid).revision)


def request(client, method, path, form, world):
    url = path.format(**world)
    if method == "GET":
        return client.get(url)
    if form == "json":
        return client.post(url, json={"title": "x"})
    if form == "upload":
        return client.post(
            url, data={"scenario": (io.BytesIO(b"title: x\n"), "s.yaml")}, content_type="multipart/form-data"
        )
    if isinstance(form, dict):
        form = {k: world["revision"]() if v == REV else v for k, v in form.items()}
    return client.post(url, data=form)


def text_of(response) -> str:
    body = response.data
    if body[:4] == b"%PDF":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return z.read("word/document.xml").decode()
    return body.decode(errors="replace")


def test_every_route_has_an_expectation(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()} - {"static"}
    assert endpoints == {c[0] for c in CASES}


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(world, role):
    client = world["clients"][role]
    seen = []
    for endpoint, method, path, form, allowed in CASES:
        if endpoint in ("auth.logout", "home.delete"):
            continue  # last, below: they end the session or the negotiation
        response = request(client, method, path, form, world)
        status = response.status_code
        where = f"{role} {method} {path}"
        assert status < 500, where
        if role in allowed:
            assert status < 400 or (endpoint == "api.advice" and status == 422), f"{where}: {status}"
        elif role == "anonymous":
            assert status in (302, 401, 410), f"{where}: {status}"
            if status == 302:
                assert response.location.startswith("/login"), where
        else:
            assert status in (403, 404, 410), f"{where}: {status}"
        if method == "GET":
            seen.append(text_of(response))
    if role != "party_a":
        assert not [s for s in seen if SECRET in s], f"{role} saw party A's private note"
    else:
        assert any(SECRET in s for s in seen), "party A must see its own note"
    deleted = request(client, "POST", "/negotiations/{n}/delete", {}, world).status_code
    assert (deleted == 303) == (role in EDIT), f"{role} delete: {deleted}"
    assert request(client, "POST", "/logout", {}, world).status_code == 303
