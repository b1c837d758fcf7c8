"""Draft versions: the list, each version with its comment threads and legal review, and redlines
between any two versions (page and PDF)."""

from flask import Blueprint

from ..web.guards import signed_in

bp = Blueprint("versions", __name__, url_prefix="/negotiations")
bp.before_request(signed_in)
