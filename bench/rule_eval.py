"""Part 1: rule evaluation.

* The shipped rule base on every example scenario: ``get_engine().evaluate(base, scenario_facts(s))`` and the
  whole ``evaluate(s)`` (advice and draft).
* Growth with the scenario: synthetic scenarios of 3, 30 and 300 parties by 1, 50 and 500 migrant groups.
* Growth with the rule base: a quarter and half of the shipped rules, all of them, the most that still
  register, and the rule base x5 and x10 (renamed copies).

The growth points run in child processes (``python -m bench.rule_eval …``) with a deadline and a memory
ceiling, since a point may run for minutes, exhaust memory or make durable-rules abort the process.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from . import example_paths, log, percentile, summary, time_calls
from .child import emit, run_items

ENGINE_RUNS = 100  # per example scenario (the brief asks for at least 50)
EVALUATE_RUNS = 50
GRID_PARTIES = (3, 30, 300)
GRID_POPULATIONS = (1, 50, 500)
EXTRA_POINTS = ((60, 1), (100, 1))  # between 30 and 300 parties, to show the shape of the growth
POINT_TIMEOUT_S = 30.0
RULE_SIZES = ("quarter", "half", "x1", "plus4", "plus5", "plus6", "x5", "x10")
SCALE_SCENARIO = "evacuation_multinational"


def _engine_call(base, scenario):
    from assistant.domain.engine import get_engine
    from assistant.domain.facts import scenario_facts

    return lambda: get_engine().evaluate(base, scenario_facts(scenario))


def examples() -> dict[str, Any]:
    """Every example scenario: the engine alone and the whole evaluate(), each run many times."""
    from assistant.domain.evaluate import default_library, default_rule_base, evaluate
    from assistant.domain.facts import scenario_facts
    from assistant.domain.scenario import load_scenario

    t0 = time.perf_counter()
    base = default_rule_base()
    default_library()
    load_ms = (time.perf_counter() - t0) * 1000
    rows = []
    for path in example_paths():
        scenario = load_scenario(path)
        facts = scenario_facts(scenario)
        anatomy = firing_anatomy(base, facts)
        engine_ms = time_calls(_engine_call(base, scenario), ENGINE_RUNS, warmup=3)
        full_ms = time_calls(lambda s=scenario: evaluate(s), EVALUATE_RUNS, warmup=2)
        rows.append(
            {
                "scenario": path.stem,
                "facts": len(facts),
                "engine": summary(engine_ms),
                "evaluate": summary(full_ms),
                **anatomy,
            }
        )
        log(
            f"  {path.stem}: engine median {rows[-1]['engine']['median_ms']:.2f} ms, "
            f"evaluate() median {rows[-1]['evaluate']['median_ms']:.2f} ms"
        )
    check = draft_check_timing()
    return {
        "rules": len(base.rules),
        "rule_base_and_library_load_ms": round(load_ms, 1),
        "scenarios": rows,
        "draft_check": check,
        "engine_median_of_medians_ms": round(percentile([r["engine"]["median_ms"] for r in rows], 50), 3),
        "evaluate_median_of_medians_ms": round(percentile([r["evaluate"]["median_ms"] for r in rows], 50), 3),
    }


CHECK_RUNS = 50


def draft_check_timing() -> dict[str, Any]:
    """The draft check (issue 16) on the example with the most articles: the draft alone, and with its scenario
    and answer (what the wizard and ``assistant draft --check`` run). Goal: at most 10 ms for some 30 articles."""
    from assistant.domain.draft_check import check_draft
    from assistant.domain.evaluate import evaluate
    from assistant.domain.scenario import load_scenario

    answers = [(s, evaluate(s).to_contract()) for s in map(load_scenario, example_paths())]
    scenario, answer = max(answers, key=lambda a: len(a[1]["draft"]["articles"]))
    draft = answer["draft"]
    alone = time_calls(lambda: check_draft(draft), CHECK_RUNS, warmup=2)
    full = time_calls(lambda: check_draft(draft, scenario=scenario, advice=answer), CHECK_RUNS, warmup=2)
    log(f"  draft check ({len(draft['articles'])} articles): median {percentile(full, 50):.2f} ms with the scenario")
    return {
        "scenario": scenario.title,
        "articles": len(draft["articles"]),
        "draft_only": summary(alone),
        "with_scenario": summary(full),
    }


# ---------------------------------------------------------------- growth with the scenario


def _point_key(parties: int, populations: int) -> str:
    return f"{parties}x{populations}"


def _measure_point(parties: int, populations: int) -> dict[str, Any]:
    """One synthetic scenario: a first (untimed) evaluation that counts firings and derived facts, then the
    engine and the whole evaluate() as often as about 3 s each allow (at least once)."""
    from assistant.domain.evaluate import default_rule_base, evaluate
    from assistant.domain.facts import scenario_facts

    from . import rss_mb
    from .synthetic import synthetic_scenario

    base = default_rule_base()
    scenario = synthetic_scenario(parties, populations)
    facts = scenario_facts(scenario)
    t0 = time.perf_counter()
    anatomy = firing_anatomy(base, facts)
    first_ms = (time.perf_counter() - t0) * 1000
    engine_ms = time_calls(_engine_call(base, scenario), 50, warmup=0, budget_s=3.0, min_runs=1)
    full_ms = time_calls(lambda: evaluate(scenario), 50, warmup=0, budget_s=3.0, min_runs=1)
    return {
        "ok": True,
        "parties": parties,
        "populations": populations,
        "facts": len(facts),
        "first_call_counting_ms": round(first_ms, 1),
        "engine": summary(engine_ms),
        "evaluate": summary(full_ms),
        "rss_mb": round(rss_mb(), 1),
        **anatomy,
    }


def firing_anatomy(base, facts: list[dict[str, Any]]) -> dict[str, Any]:
    """One more (untimed) evaluation that counts firings per rule and the facts rules derive for chaining:
    how many were asserted, how many of them were distinct (same content but for the id), and how many
    firings derived a fact identical to one already asserted (not asserted again)."""
    import collections

    import assistant.domain.engine as engine_module

    original = engine_module.derived_facts
    derived: list[dict[str, Any]] = []
    repeated = [0]

    def counting(rule, bindings, run):
        before = run.repeated
        out = original(rule, bindings, run)
        derived.extend(out)
        repeated[0] += run.repeated - before
        return out

    engine_module.derived_facts = counting
    try:
        firings = engine_module.get_engine().evaluate(base, facts)
    finally:
        engine_module.derived_facts = original
    distinct = {tuple(sorted((k, str(v)) for k, v in d.items() if k != "id")) for d in derived}
    top = collections.Counter(f.rule.id for f in firings).most_common(5)
    return {
        "firings": len(firings),
        "derived_facts_asserted": len(derived),
        "derived_facts_distinct": len(distinct),
        "derived_facts_repeated": repeated[0],
        "top_rules_by_firings": [{"rule": r, "firings": n} for r, n in top],
    }


def _child_points(spec: list[str]) -> None:
    from assistant.domain.engine import get_engine
    from assistant.domain.evaluate import default_library, default_rule_base

    from .synthetic import synthetic_scenario

    base = default_rule_base()
    default_library()
    get_engine().evaluate(base, [])  # registers the ruleset before any deadline starts
    synthetic_scenario(3, 1)
    for item in spec:
        parties, populations = (int(x) for x in item.split("x"))
        emit({"start": item})
        emit({"done": item, **_measure_point(parties, populations)})


def scenario_growth() -> dict[str, Any]:
    """The synthetic grid, one child per number of parties (a row stops at its first failure)."""
    rows = []
    groups = [[(parties, n) for n in GRID_POPULATIONS] for parties in GRID_PARTIES]
    groups.insert(len(groups) - 1, list(EXTRA_POINTS))
    for points in groups:
        keys = [_point_key(*p) for p in points]
        log(f"  synthetic scenarios: {', '.join(keys)}")
        results = run_items("bench.rule_eval", ["points", *keys], keys, item_timeout_s=POINT_TIMEOUT_S)
        for (p, n), key in zip(points, keys, strict=True):
            result = {"parties": p, "populations": n, **results[key]}
            rows.append(result)
            if result.get("ok"):
                log(
                    f"  {key}: {result['facts']} facts, {result['firings']} firings, engine median "
                    f"{result['engine']['median_ms']:.1f} ms (n={result['engine']['n']}), evaluate() median "
                    f"{result['evaluate']['median_ms']:.1f} ms"
                )
    return {"timeout_s": POINT_TIMEOUT_S, "memory_limit_gb": 6.0, "points": rows}


# ---------------------------------------------------------------- growth with the rule base


def _subset(rules: list, size: int):
    """The first ``size`` rules that validate together (rules chaining on a dropped rule's facts go too)."""
    from assistant.domain.loading import DataError
    from assistant.domain.rules import build_rule_base

    chosen = list(rules[:size])
    while True:
        try:
            return build_rule_base(chosen)
        except DataError as exc:
            bad = {p.item for p in exc.problems}
            chosen = [r for r in chosen if r.id not in bad]


def _rule_size(size: str):
    """``quarter``/``half``: the first rules; ``x1``: the shipped base; ``plusN``: N renamed copies added;
    ``xN``: the whole base N times (renamed copies)."""
    from assistant.domain.evaluate import default_rule_base
    from assistant.domain.rules import build_rule_base

    from .synthetic import multiplied_rule_base

    base = default_rule_base()
    rules = list(base.rules)
    if size == "quarter":
        return _subset(rules, len(rules) // 4)
    if size == "half":
        return _subset(rules, len(rules) // 2)
    if size == "x1":
        return base
    if size.startswith("plus"):
        extra = int(size.removeprefix("plus"))
        return build_rule_base(rules + [r.model_copy(update={"id": f"{r.id}.copy2"}) for r in rules[:extra]])
    return multiplied_rule_base(base, int(size.removeprefix("x")))


def _measure_rules(size: str) -> dict[str, Any]:
    from assistant.domain.engine import get_engine
    from assistant.domain.facts import scenario_facts
    from assistant.domain.loading import DataError
    from assistant.domain.scenario import load_scenario

    from . import SCENARIOS_DIR

    t0 = time.perf_counter()
    try:
        base = _rule_size(size)
    except DataError as exc:  # the rule base refuses it: a result too
        first = exc.problems[0] if exc.problems else None
        return {"ok": False, "error": f"refused by build_rule_base ({len(exc.problems)} problems): {first}"}
    build_ms = (time.perf_counter() - t0) * 1000
    scenario = load_scenario(SCENARIOS_DIR / f"{SCALE_SCENARIO}.yaml")
    facts = scenario_facts(scenario)
    out: dict[str, Any] = {"rules": len(base.rules), "build_ms": round(build_ms, 1)}
    t0 = time.perf_counter()
    try:
        firings = len(get_engine().evaluate(base, facts))
    except Exception as exc:  # noqa: BLE001 - a rule base that does not register is a result, not a crash
        return {**out, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
    out["first_call_with_registration_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    engine_ms = time_calls(_engine_call(base, scenario), 50, warmup=2, budget_s=10.0)
    return {**out, "ok": True, "firings": firings, "engine": summary(engine_ms)}


def _child_rules(sizes: list[str]) -> None:
    from assistant.domain.evaluate import default_rule_base

    default_rule_base()
    for size in sizes:
        emit({"start": size})
        emit({"done": size, **_measure_rules(size)})


def rule_base_growth() -> dict[str, Any]:
    """Each size in a fresh child, so one crash costs one size and no size runs beside another ruleset."""
    log(f"  rule base sizes: {', '.join(RULE_SIZES)} on {SCALE_SCENARIO}")
    rows = []
    for size in RULE_SIZES:
        row = {"size": size, **run_items("bench.rule_eval", ["rules", size], [size], item_timeout_s=90.0)[size]}
        if "rules" not in row:
            row["rules"] = _expected_rules(size)
        rows.append(row)
        if row.get("ok"):
            log(f"  rules {size}: {row['rules']} rules, engine median {row['engine']['median_ms']:.2f} ms")
        else:
            log(f"  rules {size} ({row['rules']} rules): {row.get('error')}")
    return {"scenario": SCALE_SCENARIO, "sizes": rows}


def _expected_rules(size: str) -> int | None:
    """The number of rules a size has, for the report when its child died before saying."""
    from assistant.domain.evaluate import default_rule_base

    n = len(default_rule_base().rules)
    if size.startswith("plus"):
        return n + int(size.removeprefix("plus"))
    if size.startswith("x"):
        return n * int(size.removeprefix("x"))
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description="bench child: rule evaluation growth points")
    parser.add_argument("what", choices=["points", "rules"])
    parser.add_argument("items", nargs="+")
    args = parser.parse_args()
    if args.what == "points":
        _child_points(args.items)
    else:
        _child_rules(args.items)


if __name__ == "__main__":
    main()
