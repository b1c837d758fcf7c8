"""The rule book: every rule with its reason, source, examples and how often it fires on the examples."""

from flask import Blueprint

bp = Blueprint("rulebook", __name__, url_prefix="/rules")
