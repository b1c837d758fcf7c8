"""The start page: open a negotiation, start a blank one or one from an example."""

from flask import Blueprint

from ..web.guards import signed_in

bp = Blueprint("home", __name__)
bp.before_request(signed_in)
