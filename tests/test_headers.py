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
