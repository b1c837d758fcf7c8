"""Round-11 classes on data controllers and the roles annex (blind legal readers, unseen scenarios):

1. Annex A omitted Parties that the data article names as controllers (a State of nationality for the verification
   records of its nationals, the Lead for the Manifests, the keeper of the register of documents) or that the
   Data-Sharing Protocol makes controllers of Departure Lists: every controller the data article or the Protocol
   names has its data-controller row in Annex A, and Annex A names no controller the articles do not.
2. Firewall: a host State whose people concerned include migrants in an irregular situation, or an organ whose name
   shows enforcement (immigration, police, interior, border), controlled verification records or registers of the
   persons assisted: it never does.
3. States of origin were "Controllers ... each for the Departure Lists it submits" of lists that hold stateless and
   other-nationality family members, which the data article forbids: a State of origin controls only the entries on
   its own nationals.
4. A State of origin (made Lead) controlled the registration lists and Manifests of every arrival at another State's
   border, before anyone is screened for protection: where a State where the operation takes place or an
   organization with a migration or refugee mandate can, that Party controls them instead.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import in_text, party_name
from assistant.domain.data_controllers import firewalled, of_nationality, outside_mandate
from assistant.domain.evaluate import evaluate
from assistant.domain.signing import signs
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]
REGISTERS = ("registration lists and Manifests", "identity verification records")
MANIFEST_SHARING = (
    r"(?:^|\n)5\. (.*?), as controller of the registration lists and Manifests, .*?(share the Manifest.*)"
)


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def annex_a(advice):
    return next(a for a in advice.draft.annexes if a.title.startswith("Annex A"))


def controller_rows(advice) -> list[list[str]]:
    return [r for r in annex_a(advice).rows if r[0] == "data controller"]


def controllers_sentence(advice) -> str:
    """The data article's list of controllers and the Protocol's Controller sentences."""
    out = []
    for a in advice.draft.articles:
        if a.clause == "data_protection":
            m = re.search(r"The controllers of the registers.*?are: (.*?)\. Every other Party", a.text, re.S)
            out.append(m.group(1) if m else "")
    for a in list(advice.draft.annexes) + list(advice.draft.articles):
        if a.clause == "data_sharing_protocol":
            out += re.findall(r"Controllers?(?: of the [^:]+)?: (.*?)\. Recipients", a.text)
    return "\n".join(out)


def named(s, text: str) -> set[str]:
    """The Parties whose name the text contains."""
    return {p.id for p in s.parties if in_text(party_name(s, p.id)) in text or party_name(s, p.id) in text}


@pytest.mark.parametrize("name", IDS)
def test_every_controller_the_articles_name_has_its_row_in_annex_a(name):
    s, advice = SCENARIOS[name], advice_of(name)
    text = controllers_sentence(advice)
    if not text.strip():
        pytest.skip("no data article")
    in_annex = {r[1] for r in controller_rows(advice)}
    for pid in named(s, text):
        assert party_name(s, pid) in in_annex, (pid, text[:600])
    for r in controller_rows(advice):
        assert r[1] in text, (r, text[:600])


@pytest.mark.parametrize("name", IDS)
def test_no_firewalled_authority_controls_the_registers_of_the_persons_assisted(name):
    s, advice = SCENARIOS[name], advice_of(name)
    barred = [p for p in s.parties if firewalled(s, p)]
    if not barred:
        pytest.skip("no host State with irregular migrants and no enforcement organ")
    for r in controller_rows(advice):
        if r[2] in REGISTERS:
            assert r[1] not in {party_name(s, p.id) for p in barred}, r
    for a in advice.draft.articles:
        if a.clause == "data_protection":
            m = re.search(r"for the registration lists and Manifests, (.*?); for the protection case files", a.text)
            for p in barred:
                assert not (m and in_text(party_name(s, p.id)) in m.group(1)), m.group(1)


@pytest.mark.parametrize("name", IDS)
def test_a_state_of_origin_controls_only_its_own_nationals_entries_on_departure_lists(name):
    s, advice = SCENARIOS[name], advice_of(name)
    protocol = [
        a for a in list(advice.draft.annexes) + list(advice.draft.articles) if a.clause == "data_sharing_protocol"
    ]
    lists = [
        m for a in protocol for m in re.findall(r"Departure-list data set.*?Controllers: (.*?)\. Recipients", a.text)
    ]
    if not lists:
        pytest.skip("no Departure Lists")
    origins = [p for p in s.parties if p.kind == "state" and of_nationality(s, p.id)]
    for text in lists:
        assert "each for the Departure Lists it submits" not in text or not named(s, text) & {p.id for p in origins}
        if any(in_text(party_name(s, p.id)) in text for p in origins):
            assert "only for the entries on its own nationals" in text or "only for the entries on their own" in text


@pytest.mark.parametrize("name", IDS)
def test_no_state_of_origin_controls_the_manifests_where_an_organization_can(name):
    s, advice = SCENARIOS[name], advice_of(name)
    text = controllers_sentence(advice)
    m = re.search(r"for the registration lists and Manifests, (.*?)(; for the|$)", text, re.S)
    if not m:
        pytest.skip("no registration lists")
    organization = [
        p
        for p in s.parties
        if p.kind == "international_organization"
        and {"migration", "refugee_protection"} & set(p.mandates or [])
        and signs(s, p.id)
        and not of_nationality(s, p.id)
        and not outside_mandate(s, p)  # round 12: a refugee agency where most people are not refugees cannot
    ]
    if not organization:
        pytest.skip("no organization with a migration or refugee mandate")
    origins = [p for p in s.parties if p.kind == "state" and of_nationality(s, p.id)]
    for p in origins:
        assert not m.group(1).startswith(in_text(party_name(s, p.id))), m.group(1)


@pytest.mark.parametrize("name", IDS)
def test_the_manifest_controller_never_shares_the_manifest_with_itself(name):
    """5. One list of recipients, then one exclusion: the controller of the Manifests is never among those it
    shares them with, and the authorities of the State people left are named only in the exclusion."""
    advice = advice_of(name)
    text = "\n".join(a.text for a in advice.draft.articles if a.clause == "operations")
    m = re.search(MANIFEST_SHARING, text)
    if not m:
        pytest.skip("no Manifest controller")
    controller, sharing = m.group(1), m.group(2).split("\n")[0]
    recipients = sharing.split(". It ")[0]
    assert controller.lower() not in recipients.lower(), sharing
    assert recipients.count("never") == 0, sharing
