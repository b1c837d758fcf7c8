"""Helpers the views share: load a negotiation or 404, and compute its advice."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, redirect, request, url_for
from flask_login import current_user

from ..db import get_session
from ..domain.advice import Advice
from ..domain.engine import EngineError, EvaluationTimeout
from ..domain.scenario import Problem, ScenarioError
from ..models import Negotiation
from ..services.advice import advise
from ..services.negotiations import get_negotiation
from .access import can, require
from .errors import timeout_message


def negotiation_or_404(negotiation_id: int, action: str = "view") -> Negotiation:
    """The negotiation with this id, if the signed-in user may do ``action`` in it; else 404 or 403."""
    negotiation = get_negotiation(session=get_session(), negotiation_id=negotiation_id)
    if negotiation is None:
        abort(404)
    if not can(current_user, "view", negotiation):
        abort(404)  # do not tell strangers that the negotiation exists
    require(action, negotiation)
    return negotiation


def signed_in() -> Response | None:
    """A blueprint hook: anonymous visitors go to the login page (JSON clients get 401)."""
    if current_user.is_authenticated:
        return None
    if request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path))
    abort(401)


def negotiation_advice(negotiation: Negotiation, data: dict[str, Any] | None = None) -> Advice:
    """The advice on the negotiation (or on ``data``, a changed copy of its scenario) with its choices and
    positions, under the app's rule base and library; raises ScenarioError if the scenario is incomplete."""
    return advise(
        session=get_session(),
        negotiation=negotiation,
        rules_dir=current_app.config["RULES_DIR"],
        library_dir=current_app.config["CLAUSE_LIBRARY_DIR"],
        data=data,
    )


def advice_for(negotiation: Negotiation, data: dict[str, Any] | None = None) -> tuple[Advice | None, list[Problem]]:
    """The advice on the negotiation (or on ``data``), or the problems that keep it from being evaluated."""
    try:
        return negotiation_advice(negotiation, data), []
    except ScenarioError as exc:
        return None, exc.problems
    except EvaluationTimeout as exc:  # the page still opens, so the scenario can be edited
        return None, [Problem("", timeout_message(exc))]
    except EngineError as exc:
        return None, [Problem("", f"the rule engine cannot evaluate this scenario: {exc}")]
