"""The review copy: under each article, why it is there (rules, facts, sources) and the other variants
the parties could use instead, with their playbook notes."""

from __future__ import annotations

import re

from pydantic import BaseModel

from .advice import Advice, Draft, RuleFired
from .clauses import ClauseLibrary
from .draft_check import Finding

_ANNEX = re.compile(r"\s*(Annex [A-Z]+)\b")


class Alternative(BaseModel):
    variant: str
    playbook: str
    binding: bool | None = None


class ReviewNote(BaseModel):
    """What a legal reviewer needs to see beside one article or annex."""

    clause: str
    variant: str
    playbook: str
    source: str
    reasons: list[RuleFired]
    alternatives: list[Alternative]
    # What the draft check (issue 16) finds in this article or annex: errors and warnings, as "severity: message
    # How to fix: …" lines (open points are the visible holes in the text itself).
    findings: list[str] = []


def review_notes(advice: Advice, library: ClauseLibrary) -> dict[str, ReviewNote]:
    """One note per selected clause, keyed by clause id."""
    notes = {}
    for sel in advice.clauses:
        clause = library.get(sel.id)
        if clause is None:
            continue
        used = clause.variant(sel.variant)
        notes[sel.id] = ReviewNote(
            clause=sel.id,
            variant=sel.variant,
            playbook=used.playbook,
            source=clause.source,
            reasons=[r for rid in sel.because if (r := advice.rule(rid)) is not None],
            alternatives=[
                Alternative(variant=name, playbook=v.playbook, binding=v.binding)
                for name, v in clause.variants.items()
                if name != sel.variant
            ],
        )
    return notes


def with_findings(notes: dict[str, ReviewNote], draft: Draft, findings: list[Finding]) -> dict[str, ReviewNote]:
    """The review notes with the draft check's errors and warnings under the article or annex they concern (by its
    clause); a finding on the draft as a whole (title, parties, signatures) goes under the first article."""
    clause_at = {f"Article {a.number}": a.clause for a in draft.articles}
    clause_at |= {m.group(1): a.clause for a in draft.annexes if a.clause and (m := _ANNEX.match(a.title))}
    first = draft.articles[0].clause if draft.articles else None
    out = dict(notes)
    for f in findings:
        if f.severity == "open_point":
            continue
        clause = clause_at.get(f.place) or first
        if clause is None or clause not in out:
            continue
        note = out[clause]
        line = f"{f.severity.capitalize()} ({f.place}): {f.message} How to fix: {f.fix}"
        out[clause] = note.model_copy(update={"findings": [*note.findings, line]})
    return out
