"""Trainer mode pages: the scenario library and its filters, a scenario's page, presentation mode and the handout."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.domain.training import filter_library, load_training_library
from assistant.domain.vocab import label

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_training_library(ROOT / "training")
BY_SLUG = {item.slug: item for item in LIBRARY}
SLUG = "chad_lead_state"


def shown_slugs(body: bytes) -> list[str]:
    return re.findall(r'<li class="training-card" id="scenario-([a-z0-9_]+)"', body.decode())


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def suggestions(advice) -> list[tuple[str, str, list[str]]]:
    """(kind, heading, rule ids) of every suggestion, in the order the presentation shows them: roles grouped by
    role with the lead and its backup first."""
    out = [("agreement_type", cap(label(a.id)), a.because) for a in advice.agreement_types]
    roles: dict[str, list[str]] = {}
    for r in advice.roles:
        roles.setdefault(r.role, [])
        roles[r.role] += [b for b in r.because if b not in roles[r.role]]
    order = sorted(roles, key=lambda role: {"lead": 0, "backup_lead": 1}.get(role, 2))
    out += [("role", cap(label(role)), roles[role]) for role in order]
    out += [("cost_model", cap(label(m.id)), m.because) for m in advice.cost_allocation.models]
    if advice.cost_allocation.shares:
        shared = [m for m in advice.cost_allocation.models if m.id in SHARED]
        out.append(("shares", "Who pays what", [b for m in shared for b in m.because]))
    out += [("risk_flag", cap(label(f.id)), f.because) for f in advice.risk_flags]
    out += [("conflict", cap(label(c.id)), c.because) for c in advice.conflicts]
    out += [("practice", cap(label(p.id)), p.because) for p in advice.practices]
    return out


SHARED = ("pro_rata_per_evacuee", "employer_liability", "net_of_cofinancing")


# ---------------------------------------------------------------- the library


def test_library_lists_every_scenario_with_its_agreement_types(client):
    response = client.get("/training/")
    assert response.status_code == 200
    page = response.data.decode()
    assert sorted(shown_slugs(response.data)) == sorted(BY_SLUG)
    assert f"{len(LIBRARY)} of {len(LIBRARY)} scenarios shown" in page
    chad = page.split('id="scenario-chad_lead_state"')[1].split("</li>\n")[0]
    for t in BY_SLUG[SLUG].agreement_types():
        assert html.escape(label(t)) in chad
    assert html.escape(label("alert_restriction")) in chad  # the phase in words, not its id


@pytest.mark.parametrize("practice", sorted({p for item in LIBRARY for p in item.practices}))
def test_filter_by_practice_matches_filter_library(client, practice):
    body = client.get("/training/", query_string={"practice": practice}).data
    expected = [item.slug for item in filter_library(LIBRARY, practice=practice)]
    assert shown_slugs(body) == expected
    assert expected  # every practice offered is shown by some scenario


@pytest.mark.parametrize("agreement_type", sorted({t for item in LIBRARY for t in item.agreement_types()}))
def test_filter_by_agreement_type_matches_filter_library(client, agreement_type):
    body = client.get("/training/", query_string={"type": agreement_type}).data
    assert shown_slugs(body) == [item.slug for item in filter_library(LIBRARY, agreement_type=agreement_type)]


def test_filters_narrow_the_list_and_combine(client):
    some_filter_narrows = False
    for kind in {item.crisis_kind for item in LIBRARY}:
        for phase in {item.phase for item in LIBRARY}:
            body = client.get("/training/", query_string={"kind": kind, "phase": phase}).data
            expected = [i.slug for i in filter_library(LIBRARY, crisis_kind=kind, phase=phase)]
            assert shown_slugs(body) == expected
            some_filter_narrows |= 0 < len(expected) < len(LIBRARY)
    assert some_filter_narrows
    body = client.get("/training/", query_string={"level": "advanced"}).data
    assert shown_slugs(body) == [i.slug for i in LIBRARY if i.level == "advanced"]


def test_word_search(client):
    body = client.get("/training/", query_string={"q": "NDJARA"}).data
    assert shown_slugs(body) == [SLUG]


def test_no_match_offers_to_clear_the_filters(client):
    page = client.get("/training/", query_string={"q": "no such word anywhere", "level": "advanced"}).data.decode()
    assert shown_slugs(page.encode()) == []
    assert "No scenario matches" in page
    assert f"0 of {len(LIBRARY)} scenarios shown" in page
    assert 'href="/training/">Clear the filters</a>' in page


def test_unknown_filter_value_is_a_message_not_an_error(client):
    response = client.get("/training/", query_string={"phase": "apocalypse", "practice": "<b>x</b>"})
    assert response.status_code == 400
    page = response.data.decode()
    assert "There is no phase called “apocalypse”" in page
    assert "There is no practice called “&lt;b&gt;x&lt;/b&gt;”" in page
    assert "<b>x</b>" not in page
    assert sorted(shown_slugs(response.data)) == sorted(BY_SLUG)  # not filtered by what was not understood


def test_htmx_gets_only_the_results(client):
    response = client.get("/training/", query_string={"level": "introductory"}, headers={"HX-Request": "true"})
    page = response.data.decode()
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="library-results"')
    assert shown_slugs(response.data) == [i.slug for i in LIBRARY if i.level == "introductory"]


def test_search_words_are_escaped(client):
    page = client.get("/training/", query_string={"q": "<script>alert(1)</script>"}).data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ---------------------------------------------------------------- one scenario


def test_scenario_page_shows_material_facts_and_every_reason(client):
    item = BY_SLUG[SLUG]
    advice = item.advice()
    response = client.get(f"/training/{SLUG}")
    assert response.status_code == 200
    page = html.unescape(response.data.decode())
    for text in [item.title, item.summary, item.based_on, *item.learning_objectives, *item.discussion_questions]:
        assert text in page
    for party in item.scenario.parties:
        assert party.name in page
    assert "1,600" in page  # people in all
    for kind, _, because in suggestions(advice):
        for rid in because:
            rule = advice.rule(rid)
            assert rule is not None, (kind, rid)
            assert rule.title in page
            assert f"Source: {rule.source}" in page
            assert rule.rationale in page
    for r in advice.roles:
        assert item.scenario.party(r.party).name in page
    for flag in advice.risk_flags:
        for detail in flag.details:
            assert detail in page


def test_scenario_page_actions(client, app, make_user, login):
    page = client.get(f"/training/{SLUG}").data.decode()
    for url in ("present", "what-if", "handout.pdf", "results"):
        assert f'href="/training/{SLUG}/{url}"' in page
    form = re.search(rf'<form method="post" action="/training/{SLUG}/exercises".*?</form>', page, re.S)
    assert form
    assert 'name="csrf_token"' in form.group(0)
    make_user("mia")
    member = login(app.test_client(), "mia").get(f"/training/{SLUG}").data.decode()
    assert f"/training/{SLUG}/results" not in member
    assert f"/training/{SLUG}/present" in member
    make_user("tess", "trainer")
    trainer = login(app.test_client(), "tess").get(f"/training/{SLUG}").data.decode()
    assert f"/training/{SLUG}/results" in trainer


def test_hidden_suggestions_for_discussion(client):
    advice = BY_SLUG[SLUG].advice()
    page = html.unescape(client.get(f"/training/{SLUG}?suggestions=hidden").data.decode())
    assert "Reveal the suggestions" in page
    for question in BY_SLUG[SLUG].discussion_questions:
        assert question in page
    for rule in advice.rules_fired:
        assert rule.title not in page
    shown = html.unescape(client.get(f"/training/{SLUG}").data.decode())
    assert all(
        rule.title in shown for rule in advice.rules_fired if any(rule.id in b for _, _, b in suggestions(advice))
    )


def test_bad_ways_and_unknown_scenarios(client):
    response = client.get(f"/training/{SLUG}?suggestions=sideways")
    assert response.status_code == 400
    assert "is not a way to show the suggestions" in response.data.decode()
    assert client.get("/training/no_such_scenario").status_code == 404
    assert client.get("/training/no_such_scenario/present").status_code == 404
    assert client.get("/training/no_such_scenario/handout.pdf").status_code == 404


# ---------------------------------------------------------------- presentation


def slide(client, n: int | None = None, slug: str = SLUG):
    response = client.get(f"/training/{slug}/present" + (f"?slide={n}" if n is not None else ""))
    assert response.status_code == 200, response.status_code
    page = response.data.decode()
    number, count = map(int, re.search(r'aria-label="Slide (\d+) of (\d+)"', page).groups())
    return {
        "page": page,
        "number": number,
        "count": count,
        "kind": re.search(r'class="slide slide-(\w+)"', page).group(1),
        "heading": text_of(re.search(r'<h1 id="slide-heading">(.*?)</h1>', page, re.S).group(1)),
        "rules": [text_of(t) for t in re.findall(r'<span class="why-label">Why</span> (.*?)</p>', page)],
        "sources": [text_of(t) for t in re.findall(r'<span class="label">Source:</span> (.*?)</p>', page)],
    }


def test_presentation_walks_every_suggestion_with_its_reasons_and_sources(client):
    advice = BY_SLUG[SLUG].advice()
    first = slide(client)
    count = first["count"]
    deck = [first] + [slide(client, n) for n in range(2, count + 1)]
    assert [s["number"] for s in deck] == list(range(1, count + 1))
    assert [s["kind"] for s in deck[:3]] == ["title", "facts", "objectives"]
    assert [s["kind"] for s in deck[-2:]] == ["questions", "end"]
    # The suggestion slides, a suggestion continuing over several slides when its reasons do not fit one.
    merged: list[tuple[str, str, list[str], list[str]]] = []
    for s in deck[3:-2]:
        heading = s["heading"].removesuffix(" (continued)")
        if s["kind"] == "risk_flag" and not s["heading"].endswith("(continued)"):
            severity, heading = heading.split(" ", 1)
            assert severity in ("low", "medium", "high")
        assert len(s["rules"]) <= 2
        if merged and (merged[-1][0], merged[-1][1]) == (s["kind"], heading) and s["heading"].endswith("(continued)"):
            merged[-1][2].extend(s["rules"])
            merged[-1][3].extend(s["sources"])
        else:
            merged.append((s["kind"], heading, list(s["rules"]), list(s["sources"])))
    expected = suggestions(advice)
    assert [(k, h) for k, h, _, _ in merged] == [(k, h) for k, h, _ in expected]
    for (_, _, titles, sources), (_, _, because) in zip(merged, expected, strict=True):
        rules = [advice.rule(rid) for rid in because]
        assert titles == [r.title for r in rules]  # every reason once, in order
        assert sources == [r.source for r in rules]  # each with the source it rests on
    # 1 title + 1 facts + 1 objectives + the suggestions' slides (at least one each) + questions + last slide.
    assert count == 3 + sum(1 for s in deck[3:-2]) + 2
    assert len(expected) <= count - 5 <= len(expected) + sum(len(b) for _, _, b in expected)


def test_presentation_content_and_links(client):
    item = BY_SLUG[SLUG]
    first = slide(client, 1)
    assert first["heading"] == item.title
    assert item.summary in html.unescape(first["page"])
    assert 'rel="prev"' not in first["page"]
    assert f'<a rel="next" href="/training/{SLUG}/present?slide=2">' in first["page"]
    assert f'<link rel="last" href="/training/{SLUG}/present?slide={first["count"]}">' in first["page"]
    assert f'href="/training/{SLUG}" data-exit' in first["page"]
    assert f"1 / {first['count']}" in first["page"]
    middle = slide(client, 5)
    assert f'<a rel="prev" href="/training/{SLUG}/present?slide=4">' in middle["page"]
    assert f'<a rel="next" href="/training/{SLUG}/present?slide=6">' in middle["page"]
    last = slide(client, first["count"])
    assert 'rel="next"' not in last["page"]
    assert last["kind"] == "end"
    questions = slide(client, first["count"] - 1)
    for q in item.discussion_questions:
        assert q in html.unescape(questions["page"])
    objectives = slide(client, 3)
    for o in item.learning_objectives:
        assert o in html.unescape(objectives["page"])
    assert "site" not in re.findall(r'<header class="(\w+)"', first["page"])  # no site header


def test_presentation_slide_numbers_are_clamped_or_explained(client):
    count = slide(client)["count"]
    low = client.get(f"/training/{SLUG}/present?slide=0")
    assert low.status_code == 302
    assert low.headers["Location"].endswith("slide=1")
    high = client.get(f"/training/{SLUG}/present?slide=99999")
    assert high.status_code == 302
    assert high.headers["Location"].endswith(f"slide={count}")
    for bad in ("abc", "2.5", "9" * 5000):
        response = client.get(f"/training/{SLUG}/present", query_string={"slide": bad})
        assert response.status_code in (302, 400), bad
        if response.status_code == 400:
            assert "is not a slide number" in response.data.decode()
            assert f'href="/training/{SLUG}/present?slide=1"' in response.data.decode()


def test_presentation_has_no_inline_script(client):
    for path in (
        "templates/training/present.html",
        *map(str, (ROOT / "templates/training/_partials").glob("present_*")),
    ):
        source = (ROOT / path).read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path
        assert not re.search(r"\son[a-z]+\s*=", source), path
    response = client.get(f"/training/{SLUG}/present?slide=4")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script[^>]*>", response.data.decode())
    assert scripts == ['<script src="/static/js/present.js" defer>']
    with client.get("/static/js/present.js") as script:
        assert script.status_code == 200
        assert b"ArrowRight" in script.data


# ---------------------------------------------------------------- handout


def test_handout_pdf_has_the_title_questions_and_every_source(client, app):
    item = BY_SLUG[SLUG]
    advice = item.advice()
    response = client.get(f"/training/{SLUG}/handout.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="training-{SLUG}-handout.pdf"'
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.pdf_header.startswith("%PDF")
    assert len(reader.pages) > 2
    words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for text in [item.title, *item.discussion_questions, *item.learning_objectives]:
        assert " ".join(text.split()) in words, text
    for _, _, because in suggestions(advice):
        for rid in because:
            assert f"Source: {advice.rule(rid).source}" in words, rid
    from assistant.domain.evaluate import default_rule_base

    base = default_rule_base(app.config["RULES_DIR"])
    assert f"Generated by the Agreement Assistant from rule base {base.name} ({len(base.rules)} rules)" in words
    assert client.get(f"/training/{SLUG}/handout.pdf").data == response.data  # the same bytes, from the cache
