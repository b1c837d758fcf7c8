"""The scenario corpus the invariant tests run over: shipped examples, training scenarios and the blind corpus.

One loader for the test files that check a property on every scenario (they each had their own copy)."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import yaml

from assistant.domain.scenario import Scenario, load_scenario, parse_scenario
from assistant.domain.training import load_training_library

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def corpus_docs() -> tuple[tuple[str, dict], ...]:
    """Each scenario as contract data, by file stem: a blind or training file's ``scenario`` key, else the file."""
    out = []
    paths = [p for folder in ("scenarios", "training", "tests/blind") for p in (ROOT / folder).glob("*.yaml")]
    for path in sorted(paths, key=lambda p: str(p.relative_to(ROOT))):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "scenario" in doc:
            doc = doc["scenario"]
        if isinstance(doc, dict) and "parties" in doc:
            out.append((path.stem, doc))
    return tuple(out)


@lru_cache(maxsize=1)
def corpus_scenarios() -> tuple[tuple[str, Scenario], ...]:
    """Each scenario parsed: shipped examples (by file name), training scenarios (by slug), blind ones (by stem)."""
    return tuple(
        [(p.name, load_scenario(p)) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
        + [(t._slug, t.scenario) for t in load_training_library(ROOT / "training")]
        + [
            (p.stem, parse_scenario(yaml.safe_load(p.read_text())["scenario"]))
            for p in sorted((ROOT / "tests" / "blind").glob("*.yaml"))
        ]
    )


@cache
def corpus_advice(name: str):
    """The advice (draft included) for a corpus scenario, by the name ``corpus_scenarios`` gives it."""
    from assistant.domain.evaluate import evaluate

    return evaluate(dict(corpus_scenarios())[name])


def article_text(advice, clause: str) -> str:
    """The text of the article a clause renders in a draft, or ''."""
    return "\n".join(a.text for a in advice.draft.articles if a.clause == clause)


def whole_text(advice) -> str:
    """The whole draft as text: parties block, preamble, articles and annexes."""
    d = advice.draft
    return "\n".join([d.parties or "", d.preamble or ""] + [a.text for a in d.articles] + [x.text for x in d.annexes])


# The corpus by name, for the invariant tests that parametrize over it.
SCENARIOS = dict(corpus_scenarios())
IDS = list(SCENARIOS)
CONFLICT = ("armed_conflict", "civil_unrest")


def parties_text(advice) -> str:
    """The parties block and the article that holds the parties clause's operative paragraphs (the organs, the
    capacities, the Participants): what the parties clause says, wherever the draft puts it."""
    return "\n\n".join([advice.draft.parties or "", article_text(advice, "parties")])
