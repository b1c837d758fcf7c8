"""Error pages: a clear message, never a traceback, in full pages and htmx fragments alike."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..domain.engine import EngineError, EvaluationTimeout

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    413: "What you sent is too large.",
    429: "Too many requests in a short time. Wait a little, then try again; nothing was changed.",
}


def _page(status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        return {"error": title, "message": message}, status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _http(exc: HTTPException):
    status = exc.code or 500
    return _page(status, exc.name, MESSAGES.get(status, exc.description or ""))


def _csrf(exc: CSRFError):
    return _page(
        400,
        "Form expired",
        "The form was sent without a valid security token (it may have expired). "
        "Go back, reload the page and send it again; nothing was changed.",
    )


def _rollback() -> None:
    """Undo what the request's database session left half done (a failed write leaves its transaction to roll
    back), so that the error page, which reads the signed-in user, can use the database again."""
    session = g.get("db")
    if session is None:
        return
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - the connection itself is gone: start the page on a fresh session
        log.exception("rollback after an unexpected error failed")
        g.pop("db", None)
        session.close()


def _engine(exc: EngineError):
    """An evaluation that timed out (503, try again) or that the rule engine cannot do (422): a clear message."""
    log.warning("evaluation failed on %s: %s", request.path, exc)
    if isinstance(exc, EvaluationTimeout):
        response = _page(503, "Evaluation took too long", timeout_message(exc))
        return response[0], 503, {"Retry-After": "5"}
    return _page(422, "Cannot evaluate this scenario", f"The rule engine cannot evaluate this scenario: {exc}.")


def timeout_message(exc: EvaluationTimeout) -> str:
    return (
        f"The assistant stopped evaluating this scenario after {exc.budget:g} s (the server may be busy). "
        "Nothing was changed; try again in a moment."
    )


def _unexpected(exc: Exception):
    log.exception("unexpected error on %s", request.path)
    _rollback()
    return _page(
        500, "Unexpected error", "Something went wrong on our side; nothing you entered was lost. Please try again."
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(EngineError, _engine)
    app.register_error_handler(Exception, _unexpected)
