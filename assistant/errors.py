"""Error pages: a clear message, never a traceback, in full pages and htmx fragments alike."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def _unexpected(exc: Exception):
    log.exception("unexpected error on %s", request.path)
    return _page(
        500, "Unexpected error", "Something went wrong on our side; nothing you entered was lost. Please try again."
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
