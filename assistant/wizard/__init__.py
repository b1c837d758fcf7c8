"""The wizard: context → parties → populations → services and funding → suggestions → draft."""

from flask import Blueprint

bp = Blueprint("wizard", __name__, url_prefix="/negotiations")

from . import views  # noqa: E402, F401 - registers the routes on bp
