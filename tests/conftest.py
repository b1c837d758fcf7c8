"""Shared fixtures: an app on a migrated temporary database, its client, and scenario factories."""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from assistant import create_app
from assistant.db import upgrade
from assistant.domain.scenario import load_scenario
from tests.helpers import PASSWORD, ROOT

# Generated-scenario tests: the same examples on every run by default (make test, CI), so a red run can be repeated and
# a green one is not luck; HYPOTHESIS_PROFILE=explore draws new ones to look for defects (each one found is fixed and
# its case added to the corpus, never left to fail at random: a clean-clone run would otherwise turn red on a
# pre-existing edge case another run did not draw).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """One database migrated with Alembic, copied for each test."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


# Test modules (or tests) marked ``both_engines`` run once on SQLite and once on PostgreSQL.
ENGINES = ("sqlite", "postgresql")


def pytest_configure(config):
    config.addinivalue_line("markers", "both_engines: run on SQLite and on PostgreSQL (a throw-away server)")


def pytest_generate_tests(metafunc):
    if "db_engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("db_engine", ENGINES, indirect=True)


@pytest.fixture
def db_engine(request) -> str:
    """The database engine of this test: SQLite unless the test is marked ``both_engines``."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_template():
    """A PostgreSQL server for the session and a database migrated with Alembic, the template of each test's."""
    from sqlalchemy import create_engine, make_url, text

    from tests.postgres import server

    with server() as url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS assistant_template WITH (FORCE)"))
            conn.execute(text("CREATE DATABASE assistant_template"))
        template = make_url(url).set(database="assistant_template").render_as_string(hide_password=False)
        upgrade(template)
        yield admin, make_url(url)
        admin.dispose()


@pytest.fixture
def db_url(request, db_engine, tmp_path, migrated_db) -> str:
    """A fresh migrated database for one test: a copy of the migrated SQLite file, or on PostgreSQL a database
    created from the migrated template (dropped afterwards)."""
    if db_engine == "sqlite":
        db = tmp_path / "assistant.sqlite"
        shutil.copy(migrated_db, db)
        yield f"sqlite:///{db}"
        return
    import uuid

    from sqlalchemy import text

    admin, base = request.getfixturevalue("postgres_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE assistant_template'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_postgres_url(postgres_template):
    """An empty PostgreSQL database (not made from the migrated template), dropped afterwards."""
    import uuid

    from sqlalchemy import text

    admin, base = postgres_template
    name = f"e_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def app(tmp_path, db_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": db_url,
            "WTF_CSRF_ENABLED": False,
            "PDF_ASYNC": False,
            "DOCUMENT_CACHE_DIR": str(tmp_path / "documents"),
            # The fuzz tests call the API more often than a person would; sign-in limits stay as shipped (each
            # test's app starts with fresh counts: Flask-Limiter's in-memory storage is made in init_app).
            "API_RATE_LIMIT": "1000 per minute",
        }
    )
    yield app
    app.extensions["assistant.db"].dispose()


@pytest.fixture
def make_user(app):
    """Return a callable creating an account (member, trainer or admin)."""
    from assistant.db import get_session
    from assistant.services.people import create_user

    def _make(username: str, role: str = "member"):
        with app.app_context():
            return create_user(
                session=get_session(), username=username, display_name=username.title(), password=PASSWORD, role=role
            )

    return _make


@pytest.fixture
def login():
    """Return a callable that signs a test client in."""

    def _login(client, username: str):
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 303, response.data[:500]
        return client

    return _login


@pytest.fixture
def anon(app):
    """A client that has not signed in."""
    return app.test_client()


@pytest.fixture
def client(app, make_user, login):
    """A client signed in as an administrator, who may see and change everything."""
    make_user("root", "admin")
    return login(app.test_client(), "root")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def example_data():
    """Return a callable giving a fresh copy of an example scenario as data."""
    cache: dict[str, dict] = {}

    def _load(name: str = "evacuation_multinational") -> dict:
        if name not in cache:
            cache[name] = yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text())
        return copy.deepcopy(cache[name])

    return _load


@pytest.fixture
def scenario():
    """Return a callable loading an example scenario as a model."""
    return lambda name="evacuation_multinational": load_scenario(ROOT / "scenarios" / f"{name}.yaml")


@pytest.fixture
def minimal() -> dict:
    """The smallest valid scenario."""
    return {
        "title": "Minimal",
        "crisis": {"kind": "armed_conflict", "phase": "preparedness"},
        "host_state": "host",
        "parties": [
            {"id": "host", "name": "Host State", "kind": "state", "crisis_roles": ["host"]},
            {"id": "origin", "name": "Origin State", "kind": "state", "crisis_roles": ["origin"]},
        ],
    }
