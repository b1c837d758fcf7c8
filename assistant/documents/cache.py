"""Rendered documents, cached by content and rendered off the request path.

A PDF of a 40-page draft takes seconds of CPU. Documents are cached under the instance folder by a hash
of what they show (the draft, the options), so a saved version or an unchanged draft renders once. When a
document is not in the cache yet, it is rendered by a small pool of background threads while the page
shows progress; the request that asked for it returns at once.

One user must not be able to keep everybody else waiting (issue 11):

* the queue is bounded: at most ``queue_max`` documents are queued or rendering, and at most ``per_user``
  of them for one requester; a request over a limit raises :class:`UserLimit` or :class:`QueueFull` (the
  views answer 429 or 503 with Retry-After), and nothing already queued is dropped;
* the render threads take turns between requesters: the next document is the oldest one of the requester
  served least recently, so a newcomer's first document starts as soon as a render thread is free;
* finished jobs leave the job table at once, failed ones when their failure has been reported (or after
  ``FAILED_KEEP`` seconds);
* the folder is capped at ``max_bytes``: after each write the least recently used files are deleted
  (a read marks a file used), and ``.part`` files left by a crash are removed;
* the folder is private (0700) and every file is written 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..metrics import RENDER_JOBS

log = logging.getLogger(__name__)

FAILED_KEEP = 600.0  # seconds a failure waits to be reported before its job is dropped
PART_MAX_AGE = 60.0  # a .part file older than this was left by a crash (a write takes milliseconds)


class Busy(Exception):
    """The render queue cannot take this document now; ask again after ``retry_after`` seconds."""

    status = 503
    retry_after = 60

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UserLimit(Busy):
    """This requester already has ``count`` documents queued or rendering."""

    status = 429
    retry_after = 10

    def __init__(self, count: int):
        super().__init__(
            f"You already have {count} document{'s' if count != 1 else ''} being prepared; wait for "
            f"{'them' if count != 1 else 'it'} to be ready, then ask for this one again."
        )
        self.count = count


class QueueFull(Busy):
    """Too many documents are queued or rendering for everybody."""

    def __init__(self) -> None:
        super().__init__("The server is busy preparing other documents; try again in a minute. Nothing was lost.")


@dataclass(eq=False)
class _Job:
    key: str
    ext: str
    render: Callable[[], bytes]
    owner: Hashable
    seq: int
    state: str = "queued"  # queued, rendering, failed
    finished: float = 0.0
    error: BaseException | None = field(default=None, repr=False)


class DocumentCache:
    """Files keyed by content hash, and the renders in progress."""

    def __init__(
        self,
        folder: Path,
        workers: int = 1,
        *,
        queue_max: int = 16,
        per_user: int = 3,
        max_bytes: int | None = 500 * 1024 * 1024,
    ):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.folder.chmod(0o700)  # also when it existed before (mkdir's mode is filtered by the umask)
        self.workers = max(1, int(workers))
        self.queue_max = max(1, int(queue_max))
        self.per_user = max(1, int(per_user))
        self.max_bytes = None if max_bytes is None else int(max_bytes)
        self._jobs: dict[str, _Job] = {}  # queued, rendering, and failed until reported
        self._waiting: dict[Hashable, deque[_Job]] = {}  # queued jobs, per requester
        self._served: dict[Hashable, int] = {}  # when each requester with jobs was last given a render thread
        self._tick = 0
        self._seq = 0
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._tidy()

    # ------------------------------------------------------------------ files

    @staticmethod
    def key(kind: str, payload: Any) -> str:
        """A stable key for a document: its kind and everything it shows."""
        data = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(f"{kind}\n{data}".encode()).hexdigest()[:32]

    def path(self, key: str, ext: str) -> Path:
        return self.folder / f"{key}.{ext}"

    def get(self, key: str, ext: str) -> bytes | None:
        """The cached document, or None; a hit marks the file as recently used."""
        path = self.path(key, ext)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        now = time.time_ns()
        with contextlib.suppress(OSError):  # evicted meanwhile by another process: the bytes are still good
            os.utime(path, ns=(now, now))
        return data

    def _store(self, key: str, ext: str, data: bytes) -> None:
        final = self.path(key, ext)
        tmp = self.folder / f"{key}.{ext}.{os.getpid()}-{threading.get_ident()}.part"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private from the first byte
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            now = time.time_ns()
            os.utime(tmp, ns=(now, now))
            tmp.replace(final)  # atomic: a reader never sees half a file
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._evict(keep=final)

    def _tidy(self) -> None:
        """Existing files made private, crash leftovers removed, the size cap applied."""
        for entry in self._entries():
            if not entry.name.endswith(".part"):
                with contextlib.suppress(OSError):
                    os.chmod(entry.path, 0o600)
        self._evict(keep=None)

    def _entries(self) -> list[os.DirEntry]:
        try:
            with os.scandir(self.folder) as it:
                return [e for e in it if e.is_file(follow_symlinks=False)]
        except FileNotFoundError:
            return []

    def _evict(self, keep: Path | None) -> None:
        """Delete .part leftovers and, while the folder is over ``max_bytes``, the least recently used files
        (never ``keep``, the file just written)."""
        now = time.time()
        files = []
        total = 0
        for entry in self._entries():
            try:
                stat = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if entry.name.endswith(".part"):
                if now - stat.st_mtime > PART_MAX_AGE:
                    Path(entry.path).unlink(missing_ok=True)
                continue
            total += stat.st_size
            files.append((stat.st_mtime_ns, entry.name, stat.st_size))
        if self.max_bytes is None or total <= self.max_bytes:
            return
        for _, name, size in sorted(files):
            if total <= self.max_bytes:
                break
            if keep is not None and name == keep.name:
                continue
            (self.folder / name).unlink(missing_ok=True)
            total -= size

    def size(self) -> int:
        """Bytes in the cached documents."""
        return sum(e.stat().st_size for e in self._entries() if not e.name.endswith(".part"))

    # ------------------------------------------------------------------ rendering

    def render_now(self, key: str, ext: str, render: Callable[[], bytes]) -> bytes:
        """The document, rendered in this thread if it is not cached."""
        cached = self.get(key, ext)
        if cached is not None:
            return cached
        data = render()
        self._store(key, ext, data)
        return data

    def start(self, key: str, ext: str, render: Callable[[], bytes], owner: Hashable = None) -> str:
        """Make sure the document is cached or being rendered; return "ready", "rendering" or "failed".

        ``owner`` is who asks (a user id, an address). Raises :class:`UserLimit` when the owner already
        has ``per_user`` documents queued or rendering, :class:`QueueFull` when everybody together has
        ``queue_max``; asking again for a document already queued is always answered."""
        if self.path(key, ext).is_file():
            return "ready"
        with self._cond:
            self._prune()
            job = self._jobs.get(key)
            if job is not None:
                if job.state == "failed":
                    del self._jobs[key]  # reported once; the next request tries again
                    self._publish()
                    return "failed"
                return "rendering"
            if self.path(key, ext).is_file():  # finished between the first look and the lock
                return "ready"
            active = [j for j in self._jobs.values() if j.state != "failed"]
            mine = sum(1 for j in active if j.owner == owner)
            if mine >= self.per_user:
                raise UserLimit(mine)
            if len(active) >= self.queue_max:
                raise QueueFull()
            self._seq += 1
            job = _Job(key=key, ext=ext, render=render, owner=owner, seq=self._seq)
            self._jobs[key] = job
            self._waiting.setdefault(owner, deque()).append(job)
            self._ensure_workers()
            self._publish()
            self._cond.notify()
        return "rendering"

    def pending(self) -> dict[str, int]:
        """How many jobs are queued, rendering and failed (not yet reported)."""
        with self._cond:
            counts = {"queued": 0, "rendering": 0, "failed": 0}
            for job in self._jobs.values():
                counts[job.state] += 1
            return counts

    def _publish(self) -> None:
        """The jobs per state, for the metrics (called under the lock whenever a job changes state)."""
        counts = {"queued": 0, "rendering": 0, "failed": 0}
        for job in self._jobs.values():
            counts[job.state] += 1
        for state, count in counts.items():
            RENDER_JOBS.labels(state).set(count)

    def _prune(self) -> None:
        now = time.monotonic()
        for key, job in list(self._jobs.items()):
            if job.state == "failed" and now - job.finished > FAILED_KEEP:
                del self._jobs[key]

    def _ensure_workers(self) -> None:
        # Threads start with the first job, so a server that forks after creating the app gets its own.
        self._threads = [t for t in self._threads if t.is_alive()]
        while len(self._threads) < self.workers:
            thread = threading.Thread(target=self._work, name=f"render-{len(self._threads)}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _next(self) -> _Job | None:
        """The oldest queued job of the requester served least recently (a newcomer goes first)."""
        owners = [o for o, q in self._waiting.items() if q]
        if not owners:
            return None
        owner = min(owners, key=lambda o: (self._served.get(o, 0), self._waiting[o][0].seq))
        job = self._waiting[owner].popleft()
        if not self._waiting[owner]:
            del self._waiting[owner]
        self._tick += 1
        self._served[owner] = self._tick
        job.state = "rendering"
        self._publish()
        return job

    def _work(self) -> None:
        while True:
            with self._cond:
                job = self._next()
                while job is None:
                    self._cond.wait()
                    job = self._next()
            data, failed = b"", None
            try:
                data = job.render()
            except Exception as exc:  # reported to the requester; the thread goes on with the next job
                log.exception("rendering %s.%s failed", job.key, job.ext)
                failed = exc
            with self._cond:
                if failed is None:
                    try:  # under the lock: once the file is there, the job no longer counts against anyone
                        self._store(job.key, job.ext, data)
                    except Exception as exc:
                        log.exception("storing %s.%s failed", job.key, job.ext)
                        failed = exc
                if failed is None:
                    if self._jobs.get(job.key) is job:
                        del self._jobs[job.key]
                else:
                    job.state, job.error, job.finished = "failed", failed, time.monotonic()
                self._publish()
                if job.owner not in self._waiting and not any(
                    j.owner == job.owner and j.state == "rendering" for j in self._jobs.values()
                ):
                    self._served.pop(job.owner, None)  # nothing left: forget the requester
