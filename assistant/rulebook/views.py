"""Routes of the rule book: every rule with its reason, source, examples and how often it fires on the examples."""

from __future__ import annotations

from functools import cache

import yaml
from flask import current_app, render_template, request

from ..domain.checks import RuleUse, rule_usage
from ..domain.evaluate import default_rule_base
from ..domain.facts import scenario_facts
from ..domain.scenario import ScenarioError, load_scenario
from ..services.negotiations import example_files
from . import bp


@cache
def _usage(rules_dir: str, examples_dir: str) -> tuple[dict[str, RuleUse], tuple[str, ...]]:
    facts = {}
    for path in example_files(examples_dir):
        try:
            facts[path.stem] = scenario_facts(load_scenario(path))
        except ScenarioError:
            continue
    return rule_usage(default_rule_base(rules_dir), facts), tuple(facts)


def as_yaml(value: object) -> str:
    """Rule data shown as the YAML it was written in."""
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100).strip()


@bp.get("/")
def index():
    """Every rule, filterable by file and by a word in its id, title, rationale or source."""
    base = default_rule_base(current_app.config["RULES_DIR"])
    usage, examples = _usage(current_app.config["RULES_DIR"], current_app.config["EXAMPLES_DIR"])
    files = sorted({r.file for r in base.rules})
    chosen = request.args.get("file", "")
    words = request.args.get("q", "").strip().lower()[:100]
    rules = [
        r
        for r in base.rules
        if (not chosen or r.file == chosen)
        and (not words or words in f"{r.id} {r.title} {r.rationale} {r.source}".lower())
    ]
    return render_template(
        "rules/index.html",
        rules=rules,
        total=len(base.rules),
        files=files,
        chosen=chosen,
        q=request.args.get("q", ""),
        usage=usage,
        examples=examples,
        as_yaml=as_yaml,
    )
