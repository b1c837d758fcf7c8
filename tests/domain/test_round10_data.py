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
5. The Data-Sharing Protocol restates the articles' rule for the same transfer, never a different one: the host
   people flee gets no data on those who fear it where the operations article excludes them (not "with their
   consent"); an authority the Departure Lists article sends an extract does not "receive none"; the health
   data the border-closure article shares go to the recipients it names; and the permitted purposes are those of
   the operations the draft has.
6. A State that keeps apart the records of people who fear another State is present where they are registered
   (on its territory or through its embassy or consulate), not a transit State that receives them later.
7. A State of nationality that the identity-documents article has keep records of its own verifications is among
   the controllers the data article names for the identity verification records (one register, no second holder
   the data article does not know).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.advice import Advice
from assistant.domain.assembly import in_text, party_name
from assistant.domain.data_controllers import feared, present
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
KEPT_APART = (
    "save for the records of any person who seeks international protection or expresses a fear of return and of any "
    "stateless person"
)


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


def clause_text(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def protocol_text(advice: Advice) -> str:
    return next((x.text for x in advice.draft.annexes if x.clause == "data_sharing_protocol"), "")


@pytest.mark.parametrize("name", IDS)
def test_the_protocol_restates_the_articles_rule_for_each_transfer(name):
    """Article and annex give one rule for the same transfer: exclusion where the article excludes, an extract
    where the article gives one, the border-closure article's health-data recipients."""
    advice = advice_of(name)
    protocol = protocol_text(advice)
    if not protocol:
        return
    operations = clause_text(advice, "operations")
    if (
        "only to the extent necessary for exit and excluding any person who has sought international protection"
        in operations
    ):
        movement = re.split(r"\([a-h]\) Movement data set", protocol, maxsplit=1)[1].split("\n", 1)[0]
        assert "only with their consent" not in movement
    lists = clause_text(advice, "departure_lists")
    extract = re.search(r"shall communicate to (.+?), which clears departure across the crossing", lists)
    if extract:
        assert f"{extract[1]}, which people flee, receives none" not in protocol
        assert f"({extract[1]} receives none" not in protocol
    if clause_text(advice, "movement_during_border_closure"):
        health = re.split(r"\([a-h]\) Health data set", protocol, maxsplit=1)[1].split("\n", 1)[0]
        assert "the health authorities of the States of departure, transit and arrival" in health


@pytest.mark.parametrize("name", IDS)
def test_data_purposes_are_those_of_the_operations_the_draft_has(name):
    """The data article and the Protocol name Evacuation, travel documents or the costs of movements as purposes
    only where the draft has the article that carries them out."""
    advice = advice_of(name)
    data = clause_text(advice, "data_protection")
    if not data:
        return
    purposes = data.split("including ", 1)[1].split(", and on a lawful basis", 1)[0]
    protocol = protocol_text(advice)
    permitted = protocol.split("Permitted purposes.", 1)[1].split("\n", 1)[0] if protocol else ""
    if not clause_text(advice, "operations"):
        assert "Evacuation" not in purposes
        assert "Relocation and Evacuation" not in permitted
        if not clause_text(advice, "consular_representation"):  # consular cost claims need no movement
            assert "reconciliation of costs" not in purposes
            assert "audit of costs" not in permitted
    if not clause_text(advice, "identity_documents"):
        assert "travel documents" not in purposes
        assert "travel documents" not in permitted


@pytest.mark.parametrize("name", IDS)
def test_a_state_keeps_apart_only_the_records_of_people_registered_where_it_is_present(name):
    """No State is made controller of the records of people registered where it has neither territory nor post."""
    advice, s = advice_of(name), dict(CORPUS)[name]
    text = "\n".join(data_texts(advice))
    for p in s.parties:
        if p.kind == "state" and f"which {in_text(party_name(s, p.id))} keeps apart and controls" in text:
            assert present(s, p), p.name


@pytest.mark.parametrize("name", IDS)
def test_states_that_keep_their_own_verification_records_are_named_controllers(name):
    """Whoever the identity-documents article has keep records of its verifications is named by the data article
    among the controllers of the identity verification records."""
    advice, s = advice_of(name), dict(CORPUS)[name]
    identity, data = clause_text(advice, "identity_documents"), clause_text(advice, "data_protection")
    sentence = re.search(
        r"([^.]*) shall(?: each)? verify the identity and nationality of its own nationals only", identity
    )
    segment = re.search(r"for the identity verification records, (.*?)(?:; for the|\. Every other Party)", data)
    if not (sentence and segment):
        return
    for p in s.parties:
        if in_text(party_name(s, p.id)) in sentence[1]:
            assert in_text(party_name(s, p.id)) in segment[1], p.name
