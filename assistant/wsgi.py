"""The app for a production WSGI server: ``gunicorn -c gunicorn.conf.py`` (see the README).

Loading the rule base and the clause library takes about two seconds. Done here, at import, it happens
once in the server's master process before the workers are forked (``preload_app``), instead of on the
first request of every worker, where concurrent threads would each load them again. Each worker then
registers the rule base with its own rule engine (durable-rules keeps one per process) before it takes
a request: ``warm_worker``.
"""

from __future__ import annotations

from flask import Flask

from . import create_app
from .config import shared_secret_problem
from .domain.evaluate import default_library, default_rule_base, evaluate
from .domain.scenario import load_scenario
from .domain.training import default_training_library
from .services.negotiations import example_files


def warm(app: Flask) -> None:
    """Load everything the app reads from data folders once: rule base, clause library, training library."""
    default_rule_base(app.config["RULES_DIR"])
    default_library(app.config["CLAUSE_LIBRARY_DIR"])
    default_training_library(app.config["TRAINING_DIR"])


def warm_worker(app: Flask) -> None:
    """In a freshly forked worker: one evaluation registers the rule base with this process's engine."""
    examples = example_files(app.config["EXAMPLES_DIR"])
    if examples:
        evaluate(
            load_scenario(examples[0]),
            rule_base=default_rule_base(app.config["RULES_DIR"]),
            library=default_library(app.config["CLAUSE_LIBRARY_DIR"]),
        )


app = create_app()
if problem := shared_secret_problem(app.config):
    raise SystemExit(f"assistant: refusing to start: {problem}")
warm(app)
