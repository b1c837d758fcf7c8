"""The standard forms appended to Annex B (issue 14, item 4): the claim form and the undertaking to repay, drafted as
data (``clause_library/forms/*.yaml``), validated at load time with problems named by file, id and field, and
rendered in the clause sandbox. Each form carries its source."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .clauses import CLAUSE_ID, _compiled
from .loading import DataError, DataProblem, loaded_once, read_yaml, validation_problems, yaml_files

FORMS_DIR = Path(__file__).resolve().parents[2] / "clause_library" / "forms"


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=CLAUSE_ID)
    title: str = Field(min_length=3)
    source: str = Field(min_length=3)
    body: str = Field(min_length=1)


@loaded_once
def load_forms(folder: str | Path = FORMS_DIR) -> dict[str, Form]:
    """Every form of the folder, by id; a DataError lists every problem found."""
    root = Path(folder)
    forms: dict[str, Form] = {}
    problems: list[DataProblem] = []
    for path in yaml_files(root):
        name, data = read_yaml(path, root.parent.parent)
        if not isinstance(data, list):
            problems.append(DataProblem(name, "", "", "a list of forms is expected"))
            continue
        for i, item in enumerate(data):
            item_id = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            try:
                form = Form.model_validate(item)
            except ValidationError as exc:
                problems += validation_problems(name, str(item_id), exc)
                continue
            if form.id in forms:
                problems.append(DataProblem(name, form.id, "id", "duplicate form id"))
            forms[form.id] = form
            try:
                _compiled(form.body)
            except Exception as exc:  # a template syntax error names its form
                problems.append(DataProblem(name, form.id, "body", f"not a valid template: {exc}"))
    if problems:
        raise DataError(problems)
    return forms


def render_form(form_id: str, number: int, folder: str | Path = FORMS_DIR, *, record_years: int = 5) -> str:
    """A form's text, numbered in the Appendix (``folder``: the forms checked, as ``assistant rules check`` reads
    them); ``record_years``: the years for which supporting documents of costs are kept for audit, as the data
    protocol keeps them (its ``cost_record_years``), so that the claim form cites one period, not "the period that
    the instrument sets" (round 16)."""
    return _compiled(load_forms(folder)[form_id].body).render(n=number, record_years=record_years)
