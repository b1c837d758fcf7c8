"""Round-12 re-readings (blind readers of all 39 drafts, 2026-12-06 evening), by class:

1. "Migrant" defined as any person crossing or present while the scope article covers only the nationals of
   named States and their families (a consular list arrangement read as binding the State of arrival to receive
   everyone crossing): where the scope is so limited, the definition says the same thing.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def article(advice, heading: str):
    return next((a for a in advice.draft.articles if a.heading == heading), None)


SCOPE_NATIONALS = re.compile(r"applies to the nationals of (?P<states>.+?) (?:who|present) ")


@pytest.mark.parametrize("name", IDS)
def test_migrant_is_defined_as_the_scope_article_limits_it(name):
    advice = advice_of(name)
    scope, definitions = article(advice, "Scope of application"), article(advice, "Definitions")
    if scope is None or definitions is None:
        pytest.skip("no scope or definitions article")
    m = SCOPE_NATIONALS.search(scope.text)
    migrant = re.search(r'"Migrant" means [^.]*', definitions.text).group(0)
    if m is None:
        assert not migrant.startswith('"Migrant" means a national of'), migrant
        return
    assert '"Migrant" means any person' not in migrant, f"scope limited to {m.group('states')}: {migrant}"
    first_state = re.split(r", | and ", m.group("states"))[0]
    assert migrant.startswith(f'"Migrant" means a national of {first_state}'), migrant
    assert "a member of his or her family to whom" in migrant
