"""Training: exercise views (to be written)."""

from __future__ import annotations

from flask import abort

from . import bp


@bp.post("/training/<slug>/exercises")
def exercise_start(slug: str):
    abort(404)


@bp.route("/training/exercises/<int:attempt_id>", methods=["GET", "POST"])
def exercise(attempt_id: int):
    abort(404)


@bp.get("/training/<slug>/results")
def results(slug: str):
    abort(404)
