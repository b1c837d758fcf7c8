"""The clause library: every clause by topic and agreement type, its params, sources and variants side by side."""

from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")
