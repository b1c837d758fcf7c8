"""Part 2: the wizard under load.

A real WSGI server (gunicorn, 2 workers x 4 threads, gthread) on 127.0.0.1 serves the app from a fresh,
migrated SQLite database with the example negotiations loaded. Each simulated user has an account, signs
in, starts its own negotiation from ``evacuation_multinational`` through ``POST /negotiations`` (so it is the
convener and a member, and no two users share a negotiation), then loops over:

    GET context -> POST context (the form as shown, with its revision) -> GET parties -> GET populations
    -> GET services -> GET suggestions -> GET draft

1, 10, 50 and 100 users run for a bounded time each, pausing between requests as a person does (a think
time drawn uniformly from 1-3 s, seeded per user: people reading a wizard step take longer, so this is
more load than real users make); each user starts after a first pause drawn the same way, so the users do
not all send their first request in the same millisecond. The goals are judged on these levels. Then a
saturation run: 10 and 50 users with no think time at all, every user always waiting for an answer,
to show the throughput ceiling.
Requests in flight at the deadline are awaited and counted; no new one starts after it. Errors are 5xx
answers and transport failures (refused, reset, timed out); 409 (someone else saved)
and other unexpected statuses are counted apart.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import ROOT, log, percentile
from .child import die_with_parent

LEVELS = (1, 10, 50, 100)
LEVEL_SECONDS = 30.0
THINK_S = (1.0, 3.0)  # a person's pause between two wizard requests, drawn uniformly; conservative
SATURATION_LEVELS = (10, 50)
SATURATION_SECONDS = 15.0
WORKERS, THREADS = 2, 4
WARMUP_USERS = WORKERS * THREADS  # enough to reach every thread of every worker
WARMUP_PER_WORKER = 4 * len(("context", "parties", "populations", "services", "suggestions", "draft"))
WARMUP_LIMIT_S = 120.0
EXAMPLE = "evacuation_multinational"
PASSWORD = "quiet harbour lantern 4821"  # noqa: S105 - throw-away accounts on a throw-away database
STEPS = ("context", "parties", "populations", "services", "suggestions", "draft")
REQUEST_TIMEOUT_S = 30.0

# Servers this process started; stopped by ``stop_all`` (also on SIGTERM/SIGINT and at exit).
_SERVERS: list[subprocess.Popen] = []


# ---------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(db_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "ASSISTANT_SECRET_KEY": secrets.token_hex(16),
        "ASSISTANT_WTF_CSRF_ENABLED": "false",
        "ASSISTANT_SESSION_COOKIE_SECURE": "false",
        # Every simulated user signs in from 127.0.0.1: the per-address sign-in limit would refuse most of them.
        "ASSISTANT_LOGIN_RATE_LIMIT": "100000 per minute",
        "PYTHONUNBUFFERED": "1",
    }


def prepare_database(folder: Path, users: int) -> tuple[Path, dict[str, str], dict[str, float]]:
    """A migrated database with the examples loaded and ``users`` member accounts; the seconds each step took."""
    db = folder / "bench.sqlite"
    env = server_env(db)
    took: dict[str, float] = {}
    for name, args in (
        ("db_upgrade_s", ["db", "upgrade"]),
        ("examples_load_s", ["examples", "load"]),
    ):
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "assistant.cli", *args], env=env, cwd=ROOT, check=True, capture_output=True
        )
        took[name] = round(time.monotonic() - t0, 2)
    t0 = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "bench.wizard_load", "users", str(users)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    took["users_create_s"] = round(time.monotonic() - t0, 2)
    return db, env, took


def _create_users(count: int) -> None:
    """Child: ``count`` member accounts, created with the app's own ``create_user`` (the one password is hashed
    once, not ``count`` times: scrypt is slow on purpose and the accounts are not what is measured)."""
    from unittest import mock

    from werkzeug.security import generate_password_hash

    from assistant import create_app
    from assistant.db import get_session
    from assistant.services import people

    hashed = generate_password_hash(PASSWORD)
    app = create_app()
    with app.app_context(), mock.patch.object(people, "generate_password_hash", return_value=hashed):
        for i in range(count):
            people.create_user(
                session=get_session(), username=f"bench{i:03d}", display_name=f"Bench {i}", password=PASSWORD
            )


def _gunicorn_extra_args() -> list[str]:
    """Newer gunicorn opens a control socket in ~/.gunicorn by default: not wanted for a throw-away server."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []


ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s %(M)s"  # worker pid, method, path, status, ms in the worker


def start_server(env: dict[str, str], log_path: Path, access_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    with log_path.open("ab") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--worker-class",
                "gthread",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
                "--log-level",
                "info",
                "--access-logfile",
                str(access_path),
                "--access-logformat",
                ACCESS_FORMAT,
                *_gunicorn_extra_args(),
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
            start_new_session=True,
            preexec_fn=lambda: die_with_parent(signal.SIGTERM),  # noqa: PLW1509 - one prctl call, no threads
        )
    _SERVERS.append(proc)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(base: str, proc: subprocess.Popen, timeout_s: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {proc.returncode} before it served")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base} within {timeout_s:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (graceful), SIGKILL to what is left after 10 s."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # workers that outlived their master, if any
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    if proc in _SERVERS:
        _SERVERS.remove(proc)


def stop_all() -> None:
    for proc in list(_SERVERS):
        stop_server(proc)


class AccessLog:
    """The server's access log, read in slices: which worker served how many wizard requests."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def read(self) -> list[tuple[str, str, str, int, float]]:
        """The lines written since the last read: (pid, method, path, status, ms in the worker)."""
        if not self.path.exists():
            return []
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        cut = data.rfind(b"\n") + 1
        self.offset += cut
        out = []
        for line in data[:cut].decode(errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 5 and parts[3].isdigit():
                with contextlib.suppress(ValueError):
                    out.append((parts[0].strip("<>"), parts[1], parts[2], int(parts[3]), float(parts[4])))
        return out


def per_worker(lines: list[tuple[str, str, str, int, float]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pid, _, path, _, _ in lines:
        if path.startswith("/negotiations/"):
            counts[pid] = counts.get(pid, 0) + 1
    return counts


# ---------------------------------------------------------------- the simulated users


class _StepForm(HTMLParser):
    """The fields a browser would submit from ``<form id="step-form">`` (submit buttons left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "step-form":
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_multiple, self._options = a["name"], "multiple" in a, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, sel in self._options if sel]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields += [(self._select, v) for v in chosen]
            self._select = None


def step_form(html: str) -> list[tuple[str, str]]:
    parser = _StepForm()
    parser.feed(html)
    return parser.fields


@dataclass
class Sample:
    kind: str
    started: float
    ms: float
    status: int | None  # None: transport error
    error: str = ""
    idle_ms: float = 0.0  # how long the user's connection was idle before this request


@dataclass
class User:
    name: str
    client: Any
    negotiation: int | None = None
    samples: list[Sample] = field(default_factory=list)
    last_answer: float = 0.0
    rng: random.Random = field(default_factory=random.Random)


async def _timed(user: User, kind: str, method: str, url: str, **kwargs: Any):
    import httpx

    t0 = time.perf_counter()
    idle = (t0 - user.last_answer) * 1000 if user.last_answer else 0.0
    try:
        response = await user.client.request(method, url, **kwargs)
        await response.aread()
    except httpx.HTTPError as exc:
        user.last_answer = time.perf_counter()
        error = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        user.samples.append(Sample(kind, t0, (user.last_answer - t0) * 1000, None, error, idle))
        return None
    user.last_answer = time.perf_counter()
    user.samples.append(Sample(kind, t0, (user.last_answer - t0) * 1000, response.status_code, "", idle))
    return response


async def sign_in(user: User) -> float:
    """Log in and start the user's own negotiation; the seconds the login took."""
    t0 = time.perf_counter()
    r = await user.client.post("/login", data={"username": user.name, "password": PASSWORD})
    login_s = time.perf_counter() - t0
    if r.status_code != 303:
        raise RuntimeError(f"login of {user.name} answered {r.status_code}")
    r = await user.client.post("/negotiations", data={"example": EXAMPLE})
    match = re.search(r"/negotiations/(\d+)/", r.headers.get("location", ""))
    if r.status_code != 303 or not match:
        raise RuntimeError(f"{user.name} could not start a negotiation: {r.status_code}")
    user.negotiation = int(match[1])
    return login_s


async def _think(user: User, think: tuple[float, float] | None, deadline: float) -> bool:
    """Pause as a person would (not past the deadline); False when the deadline has come."""
    if think:
        await asyncio.sleep(max(0.0, min(user.rng.uniform(*think), deadline - time.perf_counter())))
    return time.perf_counter() < deadline


async def user_loop(
    user: User, deadline: float, cycles: int | None = None, think: tuple[float, float] | None = None
) -> None:
    base = f"/negotiations/{user.negotiation}"
    done = 0
    if think:  # people arrive over time, not all in the same millisecond: start after a pause of up to one think
        await asyncio.sleep(min(user.rng.uniform(0, think[1]), max(0.0, deadline - time.perf_counter())))
    while time.perf_counter() < deadline and (cycles is None or done < cycles):
        done += 1
        page = await _timed(user, "GET context", "GET", f"{base}/context")
        if page is not None and page.status_code == 200 and await _think(user, think, deadline):
            form = step_form(page.text)
            if any(name == "revision" for name, _ in form):
                await _timed(user, "POST context", "POST", f"{base}/context", data=_form_dict(form))
            else:
                user.samples.append(Sample("POST context", time.perf_counter(), 0.0, -1, "no revision on the page"))
        for step in STEPS[1:]:
            if not await _think(user, think, deadline):
                return
            await _timed(user, f"GET {step}", "GET", f"{base}/{step}")


def _form_dict(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in fields:
        out.setdefault(name, []).append(value)
    return out


def _expected(kind: str) -> int:
    return 303 if kind.startswith("POST") else 200


def level_stats(samples: list[Sample], wall_s: float, users: int) -> dict[str, Any]:
    ms = [s.ms for s in samples if s.status is not None and s.status > 0]
    errors = [s for s in samples if s.status is None or s.status >= 500]
    conflicts = [s for s in samples if s.status == 409]
    unexpected = [s for s in samples if s.status is not None and s.status < 500 and s.status not in (409,)]
    unexpected = [s for s in unexpected if s.status != _expected(s.kind)]
    kinds: dict[str, dict[str, Any]] = {}
    for kind in sorted({s.kind for s in samples}):
        k_ms = [s.ms for s in samples if s.kind == kind and s.status is not None and s.status > 0]
        kinds[kind] = {
            "n": len(k_ms),
            "p50_ms": round(percentile(k_ms, 50), 1),
            "p95_ms": round(percentile(k_ms, 95), 1),
        }
    return {
        "users": users,
        "wall_s": round(wall_s, 2),
        "requests": len(samples),
        "throughput_rps": round(len(samples) / wall_s, 1) if wall_s else None,
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1) if ms else None,
        "errors": len(errors),
        "errors_5xx": sum(1 for s in errors if s.status is not None),
        "errors_transport": sum(1 for s in errors if s.status is None),
        "conflicts_409": len(conflicts),
        "unexpected_status": len(unexpected),
        "unexpected_examples": sorted({f"{s.kind} -> {s.status} {s.error}".strip() for s in unexpected})[:5],
        "error_examples": [
            f"{s.kind} -> {s.status or s.error} after {s.ms:.0f} ms, the connection idle {s.idle_ms:.0f} ms before"
            for s in errors[:5]
        ],
        "per_request": kinds,
    }


async def drive(
    base: str,
    levels: tuple[int, ...],
    seconds: float,
    access: AccessLog,
    think: tuple[float, float] | None = THINK_S,
    saturation: tuple[int, ...] = SATURATION_LEVELS,
    saturation_seconds: float = SATURATION_SECONDS,
) -> dict[str, Any]:
    import httpx

    most = max((*levels, *saturation))

    def new_client(cookies: Any = None) -> Any:
        return httpx.AsyncClient(
            base_url=base,
            follow_redirects=False,
            timeout=REQUEST_TIMEOUT_S,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            cookies=cookies,
        )

    async def fresh_connections(group: list[User]) -> None:
        """New connections, same sign-in: a connection left idle between levels would be closed by the server
        (gunicorn's keep-alive is 2 s) just as the next level reuses it."""
        for u in group:
            old, u.client = u.client, new_client(u.client.cookies)
            u.last_answer = 0.0
            await old.aclose()

    rngs = [random.Random(i) for i in range(most)]  # noqa: S311 - pauses, not secrets
    users = [User(f"bench{i:03d}", new_client(), rng=rngs[i]) for i in range(most)]
    try:
        gate = asyncio.Semaphore(8)  # sign-ins hash a password (scrypt): a few at a time

        async def sign_in_gated(u: User) -> float:
            async with gate:
                return await sign_in(u)

        t0 = time.perf_counter()
        login_s = await asyncio.gather(*(sign_in_gated(u) for u in users))
        setup = {
            "sign_in_and_start_s": round(time.perf_counter() - t0, 2),
            "login_median_ms": round(percentile([s * 1000 for s in login_s], 50), 1),
        }
        log(f"  {most} users signed in and started their negotiations in {setup['sign_in_and_start_s']} s")
        # Warm-up, not counted: each worker loads the rule base and clause library and compiles its templates on
        # first use. Cycles on fresh connections (so the kernel hands them to both workers) from as many users as
        # there are server threads, until the access log shows every worker served each step a few times.
        warm = users[: min(WARMUP_USERS, most)]
        t0 = time.perf_counter()
        access.read()
        served: dict[str, int] = {}
        rounds = 0
        while time.perf_counter() - t0 < WARMUP_LIMIT_S:
            rounds += 1
            for u in warm:
                u.client.headers["Connection"] = "close"
            await asyncio.gather(*(user_loop(u, t0 + WARMUP_LIMIT_S, 1) for u in warm))
            for pid, n in per_worker(access.read()).items():
                served[pid] = served.get(pid, 0) + n
            if len(served) >= WORKERS and min(served.values()) >= WARMUP_PER_WORKER:
                break
        for u in warm:
            u.client.headers.pop("Connection", None)
        warm_s = time.perf_counter() - t0
        warm_samples = [s for u in warm for s in u.samples]
        warm_ms = [s.ms for s in warm_samples]
        for u in warm:
            u.samples.clear()
        results, saturated = [], []
        plan = [(n, seconds, think, results) for n in levels]
        plan += [(n, saturation_seconds, None, saturated) for n in saturation]
        for n, level_s, level_think, into in plan:
            active = users[:n]
            await fresh_connections(active)
            start, cpu0 = time.perf_counter(), time.process_time()
            await asyncio.gather(*(user_loop(u, start + level_s, think=level_think) for u in active))
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
            samples = [s for u in active for s in u.samples]
            for u in active:
                u.samples.clear()
            stats = level_stats(samples, wall, n)
            stats["load_generator_cpu_share"] = round(cpu / wall, 2)  # of one core
            await asyncio.sleep(0.5)  # the access log is written after the response
            lines = access.read()
            stats["wizard_requests_per_worker"] = per_worker(lines)
            worker_ms = [ms for _, _, path, _, ms in lines if path.startswith("/negotiations/")]
            stats["in_worker_p50_ms"] = round(percentile(worker_ms, 50), 1)
            stats["in_worker_p95_ms"] = round(percentile(worker_ms, 95), 1)
            stats["think_time_s"] = list(level_think) if level_think else 0
            into.append(stats)
            log(
                f"  {n:3d} users{'' if level_think else ', no think time'}: {stats['requests']} requests,"
                f" {stats['throughput_rps']} req/s, p50 "
                f"{stats['p50_ms']} ms, p95 {stats['p95_ms']} ms, p99 {stats['p99_ms']} ms, errors {stats['errors']}, "
                f"409 {stats['conflicts_409']}, unexpected {stats['unexpected_status']}"
            )
            await asyncio.sleep(0.5)
        return {
            "setup": setup,
            "warmup": {
                "users": len(warm),
                "rounds": rounds,
                "wizard_requests_per_worker": served,
                "seconds": round(warm_s, 2),
                "requests": len(warm_samples),
                "first_request_ms_max": round(max(warm_ms), 1) if warm_ms else None,
            },
            "levels": results,
            "saturation": saturated,
        }
    finally:
        await asyncio.gather(*(u.client.aclose() for u in users), return_exceptions=True)


def _server_log_summary(path: Path) -> dict[str, Any]:
    text = path.read_text(errors="replace") if path.exists() else ""
    return {
        "workers_booted": len(re.findall(r"Booting worker", text)),
        "worker_timeouts": len(re.findall(r"WORKER TIMEOUT", text)),
        "worker_crashes": len(re.findall(r"(?:Worker \(pid:\d+\) was sent|exited with code|Segmentation)", text)),
        "tracebacks": text.count("Traceback"),
        "tail": text.splitlines()[-8:],
    }


def run(
    levels: tuple[int, ...] = LEVELS,
    seconds: float = LEVEL_SECONDS,
    saturation: tuple[int, ...] = SATURATION_LEVELS,
    saturation_seconds: float = SATURATION_SECONDS,
) -> dict[str, Any]:
    """Part 2 in full: database, server, load levels; the server is stopped whatever happens."""
    import gunicorn

    folder = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    proc = None
    try:
        log(f"  preparing a fresh database in {folder}")
        db, env, took = prepare_database(folder, max(levels))
        access = AccessLog(folder / "access.log")
        proc, base = start_server(env, folder / "gunicorn.log", access.path)
        t0 = time.monotonic()
        wait_ready(base, proc)
        took["server_ready_s"] = round(time.monotonic() - t0, 2)
        log(f"  gunicorn {gunicorn.__version__} ({WORKERS} workers x {THREADS} threads) serving on {base}")
        driven = asyncio.run(
            drive(base, levels, seconds, access, saturation=saturation, saturation_seconds=saturation_seconds)
        )
    finally:
        if proc is not None:
            stop_server(proc)
    server_log = _server_log_summary(folder / "gunicorn.log")
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "server": {
            "software": f"gunicorn {gunicorn.__version__}",
            "workers": WORKERS,
            "threads": THREADS,
            "worker_class": "gthread",
            "config": "gunicorn.conf.py (preload_app, rule base registered in each worker before it serves)",
            "database": "SQLite (WAL), fresh and migrated, examples loaded",
            "log": server_log,
        },
        "scenario": EXAMPLE,
        "seconds_per_level": seconds,
        "think_time_s": list(THINK_S),
        "saturation_seconds_per_level": saturation_seconds,
        "request_cycle": ["GET context", "POST context", *(f"GET {s}" for s in STEPS[1:])],
        "preparation": took,
        **driven,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="bench: the wizard under load")
    sub = parser.add_subparsers(dest="what", required=True)
    users = sub.add_parser("users", help="(child) create member accounts in DATABASE_URL")
    users.add_argument("count", type=int)
    quick = sub.add_parser("run", help="run this part alone")
    quick.add_argument("--levels", default=",".join(map(str, LEVELS)))
    quick.add_argument("--seconds", type=float, default=LEVEL_SECONDS)
    quick.add_argument("--saturation", default=",".join(map(str, SATURATION_LEVELS)))
    quick.add_argument("--saturation-seconds", type=float, default=SATURATION_SECONDS)
    args = parser.parse_args()
    if args.what == "users":
        _create_users(args.count)
        return
    import json

    try:
        result = run(
            tuple(int(x) for x in args.levels.split(",")),
            args.seconds,
            tuple(int(x) for x in args.saturation.split(",") if x),
            args.saturation_seconds,
        )
    finally:
        stop_all()
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
