"""Logs an operator can follow (issue 19): a request id on every request (taken from ``X-Request-ID`` when a proxy
sends a sane one, else new; echoed in the answer and carried by every log line of the request), one access line per
request (method, path without the query string, status, milliseconds, user id), and plain text or JSON lines
(python-json-logger) by configuration (``ASSISTANT_LOG_FORMAT=json``)."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

from ..metrics import observe_request

SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
access = logging.getLogger("assistant.access")


class Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is written (a CLI runner or a test may replace it), like
    logging's last-resort handler, never to a stream captured once and closed since."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


class RequestId(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
    """Configure the ``assistant`` loggers once per process, and the request id and access line per request."""
    logger = logging.getLogger("assistant")
    if not any(getattr(h, "_assistant", False) for h in logger.handlers):
        handler = Stderr()
        handler._assistant = True  # type: ignore[attr-defined]
        handler.addFilter(RequestId())
        json = str(app.config.get("LOG_FORMAT", "text")).lower() == "json"
        handler.setFormatter(JsonFormatter(JSON_FIELDS) if json else logging.Formatter(TEXT_FORMAT))
        logger.addHandler(handler)
        logger.setLevel(str(app.config.get("LOG_LEVEL", "INFO")).upper())
        logger.propagate = app.testing  # tests read records through pytest's capture; servers log once
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers.setdefault("X-Request-ID", g.get("request_id", ""))
    if not request.path.startswith("/static/"):
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        observe_request(request.endpoint, request.method, response.status_code, elapsed / 1000)
        user = getattr(current_user, "id", None) if current_user and current_user.is_authenticated else None
        access.info(
            "%s %s %s %.0fms",
            request.method,
            request.path,
            response.status_code,
            elapsed,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round(elapsed),
                "user_id": user,
            },
        )
    return response
