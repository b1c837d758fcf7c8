"""Persistence: Alembic migrations, SQLite in WAL mode, examples loaded once, versions frozen."""

from sqlalchemy import inspect, text

from assistant.db import get_engine, get_session, upgrade
from assistant.domain.evaluate import evaluate
from assistant.domain.facts import Choice
from assistant.domain.scenario import parse_scenario
from assistant.services.negotiations import choices_of, create_negotiation, load_examples, record_choice
from assistant.services.versions import draft_versions, save_draft_version
from tests.helpers import EXAMPLES


def test_migrations_create_every_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    upgrade(url)
    from assistant.db import make_engine

    engine = make_engine(url)
    assert {"negotiation", "choice", "draft_version", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    with app.app_context(), get_engine().connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_examples_load_once(app):
    with app.app_context():
        session = get_session()
        assert len(load_examples(session=session, folder=app.config["EXAMPLES_DIR"])) == len(EXAMPLES)
        assert load_examples(session=session, folder=app.config["EXAMPLES_DIR"]) == []


def test_choices_replace_each_other_and_undo_clears(app, minimal):
    with app.app_context():
        session = get_session()
        n = create_negotiation(session=session, title="t", scenario=minimal)
        record_choice(
            session=session, negotiation=n, choice=Choice(kind="role", item="lead", party="host", action="reject")
        )
        record_choice(
            session=session, negotiation=n, choice=Choice(kind="role", item="lead", party="host", action="accept")
        )
        assert [c.action for c in choices_of(session=session, negotiation=n)] == ["accept"]
        record_choice(
            session=session, negotiation=n, choice=Choice(kind="role", item="lead", party="host", action="undo")
        )
        assert choices_of(session=session, negotiation=n) == []


def test_draft_versions_are_numbered_snapshots(app, example_data):
    with app.app_context():
        session = get_session()
        data = example_data()
        n = create_negotiation(session=session, title="t", scenario=data)
        advice = evaluate(parse_scenario(data))
        v1 = save_draft_version(session=session, negotiation=n, advice=advice)
        v2 = save_draft_version(session=session, negotiation=n, advice=advice)
        assert (v1.number, v2.number) == (1, 2)
        assert [v.number for v in draft_versions(session=session, negotiation=n)] == [2, 1]
        assert v1.advice["draft"]["articles"] == advice.to_contract()["draft"]["articles"]
