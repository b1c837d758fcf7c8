"""The trainer's routes, one module per area, each owning its templates under ``templates/training/``:

* ``library``  — ``/training/`` (browse, filter), ``/training/<slug>`` (one scenario)
* ``present``  — ``/training/<slug>/present`` (presentation mode), ``/training/<slug>/handout.pdf``
* ``whatif``   — ``/training/<slug>/what-if`` and ``/negotiations/<id>/what-if``
* ``exercise`` — ``/training/<slug>/exercises`` (start), ``/training/exercises/<id>`` (do, score),
  ``/training/<slug>/results`` (the trainer's view across trainees)
"""

from .. import bp
from . import exercise, library, present, whatif

__all__ = ["bp", "exercise", "library", "present", "whatif"]
