"""What-if comparisons (issue 7): change a few facts of a scenario and see what the rule base does differently.

A change is a short, stable token that fits in a URL, e.g. ``phase:post_crisis``,
``consular:somal:embassy``, ``vuln:somal:refugees_or_asylum_seekers:900`` or ``bridging_fund:off``; a
list of tokens reproduces a comparison. ``parse_changes`` checks tokens against a scenario (errors
name the change: ``change 3: 'consular:zz:embassy': 'zz' is not a party (hodara, obaru)``),
``apply_changes`` applies them to a copy of the scenario data, ``what_if`` does both and validates the
result, and ``compare`` sets two answers side by side: per category what was added, removed and changed,
each with the rules behind it, and the redline of the draft.

The modules: ``changes`` (the vocabulary of changes and their parsing), ``apply`` (applying them to scenario
data), ``menus`` (the choices of a form) and ``compare`` (two answers side by side).

Pure: no Flask, no database.
"""

from .apply import Applied, WhatIf, apply_changes, what_if
from .changes import (
    KINDS,
    MAX_CHANGES,
    MAX_TOKEN,
    Change,
    ChangeError,
    build_token,
    parse_change,
    parse_changes,
    with_change,
)
from .compare import CategoryDiff, Comparison, ItemChange, compare, party_names
from .menus import menus

__all__ = [
    "KINDS",
    "MAX_CHANGES",
    "MAX_TOKEN",
    "Applied",
    "CategoryDiff",
    "Change",
    "ChangeError",
    "Comparison",
    "ItemChange",
    "WhatIf",
    "apply_changes",
    "build_token",
    "compare",
    "menus",
    "parse_change",
    "parse_changes",
    "party_names",
    "what_if",
    "with_change",
]
