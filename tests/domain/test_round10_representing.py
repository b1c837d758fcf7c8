"""Round-10 readings (cyclone, rapid, consular_sharing, sudan): "each State of nationality for its own nationals only"
and "shall verify ... its own nationals only" beside a consular-representation article under which a Representing
State verifies and issues documents for the nationals of the States it represents. Wherever a draft has a
Representing State, every "own nationals only" limit says that it also acts for the States it represents."""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import representation
from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


@pytest.mark.parametrize("name", IDS)
def test_own_nationals_only_never_contradicts_a_representing_state(name):
    advice = advice_of(name)
    if not representation(SCENARIOS[name], advice):
        pytest.skip("no Representing State in this draft")
    texts = [a.text for a in advice.draft.articles if a.clause in ("roles", "identity_documents")]
    for text in texts:
        for sentence in re.split(r"(?<=\.)\s+", text):
            if "own nationals only" in sentence:
                # round 12: the issuing State that represents others is named ("..., and the Republic of X also for
                # the nationals of the States it represents")
                also = re.search(r"also for the nationals of the States (it|they) represents?", sentence)
                assert "a Representing State also" in sentence or also, sentence
