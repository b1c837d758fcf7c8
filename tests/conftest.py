"""Shared fixtures: an app on a migrated temporary database, its client, and scenario factories."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from assistant import create_app
from assistant.db import upgrade
from assistant.domain.scenario import load_scenario
from tests.helpers import PASSWORD, ROOT


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """One database migrated with Alembic, copied for each test."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def app(tmp_path, migrated_db):
    db = tmp_path / "assistant.sqlite"
    shutil.copy(migrated_db, db)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{db}",
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
