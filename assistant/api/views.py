"""Routes of the JSON API: the same answer as the CLI, over HTTP. It stores nothing.

Callers are signed in (the browser session) or send ``Authorization: Bearer <token>`` with the token of
``assistant users token NAME``; calls are limited per account (``API_RATE_LIMIT``).
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..db import get_session
from ..domain.draft_check import checked_answer
from ..domain.engine import EngineError, EvaluationTimeout
from ..domain.safe_yaml import UnsafeInput, check_data
from ..domain.scenario import ScenarioError, parse_scenario
from ..models import User
from ..services.advice import advice_on
from ..services.people import user_for_api_token
from ..web import csrf, limiter
from ..web.errors import timeout_message
from . import bp
from .openapi import document


def caller() -> User | None:
    """The account calling: the bearer token's when there is an Authorization header (a wrong token is not
    made good by a session), else the signed-in user's; None for nobody (cached for the request)."""
    if "api_caller" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme:
            bearer = scheme.lower() == "bearer"
            user = user_for_api_token(session=get_session(), token=token.strip()) if bearer else None
        else:
            user = current_user._get_current_object() if current_user.is_authenticated else None
        g.api_caller = user
    return g.api_caller


def _rate_key() -> str:
    """Count per account; calls without one are counted per address (and refused)."""
    user = caller()
    return f"api-user:{user.id}" if user is not None else f"api-anonymous:{get_remote_address()}"


@bp.post("/advice")
@csrf.exempt  # a JSON API called by other tools, not a browser form; it changes nothing
@limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_rate_key)
def advice():
    """Evaluate the scenario in the body; 422 with the path of every problem on bad input."""
    if caller() is None:
        return (
            {
                "error": "unauthorized",
                "message": "Sign in, or send an API token: Authorization: Bearer <token> "
                "(an administrator issues one with `assistant users token NAME`).",
            },
            401,
            {"WWW-Authenticate": 'Bearer realm="api"'},
        )
    data, problem = _body()
    if problem:
        return {"error": "invalid_json", "problems": [{"path": "", "message": problem}]}, 422
    try:
        scenario = parse_scenario(data)
    except ScenarioError as exc:
        return {
            "error": "invalid_scenario",
            "problems": [{"path": p.path, "message": p.message} for p in exc.problems],
        }, 422
    try:  # through the advice cache the wizard uses: the same scenario is evaluated once
        result = advice_on(
            data, rules_dir=current_app.config["RULES_DIR"], library_dir=current_app.config["CLAUSE_LIBRARY_DIR"]
        )
    except EvaluationTimeout as exc:
        return {"error": "evaluation_timeout", "message": timeout_message(exc)}, 503, {"Retry-After": "5"}
    except EngineError as exc:
        message = f"the rule engine cannot evaluate this scenario: {exc}"
        return {"error": "not_evaluable", "problems": [{"path": "", "message": message}]}, 422
    return checked_answer(result.to_contract(), scenario)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public: it describes, it answers nothing about anyone)."""
    return document()


def _body() -> tuple[Any, str]:
    """The JSON body as plain data held to the limits of user-supplied input (``safe_yaml``), or a problem:
    not JSON (nesting so deep that Python's parser gives up included), or beyond the limits."""
    if not request.is_json:
        return None, "the body must be a JSON object"
    try:
        data = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return None, "the body must be a JSON object"
    try:
        check_data(data)
    except UnsafeInput as exc:
        return None, f"the body is refused: {exc.reason}"
    return data, ""
