"""An operator's baseline (issue 19): health and readiness probes, a proxy in front, HSTS, key rotation, and a
production server that refuses to start without the shared secret several servers need."""

from __future__ import annotations

import pytest
from flask import request
from sqlalchemy.exc import OperationalError

from assistant import create_app
from assistant.config import shared_secret_problem, signing_keys
from assistant.services import people


def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "alive"}


def test_readyz_lists_each_check_and_is_ready_on_a_working_app(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready"
    assert body["checks"] == {
        "database": "ok",
        "rule_base": "ok",
        "clause_library": "ok",
        "standard_forms": "ok",
        "document_cache": "ok",
    }


def test_readyz_is_503_naming_the_failed_check_when_the_database_fails(client, monkeypatch):
    from sqlmodel import Session

    def broken(self, *args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("unable to open database file"))

    monkeypatch.setattr(Session, "exec", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "database unreachable (OperationalError)"
    assert body["checks"]["rule_base"] == "ok"
    assert "unable to open" not in response.get_data(as_text=True)  # no internals in a public answer


def test_readyz_is_503_when_the_rule_base_does_not_load(app, tmp_path):
    app.config["RULES_DIR"] = str(tmp_path / "no-rules-here")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["rule_base"].startswith("cannot be loaded")


def _remote_addr_seen(app, **headers) -> str:
    seen = {}

    @app.before_request
    def _capture():
        seen["addr"], seen["scheme"] = request.remote_addr, request.scheme

    app.test_client().get("/healthz", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    return seen["addr"], seen["scheme"]


def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured(app):
    assert _remote_addr_seen(app, **{"X-Forwarded-For": "203.0.113.9"}) == ("10.0.0.2", "http")


def test_behind_one_configured_proxy_the_client_address_and_scheme_are_the_forwarded_ones(migrated_db, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{migrated_db}",
            "PROXY_FIX_X_FOR": 1,
            "PROXY_FIX_X_PROTO": 1,
            "DOCUMENT_CACHE_DIR": str(tmp_path / "documents"),
        }
    )
    headers = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https"}
    # one trusted proxy: the address it saw (the last one), never what the client itself wrote before it
    assert _remote_addr_seen(app, **headers) == ("203.0.113.9", "https")


def test_hsts_is_sent_on_https_only_and_only_when_configured(app):
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/healthz", base_url="https://localhost").headers
    app.config["HSTS_SECONDS"] = 31536000
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_invitation_links_signed_with_an_earlier_key_still_open_during_key_rotation(app, make_user):
    from assistant.db import get_session
    from assistant.services.negotiations import create_negotiation

    owner = make_user("owner")
    with app.app_context():
        session = get_session()
        neg = create_negotiation(session=session, title="Rotation", user=owner)
        old = {"SECRET_KEY": "old key", "SECRET_KEY_FALLBACKS": []}
        token = people.invite(
            session=session, negotiation=neg, role="reviewer", party_id="", by=owner, secret=signing_keys(old)
        )
        rotated = {"SECRET_KEY": "new key", "SECRET_KEY_FALLBACKS": ["old key"]}
        assert people.open_invitation(session=session, token=token, secret=signing_keys(rotated)).negotiation_id
        retired = {"SECRET_KEY": "new key", "SECRET_KEY_FALLBACKS": []}
        with pytest.raises(people.PeopleError, match="not a valid invitation"):
            people.open_invitation(session=session, token=token, secret=signing_keys(retired))


@pytest.mark.parametrize(
    ("url", "from_instance", "refused"),
    [
        ("postgresql+psycopg://db/assistant", True, True),
        ("postgresql+psycopg://db/assistant", False, False),
        ("sqlite:////var/lib/assistant/assistant.sqlite", True, False),
    ],
)
def test_a_production_server_with_a_shared_database_needs_the_secret_key_from_the_environment(
    url, from_instance, refused
):
    problem = shared_secret_problem({"DATABASE_URL": url, "SECRET_KEY_FROM_INSTANCE": from_instance})
    assert (problem is not None) == refused
    if refused:
        assert "ASSISTANT_SECRET_KEY" in problem


def test_the_secret_key_source_is_recorded(app, tmp_path):
    from flask import Flask

    from assistant.config import configure

    assert app.config["SECRET_KEY_FROM_INSTANCE"] is False  # the tests give one
    generated = Flask("probe", instance_path=str(tmp_path / "instance"))
    (tmp_path / "instance").mkdir()
    configure(generated, {"TESTING": True})
    assert generated.config["SECRET_KEY_FROM_INSTANCE"] is True
    assert generated.config["SECRET_KEY"]


def test_every_answer_carries_a_request_id_a_sane_one_from_the_proxy_is_kept(client):
    fresh = client.get("/healthz").headers["X-Request-ID"]
    assert len(fresh) == 32
    assert client.get("/healthz").headers["X-Request-ID"] != fresh
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"}).headers["X-Request-ID"] == "lb-7f3a.1"
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>" + "y" * 80})
    assert len(forged.headers["X-Request-ID"]) == 32  # replaced, never echoed


def test_one_access_line_per_request_without_the_query_string(client, caplog):
    caplog.set_level("INFO", logger="assistant.access")
    response = client.get("/healthz?token=secret-value", headers={"X-Request-ID": "req-42"})
    lines = [r for r in caplog.records if r.name == "assistant.access"]
    assert len(lines) == 1
    assert lines[0].getMessage().startswith("GET /healthz 200 ")
    assert lines[0].request_id == "req-42" == response.headers["X-Request-ID"]
    assert "secret-value" not in caplog.text


def test_failed_and_refused_sign_ins_leave_a_trace_without_the_password(app, client, make_user, caplog):
    make_user("mira")
    caplog.set_level("INFO", logger="assistant")
    client.post("/login", data={"username": "Mira", "password": "a wrong password here"})
    failed = [r for r in caplog.records if r.getMessage() == "sign-in failed"]
    assert len(failed) == 1
    assert failed[0].login_name == "mira"
    assert failed[0].levelname == "WARNING"
    assert "a wrong password here" not in caplog.text


def test_json_log_lines_carry_the_request_id():
    import json
    import logging

    from pythonjsonlogger.json import JsonFormatter

    from assistant.web.logs import JSON_FIELDS, RequestId

    record = logging.LogRecord("assistant.access", logging.INFO, __file__, 1, "GET / 200", None, None)
    RequestId().filter(record)
    line = json.loads(JsonFormatter(JSON_FIELDS).format(record))
    assert line["message"] == "GET / 200"
    assert line["request_id"] == "-"
    assert line["levelname"] == "INFO"


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_per_route_evaluations_and_cache_hits(client, example_data, make_user, login):
    from assistant.services.advice import ADVICE_CACHE

    ADVICE_CACHE.clear()
    before = client.get("/metrics").get_data(as_text=True)
    client.get("/healthz")
    client.get("/healthz")
    make_user("ops")
    login(client, "ops")
    data = example_data()
    client.post("/api/v1/advice", json=data)  # evaluated
    client.post("/api/v1/advice", json=data)  # from the cache
    after = client.get("/metrics")
    assert after.headers["Content-Type"].startswith("text/plain")
    text = after.get_data(as_text=True)
    delta = lambda name, **labels: _metric(text, name, **labels) - _metric(before, name, **labels)  # noqa: E731
    assert delta("assistant_requests_total", endpoint="health.alive", status="2xx") == 2
    assert delta("assistant_request_seconds_count", endpoint="api.advice", method="POST") == 2
    assert delta("assistant_evaluation_seconds_count") == 1
    assert delta("assistant_advice_cache_total", result="hit") == 1
    assert delta("assistant_advice_cache_total", result="miss") == 1
    assert "/api/v1/advice" not in text  # route names, never paths or ids


def test_metrics_show_documents_rendering_and_queued(tmp_path):
    import threading

    from prometheus_client import REGISTRY

    from assistant.documents.cache import DocumentCache

    cache = DocumentCache(tmp_path / "docs", queue_max=4, per_user=4, workers=1)
    release = threading.Event()

    def slow() -> bytes:
        release.wait(10)
        return b"%PDF"

    def jobs(state: str) -> float:
        return REGISTRY.get_sample_value("assistant_render_jobs", {"state": state}) or 0.0

    cache.start("a", "pdf", slow, owner="u")
    cache.start("b", "pdf", slow, owner="u")
    for _ in range(200):  # the worker thread picks the first job up
        if jobs("rendering") == 1:
            break
        threading.Event().wait(0.01)
    assert (jobs("rendering"), jobs("queued")) == (1, 1)
    release.set()
    for _ in range(500):
        if cache.path("b", "pdf").is_file() and jobs("rendering") == 0:
            break
        threading.Event().wait(0.01)
    assert (jobs("rendering"), jobs("queued")) == (0, 0)
