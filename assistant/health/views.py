"""Routes: ``/healthz`` answers while the process runs; ``/readyz`` says whether it can serve requests."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

from ..db import get_session
from ..domain.evaluate import default_library, default_rule_base
from ..domain.forms import load_forms
from ..metrics import exposition
from ..services.health import database_problem
from . import bp


@bp.get("/healthz")
def alive():
    """The process answers (a load balancer's liveness probe)."""
    return {"status": "alive"}


@bp.get("/metrics")
def metrics_page():
    """Prometheus metrics (route names and counts only: nothing about negotiations or people)."""
    body, content_type = exposition()
    return body, 200, {"Content-Type": content_type}


@bp.get("/readyz")
def ready():
    """Each check by name, ``ok`` or why not; 503 when any fails, so a balancer sends no traffic here."""
    checks = {
        "database": database_problem(session=get_session()),
        "rule_base": _loads(lambda: default_rule_base(current_app.config["RULES_DIR"])),
        "clause_library": _loads(lambda: default_library(current_app.config["CLAUSE_LIBRARY_DIR"])),
        "standard_forms": _loads(load_forms),
        "document_cache": _writable(Path(current_app.config["DOCUMENT_CACHE_DIR"])),
    }
    body = {"status": "ready" if not any(checks.values()) else "not ready"}
    body["checks"] = {name: problem or "ok" for name, problem in checks.items()}
    return body, 200 if body["status"] == "ready" else 503


def _loads(load) -> str | None:
    """Why the data folder does not load (the loader's error class), or None; loaded once per process (cached)."""
    try:
        load()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; the page says which check failed
        return f"cannot be loaded ({type(exc).__name__})"
    return None


def _writable(folder: Path) -> str | None:
    """Why rendered documents cannot be stored, or None (the folder is created on first use)."""
    probe = folder if folder.exists() else folder.parent
    if not os.access(probe, os.W_OK):
        return "document cache folder not writable"
    return None
