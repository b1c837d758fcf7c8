"""The clause library pages: every clause by topic, filters by topic, agreement type and word, one clause in full."""

import re

import pytest
from markupsafe import escape

from assistant.domain.clauses import render_body
from assistant.domain.evaluate import default_library
from assistant.domain.vocab import AGREEMENT_TYPES, CLAUSE_TOPICS


def esc(text: str) -> str:
    """Text as Jinja's autoescape writes it."""
    return str(escape(text))


CARD = re.compile(r'<article class="clause-card" id="clause-([^"]+)">')


@pytest.fixture
def library(app):
    return default_library(app.config["CLAUSE_LIBRARY_DIR"])


def listed(client, **query) -> list[str]:
    """The ids of the clauses the index shows for a query, in page order."""
    response = client.get("/library/", query_string=query)
    assert response.status_code == 200
    return CARD.findall(response.data.decode())


def text_of(clause) -> str:
    parts = [clause.id, clause.title, clause.source, *(p.description for p in clause.params.values())]
    parts += [f"{t} {m}" for t, m in clause.definitions.items()]
    parts += [f"{v.body} {v.playbook}" for v in clause.variants.values()]
    return " ".join(parts).lower()


def test_index_lists_every_clause_grouped_in_topic_order(client, library):
    ids = listed(client)
    assert sorted(ids) == sorted(library.clauses)
    topics = [CLAUSE_TOPICS.index(library.clauses[i].topic) for i in ids]
    assert topics == sorted(topics)
    page = client.get("/library/").data.decode()
    assert f"{len(library.clauses)} of {len(library.clauses)} clauses shown." in page
    clause = library.get("dispute_settlement") or next(iter(library.clauses.values()))
    card = page.split(f'id="clause-{clause.id}"', 1)[1].split("</article>", 1)[0]
    assert f'href="/library/{clause.id}"' in card
    assert esc(clause.title) in card
    assert all(f'<span class="tag">{name}</span>' in card for name in clause.variants)
    assert f"{len(clause.params)} param" in card


def test_filter_by_topic(client, library):
    topic = max(CLAUSE_TOPICS, key=lambda t: sum(c.topic == t for c in library.clauses.values()))
    expected = {c.id for c in library.clauses.values() if c.topic == topic}
    assert set(listed(client, topic=topic)) == expected
    assert listed(client, topic="no_such_topic") == []


def test_filter_by_agreement_type_counts_applies_to_all(client, library):
    for kind in AGREEMENT_TYPES:
        expected = {c.id for c in library.clauses.values() if c.applies_to == "all" or kind in c.applies_to}
        assert set(listed(client, type=kind)) == expected, kind
    narrow = next(c for c in library.clauses.values() if c.applies_to != "all")
    other = next(t for t in AGREEMENT_TYPES if t not in narrow.applies_to)
    assert narrow.id in listed(client, type=narrow.applies_to[0])
    assert narrow.id not in listed(client, type=other)


@pytest.mark.parametrize("word", ["REFOULEMENT", "arbitral", "Lead Party", "zzzz-nothing"])
def test_filter_by_word_searches_ids_sources_params_definitions_bodies_and_playbooks(client, library, word):
    expected = {c.id for c in library.clauses.values() if word.lower() in text_of(c)}
    assert set(listed(client, q=word)) == expected
    if not expected:
        assert b"No clause matches." in client.get("/library/", query_string={"q": word}).data


def test_word_finds_playbooks_and_param_descriptions(client, library):
    clause = next(c for c in library.clauses.values() if c.variants["standard"].playbook)
    word = clause.variants["standard"].playbook.split(".")[0][:40].strip()
    assert clause.id in listed(client, q=word)
    with_params = next(c for c in library.clauses.values() if any(p.description for p in c.params.values()))
    description = next(p.description for p in with_params.params.values() if p.description)
    assert with_params.id in listed(client, q=description[:40].upper())


def test_filters_combine(client, library):
    kind, word = AGREEMENT_TYPES[0], "shall"
    expected = {
        c.id for c in library.clauses.values() if (c.applies_to == "all" or kind in c.applies_to) and word in text_of(c)
    }
    assert set(listed(client, type=kind, q=word)) == expected


def test_hostile_word_is_escaped(client):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    response = client.get("/library/", query_string={"q": hostile, "topic": hostile, "type": hostile})
    assert response.status_code == 200
    page = response.data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "No clause matches." in page


def test_clause_page_shows_variants_params_and_source(client, library):
    clause = max(library.clauses.values(), key=lambda c: (len(c.variants), len(c.params)))
    response = client.get(f"/library/{clause.id}")
    assert response.status_code == 200
    page = response.data.decode()
    assert esc(clause.title) in page
    assert esc(clause.source.split("(")[0].strip()[:60]) in page
    samples = {n: p.sample for n, p in clause.params.items()}
    for name, variant in clause.variants.items():
        assert f'id="variant-{name}"' in page
        assert esc(variant.playbook.strip()) in page
        body = render_body(clause, name, samples)
        for para in re.split(r"\n\s*\n", body):
            assert f"<p>{esc(para.strip())}</p>" in page
    table = page.split('<table class="params">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == len(clause.params) + 1
    for name, param in clause.params.items():
        assert f"<code>{name}</code>" in table
        if param.source:
            assert f"<code>{param.source}</code>" in table
        if param.description:
            assert esc(param.description) in table


def test_clause_page_shows_definitions_cites_and_binding(client, library):
    defined = next(c for c in library.clauses.values() if c.definitions)
    page = client.get(f"/library/{defined.id}").data.decode()
    assert all(esc(term) in page for term in defined.definitions)
    cited = next((c for c in library.clauses.values() if c.cites), None)
    if cited:
        page = client.get(f"/library/{cited.id}").data.decode()
        assert all(esc(c) in page for c in cited.cites)
    bound = next((c for c in library.clauses.values() if any(v.binding is False for v in c.variants.values())), None)
    if bound:
        assert "non-binding only" in client.get(f"/library/{bound.id}").data.decode()


def test_unknown_clause_is_404(client):
    response = client.get("/library/no_such_clause")
    assert response.status_code == 404
    assert b"There is nothing at this address." in response.data
    assert client.get("/library/%3Cscript%3E").status_code == 404


def test_pages_work_without_javascript(client, library):
    page = client.get("/library/").data.decode()
    form = re.search(r'<form method="get" action="/library/"[^>]*>(.*?)</form>', page, re.S)
    assert form
    for name, field in (("topic", "library-topic"), ("type", "library-type"), ("q", "library-q")):
        assert f'<label for="{field}">' in form.group(1)
        assert f'id="{field}" name="{name}"' in form.group(1)
    assert "hx-" not in form.group(1)
    assert 'href="/library/"' in client.get("/rules/").data.decode()
    clause = next(iter(library.clauses))
    assert client.get(f"/library/{clause}").status_code == 200
