"""Training: whatif views (to be written)."""

from __future__ import annotations

from flask import abort

from . import bp


@bp.get("/training/<slug>/what-if")
def whatif(slug: str):
    abort(404)


@bp.get("/negotiations/<int:negotiation_id>/what-if")
def negotiation_whatif(negotiation_id: int):
    abort(404)
