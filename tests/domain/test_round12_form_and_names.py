"""Round-12 re-readings: parties, form, final provisions and names, by class.

1. A programme or mechanism whose legal person its name does not give ("… Mechanism (European Commission)") was a
   Party and signatory named "[to be completed: the organization … to which … belongs]", and the articles bound the
   Mechanism itself: a placeholder never signs, so such a body takes part without signing unless the scenario says
   it signs.
2. A foundation that cannot be bound turned the whole instrument into a memorandum although States took on shares
   of costs: where States share costs, a non-State body that cannot be bound signs the memorandum annex of a binding
   framework.
3. Final provisions written for the wrong form or number: "withdrawing Party" where the Parties can only terminate
   (two Parties) or discontinue (a memorandum); "in the case of an international organization" where none is a
   Party; provisional application triggered by "an alert" the draft never defines.
4. Participants' commitments "shall continue to apply": binding words on non-binding Participants.
5. Names: a name plural in form with singular verbs; "the competent authorities of" an authority; a non-State
   authority defined as the "Host State" without reserve; a body supporting itself.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings

from assistant.domain.evaluate import evaluate
from assistant.domain.names import legal_person_unknown, reads_plural, territorial
from assistant.domain.scenario import parse_scenario
from assistant.domain.signing import BINDING_KINDS, binds, signatories, signs
from assistant.domain.territory import authority_kind
from tests.domain.corpus import corpus_scenarios
from tests.test_hostile import scenarios as generated_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]
ORGANIZATION_KINDS = ("international_organization", "regional_body", "development_bank")


@cache
def advice_of(name: str):
    return evaluate(SCENARIOS[name])


def body(advice) -> str:
    """Every text of the draft: parties block, articles, annexes and signatures."""
    d = advice.draft
    return "\n".join([d.parties, *(a.text for a in d.articles), *(x.text for x in d.annexes), d.signatures])


def article_text(advice, clause: str) -> str:
    return "\n".join(a.text for a in advice.draft.articles if a.clause == clause)


@pytest.mark.parametrize("name", IDS)
def test_no_placeholder_signs(name: str) -> None:
    """No Party of the parties block and no signature block is a '[to be completed' placeholder, unless the scenario
    itself says that the body signs; a body whose legal person is unknown takes part without signing."""
    s, advice = SCENARIOS[name], advice_of(name)
    for p in s.parties:
        if legal_person_unknown(p.name, p.kind) and p.signatory is None:
            assert not signs(s, p.id), f"{p.name} signs although its legal person is unknown"
    if any(p.signatory for p in s.parties if legal_person_unknown(p.name, p.kind)):
        return
    assert not any(d.startswith("[to be completed") for d in advice.draft.designations)
    assert "For [to be completed" not in advice.draft.signatures


@pytest.mark.parametrize("name", IDS)
def test_non_state_inability_does_not_make_states_cost_sharing_a_memorandum(name: str) -> None:
    """Where States share costs, at least two signatories can be bound and only non-State signatories say they
    cannot, the instrument is binding (an Agreement with a Memorandum of Participation), not a memorandum."""
    s, advice = SCENARIOS[name], advice_of(name)
    signing = signatories(s)
    refusing = [p for p in signing if p.constraints and p.constraints.can_sign_binding is False]
    if not (s.funding and s.funding.share_costs) or not refusing or sum(binds(p) for p in signing) < 2:
        return
    if any(p.kind in BINDING_KINDS for p in refusing):
        return
    assert advice.draft.instrument == "Agreement"
    names = {a.clause for a in advice.draft.articles} | {x.clause for x in advice.draft.annexes}
    assert "participation_memorandum" in names


@pytest.mark.parametrize("name", IDS)
def test_no_withdrawal_where_final_provisions_provide_none(name: str) -> None:
    """Between two Parties (termination only) and in a memorandum (discontinuation only), the final provisions never
    speak of a withdrawing Party or of withdrawal."""
    text = article_text(advice_of(name), "final_provisions")
    if "Either Party may terminate" in text or "discontinue its participation in this Memorandum" in text:
        assert not re.search(r"\bwithdraw", text), text


@pytest.mark.parametrize("name", IDS)
def test_international_organization_wording_only_with_an_organization_party(name: str) -> None:
    """'In the case of an international organization' appears only where an organization signs as a Party."""
    s, advice = SCENARIOS[name], advice_of(name)
    if any(p.kind in ORGANIZATION_KINDS for p in signatories(s)):
        return
    assert "in the case of an international organization" not in body(advice)


@pytest.mark.parametrize("name", IDS)
def test_participants_commitments_never_shall_continue(name: str) -> None:
    """In a binding framework the commitments towards workers are the Participants' (employers, recruiters): the
    final provisions never say they 'shall continue to apply'."""
    text = article_text(advice_of(name), "final_provisions")
    for sentence in re.split(r"(?<=\.)\s+", text):
        if "shall continue to apply" in sentence:
            # the Participants' commitments are recorded as theirs ("As Annex D records, the commitments of X ...");
            # the Parties' own commitments towards workers may survive as binding
            assert "towards workers already covered" not in sentence or "records, the commitments of" not in text, (
                sentence
            )


@pytest.mark.parametrize("name", IDS)
def test_provisional_application_trigger_is_defined(name: str) -> None:
    """The entry-into-force article speaks of an alert only where the draft defines its Alert Phases."""
    advice = advice_of(name)
    text = article_text(advice, "entry_into_force")
    if re.search(r"\balert\b", text, re.IGNORECASE):
        assert '"Alert Phase" means' in body(advice) or '"Alert Phase" means' in article_text(advice, "definitions")


@pytest.mark.parametrize("name", IDS)
def test_plural_names_take_plural_verbs(name: str) -> None:
    """A name plural in form ('De facto authorities in …') is never the subject of 'is', 'has', 'objects' or
    'takes'; a verb after a preposition belongs to another subject."""
    s, advice = SCENARIOS[name], advice_of(name)
    text = body(advice)
    for p in s.parties:
        if not reads_plural(p.name):
            continue
        core = re.escape(re.sub(r"^the\s+", "", p.name, flags=re.IGNORECASE))
        for m in re.finditer(rf"(\w+\s+)?(?:[Tt]he\s+)?{core}(?:, which)?\s+(is|has|does|objects|takes)\b", text):
            before = (m[1] or "").strip().lower()
            assert before in {"from", "to", "with", "of", "by", "for", "request", "notify", "inform", "address"}, m[0]


@pytest.mark.parametrize("name", IDS)
def test_no_authorities_of_an_authority(name: str) -> None:
    """An authority has no competent authorities of its own: never 'the competent authorities of' a party entered
    as an authority."""
    s, advice = SCENARIOS[name], advice_of(name)
    text = body(advice)
    for p in s.parties:
        if territorial(p.name, p.kind) is None:
            continue
        core = re.escape(re.sub(r"^the\s+", "", p.name.split(" (")[0], flags=re.IGNORECASE))
        assert not re.search(rf"competent authorities of (?:the )?{core}\b", text), p.name


@pytest.mark.parametrize("name", IDS)
def test_authority_host_defined_without_recognition(name: str) -> None:
    """A host entered as an authority in control of a territory is defined as the 'Host State' only with the reserve
    that the term implies no recognition of it as a State."""
    s, advice = SCENARIOS[name], advice_of(name)
    if authority_kind(s, s.host_state) != "authority":
        return
    definitions = article_text(advice, "definitions")
    if '"Host State" means' in definitions:
        assert "implies neither the recognition of that authority as a State" in definitions


@pytest.mark.parametrize("name", IDS)
def test_no_body_supports_itself(name: str) -> None:
    """A body that alone takes a decision is never supported by itself in the same sentence."""
    text = body(advice_of(name))
    alone = r"by (the [A-Z][^,;.]+), which alone takes the decision, with the support of ([^,;.]+?) where"
    for m in re.finditer(alone, text):
        assert m[1] != m[2], m[0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_generated_final_provisions_fit_form_and_parties(data) -> None:
    """On generated scenarios too: no withdrawal wording where the final provisions provide none, and no
    'international organization' wording where no organization signs."""
    s = parse_scenario(data)
    advice = evaluate(s)
    text = article_text(advice, "final_provisions")
    if "Either Party may terminate" in text or "discontinue its participation in this Memorandum" in text:
        assert not re.search(r"\bwithdraw", text), text
    if not any(p.kind in ORGANIZATION_KINDS for p in signatories(s)):
        assert "in the case of an international organization" not in body(advice)
