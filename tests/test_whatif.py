"""What-if pages (issue 7): a training scenario or a negotiation with a few facts changed, compared side by side.

The URL reproduces the comparison, the changes the issue names each change suggestions, bad tokens get a
clear 400, nothing typed is reflected unescaped, and a negotiation's what-if needs the right to view it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from assistant.domain.whatif import MAX_CHANGES

YEMEN = "/training/yemen_sea_evacuation/what-if"
SUMMARY = re.compile(
    r"<strong>(\d+)</strong> suggestions? added,\s*<strong>(\d+)</strong> removed,\s*<strong>(\d+)</strong> changed"
)


def results(page: str) -> str:
    """The comparison part of a page (the summary, the tables, the redline)."""
    start = page.index('<section class="wi-results"')
    return page[start : page.index("</main>")]


def counts(page: str) -> tuple[int, int, int]:
    match = SUMMARY.search(page)
    assert match, "no summary of the comparison in the page"
    added, removed, changed = map(int, match.groups())
    return added, removed, changed


def rows(page: str) -> list[str]:
    """The marks of the rows of the comparison tables: added, removed, changed."""
    return re.findall(r'<tr class="wi-row wi-\w+" data-kind="(\w+)">', page)


def test_a_training_scenario_without_changes_offers_the_forms(client):
    response = client.get(YEMEN)
    page = response.data.decode()
    assert response.status_code == 200
    assert "What if…?" in page
    assert "No change yet" in page
    assert "wi-results" not in page
    # The menus are built from the scenario: its States, its groups, the phases.
    assert '<option value="somal">Republic of Somal</option>' in page
    assert '<option value="post_crisis">post-crisis</option>' in page
    assert 'name="add" value="vuln"' in page
    assert "css/whatif.css" in page


def test_an_unknown_scenario_is_404(client):
    assert client.get("/training/no_such_scenario/what-if").status_code == 404


def test_adding_a_change_through_the_form_redirects_to_a_link_that_reproduces_it(client):
    first = client.get(YEMEN, query_string={"add": "consular", "party": "ethara", "value": "none"})
    assert first.status_code == 303
    second = client.get(
        first.location
        + "&"
        + urlencode({"add": "vuln", "group": "ethara", "what": "refugees_or_asylum_seekers", "count": "300"})
    )
    assert second.status_code == 303
    third = client.get(second.location + "&add=bridging_fund")
    assert third.status_code == 303
    assert parse_qs(urlsplit(third.location).query)["change"] == [
        "consular:ethara:none",
        "vuln:ethara:refugees_or_asylum_seekers:300",
        "bridging_fund:off",
    ]
    page = client.get(third.location).data.decode()
    assert "Federal Republic of Ethara: consular presence embassy → none" in page
    assert "Migrants from Federal Republic of Ethara: refugees or asylum-seekers 0 → 300" in page
    assert "The bridging fund disappears" in page
    added, removed, changed = counts(page)
    assert added + removed + changed >= 3
    assert len(rows(page)) == added + removed + changed
    # The same URL, typed by hand or opened later, gives the same comparison.
    direct = client.get(
        YEMEN,
        query_string=[
            ("change", "consular:ethara:none"),
            ("change", "vuln:ethara:refugees_or_asylum_seekers:300"),
            ("change", "bridging_fund:off"),
        ],
    )
    assert direct.status_code == 200
    assert results(direct.data.decode()) == results(page)
    assert results(client.get(third.location).data.decode()) == results(page)
    # The permalink on the page is that URL.
    assert f'value="http://localhost{third.location}"'.replace("&", "&amp;") in page


def test_a_second_change_of_the_same_fact_replaces_the_first(client):
    response = client.get(
        YEMEN,
        query_string={"change": ["phase:post_crisis", "route:air:open"], "add": "phase", "value": "preparedness"},
    )
    assert parse_qs(urlsplit(response.location).query)["change"] == ["phase:preparedness", "route:air:open"]


@pytest.mark.parametrize(
    ("slug", "token", "category"),
    [
        ("yemen_sea_evacuation", "consular:ethara:none", "wi-roles"),  # a State loses consular presence
        ("chad_lead_state", "vuln:gallia:refugees_or_asylum_seekers:100", "wi-risk_flags"),  # refugees appear
        ("yemen_sea_evacuation", "bridging_fund:off", "wi-cost_models"),  # the bridging fund disappears
        ("rfl_earthquake_families", "phase:mandatory_evacuation", "wi-agreement_types"),  # another phase
    ],
)
def test_each_change_the_issue_names_changes_suggestions(client, slug, token, category):
    response = client.get(f"/training/{slug}/what-if", query_string={"change": token})
    page = response.data.decode()
    assert response.status_code == 200, page[:2000]
    assert sum(counts(page)) >= 1
    assert f'id="{category}"' in page
    # Each difference names its rule, linked to the rule book, and the rule's source.
    section = page[page.index(f'id="{category}"') :]
    assert re.search(r'href="/rules/#rule-[a-z0-9_.]+"', section)
    assert "Source: " in section


def test_a_change_that_changes_nothing_says_so(client):
    page = client.get(YEMEN, query_string={"change": "phase:mandatory_evacuation"}).data.decode()
    assert "already so: no change" in page
    assert "These changes make no difference" in page


def test_the_redline_of_the_draft_is_shown(client):
    page = client.get(YEMEN, query_string={"change": "consular:somal:embassy"}).data.decode()
    assert "The draft: redline" in page
    redline = page[page.index('id="wi-redline"') :]
    assert "<ins>" in redline or "<del>" in redline
    assert re.search(r'rl-badge-(added|removed|changed)">', redline)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"change": "consular:zz:embassy"}, "change 1: &#39;consular:zz:embassy&#39;: &#39;zz&#39; is not a party"),
        ({"change": "phase:later"}, "&#39;later&#39; is not one of preparedness"),
        ({"change": "teleport:now"}, "&#39;teleport&#39; is not a kind of change"),
        ({"change": ["phase:post_crisis", "phase:preparedness"]}, "changes the same thing as change 1"),
        ({"change": "vuln:somal:detained:99999"}, "99,999 is more than the 2,400 people of the group"),
        ({"change": "phase:" + "x" * 500}, "longer than 120 characters"),
        ({"change": ["route:air:open"] * (MAX_CHANGES + 1)}, f"At most {MAX_CHANGES} changes at a time"),
    ],
)
def test_bad_tokens_get_a_400_with_the_problem(client, query, message):
    response = client.get(YEMEN, query_string=query)
    page = response.data.decode()
    assert response.status_code == 400
    assert message in page
    assert 'role="alert"' in page
    assert "wi-results" not in page
    assert "Add a change" in page  # the forms stay, to fix the changes


def test_a_bad_change_keeps_a_link_to_remove_it(client):
    page = client.get(YEMEN, query_string={"change": ["phase:post_crisis", "consular:zz:none"]}).data.decode()
    assert f'href="{YEMEN}?change=phase:post_crisis"' in page  # the list without the bad one


def test_an_incomplete_form_gets_a_400_and_keeps_the_changes(client):
    response = client.get(YEMEN, query_string={"change": "phase:post_crisis", "add": "consular", "party": "somal"})
    page = response.data.decode()
    assert response.status_code == 400
    assert "The new change cannot be added" in page
    assert "choose the value first" in page
    assert '<input type="hidden" name="change" value="phase:post_crisis">' in page
    assert "Crisis phase: mandatory evacuation → post-crisis" in page  # the comparison still runs
    for query in ({"add": "nothing"}, {"add": "consular", "party": "zz", "value": "none"}):
        assert client.get(YEMEN, query_string=query).status_code == 400


def test_script_in_a_change_is_never_reflected_unescaped(client):
    script = "<script>alert(1)</script>"
    for query in (
        {"change": f"consular:{script}:none"},
        {"change": script},
        {"add": "consular", "party": script, "value": "none"},
        {"add": "vuln", "group": "somal", "what": "detained", "count": script},
    ):
        response = client.get(YEMEN, query_string=query)
        assert response.status_code == 400
        body = response.data.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;" in body


def test_htmx_gets_the_fragment_and_the_url_to_push(client):
    headers = {"HX-Request": "true"}
    response = client.get(YEMEN, query_string={"add": "phase", "value": "preparedness"}, headers=headers)
    body = response.data.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="whatif"')
    assert response.headers["HX-Push-Url"] == f"{YEMEN}?change=phase:preparedness"
    assert counts(body)
    bad = client.get(YEMEN, query_string={"change": "phase:later"}, headers=headers)
    assert bad.status_code == 200  # htmx swaps only 2xx answers: the problem is shown in the fragment
    assert bad.headers["HX-Push-Url"] == "false"
    assert "is not one of" in bad.data.decode()


def test_anonymous_visitors_are_sent_to_sign_in(anon):
    response = anon.get(YEMEN)
    assert response.status_code == 302
    assert "/login" in response.location


# ---------------------------------------------------------------- a negotiation's what-if


def _negotiation(client, example: str = "evacuation_multinational") -> int:
    response = client.post("/negotiations", data={"example": example})
    return int(response.location.split("/")[2])


def test_a_negotiation_what_if_compares_its_advice(client):
    nid = _negotiation(client)
    response = client.get(f"/negotiations/{nid}/what-if", query_string={"change": "consular:marundi:none"})
    page = response.data.decode()
    assert response.status_code == 200, page[:2000]
    assert "Republic of Marundi: consular presence embassy → none" in page
    assert sum(counts(page)) >= 1
    assert "positions are kept in both columns" in page
    assert f'href="/negotiations/{nid}/what-if"' in page  # "remove all changes" stays on the negotiation


def test_a_negotiation_what_if_keeps_the_negotiators_choices(client):
    nid = _negotiation(client)
    query = {"change": "phase:preparedness"}
    before = client.get(f"/negotiations/{nid}/what-if", query_string=query).data.decode()
    assert 'id="wi-agreement_types"' in before  # moving to preparedness suggests pre-arranged services
    chosen = client.post(
        f"/negotiations/{nid}/choices",
        data={"kind": "agreement_type", "item": "service_prearrangement", "action": "reject", "revision": 1},
    )
    assert chosen.status_code < 400
    after = client.get(f"/negotiations/{nid}/what-if", query_string=query).data.decode()
    assert 'id="wi-agreement_types"' not in after  # rejected on both sides, so no longer a difference
    assert "wi-results" in after


def test_an_incomplete_negotiation_says_so_and_links_to_the_wizard(client):
    nid = int(client.post("/negotiations", data={"title": "Only a title"}).location.split("/")[2])
    response = client.get(f"/negotiations/{nid}/what-if", query_string={"change": "phase:post_crisis"})
    page = response.data.decode()
    assert response.status_code == 200
    assert "The scenario is not complete yet" in page
    assert f'href="/negotiations/{nid}/"' in page
    assert "wi-results" not in page


def test_a_negotiation_what_if_needs_the_right_to_view_it(app, client, make_user, login, anon):
    nid = _negotiation(client)
    make_user("stranger")
    stranger = login(app.test_client(), "stranger")
    assert stranger.get(f"/negotiations/{nid}/what-if").status_code == 404
    assert anon.get(f"/negotiations/{nid}/what-if").status_code == 302
    assert client.get(f"/negotiations/{nid}/what-if").status_code == 200
    assert client.get("/negotiations/999999/what-if").status_code == 404
    # Anyone signed in may use the what-if of a training scenario.
    assert stranger.get(YEMEN, query_string={"change": "phase:post_crisis"}).status_code == 200
