"""Short cProfile profiles for the goals a run misses: where the time goes, by own time and by cumulative time.

The profiler counts this process's CPU time (``time.process_time``), not wall time, so that work of other
processes on a busy machine does not land in whatever function happened to be running.

``python -m bench.profiles wizard`` profiles the wizard's requests in a child (the app in-process through
Flask's test client, on its own throw-away database), so no server or network is in the picture: this is
the service time of one request with nothing else running.
"""

from __future__ import annotations

import cProfile
import pstats
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import ROOT
from .child import emit, run_items

TOP = 12


def _where(key: tuple[str, int, str]) -> str:
    file, line, func = key
    if file == "~":
        return func  # a built-in: "<built-in method …>" or "<method … of … objects>"
    path = file
    for prefix in (str(ROOT) + "/", *(p + "/" for p in sys.path if p.endswith("site-packages"))):
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    return f"{path}:{line}({func})"


def _area(function: str) -> str:
    """Where a profiled function lives, for the own-time breakdown."""
    if "durable_rules_engine" in function:
        return "durable-rules C engine"
    if "durable/" in function:
        return "durable-rules Python host"
    if "/json/" in function:
        return "json (standard library)"
    if function.startswith("assistant/"):
        return "the app (assistant/)"
    for lib in ("jinja2", "markupsafe", "sqlalchemy", "sqlmodel", "werkzeug", "flask", "pydantic", "weasyprint"):
        if f"/{lib}/" in function or function.startswith(f"{lib}/"):
            return lib
    return "other (built-ins, standard library, other packages)"


def profile(fn, runs: int, buckets: dict[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    """Profile ``runs`` calls of ``fn``: the top entries by own time, the top functions of the app (and of
    durable-rules) by cumulative time, and for each bucket
    (label: (file path ending, function name)) the cumulative seconds spent in it."""
    prof = cProfile.Profile(time.process_time)  # CPU time: other processes' load does not land in the entries
    t0 = time.perf_counter()
    prof.enable()
    for _ in range(runs):
        fn()
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    rows = [
        {"function": _where(k), "ncalls": nc, "tottime_s": round(tt, 4), "cumtime_s": round(ct, 4)}
        for k, (_, nc, tt, ct, _) in stats.stats.items()  # type: ignore[attr-defined]
    ]
    total = stats.total_tt  # type: ignore[attr-defined]
    ours = [r for r in rows if r["function"].startswith("assistant/") or "durable" in r["function"]]
    found = {}
    for label, (path, func) in (buckets or {}).items():
        pattern = re.compile(rf"{re.escape(path)}:\d+\({re.escape(func)}\)$")
        found[label] = round(sum(r["cumtime_s"] for r in rows if pattern.search(r["function"])), 4)
    areas: dict[str, float] = {}
    for r in rows:
        areas[_area(r["function"])] = areas.get(_area(r["function"]), 0.0) + r["tottime_s"]
    return {
        "runs": runs,
        "profiled_wall_s": round(wall, 3),
        "own_time_by_area_s": {k: round(v, 4) for k, v in sorted(areas.items(), key=lambda kv: -kv[1])},
        "total_own_time_s": round(total, 3),
        "buckets_cumulative_s": found,
        "by_own_time": sorted(rows, key=lambda r: -r["tottime_s"])[:TOP],
        "app_by_cumulative_time": sorted(ours, key=lambda r: -r["cumtime_s"])[:TOP],
    }


def rule_evaluation(scenario: str, runs: int = 50) -> dict[str, Any]:
    from assistant.domain.engine import get_engine
    from assistant.domain.evaluate import default_rule_base
    from assistant.domain.facts import scenario_facts
    from assistant.domain.scenario import load_scenario

    from . import SCENARIOS_DIR

    base = default_rule_base()
    s = load_scenario(SCENARIOS_DIR / f"{scenario}.yaml")
    get_engine().evaluate(base, scenario_facts(s))
    return {
        "what": f"get_engine().evaluate(base, scenario_facts(s)) on {scenario}",
        **profile(lambda: get_engine().evaluate(base, scenario_facts(s)), runs),
    }


def pdf(scenario: str, runs: int = 2) -> dict[str, Any]:
    from assistant.documents.render import document_pdf
    from assistant.domain.evaluate import evaluate
    from assistant.domain.scenario import load_scenario

    from . import SCENARIOS_DIR

    draft = evaluate(load_scenario(SCENARIOS_DIR / f"{scenario}.yaml")).draft
    document_pdf(draft)
    return {"what": f"document_pdf on {scenario}", **profile(lambda: document_pdf(draft), runs)}


def _wizard_child(cycles: int) -> dict[str, Any]:
    from assistant import create_app
    from assistant.db import get_session, upgrade
    from assistant.services.people import create_user

    from .wizard_load import EXAMPLE, PASSWORD, STEPS, step_form

    folder = Path(tempfile.mkdtemp(prefix="assistant-bench-profile-"))
    url = f"sqlite:///{folder / 'profile.sqlite'}"
    upgrade(url)
    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False}
    )
    with app.app_context():
        create_user(session=get_session(), username="profiler", display_name="Profiler", password=PASSWORD)
    client = app.test_client()
    client.post("/login", data={"username": "profiler", "password": PASSWORD})
    location = client.post("/negotiations", data={"example": EXAMPLE}).headers["Location"]
    match = re.search(r"/negotiations/(\d+)/", location)
    base = f"/negotiations/{match[1] if match else 0}"
    per_kind: dict[str, list[float]] = {}

    def cycle() -> None:
        for step in STEPS:
            t0 = time.process_time()
            page = client.get(f"{base}/{step}")
            per_kind.setdefault(f"GET {step}", []).append((time.process_time() - t0) * 1000)
            if step == "context":
                form: dict[str, list[str]] = {}
                for name, value in step_form(page.get_data(as_text=True)):
                    form.setdefault(name, []).append(value)
                t0 = time.process_time()
                client.post(f"{base}/context", data=form)
                per_kind.setdefault("POST context", []).append((time.process_time() - t0) * 1000)

    cycle()  # warm: rule base, clause library, templates
    per_kind.clear()
    for _ in range(cycles):  # CPU per request without the profiler's overhead
        cycle()
    cpu_ms = {k: round(sum(v) / len(v), 1) for k, v in per_kind.items()}
    out = profile(
        cycle,
        cycles,
        {
            "evaluate() (rules, advice, draft)": ("assistant/domain/evaluate.py", "evaluate"),
            "of which the rule engine": ("assistant/domain/engine.py", "evaluate"),
            "templates (Jinja render)": ("jinja2/environment.py", "render"),
            "database (SQLAlchemy Session.execute)": ("sqlalchemy/orm/session.py", "execute"),
        },
    )
    app.extensions["assistant.db"].dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "what": f"{cycles} wizard cycles (7 requests each) through Flask's test client, one thread",
        "cpu_ms_per_request": cpu_ms,
        **out,
    }


def wizard(cycles: int = 5) -> dict[str, Any]:
    return run_items("bench.profiles", ["wizard", str(cycles)], ["wizard"], item_timeout_s=240.0)["wizard"]


def _memory_child(first: int, more: int) -> dict[str, Any]:
    import tracemalloc

    from assistant.domain.engine import get_engine
    from assistant.domain.evaluate import default_rule_base
    from assistant.domain.facts import scenario_facts
    from assistant.domain.scenario import load_scenario

    from . import SCENARIOS_DIR, rss_mb
    from .memory import SCENARIO

    base = default_rule_base()
    s = load_scenario(SCENARIOS_DIR / f"{SCENARIO}.yaml")
    engine = get_engine()
    for _ in range(first):
        engine.evaluate(base, scenario_facts(s))
    tracemalloc.start(10)
    before, rss0 = tracemalloc.take_snapshot(), rss_mb()
    for _ in range(more):
        engine.evaluate(base, scenario_facts(s))
    after, rss1 = tracemalloc.take_snapshot(), rss_mb()
    diff = after.compare_to(before, "lineno")[:TOP]
    traced = sum(d.size_diff for d in after.compare_to(before, "filename"))
    return {
        "what": f"tracemalloc between evaluation {first} and {first + more} of {SCENARIO}",
        "rss_growth_mb": round(rss1 - rss0, 2),
        "python_heap_growth_mb": round(traced / 1024**2, 3),
        "top_growth": [{"where": str(d.traceback[0]), "size_diff_kb": round(d.size_diff / 1024, 1)} for d in diff],
    }


def memory(first: int = 100, more: int = 2000) -> dict[str, Any]:
    return run_items("bench.profiles", ["memory", str(first), str(more)], ["memory"], item_timeout_s=300.0)["memory"]


def main() -> None:
    what, numbers = sys.argv[1], [int(x) for x in sys.argv[2:]]
    emit({"start": what})
    result = _wizard_child(*numbers) if what == "wizard" else _memory_child(*numbers)
    emit({"done": what, "ok": True, **result})


if __name__ == "__main__":
    main()
