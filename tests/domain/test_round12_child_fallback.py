"""Round-12 re-reading of the fallback for a Child still in the State he or she is leaving, whose authority cannot
act (blind legal readers), by class:

1. The Child "is referred to" a body, which "shall carry out the best-interests assessment", that is not a Party: a
   duty on a body that did not sign. The fallback is a signatory (a Participant "will"), else the Parties request
   the competent organization instead of binding one.
2. The child-protection article refers the Child to one body and the protection-referral article to another: two
   fallbacks for one case. One body, named the same in every article.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import in_text, party_name
from assistant.domain.evaluate import evaluate
from assistant.domain.signing import signatories
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]

# the body named as the fallback, in the child-protection article (paragraphs 2 and 5) and the protection-referral one
FALLBACK = (
    re.compile(r"unable to act, the Child is referred to (?P<who>.+?) and, on arrival"),
    re.compile(r"unable to take that decision in time, (?P<who>.+?) (?:shall|will) carry out the best-interests"),
    re.compile(r"that authority is unable to act, to (?P<who>.+?), and on arrival"),
)
# a body requested, not bound: no signatory can act
REQUESTED = "whose assistance the Parties shall jointly request"
REQUESTED_MOU = "whose assistance the Parties will jointly request"  # a memorandum says "will"


@cache
def fallbacks(name: str) -> list[str]:
    """Every body the draft names as the fallback for a Child whose authority cannot act, in article order."""
    advice = evaluate(SCENARIOS[name])
    return [m.group("who") for a in advice.draft.articles for rx in FALLBACK for m in rx.finditer(a.text)]


@pytest.mark.parametrize("name", IDS)
def test_the_fallback_body_is_a_signatory_or_requested(name):
    s, named = SCENARIOS[name], fallbacks(name)
    if not named:
        pytest.skip("no Child left without a decision-maker in this draft")
    signing = {in_text(party_name(s, p.id)) for p in signatories(s)}
    for who in named:
        assert who in signing or REQUESTED in who or REQUESTED_MOU in who, who


@pytest.mark.parametrize("name", IDS)
def test_one_fallback_body_in_every_article(name):
    named = fallbacks(name)
    if len(named) < 2:
        pytest.skip("the fallback is named in one place at most")
    bodies = {who.removesuffix(f" {REQUESTED}").removesuffix(f" {REQUESTED_MOU}") for who in named}
    assert len(bodies) == 1, bodies
