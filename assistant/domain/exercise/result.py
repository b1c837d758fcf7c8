"""The explained result of one answer sheet: per category the items matched, missed and extra, each with the
rules behind it, and the score."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError


class RuleNote(BaseModel):
    """A rule behind an item: why it is suggested here, or when it would be."""

    id: str
    title: str
    source: str = ""
    rationale: str = ""
    facts: list[str] = []  # the facts it matched here (suggested items)
    conditions: list[str] = []  # what it needs (items no rule suggests here)
    fired_here: bool = False


class ItemResult(BaseModel):
    key: str
    label: str
    note: str = ""
    rules: list[RuleNote] = []
    more_rules: int = 0  # rules left out of ``rules`` to keep the explanation short


class CategoryResult(BaseModel):
    id: str
    title: str
    weight: int
    matched: list[ItemResult] = []
    missed: list[ItemResult] = []
    extra: list[ItemResult] = []
    score: float | None = None  # None: nothing expected and nothing chosen, so the category does not count

    @property
    def expected(self) -> int:
        return len(self.matched) + len(self.missed)

    @property
    def chosen(self) -> int:
        return len(self.matched) + len(self.extra)

    @property
    def counted(self) -> bool:
        return self.score is not None


class ExerciseResult(BaseModel):
    """The explained score of one answer sheet."""

    categories: list[CategoryResult]
    score: float  # 0..1

    @property
    def percent(self) -> int:
        return percent(self.score)

    def category(self, category_id: str) -> CategoryResult | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def computation(self) -> str:
        """The formula with this sheet's numbers: ``(2 × 75 % + 1 × 100 %) ÷ 3 = 83 %``."""
        counted = [c for c in self.categories if c.counted]
        if not counted:
            return "Nothing was expected and nothing chosen: 100 %."
        terms = " + ".join(f"{c.weight} × {percent(c.score or 0)} %" for c in counted)
        return f"({terms}) ÷ {sum(c.weight for c in counted)} = {self.percent} %"

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: Any) -> ExerciseResult | None:
        try:
            return cls.model_validate(data)
        except ValidationError:
            return None


def percent(value: float) -> int:
    """A share as a whole percentage, rounded half up (0.825 → 83)."""
    return int(value * 100 + 0.5 + 1e-9)
