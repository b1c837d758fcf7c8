"""Exercise mode through the web app: start, save, submit and see the explained score; bad answers are refused
with clear messages and nothing valid is lost; only the trainee, trainers and admins open an attempt; trainers
see the results across trainees."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from assistant.db import get_session
from assistant.domain.evaluate import ROOT
from assistant.domain.exercise import percent, sheet_as_form
from assistant.domain.training import find, load_training_library
from assistant.domain.vocab import label
from assistant.models import ExerciseAttempt
from tests.domain.test_exercise import model_answer

SLUG = "chad_lead_state"
ITEM = find(load_training_library(ROOT / "training"), SLUG)
ADVICE = ITEM.advice()
PERFECT = sheet_as_form(model_answer(ADVICE))


@pytest.fixture
def trainee(app, make_user, login):
    make_user("tess")
    return login(app.test_client(), "tess")


def start(client, slug=SLUG) -> str:
    response = client.post(f"/training/{slug}/exercises")
    assert response.status_code == 303
    assert re.fullmatch(r"/training/exercises/\d+", response.location)
    return response.location


def attempt_of(app, url) -> ExerciseAttempt:
    with app.app_context():
        return get_session().get(ExerciseAttempt, int(url.rsplit("/", 1)[1]))


def without(form: dict, field: str, value: str) -> dict:
    return {**form, field: [v for v in form[field] if v != value]}


def test_a_trainee_starts_saves_submits_and_sees_the_explained_score(app, trainee):
    url = start(trainee)
    page = trainee.get(url).data.decode()
    # The facts are shown, the suggestions are not.
    assert "Republic of Gallia" in page
    assert "objects to consular acts of third States" in page
    assert 'name="role.transport_provider"' in page
    for rule in ADVICE.rules_fired:
        assert rule.title not in page, f"the page gives away {rule.id}"

    # Save part of the answers: they come back checked.
    response = trainee.post(
        url, data={"agreement_types": ["consular_representation"], "lead": "gallia", "action": "save"}
    )
    assert response.status_code == 303
    assert response.location == url
    page = trainee.get(url).data.decode()
    assert "Your answers are saved" in page
    assert re.search(r'value="consular_representation" checked', page)
    assert re.search(r'<option value="gallia" selected>', page)
    assert attempt_of(app, url).status == "in_progress"

    # Submit everything the rule base suggests but one risk flag.
    flag = ADVICE.risk_flags[0]
    response = trainee.post(url, data={**without(PERFECT, "risk_flags", flag.id), "action": "submit"})
    assert response.status_code == 303
    attempt = attempt_of(app, url)
    assert attempt.status == "submitted"
    assert attempt.submitted_at is not None
    assert 0 < attempt.score < 1
    page = trainee.get(url).data.decode()
    shown = percent(attempt.score)
    assert f"Your answers were scored: {shown} %" in page
    assert f'<span class="score-total">{shown} %</span>' in page
    assert "matched ÷ (expected + extra)" in page  # the formula ...
    assert f"÷ 10 = {shown} %" in page  # ... with this attempt's numbers
    missed = page.split(f'id="missed-risk_flags-{flag.id}"', 1)[1].split("</li>\n", 1)[0]
    for rid in flag.because:
        rule = ADVICE.rule(rid)
        assert rule.title in missed
        assert rule.source.split(";")[0].replace("'", "&#39;") in missed
    assert 'name="action"' not in page  # read-only now
    assert "Start this exercise again" in page


def test_a_perfect_sheet_scores_100_and_an_extra_item_is_explained(app, trainee):
    url = start(trainee)
    trainee.post(url, data={**PERFECT, "action": "submit"})
    assert attempt_of(app, url).score == 1.0
    assert '<span class="score-total">100 %</span>' in trainee.get(url).data.decode()

    url = start(trainee)
    extra = next(t for t in ("family_tracing", "shared_assets") if t not in PERFECT["agreement_types"])
    form = {**PERFECT, "agreement_types": [*PERFECT["agreement_types"], extra]}
    trainee.post(url, data={**form, "action": "submit"})
    page = trainee.get(url).data.decode()
    assert attempt_of(app, url).score < 1.0
    section = page.split(f'id="extra-agreement_types-{extra}"', 1)[1].split("</li>\n", 1)[0]
    assert "No rule suggests this here" in section
    assert "It needs:" in section


def test_bad_answers_get_clear_messages_and_the_valid_answers_are_kept(app, trainee):
    url = start(trainee)
    response = trainee.post(
        url,
        data={
            "agreement_types": ["consular_representation", "teleportation"],
            "lead": "atlantis",
            "backup_lead": "teutonia",
            "role.transport_provider": ["gallia", "nobody"],
            "role.emperor": ["gallia"],
            "risk_flags": ["trafficking"],
            "action": "submit",
        },
    )
    assert response.status_code == 422
    page = response.data.decode()
    assert "nothing was submitted" in page
    assert "&#39;teleportation&#39; is not an agreement type" in page
    assert "&#39;atlantis&#39; is not a party of this scenario" in page
    assert "&#39;nobody&#39; is not a party of this scenario" in page
    assert "&#39;emperor&#39; is not one of the roles" in page
    assert 'value="consular_representation" checked' in page  # kept on the page ...
    attempt = attempt_of(app, url)
    assert attempt.status == "in_progress"  # ... not submitted ...
    assert attempt.answers["agreement_types"] == ["consular_representation"]  # ... and saved
    assert attempt.answers["backup_lead"] == "teutonia"
    assert attempt.answers["roles"] == {"transport_provider": ["gallia"]}
    assert attempt.answers["lead"] == ""

    same = trainee.post(url, data={"lead": "gallia", "backup_lead": "gallia", "action": "submit"})
    assert same.status_code == 422
    assert "must be another party" in same.data.decode()


def test_forged_values_are_escaped_and_never_crash(trainee):
    url = start(trainee)
    for form in (
        {"lead": "<script>alert(1)</script>", "action": "save"},
        {"practices": ["x" * 5000], "action": "submit"},
        {"role.": ["gallia"], "action": "save"},
        {"action": "nonsense"},
    ):
        response = trainee.post(url, data=form)
        assert response.status_code in (303, 422), form
        assert b"<script>alert(1)" not in response.data


def test_only_the_trainee_trainers_and_admins_open_an_attempt(app, trainee, make_user, login):
    url = start(trainee)
    make_user("other")
    make_user("coach", "trainer")
    other = login(app.test_client(), "other")
    coach = login(app.test_client(), "coach")
    assert other.get(url).status_code == 404
    assert other.post(url, data={"lead": "gallia", "action": "save"}).status_code == 404
    page = coach.get(url)
    assert page.status_code == 200
    assert "still in" in page.data.decode()
    assert 'name="action"' not in page.data.decode()  # trainers look, only the trainee answers
    assert coach.post(url, data={"lead": "gallia", "action": "save"}).status_code == 403
    assert attempt_of(app, url).answers.get("lead", "") == ""
    assert trainee.get("/training/exercises/999999").status_code == 404
    assert trainee.get("/training/exercises/99999999999999").status_code == 404
    assert app.test_client().get(url).status_code == 302


def test_a_submitted_attempt_cannot_be_changed_and_the_trainee_may_start_again(app, trainee):
    url = start(trainee)
    assert start(trainee) == url  # starting twice reopens the attempt in progress
    trainee.post(url, data={**PERFECT, "action": "submit"})
    before = attempt_of(app, url)
    for action in ("save", "submit"):
        response = trainee.post(url, data={"agreement_types": ["family_tracing"], "action": action})
        assert response.status_code == 409
        assert "can no longer change" in response.data.decode()
    after = attempt_of(app, url)
    assert (after.answers, after.score, after.submitted_at) == (before.answers, before.score, before.submitted_at)
    again = start(trainee)
    assert again != url
    assert attempt_of(app, again).status == "in_progress"
    assert trainee.post(again, data={"action": "submit"}).status_code == 303  # a blank sheet may be submitted
    page = trainee.get(again).data.decode()
    history = page.split('id="h-history"', 1)[1].split("</section>", 1)[0]
    assert f'href="{url}"' in history  # the earlier attempt, with its score
    assert "100 %" in history
    assert "0 %" in history


def test_trainers_see_the_results_across_trainees(app, make_user, login):
    make_user("ann")
    make_user("bob")
    make_user("coach", "trainer")
    ann, bob = login(app.test_client(), "ann"), login(app.test_client(), "bob")
    ann_url = start(ann)
    ann.post(ann_url, data={**PERFECT, "action": "submit"})
    bob_url = start(bob)
    flag = ADVICE.risk_flags[-1]
    bob.post(bob_url, data={**without(PERFECT, "risk_flags", flag.id), "practices": [], "action": "submit"})
    start(ann)  # an attempt in progress is not counted

    coach = login(app.test_client(), "coach")
    response = coach.get(f"/training/{SLUG}/results")
    assert response.status_code == 200
    page = response.data.decode()
    scores = [attempt_of(app, u).score for u in (ann_url, bob_url)]
    assert "Ann" in page
    assert "Bob" in page
    assert "2 by 2 trainees" in page
    mean = percent(sum(scores) / 2)
    assert f"<dt>Mean score</dt><dd>{mean} %</dd>" in page
    assert f"<dt>Median score</dt><dd>{mean} %</dd>" in page  # two attempts: the median is their mean
    assert f"{percent(scores[1])} %" in page
    assert f'href="{bob_url}"' in page
    assert f'href="{ann_url}"' in page
    missed = page.split('id="h-missed"', 1)[1].split("</section>", 1)[0]
    assert label(flag.id) in missed
    assert "1 of 2" in missed
    assert coach.get(bob_url).status_code == 200  # each attempt opens for the trainer

    assert ann.get(f"/training/{SLUG}/results").status_code == 403
    assert coach.get("/training/no_such_scenario/results").status_code == 404
    assert ann.post("/training/no_such_scenario/exercises").status_code == 404


def test_a_trainers_own_attempt_is_listed_but_not_in_the_figures(app, make_user, login):
    make_user("ann")
    make_user("coach", "trainer")
    coach = login(app.test_client(), "coach")
    coach_url = start(coach)
    coach.post(coach_url, data={"action": "submit"})  # a blank sheet: 0 %
    page = coach.get(f"/training/{SLUG}/results").data.decode()
    assert "not in the figures across trainees" in page
    assert f'href="{coach_url}"' in page
    assert "No trainee has submitted this exercise yet" in page
    assert "Most often missed" not in page
    ann = login(app.test_client(), "ann")
    ann_url = start(ann)
    ann.post(ann_url, data={**PERFECT, "action": "submit"})
    page = coach.get(f"/training/{SLUG}/results").data.decode()
    assert "1 by 1 trainee" in page
    assert "<dt>Mean score</dt><dd>100 %</dd>" in page  # the trainer's 0 % is not averaged in
    assert f'href="{coach_url}"' in page


def test_results_without_attempts_say_so(client):
    page = client.get(f"/training/{SLUG}/results").data.decode()
    assert "No trainee has submitted this exercise yet" in page


def test_attempts_are_stored_per_trainee_and_scenario(app, trainee):
    start(trainee)
    start(trainee, "yemen_sea_evacuation")
    with app.app_context():
        rows = get_session().exec(select(ExerciseAttempt)).all()
    assert sorted(r.slug for r in rows) == ["chad_lead_state", "yemen_sea_evacuation"]
