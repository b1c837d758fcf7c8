"""Database engine and per-request session (SQLite with WAL by default, PostgreSQL by DATABASE_URL)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


OWNER_ONLY_DIR = 0o700
OWNER_ONLY_FILE = 0o600


def owner_only_sqlite_file(url: str) -> None:
    """Make a SQLite database file readable by its owner only, before SQLite opens it.

    A missing folder is created 0700 and a missing file 0600 (SQLite creates the -wal and -shm files with the
    database file's permissions); files this process owns that others may read are narrowed to 0600.
    """
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(mode=OWNER_ONLY_DIR, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            info = file.stat()
        except FileNotFoundError:
            continue
        if os.name == "posix" and info.st_uid == os.getuid() and info.st_mode & 0o077:
            file.chmod(OWNER_ONLY_FILE)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection, and a database
    file only its owner can read."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    owner_only_sqlite_file(url)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=15000"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    return engine


def get_engine() -> Engine:
    """The engine of the current app."""
    return current_app.extensions["assistant.db"]


def get_session() -> Session:
    """The session of the current request, opened on first use."""
    if "db" not in g:
        g.db = Session(get_engine(), expire_on_commit=False)
    return g.db


def _close(exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()


def upgrade(url: str, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, revision)


def init_app(app: Flask) -> None:
    """Create the engine once per process and close sessions after each request."""
    app.extensions["assistant.db"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close)
