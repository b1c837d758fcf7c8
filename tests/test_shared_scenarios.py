"""The scenarios other teams write against the contract (../shared, present on developer and CI machines
only; the assistant itself never reads it): each must evaluate and draft."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main

SHARED = Path(__file__).resolve().parents[2] / "shared" / "scenarios"
FILES = sorted(SHARED.glob("*.yaml")) if SHARED.is_dir() else []


@pytest.mark.skipif(not FILES, reason="../shared/scenarios is not on this machine")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_shared_scenario_drafts(path):
    result = CliRunner().invoke(main, ["draft", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fired = {r["id"] for r in data["rules_fired"]}
    for key in ("agreement_types", "roles", "practices", "risk_flags", "clauses"):
        for item in data[key]:
            assert set(item["because"]) <= fired
    assert len(data["draft"]["articles"]) >= 10
