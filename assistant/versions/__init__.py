"""Draft versions: the list, each version with its comment threads and legal review, and redlines
between any two versions (page and PDF)."""

from flask import Blueprint

bp = Blueprint("versions", __name__, url_prefix="/negotiations")

from ..loaders import signed_in  # noqa: E402

bp.before_request(signed_in)

from . import views  # noqa: E402, F401 - registers the routes on bp
