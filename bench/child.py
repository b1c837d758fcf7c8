"""Run part of the benchmark in a child process that reports one JSON line per item.

A child prints ``{"start": key}`` before an item and ``{"done": key, ...}`` after it. The parent gives each
item a deadline and a memory ceiling: an item that runs over is recorded as failed (with the child's RSS at
that moment), the child is killed, and the items after it in the same child are recorded as skipped. A child
that crashes (durable-rules aborts the whole process on some errors) is recorded the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from . import ROOT, log


def emit(record: dict[str, Any]) -> None:
    """Child side: one JSON line on standard output."""
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def _child_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """In a child before exec: have the kernel send ``sig`` when the benchmark dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(sig), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG (Linux)


def _limit_memory(limit_bytes: int):
    def apply() -> None:
        die_with_parent()
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


def run_items(
    module: str,
    args: list[str],
    keys: list[str],
    *,
    item_timeout_s: float,
    memory_limit_gb: float = 6.0,
    first_item_extra_s: float = 30.0,
) -> dict[str, dict[str, Any]]:
    """Run ``python -m module args`` and collect one result per key (failed and skipped keys included)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_limit_memory(int(memory_limit_gb * 1024**3)),  # noqa: PLW1509 - only setrlimit, no threads yet
    )
    lines: queue.Queue[str | None] = queue.Queue()
    err_tail: list[str] = []

    def pump_out() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line)
        lines.put(None)

    def pump_err() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            err_tail.append(line.rstrip())
            del err_tail[:-20]

    threading.Thread(target=pump_out, daemon=True).start()
    threading.Thread(target=pump_err, daemon=True).start()
    results: dict[str, dict[str, Any]] = {}
    current: str | None = None
    deadline = time.monotonic() + item_timeout_s + first_item_extra_s  # the child imports and loads first
    started = time.monotonic()
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                rss = _child_rss_mb(proc.pid)
                key = current or "(start-up)"
                elapsed = time.monotonic() - started
                results[key] = {
                    "ok": False,
                    "error": f"did not finish within {elapsed:.0f} s; the process was killed"
                    + (f" at {rss:.0f} MB RSS" if rss is not None else ""),
                    "killed_at_rss_mb": rss and round(rss, 1),
                }
                log(f"  {module} {key}: {results[key]['error']}")
                break
            if line is None:
                break
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "start" in record:
                current, started = record["start"], time.monotonic()
                deadline = started + item_timeout_s
            elif "done" in record:
                results[record.pop("done")] = record
                current = None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the group of the child started above, and only it
        proc.wait()
    if current is None and not results and keys:
        current = keys[0]  # died or hung while starting: charge it to the first item
    if current is not None and current not in results:
        code = proc.returncode
        how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        said = " | ".join(line for line in err_tail[-3:] if line)
        results[current] = {"ok": False, "error": f"the process died ({how})" + (f": {said}" if said else "")}
    for key in keys:
        if key not in results:
            results[key] = {"ok": False, "skipped": True, "error": "skipped: an earlier, smaller item failed"}
    return results
