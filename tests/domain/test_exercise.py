"""Exercise mode: answer sheets are checked against the vocabularies and the scenario's parties, and scored
against the real rule base's advice with every difference explained."""

from __future__ import annotations

import pytest

from assistant.domain.advice import Advice
from assistant.domain.evaluate import ROOT, default_rule_base
from assistant.domain.exercise import (
    CATEGORIES,
    KEY_ROLES,
    TOTAL_WEIGHT,
    AnswerSheet,
    condition_text,
    parse_answers,
    percent,
    rule_conditions,
    rules_that_could,
    score,
    sheet_as_form,
    summarize,
)
from assistant.domain.training import find, load_training_library
from assistant.domain.vocab import AGREEMENT_TYPES, PRACTICES

LIBRARY = load_training_library(ROOT / "training")
RULES = default_rule_base()
CHAD = find(LIBRARY, "chad_lead_state")


def model_answer(advice: Advice) -> AnswerSheet:
    """The sheet that chooses exactly what the rule base suggests, read straight from the advice."""
    roles: dict[str, list[str]] = {}
    for r in advice.roles:
        if r.role in KEY_ROLES and r.party not in roles.get(r.role, []):
            roles.setdefault(r.role, []).append(r.party)
    lead = advice.holders("lead")
    backup = advice.holders("backup_lead")
    return AnswerSheet(
        agreement_types=[a.id for a in advice.agreement_types],
        lead=lead[0].party if lead else "",
        backup_lead=backup[0].party if backup else "",
        roles=roles,
        cost_models=[m.id for m in advice.cost_allocation.models],
        risk_flags=[f.id for f in advice.risk_flags],
        practices=[p.id for p in advice.practices],
    )


@pytest.mark.parametrize("item", LIBRARY, ids=lambda i: i.slug)
def test_the_rule_bases_own_answers_score_100_percent(item):
    result = score(model_answer(item.advice()), item.scenario, item.advice(), RULES)
    assert result.score == 1.0
    assert result.percent == 100
    for category in result.categories:
        assert not category.missed, category.id
        assert not category.extra, category.id
        for matched in category.matched:
            assert matched.rules, f"{matched.key} is shown without the rules that suggest it"


@pytest.mark.parametrize("item", LIBRARY, ids=lambda i: i.slug)
def test_an_empty_sheet_scores_0_percent_and_misses_every_suggestion(item):
    advice = item.advice()
    result = score(AnswerSheet(), item.scenario, advice, RULES)
    assert result.score == 0.0
    assert result.percent == 0
    assert {m.key for m in result.category("risk_flags").missed} == {f.id for f in advice.risk_flags}
    assert {m.key for m in result.category("agreement_types").missed} == {a.id for a in advice.agreement_types}
    assert [m.key for m in result.category("leadership").missed][0] == f"lead:{advice.holders('lead')[0].party}"
    assert all(not c.extra and not c.matched for c in result.categories)


def test_one_missed_flag_lowers_the_score_and_is_explained_by_the_rule_that_raises_it():
    advice = CHAD.advice()
    perfect = model_answer(advice)
    flag = advice.risk_flags[0]
    sheet = perfect.model_copy(update={"risk_flags": [f for f in perfect.risk_flags if f != flag.id]})
    result = score(sheet, CHAD.scenario, advice, RULES)

    flags = result.category("risk_flags")
    n = len(advice.risk_flags)
    assert [m.key for m in flags.missed] == [flag.id]
    assert flags.score == pytest.approx((n - 1) / n)
    assert result.score == pytest.approx(1 - flags.weight * (1 / n) / TOTAL_WEIGHT)
    assert result.percent < 100

    missed = flags.missed[0]
    assert [r.id for r in missed.rules] == flag.because
    for note in missed.rules:
        rule = RULES.get(note.id)
        assert flag.id in [f.id for f in rule.then.risk_flags]  # the rule really raises that flag
        assert note.title == rule.title
        assert note.source == rule.source
        assert note.facts, "the facts the rule matched here are shown"
        assert note.fired_here
    assert "rule" in missed.note


def test_an_extra_agreement_type_is_explained_with_the_rules_that_could_suggest_it():
    advice = CHAD.advice()
    absent = next(a for a in AGREEMENT_TYPES if a not in {x.id for x in advice.agreement_types})
    perfect = model_answer(advice)
    sheet = perfect.model_copy(update={"agreement_types": [*perfect.agreement_types, absent]})
    result = score(sheet, CHAD.scenario, advice, RULES)

    types = result.category("agreement_types")
    assert [e.key for e in types.extra] == [absent]
    assert types.score == pytest.approx(len(advice.agreement_types) / (len(advice.agreement_types) + 1))
    extra = types.extra[0]
    assert extra.note.startswith("No rule suggests this here")
    could = {r.id for r in RULES.rules if absent in r.then.agreement_types}
    assert could, "the rule base has rules for every agreement type"
    assert {r.id for r in extra.rules} <= could
    assert len(extra.rules) + extra.more_rules == len(could)
    for note in extra.rules:
        assert not note.fired_here
        assert note.conditions
        assert note.source
        assert note.conditions == rule_conditions(RULES.get(note.id))


def test_an_extra_role_lists_only_rules_that_can_give_it_to_a_party_of_that_kind():
    advice = CHAD.advice()
    holders = {r.party for r in advice.roles if r.role == "transport_provider"}
    state = next(p for p in CHAD.scenario.parties if p.kind == "state" and p.id not in holders)
    sheet = AnswerSheet(roles={"transport_provider": [state.id]})
    extra = score(sheet, CHAD.scenario, advice, RULES).category("roles").extra
    assert [e.key for e in extra] == [f"transport_provider:{state.id}"]
    assert state.name in extra[0].label
    for note in extra[0].rules:
        rule = RULES.get(note.id)
        outs = [o for o in rule.then.roles if o.role == "transport_provider"]
        assert outs
        for out in outs:
            kind = rule.when.get(getattr(out.party, "alias", ""), {}).get("kind")
            assert kind in (None, "state") or (isinstance(kind, dict) and "state" in kind.get("in", ["state"]))
    # An organization cannot take a role that only States are given: the lists differ by kind.
    for_state = {r.id for r in rules_that_could("roles", f"representing_state:{state.id}", CHAD.scenario, RULES)}
    ngo_like = next(p for p in CHAD.scenario.parties if p.kind != "state")
    for_other = {r.id for r in rules_that_could("roles", f"representing_state:{ngo_like.id}", CHAD.scenario, RULES)}
    assert for_state
    assert for_other < for_state


def test_a_wrong_lead_is_both_missed_and_extra():
    advice = CHAD.advice()
    lead = advice.holders("lead")[0].party
    other = next(p.id for p in CHAD.scenario.parties if p.id != lead and p.kind == "state")
    result = score(AnswerSheet(lead=other), CHAD.scenario, advice, RULES)
    leadership = result.category("leadership")
    assert f"lead:{lead}" in [m.key for m in leadership.missed]
    assert [e.key for e in leadership.extra] == [f"lead:{other}"]
    assert leadership.score == 0


def test_the_total_is_the_weighted_mean_of_the_counted_categories():
    advice = CHAD.advice()
    perfect = model_answer(advice)
    sheet = perfect.model_copy(update={"practices": [], "cost_models": perfect.cost_models[:1]})
    result = score(sheet, CHAD.scenario, advice, RULES)
    weighted = sum(c.weight * c.score for c in result.categories if c.counted)
    assert result.score == pytest.approx(weighted / sum(c.weight for c in result.categories if c.counted))
    assert result.category("practices").score == 0
    assert result.category("cost_models").score == pytest.approx(1 / len(advice.cost_allocation.models))
    assert result.computation().endswith(f"= {result.percent} %")
    assert "1 × 0 %" in result.computation()


def test_a_category_with_nothing_expected_and_nothing_chosen_does_not_count():
    empty = Advice(title="nothing suggested")
    assert score(AnswerSheet(), CHAD.scenario, empty, RULES).score == 1.0
    result = score(AnswerSheet(practices=[PRACTICES[0]]), CHAD.scenario, empty, RULES)
    assert [c.id for c in result.categories if c.counted] == ["practices"]
    assert result.score == 0.0


def test_answers_are_checked_against_the_vocabularies_and_the_parties():
    form = {
        "agreement_types": ["consular_representation", "teleportation"],
        "lead": ["gallia"],
        "backup_lead": ["atlantis"],
        "role.transport_provider": ["gallia", "nobody"],
        "role.emperor": ["gallia"],
        "cost_models": ["own_costs", "<script>"],
        "risk_flags": ["trafficking"],
        "practices": ["joint_planning", "x" * 500],
        "csrf_token": ["abc"],
        "action": ["save"],
    }
    sheet, problems = parse_answers(form, CHAD.scenario)
    # What is valid is kept ...
    assert sheet.agreement_types == ["consular_representation"]
    assert sheet.lead == "gallia"
    assert sheet.backup_lead == ""
    assert sheet.roles == {"transport_provider": ["gallia"]}
    assert (sheet.cost_models, sheet.risk_flags, sheet.practices) == (
        ["own_costs"],
        ["trafficking"],
        ["joint_planning"],
    )
    # ... and each problem names the field and the value.
    by_field = {p.field: p.message for p in problems}
    assert "'teleportation' is not an agreement type" in by_field["agreement_types"]
    assert "'atlantis' is not a party of this scenario" in by_field["backup_lead"]
    assert "gallia" in by_field["backup_lead"]  # the parties are listed
    assert "'nobody' is not a party" in by_field["role.transport_provider"]
    assert "'emperor' is not one of the roles" in by_field["roles"]
    assert "'<script>' is not a cost model" in by_field["cost_models"]
    assert len(by_field["practices"]) < 200  # long forged values are shortened
    assert len(problems) == 6


def test_the_backup_lead_must_be_another_party_and_only_one_lead_is_chosen():
    _, problems = parse_answers({"lead": ["gallia"], "backup_lead": ["gallia"]}, CHAD.scenario)
    assert [p.field for p in problems] == ["backup_lead"]
    _, problems = parse_answers({"lead": ["gallia", "teutonia"]}, CHAD.scenario)
    assert [p.field for p in problems] == ["lead"]
    assert "one party" in problems[0].message


def test_a_sheet_survives_the_form_and_storage_round_trip():
    sheet = model_answer(CHAD.advice())
    parsed, problems = parse_answers(sheet_as_form(sheet), CHAD.scenario)
    assert problems == []
    assert parsed == sheet
    assert AnswerSheet.from_json(sheet.to_json()) == sheet
    assert AnswerSheet.from_json({"lead": ["not", "text"]}) == AnswerSheet()
    assert AnswerSheet.from_json(None).is_empty()


def test_conditions_read_as_words():
    assert condition_text("n_nationalities", {"gte": 2}) == "number of nationalities at least 2"
    assert condition_text("kind", "state") == "kind: state"
    assert condition_text("consular_presence", {"in": ["embassy", "consulate"]}) == (
        "consular presence: one of embassy, consulate"
    )
    assert condition_text("needs_evacuation_transport", True) == "needs evacuation transport"
    rule = RULES.get("role.lead.io_migration_multinational")
    lines = rule_conditions(rule)
    assert lines[0] == "The scenario: number of nationalities at least 2"
    assert any("international organization" in line and "mandate: migration" in line for line in lines)


def test_percentages_round_half_up():
    assert [percent(x) for x in (0, 0.004, 0.005, 0.825, 2 / 3, 1)] == [0, 0, 1, 83, 67, 100]


def test_every_category_has_a_question_and_a_weight():
    assert {c.id for c in CATEGORIES} == {
        "agreement_types",
        "leadership",
        "roles",
        "cost_models",
        "risk_flags",
        "practices",
    }
    assert all(c.weight > 0 and c.question.endswith("?") for c in CATEGORIES)


def test_the_summary_across_trainees_ranks_what_was_most_often_missed():
    advice = CHAD.advice()
    perfect = model_answer(advice)
    first, second = advice.risk_flags[0].id, advice.risk_flags[1].id
    sheets = [
        perfect,
        perfect.model_copy(update={"risk_flags": [f for f in perfect.risk_flags if f != first]}),
        perfect.model_copy(update={"risk_flags": [f for f in perfect.risk_flags if f not in (first, second)]}),
    ]
    results = [score(s, CHAD.scenario, advice, RULES) for s in sheets]
    summary = summarize(results)
    assert summary.attempts == 3
    assert summary.mean == pytest.approx(sum(r.score for r in results) / 3)
    assert summary.median == results[1].score  # the middle one of three
    assert summary.category_means["agreement_types"] == 1.0
    assert summary.category_means["risk_flags"] < 1.0
    assert [(m.key, m.count) for m in summary.most_missed] == [(first, 2), (second, 1)]
    assert summary.most_missed[0].rules  # with the rules that raise it
    assert summary.most_added == []
    assert summarize([]).attempts == 0
