"""JSON API: the same answer as the CLI, over HTTP. It stores nothing.

Callers are signed in (the browser session) or send ``Authorization: Bearer <token>`` with the token of
``assistant users token NAME``; calls are limited per account (``API_RATE_LIMIT``)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
