"""Security headers on every answer: a CSP without inline script, no framing, no sniffing, no referrer leak."""

import pytest


@pytest.mark.parametrize("path", ["/", "/login", "/rules/", "/library/", "/static/css/app.css", "/nowhere"])
def test_security_headers(client, path):
    response = client.get(path)
    response.close()  # static files are streamed
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(client):
    import re

    for path in ["/", "/rules/", "/library/"]:
        html = client.get(path).data.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, tag
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_every_form_route_requires_a_csrf_token(app, client, example_data):
    """With CSRF on, every POST route but the JSON API refuses a request without a token."""
    from assistant.db import get_session
    from assistant.services.negotiations import create_negotiation

    with app.app_context():
        nid = create_negotiation(session=get_session(), title="T", scenario=example_data()).id
    app.config["WTF_CSRF_ENABLED"] = True
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "api.advice"]
    assert len(posts) >= 15
    values = {
        "negotiation_id": nid,
        "name": "context",
        "number": 1,
        "invitation_id": 1,
        "step": "submit",
        "token": "x",
        "slug": "chad_lead_state",
        "attempt_id": 1,
    }
    for rule in posts:
        url = rule.build(values, append_unknown=False)[1]
        response = client.post(url, data={"title": "x"})
        assert response.status_code == 400, f"{rule.endpoint} {url}: {response.status_code}"
        assert b"Form expired" in response.data
