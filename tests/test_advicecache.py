"""The advice cache: same inputs give the same advice without a new evaluation; any change is a new key."""

from __future__ import annotations

import re

import pytest

from assistant.config import ROOT
from assistant.domain.evaluate import default_library, default_rule_base, evaluate
from assistant.domain.facts import Choice
from assistant.domain.scenario import ScenarioError, load_scenario, parse_scenario
from assistant.services.advice import AdviceCache, advice_key

SCENARIO = load_scenario(ROOT / "scenarios" / "consular_reciprocity.yaml").to_dict()


def _compute(calls: list, data=SCENARIO, choices=()):
    def run():
        calls.append(1)
        return evaluate(parse_scenario(data), list(choices))

    return run


def test_same_inputs_are_evaluated_once_and_callers_get_independent_copies():
    cache, calls = AdviceCache(8), []
    key = advice_key(SCENARIO, [], [], default_rule_base(), default_library())
    first = cache.get_or_compute(key, _compute(calls))
    first.roles.clear()
    first.title = "changed by a caller"
    second = cache.get_or_compute(key, _compute(calls))
    assert len(calls) == 1
    assert (cache.hits, cache.misses) == (1, 1)
    assert second.roles
    assert second.title != "changed by a caller"
    assert second.to_contract() == evaluate(parse_scenario(SCENARIO)).to_contract()


def test_a_choice_or_an_edit_is_a_different_key_with_its_own_advice():
    base = advice_key(SCENARIO, [], [])
    rejected = Choice(kind="agreement_type", item="consular_representation", action="reject")
    assert advice_key(SCENARIO, [rejected], []) != base
    edited = {**SCENARIO, "title": SCENARIO["title"] + " (revised)"}
    assert advice_key(edited, [], []) != base
    assert advice_key(dict(reversed(list(SCENARIO.items()))), [], []) == base  # key order does not matter
    cache, calls = AdviceCache(8), []
    plain = cache.get_or_compute(base, _compute(calls))
    without = cache.get_or_compute(advice_key(SCENARIO, [rejected], []), _compute(calls, choices=[rejected]))
    assert len(calls) == 2
    assert "consular_representation" in [a.id for a in plain.agreement_types]
    assert "consular_representation" not in [a.id for a in without.agreement_types]


def test_the_cache_keeps_at_most_its_size_and_drops_the_least_recently_used():
    cache, calls = AdviceCache(2), []
    keys = [advice_key({**SCENARIO, "title": f"T{i}"}, [], []) for i in range(3)]
    for k in keys[:2]:
        cache.get_or_compute(k, _compute(calls))
    cache.get_or_compute(keys[0], _compute(calls))  # touch: keys[1] is now the oldest
    cache.get_or_compute(keys[2], _compute(calls))
    assert len(cache) == 2
    assert len(calls) == 3
    cache.get_or_compute(keys[0], _compute(calls))
    assert len(calls) == 3  # still cached
    cache.get_or_compute(keys[1], _compute(calls))
    assert len(calls) == 4  # was dropped


def test_errors_are_not_cached():
    cache, calls = AdviceCache(8), []
    bad = {"title": "Incomplete"}
    key = advice_key(bad, [], [])
    for _ in range(2):
        with pytest.raises(ScenarioError):
            cache.get_or_compute(key, _compute(calls, data=bad))
    assert len(calls) == 2
    assert len(cache) == 0


def test_the_wizard_shows_new_advice_after_a_choice(client, example_data):
    nid = int(client.post("/negotiations", data={"example": "consular_reciprocity"}).location.split("/")[2])
    before = client.get(f"/negotiations/{nid}/draft.json").get_json()
    assert "consular_representation" in [a["id"] for a in before["agreement_types"]]
    page = client.get(f"/negotiations/{nid}/suggestions").get_data(as_text=True)
    revision = re.search(r'name="revision" value="(\d+)"', page)[1]
    response = client.post(
        f"/negotiations/{nid}/choices",
        data={"kind": "agreement_type", "item": "consular_representation", "action": "reject", "revision": revision},
    )
    assert response.status_code == 303
    after = client.get(f"/negotiations/{nid}/draft.json").get_json()
    assert "consular_representation" not in [a["id"] for a in after["agreement_types"]]
