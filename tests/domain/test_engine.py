"""The durable-rules seam: fresh sessions, negation on the full fact set, surfaced errors, no leaks."""

import threading

import pytest

from assistant.domain.engine import EngineError, get_engine
from assistant.domain.rules import build_rule_base, parse_rules

RULES = [
    {
        "id": "t.unrepresented",
        "title": "An origin State without consular presence",
        "when": {"p": {"type": "party", "consular_presence": "none"}},
        "then": {"agreement_types": ["consular_representation"]},
        "rationale": "Someone must act for it.",
        "source": "VCCR Art. 8",
        "examples": [{"given": [{"type": "party", "consular_presence": "none"}], "fires": True}],
    },
    {
        "id": "t.no_io",
        "title": "No international organization takes part",
        "when": {"sc": {"type": "scenario"}},
        "unless": {"io": {"type": "party", "kind": "international_organization"}},
        "then": {"practices": ["joint_planning"]},
        "rationale": "Negation must see every fact.",
        "source": "test",
        "examples": [{"given": [{"type": "scenario"}], "fires": True}],
    },
    {
        "id": "t.chain",
        "title": "Chained on a derived agreement type",
        "when": {
            "at": {"type": "agreement_type", "item": "consular_representation"},
            "p": {"type": "party", "consular_presence": "embassy"},
        },
        "then": {"roles": [{"role": "representing_state", "party": {"ref": "p.id"}}]},
        "rationale": "Chaining through derived facts.",
        "source": "test",
        "examples": [{"given": [{"type": "agreement_type", "item": "consular_representation"}], "fires": False}],
    },
]


def base(rules=RULES):
    found, problems = parse_rules("test.yaml", rules)
    return build_rule_base(found, problems)


def fired(facts, rules=RULES):
    return sorted({f.rule.id for f in get_engine().evaluate(base(rules), facts)})


def test_negation_sees_facts_asserted_after_the_negated_pattern():
    # The IO comes after the scenario fact: without the $go trigger the rule would fire anyway.
    facts = [
        {"id": "scenario", "type": "scenario"},
        {"id": "iom", "type": "party", "kind": "international_organization"},
    ]
    assert "t.no_io" not in fired(facts)
    assert "t.no_io" in fired(facts[:1])


def test_derived_facts_chain_and_bindings_are_reported():
    facts = [
        {"id": "a", "type": "party", "consular_presence": "none"},
        {"id": "b", "type": "party", "consular_presence": "embassy"},
    ]
    firings = get_engine().evaluate(base(), facts)
    chain = [f for f in firings if f.rule.id == "t.chain"]
    assert len(chain) == 1
    assert chain[0].bindings["p"]["id"] == "b"


def test_a_derived_fact_is_asserted_once_and_every_firing_is_kept():
    # Two parties without consular presence both derive consular_representation: the chained rule must
    # fire once per party with an embassy, not once per copy of the derived fact.
    facts = [
        {"id": "a", "type": "party", "consular_presence": "none"},
        {"id": "b", "type": "party", "consular_presence": "embassy"},
        {"id": "c", "type": "party", "consular_presence": "none"},
    ]
    firings = get_engine().evaluate(base(), facts)
    deriving = [f.bindings["p"]["id"] for f in firings if f.rule.id == "t.unrepresented"]
    chain = [f for f in firings if f.rule.id == "t.chain"]
    assert sorted(deriving) == ["a", "c"]
    assert len(chain) == 1
    assert chain[0].bindings["p"]["id"] == "b"
    assert chain[0].bindings["at"]["item"] == "consular_representation"


def test_bindings_are_the_whole_facts_given_even_fields_no_rule_tests():
    # The engine is only shown the fields rules test; firings must still report every field of the fact.
    given = {"id": "a", "type": "party", "consular_presence": "none", "name": "Aland", "nationals": 40}
    facts = [given, {"id": "b", "type": "party", "consular_presence": "embassy", "name": "Borea"}]
    firings = get_engine().evaluate(base(), facts)
    bound = [f.bindings["p"] for f in firings if f.rule.id == "t.unrepresented"]
    assert bound == [given]
    assert bound[0] is not given
    bound[0]["name"] = "changed"
    assert given["name"] == "Aland"
    chain = [f.bindings["p"] for f in firings if f.rule.id == "t.chain"]
    assert chain == [facts[1]]


def test_unmatched_facts_do_not_block_the_batch():
    facts = [{"id": "x", "type": "population", "count": 3}, {"id": "a", "type": "party", "consular_presence": "none"}]
    assert "t.unrepresented" in fired(facts)


def test_missing_keys_never_match():
    assert "t.unrepresented" not in fired([{"id": "a", "type": "party"}])


def test_sessions_are_freed_beyond_the_1024_cap():
    b = base()
    engine = get_engine()
    facts = [{"id": "a", "type": "party", "consular_presence": "none"}]
    for _ in range(1500):
        engine.evaluate(b, facts)


def test_duplicate_facts_raise_a_clear_error():
    with pytest.raises(EngineError, match="duplicate fact ids"):
        get_engine().evaluate(base(), [{"id": "a", "type": "party"}, {"id": "a", "type": "party"}])


def test_action_exceptions_are_surfaced(monkeypatch):
    import assistant.domain.engine as engine_module

    def boom(*args, **kwargs):
        raise RuntimeError("broken action")

    rules = [dict(RULES[0], id="t.boom")]
    b = base(rules)
    monkeypatch.setattr(engine_module, "derived_facts", boom)
    with pytest.raises(EngineError, match="broken action"):
        get_engine().evaluate(b, [{"id": "a", "type": "party", "consular_presence": "none"}])


def test_failed_evaluations_free_their_sessions(monkeypatch):
    # More failed evaluations than durable-rules holds live sessions (1,024): each one must be deleted.
    import assistant.domain.engine as engine_module

    def boom(*args, **kwargs):
        raise RuntimeError("broken action")

    b = base()
    engine = get_engine()
    facts = [{"id": "a", "type": "party", "consular_presence": "none"}]
    monkeypatch.setattr(engine_module, "derived_facts", boom)
    for _ in range(1100):
        with pytest.raises(EngineError, match="t.unrepresented: RuntimeError: broken action"):
            engine.evaluate(b, facts)
    monkeypatch.undo()
    for _ in range(1100):
        with pytest.raises(EngineError, match="fact matched no rule"):
            engine.evaluate(b, [{"id": "untyped"}])
    assert "t.unrepresented" in fired(facts)


def test_threads_share_the_engine_safely():
    b = base()
    facts = [
        {"id": "a", "type": "party", "consular_presence": "none"},
        {"id": "b", "type": "party", "consular_presence": "embassy"},
    ]
    expected = sorted(f.rule.id for f in get_engine().evaluate(b, facts))
    results, errors = [], []

    def work():
        try:
            for _ in range(200):
                results.append(sorted(f.rule.id for f in get_engine().evaluate(b, facts)))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r == expected for r in results)
    assert len(results) == 800


def test_ruleset_names_are_versioned_by_content():
    changed = [dict(RULES[0], title="Another title")] + RULES[1:]
    assert base().name != base(changed).name
    assert base().name == base().name


def test_numbers_in_exponent_notation_reach_the_engine_safely(minimal):
    # durable-rules 2.0.28 crashed the process on "1e-06" in a fact (found by the property tests).
    from assistant.domain.evaluate import evaluate
    from assistant.domain.facts import scenario_fact
    from assistant.domain.scenario import parse_scenario

    for cost in (1e-06, 1e17, 123.5, 1e13):
        minimal["funding"] = {"estimated_cost": min(cost, 1e13), "share_costs": True}
        minimal["populations"] = [{"nationality": "origin", "count": 3, "irregular_share": 1e-45}]
        scenario = parse_scenario(minimal)
        if cost > 1e13:  # beyond the contract's limit since issue 11: only data that bypassed it gets here
            funding = scenario.funding.model_copy(update={"estimated_cost": cost})  # type: ignore[union-attr]
            scenario = scenario.model_copy(update={"funding": funding})
        assert "e" not in repr(scenario_fact(scenario)["estimated_cost"])
        assert evaluate(scenario).draft is not None


def test_rule_bases_beyond_one_trigger_part_evaluate(tmp_path):
    # durable-rules holds at most 255 rules on one pattern; the shipped base is near that, so rules are spread
    # over trigger parts. Run in a child process: a regression would kill the process, not fail an assert.
    import subprocess
    import sys

    code = (
        "from assistant.domain.evaluate import default_rule_base, evaluate\n"
        "from assistant.domain.rules import build_rule_base\n"
        "from assistant.domain.scenario import load_scenario\n"
        "base = default_rule_base()\n"
        "rules = [r.model_copy(update={'id': f'{r.id}.copy{i}' if i else r.id})\n"
        "         for i in range(2) for r in base.rules]\n"
        "big = build_rule_base(rules)\n"
        "a = evaluate(load_scenario('scenarios/evacuation_multinational.yaml'), rule_base=big)\n"
        "print(big.parts, len(a.rules_fired))\n"
    )
    from tests.helpers import ROOT

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    parts, fired = map(int, result.stdout.split())
    assert parts >= 3
    assert fired > 100


def test_a_pattern_shared_by_too_many_rules_is_refused():
    from assistant.domain.loading import DataError

    rules = [dict(RULES[1], id=f"t.shared{i}") for i in range(260)]
    found, problems = parse_rules("t.yaml", rules)
    with pytest.raises(DataError, match="rules share the pattern"):
        build_rule_base(found, problems)
