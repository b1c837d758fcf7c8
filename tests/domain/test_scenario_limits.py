"""The contract's limits (issue 11, findings 4, 10 and 15): sizes, finite numbers in range, clean text;
each problem reported with its path like any other."""

from __future__ import annotations

import math

import pytest

from assistant.domain.facts import scenario_facts
from assistant.domain.scenario import (
    MAX_PARTIES,
    MAX_POPULATIONS,
    Scenario,
    ScenarioError,
    clean_text,
    parse_scenario,
)


def problems(data) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(data)
    return [str(p) for p in exc.value.problems]


def with_parties(minimal, n: int) -> dict:
    minimal["parties"] += [{"id": f"p{i}", "name": f"P {i}", "kind": "state"} for i in range(n - 2)]
    return minimal


def test_at_most_max_parties(minimal):
    parse_scenario(with_parties(minimal, MAX_PARTIES))
    minimal["parties"].append({"id": "one_more", "name": "One more", "kind": "state"})
    assert problems(minimal) == [f"parties: {MAX_PARTIES + 1} parties: at most {MAX_PARTIES} are accepted"]


def test_the_bench_may_lift_the_party_limit(minimal):
    assert len(parse_scenario(with_parties(minimal, 300), limits=False).parties) == 300


def test_at_most_max_populations(minimal):
    minimal["populations"] = [{"nationality": "origin", "count": 1}] * (MAX_POPULATIONS + 1)
    assert problems(minimal) == [
        f"populations: {MAX_POPULATIONS + 1} populations: at most {MAX_POPULATIONS} are accepted"
    ]


def test_many_parties_are_checked_in_linear_time(minimal):
    import time

    with_parties(minimal, 20_000)
    minimal["parties"].append(dict(minimal["parties"][5]))  # a duplicate id
    started = time.perf_counter()
    found = problems(minimal)
    assert time.perf_counter() - started < 2.0
    assert "parties[20000].id: duplicate party id 'p3'" in found


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("populations", 0, "count"), 10**9 + 1, "populations[0].count: must be at most 1,000,000,000, got 1000000001"),
        (("populations", 0, "count"), 10**30, "populations[0].count: must be at most 1,000,000,000"),
        (("populations", 0, "count"), float("inf"), "populations[0].count: expected a finite number, got inf"),
        (("populations", 0, "vulnerabilities", "detained"), 10**12, "populations[0].vulnerabilities.detained: must"),
        (("funding", "estimated_cost"), float("inf"), "funding.estimated_cost: expected a finite number, got inf"),
        (("funding", "estimated_cost"), float("nan"), "funding.estimated_cost: expected a finite number, got nan"),
        (("funding", "estimated_cost"), float("1e400"), "funding.estimated_cost: expected a finite number"),
        (("funding", "estimated_cost"), "Infinity", "funding.estimated_cost: expected a finite number"),
        (("funding", "estimated_cost"), 1e14, "funding.estimated_cost: must be at most 10,000,000,000,000"),
        (("funding", "cofinancing", "max_rate"), float("nan"), "funding.cofinancing.max_rate: expected a finite"),
        (("parties", 1, "capacities", "funding_lead_days"), 3651, "funding_lead_days: must be at most 3,650"),
        (("parties", 1, "capacities", "hotline_languages"), ["en"] * 21, "hotline_languages: has 21 items: at most 20"),
        (("parties", 1, "capacities", "hotline_languages"), ["x" * 51], "hotline_languages[0]: is too long: at most"),
        (("parties", 1, "capacities", "transport"), ["air"] * 4, "transport: has 4 items: at most 3 are accepted"),
        (("parties", 1, "crisis_roles"), ["origin"] * 5, "parties[1].crisis_roles: has 5 items: at most 4"),
        (("parties", 1, "name"), "n" * 201, "parties[1].name: is too long: at most 200 characters"),
        (("services_needed",), ["shelter"] * 100, "services_needed: has 100 items: at most"),
        (("transit_states",), ["origin"] * (MAX_PARTIES + 1), "transit_states: has 61 items: at most 60"),
        (("title",), None, "title: expected text, got None"),
    ],
)
def test_numbers_lists_and_text_are_bounded_with_a_clear_problem(minimal, path, value, message):
    minimal["populations"] = [{"nationality": "origin", "count": 10}]
    target = minimal
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[path[-1]] = value
    found = problems(minimal)
    assert any(message in p for p in found), found


def test_the_facts_builder_never_crashes_on_numbers_that_bypassed_the_contract(minimal):
    minimal["funding"] = {"estimated_cost": 1.0}
    scenario = parse_scenario(minimal)
    odd = scenario.model_copy(
        update={"funding": scenario.funding.model_copy(update={"estimated_cost": math.inf})}  # type: ignore[union-attr]
    )
    fact = scenario_facts(odd)[0]
    assert "estimated_cost" not in fact  # unknown, not an OverflowError


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidirectional_and_control_characters_leave_free_text(minimal):
    minimal["title"] = "Agreement\u202e on evacuation"
    minimal["parties"][0]["name"] = f"{BIDI}Republic\x00 of\u200b Corvania\ufeff"
    minimal["parties"][1]["name"] = "Line\nbreak\tand\u2028more"
    minimal["parties"][1]["capacities"] = {"hotline_languages": ["\u202een", "fr"]}
    scenario = parse_scenario(minimal)
    assert scenario.title == "Agreement on evacuation"
    assert scenario.parties[0].name == "Republic of Corvania"
    assert scenario.parties[1].name == "Line break and more"
    assert scenario.parties[1].capacities.hotline_languages == ["en", "fr"]  # type: ignore[union-attr]


def test_joiners_some_scripts_need_are_kept():
    assert (
        clean_text("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")
        == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )
    assert clean_text("Ωmega — ünïcødé") == "Ωmega — ünïcødé"
    assert clean_text(42) == 42


def test_a_name_of_control_characters_only_is_empty(minimal):
    minimal["parties"][0]["name"] = "\u202e\u202c"
    assert any(p.startswith("parties[0].name: ") for p in problems(minimal))


def test_limits_are_part_of_the_model_schema():
    schema = Scenario.model_json_schema()
    assert schema["properties"]["title"]["maxLength"] == 300
