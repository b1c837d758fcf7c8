"""``assistant db backup`` and ``db restore`` (issue 19): the database and the instance secret key, on SQLite and on
PostgreSQL; a restore never silently replaces data."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner
from sqlmodel import Session, create_engine, select

from assistant.cli import main
from assistant.db import upgrade
from assistant.models import Negotiation
from assistant.services.negotiations import create_negotiation, delete_negotiation

pytestmark = pytest.mark.both_engines


def _titles(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return sorted(n.title for n in session.exec(select(Negotiation)))
    finally:
        engine.dispose()


def _change(url: str, *, add: str = "", remove: str = "") -> None:
    engine = create_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            if add:
                create_negotiation(session=session, title=add)
            for n in session.exec(select(Negotiation).where(Negotiation.title == remove)) if remove else []:
                delete_negotiation(session=session, negotiation=n)
    finally:
        engine.dispose()


def test_backup_then_restore_puts_the_data_and_the_secret_key_back(db_url, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("the instance key")
    runner = CliRunner(env={"DATABASE_URL": db_url, "ASSISTANT_INSTANCE_PATH": str(instance)})
    _change(db_url, add="Before the backup")

    made = runner.invoke(main, ["db", "backup", str(tmp_path / "backup")])
    assert made.exit_code == 0, made.output
    manifest = json.loads((tmp_path / "backup" / "backup.json").read_text())
    assert manifest["revision"]
    assert "secret_key" in manifest["files"]
    assert stat.S_IMODE((tmp_path / "backup").stat().st_mode) == 0o700

    _change(db_url, add="After the backup", remove="Before the backup")
    (instance / "secret_key").write_text("a new key")
    refused = runner.invoke(main, ["db", "restore", str(tmp_path / "backup")])
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert _titles(db_url) == ["After the backup"]  # nothing replaced

    restored = runner.invoke(main, ["db", "restore", "--force", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    assert _titles(db_url) == ["Before the backup"]
    assert (instance / "secret_key").read_text() == "the instance key"


def test_a_backup_never_overwrites_a_folder_in_use_and_a_restore_needs_a_backup(db_url, tmp_path):
    runner = CliRunner(env={"DATABASE_URL": db_url, "ASSISTANT_INSTANCE_PATH": str(tmp_path / "instance")})
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    busy = runner.invoke(main, ["db", "backup", str(tmp_path / "busy")])
    assert busy.exit_code == 2
    assert "not empty" in busy.stderr
    (tmp_path / "empty").mkdir()
    nothing = runner.invoke(main, ["db", "restore", str(tmp_path / "empty")])
    assert nothing.exit_code == 2
    assert "not a backup" in nothing.stderr


def test_a_restore_into_an_empty_database_needs_no_force(db_url, db_engine, tmp_path, request):
    env = {"ASSISTANT_INSTANCE_PATH": str(tmp_path / "instance")}
    runner = CliRunner(env={"DATABASE_URL": db_url, **env})
    _change(db_url, add="Kept")
    assert runner.invoke(main, ["db", "backup", str(tmp_path / "b")]).exit_code == 0
    if db_engine == "sqlite":
        empty = f"sqlite:///{tmp_path / 'fresh' / 'assistant.sqlite'}"
    else:
        empty = request.getfixturevalue("empty_postgres_url")
    done = CliRunner(env={"DATABASE_URL": empty, **env}).invoke(main, ["db", "restore", str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
    assert _titles(empty) == ["Kept"]
    upgrade(empty)  # the restored schema is the migrated one: nothing left to apply
