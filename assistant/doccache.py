"""Rendered documents, cached by content and rendered off the request path.

A PDF of a 40-page draft takes seconds of CPU. Documents are cached under the instance folder by a hash
of what they show (the draft, the options), so a saved version or an unchanged draft renders once. When a
document is not in the cache yet, it is rendered by a small pool of background threads while the page
shows progress; the request that asked for it returns at once.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any


class DocumentCache:
    """Files keyed by content hash, and the renders in progress."""

    def __init__(self, folder: Path, workers: int = 1):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="render")
        self._jobs: dict[str, Future] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(kind: str, payload: Any) -> str:
        """A stable key for a document: its kind and everything it shows."""
        data = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(f"{kind}\n{data}".encode()).hexdigest()[:32]

    def path(self, key: str, ext: str) -> Path:
        return self.folder / f"{key}.{ext}"

    def get(self, key: str, ext: str) -> bytes | None:
        path = self.path(key, ext)
        return path.read_bytes() if path.is_file() else None

    def _store(self, key: str, ext: str, data: bytes) -> None:
        tmp = self.path(key, ext + ".part")
        tmp.write_bytes(data)
        tmp.replace(self.path(key, ext))  # atomic: a reader never sees half a file

    def render_now(self, key: str, ext: str, render: Callable[[], bytes]) -> bytes:
        """The document, rendered in this thread if it is not cached."""
        cached = self.get(key, ext)
        if cached is not None:
            return cached
        data = render()
        self._store(key, ext, data)
        return data

    def start(self, key: str, ext: str, render: Callable[[], bytes]) -> str:
        """Make sure the document is cached or being rendered; return "ready", "rendering" or "failed"."""
        if self.path(key, ext).is_file():
            return "ready"
        with self._lock:
            job = self._jobs.get(key)
            if job is None or (job.done() and job.exception() is None and not self.path(key, ext).is_file()):
                job = self._pool.submit(lambda: self._store(key, ext, render()))
                self._jobs[key] = job
        if not job.done():
            return "rendering"
        if job.exception() is not None:
            with self._lock:
                self._jobs.pop(key, None)
            return "failed"
        return "ready"
