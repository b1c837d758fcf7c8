"""``python -m bench``: run every part, then write ``bench/results.json`` and ``bench/REPORT.md``.

``python -m bench report`` only writes ``bench/REPORT.md`` again from the last ``results.json``.

Exit status 0 when every part ran (whether or not the goals are met), 1 when a part failed to run (its error
is in both files). The load-test server is stopped whatever happens, on SIGINT and SIGTERM too.
"""

from __future__ import annotations

import atexit
import json
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from . import BENCH_DIR, ROOT, MachineLoad, documents, hostile, log, memory, profiles, rule_eval, wizard_load

GOALS = {
    "rule_eval_ms_median": ("Rule evaluation, median across the example scenarios", "<=", 5.0, "ms"),
    "draft_check_ms_median": ("Draft check of the longest example draft, median", "<=", 10.0, "ms"),
    "wizard_p95_ms_at_50": ("Wizard step p95 at 50 users", "<=", 150.0, "ms"),
    "wizard_errors_at_50": ("Wizard errors at 50 users", "<=", 0, ""),
    "pdf_overhead_ratio": ("PDF pipeline / raw WeasyPrint", "<=", 1.15, "x"),
    "rss_growth_mb": ("RSS growth, 100 -> 10,000 evaluations", "<=", 20.0, "MB"),
}
LIBRARIES = (
    "durable_rules",
    "weasyprint",
    "python-docx",
    "flask",
    "werkzeug",
    "jinja2",
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "flask-login",
    "flask-wtf",
    "gunicorn",
    "httpx",
)


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop the server


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


SOURCES = ("assistant", "rules", "clause_library", "templates", "scenarios")


def source_fingerprint() -> str:
    """A hash of the code and data under test, to tell whether they changed while the benchmark ran."""
    import hashlib

    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def machine() -> dict[str, Any]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "memory": _first("/proc/meminfo", "MemTotal"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "libraries": versions,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "worktree_changed": bool(_git("status", "--porcelain", "--untracked-files=no", "--", *SOURCES)),
        "sources_fingerprint": source_fingerprint(),
    }


def rule_eval_examples() -> dict[str, Any]:
    return rule_eval.examples()


PARTS = (
    ("rule_eval", "rule evaluation on the example scenarios", rule_eval_examples),
    ("documents", "HTML, PDF and DOCX drafts", documents.run),
    ("memory", "RSS over 10,000 evaluations (fresh child process)", memory.run),
    ("wizard", "the wizard under load (gunicorn + asyncio/httpx)", wizard_load.run),
    ("hostile", "ordinary requests beside four scenarios at the contract's limits", hostile.run),
    ("scenario_growth", "growth with synthetic scenarios", rule_eval.scenario_growth),
    ("rule_base_growth", "growth with the rule base", rule_eval.rule_base_growth),
)


def headline(results: dict[str, Any]) -> dict[str, Any]:
    """The numbers the goals are judged on; None where the part did not run."""
    out: dict[str, Any] = dict.fromkeys(GOALS)
    ex = results.get("rule_eval") or {}
    out["rule_eval_ms_median"] = ex.get("engine_median_of_medians_ms")
    out["evaluate_ms_median"] = ex.get("evaluate_median_of_medians_ms")
    out["draft_check_ms_median"] = ((ex.get("draft_check") or {}).get("with_scenario") or {}).get("median_ms")
    level = next((lv for lv in (results.get("wizard") or {}).get("levels", []) if lv["users"] == 50), None)
    if level:
        out["wizard_p95_ms_at_50"] = level["p95_ms"]
        out["wizard_errors_at_50"] = level["errors"]
        out["wizard_unexpected_status_at_50"] = level["unexpected_status"] + level["conflicts_409"]
    saturated = next((lv for lv in (results.get("wizard") or {}).get("saturation", []) if lv["users"] == 50), None)
    if saturated:
        out["wizard_saturation_rps_at_50"] = saturated["throughput_rps"]
        out["wizard_saturation_p95_ms_at_50"] = saturated["p95_ms"]
    out["pdf_overhead_ratio"] = (results.get("documents") or {}).get("pdf_overhead_ratio")
    engine_series = (results.get("memory") or {}).get("engine") or {}
    out["rss_growth_mb"] = engine_series.get("growth_mb")
    out["rss_after_100_mb"] = (engine_series.get("rss_mb") or {}).get("100")
    out["rss_after_10000_mb"] = (engine_series.get("rss_mb") or {}).get("10000")
    return out


def judge(head: dict[str, Any]) -> list[dict[str, Any]]:
    goals = []
    for key, (what, op, target, unit) in GOALS.items():
        value = head.get(key)
        met = None if value is None else value <= target
        goals.append({"key": key, "goal": what, "target": f"{op} {target}{unit and ' ' + unit}", "value": value})
        goals[-1]["met"] = met
    return goals


def missed_profiles(results: dict[str, Any], goals: list[dict[str, Any]]) -> dict[str, Any]:
    """A short profile for each goal missed."""
    missed = {g["key"] for g in goals if g["met"] is False}
    out: dict[str, Any] = {}
    try:
        if "rule_eval_ms_median" in missed:
            rows = results["rule_eval"]["scenarios"]
            slowest = max(rows, key=lambda r: r["engine"]["median_ms"])["scenario"]
            log(f"profile: rule evaluation on {slowest}")
            out["rule_eval"] = profiles.rule_evaluation(slowest)
        if missed & {"wizard_p95_ms_at_50", "wizard_errors_at_50"}:
            log("profile: wizard requests, one thread, no server")
            out["wizard"] = profiles.wizard(5)
        if "pdf_overhead_ratio" in missed:
            rows = results["documents"]["scenarios"]
            worst = max(rows, key=lambda r: r["pdf_overhead_ratio"])["scenario"]
            log(f"profile: document_pdf on {worst}")
            out["pdf"] = profiles.pdf(worst)
        if "rss_growth_mb" in missed:
            log("profile: memory growth (tracemalloc)")
            out["memory"] = profiles.memory()
    except Exception:  # noqa: BLE001 - a failed profile is reported, the measurements stand
        out["error"] = traceback.format_exc(limit=4)
    return out


def main() -> int:
    from .report import write_report

    if sys.argv[1:] == ["report"]:  # only re-render REPORT.md from the results.json of the last run
        final = json.loads((BENCH_DIR / "results.json").read_text(encoding="utf-8"))
        (BENCH_DIR / "REPORT.md").write_text(write_report(final), encoding="utf-8")
        log("wrote bench/REPORT.md from bench/results.json")
        return 0
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    atexit.register(wizard_load.stop_all)
    began = time.monotonic()
    results: dict[str, Any] = {"meta": machine(), "machine_load": {}, "part_errors": {}}
    log(f"benchmark on {results['meta']['cores']} cores, Python {results['meta']['python']}")
    try:
        for key, title, run in PARTS:
            log(f"part: {title}")
            load = MachineLoad()
            try:
                results[key] = run()
            except Exception:  # noqa: BLE001 - one part failing must not lose the others' numbers
                results["part_errors"][key] = traceback.format_exc(limit=6)
                log(f"part {key} FAILED:\n{results['part_errors'][key]}")
            finally:
                wizard_load.stop_all()
            results["machine_load"][key] = load.stop()
            log(f"part {key} done in {results['machine_load'][key]['wall_s']} s")
        head = headline(results)
        goals = judge(head)
        results["profiles"] = missed_profiles(results, goals)
    finally:
        wizard_load.stop_all()
    results["meta"]["duration_s"] = round(time.monotonic() - began, 1)
    results["meta"]["commit_at_end"] = _git("rev-parse", "--short", "HEAD")
    results["meta"]["sources_fingerprint_at_end"] = source_fingerprint()
    results["meta"]["sources_changed_during_run"] = (
        results["meta"]["sources_fingerprint_at_end"] != results["meta"]["sources_fingerprint"]
    )
    final = {**head, "goals": goals, **results}
    (BENCH_DIR / "results.json").write_text(json.dumps(final, indent=2) + "\n", encoding="utf-8")
    (BENCH_DIR / "REPORT.md").write_text(write_report(final), encoding="utf-8")
    log(f"wrote bench/results.json and bench/REPORT.md in {results['meta']['duration_s']} s")
    for g in goals:
        state = "not measured" if g["met"] is None else "met" if g["met"] else "MISSED"
        log(f"  {g['goal']}: {g['value']} (goal {g['target']}): {state}")
    return 1 if results["part_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
