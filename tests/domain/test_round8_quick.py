"""Round-8 readings, two classes found in four and five drafts: places allocated by two bodies (the operations article
and the prioritisation article), and the mutual-aid rule on third-party claims imposed on a host State that requested
nothing (an evacuation by States of their own nationals)."""

from __future__ import annotations

import pytest

from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()


def article(advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=[n for n, _ in CORPUS])
def test_places_are_allocated_by_one_rule(name, scenario):
    advice = evaluate(scenario)
    operations, prioritisation = article(advice, "operations"), article(advice, "prioritisation")
    if prioritisation and "allocate places" in prioritisation:
        assert "the allocation of places" not in operations, name


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=[n for n, _ in CORPUS])
def test_a_state_deals_with_third_party_claims_only_for_assistance_it_requested(name, scenario):
    liability = article(evaluate(scenario), "liability")
    if "as if the damage had been caused by its own personnel" not in liability:
        return
    assert "including the Host State (" not in liability, name
    assert "in the territory of a State Party that requested the assistance concerned" in liability, name
    assert "shall be dealt with by the Party whose personnel caused the damage" in liability, name
