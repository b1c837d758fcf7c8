"""URL converters: ``<int:…>`` with an upper bound, app-wide.

Werkzeug's ``int`` converter takes any number of digits; an id of 2**63 or more then reached the database
(SQLite and PostgreSQL integers are 64-bit) and the request ended in a 500. Ids beyond the largest the
database can hold name nothing: 404.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1  # the largest signed 64-bit integer: SQLite's INTEGER and PostgreSQL's BIGINT


class BoundedIntegerConverter(IntegerConverter):
    """``int`` with ``max=MAX_ID`` unless the rule gives its own (``<int(max=10):n>``)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
