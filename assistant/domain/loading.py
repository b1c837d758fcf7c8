"""Read data files (rules, clauses) with ``yaml.safe_load`` and report problems by file, id and field."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from .scenario import error_message, format_path

T = TypeVar("T")


def loaded_once(load: Callable[..., T]) -> Callable[..., T]:
    """``functools.cache`` for a data folder's loader, that also loads it once when several threads ask at the
    same time: the first request of a threaded server (``flask run``, or a worker that was not warmed) would
    otherwise load the rule base and the clause library once per concurrent request, about two seconds of
    processor time each (four hostile requests took 11-14 s before)."""
    cached = cache(load)
    lock = threading.Lock()

    @wraps(load)
    def once(*args: Any, **kwargs: Any) -> T:
        with lock:
            return cached(*args, **kwargs)

    once.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return once


@dataclass(frozen=True)
class DataProblem:
    """A problem in a data file: ``rules/evacuation.yaml: evac.lead: when.io.kindd: unknown field``."""

    file: str
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.item, self.field, self.message) if part)


class DataError(ValueError):
    """Rule or clause files that do not follow their schema; ``problems`` lists each one."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_yaml(path: Path, root: Path | None = None) -> tuple[str, Any]:
    """Return the display name and the parsed content of a YAML file, or raise DataError."""
    name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        return name, yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise DataError([DataProblem(name, "", where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError([DataProblem(name, "", "", f"cannot read: {exc}")]) from None


def yaml_files(folder: Path) -> Iterator[Path]:
    """The YAML files of a folder, in a stable order."""
    yield from sorted(p for p in folder.glob("*.y*ml") if p.is_file())


def validation_problems(file: str, item: str, exc: ValidationError) -> list[DataProblem]:
    """Translate a pydantic error into problems that name the file, the item and the field."""
    out = []
    for err in exc.errors():
        msg = "unknown field" if err["type"] == "extra_forbidden" else error_message(err)
        out.append(DataProblem(file, item, format_path(tuple(err["loc"])), msg))
    return out


def read_folder(folder: Path, what: str) -> tuple[list[tuple[Path, str, Any]], list[DataProblem]]:
    """Every YAML file of a folder as (path, display name, content), and the files that could not be read."""
    if not folder.is_dir():
        raise DataError([DataProblem(str(folder), "", "", f"{what} folder not found")])
    found, problems = [], []
    for path in yaml_files(folder):
        try:
            name, data = read_yaml(path, folder.parent)
        except DataError as exc:
            problems += exc.problems
            continue
        found.append((path, name, data))
    return found, problems
