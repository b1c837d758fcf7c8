"""The wizard: context → parties → populations → services and funding → suggestions → draft."""

from flask import Blueprint

from ..web.guards import signed_in
from . import forms

bp = Blueprint("wizard", __name__, url_prefix="/negotiations")
bp.before_request(signed_in)

# The wizard's form helpers, for every template (the start page and the team page show wizard steps too).
for _name, _value in {
    "forms": forms,
    "value_at": forms.get_path,
    "errors_under": forms.errors_under,
    "nationality_choices": forms.nationality_choices,
    "owner_step": forms.owner_step,
    "party_name": forms.party_name,
}.items():
    bp.add_app_template_global(_value, _name)
