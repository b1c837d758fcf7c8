"""`assistant check DRAFT.json` and `assistant draft … --check` (issue 16): a finding per line and a summary; exit 1
on any error, 0 otherwise, 2 with a message (never a traceback) on a file that is not a draft."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from assistant.cli import main
from tests.helpers import ROOT

BAD = ROOT / "tests" / "data" / "bad_drafts"
BROKEN = sorted(p for p in BAD.glob("*.json") if not p.name.endswith(".expect.json"))
SEVERITIES = ("error", "warning", "open_point")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def finding_lines(output: str) -> list[list[str]]:
    """Each finding line split into severity, place, '[check] message …'."""
    return [line.split(": ", 2) for line in output.splitlines() if line.split(": ", 1)[0] in SEVERITIES]


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_a_broken_draft_exits_1_naming_the_place_and_the_check(path):
    expected = json.loads(path.with_suffix(".expect.json").read_text())
    result = run("check", path)
    lines = finding_lines(result.stdout)
    assert result.stdout.splitlines()[-1].startswith("Draft check: ")
    if not expected["errors"]:
        assert result.exit_code == 0, result.stdout
        assert not [x for x in lines if x[0] == "error"]
        for p in expected["open_points"]:
            assert ["open_point", p["place"]] in [x[:2] for x in lines]
        return
    assert result.exit_code == 1, result.stdout
    for e in expected["errors"]:
        assert any(
            x[0] == "error" and x[1] == e["place"] and x[2].startswith(f"[{e['check']}] ") and e["contains"] in x[2]
            for x in lines
        ), (e, result.stdout)
    assert "0 errors" not in result.stdout.splitlines()[-1]


def test_a_fresh_draft_written_as_json_checks_clean_and_edited_holes_are_open_points(tmp_path):
    out = tmp_path / "d.json"
    assert run("draft", ROOT / "scenarios" / "consular_reciprocity.yaml", "-o", out).exit_code == 0
    result = run("check", out)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("Draft check: 0 errors")
    assert any(x[0] == "open_point" for x in finding_lines(result.stdout))
    # the draft object alone, as a person may keep it, reads as well
    alone = tmp_path / "alone.json"
    alone.write_text(json.dumps(json.loads(out.read_text())["draft"]))
    assert run("check", alone).stdout == result.stdout


def test_draft_with_check_reports_on_stderr_and_keeps_stdout_for_the_draft():
    result = run("draft", ROOT / "scenarios" / "consular_reciprocity.yaml", "--check")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["draft"]["articles"]
    assert result.stderr.splitlines()[-1].startswith("Draft check: 0 errors")


def test_draft_with_check_exits_1_when_the_draft_has_an_error(tmp_path, monkeypatch):
    from assistant.domain import draft_check

    real = draft_check.check_draft

    def with_a_break(data, scenario=None, advice=None):
        data = json.loads(json.dumps(data))
        data["articles"][2]["text"] += " As Article 99 provides."
        return real(data, scenario=scenario, advice=advice)

    monkeypatch.setattr("assistant.cli.check_draft", with_a_break)
    result = run("draft", ROOT / "scenarios" / "consular_reciprocity.yaml", "--check", "-o", tmp_path / "d.json")
    assert result.exit_code == 1
    assert "error: Article 3: [cross_reference] Article 99 is referred to" in result.stderr
    assert (tmp_path / "d.json").exists()  # the draft is written all the same


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"title": ', "not JSON: Expecting value at line 1"),
        ("", "not JSON"),
        ("[1, 2]", "not a draft: the file holds no draft"),
        ('{"articles": 3}', "not a draft: the draft has no 'articles' list"),
        ('{"title": "T", "articles": [{"number": "1", "text": 5}]}', "not a draft: articles[0]: 'text' must be text"),
        (
            '{"draft": {"title": "T", "articles": [], "annexes": {}}}',
            "not a draft: the draft's 'annexes' must be a list",
        ),
        ("[" * 100000, "not"),
    ],
)
def test_a_file_that_is_not_a_draft_exits_2_with_a_message(tmp_path, content, said):
    path = tmp_path / "d.json"
    path.write_text(content)
    result = run("check", path)
    assert result.exit_code == 2
    assert said in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_missing_or_binary_file_exits_2(tmp_path):
    result = run("check", tmp_path / "nothing.json")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    result = run("check", binary)
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_the_console_command_checks_without_a_traceback(tmp_path):
    bad = tmp_path / "d.json"
    bad.write_text("{")
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "check", str(bad)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_every_example_drafted_to_json_checks_with_exit_0(tmp_path, example):
    """Issue 16's 'done when': `assistant draft X --format json -o d.json && assistant check d.json` exits 0 for
    every example."""
    out = tmp_path / "d.json"
    assert run("draft", ROOT / "scenarios" / example, "--format", "json", "-o", out).exit_code == 0
    result = run("check", out)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("Draft check: 0 errors")
