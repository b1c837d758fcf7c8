"""The Agreement Assistant: negotiate MICIC Guideline 7 coordination agreements before the next crisis."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import ROOT, configure, time_budget_from
from .documents.cache import DocumentCache
from .domain.engine import set_time_budget
from .web.converters import BoundedIntegerConverter

# Each blueprint is a package: ``__init__.py`` defines ``bp``, ``views`` declares its routes on it.
BLUEPRINTS = (
    "auth",
    "home",
    "wizard",
    "documents",
    "api",
    "rulebook",
    "library",
    "versions",
    "positions",
    "team",
    "training",
    "health",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: configuration, extensions and blueprints; nothing else happens here."""
    # The instance folder (database, secret key, documents): ./instance, or ASSISTANT_INSTANCE_PATH (absolute).
    instance = os.environ.get("ASSISTANT_INSTANCE_PATH") or None
    app = Flask(
        __name__, instance_path=instance, instance_relative_config=True, template_folder=str(ROOT / "templates")
    )
    configure(app, test_config)
    proxies = {k: int(app.config[f"PROXY_FIX_{k.upper()}"] or 0) for k in ("x_for", "x_proto", "x_host")}
    if any(proxies.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **proxies)  # type: ignore[method-assign]
    app.url_map.converters["int"] = BoundedIntegerConverter  # before any route: ids >= 2**63 are 404, not 500
    set_time_budget(time_budget_from(app.config["EVALUATION_TIME_BUDGET"]))  # per process, as the engine is
    app.extensions["assistant.documents"] = DocumentCache(
        Path(app.config["DOCUMENT_CACHE_DIR"]),
        queue_max=app.config["RENDER_QUEUE_MAX"],
        per_user=app.config["RENDER_PER_USER"],
        max_bytes=app.config["DOCUMENT_CACHE_MAX_BYTES"],
    )

    from . import auth, db, web
    from .web import errors, logs

    db.init_app(app)
    web.init_app(app)
    errors.init_app(app)
    logs.init_app(app)
    auth.init_app(app)
    for name in BLUEPRINTS:
        import_module(f"{__name__}.{name}.views")  # the routes, declared on the package's blueprint
        app.register_blueprint(import_module(f"{__name__}.{name}").bp)
    return app
