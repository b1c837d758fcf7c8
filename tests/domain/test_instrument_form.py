"""A form that fits the signatories (issue 13, item 2).

1. The rules choose the form from the signatories (rules/instrument_form.yaml), with the reason shown: a binding
   Agreement when every signatory can be bound; a Memorandum of Understanding when one says it cannot, or fewer than two
   can; a binding framework with a Memorandum of Participation annexed when NGOs or companies sign beside them. Bodies
   that take part without signing never count.
2. A memorandum has no "shall" in its articles and annexes (wording.non_binding), and still says that it creates no
   legally binding obligations; in a framework no signatory of the Memorandum of Participation is the subject of
   "shall".
3. The parties block and the signature blocks name the signatories only, each where it signs.
4. A binding instrument under which States take on financial obligations enters into force after their internal
   procedures.

The invariants run over the shipped, training and blind scenarios, and over scenarios derived from them in which one
signatory says it cannot sign a binding instrument; the small scenarios are built here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from assistant.domain.advice import Advice
from assistant.domain.assembly import (
    ALERT_PHASES,
    TABULATED_MODELS,
    advances,
    designation,
    operative_models,
    text_name,
)
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import Scenario, load_scenario, parse_scenario
from assistant.domain.signing import binds, non_signatories, signatories
from assistant.domain.training import load_training_library
from assistant.domain.wording import non_binding, non_binding_for
from tests.domain.corpus import parties_text
from tests.test_hostile import scenarios as generated_scenarios

ROOT = Path(__file__).resolve().parents[2]
DISCLAIMER = "does not create legally binding obligations"


def corpus() -> list[tuple[str, Scenario]]:
    items = [(f"shipped/{p.stem}", load_scenario(p)) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    items += [(f"training/{t.slug}", t.scenario) for t in load_training_library(ROOT / "training")]
    items += [
        (f"blind/{p.stem}", parse_scenario(yaml.safe_load(p.read_text())["scenario"]))
        for p in sorted((ROOT / "tests" / "blind").glob("*.yaml"))
    ]
    return items


def cannot_bind(s: Scenario) -> Scenario:
    """The scenario with its first signatory saying it cannot sign a binding instrument."""
    data = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    first = signatories(s)[0].id
    for p in data["parties"]:
        if p["id"] == first:
            p["constraints"] = {**p.get("constraints", {}), "can_sign_binding": False}
    return parse_scenario(data)


CORPUS = corpus()
DERIVED = [(f"{name}+cannot_bind", cannot_bind(s)) for name, s in CORPUS]


@pytest.fixture(scope="module")
def evaluated() -> dict[str, tuple[Scenario, Advice]]:
    return {name: (s, evaluate(s)) for name, s in CORPUS + DERIVED}


def form(advice: Advice) -> str:
    variant = next((c.variant for c in advice.clauses if c.id == "final_provisions"), None)
    return {"non_binding": "memorandum", "framework": "framework"}.get(variant, "agreement")


def variant(advice: Advice, clause: str) -> str | None:
    return next((c.variant for c in advice.clauses if c.id == clause), None)


def because(advice: Advice, clause: str) -> list[str]:
    return next((c.because for c in advice.clauses if c.id == clause), [])


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def annex(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.annexes if a.clause == clause), "")


def operative(advice: Advice) -> list[str]:
    """The articles (headings and texts) and the annexes of the draft."""
    d = advice.draft
    return [a.heading for a in d.articles] + [a.text for a in d.articles] + [x.text for x in d.annexes]


def signed_for(text: str) -> list[str]:
    return re.findall(r"^For (.+?):(?: \[[^\]]*\])?$", text, re.MULTILINE)


# ---------------------------------------------------------------- small scenarios


def state(pid: str, name: str, *roles: str, **extra) -> dict:
    return {"id": pid, "name": name, "kind": "state", "crisis_roles": list(roles), **extra}


IOM = {"id": "iom", "name": "International Organization for Migration", "kind": "international_organization",
       "mandates": ["migration"], "capacities": {"transport": ["air"]}}  # fmt: skip
NGO = {"id": "hope", "name": "Hope Shelters Network", "kind": "ngo", "capacities": {"shelter": True, "food": True}}
SHIPPER = {"id": "ship", "name": "Blue Line Shipping Company", "kind": "carrier", "capacities": {"transport": ["sea"]}}


def run(parties: list[dict], *, phase: str = "preparedness", **extra) -> tuple[Scenario, Advice]:
    data = {
        "title": "Test arrangement",
        "agreement_types": ["evacuation_relocation"],
        "crisis": {"kind": "armed_conflict", "phase": phase},
        "host_state": "host",
        "parties": parties,
        "populations": extra.pop("populations", [{"nationality": "orig", "count": 400}]),
        "services_needed": ["evacuation_transport", "shelter"],
        **extra,
    }
    s = parse_scenario(data)
    return s, evaluate(s)


def two_states(**orig) -> list[dict]:
    return [state("host", "Republic of Hostia", "host"), state("orig", "Republic of Origa", "origin", **orig)]


def test_states_and_an_organization_conclude_an_agreement_and_the_reason_says_why():
    _, advice = run([*two_states(), IOM])
    assert form(advice) == "agreement"
    assert advice.draft.instrument == "Agreement"
    assert "form.agreement.all_can_bind" in because(advice, "final_provisions")
    assert "3 signatories" in advice.rule("form.agreement.all_can_bind").rationale
    assert "participation_memorandum" not in {c.id for c in advice.clauses}


def test_a_signatory_that_cannot_be_bound_makes_a_memorandum():
    forum = {"id": "forum", "name": "Regional Migration Forum", "kind": "regional_body",
             "constraints": {"can_sign_binding": False}}  # fmt: skip
    _, advice = run([*two_states(), IOM, forum])
    assert form(advice) == "memorandum"
    assert advice.draft.instrument == "Memorandum of Understanding"
    assert "form.memorandum.a_signatory_cannot_bind" in because(advice, "final_provisions")
    assert advice.rule("form.memorandum.a_signatory_cannot_bind").rationale.startswith("1 of the signatories")


def test_one_state_with_ngos_makes_a_memorandum():
    _, advice = run(
        [state("host", "Republic of Hostia", "host"), NGO, SHIPPER], populations=[{"nationality": "host", "count": 400}]
    )
    assert form(advice) == "memorandum"
    assert "form.memorandum.too_few_can_bind" in because(advice, "final_provisions")
    assert variant(advice, "dispute_settlement") == "non_binding"


def test_ngos_and_companies_beside_states_sign_the_memorandum_annex_of_a_binding_framework():
    _, advice = run([*two_states(), IOM, NGO, SHIPPER])
    assert form(advice) == "framework"
    assert advice.draft.instrument == "Agreement"
    assert "form.framework.non_state_signatories" in because(advice, "final_provisions")
    assert "2 signatories are NGOs" in advice.rule("form.framework.non_state_signatories").rationale
    memo = annex(advice, "participation_memorandum")
    assert "not legally binding" in memo
    assert signed_for(memo) == ["the Hope Shelters Network", "Blue Line Shipping Company"]
    assert "Hope Shelters Network" not in " ".join(signed_for(advice.draft.signatures))
    assert "Participants" in parties_text(advice)
    assert "not Parties" in parties_text(advice)


def test_bodies_that_do_not_sign_never_count():
    absent = [dict(NGO, signatory=False), dict(SHIPPER, signatory=False)]
    _, advice = run([*two_states(), IOM, *absent])
    assert form(advice) == "agreement"
    assert "The Hope Shelters Network and Blue Line Shipping Company are not Parties to this Agreement and take no " \
           "commitment under it" in parties_text(advice)  # fmt: skip
    _, advice = run([*two_states(signatory=False), NGO])
    assert form(advice) == "memorandum"  # one State signs, with an NGO


def test_a_local_authority_binds_only_when_it_says_it_can():
    town = {"id": "port", "name": "Municipality of Port Amar", "kind": "local_authority"}
    _, advice = run([*two_states(), town])
    assert form(advice) == "framework"
    _, advice = run([*two_states(), dict(town, constraints={"can_sign_binding": True})])
    assert form(advice) == "agreement"
    assert variant(advice, "dispute_settlement") == "with_non_state"


# ---------------------------------------------------------------- the wording of a memorandum


def test_the_lexicon_words_a_memorandum_and_keeps_what_it_must():
    text = (
        "Amendments shall enter into force on notification. The Parties shall not publish it. The obligations of the "
        "Parties under this Article shall survive. This Memorandum is without prejudice to the rights and obligations "
        "of the Parties under international law. X undertakes to report. It shall remain in force."
    )
    out = non_binding(text)
    assert " shall" not in out
    assert "Amendments will come into effect" in out
    assert "will not publish" in out
    assert "The commitments of the Parties under this Article will survive" in out
    assert "rights and obligations of the Parties under international law" in out
    assert "X will report" in out
    assert "remain in effect" in out
    assert non_binding(out) == out
    disclaimer = "It does not create legally binding obligations under international law, nor rights or obligations."
    assert non_binding(disclaimer) == disclaimer


def test_a_sentence_whose_subject_cannot_be_bound_says_will():
    ngo, state_ = ["the Hope Shelters Network"], ["the Republic of Hostia"]
    text = (
        "The Hope Shelters Network shall provide shelter. The Republic of Hostia shall admit them. Shelter shall be "
        "provided by the Hope Shelters Network. The Republic of Hostia shall consult the Hope Shelters Network, which "
        "shall be consulted first. The Republic of Hostia and the Hope Shelters Network shall not charge. The Hope "
        "Shelters Network shall return the documents, and shall not retain them. The Lead Party (the Hope Shelters "
        "Network) shall report."
    )
    out = non_binding_for(text, ngo, state_)
    assert "The Hope Shelters Network will provide shelter" in out
    assert "The Republic of Hostia shall admit them" in out
    assert "Shelter will be provided by the Hope Shelters Network" in out
    assert "The Republic of Hostia shall consult" in out
    assert "which shall be consulted" in out
    # a Party's duty bundled with a non-Party's stays binding (round 14)
    assert "The Republic of Hostia shall not, and the Hope Shelters Network will not, charge" in out
    assert "will return the documents, and will not retain them" in out
    assert "The Lead Party (the Hope Shelters Network) will report" in out
    assert subjects_of_shall(out, ngo + state_) == ["The Republic of Hostia"] * 3


def test_no_shall_in_a_memorandum(evaluated):
    memoranda = 0
    for name, (_, advice) in evaluated.items():
        if form(advice) != "memorandum":
            continue
        memoranda += 1
        for text in operative(advice):
            found = re.findall(r"[^.]*\bshall\b[^.]*", text, re.IGNORECASE)
            assert not found, (name, found[:2])
        assert DISCLAIMER in article(advice, "final_provisions"), name
        assert "Entry into Force" not in [a.heading for a in advice.draft.articles], name
    assert memoranda >= len(DERIVED)  # every derived scenario is a memorandum


def test_every_derived_scenario_is_a_memorandum(evaluated):
    for name, _ in DERIVED:
        _, advice = evaluated[name]
        assert form(advice) == "memorandum", name
        assert "form.memorandum.a_signatory_cannot_bind" in because(advice, "final_provisions"), name
        assert variant(advice, "dispute_settlement") == "non_binding", name
        assert variant(advice, "entry_into_force") != "notification", name


def subjects_of_shall(text: str, names: list[str]) -> list[str]:
    """The lists of names that are the subject (or, in the passive, the agent) of a "shall"."""
    alt = "|".join(re.escape(re.sub(r"^the ", "", n)) for n in sorted(names, key=len, reverse=True))
    one = rf"(?:[Tt]he )?(?:{alt})(?: \([^()]*\))?"
    chain = rf"{one}(?:(?:, and |, | and | or ){one})*"
    active = rf"({chain})(?:, as [^,;.]+,)?(?: each| also| jointly)? shall\b(?! be\b)|({chain}) shall be\b"
    # round 15: "(A and P) shall, and P will, …" binds A only: the bracket's subjects less those that "will"
    bracket = rf"\((?:the )?(?:\"[^\"]+\": )?({chain})\),? shall\b(?!, and )"
    joined = rf"({chain})(?:, as [^,;.]+,)? will\b[^.;]*?(?:,| and| or) shall\b"  # "X will return …, and shall not"
    passive = rf"\bshall (?:not )?be (?:[a-z]+ ){{0,4}}?(?:by|the responsibility of) ({chain})"
    # round 15: a name after "from" is a place, not the subject ("Evacuation from X shall be organized")
    text = re.sub(rf"\b(?:from|out of) (?:the territory (?:under the authority )?of )?{one}", "from PLACE", text)
    return [g for m in re.finditer(f"{active}|{bracket}|{joined}|{passive}", text) for g in m.groups() if g]


def test_no_signatory_of_the_participation_memorandum_is_the_subject_of_shall(evaluated):
    frameworks = 0
    for name, (s, advice) in evaluated.items():
        if form(advice) != "framework":
            continue
        frameworks += 1
        joining = [text_name(p) for p in signatories(s) if not binds(p)]
        names = [text_name(p) for p in s.parties]
        for text in operative(advice):
            for who in subjects_of_shall(text, names):
                assert not any(re.sub(r"^the ", "", n) in who for n in joining), (name, who)
    assert frameworks >= 10


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_generated_scenarios_are_worded_as_their_form(data):
    for i, party in enumerate(data["parties"]):  # distinct names, so that no name reads as part of another
        party["name"] = f"Party{chr(65 + i)} Association" if party["kind"] != "state" else f"Republic of P{chr(65 + i)}"
    s = parse_scenario(data)
    advice = evaluate(s)
    if form(advice) == "memorandum":
        assert not any(re.search(r"\bshall\b", text) for text in operative(advice))
    elif form(advice) == "framework":
        joining = [text_name(p) for p in signatories(s) if not binds(p)]
        for text in operative(advice):
            for who in subjects_of_shall(text, [text_name(p) for p in s.parties]):
                assert not any(re.sub(r"^the ", "", n) in who for n in joining), who
    parties = [designation(p) for p in signatories(s) if form(advice) != "framework" or binds(p)]
    assert signed_for(advice.draft.signatures) == (parties if advice.draft.signatures else [])


# ---------------------------------------------------------------- parties and signatures


def test_only_signatories_sign_each_where_it_signs(evaluated):
    for name, (s, advice) in evaluated.items():
        signing = signatories(s)
        joining = [p for p in signing if not binds(p)] if form(advice) == "framework" else []
        parties = [designation(p) for p in signing if p not in joining]
        assert signed_for(advice.draft.signatures) == parties, name
        assert advice.draft.designations == parties, name
        assert signed_for(annex(advice, "participation_memorandum")) == [designation(p) for p in joining], name
        absent = [designation(p, signing=False) for p in non_signatories(s)]
        first = advice.draft.parties.split("\n\n")[0]
        # round 8: a State that does not sign does not take part; it is addressed by request (is not a Party)
        if any(p.kind != "state" for p in non_signatories(s)):
            # round 15: "X is not a Party to this Agreement and takes no commitment under it", never "with the
            # participation of X, which takes part without signing" (ambiguous in a binding instrument)
            assert re.search(r"(?:is not a Party|are not Parties) to this [A-Za-z ]+ and takes? no commitment", first)
            marker = re.search(r"(?:is not a Party|are not Parties) to this [A-Za-z ]+ and takes? no commitment", first)
            assert marker.start() > max(first.index(d) for d in parties), name
        assert all(first.lower().count(d.lower()) == 1 for d in absent), name


# ---------------------------------------------------------------- entry into force


def states_take_on_financial_obligations(s: Scenario, advice: Advice) -> bool:
    """Shares or reimbursements borne by States, advances made by or for a State, or a State that contributes as a
    funder (advice.cost_allocation and Annex A)."""
    states = {p.id for p in signatories(s) if p.kind == "state"}
    models = operative_models(advice)
    shares = any(m in models for m in TABULATED_MODELS) and any(
        x.party in states and x.share > 0 for x in advice.cost_allocation.shares
    )
    reimburses = "nationality_reimburses" in models and any(g.nationality in states for g in s.populations or [])
    made = advances(advice) if "advance_and_recover" in models else []
    advanced = any(a["by"] in states or a["for"] in states for a in made)
    funds = any(r.party in states for r in advice.holders("funder"))
    return shares or reimburses or advanced or funds


def test_financial_obligations_of_states_wait_for_internal_procedures(evaluated):
    checked = 0
    for name, (s, advice) in evaluated.items():
        if form(advice) == "memorandum" or not states_take_on_financial_obligations(s, advice):
            continue
        checked += 1
        assert variant(advice, "entry_into_force") == "notification", name
        text = article(advice, "entry_into_force")
        assert "internal procedures" in text, name
        assert ("provisionally" in text) == (s.crisis.phase in ALERT_PHASES), name
    assert checked >= 10


def test_a_state_fund_that_advances_or_a_donor_state_waits_for_internal_procedures():
    fund = {"capacities": {"bridging_fund": True, "funding_lead_days": 1}}
    late = {"capacities": {"funding_lead_days": 30}}
    _, advice = run([state("host", "Republic of Hostia", "host", **fund), state("orig", "Republic of Origa", "origin",
                                                                               **late)])  # fmt: skip
    assert variant(advice, "entry_into_force") == "notification"
    assert "draft.entry_into_force.state_fund_advances" in because(advice, "entry_into_force")
    _, advice = run([*two_states(), state("don", "Kingdom of Donora", "donor"), IOM], phase="emergency_response")
    assert "draft.entry_into_force.donor_state" in because(advice, "entry_into_force")
    assert "provisionally" in article(advice, "entry_into_force")
    _, advice = run([*two_states(), IOM])
    assert variant(advice, "entry_into_force") == "notification"  # no financial obligation, but States are Parties
    assert "draft.entry_into_force.binding_states" in because(advice, "entry_into_force")


def parties_of(s: Scenario, advice: Advice) -> list:
    """The Parties to the instrument: its signatories, less the Participants of a binding framework."""
    return [p for p in signatories(s) if form(advice) != "framework" or binds(p)]


def test_a_binding_instrument_to_which_a_state_is_party_waits_for_internal_procedures(evaluated):
    """Class 8: any State Party means internal procedures; provisional application exactly from the alert phase on
    (round 8: an alert already declared), and with two Parties no sentence on relations with the Parties that have
    already signed."""
    checked = 0
    for name, (s, advice) in evaluated.items():
        if form(advice) == "memorandum":
            continue
        parties = parties_of(s, advice)
        with_state = any(p.kind == "state" for p in parties)
        assert (variant(advice, "entry_into_force") == "notification") == with_state, name
        text = article(advice, "entry_into_force")
        assert ("provisionally" in text) == (with_state and s.crisis.phase in ALERT_PHASES) or not with_state, name
        if len(parties) == 2:
            assert "already signed" not in text, name
        checked += with_state
    assert checked >= 20


def test_two_parties_apply_provisionally_from_signature_by_both():
    _, advice = run(two_states(), phase="emergency_response")
    text = article(advice, "entry_into_force")
    assert "signature by both of them" in text
    assert "already signed" not in text
    _, advice = run([*two_states(), IOM], phase="emergency_response")
    assert "already signed" in article(advice, "entry_into_force")


# Clauses with continuing effects after withdrawal or termination (final_provisions, params continuing,
# continuing_costs, continuing_workers); requests for deployment hold no costs of their own (cost_allocation does).
CONTINUING = ("data_protection", "data_sharing_protocol", "cost_allocation", "consular_representation",
              "employer_liability", "bridging_fund", "cofinancing", "evacuee_repayment", "seafarer_crew_change",
              "liability", "privileges_immunities",
              "dispute_settlement")  # fmt: skip


def test_the_survival_clause_names_every_article_with_continuing_effects(evaluated):
    """Class 9: the survival paragraph is computed from the articles present, and names each of them."""
    for name, (_, advice) in evaluated.items():
        final = article(advice, "final_provisions")
        survival = next(x for x in final.split("\n\n") if "continue to apply thereafter" in x)
        refs = re.findall(r"Articles? ((?:\d+(?:, | and )?)+)", survival)
        listed = {n for ref in refs for n in re.findall(r"\d+", ref)}
        # round 15: a consular post acting for its own State's nationals from another State has no cost provision
        present = {
            a.number
            for a in advice.draft.articles
            if a.clause in CONTINUING
            and not (a.clause == "consular_representation" and a.variant not in ("standard", "io_documentation"))
        }
        assert present <= listed, (name, present - listed)
        assert listed <= {a.number for a in advice.draft.articles}, name


def test_only_states_and_organizations_accede_to_a_binding_instrument(evaluated):
    """Class 10: "other entity" accedes to nothing binding, and a multilateral one is open to accession; in a
    framework other bodies join the Memorandum of Participation."""
    for name, (_, advice) in evaluated.items():
        if form(advice) == "memorandum":
            continue
        text = article(advice, "final_provisions") + article(advice, "entry_into_force")
        assert "other entity" not in text, name
        if len(advice.draft.designations) > 2:  # a bilateral instrument is open to no accession
            assert "accede" in text, name
        if form(advice) == "framework":
            assert "join Annex" in text or "joins Annex" in text, name
