"""Backups an operator can restore (issue 19): the database and the instance secret key in one private folder.

SQLite is copied with ``VACUUM INTO`` (a consistent copy while the server runs); PostgreSQL with ``pg_dump`` in its
custom format and restored with ``pg_restore``. The secret key travels with the data because sessions, CSRF tokens
and invitation links are signed with it. ``backup.json`` records the engine, the schema revision and the time.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

MANIFEST = "backup.json"
SQLITE_FILE = "assistant.sqlite"
POSTGRES_FILE = "assistant.dump"
SECRET_FILE = "secret_key"  # noqa: S105 - the name of the file, not a secret


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _engine_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups are made for SQLite and PostgreSQL, not {name}")
    return name


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - no schema yet: the manifest says so
        return None
    finally:
        engine.dispose()


def _pg_program(name: str) -> str:
    """A PostgreSQL client program: Debian's newest version, else the one on PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    program = found[-1] if found else shutil.which(name)
    if not program:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return program


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as libpq reads it (no driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[:500]}")


def backup(url: str, folder: Path, secret_file: Path | None = None) -> dict[str, Any]:
    """Write the database (and the instance secret key, if there is one) into ``folder``, a new or empty folder
    made private (0700, files 0600); returns the manifest."""
    engine = _engine_of(url)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    if engine == "sqlite":
        source = make_url(url).database
        if not source or not Path(source).exists():
            raise BackupError(f"there is no database at {source}")
        with sqlite3.connect(source) as conn:
            conn.execute("VACUUM INTO ?", (str(folder / SQLITE_FILE),))
        files = [SQLITE_FILE]
    else:
        _run([_pg_program("pg_dump"), "--format=custom", "--no-owner", f"--file={folder / POSTGRES_FILE}", _libpq(url)])
        files = [POSTGRES_FILE]
    if secret_file is not None and secret_file.exists():
        shutil.copyfile(secret_file, folder / SECRET_FILE)
        files.append(SECRET_FILE)
    manifest = {
        "engine": engine,
        "revision": _revision(url),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for name in [*files, MANIFEST]:
        (folder / name).chmod(0o600)
    return manifest


def restore(url: str, folder: Path, secret_file: Path | None = None, *, force: bool = False) -> dict[str, Any]:
    """Put a backup back: refused over an existing database (or a different secret key) unless ``force``. Stop the
    servers first: a restore replaces the data under them."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{folder} is not a backup made by 'assistant db backup' (no readable {MANIFEST})") from None
    engine = _engine_of(url)
    if manifest.get("engine") != engine:
        raise BackupError(f"this backup is of a {manifest.get('engine')} database; DATABASE_URL is {engine}")
    if _revision(url) is not None and not force:
        raise BackupError("the target database already holds data: add --force to replace it")
    if engine == "sqlite":
        _restore_sqlite(folder / SQLITE_FILE, Path(make_url(url).database or ""))
    else:
        _run(
            [_pg_program("pg_restore"), "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq(url)}"]
            + [str(folder / POSTGRES_FILE)]
        )
    if secret_file is not None and (folder / SECRET_FILE).exists():
        key = (folder / SECRET_FILE).read_text(encoding="utf-8")
        if secret_file.exists() and secret_file.read_text(encoding="utf-8") != key and not force:
            raise BackupError(f"{secret_file} holds another secret key: add --force to replace it")
        secret_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(key)
    return manifest


def _restore_sqlite(copy: Path, target: Path) -> None:
    """Check the copy, then swap it in at once (and drop the old write-ahead log, which belongs to the old file)."""
    with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{copy} is damaged (SQLite integrity check failed)")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(copy, staged)
    staged.chmod(0o600)
    for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)
    os.replace(staged, target)
