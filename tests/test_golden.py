"""Reviewed answers for the example scenarios, kept as golden files.

The advice (without the draft's text) is compared as JSON; the draft of each example is compared as the
standalone HTML a lawyer reads. After a deliberate change, regenerate with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py``, read the diff, and commit it.
"""

import json
import os
import re
from pathlib import Path

import pytest

from assistant.documents.render import document_html
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import load_scenario
from tests.helpers import EXAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check(path: Path, text: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path.name} was missing and has been written: review it and commit it")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs: review, then UPDATE_GOLDEN=1"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_advice_matches_the_reviewed_answer(example):
    data = evaluate(load_scenario(example)).to_contract()
    del data["draft"]
    check(GOLDEN / f"{example.stem}.advice.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_draft_html_matches_the_reviewed_text(example):
    draft = evaluate(load_scenario(example)).draft
    html = document_html(draft, version="version 1", inline_css=False)
    html = re.sub(r'content="\d{4}-\d{2}-\d{2}"', 'content="DATE"', html)
    html = re.sub(r"<dd>\d{1,2} \w+ \d{4}</dd>", "<dd>DATE</dd>", html)
    check(GOLDEN / f"{example.stem}.draft.html", html)
