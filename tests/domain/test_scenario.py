"""The scenario contract: what loads, and how every problem is reported with its path."""

import json

import pytest

from assistant.domain.scenario import ScenarioError, load_scenario, parse_scenario, parse_scenario_text
from tests.helpers import EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_follow_the_contract(path):
    scenario = load_scenario(path)
    assert scenario.title
    assert len(scenario.parties) >= 2


def test_examples_cover_every_agreement_type():
    from assistant.domain.vocab import AGREEMENT_TYPES

    intended = {t for path in EXAMPLES for t in load_scenario(path).agreement_types or []}
    assert set(AGREEMENT_TYPES) <= intended
    assert len(EXAMPLES) >= 5


def problems(data) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(data)
    return [str(p) for p in exc.value.problems]


def test_vocabulary_error_names_path_and_allowed_values(minimal):
    minimal["parties"][1]["capacities"] = {"transport": ["air", "boat"]}
    assert problems(minimal) == ["parties[1].capacities.transport[1]: 'boat' is not one of air, sea, land"]


def test_unknown_keys_are_errors_at_every_level(minimal):
    minimal["colour"] = "blue"
    minimal["crisis"]["severity"] = 3
    minimal["parties"][0]["capacities"] = {"helicopters": True}
    assert problems(minimal) == [
        "crisis.severity: unknown key",
        "parties[0].capacities.helicopters: unknown key",
        "colour: unknown key",
    ]


def test_dangling_party_ids_are_reported(minimal):
    minimal["host_state"] = "atlantis"
    minimal["transit_states"] = ["origin", "nowhere"]
    minimal["populations"] = [{"nationality": "mars", "count": 10}, {"nationality": "stateless", "count": 3}]
    assert problems(minimal) == [
        "host_state: 'atlantis' is not the id of a party (host, origin)",
        "transit_states[1]: 'nowhere' is not the id of a party (host, origin)",
        "populations[0].nationality: 'mars' is not the id of a party (host, origin)",
    ]


def test_structural_and_reference_problems_are_reported_together(minimal):
    minimal["parties"][1]["kind"] = "government"
    minimal["populations"] = [{"nationality": "nobody", "count": "many"}]
    found = problems(minimal)
    assert "parties[1].kind: 'government' is not one of " in found[0]
    assert "populations[0].count: expected a whole number, got 'many'" in found
    assert "populations[0].nationality: 'nobody' is not the id of a party (host, origin)" in found


def test_required_keys_and_minimum_parties():
    found = problems({"title": "x", "parties": [{"id": "a", "name": "A", "kind": "state"}]})
    assert "crisis: is required" in found
    assert "host_state: is required" in found
    assert any(p.startswith("parties: ") for p in found)


def test_duplicate_ids_ranges_and_vulnerability_counts(minimal):
    minimal["parties"][1]["id"] = "host"
    minimal["populations"] = [
        {"nationality": "host", "count": 5, "irregular_share": 1.5, "vulnerabilities": {"detained": 9, "zombies": 1}}
    ]
    found = problems(minimal)
    assert "parties[1].id: duplicate party id 'host'" in found
    assert any(p.startswith("populations[0].irregular_share: ") for p in found)
    assert any(p.startswith("populations[0].vulnerabilities.zombies: 'zombies' is not one of") for p in found)
    assert "populations[0].vulnerabilities.detained: 9 is more than the group's 5" in found


def test_missing_means_unknown_not_false(minimal):
    scenario = parse_scenario(minimal)
    assert scenario.host_conditions is None
    assert "host_conditions" not in scenario.to_dict()


def test_json_and_yaml_text_both_load(minimal):
    assert parse_scenario_text(json.dumps(minimal)).title == "Minimal"
    with pytest.raises(ScenarioError) as exc:
        parse_scenario_text("title: [unclosed", name="bad.yaml")
    assert "bad.yaml is not valid YAML or JSON at line" in str(exc.value)


def test_top_level_must_be_a_mapping():
    assert problems(["a", "list"]) == ["a scenario must be a mapping of keys to values"]


def test_party_by_id_finds_every_party_and_nothing_else():
    from tests.domain.corpus import corpus_scenarios

    for _, s in corpus_scenarios():
        for p in s.parties:
            assert s.party(p.id) is next(q for q in s.parties if q.id == p.id)
        assert s.party("no_such_party") is None
        assert s.party(None) is None  # type: ignore[arg-type]
        copy = s.model_copy(deep=True)
        assert copy.party(s.parties[0].id) == s.parties[0]
