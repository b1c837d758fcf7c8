"""Negotiation among the parties: each party's positions and private notes, and the consensus matrix."""

from flask import Blueprint

from ..web.guards import signed_in

bp = Blueprint("positions", __name__, url_prefix="/negotiations")
bp.before_request(signed_in)
