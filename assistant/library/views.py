"""Routes of the clause library: every clause by topic and agreement type, its params, sources and variants
side by side."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, current_app, render_template, request

from ..domain.clauses import Clause, render_body
from ..domain.evaluate import default_library
from ..domain.vocab import AGREEMENT_TYPES, CLAUSE_TOPICS
from . import bp

BINDING = {True: "binding only", False: "non-binding only", None: "either"}
_BLANK_LINE = re.compile(r"\n\s*\n")


def _library():
    return default_library(current_app.config["CLAUSE_LIBRARY_DIR"])


def samples(clause: Clause) -> dict[str, Any]:
    """The sample value of every param: what the library pages render bodies with."""
    return {name: p.sample for name, p in clause.params.items()}


def paragraphs(clause: Clause, variant: str) -> list[str]:
    """A variant's body rendered with the sample params, as paragraphs (split on blank lines)."""
    return [p.strip() for p in _BLANK_LINE.split(render_body(clause, variant, samples(clause))) if p.strip()]


def first_line(clause: Clause, limit: int = 180) -> str:
    """The first line of the standard body rendered with the samples, shortened to about ``limit`` characters."""
    line = next(iter(paragraphs(clause, "standard")), "").splitlines()[0:1]
    text = line[0] if line else ""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def applies(clause: Clause, agreement_type: str) -> bool:
    """True if the clause is meant for that agreement type (``applies_to: all`` fits every type)."""
    return clause.applies_to == "all" or agreement_type in clause.applies_to


def searchable(clause: Clause) -> str:
    """The text a word is looked for in: id, title, source, params, definitions, variant bodies and playbooks."""
    parts = [clause.id, clause.title, clause.source]
    parts += [p.description for p in clause.params.values()]
    parts += [f"{term} {meaning}" for term, meaning in clause.definitions.items()]
    parts += [f"{v.body} {v.playbook}" for v in clause.variants.values()]
    return "\n".join(parts).lower()


def shown(value: Any) -> str:
    """A param's default or sample as the clause file spells it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@bp.get("/")
def index():
    """Every clause grouped by topic, filterable by topic, agreement type and a word."""
    library = _library()
    topics = [t for t in CLAUSE_TOPICS if any(c.topic == t for c in library.clauses.values())]
    topic = request.args.get("topic", "")
    kind = request.args.get("type", "")
    words = request.args.get("q", "").strip().lower()[:100]
    clauses = [
        c
        for c in sorted(library.clauses.values(), key=lambda c: (CLAUSE_TOPICS.index(c.topic), c.id))
        if (not topic or c.topic == topic) and (not kind or applies(c, kind)) and (not words or words in searchable(c))
    ]
    groups = [(t, [c for c in clauses if c.topic == t]) for t in CLAUSE_TOPICS]
    return render_template(
        "library/index.html",
        groups=[(t, cs) for t, cs in groups if cs],
        count=len(clauses),
        total=len(library.clauses),
        topics=topics,
        types=AGREEMENT_TYPES,
        topic=topic,
        kind=kind,
        q=request.args.get("q", ""),
        first_line=first_line,
    )


@bp.get("/<clause_id>")
def clause(clause_id: str):
    """One clause: its source, definitions, params, and its variants side by side with their sample bodies."""
    found = _library().get(clause_id)
    if found is None:
        abort(404)
    return render_template(
        "library/clause.html",
        clause=found,
        bodies={name: paragraphs(found, name) for name in found.variants},
        binding=BINDING,
        shown=shown,
    )
