"""Invariants over the whole corpus for the data classes the round-9 legal readers found: each holds on every
shipped, training and blind scenario (tests/domain/corpus.py) and failed on the drafts before the fix.

1. No duty or register is given to a placeholder that no Party can fill: where no single Party can keep the
   register of documents issued, each Party that issues or arranges documents keeps its own, and the Lead Party
   coordinates.
2. Where no Party keeps the tracing requests, each goes to the Family Links Network, requested and not bound,
   which keeps it under its own rules: no controller hole.
3. A State that people may fear (a State of origin, a host that people flee or that penalizes irregular stay)
   controls the registration lists, Manifests or identity verification records only save for the records the data
   article bars it from holding: those of people who seek protection or fear return and of stateless persons.
4. Every register an article creates (the Manifests of the operations article, the register of documents of the
   identity-documents article) has its controller named in the data article, whatever agreement types are chosen.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.advice import Advice
from assistant.domain.data_controllers import feared
from assistant.domain.evaluate import evaluate
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
IDS = [name for name, _ in CORPUS]
# The articles and the annex that allocate registers and the duties that go with them.
DATA_CLAUSES = ("data_protection", "identity_documents", "family_tracing", "tracing_requests", "departure_lists")
# A hole that stands where a Party should be named: "[to be agreed: a Party ...]", "[to be agreed: the Party ...]".
PARTY_HOLE = re.compile(r"\[to be agreed: (?:a|the) Part(?:y|ies)\b[^\]]*\]")


@cache
def advice_of(name: str) -> Advice:
    return evaluate(dict(CORPUS)[name])


def data_texts(advice: Advice) -> list[str]:
    """The data articles and the Data-Sharing Protocol annex of a draft."""
    return [a.text for a in advice.draft.articles if a.clause in DATA_CLAUSES] + [
        x.text for x in advice.draft.annexes if x.clause == "data_sharing_protocol"
    ]


@pytest.mark.parametrize("name", IDS)
def test_no_register_or_duty_is_given_to_a_party_hole(name):
    """No data article nor the Protocol gives a register or a duty to "[to be agreed: a/the Party ...]"."""
    holes = [m.group(0) for text in data_texts(advice_of(name)) for m in PARTY_HOLE.finditer(text)]
    assert not holes, holes


@pytest.mark.parametrize("name", IDS)
def test_tracing_requests_without_a_keeper_go_to_the_family_links_network(name):
    """Where no Party controls the tracing requests, the draft says they go to the Family Links Network, which keeps
    them under its own rules; it never names a Party as their controller that is not one."""
    advice = advice_of(name)
    keepers = [r for r in advice.holders("data_controller") if r.for_ == "tracing_requests"]
    text = "\n".join(data_texts(advice))
    if keepers or "tracing requests" not in text or "Controller of the tracing requests" not in text:
        return
    assert "Controller of the tracing requests: none of the Parties" in text
    assert "under its own rules" in text


# The Protocol's controller line of each register a feared State may hold, and what it must keep apart.
CONTROLLER_LINES = {
    "registration_manifests": r"Controller of the registration lists and Manifests: ([^\n]*?)\. Recipients",
    "identity_records": r"Controller of the identity verification records: ([^\n]*?)\. Recipients",
}
KEPT_APART = "save for the records of any person who seeks international protection or expresses a fear of return and of any stateless person"


@pytest.mark.parametrize("name", IDS)
def test_a_feared_controller_keeps_apart_everyone_the_data_article_bars_it_from_holding(name):
    """The data article bars a State of origin from controlling a register that holds refugees, asylum-seekers,
    stateless persons or people who fear return; a feared State named controller of the registration lists or
    the identity records keeps all of them apart, stateless persons included."""
    advice, s = advice_of(name), dict(CORPUS)[name]
    protocol = next((x.text for x in advice.draft.annexes if x.clause == "data_sharing_protocol"), "")
    for data_set, pattern in CONTROLLER_LINES.items():
        line = re.search(pattern, protocol)
        if not line:
            continue
        for r in advice.holders("data_controller"):
            p = s.party(r.party)
            if r.for_ == data_set and p and feared(s, p):
                mine = line[1].split(p.name, 1)[-1].split(";", 1)[0]
                assert KEPT_APART in mine, (data_set, p.name, line[1])


# A register an article of the draft creates, and the heading under which the data article must name its controller.
REGISTERS_CREATED = {
    "shall prepare a Manifest": "for the registration lists and Manifests, ",
    "will prepare a Manifest": "for the registration lists and Manifests, ",
    "including a register of the documents issued": "for the identity verification records, ",
}


@pytest.mark.parametrize("name", IDS)
def test_every_register_an_article_creates_has_a_controller_in_the_data_article(name):
    """The Manifests the operations article prepares and the register of documents the identity-documents article
    keeps have their controller named in the data-protection article, whatever agreement types are chosen."""
    advice = advice_of(name)
    data = next((a.text for a in advice.draft.articles if a.clause == "data_protection"), "")
    if "The controllers of the registers kept under this" not in data:
        return
    body = "\n".join(a.text for a in advice.draft.articles)
    for phrase, heading in REGISTERS_CREATED.items():
        if phrase in body:
            assert heading in data, phrase
