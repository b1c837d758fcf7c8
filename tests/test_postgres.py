"""The same persistence on PostgreSQL, when ASSISTANT_TEST_POSTGRES_URL names an empty database
(for example postgresql+psycopg://assistant:assistant@127.0.0.1/assistant_test)."""

import os

import pytest
from sqlalchemy import text

from assistant import create_app
from assistant.db import get_engine, get_session, upgrade
from assistant.services.negotiations import load_examples

URL = os.environ.get("ASSISTANT_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="set ASSISTANT_TEST_POSTGRES_URL to test on PostgreSQL")


def test_migrations_examples_and_wizard_on_postgres():
    app = create_app({"TESTING": True, "SECRET_KEY": "pg", "DATABASE_URL": URL, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        engine = get_engine()
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS draft_version, choice, negotiation, alembic_version CASCADE"))
        upgrade(URL)
        created = load_examples(session=get_session(), folder=app.config["EXAMPLES_DIR"])
        ids = [n.id for n in created]
    client = app.test_client()
    for nid in ids:
        assert client.get(f"/negotiations/{nid}/draft").status_code == 200
    assert client.post(f"/negotiations/{ids[0]}/versions").status_code == 303
    assert client.get(f"/negotiations/{ids[0]}/versions/1.json").get_json()["draft"]["articles"]
    response = client.post(
        f"/negotiations/{ids[0]}/choices",
        data={"kind": "role", "item": "lead", "party": "x", "action": "reject", "revision": "1"},
    )
    assert response.status_code == 303
    app.extensions["assistant.db"].dispose()
