"""The wizard over HTTP: every step as a full page and as an htmx fragment, invalid input, choices, downloads."""

import re
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from assistant.db import get_session
from assistant.services.negotiations import create_negotiation, get_negotiation
from assistant.wizard.forms import PARTY_FIELDS, get_path

HX = {"HX-Request": "true"}
STEPS = ["context", "parties", "populations", "services", "suggestions", "draft"]


@pytest.fixture
def negotiation(app, example_data):
    """Return a callable creating a negotiation from an example (or from given data)."""

    def _make(data=None, name="evacuation_multinational"):
        with app.app_context():
            return create_negotiation(session=get_session(), title="T", scenario=data or example_data(name)).id

    return _make


def stored(app, nid):
    with app.app_context():
        return get_negotiation(session=get_session(), negotiation_id=nid).scenario


def rev(app, nid) -> str:
    """The negotiation's revision, as every wizard form carries it."""
    with app.app_context():
        return str(get_negotiation(session=get_session(), negotiation_id=nid).revision)


def test_home_lists_and_starts_negotiations(client):
    assert b"Start from an example" in client.get("/").data
    response = client.post("/negotiations", data={"example": "consular_reciprocity"})
    assert response.status_code == 303
    assert re.match(r"/negotiations/\d+/context", response.location)
    page = client.get("/").data.decode()
    assert "Reciprocal" in page or "consular" in page.lower()


def test_blank_negotiation_needs_a_title(client):
    response = client.post("/negotiations", data={"title": "  "})
    assert response.status_code == 422
    assert b"Give the agreement a working title." in response.data
    response = client.post("/negotiations", data={"title": "Flood season pact"})
    assert response.status_code == 303


def test_unknown_example_is_refused_clearly(client):
    response = client.post("/negotiations", data={"example": "../../etc/passwd"})
    assert response.status_code == 422
    assert b"Choose one of the examples." in response.data


@pytest.mark.parametrize("step", STEPS)
def test_every_step_renders_full_page_and_fragment(client, negotiation, step):
    nid = negotiation()
    full = client.get(f"/negotiations/{nid}/{step}")
    assert full.status_code == 200
    assert full.data.startswith(b"<!doctype html>")
    assert "HX-Request" in full.headers["Vary"]
    part = client.get(f"/negotiations/{nid}/{step}", headers=HX)
    assert part.status_code == 200
    assert b"<html" not in part.data
    assert b'aria-current="step"' in part.data
    restore = client.get(f"/negotiations/{nid}/{step}", headers={**HX, "HX-History-Restore-Request": "true"})
    assert restore.data.startswith(b"<!doctype html>")


def test_unknown_step_and_negotiation_are_404(client, negotiation):
    nid = negotiation()
    assert client.get(f"/negotiations/{nid}/nowhere").status_code == 404
    assert client.get("/negotiations/9999/context").status_code == 404
    assert b"There is nothing at this address." in client.get("/negotiations/9999/context").data


def test_context_step_saves_and_moves_on(app, client, negotiation):
    nid = negotiation()
    form = {
        "title": "New title",
        "crisis.kind": "natural_hazard",
        "crisis.hazard": "flood",
        "crisis.phase": "preparedness",
        "crisis.recurring": "yes",
        "agreement_types": ["shared_assets"],
        "host_conditions.exit_penalties": "no",
    }
    response = client.post(f"/negotiations/{nid}/context", data={**form, "revision": rev(app, nid)})
    assert response.status_code == 303
    assert response.location.endswith(f"/negotiations/{nid}/parties")
    data = stored(app, nid)
    assert data["crisis"] == {"kind": "natural_hazard", "hazard": "flood", "phase": "preparedness", "recurring": True}
    assert data["host_conditions"] == {"exit_penalties": False}
    assert data["agreement_types"] == ["shared_assets"]
    assert data["parties"]  # other steps' data untouched


def test_htmx_post_returns_next_step_fragment_and_pushes_url(app, client, negotiation):
    nid = negotiation()
    form = {"title": "T", "crisis.kind": "armed_conflict", "crisis.phase": "preparedness", "revision": rev(app, nid)}
    response = client.post(f"/negotiations/{nid}/context", data=form, headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == f"/negotiations/{nid}/parties"
    assert b'id="step-title">Parties<' in response.data


def test_invalid_input_is_kept_and_shown_inline(app, client, negotiation, example_data):
    nid = negotiation()
    data = example_data()
    form = {"host_row": str([p["id"] for p in data["parties"]].index(data["host_state"]))}
    for i, p in enumerate(data["parties"]):
        form[f"parties[{i}]._row"] = "1"
        form[f"parties[{i}].id"] = p["id"]
        form[f"parties[{i}].name"] = p["name"]
        form[f"parties[{i}].kind"] = p["kind"]
    form["parties[1].id"] = "Bad Id"
    form["parties[2].capacities.funding_lead_days"] = "soon"
    response = client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)})
    assert response.status_code == 422
    page = response.data.decode()
    assert "is not a valid identifier" in page
    assert "expected a whole number, got &#39;soon&#39;" in page
    assert 'value="soon"' in page  # what was typed is shown again
    assert stored(app, nid)["parties"][2]["capacities"]["funding_lead_days"] == "soon"  # and kept
    hx = client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)}, headers=HX)
    assert hx.status_code == 200  # htmx 2 does not swap 4xx answers
    assert b"error-summary" in hx.data


def test_each_party_row_marks_host_and_transit(app, client, negotiation):
    nid = negotiation()
    form = {
        "parties[0]._row": "1",
        "parties[0].id": "a",
        "parties[0].name": "A",
        "parties[0].kind": "state",
        "parties[3]._row": "1",
        "parties[3].id": "b",
        "parties[3].name": "B",
        "parties[3].kind": "state",
        "parties[3]._transit": "yes",
        "host_row": "0",
    }
    client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)})
    data = stored(app, nid)
    assert (data["host_state"], data["transit_states"]) == ("a", ["b"])
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    assert 'name="host_row" value="0" checked' in page
    assert 'name="parties[1]._transit" value="yes" checked' in page
    missing = client.post(f"/negotiations/{nid}/parties", data={**form, "host_row": "", "revision": rev(app, nid)})
    assert missing.status_code == 422
    assert b"is required" in missing.data


def test_rows_can_be_added_and_removed_without_javascript(app, client, negotiation):
    nid = negotiation()
    count = len(stored(app, nid)["populations"])
    form = {
        "populations[0]._row": "1",
        "populations[0].nationality": "stateless",
        "populations[0].count": "12",
        "op": "add_population",
    }
    response = client.post(f"/negotiations/{nid}/populations", data={**form, "revision": rev(app, nid)})
    assert response.status_code == 303
    assert stored(app, nid)["populations"] == [{"nationality": "stateless", "count": 12}, {}]
    client.post(
        f"/negotiations/{nid}/populations",
        data={**form, "populations[1]._row": "1", "op": "remove_population:0", "revision": rev(app, nid)},
    )
    assert stored(app, nid)["populations"] == [{}]
    assert count >= 1


def test_live_panel_previews_unsaved_changes(app, client, negotiation, example_data):
    nid = negotiation()
    response = client.post(
        f"/negotiations/{nid}/context/preview",
        data={"title": "T", "crisis.kind": "natural_hazard", "crisis.phase": "preparedness"},
        headers=HX,
    )
    assert response.status_code == 200
    assert b"Current suggestions" in response.data
    assert stored(app, nid)["crisis"] == example_data()["crisis"]  # nothing saved
    broken = client.post(f"/negotiations/{nid}/context/preview", data={"title": ""}, headers=HX)
    assert b"Still to do" in broken.data


def test_incomplete_scenario_lists_what_is_missing(client, negotiation, minimal):
    del minimal["host_state"]
    nid = negotiation(minimal)
    page = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    assert "host_state: is required" in page
    assert f'href="/negotiations/{nid}/parties"' in page
    assert client.get(f"/negotiations/{nid}/draft.pdf").status_code == 303


def test_suggestions_explain_and_accept_choices(app, client, negotiation):
    nid = negotiation()
    page = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    assert "Why?" in page
    assert "Facts matched:" in page
    lead = re.search(r'name="item" value="lead">\s*<input type="hidden" name="party" value="([a-z_]+)"', page)
    assert lead
    response = client.post(
        f"/negotiations/{nid}/choices",
        data={"kind": "role", "item": "lead", "party": lead[1], "action": "reject", "revision": rev(app, nid)},
    )
    assert response.status_code == 303
    after = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    assert "Rejected suggestions" in after
    undo = client.post(
        f"/negotiations/{nid}/choices",
        data={"kind": "role", "item": "lead", "party": lead[1], "action": "undo", "revision": rev(app, nid)},
        headers=HX,
    )
    assert undo.status_code == 200
    assert b"Rejected suggestions" not in undo.data


def test_bad_choice_is_a_clear_400(client, negotiation):
    nid = negotiation()
    response = client.post(f"/negotiations/{nid}/choices", data={"kind": "nonsense", "item": "x", "action": "accept"})
    assert response.status_code == 400


def test_why_page_shows_rule_facts_and_source(client, negotiation):
    nid = negotiation()
    page = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    rule_id = re.search(r"<code>([a-z0-9_.]+)</code>", page)[1]
    why = client.get(f"/negotiations/{nid}/why/{rule_id}")
    assert why.status_code == 200
    assert b"Facts matched" in why.data
    assert b"Source" in why.data
    assert client.get(f"/negotiations/{nid}/why/no.such.rule").status_code == 404


def test_downloads_and_versions(client, negotiation):
    nid = negotiation()
    pdf = client.get(f"/negotiations/{nid}/draft.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert len(PdfReader(BytesIO(pdf.data)).pages) >= 2
    docx = client.get(f"/negotiations/{nid}/draft.docx")
    assert docx.status_code == 200
    assert docx.data[:2] == b"PK"
    review = client.get(f"/negotiations/{nid}/draft.html?review=1")
    assert b"Why this is here" in review.data
    assert "review" in client.get(f"/negotiations/{nid}/draft.pdf?review=1").headers["Content-Disposition"]
    js = client.get(f"/negotiations/{nid}/draft.json")
    assert js.get_json()["draft"]["articles"]
    assert client.get(f"/negotiations/{nid}/draft.html").data.startswith(b"<!doctype html>")
    assert client.post(f"/negotiations/{nid}/versions").status_code == 303
    assert b"Version 1" in client.get(f"/negotiations/{nid}/draft").data
    assert client.get(f"/negotiations/{nid}/versions/1.json").get_json()["title"]
    assert client.get(f"/negotiations/{nid}/versions/2.json").status_code == 404
    assert client.get(f"/negotiations/{nid}/draft.exe").status_code == 404


def test_names_are_escaped_everywhere(client, negotiation, example_data):
    data = example_data()
    data["parties"][0]["name"] = "<script>alert(1)</script>"
    nid = negotiation(data)
    for step in STEPS:
        assert b"<script>alert(1)</script>" not in client.get(f"/negotiations/{nid}/{step}").data
    assert b"<script>alert(1)</script>" not in client.get(f"/negotiations/{nid}/draft.html").data


def test_csrf_token_is_required(app, client, negotiation):
    app.config["WTF_CSRF_ENABLED"] = True
    nid = negotiation()
    response = client.post(f"/negotiations/{nid}/context", data={"title": "x"})
    assert response.status_code == 400
    assert b"Form expired" in response.data


def test_delete_negotiation(app, client, negotiation):
    nid = negotiation()
    assert client.post(f"/negotiations/{nid}/delete").status_code == 303
    assert client.get(f"/negotiations/{nid}/context").status_code == 404


def test_unexpected_errors_show_a_page_not_a_traceback(app, client, negotiation, monkeypatch):
    import assistant.wizard.views as views

    def boom(*a, **k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(views, "advice_for", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get(f"/negotiations/{negotiation()}/suggestions")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data
    assert b"kaput" not in response.data


def test_import_of_a_malformed_scenario_shows_every_problem_inline(app, client, example_data):
    import io

    import yaml

    data = example_data()
    data["foo"] = 1
    data["parties"][1]["capacities"] = {"funding_lead_days": "soon"}
    data["populations"][0]["nationality"] = "atlantis"
    upload = (io.BytesIO(yaml.safe_dump(data).encode()), "bad.yaml")
    response = client.post("/negotiations/import", data={"scenario": upload}, content_type="multipart/form-data")
    assert response.status_code == 303
    nid = int(response.location.split("/")[2])
    assert response.location.endswith("/context")
    context = client.get(response.location).data.decode()
    assert "foo: unknown key" in context
    parties = client.get(f"/negotiations/{nid}/parties").data.decode()
    assert "expected a whole number, got &#39;soon&#39;" in parties
    populations = client.get(f"/negotiations/{nid}/populations").data.decode()
    assert "&#39;atlantis&#39; is not the id of a party" in populations
    # Saving the first step drops the key the contract does not know; nothing else is lost.
    form = {"title": data["title"], "crisis.kind": data["crisis"]["kind"], "crisis.phase": data["crisis"]["phase"]}
    client.post(f"/negotiations/{nid}/context", data={**form, "revision": rev(app, nid)})
    assert "foo" not in stored(app, nid)
    assert stored(app, nid)["populations"][0]["nationality"] == "atlantis"


def test_import_of_a_valid_scenario_opens_the_suggestions(client, example_data):
    import io
    import json

    upload = (io.BytesIO(json.dumps(example_data("consular_reciprocity")).encode()), "ok.json")
    response = client.post("/negotiations/import", data={"scenario": upload}, content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.location.endswith("/suggestions")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title: [unclosed", b"bad.yaml is not valid YAML or JSON (line"),
        (b"- a list", b"Choose a scenario file"),
        (b"", b"Choose a scenario file"),
        (b"\xff\xfe\x00", b"bad.yaml is not valid YAML or JSON"),
    ],
)
def test_import_of_unreadable_files_is_refused_clearly(client, content, message):
    import io

    upload = (io.BytesIO(content), "bad.yaml")
    response = client.post("/negotiations/import", data={"scenario": upload}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.data


def test_a_blank_negotiation_does_not_nag_about_missing_fields(client):
    response = client.post("/negotiations", data={"title": "Fresh"})
    page = client.get(response.location).data.decode()
    assert "is required" not in page.split("<main")[1].split("</form>")[0].replace("(required)", "")


def field_value(f, value):
    """A contract value as a browser submits its form field."""
    if f.kind == "multi":
        return list(value)
    if f.kind == "csv":
        return ", ".join(value)
    if f.kind in ("check", "tri"):
        return "yes" if value else "no"
    if f.kind == "posts":
        return "\n".join(f"{p['city']}, {p['country']}" for p in value)
    return str(value)


def party_form(page: str, data: dict) -> dict:
    """The parties step as a browser submits it from ``page``: each row's fields, the host, and each row's "Signs
    the instrument" box and hidden fields as the page shows them."""
    form = {"host_row": str([p["id"] for p in data["parties"]].index(data["host_state"]))}
    for i, p in enumerate(data["parties"]):
        form[f"parties[{i}]._row"] = "1"
        for f in PARTY_FIELDS:
            if get_path(p, f.path) is not None:
                form[f"parties[{i}].{f.path}"] = field_value(f, get_path(p, f.path))
    form |= dict(re.findall(r'<input type="hidden" name="(parties\[\d+\]\._sign\w+)" value="([^"]*)">', page))
    form |= dict.fromkeys(re.findall(r'name="(parties\[\d+\]\.signatory)" value="yes" checked', page), "yes")
    return form


def test_each_party_signs_unless_unchecked_and_the_flag_survives_saving(app, client, negotiation, example_data):
    data = example_data()
    data["parties"][1]["signatory"] = True
    nid = negotiation(data)
    name = data["parties"][2]["name"]
    roles = re.search(r'id="h-roles">.*?</section>', client.get(f"/negotiations/{nid}/suggestions").data.decode(), re.S)
    assert f"<td>{name}" in roles[0]
    assert f'<option value="{data["parties"][2]["id"]}">' in roles[0]
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    form = party_form(page, data)
    from assistant.domain.signing import reads_as_group

    boxes = [f"parties[{i}].signatory" for i, p in enumerate(data["parties"]) if not reads_as_group(p["name"])]
    assert all(form.get(box) == "yes" for box in boxes), "every party of the example that names one body signs"
    del form[boxes[2]]  # unchecked, without JavaScript: a plain POST
    response = client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)})
    assert response.status_code == 303
    saved = stored(app, nid)["parties"]
    assert saved[2]["signatory"] is False
    assert {k: v for k, v in saved[2].items() if k != "signatory"} == data["parties"][2], "the rest is as it was"
    assert saved[1]["signatory"] is True, "a flag the scenario gave is kept when its box is left as shown"
    assert "signatory" not in saved[0], "a box left as shown writes nothing"
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    assert f'name="{boxes[2]}" value="yes" checked' not in page
    assert "Takes part without signing: the scenario says it takes part without signing." in page
    client.post(f"/negotiations/{nid}/parties", data={**party_form(page, data), "revision": rev(app, nid)})
    assert [p.get("signatory") for p in stored(app, nid)["parties"]] == [p.get("signatory") for p in saved]
    suggestions = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    listed = re.search(r'id="h-non-signatories">.*?</section>', suggestions, re.S)
    assert listed
    assert name in listed[0]
    roles = re.search(r'id="h-roles">.*?</section>', suggestions, re.S)[0]
    assert f"<td>{name}" not in roles, "a body that does not sign holds no role"
    assert f'<option value="{data["parties"][2]["id"]}">' not in roles, "nor can a role be given to it"


def test_consular_posts_are_typed_one_a_line_and_round_trip(app, client, negotiation, example_data):
    """Issue 14, item 2: each party's consular posts ("city, country", one a line) are saved as contract data, shown
    as typed, and a line the contract refuses is kept and explained next to the field, by its line."""
    data = example_data()
    nid = negotiation(data)
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    assert 'name="parties[1].posts"' in page
    form = party_form(page, data) | {"parties[1].posts": "Suva, Fiji\r\n\r\nSeoul, Korea, Republic of\r\n"}
    response = client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)})
    assert response.status_code == 303
    posts = stored(app, nid)["parties"][1]["posts"]
    assert posts == [{"city": "Suva", "country": "Fiji"}, {"city": "Seoul", "country": "Korea, Republic of"}]
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    assert "Suva, Fiji\nSeoul, Korea, Republic of</textarea>" in page
    form = party_form(page, stored(app, nid)) | {"parties[1].posts": "Suva, Fiji\nApia"}
    response = client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)})
    page = response.data.decode()
    assert response.status_code == 422
    assert "line 2, country" in page, "the refused line is explained next to its field"
    assert "Suva, Fiji\nApia</textarea>" in page, "and nothing typed is lost"
    assert stored(app, nid)["parties"][1]["posts"] == [posts[0], {"city": "Apia"}], "kept as typed, to be fixed"


def test_routine_cooperation_is_asked_on_the_context_step(app, client, negotiation, example_data):
    nid = negotiation(example_data())
    page = client.get(f"/negotiations/{nid}/context").data.decode()
    assert 'name="routine_cooperation"' in page
    from werkzeug.datastructures import MultiDict

    from assistant.wizard.forms import CONTEXT_FIELDS, read_step

    assert read_step(MultiDict({"routine_cooperation": "yes", "title": "T"}), "context")["routine_cooperation"] is True
    assert "routine_cooperation" not in read_step(MultiDict({"routine_cooperation": ""}), "context")
    assert any(f.path == "routine_cooperation" for f in CONTEXT_FIELDS)


def test_a_party_named_as_a_group_is_warned_next_to_it(app, client, negotiation, example_data):
    data = example_data()
    data["parties"].append(
        {"id": "embassies", "name": "Embassies of the main States of origin (group)", "kind": "state"}
    )
    i = len(data["parties"]) - 1
    nid = negotiation(data)
    warning = rf'<p class="notice" id="f-parties-{i}-signatory-warning" role="status">([^<]*)</p>'
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    from assistant.domain.signing import reads_as_group
    from assistant.wizard.forms import row_warning

    groups = [str(k) for k, p in enumerate(data["parties"]) if reads_as_group(p["name"])]
    assert str(i) in groups
    # groups, and any party needing attention for another reason (an organization's unstated capacity, round 11)
    warned = [str(k) for k, p in enumerate(data["parties"]) if row_warning(p)]
    assert set(groups) <= set(warned)
    assert re.findall(r'id="f-parties-(\d+)-signatory-warning"', page) == warned, "only those needing attention"
    assert "list its members as Parties or mark it as taking part without signing" in re.search(warning, page)[1]
    assert f'name="parties[{i}].signatory" value="yes" checked' not in page, "a group does not sign"
    form = party_form(page, data) | {f"parties[{i}].signatory": "yes"}  # the negotiator says it signs
    client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)})
    assert stored(app, nid)["parties"][i]["signatory"] is True
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    assert f'name="parties[{i}].signatory" value="yes" checked' in page
    assert re.search(warning, page), "marked as signing, a group is still warned"
    form = party_form(page, data)
    del form[f"parties[{i}].signatory"]
    client.post(f"/negotiations/{nid}/parties", data={**form, "revision": rev(app, nid)})
    assert stored(app, nid)["parties"][i]["signatory"] is False
    page = client.get(f"/negotiations/{nid}/parties").data.decode()
    assert not re.search(warning, page), "marked as taking part without signing, it follows the warning"


def test_the_draft_step_shows_the_draft_check_with_each_finding_linked_to_its_place(client, negotiation):
    """Issue 16: 'Draft check: 0 errors, …' above the preview; open points link to the article that holds them."""
    page = client.get(f"/negotiations/{negotiation()}/draft").get_data(as_text=True)
    head = re.search(r"Draft check: (\d+) errors?,\s+(\d+) warnings?,\s+(\d+) open points?", page)
    assert head, "the draft step shows the draft check"
    assert head[1] == "0"
    assert int(head[3]) > 0, "the example leaves points to agree"
    linked = re.findall(r'<li class="finding open_point"><a href="#(article-\d+|annex-\d+)">', page)
    assert linked
    assert all(f'id="{anchor}"' in page for anchor in linked), "each link points to a place in the preview"


def test_an_error_of_the_draft_check_is_shown_with_its_fix(client, negotiation, monkeypatch):
    from assistant.domain.draft_check import Finding
    from assistant.wizard import views

    broken = Finding("cross_reference", "error", "Article 3", "Article 3 refers to Article 99.", "Refer to Article 9.")
    monkeypatch.setattr(views, "check_draft", lambda *a, **k: [broken])
    page = client.get(f"/negotiations/{negotiation()}/draft").get_data(as_text=True)
    assert re.search(r"Draft check: 1 error,\s+0 warnings,\s+0 open points", page)
    assert '<a href="#article-3">Article 3</a>' in page
    assert "How to fix: Refer to Article 9." in page


def test_the_review_copy_shows_the_draft_check_under_the_article_it_concerns(client, negotiation, monkeypatch):
    """Issue 16: in the review copy, each error or warning of the draft check stands in the review note of its
    article, with how to fix it; the Word review copy carries it too."""
    from assistant.documents import views as documents
    from assistant.domain.draft_check import Finding

    broken = Finding("definitions", "warning", "Article 2", "'Bridging Party' is defined but never used.", "Drop it.")
    monkeypatch.setattr(documents, "check_draft", lambda *a, **k: [broken])
    nid = negotiation()
    page = client.get(f"/negotiations/{nid}/draft.html?review=1").get_data(as_text=True)
    article = re.search(r'<section class="article" id="article-2".*?</section>', page, re.S)[0]
    assert "Draft check" in article
    assert "Warning (Article 2): &#39;Bridging Party&#39; is defined but never used. How to fix: Drop it." in article
    assert "Draft check" not in re.search(r'<section class="article" id="article-3".*?</section>', page, re.S)[0]
    docx = Document(BytesIO(client.get(f"/negotiations/{nid}/draft.docx?review=1").data))
    assert any("Draft check: Warning (Article 2)" in p.text for p in docx.paragraphs)
    clean = client.get(f"/negotiations/{nid}/draft.html").get_data(as_text=True)
    assert "Draft check" not in clean, "the clean copy carries no review notes"
