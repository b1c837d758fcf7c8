"""Documents: the draft as HTML, PDF (WeasyPrint), Word and JSON, the redline between versions, and the cache
through which every PDF is rendered; the blueprint serves the downloads (routes in ``views``).

``render`` (HTML, PDF, JSON), ``word`` (DOCX), ``redline`` (the redline page and PDF), ``cache`` (the document
cache and its render queue).
"""

from flask import Blueprint

from ..web.guards import signed_in

bp = Blueprint("documents", __name__, url_prefix="/negotiations")
bp.before_request(signed_in)
