"""The one reader of user-supplied YAML and JSON (issue 11, findings 3 and 12): plain data only, refused
while the document is composed, before anything is built."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

from assistant.domain.safe_yaml import MAX_DEPTH, MAX_NODES, UnsafeInput, check_data, load_data
from assistant.domain.scenario import ScenarioError, load_scenario, parse_scenario_text


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: nine lists of nine aliases to the list before, 9**9 strings once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghij"
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\ntitle: laughs\n"


def refused(text: str) -> UnsafeInput:
    with pytest.raises(UnsafeInput) as exc:
        load_data(text)
    return exc.value


def test_alias_bomb_is_refused_at_once_with_little_memory():
    bomb = billion_laughs()
    assert len(bomb) < 500
    tracemalloc.start()
    started = time.perf_counter()
    try:
        exc = refused(bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.line == 2
    assert "aliases (*a) are not accepted" in str(exc)
    assert elapsed < 0.2  # 8.6 s and 1.2 GB before
    assert peak < 2 * 1024 * 1024


def test_recursive_alias_is_refused():
    assert "aliases" in str(refused("a: &a [*a]\n"))
    assert "not accepted" in str(refused("base: &b {x: 1}\nother:\n  <<: *b\n"))  # a merge key


@pytest.mark.parametrize(
    ("text", "tag", "line"),
    [
        ("title: x\nblob: !!binary aGVsbG8=\n", "!!binary", 2),
        ("title: x\nids: !!set {a, b}\n", "!!set", 2),
        ("title: x\nwhen: !!timestamp 2024-05-01\n", "!!timestamp", 2),
        ("title: x\n\nsteps: !!omap [a: 1]\n", "!!omap", 3),
        ("x: !!python/object/apply:os.system [echo hi]\n", "!!python/object/apply:os.system", 1),
        ("x: !custom thing\n", "!custom", 1),
    ],
)
def test_only_core_types_are_accepted_and_the_line_is_named(text, tag, line):
    exc = refused(text)
    assert exc.line == line
    assert f"the tag {tag} is not accepted" in str(exc)


def test_an_unquoted_date_is_text_not_a_timestamp():
    assert load_data("title: 2024-05-01\nn: 3\nok: true\nnothing: null\nshare: 0.5\n") == {
        "title": "2024-05-01",
        "n": 3,
        "ok": True,
        "nothing": None,
        "share": 0.5,
    }


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 100_000])
def test_deep_nesting_is_refused_without_recursion_errors(depth):
    started = time.perf_counter()
    exc = refused("[" * depth + "]" * depth)
    assert f"nested more than {MAX_DEPTH} levels deep" in str(exc) or "maximum nesting depth" in str(exc)  # libyaml's
    assert time.perf_counter() - started < 1.0


def test_nesting_within_the_limit_loads():
    depth = MAX_DEPTH - 1
    assert load_data("[" * depth + "]" * depth) is not None


def test_too_many_values_are_refused():
    assert f"more than {MAX_NODES:,} values" in str(refused("[" + "1," * (MAX_NODES + 1) + "1]"))


def test_keys_must_be_text():
    assert refused("title: x\n1: one\n").line == 2
    assert "keys must be text" in str(refused("? [a, b]\n: c\n"))


def test_huge_numbers_and_long_text_are_refused_not_crashed():
    assert "whole number of more than" in str(refused("n: " + "9" * 5000 + "\n"))
    assert "longer than" in str(refused("title: " + "x" * 20_000 + "\n"))
    assert load_data("cost: 1.0e+400\n") == {"cost": "inf"}  # text, which the contract then refuses by its path


def test_not_yaml_is_a_syntax_problem_with_its_line():
    exc = refused("title: [unclosed\n")
    assert exc.syntax
    assert exc.line == 2
    assert refused(b"\xff\xfe").reason == "not UTF-8 text"


def test_check_data_holds_parsed_json_to_the_same_limits():
    check_data(json.loads('{"title": "x", "parties": [{"id": "a"}], "n": 1.5}'))
    nested: list = []
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]
    with pytest.raises(UnsafeInput, match="levels deep"):
        check_data(nested)
    with pytest.raises(UnsafeInput, match="keys must be text"):
        check_data({1: "x"})
    with pytest.raises(UnsafeInput, match="whole number"):
        check_data({"n": 10**200})
    with pytest.raises(UnsafeInput, match="values"):
        check_data(list(range(MAX_NODES + 1)))


def test_scenario_text_and_files_go_through_the_safe_loader(tmp_path):
    with pytest.raises(ScenarioError) as exc:
        parse_scenario_text(billion_laughs(), name="bomb.yaml")
    assert str(exc.value) == "bomb.yaml, line 2: aliases (*a) are not accepted: write the values out"
    path = tmp_path / "tagged.yaml"
    path.write_text("title: !!binary aGVsbG8=\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert f"{path}, line 1: the tag !!binary is not accepted" in str(exc.value)


def test_non_finite_numbers_are_read_as_text_that_standard_json_can_hold():
    data = load_data("funding:\n  estimated_cost: .inf\nlist: [.nan, -.inf, 2.5]\n")
    assert data == {"funding": {"estimated_cost": "inf"}, "list": ["nan", "-inf", 2.5]}
    json.dumps(data, allow_nan=False)  # what PostgreSQL's JSON columns accept
    with pytest.raises(ScenarioError) as exc:
        parse_scenario_text("title: t\ncrisis: {kind: epidemic, phase: preparedness}\nfunding: {estimated_cost: .inf}")
    assert any(p.path == "funding.estimated_cost" for p in exc.value.problems)
