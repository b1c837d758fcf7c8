"""Training: presentation mode (one slide at a time, for a projector) and the handout PDF for the room."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Response, redirect, render_template, request, url_for

from ...documents.views import cached_pdf, preparing_page
from ...domain.advice import Advice, ConflictAdvice, CostAllocation, CostModelAdvice, RiskFlagAdvice, RuleFired
from ...domain.training import TrainingScenario
from ...domain.vocab import label
from .. import bp
from ..common import scenario_or_404
from .library import (
    RoleGroup,
    advice_of,
    cap,
    facts_of,
    grouped_roles,
    rule_base,
    shares_because,
    suggestion_helpers,
)

# ---------------------------------------------------------------- slides


RULES_PER_SLIDE = 2  # more reasons than this do not fit a projector in readable type: they continue
PAIR_CHARS = 600  # two reasons share a slide (side by side) only if neither is longer than this


@dataclass(frozen=True)
class Slide:
    """One slide: what kind it is, its heading, where it sits in its section, and the rules it shows.

    A suggestion resting on more than RULES_PER_SLIDE rules continues on further slides (``part`` of ``parts``),
    which show the remaining reasons only."""

    kind: str  # title, facts, objectives, agreement_type, role, cost_model, shares, risk_flag, conflict,
    #            practice, questions, end
    heading: str
    section: str = ""
    because: list[str] = field(default_factory=list)
    item: Any = None
    part: int = 1
    parts: int = 1


def _suggestion(advice: Advice, kind: str, heading: str, section: str, because: list[str], item: Any) -> list[Slide]:
    """A suggestion's slides: the first with the suggestion and its first reasons, then the other reasons."""
    rules = [r for r in (advice.rule(rid) for rid in because) if r is not None]
    lines = _body_lines(item)  # a long suggestion leaves room for one reason, a table for none
    room = 0 if lines > 4 else 1 if lines > 2 else RULES_PER_SLIDE
    chunks: list[list[RuleFired]] = [[]]
    for r in rules:
        chunk = chunks[-1]
        if len(chunk) >= room or (chunk and not all(_size(x) <= PAIR_CHARS for x in [*chunk, r])):
            chunks.append([])
            room = RULES_PER_SLIDE
        chunks[-1].append(r)
    parts = len(chunks)
    return [Slide(kind, heading, section, [r.id for r in c], item, i, parts) for i, c in enumerate(chunks, 1)]


def _size(rule: RuleFired) -> int:
    """About how much room a reason takes: the characters of its title, rationale, facts and source."""
    return len(rule.title) + len(rule.rationale) + len("; ".join(rule.facts)) + len(rule.source)


def _body_lines(item: Any) -> int:
    """About how many lines a suggestion takes on its slide before its reasons."""
    if isinstance(item, RoleGroup):
        return sum(len(h.roles) for h in item.holders)
    if isinstance(item, CostModelAdvice):
        return len(item.params)
    if isinstance(item, RiskFlagAdvice):
        return len(item.details) + (1 if item.safeguards else 0)
    if isinstance(item, CostAllocation):
        return len(item.shares) + 3  # with its caption and header: no room for a reason beside it
    return 1 if isinstance(item, ConflictAdvice) else 0


def _numbered(advice: Advice, kind: str, name: str, items: list[Any], heading, because) -> list[Slide]:
    out: list[Slide] = []
    for i, x in enumerate(items, 1):
        section = f"{name} {i} of {len(items)}" if len(items) > 1 else name
        out += _suggestion(advice, kind, heading(x), section, list(because(x)), x)
    return out


def slides(item: TrainingScenario, advice: Advice) -> list[Slide]:
    """The presentation: title and summary, the facts, the objectives, then each suggestion with its reasons
    (agreement types, roles with the lead first, cost models, the computed shares, risks, conflicts,
    practices), then the discussion questions and a last slide."""
    allocation = advice.cost_allocation
    out = [
        Slide("title", item.title),
        Slide("facts", "The facts at a glance"),
        Slide("objectives", "Learning objectives"),
    ]

    def name(x: Any) -> str:
        return cap(label(getattr(x, "id", None) or x.role))

    out += _numbered(advice, "agreement_type", "Agreement type", advice.agreement_types, name, lambda a: a.because)
    out += _numbered(advice, "role", "Role", grouped_roles(advice), name, lambda g: g.because)
    out += _numbered(advice, "cost_model", "Cost model", allocation.models, name, lambda m: m.because)
    if allocation.shares:
        out += _suggestion(advice, "shares", "Who pays what", "Cost shares", shares_because(advice), allocation)
    out += _numbered(advice, "risk_flag", "Risk", advice.risk_flags, name, lambda f: f.because)
    out += _numbered(advice, "conflict", "Conflict", advice.conflicts, name, lambda c: c.because)
    out += _numbered(advice, "practice", "Good practice", advice.practices, name, lambda p: p.because)
    out.append(Slide("questions", "Discussion questions"))
    out.append(Slide("end", "Over to the room"))
    return out


def _slide_number(raw: str | None, count: int) -> tuple[int | None, str | None]:
    """The slide asked for (1-based), clamped into range; or a problem if it is not a whole number."""
    if raw is None or raw == "":
        return 1, None
    try:
        number = int(raw.strip())
    except ValueError:
        return None, f"“{raw[:40]}” is not a slide number: use a whole number from 1 to {count}."
    return min(max(number, 1), count), None


@bp.get("/training/<slug>/present")
def present(slug: str):
    """Presentation mode: one slide at a time, large type, links to the previous and next slides (the keyboard
    follows them through static/js/present.js)."""
    item = scenario_or_404(slug)
    advice = advice_of(item)
    deck = slides(item, advice)
    raw = request.args.get("slide")
    number, problem = _slide_number(raw, len(deck))

    def at(n: int) -> str:
        return url_for("training.present", slug=slug, slide=n)

    if problem:
        return render_template(
            "training/present.html", item=item, problem=problem, first=at(1), exit=url_for("training.show", slug=slug)
        ), 400
    if raw is not None and str(number) != raw:  # out of range (or spelt oddly): the nearest slide
        return redirect(at(number))
    slide = deck[number - 1]

    return render_template(
        "training/present.html",
        item=item,
        advice=advice,
        slide=slide,
        number=number,
        count=len(deck),
        first=at(1),
        last=at(len(deck)),
        prev=at(number - 1) if number > 1 else None,
        next=at(number + 1) if number < len(deck) else None,
        exit=url_for("training.show", slug=slug),
        facts=facts_of(item.scenario),
        **suggestion_helpers(item, advice),
    )


# ---------------------------------------------------------------- the handout


_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def handout_html(item: TrainingScenario, advice: Advice, *, today: str) -> str:
    """The handout as one page for WeasyPrint (its stylesheet is fetched from the app's static files)."""
    base = rule_base()
    return render_template(
        "training/handout.html",
        item=item,
        advice=advice,
        facts=facts_of(item.scenario),
        rule_base_name=base.name,
        rule_count=len(base.rules),
        created=today,
        **suggestion_helpers(item, advice),
    )


@bp.get("/training/<slug>/handout.pdf")
def handout(slug: str):
    """A PDF for the room: the scenario, its facts, the suggestions with reasons and sources, the questions."""
    item = scenario_or_404(slug)
    today = datetime.now(UTC).date().isoformat()
    # Cached by content like the drafts (the date is in the page, so tomorrow's is a new document) and laid
    # out off the request path: the room waits on a progress page, not on a hanging download.
    body = cached_pdf(handout_html(item, advice_of(item), today=today))
    if body is None:
        return preparing_page(f"Handout: {item.title}")
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="training-{_SAFE.sub("-", item.slug)}-handout.pdf"'},
    )
