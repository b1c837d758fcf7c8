"""Part 4: memory, in a fresh child process so that nothing else measured here is in its RSS.

``python -m bench.memory engine`` runs ``get_engine().evaluate(base, scenario_facts(s))`` 10,000 times on
an example scenario and reads VmRSS from /proc/self/status at checkpoints; growth is RSS after 10,000 minus
RSS after 100. ``python -m bench.memory evaluate`` does the same for the whole ``evaluate()`` (advice and
draft) up to 500 calls, as a second look at the path the server takes.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from . import SCENARIOS_DIR, rss_mb
from .child import emit, run_items

SCENARIO = "evacuation_multinational"
ENGINE_CHECKPOINTS = (100, 500, 1_000, 2_500, 5_000, 7_500, 10_000)
EVALUATE_CHECKPOINTS = (100, 250, 500)


def _series(kind: str) -> dict[str, Any]:
    from assistant.domain.engine import get_engine
    from assistant.domain.evaluate import default_library, default_rule_base, evaluate
    from assistant.domain.facts import scenario_facts
    from assistant.domain.scenario import load_scenario

    base = default_rule_base()
    default_library()
    scenario = load_scenario(SCENARIOS_DIR / f"{SCENARIO}.yaml")
    engine = get_engine()
    if kind == "engine":
        checkpoints = ENGINE_CHECKPOINTS

        def call() -> None:
            engine.evaluate(base, scenario_facts(scenario))

    else:
        checkpoints = EVALUATE_CHECKPOINTS

        def call() -> None:
            evaluate(scenario)

    rss = {"0": round(rss_mb(), 2)}
    done = 0
    t0 = time.perf_counter()
    for target in checkpoints:
        while done < target:
            call()
            done += 1
        rss[str(target)] = round(rss_mb(), 2)
    elapsed = time.perf_counter() - t0
    first, last = str(checkpoints[0]), str(checkpoints[-1])
    return {
        "ok": True,
        "scenario": SCENARIO,
        "calls": done,
        "seconds": round(elapsed, 1),
        "rss_mb": rss,
        "rss_after_first_checkpoint_mb": rss[first],
        "rss_after_last_checkpoint_mb": rss[last],
        "growth_mb": round(rss[last] - rss[first], 2),
        "live_sessions_left": len(engine._runs),
    }


def run() -> dict[str, Any]:
    out = {}
    for kind, timeout in (("engine", 600.0), ("evaluate", 300.0)):
        out[kind] = run_items("bench.memory", [kind], [kind], item_timeout_s=timeout)[kind]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="bench child: RSS over many evaluations")
    parser.add_argument("kind", choices=["engine", "evaluate"])
    kind = parser.parse_args().kind
    emit({"start": kind})
    emit({"done": kind, **_series(kind)})


if __name__ == "__main__":
    main()
