"""What the training views share: the library of the configured folder, and one scenario or 404."""

from __future__ import annotations

from flask import abort, current_app

from ..domain.training import TrainingScenario, default_training_library, find


def library() -> tuple[TrainingScenario, ...]:
    """Every training scenario of the configured folder (read once per process)."""
    return default_training_library(current_app.config["TRAINING_DIR"])


def scenario_or_404(slug: str) -> TrainingScenario:
    """The training scenario with this slug, or 404."""
    found = find(library(), slug)
    if found is None:
        abort(404)
    return found
