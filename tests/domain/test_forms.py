"""The standard forms are data (clause_library/forms/*.yaml): validated at load time, problems named by file, id and
field; rendered in the clause sandbox; each carries its source."""

from __future__ import annotations

import pytest

from assistant.domain.forms import load_forms, render_form
from assistant.domain.loading import DataError


def test_the_shipped_forms_load_and_render_numbered() -> None:
    forms = load_forms()
    assert set(forms) >= {"claim_form", "undertaking_form"}
    assert all("2015/637" in f.source for f in forms.values())
    undertaking = render_form("undertaking_form", 2)
    assert undertaking.startswith("Form 2. Standard form of undertaking to repay")
    # round 15 (covid_repatriation): signed before money is lent only outside an evacuation, never a condition of
    # life-saving assistance, as the repayment article says
    assert "outside a Relocation or Evacuation, the undertaking is signed before it is paid" in undertaking
    assert "no Relocation, Evacuation or other life-saving assistance is made conditional on it" in undertaking


def test_a_bad_form_file_names_file_id_and_field(tmp_path) -> None:
    folder = tmp_path / "clause_library" / "forms"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text(
        "- id: claim_form\n  title: Claim\n  source: x\n  body: ''\n  colour: red\n"
        "- id: other_form\n  title: Other form\n  source: somewhere\n  body: '{% if %}'\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_forms.__wrapped__(folder)  # the uncached loader
    text = str(err.value)
    assert "forms/bad.yaml: claim_form: colour: unknown field" in text
    assert "forms/bad.yaml: claim_form: source" in text
    assert "forms/bad.yaml: other_form: body: not a valid template" in text


def test_a_form_file_that_is_not_a_list_is_refused(tmp_path) -> None:
    folder = tmp_path / "clause_library" / "forms"
    folder.mkdir(parents=True)
    (folder / "x.yaml").write_text("id: claim_form\n", encoding="utf-8")
    with pytest.raises(DataError, match="a list of forms is expected"):
        load_forms.__wrapped__(folder)
