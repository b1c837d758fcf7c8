"""Helpers the views share: load a negotiation or 404, and compute its advice."""

from __future__ import annotations

from flask import abort, current_app

from .db import get_session
from .domain.advice import Advice
from .domain.scenario import Problem, ScenarioError
from .models import Negotiation
from .services import advise, get_negotiation


def negotiation_or_404(negotiation_id: int) -> Negotiation:
    """The negotiation with this id; 404 if there is none."""
    negotiation = get_negotiation(session=get_session(), negotiation_id=negotiation_id)
    if negotiation is None:
        abort(404)
    return negotiation


def advice_for(negotiation: Negotiation) -> tuple[Advice | None, list[Problem]]:
    """The advice on the negotiation, or the problems that keep the scenario from being evaluated."""
    try:
        return advise(
            session=get_session(),
            negotiation=negotiation,
            rules_dir=current_app.config["RULES_DIR"],
            library_dir=current_app.config["CLAUSE_LIBRARY_DIR"],
        ), []
    except ScenarioError as exc:
        return None, exc.problems
