"""The ``assistant`` command: drafts in every format, bad input with exit 2, rule checks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from assistant.cli import main
from tests.helpers import EXAMPLES, ROOT

CONTRACT_KEYS = [
    "title",
    "agreement_types",
    "roles",
    "cost_allocation",
    "practices",
    "risk_flags",
    "conflicts",
    "clauses",
    "draft",
    "rules_fired",
    "operations",  # an addition (README, "where each operation takes place"), after the contract's own keys
    "non_signatories",  # an addition (README, "Bodies that take part without signing")
    "checks",  # an addition (README, "The draft check")
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_draft_json_holds_the_contract(path):
    result = run("draft", path, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == CONTRACT_KEYS
    fired = {r["id"] for r in data["rules_fired"]}
    assert all(set(t["because"]) <= fired for t in data["agreement_types"] + data["roles"] + data["clauses"])
    assert {"title", "articles", "annexes"} <= set(data["draft"])
    assert [a["number"] for a in data["draft"]["articles"]] == [
        str(i) for i in range(1, len(data["draft"]["articles"]) + 1)
    ]
    assert not [c for c in data["checks"] if c["severity"] == "error"], "the example drafts check with no error"
    assert all(set(c) == {"check", "severity", "place", "message", "fix"} for c in data["checks"])


def test_draft_pdf_to_a_file(tmp_path):
    out = tmp_path / "d.pdf"
    result = run("draft", ROOT / "scenarios" / "evacuation_multinational.yaml", "--format", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert len(reader.pages) >= 3
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Article 1" in text
    assert "Page 1 of" in text
    assert reader.metadata.title == "Coordinated evacuation of foreign nationals from the Zelvaran coast"


def test_draft_html_to_stdout():
    result = run("draft", ROOT / "scenarios" / "consular_reciprocity.yaml", "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!doctype html>")
    assert '<h2><span class="article-number">Article 1</span>' in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "title: x\ncrisis: {kind: armed_conflict, phase: preparedness}\nhost_state: a\nfoo: 1\n"
            "parties: [{id: a, name: A, kind: state}, {id: b, name: B, kind: state}]\n",
            "bad.yaml: foo: unknown key",
        ),
        (
            "title: x\ncrisis: {kind: armed_conflict, phase: preparedness}\nhost_state: a\n"
            "parties: [{id: a, name: A, kind: state},\n"
            "  {id: b, name: B, kind: state, capacities: {funding_lead_days: soon}}]\n",
            "bad.yaml: parties[1].capacities.funding_lead_days: expected a whole number, got 'soon'",
        ),
        (
            "title: x\ncrisis: {kind: armed_conflict, phase: preparedness}\nhost_state: zz\n"
            "parties: [{id: a, name: A, kind: state}, {id: b, name: B, kind: state}]\n",
            "bad.yaml: host_state: 'zz' is not the id of a party (a, b)",
        ),
        ("title: [unclosed\n", "is not valid YAML or JSON at line"),
    ],
)
def test_bad_scenarios_exit_2_naming_the_path(tmp_path, content, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    result = run("draft", bad)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_missing_file_exits_2(tmp_path):
    result = run("draft", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_rules_check_is_clean():
    result = run("rules", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")
    assert "9 training scenarios" in result.stdout


def test_rules_check_reports_broken_files(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.yaml").write_text(
        "- id: x.y\n  title: Broken\n  when: {p: {type: party, colour: red}}\n"
        "  then: {}\n  rationale: Some reason here.\n  source: test\n"
        "  examples: [{given: [{type: party}], fires: true}]\n"
    )
    result = run("rules", "check", "--rules", rules)
    assert result.exit_code == 1
    assert "rules/a.yaml: x.y: when.p.colour: unknown field of a party fact" in result.stderr


def test_rules_check_reports_a_broken_training_scenario(tmp_path):
    training = tmp_path / "training"
    training.mkdir()
    (training / "bad.yaml").write_text("title: Only a title\nlevel: expert\n")
    result = run("rules", "check", "--training", training)
    assert result.exit_code == 1
    assert "training/bad.yaml" in result.stderr
    assert "level" in result.stderr
    assert "learning_objectives" in result.stderr


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "assistant"
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "draft" in result.stdout
