"""Form and final provisions (blind review classes): the preamble cites what the articles apply, an agreement
made during a crisis applies from signature, disputes are settled in a way that fits the kinds of Parties, text
addressed to absent kinds of Parties is left out, and a standing consular arrangement has a standing scope.

Each test builds its own small scenario; none names a scenario of the blind corpus."""

from __future__ import annotations

from assistant.domain.advice import Advice
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario

IDRL = "IDRL Guidelines"
DIRECTIVE = "Directive (EU) 2015/637"
VCCR = "Vienna Convention on Consular Relations"


def state(pid, name, *roles, **caps):
    return {"id": pid, "name": name, "kind": "state", "crisis_roles": list(roles), "capacities": caps}


IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
    "capacities": {"transport": ["air"]},
}
NGO = {"id": "hope", "name": "Hope Shelters Network", "kind": "ngo", "capacities": {"shelter": True}}
SHIPPER = {"id": "ship", "name": "Blue Line Shipping Company", "kind": "carrier", "capacities": {"transport": ["sea"]}}
LOCAL = {
    "id": "port",
    "name": "Municipality of Port Amar",
    "kind": "local_authority",
    "capacities": {"shelter": True},
    "constraints": {"can_sign_binding": True},
}


def run(parties, *, kind="armed_conflict", phase="emergency_response", types=("evacuation_relocation",), **extra):
    data = {
        "title": "Test arrangement",
        "agreement_types": list(types),
        "crisis": {"kind": kind, "phase": phase, **extra.pop("crisis", {})},
        "host_state": "host",
        "parties": parties,
        "populations": extra.pop("populations", [{"nationality": "orig", "count": 400}]),
        **extra,
    }
    return evaluate(parse_scenario(data))


def states(**orig_caps):
    caps = {"consular_presence": "embassy", "transport": ["air"]} | orig_caps
    return [state("host", "Republic of Hostia", "host"), state("orig", "Republic of Origa", "origin", **caps)]


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def variant(advice: Advice, clause: str) -> str | None:
    return next((c.variant for c in advice.clauses if c.id == clause), None)


def annex(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.annexes if a.clause == clause), "")


# ---------------------------------------------------------------- 1. the preamble cites what the articles apply


def test_idrl_guidelines_are_not_cited_in_an_armed_conflict_or_civil_unrest():
    for kind in ("armed_conflict", "civil_unrest"):
        advice = run(
            [*states(deployable_experts=True), IOM],
            kind=kind,
            funding={"existing_instruments": ["disaster_mutual_aid_treaty"], "share_costs": True},
        )
        assert "personnel_duty_of_care" in {c.id for c in advice.clauses}
        assert IDRL not in advice.draft.preamble, kind
    _idrl_cited_for_a_natural_hazard_under_a_mutual_aid_treaty()


def _idrl_cited_for_a_natural_hazard_under_a_mutual_aid_treaty():
    advice = run(
        [*states(), IOM],
        kind="natural_hazard",
        phase="preparedness",
        funding={"existing_instruments": ["disaster_mutual_aid_treaty"]},
    )
    applied = {(c.id, c.variant) for c in advice.clauses}
    assert applied & {("activation", "on_request"), ("cost_allocation", "mutual_aid")}
    assert IDRL in advice.draft.preamble


def test_directive_2015_637_is_not_cited_without_reimbursement_between_states():
    advice = run([*states(), IOM], funding={"evacuee_repayment_considered": True})
    assert "evacuee_repayment" in {c.id for c in advice.clauses}
    reimbursing = {("cost_allocation", "pro_rata"), ("cost_allocation", "nationality_reimburses")}
    assert not reimbursing & {(c.id, c.variant) for c in advice.clauses}
    assert "consular_representation" not in {c.id for c in advice.clauses}
    assert DIRECTIVE not in advice.draft.preamble


def test_vccr_is_cited_whenever_articles_provide_consular_acts_in_one_recital():
    advice = run([*states(), IOM], services_needed=["identity_verification", "travel_documents"])
    assert "Laissez-passer" in article(advice, "identity_documents")
    assert "consular_representation" not in {c.id for c in advice.clauses}
    recitals = [p for p in advice.draft.preamble.split("\n\n") if VCCR in p]
    assert len(recitals) == 1, recitals
    assert "Article 5" in recitals[0] or "Articles 5" in recitals[0]


def test_vccr_articles_are_merged_when_representation_and_access_are_both_provided():
    parties = [
        state("host", "Republic of Hostia", "host"),
        state("orig", "Republic of Origa", "origin", consular_presence="embassy"),
        state("far", "Republic of Farland", "origin", consular_presence="none"),
    ]
    advice = run(
        parties,
        types=("consular_representation",),
        populations=[{"nationality": "orig", "count": 300}, {"nationality": "far", "count": 100}],
    )
    recitals = [p for p in advice.draft.preamble.split("\n\n") if VCCR in p]
    assert len(recitals) == 1, recitals
    assert "in particular Articles 5" in recitals[0], recitals[0]
    assert " 8" in recitals[0], recitals[0]


def test_the_existing_instrument_is_named_and_its_conflict_exclusion_addressed():
    advice = run(
        [*states(), IOM],
        funding={"existing_instruments": ["disaster_mutual_aid_treaty"]},
    )
    assert "scope_exclusion" in {f.id for f in advice.risk_flags}
    assert "mutual assistance in disasters" in advice.draft.preamble
    scope = article(advice, "scope")
    assert "builds on the agreement on mutual assistance in disasters" in scope
    assert "does not apply to situations arising from armed conflict" in scope


def test_the_existing_instrument_without_exclusion_in_a_natural_hazard():
    advice = run(
        [*states(), IOM],
        kind="natural_hazard",
        phase="preparedness",
        funding={"existing_instruments": ["disaster_mutual_aid_treaty"]},
    )
    scope = article(advice, "scope")
    assert "builds on the agreement on mutual assistance in disasters" in scope
    assert "armed conflict, assistance" not in scope


# ---------------------------------------------------------------- 2. a crisis under way


def test_an_agreement_made_during_the_crisis_applies_from_signature():
    advice = run([*states(), IOM], phase="mandatory_evacuation")
    assert "in advance of a Crisis" not in article(advice, "purpose")
    assert "now affecting" in article(advice, "purpose")
    assert "provisionally from the date of its own signature" in article(advice, "entry_into_force")
    assert "in advance on" not in advice.draft.preamble
    _preparedness_keeps_in_advance_and_no_provisional_application()


def test_financial_obligations_of_states_enter_into_force_after_internal_procedures():
    advice = run([*states(), IOM, NGO], phase="emergency_response", funding={"share_costs": True})
    assert variant(advice, "entry_into_force") == "notification"
    text = article(advice, "entry_into_force")
    assert "internal procedures" in text
    assert "provisionally from the date of its own signature" in text


def _preparedness_keeps_in_advance_and_no_provisional_application():
    advice = run([*states(), IOM], phase="preparedness")
    assert "in advance of a Crisis" in article(advice, "purpose")
    assert "provisionally" not in article(advice, "entry_into_force")


# ---------------------------------------------------------------- 3. disputes fit the Parties


def _states_only_settle_through_diplomatic_channels():
    advice = run(states())
    assert variant(advice, "dispute_settlement") == "standard"
    assert "diplomatic channels" in article(advice, "dispute_settlement")


def _states_and_an_organization_go_to_arbitration():
    advice = run([*states(), IOM])
    assert variant(advice, "dispute_settlement") == "with_io"


def test_local_authorities_bound_by_the_agreement_go_through_the_committee_mediation_and_arbitration():
    advice = run([*states(), IOM, LOCAL, NGO, SHIPPER])
    assert variant(advice, "dispute_settlement") == "with_non_state"
    text = article(advice, "dispute_settlement")
    assert "Joint Coordination Committee" in text
    assert "mediation" in text
    assert "UNCITRAL Arbitration Rules" in text
    assert "the Municipality of Port Amar" in text
    assert "privileges and immunities" in text
    assert "No such dispute shall be referred to any national or international court" not in text
    # the NGO and the company sign the Memorandum of Participation, which settles their differences amicably
    assert "the Hope Shelters Network" not in text
    assert "no such difference will be referred to any court or tribunal" in annex(advice, "participation_memorandum")
    _states_only_settle_through_diplomatic_channels()
    _states_and_an_organization_go_to_arbitration()


def test_non_state_parties_without_an_organization_have_no_organization_paragraphs():
    advice = run([*states(), LOCAL])
    text = article(advice, "dispute_settlement")
    assert variant(advice, "dispute_settlement") == "with_non_state"
    assert "international organization Party (" not in text
    assert "\n\n4. Pending the settlement" in text


def test_a_memorandum_has_no_binding_award():
    forum = {"id": "forum", "name": "Regional Migration Forum", "kind": "regional_body"}
    forum["constraints"] = {"can_sign_binding": False}
    advice = run([*states(), IOM, NGO, forum])
    assert advice.draft.instrument == "Memorandum of Understanding"
    assert variant(advice, "dispute_settlement") == "non_binding"
    text = article(advice, "dispute_settlement")
    assert "final and binding" not in text
    assert " shall " not in text
    assert "will seek to settle" in text
    binding = [c.message for c in advice.conflicts if c.id == "binding_text_in_memorandum"]
    assert not any("dispute" in m.lower() for m in binding), binding


def test_no_text_addressed_to_an_absent_international_organization():
    advice = run(states(), data={"personal_data_shared": True})
    assert "international organization Party" not in article(advice, "liability")
    protocol = annex(advice, "data_sharing_protocol")
    if protocol:
        assert "privileges and immunities of an international organization Party" not in protocol.split("\n\n")[0]
    assert "the international organizations that are Parties" not in article(advice, "host_state_facilitation")


def test_text_for_a_present_organization_stays():
    advice = run([*states(), IOM])
    assert "International Organization for Migration" in article(advice, "liability")


# ---------------------------------------------------------------- 4. a standing consular arrangement


def consular(phase="preparedness", **crisis):
    parties = [
        state("host", "Republic of Hostia", "host"),
        state("orig", "Republic of Origa", "origin", consular_presence="embassy"),
        state("far", "Republic of Farland", "origin", consular_presence="none"),
    ]
    return run(
        parties,
        kind="natural_hazard",
        phase=phase,
        types=("consular_representation",),
        populations=[{"nationality": "orig", "count": 300}, {"nationality": "far", "count": 100}],
        crisis=crisis,
    )


def test_a_consular_sharing_arrangement_in_preparedness_has_a_standing_scope():
    advice = consular()
    assert "arrest or detention" in article(advice, "consular_representation")
    assert variant(advice, "scope") == "standing_representation"
    scope = article(advice, "scope")
    assert "standing arrangement" in scope
    assert "at all times" in scope
    _consular_arrangement_made_during_a_crisis_keeps_the_crisis_scope()


def _consular_arrangement_made_during_a_crisis_keeps_the_crisis_scope():
    advice = consular(phase="emergency_response")
    assert variant(advice, "scope") != "standing_representation"
