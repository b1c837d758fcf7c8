"""The Agreement Assistant's benchmark suite (``make bench`` or ``python -m bench``).

Four parts, all measured in one run and written to ``bench/results.json`` and ``bench/REPORT.md``:

1. rule evaluation (``rule_eval``): the shipped rule base on every example scenario, the whole ``evaluate()``,
   and how both grow with synthetic scenarios and a multiplied rule base;
2. the wizard under load (``wizard_load``): gunicorn (2 workers x 4 threads) on 127.0.0.1 and 1 to 100
   simulated users driven by asyncio and httpx;
3. draft documents (``documents``): HTML, PDF and DOCX, and the PDF pipeline against raw WeasyPrint;
4. memory (``memory``): process RSS after 100 and 10,000 evaluations, in a fresh subprocess.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
SCENARIOS_DIR = ROOT / "scenarios"
_START = time.monotonic()


def log(message: str) -> None:
    """Progress on standard error, with the seconds since the run started."""
    sys.stderr.write(f"[bench {time.monotonic() - _START:6.1f}s] {message}\n")
    sys.stderr.flush()


def example_paths() -> list[Path]:
    """The shipped example scenarios, in name order."""
    return sorted(SCENARIOS_DIR.glob("*.yaml"))


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks (numpy's default)."""
    data = sorted(values)
    if not data:
        return math.nan
    pos = (len(data) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def summary(values_ms: list[float]) -> dict[str, Any]:
    """n, median, p95, p99, min, max and mean of a list of milliseconds, rounded for reading."""
    if not values_ms:
        return {"n": 0}
    return {
        "n": len(values_ms),
        "median_ms": round(percentile(values_ms, 50), 3),
        "p95_ms": round(percentile(values_ms, 95), 3),
        "p99_ms": round(percentile(values_ms, 99), 3),
        "min_ms": round(min(values_ms), 3),
        "max_ms": round(max(values_ms), 3),
        "mean_ms": round(sum(values_ms) / len(values_ms), 3),
    }


def time_calls(
    fn: Callable[[], Any], runs: int, *, warmup: int = 1, budget_s: float | None = None, min_runs: int = 3
) -> list[float]:
    """Call ``fn`` ``warmup`` times untimed, then up to ``runs`` times; each call's wall time in ms.

    With ``budget_s``, stop early once that many seconds were spent (but never before ``min_runs`` calls).
    """
    for _ in range(warmup):
        fn()
    out: list[float] = []
    began = time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
        if budget_s is not None and len(out) >= min_runs and time.perf_counter() - began > budget_s:
            break
    return out


def rss_mb() -> float:
    """This process's resident set size (VmRSS in /proc/self/status), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def _proc_stat_busy_s() -> float:
    """Seconds of CPU time the whole machine spent busy since boot (all cores, /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class MachineLoad:
    """How busy the machine was with work other than this benchmark while a part ran.

    Other = all CPU time the kernel counted minus this process's and its (reaped) children's. Processes the
    benchmark started but had not reaped yet would be counted as other, so each part reaps its children
    before ``stop``.
    """

    def __init__(self) -> None:
        self.wall0, self.busy0, self.own0 = time.monotonic(), _proc_stat_busy_s(), _own_cpu_s()
        self.load0 = os.getloadavg()[0]

    def stop(self) -> dict[str, Any]:
        wall = time.monotonic() - self.wall0
        busy, own = _proc_stat_busy_s() - self.busy0, _own_cpu_s() - self.own0
        cores = os.cpu_count() or 1
        other = max(0.0, busy - own)
        return {
            "wall_s": round(wall, 1),
            "own_cpu_s": round(own, 1),
            "other_cpu_s": round(other, 1),
            "other_cores_busy": round(other / wall, 2) if wall else None,
            "other_share_of_machine": round(other / (wall * cores), 3) if wall else None,
            "loadavg_1min_at_start": round(self.load0, 2),
            "loadavg_1min_at_end": round(os.getloadavg()[0], 2),
        }
