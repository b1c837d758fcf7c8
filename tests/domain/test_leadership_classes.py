"""Leadership and role assignment by class (docs/leadership.md, "Who never leads"), each an invariant over the corpus
(shipped examples, training and blind scenarios) and, where the class is about the ranking, generated scenarios:

1. a party to the armed conflict (the host State in an armed conflict, unless people are received there having fled
   elsewhere) never leads, backs up or leads an operation on its territory: it facilitates;
2. one holder per function: one lead, one backup, one operation lead per operation, and an operation that is also a
   role (screening and referral, tracing) is coordinated by a Party that carries it out, not by a second body; where
   an Operation Lead coordinates evacuation, the Lead Party coordinates the instrument, not evacuation too;
3. an organ whose competence is narrower than a lead's duties (a police force, a desk or unit) never leads or backs
   up;
4. a funder in Annex A is told, in an article, that it finances (under its own rules);
5. "designated in Annex A" only where Annex A designates someone for that role;
6. a placeholder ("[to be agreed: …]") is never the body a duty binds: it is not the subject of "shall", nor
   introduced as a body of its own by a duty it carries out; the Parties designate it.
   (A hole where a Party should be named, "shall be provided by [to be agreed: …]", shows who is missing.)"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from assistant.domain.advice import Advice
from assistant.domain.assembly import text_name
from assistant.domain.evaluate import evaluate
from assistant.domain.names import split_organ
from assistant.domain.scenario import Scenario, parse_scenario
from assistant.domain.territory import receives_people
from assistant.domain.vocab import ROLES, label
from tests.domain.corpus import corpus_scenarios
from tests.test_hostile import scenarios as generated_scenarios

CORPUS = corpus_scenarios()
IDS = [n for n, _ in CORPUS]
_ADVICE: dict[str, Advice] = {}


def advice_for(name: str, scenario: Scenario) -> Advice:
    if name not in _ADVICE:
        _ADVICE[name] = evaluate(scenario)
    return _ADVICE[name]


LEADING = ("lead", "backup_lead", "operation_lead")


def conflict_party(s: Scenario) -> str | None:
    """The host State of an armed conflict that people flee or stay in (not one that receives them)."""
    host = s.party(s.host_state)
    if host is None or host.kind not in ("state", "local_authority"):
        return None
    if s.crisis.kind != "armed_conflict" or receives_people(s, host):
        return None
    return host.id


def check_conflict_party(s: Scenario, advice: Advice) -> None:
    party = conflict_party(s)
    if party:
        for role in LEADING:
            assert party not in {r.party for r in advice.holders(role)}, (
                f"{s.title}: {party}, a party to the armed conflict on its territory, holds {role}"
            )


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=IDS)
def test_no_party_to_the_armed_conflict_leads_backs_up_or_leads_an_operation(name, scenario):
    check_conflict_party(scenario, advice_for(name, scenario))


def test_the_corpus_has_armed_conflicts_whose_host_proposes_itself():
    """Not vacuous: some host State at war is a Party and the lead goes to another Party."""
    led = [
        n
        for n, s in CORPUS
        if conflict_party(s) and advice_for(n, s).holders("lead") and s.party(s.host_state).kind == "state"
    ]
    assert len(led) >= 5


NARROW = re.compile(r"\b(Police|Desk|Unit|Section|Cell|Division|Branch)\b")


def check_organ(s: Scenario, advice: Advice) -> None:
    for role in ("lead", "backup_lead"):
        for r in advice.holders(role):
            p = s.party(r.party)
            organ = split_organ(p.name, p.kind).organ if p else None
            assert not (organ and NARROW.search(organ)), f"{s.title}: the {organ} holds {role}"


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=IDS)
def test_no_organ_narrower_than_the_duties_leads_or_backs_up(name, scenario):
    check_organ(scenario, advice_for(name, scenario))


def check_one_holder(s: Scenario, advice: Advice) -> None:
    rows = [row[0] for row in advice.draft.annexes[0].rows] if advice.draft and advice.draft.annexes else []
    assert rows.count("lead party") <= 1, f"{s.title}: two leads"
    assert rows.count("backup lead") <= 1, f"{s.title}: two backups"
    ops = [r.for_ for r in advice.holders("operation_lead")]
    assert len(ops) == len(set(ops)), f"{s.title}: two operation leads for one operation"
    for op in advice.holders("operation_lead"):
        if op.for_ in ROLES:
            doers = {r.party for r in advice.holders(op.for_)}
            assert not doers or op.party in doers, (
                f"{s.title}: {op.party} coordinates {label(op.for_)} that {', '.join(sorted(doers))} carry out"
            )


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=IDS)
def test_one_holder_per_function(name, scenario):
    check_one_holder(scenario, advice_for(name, scenario))


EVACUATION_LEAD = re.compile(
    r"Lead Party shall [^.]*coordinate the Parties in the preparation and implementation of Relocation"
)


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=IDS)
def test_one_coordinator_of_evacuation_in_the_articles(name, scenario):
    """Where an Operation Lead coordinates evacuation and relocation, the roles article does not give the Lead Party
    the same coordination: it coordinates the instrument, the Operation Lead the movements."""
    advice = advice_for(name, scenario)
    if any(r.for_ == "evacuation_relocation" for r in advice.holders("operation_lead")):
        roles = next((a.text for a in advice.draft.articles if a.clause == "roles"), "")
        assert not EVACUATION_LEAD.search(roles), (
            f"{name}: the Lead Party and the Operation Lead both coordinate evacuation"
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_scenarios())
def test_leadership_classes_hold_in_generated_scenarios(data):
    s = parse_scenario(data)
    advice = evaluate(s)
    check_conflict_party(s, advice)
    check_organ(s, advice)
    check_one_holder(s, advice)


def _bare(name: str) -> str:
    """A name as a pattern that matches it with or without its leading article, at a sentence's start or not."""
    name = name[4:] if name.lower().startswith("the ") else name
    return rf"(?:[Tt]he )?{re.escape(name)}"


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=IDS)
def test_a_funder_in_annex_a_is_told_that_it_finances(name, scenario):
    advice = advice_for(name, scenario)
    shown = {row[1] for row in advice.draft.annexes[0].rows if row[0] == "funder"}
    text = "\n".join(a.text for a in advice.draft.articles)
    for r in advice.holders("funder"):
        p = scenario.party(r.party)
        if (
            p is None
            or p.name not in shown
            and text_name(p) not in shown
            and split_organ(p.name, p.kind)[0] not in shown
        ):
            continue
        bare = _bare(text_name(p))
        funds = rf"{bare}(?: and [^.;]+?)? (?:shall|will) (?:finance|contribute)|{bare} contributes"
        assert re.search(funds, text), (
            f"{name}: Annex A shows {text_name(p)} as funder, but no article says it finances"
        )


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=IDS)
def test_designated_in_annex_a_only_where_annex_a_designates(name, scenario):
    advice = advice_for(name, scenario)
    rows = {row[0].removeprefix("backup ") for row in advice.draft.annexes[0].rows}
    for a in advice.draft.articles:
        for sentence in re.split(r"(?<=[.;])\s+", a.text):
            if "designated in Annex A" in sentence:
                assert any(role in sentence.lower() for role in rows), (
                    f"{name}, {a.heading}: '{sentence[:160]}' refers to Annex A, which designates nobody for it"
                )


HOLE = r"\[to be (?:agreed|designated)[^\]]*\]"
BOUND = (
    re.compile(HOLE + r"(?: \([^)]*\))?(?:, [^,.]+,)? (?:shall|will)\b"),  # the hole is the subject of a duty
    # a duty carried out by a hole introduced as a body of its own ("shall be handled by [...] (the "Service")")
    re.compile(r"\b(?:shall|will) be \w+ (?:\w+ )?by " + HOLE + r" \(the \""),
)


@pytest.mark.parametrize(("name", "scenario"), CORPUS, ids=IDS)
def test_a_placeholder_is_never_bound(name, scenario):
    advice = advice_for(name, scenario)
    text = "\n".join(a.text for a in advice.draft.articles)
    for pattern in BOUND:
        m = pattern.search(text)
        assert m is None, f"{name}: a placeholder is bound: '{text[max(0, m.start() - 80) : m.end() + 40]}'"
