"""PostgreSQL as a tested engine (issue 19): the migrations on an empty PostgreSQL database, then the examples and
the wizard on it. The persistence suites (versions, positions, team, atomic audit) also run on PostgreSQL: they are
marked ``both_engines`` (see conftest). The server is a throw-away cluster from Debian's package (tests/postgres.py),
or the empty database ``ASSISTANT_TEST_POSTGRES_URL`` names."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from assistant import create_app
from assistant.db import get_session, upgrade
from assistant.services.negotiations import load_examples


def test_migrations_create_every_table_the_models_declare_on_postgres(empty_postgres_url):
    upgrade(empty_postgres_url)
    engine = create_engine(empty_postgres_url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert set(SQLModel.metadata.tables) <= tables
    assert version


def test_examples_and_the_wizard_on_postgres(empty_postgres_url, tmp_path):
    upgrade(empty_postgres_url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "pg",
            "DATABASE_URL": empty_postgres_url,
            "WTF_CSRF_ENABLED": False,
            "PDF_ASYNC": False,
            "DOCUMENT_CACHE_DIR": str(tmp_path / "documents"),
        }
    )
    try:
        with app.app_context():
            created = load_examples(session=get_session(), folder=app.config["EXAMPLES_DIR"])
            ids = [n.id for n in created]
            assert ids
            again = load_examples(session=get_session(), folder=app.config["EXAMPLES_DIR"])
            assert again == []  # loaded once
        client = app.test_client()
        assert client.get("/readyz").get_json()["checks"]["database"] == "ok"
    finally:
        app.extensions["assistant.db"].dispose()
