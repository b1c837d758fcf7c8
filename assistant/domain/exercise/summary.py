"""Submitted attempts of one exercise taken together: the trainer's view."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from .result import ExerciseResult, RuleNote
from .sheet import CATEGORIES


class ItemCount(BaseModel):
    """An item many trainees missed (or added): how often, and the rules behind it."""

    category: str
    category_title: str
    key: str
    label: str
    count: int
    rules: list[RuleNote] = []


class Summary(BaseModel):
    """Submitted attempts of one exercise, taken together: the trainer's view."""

    attempts: int
    mean: float | None = None
    median: float | None = None
    category_means: dict[str, float | None] = {}
    most_missed: list[ItemCount] = []
    most_added: list[ItemCount] = []


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _most_frequent(results: list[ExerciseResult], side: str, limit: int) -> list[ItemCount]:
    counts: dict[tuple[str, str], ItemCount] = {}
    for result in results:
        for category in result.categories:
            for item in getattr(category, side):
                found = counts.setdefault(
                    (category.id, item.key),
                    ItemCount(
                        category=category.id,
                        category_title=category.title,
                        key=item.key,
                        label=item.label,
                        count=0,
                        rules=item.rules,
                    ),
                )
                found.count += 1
    order = {c.id: i for i, c in enumerate(CATEGORIES)}
    ranked = sorted(counts.values(), key=lambda c: (-c.count, order.get(c.category, 99), c.label))
    return ranked[:limit]


def summarize(results: Iterable[ExerciseResult], limit: int = 10) -> Summary:
    """Mean and median score, mean per category, and the items most often missed and most often added."""
    results = list(results)
    if not results:
        return Summary(attempts=0)
    scores = [r.score for r in results]
    means: dict[str, float | None] = {}
    for cat in CATEGORIES:
        counted = [c.score for r in results if (c := r.category(cat.id)) is not None and c.score is not None]
        means[cat.id] = sum(counted) / len(counted) if counted else None
    return Summary(
        attempts=len(results),
        mean=sum(scores) / len(scores),
        median=_median(scores),
        category_means=means,
        most_missed=_most_frequent(results, "missed", limit),
        most_added=_most_frequent(results, "extra", limit),
    )
