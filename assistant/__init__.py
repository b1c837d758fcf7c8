"""The Agreement Assistant: negotiate MICIC Guideline 7 coordination agreements before the next crisis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from .config import ROOT, configure, time_budget_from
from .converters import BoundedIntegerConverter
from .doccache import DocumentCache
from .domain.engine import set_time_budget


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: configuration, extensions and blueprints; nothing else happens here."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(ROOT / "templates"))
    configure(app, test_config)
    app.url_map.converters["int"] = BoundedIntegerConverter  # before any route: ids >= 2**63 are 404, not 500
    set_time_budget(time_budget_from(app.config["EVALUATION_TIME_BUDGET"]))  # per process, as the engine is
    app.extensions["assistant.documents"] = DocumentCache(
        Path(app.config["DOCUMENT_CACHE_DIR"]),
        queue_max=app.config["RENDER_QUEUE_MAX"],
        per_user=app.config["RENDER_PER_USER"],
        max_bytes=app.config["DOCUMENT_CACHE_MAX_BYTES"],
    )

    from . import auth, db, errors, web
    from .api import bp as api_bp
    from .documents import bp as documents_bp
    from .home import bp as home_bp
    from .library import bp as library_bp
    from .positions import bp as positions_bp
    from .rulebook import bp as rulebook_bp
    from .team import bp as team_bp
    from .training import bp as training_bp
    from .versions import bp as versions_bp
    from .wizard import bp as wizard_bp

    db.init_app(app)
    web.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    app.register_blueprint(home_bp)
    app.register_blueprint(wizard_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(rulebook_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(versions_bp)
    app.register_blueprint(positions_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(training_bp)
    return app
