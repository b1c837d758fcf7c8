"""Configuration: defaults, then ``ASSISTANT_*`` environment variables and ``DATABASE_URL``, or a test mapping."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def defaults(instance_path: str) -> dict[str, Any]:
    """Settings every deployment starts from; all may be overridden."""
    return {
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'assistant.sqlite'}",
        "RULES_DIR": str(ROOT / "rules"),
        "CLAUSE_LIBRARY_DIR": str(ROOT / "clause_library"),
        "EXAMPLES_DIR": str(ROOT / "scenarios"),
        "TRAINING_DIR": str(ROOT / "training"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies work on https and, in browsers, on http://127.0.0.1 and localhost.
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Seconds one rule evaluation may hold the engine (issue 11); past it the evaluation stops with a clear
        # message (503 on pages and the API, exit status 2 in the CLI). 0 or less: no budget.
        "EVALUATION_TIME_BUDGET": 2.0,
        "PDF_VARIANT": "pdf/ua-1",
        "PDF_ASYNC": True,  # render PDFs that are not cached yet off the request path
        "DOCUMENT_CACHE_DIR": str(Path(instance_path) / "documents"),
        # The document cache's size cap (least recently used files go first) and its render queue: at most
        # RENDER_QUEUE_MAX documents queued or rendering per server process, RENDER_PER_USER of them per user.
        "DOCUMENT_CACHE_MAX_BYTES": 500 * 1024 * 1024,
        "RENDER_QUEUE_MAX": 16,
        "RENDER_PER_USER": 3,
        # Flask-Limiter: where the counts live (memory:// is per process; redis://… is shared by servers).
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": True,  # set per app: the limiter object is shared by every app of the process
        # Sign-in attempts per client address (all of them), failed sign-ins per user name (then locked out
        # until the window ends), and API calls per account.
        "LOGIN_RATE_LIMIT": "10 per minute",
        "LOGIN_LOCKOUT_LIMIT": "5 per 15 minutes",
        "API_RATE_LIMIT": "60 per minute",
        # Behind a load balancer or reverse proxy (issue 19): how many proxies set each X-Forwarded-* header
        # (werkzeug's ProxyFix; 0 trusts none, the default: never trust headers a client can forge).
        "PROXY_FIX_X_FOR": 0,
        "PROXY_FIX_X_PROTO": 0,
        "PROXY_FIX_X_HOST": 0,
        # Strict-Transport-Security on https answers, in seconds (0: not sent; set it once the site is https only).
        "HSTS_SECONDS": 0,
        # Earlier secret keys still accepted for sessions and invitation links while a new key is rolled out
        # (Flask's SECRET_KEY_FALLBACKS; ASSISTANT_SECRET_KEY_FALLBACKS='["old key"]').
        "SECRET_KEY_FALLBACKS": [],
        # Log lines on stderr: "text" or "json" (one JSON object per line, for a log collector), and the level.
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "INFO",
    }


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Apply defaults, then the environment (or the test mapping), then a persisted secret key."""
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_prefixed_env("ASSISTANT")
        if os.environ.get("DATABASE_URL"):
            app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        app.config.update(test_config)
    if Path(app.instance_path).is_dir():
        owner_only_folder(Path(app.instance_path))
    app.config["SECRET_KEY_FROM_INSTANCE"] = not app.config["SECRET_KEY"]
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def signing_keys(config: Any) -> list[str]:
    """The keys invitation links are signed with: the current key last (it signs), earlier ones still verify."""
    return [*(config.get("SECRET_KEY_FALLBACKS") or []), config["SECRET_KEY"]]


def shared_secret_problem(config: Any) -> str | None:
    """Why a production server must not start, or None: with a database several servers may share (anything but
    SQLite), each server would make its own secret key, so sessions, CSRF tokens and invitation links made on one
    would fail on the others."""
    if config.get("SECRET_KEY_FROM_INSTANCE") and not str(config["DATABASE_URL"]).startswith("sqlite"):
        return (
            "ASSISTANT_SECRET_KEY is not set: with a shared database every server needs the same secret key "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    return None


def owner_only_folder(folder: Path) -> None:
    """The instance folder (database, secret key, documents) is its owner's only: created 0700, and narrowed
    to 0700 when this process owns it and others may read it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if os.name == "posix" and info.st_uid == os.getuid() and info.st_mode & 0o077:
        folder.chmod(0o700)


def time_budget_from(value: Any) -> float | None:
    """The evaluation time budget from a setting: seconds (a number or its text), None for "no budget" (0 or
    less); the default when it is missing or not a number."""
    from .domain.engine import DEFAULT_TIME_BUDGET

    if value is None or value == "":
        return DEFAULT_TIME_BUDGET
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return DEFAULT_TIME_BUDGET
    return seconds if seconds > 0 and seconds == seconds else None


def _instance_secret(folder: Path) -> str:
    """A random key kept in the instance folder, so sessions survive restarts without a shipped default.

    The file is created 0600 in one step (never readable by others, not even for a moment); a process that
    starts at the same moment reads the key the first one wrote.
    """
    owner_only_folder(folder)
    path = folder / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(secrets.token_hex(32))
    for _ in range(50):  # another process may have created the file and not written the key yet
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty: remove it, or set ASSISTANT_SECRET_KEY")
