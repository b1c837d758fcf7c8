"""Training: present views (to be written)."""

from __future__ import annotations

from flask import abort

from . import bp


@bp.get("/training/<slug>/present")
def present(slug: str):
    abort(404)


@bp.get("/training/<slug>/handout.pdf")
def handout(slug: str):
    abort(404)
