"""Negotiation among the parties: each party's positions and private notes, and the consensus matrix."""

from flask import Blueprint

bp = Blueprint("positions", __name__, url_prefix="/negotiations")

from ..loaders import signed_in  # noqa: E402

bp.before_request(signed_in)

from . import views  # noqa: E402, F401 - registers the routes on bp
