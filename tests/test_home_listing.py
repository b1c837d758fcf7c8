"""The home page lists negotiations a page at a time, searchable by title, and reads the examples once per
version of their folder (issue 20, item 1): its cost does not grow with the number of negotiations."""

from __future__ import annotations

import re

import pytest

from assistant.db import get_session
from assistant.services.negotiations import PER_PAGE, create_negotiation, list_negotiations

pytestmark = pytest.mark.both_engines  # paging and search are SQL: on both engines


def _titles(html: str) -> list[str]:
    return re.findall(r'/context">([^<]+)</a>', html)


def _make(app, titles):
    with app.app_context():
        session = get_session()
        for title in titles:
            create_negotiation(session=session, title=title)


def test_the_home_page_shows_one_page_of_the_newest_first_with_links_to_the_others(app, client):
    _make(app, [f"Agreement {i:03d}" for i in range(PER_PAGE * 2 + 3)])
    first = client.get("/").data.decode()
    shown = _titles(first)
    assert len(shown) == PER_PAGE
    assert shown[0] == f"Agreement {PER_PAGE * 2 + 2:03d}"  # newest first
    assert "page 1 of 3" in first
    assert 'rel="next" href="/?page=2"' in first
    assert 'rel="prev"' not in first
    third = client.get("/?page=3").data.decode()
    assert _titles(third) == ["Agreement 002", "Agreement 001", "Agreement 000"]
    assert 'rel="next"' not in third
    # pages past the last, below the first or not numbers show the nearest page, never an error
    assert _titles(client.get("/?page=99").data.decode()) == _titles(third)
    assert _titles(client.get("/?page=-4").data.decode()) == shown
    assert client.get("/?page=abc").status_code == 200
    every = set()
    for page in (1, 2, 3):
        every |= set(_titles(client.get(f"/?page={page}").data.decode()))
    assert len(every) == PER_PAGE * 2 + 3  # nothing lost, nothing twice


def test_search_finds_titles_in_any_case_and_treats_wildcards_as_text(app, client):
    _make(app, ["Evacuation of Nationals", "Consular sharing", "100% pooled fund", "Under_score plan"])
    page = client.get("/?q=evacuation").data.decode()
    assert _titles(page) == ["Evacuation of Nationals"]
    assert "whose title contains “evacuation”" in page
    assert _titles(client.get("/?q=%25").data.decode()) == ["100% pooled fund"]  # % is a character, not "anything"
    assert _titles(client.get("/?q=_").data.decode()) == ["Under_score plan"]
    assert "No negotiation whose title contains" in client.get("/?q=nothing-like-this").data.decode()


def test_a_member_pages_through_only_the_negotiations_they_may_see(app, make_user, login):
    member = make_user("mia")
    with app.app_context():
        session = get_session()
        for i in range(3):
            create_negotiation(session=session, title=f"Mine {i}", user=member)
        for i in range(40):
            create_negotiation(session=session, title=f"Other {i}")
        listing = list_negotiations(session=session, user=member, per_page=2)
        assert listing.total == 3
        assert listing.pages == 2
        assert all(n.title.startswith("Mine") for n in listing.items)
    page = login(app.test_client(), "mia").get("/").data.decode()
    assert sorted(_titles(page)) == ["Mine 0", "Mine 1", "Mine 2"]


def test_examples_are_read_once_until_their_folder_changes(app, client, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from assistant.home import views

    folder = tmp_path / "examples"
    folder.mkdir()
    shipped = sorted(Path(app.config["EXAMPLES_DIR"]).glob("*.yaml"))[0]
    shutil.copy(shipped, folder / "one.yaml")
    app.config["EXAMPLES_DIR"] = str(folder)
    reads = []
    real = views.load_scenario
    monkeypatch.setattr(views, "load_scenario", lambda path: reads.append(path) or real(path))
    views._titles.cache_clear()
    for _ in range(3):
        client.get("/")
    assert len(reads) == 1
    shutil.copy(shipped, folder / "two.yaml")
    page = client.get("/").data.decode()
    assert len(reads) == 3  # the folder changed: both read again
    assert page.count('<option value="two">') == 1


def test_the_audit_page_shows_one_page_of_the_trail_and_the_exports_all_of_it(app, client):
    from assistant.models import Negotiation
    from assistant.services.audit import EVENTS_PER_PAGE, record

    with app.app_context():
        session = get_session()
        negotiation = create_negotiation(session=session, title="Audited")
        for i in range(EVENTS_PER_PAGE + 5):
            record(
                session=session, user=None, action="test.event", negotiation_id=negotiation.id, target=f"item-{i:04d}"
            )
        session.commit()
        nid = session.get(Negotiation, negotiation.id).id
    first = client.get(f"/negotiations/{nid}/audit").data.decode()
    assert "item-0000" in first
    assert f"item-{EVENTS_PER_PAGE - 2:04d}" in first
    assert f"item-{EVENTS_PER_PAGE + 4:04d}" not in first
    assert "page 1 of 2" in first
    last = client.get(f"/negotiations/{nid}/audit?page=2").data.decode()
    assert f"item-{EVENTS_PER_PAGE + 4:04d}" in last
    assert "item-0000" not in last
    exported = client.get(f"/negotiations/{nid}/audit.csv").data.decode()
    assert "item-0000" in exported
    assert f"item-{EVENTS_PER_PAGE + 4:04d}" in exported
