"""Definitions and cross references that hold in every draft (blind legal review, defect classes 1–6).

1. Alert Phases are spoken of only where the activation article sets them up, and an own scheme's Alert Phases are
   those of the States named, not of "the State of nationality".
2. Each term is defined once (in the definitions article or inline in an article, never both), and every term the
   definitions article defines is used outside it.
3. No clause refers to an article that is not in the draft.
4. The purpose article promises only what the draft's articles provide.
5. At the border, an Unrepresented national is one with no consul in the State of arrival, not in the Host State.
6. The Operation Lead is not called a Party.

The invariants run over the shipped, training and blind scenarios, and over generated ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from assistant.domain.assembly import _term_pattern, inline_definitions
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario, load_scenario, parse_scenario
from assistant.domain.territory import territory
from assistant.domain.training import load_training_library
from tests.test_hostile import scenarios as generated_scenarios

ROOT = Path(__file__).resolve().parents[2]
DEFINED = re.compile(r'"([^"]+)"\s+means')


def corpus() -> list[tuple[str, Scenario]]:
    items = [(f"shipped/{p.stem}", load_scenario(p)) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    items += [(f"training/{t.slug}", t.scenario) for t in load_training_library(ROOT / "training")]
    items += [
        (f"blind/{p.stem}", parse_scenario(yaml.safe_load(p.read_text())["scenario"]))
        for p in sorted((ROOT / "tests" / "blind").glob("*.yaml"))
    ]
    return items


CORPUS = corpus()


@pytest.fixture(scope="module")
def drafts():
    return [(name, s, evaluate(s).draft) for name, s in CORPUS]


def all_text(draft) -> str:
    return "\n".join(
        [draft.parties or "", draft.preamble or "", draft.signatures or ""]
        + [a.text for a in draft.articles]
        + [f"{x.text}\n{x.note or ''}" for x in draft.annexes]
    )


def article(draft, clause: str):
    return next((a for a in draft.articles if a.clause == clause), None)


def check_draft(name: str, s: Scenario, draft) -> None:
    """Every invariant of this module on one draft."""
    definitions = article(draft, "definitions")
    if definitions is None:  # no agreement type given or suggested: a fragment without the core articles
        return
    text = all_text(draft)
    # 3. no reference to an article that is not in the draft
    assert "not part of this draft" not in text, name
    # 1. Alert Phases only where the activation article sets them up
    activation = article(draft, "activation")
    if "Alert Phase" in text:
        assert activation is not None, name
        assert "Alert Phases" in activation.text, name
    if activation is not None and activation.variant == "own_alert_phases":
        assert "alert system of the State of nationality" not in definitions.text, name
    # 2. one definition per term, and every defined term used outside the definitions article
    outside = "\n".join(a.text for a in draft.articles if a is not definitions)
    inline = inline_definitions(outside)
    rest = "\n".join([draft.parties or "", draft.preamble or "", outside] + [x.text for x in draft.annexes])
    for term in DEFINED.findall(definitions.text):
        assert not any(_term_pattern(term, exact=True).fullmatch(i) for i in inline), (name, term)
        exact = len(term.split()) > 1 and all(w[:1].isupper() for w in term.split())
        assert _term_pattern(term, exact=exact).search(rest), (name, term)
    articles = [a for a in draft.articles if a is not definitions]
    for term in set(inline):  # an article that defines a term in a parenthesis is the only one to do so
        assert sum(term in inline_definitions(a.text) for a in articles) == 1, (name, term)
    for term in set(DEFINED.findall(outside)):
        assert sum(len(re.findall(f'"{re.escape(term)}" means', a.text)) for a in articles) == 1, (name, term)
    # 4. the purpose promises only what the articles provide
    purpose = article(draft, "purpose")
    if purpose is not None:
        promised = {
            "the allocation of costs": "cost_allocation",
            "the channels through which Migrants are informed": "information_to_migrants",
            "referral of persons with protection needs": "protection_referral",
            "identity verification and the issue of emergency travel documents": "identity_documents",
        }
        for words, clause in promised.items():
            if words in purpose.text:
                assert article(draft, clause) is not None, (name, words)
        moves = any(o.id in ("relocation", "evacuation", "onward_travel") for o in territory(s).operations)
        if "Relocation or Evacuation takes place" in purpose.text:
            assert moves, name
    # 3. a complaints mechanism referred to is set up by some article
    if "complaints mechanism" in text:
        assert "lodge complaints" in text, name
    # 5. at the border, the consul is missing in the State of arrival
    unrepresented = re.search(r'"Unrepresented national" means [^.]*', definitions.text)
    if unrepresented and territory(s).at_border and territory(s).arrival:
        assert "in the Host State" not in unrepresented.group(0), name
    # 6. the Operation Lead is not called a Party
    lead = re.search(r'"Operation Lead" means [^.]*', definitions.text)
    if lead:
        assert not re.match(r'"Operation Lead" means an? Party', lead.group(0)), name


def test_corpus_drafts_define_and_refer_coherently(drafts):
    for name, s, draft in drafts:
        check_draft(name, s, draft)


def test_alert_phases_appear_where_the_activation_article_sets_them_up(drafts):
    """The invariant is not vacuous: some drafts have Alert Phases, defined once, and some have none."""
    with_phases = [n for n, _, d in drafts if '"Alert Phase" means' in all_text(d)]
    without = [n for n, _, d in drafts if "Alert Phase" not in all_text(d)]
    assert with_phases
    assert without


def test_inline_definition_replaces_the_global_one(drafts):
    """Where an article defines a term itself (the consular article's "Representing State"), the definitions
    article does not define it again; some draft exercises this."""
    seen = 0
    for name, _, draft in drafts:
        definitions = article(draft, "definitions")
        if definitions is None:
            continue
        outside = "\n".join(a.text for a in draft.articles if a is not definitions)
        for term in inline_definitions(outside):
            if term in {"Party", "Parties", "Participant", "Participants"}:
                continue
            seen += 1
            assert f'"{term}" means' not in definitions.text, (name, term)
    assert seen


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_generated_drafts_define_and_refer_coherently(data):
    for i, party in enumerate(data["parties"]):  # distinct names, so that no name reads as part of another
        party["name"] = f"Party{chr(65 + i)} Association" if party["kind"] != "state" else f"Republic of P{chr(65 + i)}"
    s = parse_scenario(data)
    check_draft("generated", s, evaluate(s).draft)
