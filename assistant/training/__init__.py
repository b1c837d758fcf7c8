"""Trainer mode (issue 7): the training scenario library, what-if comparisons, presentation, exercises, handouts.

Routes live in one module per area, each owning its templates under ``templates/training/``:

* ``library_views``  — ``/training/`` (browse, filter), ``/training/<slug>`` (one scenario)
* ``present_views``  — ``/training/<slug>/present`` (presentation mode), ``/training/<slug>/handout.pdf``
* ``whatif_views``   — ``/training/<slug>/what-if`` and ``/negotiations/<id>/what-if``
* ``exercise_views`` — ``/training/<slug>/exercises`` (start), ``/training/exercises/<id>`` (do, score),
  ``/training/<slug>/results`` (the trainer's view across trainees)
"""

from flask import Blueprint

bp = Blueprint("training", __name__)

from ..loaders import signed_in  # noqa: E402

bp.before_request(signed_in)

from . import exercise_views, library_views, present_views, whatif_views  # noqa: E402, F401 - register routes
