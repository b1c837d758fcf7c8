"""The trainers' scenario library (issue 7): it loads, covers the contract and filters correctly."""

from __future__ import annotations

import shutil

import pytest
import yaml

from assistant.domain.evaluate import ROOT
from assistant.domain.loading import DataError
from assistant.domain.training import TrainingScenario, filter_library, load_training_library
from assistant.domain.vocab import AGREEMENT_TYPES, PRACTICES, RISK_FLAGS

FOLDER = ROOT / "training"
LIBRARY = load_training_library(FOLDER)
ITEMS = {item.title: item for item in LIBRARY}


def test_library_loads_with_at_least_eight_scenarios():
    assert len(LIBRARY) >= 8
    assert len(ITEMS) == len(LIBRARY)
    assert all(isinstance(item, TrainingScenario) for item in LIBRARY)


@pytest.mark.parametrize("agreement_type", AGREEMENT_TYPES)
def test_every_agreement_type_is_suggested_somewhere(agreement_type):
    assert any(agreement_type in item.agreement_types() for item in LIBRARY)


@pytest.mark.parametrize("flag", RISK_FLAGS)
def test_every_risk_flag_is_raised_somewhere(flag):
    assert any(flag in {f.id for f in item.advice().risk_flags} for item in LIBRARY)


@pytest.mark.parametrize("title", sorted(ITEMS))
def test_listed_practices_are_suggested_for_the_scenario(title):
    item = ITEMS[title]
    suggested = {p.id for p in item.advice().practices}
    assert set(item.practices) <= suggested, set(item.practices) - suggested


@pytest.mark.parametrize("title", sorted(ITEMS))
def test_teaching_material_is_complete(title):
    item = ITEMS[title]
    assert 3 <= len(item.learning_objectives) <= 5
    assert 3 <= len(item.discussion_questions) <= 5
    assert all(q.rstrip().endswith("?") for q in item.discussion_questions)
    assert item.scenario.crisis.kind == item.crisis_kind
    assert item.scenario.crisis.phase == item.phase


def test_advice_is_computed_once_and_cached():
    item = LIBRARY[0]
    assert item.advice() is item.advice()


def test_no_filter_returns_everything():
    assert filter_library(LIBRARY) == LIBRARY


@pytest.mark.parametrize("agreement_type", AGREEMENT_TYPES)
def test_filter_by_agreement_type(agreement_type):
    expected = [i for i in LIBRARY if agreement_type in {a.id for a in i.advice().agreement_types}]
    got = filter_library(LIBRARY, agreement_type=agreement_type)
    assert got == expected
    assert len(got) > 0


def test_filter_by_crisis_kind_phase_and_practice():
    kinds = {i.crisis_kind for i in LIBRARY}
    assert len(kinds) >= 3
    for kind in kinds:
        assert filter_library(LIBRARY, crisis_kind=kind) == [i for i in LIBRARY if i.crisis_kind == kind]
    for phase in {i.phase for i in LIBRARY}:
        assert filter_library(LIBRARY, phase=phase) == [i for i in LIBRARY if i.phase == phase]
    for practice in PRACTICES:
        assert filter_library(LIBRARY, practice=practice) == [i for i in LIBRARY if practice in i.practices]


def test_filters_combine():
    item = LIBRARY[0]
    agreement_type = item.agreement_types()[0]
    got = filter_library(
        LIBRARY,
        agreement_type=agreement_type,
        crisis_kind=item.crisis_kind,
        phase=item.phase,
        practice=item.practices[0],
    )
    expected = [
        i
        for i in LIBRARY
        if agreement_type in i.agreement_types()
        and i.crisis_kind == item.crisis_kind
        and i.phase == item.phase
        and item.practices[0] in i.practices
    ]
    assert item in got
    assert got == expected
    assert len(got) < len(LIBRARY)
    assert filter_library(LIBRARY, crisis_kind="technological") == []


def _broken_copy(tmp_path, change):
    folder = tmp_path / "training"
    folder.mkdir()
    source = sorted(FOLDER.glob("*.yaml"))[0]
    shutil.copy(source, folder / source.name)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    (folder / "broken.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_training_library(folder)
    return str(exc.value)


def test_broken_scenario_is_reported_with_file_and_path(tmp_path):
    def change(data):
        data["scenario"]["parties"][2]["kind"] = "army"

    message = _broken_copy(tmp_path, change)
    assert "training/broken.yaml: scenario.parties[2].kind: 'army' is not one of" in message
    assert "scenario:" not in message.replace("scenario.", "")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(level="expert"), "training/broken.yaml: level: 'expert' is not one of"),
        (lambda d: d.update(colour="red"), "training/broken.yaml: colour: unknown field"),
        (
            lambda d: d["practices"].append("sharing_is_caring"),
            "training/broken.yaml: practices[{n}]: 'sharing_is_caring'",
        ),
        (lambda d: d.pop("summary"), "training/broken.yaml: summary: is required"),
        (
            lambda d: d.update(crisis_kind="epidemic"),
            "training/broken.yaml: crisis_kind: 'epidemic' does not match scenario.crisis.kind",
        ),
    ],
)
def test_broken_training_fields_are_named(tmp_path, change, expected):
    holder = {}

    def apply(data):
        holder["n"] = len(data["practices"])
        change(data)

    message = _broken_copy(tmp_path, apply)
    assert expected.format(n=holder["n"]) in message


def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(DataError, match="training folder not found"):
        load_training_library(tmp_path / "nowhere")
