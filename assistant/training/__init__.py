"""Trainer mode (issue 7): the training scenario library, what-if comparisons, presentation, exercises, handouts
(routes in ``views``, one module per area)."""

from flask import Blueprint

from ..web.guards import signed_in

bp = Blueprint("training", __name__)
bp.before_request(signed_in)
