"""A set of deliberately broken rule files: `assistant rules check` names file, rule id and field for each."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main

BAD = Path(__file__).resolve().parent / "data" / "bad_rules"
FILES = sorted(BAD.glob("*.yaml"))


def expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: ")
    return first.removeprefix("# expect: ")


def test_there_are_at_least_ten():
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_rules_check_reports_the_problem(tmp_path, path):
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(path, rules / path.name)
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(rules)])
    assert result.exit_code == 1, result.output
    assert expected(path) in result.stderr, result.stderr
    assert "Traceback" not in result.output
