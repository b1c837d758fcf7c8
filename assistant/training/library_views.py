"""Training: library views (to be written)."""

from __future__ import annotations

from flask import abort

from . import bp


@bp.get("/training/")
def index():
    abort(404)


@bp.get("/training/<slug>")
def show(slug: str):
    abort(404)
