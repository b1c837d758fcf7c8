"""Exercise mode in Chromium: a trainee starts an exercise from the scenario's page, fills the answer sheet, saves,
submits and reads the explained score (without JavaScript: plain forms); a trainer then finds the score on the
results page across trainees and opens it."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from assistant.db import make_engine
from assistant.domain.evaluate import ROOT, default_rule_base
from assistant.domain.exercise import AnswerSheet, score
from assistant.domain.training import find, load_training_library
from assistant.domain.vocab import AGREEMENT_TYPES, label
from assistant.services.people import create_user
from tests.browser.test_wizard_browser import sign_in
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "chad_lead_state"
ITEM = find(load_training_library(ROOT / "training"), SLUG)


def add_user(tmp_path, username: str, name: str, role: str) -> None:
    """An account in the live server's database (the ``live_server`` fixture keeps it at tmp_path/live.sqlite)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'live.sqlite'}")
    with Session(engine) as session:
        create_user(session=session, username=username, display_name=name, password=PASSWORD, role=role)
    engine.dispose()


def test_an_exercise_from_start_to_score(browser, live_server, tmp_path):
    base = live_server
    add_user(tmp_path, "tina", "Tina Trainee", "member")
    add_user(tmp_path, "coach", "Carl Coach", "trainer")
    advice = ITEM.advice()
    parties = {p.id: p.name for p in ITEM.scenario.parties}

    # The answers: everything the rule base suggests, except one risk flag, plus one agreement type it does not.
    missed_flag = advice.risk_flags[0]
    suggested_types = [a.id for a in advice.agreement_types]
    extra_type = next(t for t in AGREEMENT_TYPES if t not in suggested_types)
    transport = [r.party for r in advice.roles if r.role == "transport_provider"]
    sheet = AnswerSheet(
        agreement_types=[t for t in AGREEMENT_TYPES if t in [*suggested_types, extra_type]],
        lead=advice.holders("lead")[0].party,
        backup_lead=advice.holders("backup_lead")[0].party,
        roles={"transport_provider": transport},
        cost_models=[m.id for m in advice.cost_allocation.models],
        risk_flags=[f.id for f in advice.risk_flags if f.id != missed_flag.id],
        practices=[p.id for p in advice.practices],
    )
    expected = score(sheet, ITEM.scenario, advice, default_rule_base())
    assert 0 < expected.percent < 100

    # The trainee works without JavaScript: every step is a plain form.
    trainee = browser.new_context(java_script_enabled=False)
    page = trainee.new_page()
    sign_in(page, base, "tina")
    page.goto(f"{base}/training/{SLUG}")
    page.locator(f"form[action='/training/{SLUG}/exercises'] button[type=submit]").first.click()
    page.wait_for_url("**/training/exercises/*")
    attempt_url = page.url
    assert page.get_by_role("heading", name="The scenario").is_visible()
    assert page.get_by_role("heading", name="Your answers").is_visible()
    text = page.inner_text("main")
    assert "Republic of Gallia" in text
    assert not [r.title for r in advice.rules_fired if r.title in text], "the suggestions must stay hidden"

    types = page.locator("#sheet-agreement_types")
    for t in sheet.agreement_types:
        types.get_by_label(label(t), exact=True).check()
    page.select_option("#sheet-lead", sheet.lead)
    page.select_option("#sheet-backup_lead", sheet.backup_lead)
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_load_state()
    assert "Your answers are saved" in page.inner_text("main")
    assert types.get_by_label(label(extra_type), exact=True).is_checked()  # nothing typed is lost
    assert page.locator("#sheet-lead").input_value() == sheet.lead

    for party in transport:
        page.get_by_label(f"{label('transport_provider')}: {parties[party]}", exact=True).check()
    for field in ("cost_models", "risk_flags", "practices"):
        group = page.locator(f"#sheet-{field}")
        for value in getattr(sheet, field):
            group.get_by_label(label(value), exact=True).check()
    page.get_by_role("button", name="Submit for scoring").click()
    page.wait_for_url(attempt_url)

    main = page.inner_text("main")
    assert f"Your answers were scored: {expected.percent} %" in main
    assert page.locator(".score-total").inner_text() == f"{expected.percent} %"
    assert expected.computation() in main  # the formula with this attempt's numbers
    missed = page.locator(f"#missed-risk_flags-{missed_flag.id}")
    assert label(missed_flag.id) in missed.inner_text()
    for rid in missed_flag.because:
        assert advice.rule(rid).title in missed.inner_text()
        assert "Source:" in missed.inner_text()
    extra = page.locator(f"#extra-agreement_types-{extra_type}").inner_text()
    assert "No rule suggests this here" in extra
    assert "It needs:" in extra
    assert page.get_by_role("button", name="Submit for scoring").count() == 0  # the score is final
    trainee.close()

    # The trainer finds the trainee's score among the results and opens the explained result.
    coach = browser.new_context()
    page = coach.new_page()
    sign_in(page, base, "coach")
    page.goto(f"{base}/training/{SLUG}/results")
    row = page.locator("table.results-table tbody tr", has_text="Tina Trainee")
    assert row.count() == 1
    assert f"{expected.percent} %" in row.inner_text()
    assert "1 by 1 trainee" in page.inner_text("main")
    assert label(missed_flag.id) in page.locator("table.missed-table").first.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url(attempt_url)
    assert "Tina Trainee" in page.inner_text("main")
    assert page.locator(".score-total").inner_text() == f"{expected.percent} %"
    coach.close()
