"""Prometheus metrics (issue 19), served at ``/metrics``: latency and count of requests per route, rule-base
evaluation time, advice-cache hits and misses, documents queued or rendering.

Under gunicorn each worker is a process: with ``PROMETHEUS_MULTIPROC_DIR`` set (``make serve`` sets it) the values of
every worker are kept in that folder and summed when scraped (prometheus_client's multiprocess mode; the folder is
emptied at each start). Labels are route names (endpoints), never paths, ids or user names.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUEST_SECONDS = Histogram(
    "assistant_request_seconds",
    "Time to answer a request, per route",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REQUESTS = Counter("assistant_requests_total", "Requests answered, per route and status class", ["endpoint", "status"])
EVALUATION_SECONDS = Histogram(
    "assistant_evaluation_seconds",
    "Rule-base evaluations (advice that was not in the cache)",
    buckets=(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5),
)
ADVICE_CACHE = Counter(
    "assistant_advice_cache_total", "Advice taken from the cache (hit) or evaluated (miss)", ["result"]
)
RENDER_JOBS = Gauge(
    "assistant_render_jobs", "Documents queued or rendering, per state", ["state"], multiprocess_mode="livesum"
)


def observe_request(endpoint: str | None, method: str, status: int, seconds: float) -> None:
    """One answered request (``endpoint`` None: no route matched)."""
    name = endpoint or "unmatched"
    REQUEST_SECONDS.labels(name, method).observe(seconds)
    REQUESTS.labels(name, f"{status // 100}xx").inc()


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, every worker's summed in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
