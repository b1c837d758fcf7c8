"""The shipped rule base: every example runs as a test, and rule files are validated with precise errors."""

import pytest

from assistant.domain.checks import cross_check, run_example
from assistant.domain.evaluate import ROOT, default_library, default_rule_base
from assistant.domain.loading import DataError
from assistant.domain.rules import build_rule_base, load_rule_base, parse_rules

BASE = default_rule_base()
EXAMPLES = [(rule, i) for rule in BASE.rules for i in range(len(rule.examples))]


@pytest.mark.parametrize(("rule", "index"), EXAMPLES, ids=[f"{r.id}-ex{i}" for r, i in EXAMPLES])
def test_rule_example(rule, index):
    failure = run_example(BASE, rule, index)
    assert failure is None, str(failure)


def test_rule_base_is_substantial_and_sourced():
    assert len(BASE.rules) >= 25
    for rule in BASE.rules:
        assert rule.source.strip(), rule.id
        assert any(e.fires for e in rule.examples), f"{rule.id} has no positive example"


def test_rules_name_existing_clauses():
    assert cross_check(BASE, default_library()) == []


def load_errors(data) -> list[str]:
    rules, problems = parse_rules("rules/broken.yaml", data)
    with pytest.raises(DataError) as exc:
        build_rule_base(rules, problems)
    return [str(p) for p in exc.value.problems]


GOOD = {
    "id": "x.good",
    "title": "A good rule",
    "when": {"p": {"type": "party", "kind": "state"}},
    "then": {"practices": ["joint_planning"]},
    "rationale": "Because it is good.",
    "source": "Test source",
    "examples": [{"given": [{"type": "party", "kind": "state"}], "fires": True}],
}


def broken(**changes):
    rule = {**GOOD, **changes}
    return [{k: v for k, v in rule.items() if v is not None}]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            broken(when={"p": {"type": "party", "kindd": "state"}}),
            "rules/broken.yaml: x.good: when.p.kindd: unknown field of a party fact",
        ),
        (
            broken(when={"p": {"type": "parti", "kind": "state"}}),
            "rules/broken.yaml: x.good: when.p.type: unknown fact type 'parti'",
        ),
        (broken(source=None), "rules/broken.yaml: x.good: source: is required"),
        (
            broken(then={"practices": ["good_vibes"]}),
            "rules/broken.yaml: x.good: then.practices[0]: 'good_vibes' is not one of prearranged_services, ",
        ),
        (
            broken(when={"p": {"type": "party", "nationals": {"about": 3}}}),
            "rules/broken.yaml: x.good: when.p.nationals: unknown operator 'about'",
        ),
        (
            broken(unless={"r": {"type": "role", "item": "lead"}}),
            "rules/broken.yaml: x.good: unless.r.type: 'unless' on derived facts (role) depends on firing order",
        ),
        (
            broken(then={"roles": [{"role": "lead", "party": {"ref": "q.id"}}]}),
            "rules/broken.yaml: x.good: then: q.id: 'q' is not an alias of 'when'",
        ),
        (
            broken(when={"r": {"type": "role", "item": "lead"}}),
            "rules/broken.yaml: x.good: when.r.item: lead candidates are not facts: use party: {holder: lead}",
        ),
        (broken(id="NoDots"), "rules/broken.yaml: NoDots: id: 'NoDots' does not match the pattern"),
        (
            broken(examples=[{"given": [{"type": "party", "colour": "red"}], "fires": True}]),
            "rules/broken.yaml: x.good: examples[0].given[0].colour: unknown field of a party fact",
        ),
        (broken(when={"s": {"type": "party"}}), "rules/broken.yaml: x.good: when.s: 's' cannot be used as an alias"),
        (
            broken(when={"a": {"type": "party", "id": {"ne": {"ref": "b.id"}}}, "b": {"type": "party"}}),
            "rules/broken.yaml: x.good: when.a.id.ne: references to other facts are not supported",
        ),
        (GOOD and [GOOD, GOOD], "rules/broken.yaml: x.good: id: duplicate rule id (also in rules/broken.yaml)"),
    ],
)
def test_broken_rules_are_reported_by_file_id_and_field(rule, expected):
    errors = load_errors(rule)
    assert any(e.startswith(expected) for e in errors), errors


def test_broken_yaml_file_names_file_and_line(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bad.yaml").write_text("- id: x\n  when: [unclosed\n")
    with pytest.raises(DataError) as exc:
        load_rule_base(tmp_path / "rules")
    assert str(exc.value).startswith("rules/bad.yaml: line ")


def test_a_rule_file_must_be_a_list():
    assert load_errors({"id": "x"}) == ["rules/broken.yaml: a rule file must be a list of rules"]


def test_shipped_rules_load_from_the_repository():
    assert load_rule_base(ROOT / "rules").name == BASE.name


def test_firings_grow_at_most_quadratically_with_the_parties():
    # Rules join at most two parties, so doubling the parties may at most about quadruple the firings.
    # Derived facts asserted once per content keep chained rules from multiplying that (before: 40 -> 80
    # parties went from 2,794 to 34,181 firings). Counted, not timed.
    from assistant.domain.engine import get_engine
    from assistant.domain.facts import scenario_facts
    from bench.synthetic import synthetic_scenario

    firings = {n: len(get_engine().evaluate(BASE, scenario_facts(synthetic_scenario(n, 1)))) for n in (20, 40, 80)}
    for n in (20, 40):
        assert firings[2 * n] <= 4.5 * firings[n], firings
