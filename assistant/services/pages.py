"""Lists shown a page at a time: the cost of a page does not grow with the number of rows (issue 20)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, its number (from 1), how many per page and how many in all."""

    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paginate(session: Session, query: Any, *, page: int, per_page: int) -> Page:
    """The page ``page`` of an ordered query (a page past the last shows the last, one before the first the first),
    with the number of rows the query selects."""
    total = session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    per_page = max(1, per_page)
    number = min(max(1, page), max(1, -(-total // per_page)))
    items = list(session.exec(query.offset((number - 1) * per_page).limit(per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total)


def page_number(value: str | None) -> int:
    """A page number from a query string: anything but a number is the first page; absurd ones are bounded."""
    try:
        return min(max(int(value or "1"), 1), 1_000_000)
    except ValueError:
        return 1
