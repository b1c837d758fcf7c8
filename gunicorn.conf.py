"""gunicorn settings for serving the Agreement Assistant: ``.venv/bin/gunicorn -c gunicorn.conf.py``.

Sized for a 2-core machine (the benchmark's): 2 workers x 4 threads. Override on the command line,
e.g. ``--bind 0.0.0.0:8000 --workers 4``. The app is loaded once in the master (``preload_app``) so the
rule base and clause library are read once, and each worker registers the rule base with its own rule
engine before it serves (durable-rules must not be shared across a fork: tech notes §1).
"""

import os

wsgi_app = "assistant.wsgi:app"
bind = os.environ.get("ASSISTANT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ASSISTANT_WORKERS", "2"))
threads = int(os.environ.get("ASSISTANT_THREADS", "4"))
worker_class = "gthread"
preload_app = True
timeout = 120
# Idle keep-alive connections are closed after this many seconds. It must be longer than clients keep idle
# connections in their pools (httpx 5 s; browsers retry a request that meets a closed connection, other
# clients may not): with gunicorn's default of 2 s, a request sent on a connection idle for about 2 s met a
# connection the server was just closing (measured by `make bench`: 1 in 871 requests at 50 users).
keepalive = 10
graceful_timeout = 10


def post_worker_init(worker):
    from assistant.wsgi import app, warm_worker

    warm_worker(app)


def child_exit(server, worker):
    """A worker that ends leaves the metrics of its live gauges out of the sum (prometheus_client multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
