"""The people of a negotiation: members, invitation links (create, copy, revoke), and the audit trail."""

from flask import Blueprint

from ..web.guards import signed_in

bp = Blueprint("team", __name__, url_prefix="/negotiations")
bp.before_request(signed_in)
