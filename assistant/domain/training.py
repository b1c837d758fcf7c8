"""The trainers' scenario library (issue 7): curated training scenarios read from ``training/*.yaml``.

Each file carries teaching material (title, summary, objectives, questions, source cases) and a full
scenario in the contract format. Problems are reported by file and field, e.g.
``training/x.yaml: scenario.parties[2].kind: 'army' is not one of state, …``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .advice import Advice
from .loading import DataError, DataProblem, loaded_once, read_folder, validation_problems
from .scenario import Scenario, ScenarioError, parse_scenario
from .vocab import CrisisKind, Phase, Practice

Level = Literal["introductory", "intermediate", "advanced"]
LEVELS: tuple[str, ...] = ("introductory", "intermediate", "advanced")

_Text = Field(min_length=1, max_length=2000)


class TrainingScenario(BaseModel):
    """One curated training scenario: teaching material around a valid contract scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    # The scenario comes first so that crisis_kind and phase can be checked against it.
    scenario: Scenario
    title: str = Field(min_length=1, max_length=200)
    summary: str = _Text
    crisis_kind: CrisisKind
    phase: Phase
    level: Level
    learning_objectives: list[str] = Field(min_length=3, max_length=5)
    practices: list[Practice] = Field(min_length=1)
    discussion_questions: list[str] = Field(min_length=3, max_length=5)
    based_on: str = _Text

    _advice: Advice | None = PrivateAttr(default=None)
    _slug: str = PrivateAttr(default="")

    @property
    def slug(self) -> str:
        """The file's stem (``training/chad_lead_state.yaml`` → ``chad_lead_state``): the scenario's URL name."""
        return self._slug

    @field_validator("scenario", mode="before")
    @classmethod
    def _parse_scenario(cls, value: Any) -> Any:
        if isinstance(value, Scenario):
            return value
        try:
            return parse_scenario(value)
        except ScenarioError as exc:
            raise ValueError(f"not a valid scenario: {exc}") from None

    @field_validator("learning_objectives", "discussion_questions")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        if any(not item.strip() for item in value):
            raise ValueError("items must not be empty")
        return value

    @field_validator("crisis_kind", "phase")
    @classmethod
    def _matches_scenario(cls, value: str, info: ValidationInfo) -> str:
        scenario = info.data.get("scenario")
        if isinstance(scenario, Scenario):
            actual = getattr(scenario.crisis, "kind" if info.field_name == "crisis_kind" else "phase")
            if actual != value:
                key = "kind" if info.field_name == "crisis_kind" else "phase"
                raise PydanticCustomError(
                    "scenario_mismatch", f"{value!r} does not match scenario.crisis.{key} {actual!r}"
                )
        return value

    def advice(self) -> Advice:
        """The rule base's advice for the scenario, computed on first use and cached."""
        if self._advice is None:
            from .evaluate import evaluate

            self._advice = evaluate(self.scenario)
        return self._advice

    def agreement_types(self) -> list[str]:
        """The agreement types the rule base suggests for this scenario."""
        return [a.id for a in self.advice().agreement_types]


def _problems(name: str, data: Any) -> tuple[TrainingScenario | None, list[DataProblem]]:
    if not isinstance(data, dict):
        return None, [DataProblem(name, "", "", "a training scenario must be a mapping of keys to values")]
    problems: list[DataProblem] = []
    fields = dict(data)
    if "scenario" in fields:
        try:
            fields["scenario"] = parse_scenario(fields["scenario"])
        except ScenarioError as exc:
            for p in exc.problems:
                problems.append(DataProblem(name, "", f"scenario.{p.path}" if p.path else "scenario", p.message))
            fields.pop("scenario")
    try:
        item = TrainingScenario.model_validate(fields)
    except ValidationError as exc:
        found = validation_problems(name, "", exc)
        if problems:  # the scenario's own problems are already reported with their paths
            found = [p for p in found if p.field != "scenario"]
        return None, problems + found
    return (None if problems else item), problems


def load_training_library(folder: str | Path) -> list[TrainingScenario]:
    """Read every training scenario of a folder; raise DataError naming each file and field at fault."""
    found, problems = read_folder(Path(folder), "training")
    items: list[TrainingScenario] = []
    titles: dict[str, str] = {}
    for path, name, data in found:
        item, file_problems = _problems(name, data)
        problems += file_problems
        if item is None:
            continue
        item._slug = path.stem
        if item.title in titles:
            problems.append(DataProblem(name, "", "title", f"duplicate title, also in {titles[item.title]}"))
        titles.setdefault(item.title, name)
        items.append(item)
    if problems:
        raise DataError(problems)
    return items


@loaded_once
def default_training_library(folder: str) -> tuple[TrainingScenario, ...]:
    """The training library of a folder, read once per process."""
    return tuple(load_training_library(folder))


def find(items: Iterable[TrainingScenario], slug: str) -> TrainingScenario | None:
    """The training scenario with this slug, if any."""
    return next((item for item in items if item.slug == slug), None)


def filter_library(
    items: Iterable[TrainingScenario],
    agreement_type: str | None = None,
    crisis_kind: str | None = None,
    phase: str | None = None,
    practice: str | None = None,
) -> list[TrainingScenario]:
    """The items matching every given criterion; the agreement type is judged from the rule base's advice."""
    out = []
    for item in items:
        if crisis_kind is not None and item.crisis_kind != crisis_kind:
            continue
        if phase is not None and item.phase != phase:
            continue
        if practice is not None and practice not in item.practices:
            continue
        if agreement_type is not None and agreement_type not in item.agreement_types():
            continue
        out.append(item)
    return out
