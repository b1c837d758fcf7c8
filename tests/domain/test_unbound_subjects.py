"""No binding word for a body that cannot be bound (lawyers' review of blind drafts, rubric point 1).

In a binding Agreement or framework, no sentence says "shall" of a Participant (a signatory of the Memorandum of
Participation), of a body that takes part without signing, of a term all of whose holders are such bodies ('X (the
"Tracing Service")'), or of a class of bodies none of which is a Party ("Civil society organizations",
"Employers", "Recruitment agencies"). A memorandum's liability article neither waives nor assumes any claim.
"""

from __future__ import annotations

import copy
import re

import pytest

from assistant.domain.assembly import CIVIL_SOCIETY_KINDS, PRIVATE_KINDS, participants, text_name
from assistant.domain.evaluate import evaluate
from assistant.domain.names import split_organ
from assistant.domain.scenario import parse_scenario
from assistant.domain.signing import BINDING_KINDS, binds, non_signatories, signatories
from assistant.domain.wording import non_binding_for, term_holders
from tests.domain.corpus import corpus_docs, parties_text

SCENARIOS = list(corpus_docs())


def _form(advice) -> str:
    if advice.draft.instrument != "Agreement":
        return "memorandum"
    return "framework" if any(x.clause == "participation_memorandum" for x in advice.draft.annexes) else "agreement"


def _sentences(advice) -> list[str]:
    texts = [a.text for a in advice.draft.articles] + [x.text for x in advice.draft.annexes]
    return [s for t in texts for s in re.split(r"(?<=[.;:])\s+|\n+", t) if s.strip()]


def _shall_of(subject: str) -> re.Pattern[str]:
    """A sentence whose subject is ``subject``: "X shall", "X (a note) shall", "X, as Role, shall"."""
    bare = re.escape(re.sub(r"^the\s+", "", subject))
    return re.compile(rf"(?:^|\d\.\s+|;\s+)(?:[Tt]he\s+)?{bare}(?:\s+\([^()]*\))?(?:,\s+as\s+[^,]{{1,60}},)?\s+shall\b")


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_no_shall_for_a_body_that_cannot_be_bound(name, doc):
    s = parse_scenario(doc)
    advice = evaluate(s)
    form = _form(advice)
    if form == "memorandum":
        return
    soft = [text_name(p) for p in participants(s, form) + non_signatories(s)]
    parties = [p for p in signatories(s) if form != "framework" or binds(p)]
    subjects = list(soft)
    text = "\n".join(_sentences(advice))
    for term, holders in term_holders(text, [text_name(p) for p in s.parties]).items():
        if holders and all(h in soft for h in holders):
            subjects.append(term)
    if not any(p.kind in CIVIL_SOCIETY_KINDS for p in parties):
        subjects.append("Civil society organizations")
    if not any(p.kind in PRIVATE_KINDS for p in parties):
        subjects += ["Employers", "Recruitment agencies"]
    for subject in subjects:
        pattern = _shall_of(subject)
        bad = [x for x in _sentences(advice) if pattern.search(x)]
        assert not bad, f"{name}: '{subject} shall' binds a body that cannot be bound: {bad[0][:200]}"


def test_a_term_held_only_by_participants_is_softened():
    text = (
        'Requests shall be handled by the Himara Red Cross Society (the "Tracing Service"). The Tracing Service '
        "shall close a case when the person has been found, and shall inform the enquirer."
    )
    terms = term_holders(text, ["the Himara Red Cross Society", "the Republic of Karst"])
    assert terms == {"Tracing Service": ["the Himara Red Cross Society"]}
    soft = non_binding_for(text, ["the Himara Red Cross Society", *terms], ["the Republic of Karst"])
    assert "The Tracing Service will close a case" in soft
    assert "and will inform" in soft
    assert "shall" not in soft


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_a_memorandum_neither_waives_nor_assumes_claims(name, doc):
    advice = evaluate(parse_scenario(doc))
    if _form(advice) != "memorandum":
        return
    liability = next((a.text for a in advice.draft.articles if a.clause == "liability"), "")
    assert "waives any claim" not in liability
    assert "as if the damage had been caused by its own personnel" not in liability


@pytest.mark.parametrize(("name", "doc"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_the_parties_clause_names_every_non_state_party_in_its_own_name(name, doc):
    """Every civil-society, private-sector or donor Party acting in its own name is in the paragraph that says
    non-State Parties take part in their own name (a donor fund was left out)."""
    s = parse_scenario(doc)
    advice = evaluate(s)
    form = _form(advice)
    parties = [p for p in signatories(s) if p not in participants(s, form)]
    own = [p for p in parties if p.kind in CIVIL_SOCIETY_KINDS + PRIVATE_KINDS + ("donor",)]
    own = [p for p in own if not split_organ(p.name, p.kind).organ]
    blocks = parties_text(advice).split("\n\n")
    paragraph = next((x for x in blocks if re.search(r"\bin (?:its|their) own name\b", x)), "").lower()
    for p in own:
        assert text_name(p).lower() in paragraph, (name, p.name)


DEPLOYING = [
    (n, d) for n, d in SCENARIOS if any(r.role == "deploying_partner" for r in evaluate(parse_scenario(d)).roles)
]


@pytest.mark.parametrize(("name", "doc"), DEPLOYING, ids=[n for n, _ in DEPLOYING])
def test_when_only_participants_deploy_no_deploying_party_is_bound(name, doc):
    """The scenario with every deploying State or organization taking part without signing: the bodies left to
    deploy are Participants, so the deployment article neither binds "the Deploying Party" nor calls one a Party."""
    data = copy.deepcopy(doc)
    deployers = {r.party for r in evaluate(parse_scenario(doc)).roles if r.role == "deploying_partner"}
    for p in data["parties"]:
        if p["id"] in deployers and p["kind"] in BINDING_KINDS:  # a regional body signs as a Party too
            p["signatory"] = False
    advice = evaluate(parse_scenario(data))
    if _form(advice) != "framework":
        return
    article = next((a.text for a in advice.draft.articles if a.clause == "deployment_requests"), "")
    assert not re.search(r"\b(?:Deploying Party|deploying Participant|Participant) shall\b", article), name


# Round 14: a Party's duty bundled with a Participant's was made non-binding for both ("puts a Party's core duty into
# non-binding wording because it is bundled with the Participant"): the Party's duty stays binding.
MIXED = [
    (
        "The Office of the High Commissioner and the Refugee Council shall be responsible for referral.",
        "The Office of the High Commissioner shall, and the Refugee Council will, be responsible for referral.",
    ),
    (
        "Referral shall be the responsibility of the Office of the High Commissioner and the Refugee Council.",
        "Referral shall be the responsibility of the Office of the High Commissioner, with the voluntary "
        "contribution of the Refugee Council.",
    ),
    (
        "The Refugee Council and the Office of the High Commissioner shall not publish the list.",
        "The Office of the High Commissioner shall not, and the Refugee Council will not, publish the list.",
    ),
    # a Participant alone, or an alternative, stays as before
    ("The Refugee Council shall relay the information.", "The Refugee Council will relay the information."),
]


@pytest.mark.parametrize(("text", "expected"), MIXED)
def test_a_partys_duty_stays_binding_beside_a_participants(text: str, expected: str) -> None:
    assert non_binding_for(text, ["the Refugee Council"], ["the Office of the High Commissioner"]) == expected


def test_a_split_subject_never_doubles_a_comma() -> None:
    text = "The Office of the High Commissioner and the Refugee Council shall, within their competence, refer them."
    out = non_binding_for(text, ["the Refugee Council"], ["the Office of the High Commissioner"])
    assert out == (
        "The Office of the High Commissioner shall, and the Refugee Council will, within their competence, refer them."
    )
