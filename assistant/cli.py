"""The ``assistant`` command: drafts from scenario files, rule checks, database and examples.

Exit status: 0 on success, 1 when a check finds problems, 2 on bad input (message on stderr).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .config import ROOT
from .domain.checks import cross_check, run_examples
from .domain.clauses import load_clause_library
from .domain.draft_check import DraftFormatError, check_draft, summary
from .domain.engine import EngineError, EvaluationTimeout, set_time_budget
from .domain.evaluate import evaluate
from .domain.loading import DataError
from .domain.review import review_notes, with_findings
from .domain.rules import load_rule_base
from .domain.scenario import ScenarioError, load_scenario

FORMATS = ("json", "html", "pdf", "docx")


def _fail(lines: list[str], code: int = 2) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Agreement Assistant: coordination agreements for migrants in crisis (MICIC Guideline 7)."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--review", is_flag=True, help="The review copy: why each article is there, and its alternatives.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "rules")
@click.option(
    "--clauses", "clauses_dir", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "clause_library"
)
@click.option("--check", "check", is_flag=True, help="Check the draft as `assistant check` does (findings on stderr).")
def draft(
    scenario: Path, fmt: str, output: Path | None, review: bool, rules_dir: Path, clauses_dir: Path, check: bool
) -> None:
    """Evaluate SCENARIO (YAML or JSON) and write the advice and draft agreement."""
    from .documents.render import advice_json, document_html, document_pdf

    set_time_budget(_time_budget_setting())

    try:
        parsed = load_scenario(scenario)
    except ScenarioError as exc:
        _fail([f"{scenario}: {p}" for p in exc.problems] or [f"{scenario}: not a valid scenario"])
    try:
        library = load_clause_library(clauses_dir)
        advice = evaluate(parsed, rule_base=load_rule_base(rules_dir), library=library)
    except DataError as exc:
        _fail([str(p) for p in exc.problems])
    except EvaluationTimeout as exc:  # ASSISTANT_EVALUATION_TIME_BUDGET, seconds (default 2)
        _fail([f"{scenario}: {exc}"])
    except EngineError as exc:
        _fail([f"{scenario}: the rule engine cannot evaluate this scenario: {exc}"])
    assert advice.draft is not None  # noqa: S101 - evaluate always assembles a draft
    notes = None
    if review:
        answer = advice.to_contract()
        notes = with_findings(
            review_notes(advice, library), advice.draft, check_draft(answer["draft"], scenario=parsed, advice=answer)
        )
    if fmt == "json":
        data: bytes = (advice_json(advice, parsed) + "\n").encode()
    elif fmt == "html":
        data = document_html(advice.draft, review=notes).encode()
    elif fmt == "docx":
        from .documents.word import document_docx

        data = document_docx(advice.draft, review=notes)
    else:
        data = document_pdf(advice.draft, review=notes)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            output.write_bytes(data)
        except OSError as exc:
            _fail([f"{output}: cannot write: {exc.strerror or exc}"])
        click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)
    if check:
        contract = advice.to_contract()
        _report(check_draft(contract["draft"], scenario=parsed, advice=contract), err=True)


@main.command("check")
@click.argument("draft_file", metavar="DRAFT.json", type=click.Path(dir_okay=False, path_type=Path))
def check_cmd(draft_file: Path) -> None:
    """Check a draft as `assistant draft --format json` writes it (also one a person has edited): one finding per
    line (severity, place, check, message, how to fix it) and a summary; exit 1 on any error."""
    try:
        text = draft_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail([f"{draft_file}: cannot read: {getattr(exc, 'strerror', None) or exc}"])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail([f"{draft_file}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"])
    except RecursionError:
        _fail([f"{draft_file}: not a draft: nested too deeply"])
    try:
        findings = check_draft(data)
    except DraftFormatError as exc:
        _fail([f"{draft_file}: not a draft: {p}" for p in exc.problems])
    _report(findings)


def _report(findings: list, err: bool = False) -> None:
    """Print the findings and their summary; exit 1 when any is an error."""
    for f in findings:
        click.echo(f.line(), err=err)
    click.echo(summary(findings), err=err)
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


def _time_budget_setting() -> float | None:
    """ASSISTANT_EVALUATION_TIME_BUDGET (seconds; 0 or less: none), as the app reads it; else the default."""
    from .config import time_budget_from

    return time_budget_from(os.environ.get("ASSISTANT_EVALUATION_TIME_BUDGET"))


@main.group()
def rules() -> None:
    """Work with the rule base."""


@rules.command("check")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "rules")
@click.option(
    "--clauses", "clauses_dir", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "clause_library"
)
@click.option("--training", "training_dir", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "training")
def rules_check(rules_dir: Path, clauses_dir: Path, training_dir: Path) -> None:
    """Validate rule, clause and training files, render every clause variant, run every rule example."""
    from .domain.forms import load_forms, render_form
    from .domain.training import load_training_library

    problems: list[str] = []
    base = library = None
    training: list = []
    try:
        training = load_training_library(training_dir)
    except DataError as exc:
        problems += [str(p) for p in exc.problems]
    try:
        base = load_rule_base(rules_dir)
    except DataError as exc:
        problems += [str(p) for p in exc.problems]
    try:
        library = load_clause_library(clauses_dir)
    except DataError as exc:
        problems += [str(p) for p in exc.problems]
    forms: dict = {}
    try:
        forms = load_forms(clauses_dir / "forms") if (clauses_dir / "forms").is_dir() else {}
        for form_id in forms:
            render_form(form_id, 1, clauses_dir / "forms")
    except DataError as exc:
        problems += [str(p) for p in exc.problems]
    except Exception as exc:  # a form that does not render
        problems.append(f"{clauses_dir / 'forms'}: {exc}")
    if base is not None:
        problems += [str(f) for f in run_examples(base)]
    if base is not None and library is not None:
        problems += cross_check(base, library)
    if problems:
        _fail(problems + [f"{len(problems)} problem(s) found"], code=1)
    examples = sum(len(r.examples) for r in base.rules)  # type: ignore[union-attr]
    click.echo(
        f"ok: {len(base.rules)} rules, {examples} examples passed, "  # type: ignore[union-attr]
        f"{len(library.clauses)} clauses rendered, {len(forms)} standard forms, {len(training)} training scenarios"
    )  # type: ignore[union-attr]


def _app():
    """The app for one command; its database connections are closed when the command ends."""
    from . import create_app

    app = create_app()
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(app.extensions["assistant.db"].dispose)
    return app


@main.group()
def db() -> None:
    """Manage the database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    from .db import upgrade

    app = _app()
    upgrade(app.config["DATABASE_URL"])
    click.echo("database is up to date", err=True)


@db.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def db_backup(folder: Path) -> None:
    """Back up the database and the instance secret key into FOLDER (new or empty; made private)."""
    from .services.backup import BackupError, backup

    app = _app()
    try:
        manifest = backup(app.config["DATABASE_URL"], folder, Path(app.instance_path) / "secret_key")
    except BackupError as exc:
        _fail([f"assistant: {exc}"])
    click.echo(f"backed up {manifest['engine']} database (revision {manifest['revision']}) into {folder}", err=True)


@db.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data, and a different secret key.")
def db_restore(folder: Path, force: bool) -> None:
    """Restore a backup made by 'assistant db backup' (stop the servers first)."""
    from .services.backup import BackupError, restore

    app = _app()
    app.extensions["assistant.db"].dispose()  # no connection of ours stays open on the data being replaced
    try:
        manifest = restore(app.config["DATABASE_URL"], folder, Path(app.instance_path) / "secret_key", force=force)
    except BackupError as exc:
        _fail([f"assistant: {exc}"])
    click.echo(f"restored the backup of {manifest['created']} (revision {manifest['revision']})", err=True)


@main.group()
def users() -> None:
    """Manage accounts."""


@users.command("create")
@click.argument("username")
@click.option("--name", "display_name", default="", help="The name shown to others.")
@click.option("--role", type=click.Choice(["member", "trainer", "admin"]), default="member", show_default=True)
@click.password_option(help="Asked for when not given (at least 10 characters, not a common one, not the name).")
def users_create(username: str, display_name: str, role: str, password: str) -> None:
    """Create an account."""
    from .db import get_session
    from .services.people import PeopleError, create_user

    app = _app()
    with app.app_context():
        try:
            user = create_user(
                session=get_session(),
                username=username,
                display_name=display_name or username,
                password=password,
                role=role,
            )
        except PeopleError as exc:
            _fail([str(exc)])
    click.echo(f"created {role} {user.username!r}", err=True)


def _account(session, username: str):
    from .services.people import find_user

    user = find_user(session=session, username=username)
    if user is None:
        _fail([f"There is no account {username!r}."])
    return user


@users.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of standard input.")
def users_password(username: str, password_stdin: bool) -> None:
    """Set a new password (asked twice); every session and the API token of the account end."""
    from .db import get_session
    from .services.people import PeopleError, set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    app = _app()
    with app.app_context():
        session = get_session()
        user = _account(session, username)
        try:
            set_password(session=session, user=user, password=password)
        except PeopleError as exc:
            _fail([str(exc)])
    click.echo(f"password of {user.username!r} changed; its sessions and API token ended", err=True)


@users.command("disable")
@click.argument("username")
def users_disable(username: str) -> None:
    """Disable an account: it cannot sign in or call the API, and its sessions end at once."""
    _set_disabled(username, True)
    click.echo(f"{_normalised(username)!r} disabled", err=True)


@users.command("enable")
@click.argument("username")
def users_enable(username: str) -> None:
    """Enable a disabled account again (it signs in anew; a new API token must be issued)."""
    _set_disabled(username, False)
    click.echo(f"{_normalised(username)!r} enabled", err=True)


def _normalised(username: str) -> str:
    from .services.people import normalise_username

    return normalise_username(username)


def _set_disabled(username: str, disabled: bool) -> None:
    from .db import get_session
    from .services.people import set_disabled

    app = _app()
    with app.app_context():
        session = get_session()
        set_disabled(session=session, user=_account(session, username), disabled=disabled)


@users.command("token")
@click.argument("username")
def users_token(username: str) -> None:
    """Issue an API token for the account and print it once (the previous token stops working)."""
    from .db import get_session
    from .services.people import PeopleError, issue_api_token

    app = _app()
    with app.app_context():
        session = get_session()
        try:
            token = issue_api_token(session=session, user=_account(session, username))
        except PeopleError as exc:
            _fail([str(exc)])
    click.echo(token)
    click.echo("Send it as 'Authorization: Bearer <token>'. It is shown once; only its hash is kept.", err=True)


@users.command("bootstrap")
def users_bootstrap() -> None:
    """On a fresh installation, create an 'admin' account with a random password and print it once."""
    import secrets

    from .db import get_session
    from .services.people import create_user, has_accounts

    app = _app()
    with app.app_context():
        session = get_session()
        if has_accounts(session=session):
            return
        password = secrets.token_urlsafe(12)
        create_user(session=session, username="admin", display_name="Administrator", password=password, role="admin")
    click.echo(f"First start: sign in as 'admin' with the password {password} (shown once; keep it safe).", err=True)


@main.group()
def examples() -> None:
    """The example scenarios shipped with the assistant."""


@examples.command("load")
def examples_load() -> None:
    """Open each example scenario as a negotiation (once)."""
    from .db import get_session
    from .services.negotiations import load_examples

    app = _app()
    with app.app_context():
        created = load_examples(session=get_session(), folder=app.config["EXAMPLES_DIR"])
    click.echo(f"{len(created)} example negotiation(s) loaded", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
