"""The rule book page: every rule with source, examples and how often it fires on the examples."""

import re

from assistant.domain.checks import rule_usage
from assistant.domain.evaluate import default_rule_base
from assistant.domain.facts import scenario_facts
from assistant.domain.scenario import load_scenario
from tests.helpers import EXAMPLES


def test_rule_book_lists_every_rule_with_its_source_and_use(client):
    page = client.get("/rules/").data.decode()
    base = default_rule_base()
    assert page.count('class="rule-card"') == len(base.rules)
    first = base.rules[0]
    assert f'id="rule-{first.id}"' in page
    assert first.source.split("(")[0].strip()[:40] in page
    assert re.search(r"fires in \d of 6 example scenarios", page)
    assert "stays silent" in page


def test_rule_book_filters_by_file_and_word(client):
    base = default_rule_base()
    file = base.rules[-1].file
    page = client.get("/rules/", query_string={"file": file}).data.decode()
    assert page.count('class="rule-card"') == sum(1 for r in base.rules if r.file == file)
    page = client.get("/rules/", query_string={"q": "REFOULEMENT"}).data.decode()
    hits = [r for r in base.rules if "refoulement" in f"{r.id} {r.title} {r.rationale} {r.source}".lower()]
    assert page.count('class="rule-card"') == len(hits) > 0
    assert b"No rule matches." in client.get("/rules/", query_string={"q": "zzzz-nothing"}).data


def test_usage_counts_firings_per_scenario():
    base = default_rule_base()
    facts = {p.stem: scenario_facts(load_scenario(p)) for p in EXAMPLES[:2]}
    usage = rule_usage(base, facts)
    assert set(usage) == {r.id for r in base.rules}
    busiest = max(usage.values(), key=lambda u: u.firings)
    assert busiest.firings >= len(busiest.scenarios) >= 1
    assert all(set(u.scenarios) <= set(facts) for u in usage.values())


def test_why_links_to_the_rule_book(client, app, example_data):
    from assistant.db import get_session
    from assistant.services.negotiations import create_negotiation

    with app.app_context():
        nid = create_negotiation(session=get_session(), title="T", scenario=example_data()).id
    page = client.get(f"/negotiations/{nid}/suggestions").data.decode()
    assert 'href="/rules/#rule-' in page
