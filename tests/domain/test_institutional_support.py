"""Issue 14, item 4: an institutional-support role for a regional body (Directive (EU) 2015/637 Arts. 11 and 13(3)).

A regional body that is a Party and can deploy experts, or has a delegation in the host State, supports the Parties'
consular posts with logistics and intervention teams that include consular experts, at the request of the Lead Party
or of a Party without a post; it exercises no consular functions. A body that does not sign holds no such role."""

from __future__ import annotations

import copy

import pytest

from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario
from tests.domain.corpus import article_text, corpus_docs

CELL = dict(corpus_docs())["cyclone_regional_consular_cell"]
BODY = "isles_commission"


def roles_text(advice) -> str:
    return " ".join(article_text(advice, "roles").split())


def holders(advice) -> list[str]:
    return [r.party for r in advice.roles if r.role == "institutional_support"]


def variant(**changes) -> dict:
    data = copy.deepcopy(CELL)
    body = next(p for p in data["parties"] if p["id"] == BODY)
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return data


def test_a_regional_body_with_experts_supports_the_consular_posts():
    advice = evaluate(parse_scenario(CELL))
    assert holders(advice) == [BODY]
    text = roles_text(advice)
    assert "provide institutional support to the consular posts and personnel of the Parties" in text
    assert "It exercises no consular functions, which remain with the States concerned." in text
    name = next(p["name"] for p in CELL["parties"] if p["id"] == BODY)
    rows = [list(r) for r in advice.draft.annexes[0].rows]
    assert ["institutional support (logistics and consular experts)", name, ""] in rows


@pytest.mark.parametrize(
    "capacities",
    [{"monitoring_assets": True}, {"consular_presence": "none"}, None],
    ids=["no experts", "no delegation", "no capacities"],
)
def test_without_experts_or_a_delegation_there_is_no_institutional_support(capacities):
    advice = evaluate(parse_scenario(variant(capacities=capacities)))
    assert holders(advice) == []
    assert "institutional support" not in roles_text(advice)


def test_a_delegation_in_the_host_state_is_enough():
    advice = evaluate(parse_scenario(variant(capacities={"consular_presence": "embassy"})))
    assert holders(advice) == [BODY]


def test_a_regional_body_that_does_not_sign_holds_no_role_and_no_duty():
    advice = evaluate(parse_scenario(variant(signatory=False)))
    assert holders(advice) == []
    assert "institutional support" not in roles_text(advice)


def test_an_ngo_with_experts_is_not_given_institutional_support():
    data = copy.deepcopy(CELL)
    data["parties"].append(
        {"id": "roster", "name": "Island Relief Roster", "kind": "ngo", "capacities": {"deployable_experts": True}}
    )
    assert "roster" not in holders(evaluate(parse_scenario(data)))


def test_every_corpus_holder_is_a_signing_regional_body_with_experts_or_a_delegation():
    """Invariant over the shipped, training and blind scenarios."""
    for name, doc in corpus_docs():
        advice = evaluate(parse_scenario(doc))
        for pid in holders(advice):
            party = next(p for p in doc["parties"] if p["id"] == pid)
            caps = party.get("capacities") or {}
            assert party["kind"] == "regional_body", name
            assert caps.get("deployable_experts") or caps.get("consular_presence") in ("embassy", "consulate"), name
            assert party.get("signatory") is not False, name
