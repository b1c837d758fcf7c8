"""JSON API: the same answer as the CLI, over HTTP. It stores nothing."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from ..domain.evaluate import default_library, default_rule_base, evaluate
from ..domain.scenario import ScenarioError, parse_scenario
from ..web import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.post("/advice")
@csrf.exempt  # a JSON API called by other tools, not a browser form; it changes nothing
def advice():
    """Evaluate the scenario in the body; 422 with the path of every problem on bad input."""
    data = request.get_json(silent=True)
    if data is None:
        return {"error": "invalid_json", "problems": [{"path": "", "message": "the body must be a JSON object"}]}, 422
    try:
        scenario = parse_scenario(data)
    except ScenarioError as exc:
        return {
            "error": "invalid_scenario",
            "problems": [{"path": p.path, "message": p.message} for p in exc.problems],
        }, 422
    result = evaluate(
        scenario,
        rule_base=default_rule_base(current_app.config["RULES_DIR"]),
        library=default_library(current_app.config["CLAUSE_LIBRARY_DIR"]),
    )
    return result.to_contract()
