"""Hostile input (issue 11, findings 3, 4, 10, 12 and 15): what used to cost seconds and gigabytes, answer 500
or print a traceback now gets a clear 4xx (or 503) message, quickly; a negotiation holding bad stored data
still opens on every page and shows its problems; bidirectional controls never reach the legal text.

Findings 3 and 4 are also checked against a real server (werkzeug in a thread, on a migrated temporary
database), signed in through /login like a browser."""

from __future__ import annotations

import http.cookiejar
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from io import BytesIO

import pytest
import yaml

from tests.helpers import PASSWORD, ROOT

BIDI = "\u202e"


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\ntitle: laughs\n"


def upload(client, text: str | bytes, name: str = "scenario.yaml"):
    raw = text.encode() if isinstance(text, str) else text
    return client.post("/negotiations/import", data={"scenario": (BytesIO(raw), name)})


def negotiation_count(app) -> int:
    from sqlmodel import func, select

    from assistant.db import get_session
    from assistant.models import Negotiation

    with app.app_context():
        return get_session().exec(select(func.count()).select_from(Negotiation)).one()


# ---------------------------------------------------------------- finding 3 and 12: imports


def test_alias_bomb_import_is_refused_at_once(app, client):
    started = time.perf_counter()
    response = upload(client, billion_laughs(), "laughs.yaml")
    assert time.perf_counter() - started < 1.0  # 8.6 s and 1.2 GB before
    assert response.status_code == 422
    assert "laughs.yaml, line 2: aliases (*a) are not accepted" in response.data.decode()
    assert negotiation_count(app) == 0  # nothing stored (~600 MB before)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\nblob: !!binary aGVsbG8=\n", "line 2: the tag !!binary is not accepted"),
        ("title: x\nids: !!set {a, b}\n", "line 2: the tag !!set is not accepted"),
        ("title: x\nwhen: !!timestamp 2024-05-01\n", "line 2: the tag !!timestamp is not accepted"),
        ("title: x\nobj: !!python/object:os.system {}\n", "line 2: the tag !!python/object:os.system is not accepted"),
        ("a: &a [*a]\ntitle: x\n", "line 1: aliases (*a) are not accepted"),
        ("title: x\ndeep: " + "[" * 600 + "]" * 600 + "\n", "line 2: nested more than 50 levels deep"),
        ("title: x\nn: " + "9" * 5000 + "\n", "whole number of more than 30 digits"),
        ("title: x\n7: seven\n", "line 2: keys must be text"),
    ],
)
def test_imports_of_odd_yaml_get_a_clear_422(app, client, text, message):
    response = upload(client, text)
    assert response.status_code == 422, response.data[:300]
    assert message in response.data.decode()
    assert negotiation_count(app) == 0


@pytest.mark.parametrize("title", ["null", "12", "[a, b]", '""', '"\\u202e"'])
def test_import_without_a_usable_title_opens_under_the_file_name(client, example_data, title):
    data = example_data()
    text = yaml.safe_dump(data).replace(f"title: {data['title']}", f"title: {title}")
    response = upload(client, text, "untitled.yaml")
    assert response.status_code == 303, response.data[:300]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "untitled.yaml" in page.data.decode()


def test_an_unquoted_date_imports_as_text(client, example_data):
    data = example_data()
    text = yaml.safe_dump(data).replace(f"title: {data['title']}", "title: 2024-05-01")
    response = upload(client, text)
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200


# ---------------------------------------------------------------- finding 12: URLs and forms


IDS_BEYOND_64_BITS = [
    ("GET", "/negotiations/9223372036854775808/context"),
    ("GET", "/negotiations/99999999999999999999999/"),
    ("POST", "/negotiations/9223372036854775808/delete"),
    ("GET", "/negotiations/9223372036854775808/versions"),
    ("GET", "/negotiations/{nid}/versions/9223372036854775808"),
    ("GET", "/negotiations/{nid}/versions/1/redline/9223372036854775808"),
    ("GET", "/negotiations/9223372036854775808/positions"),
    ("GET", "/negotiations/9223372036854775808/people"),
    ("GET", "/negotiations/9223372036854775808/draft.pdf"),
    ("GET", "/training/exercises/9223372036854775808"),
]


def test_ids_beyond_64_bits_name_nothing(client, nid):
    # One test over every kind of id in a URL: some were 500 (the id reached SQLite), some already 404.
    for method, path in IDS_BEYOND_64_BITS:
        response = client.open(path.format(nid=nid), method=method)
        assert response.status_code in (404, 405), (path, response.data[:300])  # 405: a route for other methods
    assert client.get("/negotiations/9223372036854775807/context").status_code == 404  # the largest: no such one


@pytest.fixture
def nid(app, example_data):
    from assistant.db import get_session
    from assistant.services.negotiations import create_negotiation

    with app.app_context():
        return create_negotiation(session=get_session(), title="Hostile", scenario=example_data()).id


@pytest.mark.parametrize("path", ["context", "choices"])
def test_a_huge_revision_is_a_4xx(client, nid, path):
    form = {"revision": "99999999999999999999", "title": "x", "kind": "clause", "item": "x", "action": "accept"}
    response = client.post(f"/negotiations/{nid}/{path}", data=form)
    assert 400 <= response.status_code < 500, response.data[:300]


# ---------------------------------------------------------------- finding 10: numbers


@pytest.mark.parametrize("typed", ["inf", "1e400", "nan", "-inf", "Infinity"])
def test_the_form_refuses_a_cost_that_is_not_a_finite_number(client, nid, typed):
    page = client.get(f"/negotiations/{nid}/services").data.decode()
    revision = page.split('name="revision" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        f"/negotiations/{nid}/services", data={"revision": revision, "funding.estimated_cost": typed}
    )
    assert response.status_code == 422, response.data[:300]
    assert "expected a finite number" in response.data.decode()
    for step in ("context", "parties", "populations", "services", "suggestions", "draft"):
        assert client.get(f"/negotiations/{nid}/{step}").status_code == 200


def test_the_form_refuses_counts_out_of_range(client, nid):
    page = client.get(f"/negotiations/{nid}/populations").data.decode()
    revision = page.split('name="revision" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        f"/negotiations/{nid}/populations",
        data={"revision": revision, "populations[0].nationality": "stateless", "populations[0].count": "1" * 25},
    )
    assert response.status_code == 422
    assert "must be at most 1,000,000,000" in response.data.decode()


BAD_STORED = {
    "infinite cost": ('"estimated_cost": 5400000', '"estimated_cost": Infinity', "finite number"),
    "cost beyond floats": ('"estimated_cost": 5400000', '"estimated_cost": 1e400', "finite number"),
    "nan count": ('"count": 7400', '"count": NaN', "finite number"),
    "huge count": ('"count": 7400', '"count": 123456789012345678901234567890', "must be at most 1,000,000,000"),
    "wrong types": ('"kind": "armed_conflict"', '"kind": ["armed_conflict", {"x": 1}]', "crisis.kind"),
    "title null": ('"title": "Coordinated', '"title": null, "was": "Coordinated', "title"),
    "parties not a list": ('"parties": [', '"parties": "none", "old_parties": [', "parties"),
}


def store_raw(app, nid: int, edit: tuple[str, str, str]) -> None:
    """Put bad data straight into the database, as an old version or another tool might have."""
    from sqlalchemy.engine import make_url

    path = make_url(app.config["DATABASE_URL"]).database
    with sqlite3.connect(path) as db:
        (raw,) = db.execute("SELECT scenario FROM negotiation WHERE id = ?", (nid,)).fetchone()
        text = json.dumps(json.loads(raw))
        old, new, _ = edit
        assert old in text, old
        db.execute("UPDATE negotiation SET scenario = ? WHERE id = ?", (text.replace(old, new, 1), nid))


def test_a_negotiation_with_bad_stored_data_opens_everywhere_and_shows_its_problems(app, client, example_data):
    # One test over every kind of bad data: non-finite and huge numbers were 500 on every page (OverflowError in
    # the facts); wrong types and a missing title already opened.
    from assistant.db import get_session
    from assistant.services.negotiations import create_negotiation

    for case, edit in BAD_STORED.items():
        with app.app_context():
            nid = create_negotiation(session=get_session(), title=case, scenario=example_data()).id
        store_raw(app, nid, edit)
        _opens_everywhere(client, nid, edit[2])


def _opens_everywhere(client, nid: int, problem: str) -> None:
    pages = [
        f"/negotiations/{nid}/",
        *(f"/negotiations/{nid}/{s}" for s in ("context", "parties", "populations", "services", "suggestions")),
        f"/negotiations/{nid}/draft",
        f"/negotiations/{nid}/draft.html",
        f"/negotiations/{nid}/draft.docx",
        f"/negotiations/{nid}/draft.pdf",
        f"/negotiations/{nid}/why/EVAC-001",
        f"/negotiations/{nid}/versions",
        f"/negotiations/{nid}/positions",
        f"/negotiations/{nid}/consensus",
        f"/negotiations/{nid}/people",
        f"/negotiations/{nid}/audit",
        f"/negotiations/{nid}/what-if",
        "/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, (page, response.data[:500])
    shown = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    assert problem in shown
    preview = client.post(f"/negotiations/{nid}/services/preview", data={})
    assert preview.status_code < 500
    assert client.post(f"/negotiations/{nid}/versions").status_code < 500


def test_api_refuses_non_finite_numbers_and_deep_json(client, example_data):
    data = example_data()
    data["funding"]["estimated_cost"] = float("inf")
    response = client.post("/api/v1/advice", data=json.dumps(data), content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["problems"] == [
        {"path": "funding.estimated_cost", "message": "expected a finite number, got inf"}
    ]
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/advice", data=deep, content_type="application/json")
    assert response.status_code == 422
    response = client.post(
        "/api/v1/advice", data='{"title": ' + "[" * 60 + "]" * 60 + "}", content_type="application/json"
    )
    assert response.status_code == 422
    assert "nested more than 50 levels deep" in response.get_json()["problems"][0]["message"]


def test_cli_answers_bad_scenario_files_with_exit_status_2_and_no_traceback(tmp_path, example_data):
    from click.testing import CliRunner

    from assistant.cli import main

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    data = example_data()
    data["funding"]["estimated_cost"] = "1e400"
    costly = tmp_path / "costly.yaml"
    costly.write_text(yaml.safe_dump(data).replace("'1e400'", "1.0e+400"), encoding="utf-8")
    for path, message in ((bomb, "line 2: aliases (*a) are not accepted"), (costly, "expected a finite number")):
        result = CliRunner().invoke(main, ["draft", str(path)])
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, (OverflowError, ValueError))


# ---------------------------------------------------------------- finding 4: size limits and the time budget


def oversized(parties: int = 400) -> dict:
    from bench.synthetic import hostile_scenario_data

    return hostile_scenario_data(parties, 1)


def test_api_refuses_too_many_parties_at_once(client):
    started = time.perf_counter()
    response = client.post("/api/v1/advice", data=json.dumps(oversized()), content_type="application/json")
    # refused before any evaluation: 12.6 s before the limit, about 0.1 s now; the bound leaves room for a loaded CI
    assert time.perf_counter() - started < 5.0
    assert response.status_code == 422
    assert {"path": "parties", "message": "400 parties: at most 60 are accepted"} in response.get_json()["problems"]


def test_an_evaluation_past_the_time_budget_is_a_clear_503_in_the_api_and_a_notice_in_the_wizard(
    client, nid, monkeypatch, example_data
):
    from assistant.domain import engine
    from assistant.services.advice import ADVICE_CACHE

    monkeypatch.setattr(engine, "_time_budget", 0.0)
    monkeypatch.setattr(ADVICE_CACHE, "size", 0)
    ADVICE_CACHE.clear() if hasattr(ADVICE_CACHE, "clear") else None
    data = example_data()
    data["title"] = "Not cached yet"
    response = client.post("/api/v1/advice", data=json.dumps(data), content_type="application/json")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "stopped evaluating this scenario after 0 s" in response.get_json()["message"]
    page = client.get(f"/negotiations/{nid}/suggestions")
    assert page.status_code == 200
    assert "stopped evaluating this scenario" in page.data.decode()


def test_cli_reports_a_time_budget_overrun_with_exit_status_2(monkeypatch):
    from click.testing import CliRunner

    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_EVALUATION_TIME_BUDGET", "0.000001")
    try:
        result = CliRunner().invoke(main, ["draft", str(ROOT / "scenarios" / "evacuation_multinational.yaml")])
    finally:
        from assistant.domain.engine import DEFAULT_TIME_BUDGET, set_time_budget

        set_time_budget(DEFAULT_TIME_BUDGET)
    assert result.exit_code == 2, result.output
    assert "longer than its time budget" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- finding 15: bidirectional controls


def test_a_right_to_left_override_never_reaches_the_legal_text(example_data):
    from docx import Document
    from pypdf import PdfReader

    from assistant.documents.render import document_html, document_pdf
    from assistant.documents.word import document_docx
    from assistant.domain.evaluate import evaluate
    from assistant.domain.scenario import parse_scenario

    data = example_data()
    data["parties"][0]["name"] = f"Republic of {BIDI}ainavroC"
    data["title"] = f"Agreement {BIDI}\u2066on evacuation\u2069"
    advice = evaluate(parse_scenario(data))
    html = document_html(advice.draft)
    docx = "\n".join(p.text for p in Document(BytesIO(document_docx(advice.draft))).paragraphs)
    pdf = "\n".join(p.extract_text() for p in PdfReader(BytesIO(document_pdf(advice.draft))).pages)
    for text in (html, docx, pdf):
        assert "Republic of ainavroC" in text
        for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
            assert ch not in text


# ---------------------------------------------------------------- a real server: findings 3 and 4


class Server:
    """The app served by werkzeug in a daemon thread, on a migrated temporary database."""

    def __init__(self, tmp_path, migrated_db) -> None:
        import shutil

        from werkzeug.serving import make_server

        from assistant import create_app
        from assistant.db import get_session
        from assistant.services.people import create_user

        db = tmp_path / "server.sqlite"
        shutil.copy(migrated_db, db)
        self.db = db
        self.app = create_app(
            {
                "SECRET_KEY": "hostile",
                "DATABASE_URL": f"sqlite:///{db}",
                "WTF_CSRF_ENABLED": False,
                "SESSION_COOKIE_SECURE": False,
                "REMEMBER_COOKIE_SECURE": False,
                "PDF_ASYNC": False,
                "DOCUMENT_CACHE_DIR": str(tmp_path / "documents"),
                "RATELIMIT_ENABLED": False,
            }
        )
        with self.app.app_context():
            create_user(session=get_session(), username="member", display_name="M", password=PASSWORD, role="member")
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.app.extensions["assistant.db"].dispose()

    def signed_in(self):
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
        status, _, _ = self.send(op, "/login", {"username": "member", "password": PASSWORD})
        assert status == 303
        return op

    def send(self, op, path: str, form: dict | None = None, *, body: bytes | None = None, headers=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else body
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310
        try:
            response = op.open(request, timeout=60)  # noqa: S310 - http://127.0.0.1 only
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            return response.status, dict(response.headers), response.read()


def multipart(name: str, filename: str, content: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = "----hostile-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/x-yaml\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture
def server(tmp_path, migrated_db):
    s = Server(tmp_path, migrated_db)
    yield s
    s.close()


def test_real_server_refuses_the_alias_bomb_in_milliseconds_and_stores_nothing(server):
    import resource

    op = server.signed_in()
    body, headers = multipart("scenario", "laughs.yaml", billion_laughs().encode())
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size_before = server.db.stat().st_size
    started = time.perf_counter()
    status, _, page = server.send(op, "/negotiations/import", body=body, headers=headers)
    elapsed = time.perf_counter() - started
    assert status == 422
    assert b"aliases (*a) are not accepted" in page
    assert elapsed < 1.0  # 8.6 s before
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 50 * 1024  # KiB: 1.2 GB before
    assert server.db.stat().st_size - size_before < 1024 * 1024  # ~600 MB before
    with sqlite3.connect(server.db) as db:
        assert db.execute("SELECT count(*) FROM negotiation").fetchone() == (0,)


def test_real_server_answers_ordinary_requests_while_hostile_scenarios_are_in_flight(server, example_data):
    from bench.synthetic import hostile_scenario_data

    hostile = json.dumps(hostile_scenario_data()).encode()  # at the contract's limits: accepted, the costliest
    too_big = json.dumps(oversized(1600)).encode()  # 1,600 parties: over 130 s before
    ordinary = json.dumps(example_data()).encode()
    json_headers = {"Content-Type": "application/json"}
    ops = [server.signed_in() for _ in range(5)]
    statuses: list[int] = []
    refusals: list[str] = []  # what a hostile call answered when not 200: the assertion says it
    hostile_times: list[float] = []  # how long each hostile call took on this machine, under this load

    def hostile_calls(op, body):
        for _ in range(3):
            started = time.perf_counter()
            status, _, answer = server.send(op, "/api/v1/advice", body=body, headers=json_headers)
            statuses.append(status)
            hostile_times.append(time.perf_counter() - started)
            if status != 200:
                refusals.append(f"{status} after {time.perf_counter() - started:.1f} s: {answer[:300]!r}")

    threads = [threading.Thread(target=hostile_calls, args=(op, hostile), daemon=True) for op in ops[:4]]
    for t in threads:
        t.start()
    time.sleep(0.2)
    waits = []
    for _ in range(3):
        started = time.perf_counter()
        status, _, _ = server.send(ops[4], "/api/v1/advice", body=ordinary, headers=json_headers)
        waits.append(time.perf_counter() - started)
        assert status == 200
    started = time.perf_counter()
    status, _, answer = server.send(ops[4], "/api/v1/advice", body=too_big, headers=json_headers)
    refused_in = time.perf_counter() - started
    for t in threads:
        t.join(120)
    assert status == 422
    assert b"1600 parties: at most 60 are accepted" in answer or b"more than 50,000 values" in answer
    assert refused_in < 2.0
    assert set(statuses) == {200}, refusals  # the costliest accepted scenario is well within the time budget
    # not queued behind the hostile calls (8-19 s before, with four 400-party scenarios in flight): an ordinary call
    # waits less than two of the slowest hostile calls take on the same machine under the same load. The slowest,
    # not the median: the first ordinary call overlaps the first wave of four hostile calls, which share the CPU and
    # the engine with it and are the slowest of all (one ordinary call took 9.8 s on a busy CI machine, another
    # 10.6 s beside first-wave hostile calls of 6.7 and 8.6 s whose median over all calls was 1.3 s)
    assert max(waits) < max(6.0, 2 * max(hostile_times)), (waits, hostile_times)
