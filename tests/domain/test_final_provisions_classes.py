"""Round-8 classes in the final provisions and the Memorandum of Participation, checked on every corpus scenario.

Notifications between Parties go through diplomatic channels only between States; an instrument concluded at an
alert phase applies from signature; survival names what each article holds; the Memorandum of Participation is
signed by the Participants alone, and Annex A says that Participants hold roles too."""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import (
    ALERT_PHASES,
    GENERAL_ORGANS,
    ONGOING_PHASES,
    designation,
    entity_name,
    text_name,
)
from assistant.domain.costs import represents_members
from assistant.domain.draft_check import check_draft
from assistant.domain.evaluate import evaluate
from assistant.domain.facts import binds
from assistant.domain.names import split_organ
from assistant.domain.signing import non_signatories, signatories, signs
from assistant.domain.territory import state_of
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
IDS = [name for name, _ in CORPUS]


@cache
def _contract(name: str) -> dict:
    scenario = dict(CORPUS)[name]
    return evaluate(scenario).to_contract()


def _article(draft: dict, clause: str) -> str:
    return next((a["text"] for a in draft["articles"] if a.get("clause") == clause), "")


def _annex(draft: dict, title: str) -> dict | None:
    return next((x for x in draft.get("annexes", []) if title in x["title"]), None)


@pytest.mark.parametrize("name", IDS)
def test_only_states_notify_through_diplomatic_channels(name: str) -> None:
    """Where a Party that signs the instrument is not a State, entry into force is notified through diplomatic
    channels between States and otherwise by a written communication from the Party's competent authority (round 19:
    a notification "through the Focal Points" is no act of the Party)."""
    s = dict(CORPUS)[name]
    text = _article(_contract(name)["draft"], "entry_into_force")
    memo = _annex(_contract(name)["draft"], "Memorandum of Participation")
    parties = [p for p in signatories(s) if not memo or binds(p)]
    if "through diplomatic channels" in text and any(p.kind != "state" for p in parties):
        assert (
            "through diplomatic channels between States and otherwise by a written communication from the competent "
            "authority of the Party concerned"
        ) in text


@pytest.mark.parametrize("name", IDS)
def test_alert_phase_applies_from_signature(name: str) -> None:
    """An instrument concluded once an alert is declared applies provisionally from signature (VCLT Art. 25)."""
    s = dict(CORPUS)[name]
    draft = _contract(name)["draft"]
    text = _article(draft, "entry_into_force")
    multilateral = len(re.findall(r"^For ", draft.get("signatures") or "", re.M)) > 2
    if s.crisis.phase in ALERT_PHASES and text and ("notifications" in text or multilateral):
        assert "provisionally" in text or "intends to apply" in text


@pytest.mark.parametrize("name", IDS)
def test_survival_cites_costs_only_where_the_article_has_them(name: str) -> None:
    """'the provisions of Article N on costs ...' in the final provisions points to an article that speaks of costs
    and claims (no cross-reference finding on the final provisions); employers' commitments towards workers already
    covered survive, in a binding framework as the Participants' non-binding commitments (round 12: never "shall
    continue to apply"), named with the Participants that hold them."""
    s = dict(CORPUS)[name]
    contract = _contract(name)
    draft = contract["draft"]
    final = next((a for a in draft["articles"] if a.get("clause") == "final_provisions"), None)
    if final is None:
        return
    place = f"Article {final['number']}"
    findings = check_draft(draft, scenario=s, advice=contract)
    assert not [f for f in findings if f.check == "cross_reference" and f.place == place], name
    employer = next((a for a in draft["articles"] if a.get("clause") == "employer_liability"), None)
    held_by_participants = "records, the commitments of" in final["text"]
    if employer and not held_by_participants:
        # the Parties' own commitments towards workers (requiring employers to return documents, pay wages) survive
        assert f"the commitments in Article {employer['number']} towards workers already covered" in final["text"]
    elif employer and f"in Article {employer['number']} towards workers already covered" in final["text"]:
        assert "they are not legally binding" in final["text"]


@pytest.mark.parametrize("name", IDS)
def test_memorandum_of_participation_signed_by_participants(name: str) -> None:
    """Only the Participants sign the Memorandum of Participation, so it does not say the Parties record it with
    them; Annex A heads its holders 'Party or Participant'; a private Participant's commitments towards workers
    already covered continue after it discontinues, unless it is a body of members (a federation or association
    holds no workers' documents and owes no wages)."""
    draft = _contract(name)["draft"]
    memo = _annex(draft, "Memorandum of Participation")
    roles = _annex(draft, "Annex A")
    if memo is None:
        assert roles is None or "Party or Participant" not in roles["text"]
        return
    assert "The Parties to this" not in memo["text"]
    assert memo["text"].startswith("1. By signing this Memorandum, ")
    assert roles is not None
    assert roles["text"].splitlines()[0].startswith("Role | Party or Participant |")
    s = dict(CORPUS)[name]
    employers = ("employer", "recruiter", "employers_federation")
    private = [p for p in signatories(s) if not binds(p) and p.kind in employers and not represents_members(s, p.id)]
    if private and _article(draft, "employer_liability"):
        assert "continue after it discontinues its participation" in memo["text"]


@pytest.mark.parametrize("name", IDS)
def test_a_host_that_signs_consents_by_signature(name: str) -> None:
    """Consular representation in a receiving State that is a Party rests on its consent given by signing (VCCR Art.
    8): no notification-and-objection procedure, no period after signature; while the crisis is under way a host that
    does not sign is notified without delay, not within days of the signature."""
    s = dict(CORPUS)[name]
    text = _article(_contract(name)["draft"], "consular_representation")
    if not text.startswith("1. In accordance with Article 8"):
        return
    host = s.party(s.host_state)
    if host is not None and signs(s, host.id):
        assert "objects" not in text.split("\n\n")[0]
        assert "days of the signature" not in text
        assert "by signing this" in text
    elif s.crisis.phase in ONGOING_PHASES:
        assert "days of the signature" not in text


@pytest.mark.parametrize("name", IDS)
def test_coordination_cites_activation_only_where_it_is_provided(name: str) -> None:
    """'Activation is decided as provided in Article N' only where Article N provides an activation decision; an
    activation article that only sets requests for assistance is cited for those requests."""
    contract = _contract(name)
    draft = contract["draft"]
    activation = next((a for a in draft["articles"] if a.get("clause") == "activation"), None)
    variant = next((c.get("variant") for c in contract["clauses"] if c["id"] == "activation"), None)
    coordination = _article(draft, "coordination")
    if activation is None or f"as provided in Article {activation['number']}" not in coordination:
        return
    if variant == "on_request":
        assert "Activation is decided" not in coordination
        assert "requests made and accepted" in coordination


@pytest.mark.parametrize("name", IDS)
def test_a_local_authority_and_its_own_state_have_no_international_dispute(name: str) -> None:
    """A dispute between a local authority Party and its own State Party is governed by that State's domestic law:
    where both sign, the dispute article excludes it from mediation and arbitration."""
    s = dict(CORPUS)[name]
    text = _article(_contract(name)["draft"], "dispute_settlement")
    signing = {p.id for p in signatories(s)}
    locals_ = [p for p in signatories(s) if p.kind == "local_authority"]
    own = [p for p in locals_ if state_of(s, p.id) != p.id and state_of(s, p.id) in signing]
    if own and "arbitration" in text:
        assert "is not an international dispute" in text
    if not own:
        assert "is not an international dispute" not in text


@pytest.mark.parametrize("name", IDS)
def test_neutrality_names_the_humanitarian_signatories(name: str) -> None:
    """The neutrality safeguard names the organizations, NGOs and National Societies that sign, Participants
    included, and is left out where none signs (no safeguard for absent 'organizations that are Parties')."""
    s = dict(CORPUS)[name]
    text = _article(_contract(name)["draft"], "principles")
    if not text:
        return
    humanitarian = [
        p
        for p in signatories(s)
        if p.kind in ("international_organization", "regional_body", "ngo", "national_society", "migrant_association")
    ]
    assert "organizations that are Parties" not in text
    # an organization's mandate, a civil society body's operational independence (round 20: an association has no
    # mandate)
    named = "operational independence of" in text
    assert named == bool(humanitarian)
    organizations = [p for p in humanitarian if p.kind in ("international_organization", "regional_body")]
    assert ("the mandates and operational independence of" in text) == bool(organizations), name


ORGANIZATION_HEADS = ("council", "committee", "association", "network", "foundation", "fund", "society", "agency")


@pytest.mark.parametrize("name", IDS)
def test_an_organization_named_by_its_head_noun_takes_the_article(name: str) -> None:
    """A body named by an organizational head noun ("Council", "Fund", "Society") takes the article in running text,
    so a sentence that opens with it reads "The Burkaran Council for Peace in Lagunia takes part"."""
    for p in dict(CORPUS)[name].parties:
        entity = entity_name(p)
        if any(w.lower() in ORGANIZATION_HEADS for w in entity.split()):
            assert text_name(p).lower().startswith("the "), entity


@pytest.mark.parametrize("name", IDS)
def test_a_state_that_does_not_sign_is_addressed_not_a_participant(name: str) -> None:
    """A State that does not sign (typically the State people flee) is not presented as taking part: the parties
    block says it is not a Party and is addressed by request."""
    s = dict(CORPUS)[name]
    block = _contract(name)["draft"].get("parties") or ""
    first = block.split("\n\n")[0]
    participation = first.split("with the participation of", 1)[1] if "with the participation of" in first else ""
    for p in non_signatories(s):
        if p.kind == "state":
            assert designation(p) not in participation, p.name
            assert (
                f"{designation(p)[:1].upper()}{designation(p)[1:]} is not a Party" in first
                or "are not Parties" in first
            )


@pytest.mark.parametrize("name", IDS)
def test_a_state_signing_through_a_specialised_organ_is_the_party(name: str) -> None:
    """A State that signs through a specialised organ (a civil-protection directorate, a police desk) is the Party;
    the organ is its competent authority for the functions Annex A gives it, not the whole of the State's duties."""
    s = dict(CORPUS)[name]
    contract = _contract(name)
    block = (contract["draft"].get("parties") or "") + "\n\n" + _article(contract["draft"], "parties")
    memo = _annex(contract["draft"], "Memorandum of Participation")
    for p in signatories(s):
        organ = split_organ(p.name, p.kind).organ
        if p.kind != "state" or organ is None or GENERAL_ORGANS.match(organ) or (memo and not binds(p)):
            continue
        assert f"is a Party acting through its {organ}" not in block, p.name
        assert f"is the Party; its {organ} is its competent authority for" in block, p.name


@pytest.mark.parametrize("name", IDS)
def test_alert_phases_coordinate_with_employers_only_where_they_take_part(name: str) -> None:
    """The precautionary phase coordinates with employers and recruiters only where one of them signs."""
    s = dict(CORPUS)[name]
    text = _article(_contract(name)["draft"], "activation")
    employers = any(p.kind in ("employer", "recruiter", "employers_federation") for p in signatories(s))
    if not employers:
        assert "coordinate with employers and recruiters" not in text
