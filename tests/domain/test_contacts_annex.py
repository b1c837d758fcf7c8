"""Annex C holds what the articles say it lists: the data-protection focal points when the Data-Sharing
Protocol asks each Party to designate one "listed in Annex C" (a defect found by the blind readings)."""

from __future__ import annotations

import pytest

from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import load_scenario
from tests.helpers import EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_annex_c_lists_the_data_protection_focal_points_the_protocol_refers_to(path):
    advice = evaluate(load_scenario(path))
    annex_c = next(a for a in advice.draft.annexes if a.title.startswith("Annex C"))
    protocol = any(c.id == "data_sharing_protocol" for c in advice.clauses)
    assert ("Data-protection focal point" in annex_c.columns) == protocol
    if protocol:
        assert all(len(row) == len(annex_c.columns) for row in annex_c.rows)
        assert any("data-protection focal point, listed in Annex C" in a.text for a in advice.draft.annexes)
