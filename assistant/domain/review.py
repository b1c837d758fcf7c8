"""The review copy: under each article, why it is there (rules, facts, sources) and the other variants
the parties could use instead, with their playbook notes."""

from __future__ import annotations

from pydantic import BaseModel

from .advice import Advice, RuleFired
from .clauses import ClauseLibrary


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
