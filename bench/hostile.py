"""Part: hostile input at the contract's limits (issue 11).

The same gunicorn set-up as the wizard part (2 workers x 4 threads, fresh database). Four signed-in clients
keep the costliest scenario the contract accepts in flight (``bench.synthetic.hostile_scenario_data``: 60
parties, every one a State of origin, transit and donor with every capacity, 200 groups) by posting it to
``POST /api/v1/advice`` again as soon as it is answered; the API's per-account rate limit is raised for them,
so all four are really in flight (that limit would otherwise turn most of them away). Meanwhile one
ordinary user alternates an ordinary evaluation (the API on the example scenario, never cached) and a wizard
page (the steps in turn), for ``SECONDS``. The same user is measured first with nothing else running.

``python -m bench.hostile run [--merge]`` runs this part alone; ``--merge`` puts the result into
``bench/results.json`` and writes ``bench/REPORT.md`` again.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import BENCH_DIR, ROOT, log, summary
from .wizard_load import EXAMPLE, PASSWORD, STEPS, prepare_database, start_server, stop_server

ATTACKERS = 4
SECONDS = 20.0
BASELINE_SECONDS = 10.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """A signed-in browser-like client (cookies, no redirects followed)."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        status, _, _ = self.send("POST", "/login", form={"username": username, "password": PASSWORD})
        if status != 303:
            raise RuntimeError(f"sign-in of {username} answered {status}")

    def send(
        self, method: str, path: str, *, form: dict | None = None, body: bytes | None = None
    ) -> tuple[int, bytes, Any]:
        headers = {}
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
        elif body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=120)  # noqa: S310 - http://127.0.0.1 only
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            return response.status, response.read(), response.headers


def _wait_ready(base: str, proc: Any, timeout_s: float = 60.0) -> None:
    """As ``wizard_load.wait_ready``, with the standard library only (this part needs no httpx)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {proc.returncode} before it served")
        try:
            with urllib.request.urlopen(base + "/login", timeout=2) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base} within {timeout_s:.0f} s")


def _ordinary_user(client: Client, negotiation: int, ordinary: bytes, seconds: float) -> dict[str, list[float]]:
    """Alternate an ordinary evaluation and a wizard page until ``seconds`` have passed; milliseconds of each."""
    out: dict[str, list[float]] = {"evaluation": [], "wizard_page": [], "errors": []}
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        status, _, _ = client.send("POST", "/api/v1/advice", body=ordinary)
        out["evaluation" if status == 200 else "errors"].append((time.perf_counter() - t0) * 1000)
        step = STEPS[i % len(STEPS)]
        i += 1
        t0 = time.perf_counter()
        status, _, _ = client.send("GET", f"/negotiations/{negotiation}/{step}")
        out["wizard_page" if status == 200 else "errors"].append((time.perf_counter() - t0) * 1000)
    return out


def _attacker(client: Client, body: bytes, stop: threading.Event, record: list[tuple[int, float]]) -> None:
    while not stop.is_set():
        t0 = time.perf_counter()
        status, _, _ = client.send("POST", "/api/v1/advice", body=body)
        record.append((status, (time.perf_counter() - t0) * 1000))


def run(seconds: float = SECONDS, baseline_seconds: float = BASELINE_SECONDS) -> dict[str, Any]:
    from assistant.domain.scenario import MAX_PARTIES, MAX_POPULATIONS, load_scenario, parse_scenario

    from .synthetic import hostile_scenario_data

    hostile_data = hostile_scenario_data()
    parse_scenario(hostile_data)  # within the limits: the application accepts it
    hostile = json.dumps(hostile_data).encode()
    ordinary = json.dumps(load_scenario(ROOT / "scenarios" / f"{EXAMPLE}.yaml").to_dict()).encode()
    folder = Path(tempfile.mkdtemp(prefix="assistant-bench-hostile-"))
    proc = None
    try:
        _, env, _ = prepare_database(folder, ATTACKERS + 1)
        env["ASSISTANT_API_RATE_LIMIT"] = "100000 per minute"  # the four must really be in flight
        proc, base = start_server(env, folder / "gunicorn.log", folder / "access.log")
        _wait_ready(base, proc)
        user = Client(base, f"bench{ATTACKERS:03d}")
        status, _, headers = user.send("POST", "/negotiations", form={"example": EXAMPLE})
        match = re.search(r"/negotiations/(\d+)/", headers.get("Location", ""))
        if status != 303 or not match:
            raise RuntimeError(f"could not start a negotiation: {status}")
        negotiation = int(match[1])
        for _ in range(3):  # warm every worker: rule base registered, templates compiled, advice cached
            _ordinary_user(user, negotiation, ordinary, 0.5)
        log(f"  baseline: one ordinary user alone for {baseline_seconds:.0f} s")
        alone = _ordinary_user(user, negotiation, ordinary, baseline_seconds)
        attackers = [Client(base, f"bench{i:03d}") for i in range(ATTACKERS)]
        stop = threading.Event()
        record: list[tuple[int, float]] = []
        threads = [threading.Thread(target=_attacker, args=(c, hostile, stop, record), daemon=True) for c in attackers]
        log(f"  {ATTACKERS} hostile scenarios at the limits in flight, one ordinary user, {seconds:.0f} s")
        for t in threads:
            t.start()
        time.sleep(1.0)  # all four in flight before measuring
        try:
            loaded = _ordinary_user(user, negotiation, ordinary, seconds)
        finally:
            stop.set()
            for t in threads:
                t.join(150)
    finally:
        if proc is not None:
            stop_server(proc)
        shutil.rmtree(folder, ignore_errors=True)
    statuses: dict[str, int] = {}
    for status, _ in record:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "hostile_scenario": {
            "parties": MAX_PARTIES,
            "populations": MAX_POPULATIONS,
            "json_kib": round(len(hostile) / 1024, 1),
        },
        "attackers": ATTACKERS,
        "seconds": seconds,
        "alone": {k: summary(v) for k, v in alone.items() if k != "errors"} | {"errors": len(alone["errors"])},
        "under_attack": {k: summary(v) for k, v in loaded.items() if k != "errors"} | {"errors": len(loaded["errors"])},
        "hostile_requests": {"statuses": statuses, "ms": summary([ms for _, ms in record])},
    }


def _commit() -> str:
    import subprocess

    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description="bench: hostile input at the contract's limits")
    parser.add_argument("what", choices=["run"])
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--merge", action="store_true", help="put the result into results.json and REPORT.md")
    args = parser.parse_args()
    result = run(args.seconds)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if args.merge:
        from .report import write_report

        path = BENCH_DIR / "results.json"
        final = json.loads(path.read_text(encoding="utf-8"))
        final["hostile"] = result
        path.write_text(json.dumps(final, indent=2) + "\n", encoding="utf-8")
        (BENCH_DIR / "REPORT.md").write_text(write_report(final), encoding="utf-8")
        log("merged into bench/results.json and wrote bench/REPORT.md")


if __name__ == "__main__":
    main()
