"""POST /api/v1/advice: the contract answer over HTTP; 422 with paths on bad input; nothing stored."""

from sqlmodel import select

from assistant.db import get_session
from assistant.models import Negotiation
from assistant.services.people import issue_api_token


def test_advice_returns_the_contract(client, example_data):
    response = client.post("/api/v1/advice", json=example_data())
    assert response.status_code == 200
    data = response.get_json()
    assert data["title"] == example_data()["title"]
    assert data["draft"]["articles"]
    assert abs(sum(s["share"] for s in data["cost_allocation"]["shares"]) - 1) < 1e-6
    # the draft check's findings (README addition): no error on an example, its holes listed as open points
    assert data["checks"]
    assert {c["severity"] for c in data["checks"]} <= {"warning", "open_point"}
    assert all(c["place"] and c["message"] for c in data["checks"])


def test_bad_scenario_gets_422_with_every_path(client, example_data):
    data = example_data()
    data["parties"][0]["kind"] = "empire"
    data["surprise"] = True
    data["populations"][0]["nationality"] = "atlantis"
    response = client.post("/api/v1/advice", json=data)
    assert response.status_code == 422
    paths = [p["path"] for p in response.get_json()["problems"]]
    assert paths == ["parties[0].kind", "surprise", "populations[0].nationality"]


def test_non_json_body_gets_422(client):
    response = client.post("/api/v1/advice", data="not json", content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_json"


def test_api_stores_nothing(app, client, example_data):
    client.post("/api/v1/advice", json=example_data())
    with app.app_context():
        assert get_session().exec(select(Negotiation)).all() == []


def test_api_needs_no_csrf_token_even_when_csrf_is_on(app, make_user, example_data):
    with app.app_context():
        token = issue_api_token(session=get_session(), user=make_user("robot"))
    app.config["WTF_CSRF_ENABLED"] = True
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().post("/api/v1/advice", json=example_data(), headers=headers).status_code == 200


def test_api_errors_are_json(client):
    response = client.get("/api/v1/advice")
    assert response.status_code == 405
    assert response.get_json()["error"]


def test_the_api_answers_from_the_advice_cache_the_wizard_uses(client, example_data):
    """The same scenario twice is evaluated once; the cached answer is the same contract."""
    from assistant.services.advice import ADVICE_CACHE

    ADVICE_CACHE.clear()
    data = example_data()
    first = client.post("/api/v1/advice", json=data)
    hits = ADVICE_CACHE.hits
    second = client.post("/api/v1/advice", json=data)
    assert first.status_code == second.status_code == 200
    assert ADVICE_CACHE.hits == hits + 1
    assert second.get_json() == first.get_json()


def _validator(doc: dict, model: str):
    import jsonschema

    root = {"$ref": f"#/components/schemas/{model}", "components": doc["components"]}
    return jsonschema.Draft202012Validator(root)


def test_the_openapi_document_describes_what_the_api_reads_and_answers(client, example_data, make_user, login):
    doc = client.get("/api/v1/openapi.json").get_json()  # public, like any API description
    assert doc["openapi"] == "3.1.0"
    post = doc["paths"]["/advice"]["post"]
    assert set(post["responses"]) == {"200", "401", "422", "429", "503"}
    data = example_data()
    assert not list(_validator(doc, "Scenario").iter_errors(data))
    make_user("integrator")
    login(client, "integrator")
    answer = client.post("/api/v1/advice", json=data).get_json()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(doc, "Answer").iter_errors(answer)]
    assert not errors, errors[:5]
    bad = client.post("/api/v1/advice", json={"title": "x"}).get_json()
    assert not list(_validator(doc, "Problems").iter_errors(bad))
    assert list(_validator(doc, "Scenario").iter_errors({"title": "x"}))  # the schema refuses what the API refuses
