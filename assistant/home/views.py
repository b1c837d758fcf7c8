"""Routes of the start page: open a negotiation, start a blank one or one from an example."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..domain.safe_yaml import UnsafeInput, load_data
from ..domain.scenario import ScenarioError, clean_text, input_message, load_scenario, parse_scenario
from ..services.negotiations import (
    create_negotiation,
    delete_negotiation,
    example_files,
    list_negotiations,
    start_from_example,
)
from ..services.pages import page_number
from ..web.guards import negotiation_or_404
from ..wizard.forms import STEP_NAMES, owner_step
from . import bp


def _examples() -> list[tuple[str, str]]:
    """The examples' names and titles, read once per version of the folder (a file's name, size and change time):
    the home page re-read and re-parsed every example on every request."""
    files = example_files(current_app.config["EXAMPLES_DIR"])
    return list(_titles(tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)))


@lru_cache(maxsize=8)
def _titles(files: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for name, _, _ in files:
        path = Path(name)
        try:
            out.append((path.stem, load_scenario(path).title))
        except ScenarioError:
            continue
    return tuple(out)


def _listing() -> dict[str, object]:
    """The page of negotiations asked for (``?page=``, ``?q=`` searches the titles)."""
    search = clean_text(request.args.get("q", ""))[:100].strip()
    page = page_number(request.args.get("page"))
    listing = list_negotiations(session=get_session(), user=current_user, page=page, search=search)
    return {"negotiations": listing.items, "listing": listing, "q": search}


@bp.get("/")
def index():
    """Negotiations so far, a page at a time, and how to start a new one."""
    return render_template("home/index.html", examples=_examples(), errors={}, **_listing())


@bp.post("/negotiations")
def create():
    """Start a negotiation: blank with a title, or copied from an example."""
    session = get_session()
    example = request.form.get("example", "")
    if example:
        if example not in dict(_examples()):
            return _invalid({"example": "Choose one of the examples."})
        negotiation = start_from_example(
            session=session, folder=current_app.config["EXAMPLES_DIR"], name=example, user=current_user
        )
    else:
        title = (request.form.get("title") or "").strip()
        if not title:
            return _invalid({"title": "Give the agreement a working title."})
        if len(title) > 300:
            return _invalid({"title": "Keep the title under 300 characters."}, title)
        negotiation = create_negotiation(session=session, title=title, user=current_user)
    return redirect(url_for("wizard.show", negotiation_id=negotiation.id, name="context"), 303)


@bp.post("/negotiations/import")
def import_scenario():
    """Open a scenario file (YAML or JSON) as a negotiation; its problems are shown in the wizard."""
    upload = request.files.get("scenario")
    raw = upload.read() if upload else b""
    name = (upload.filename if upload else "") or "scenario"
    try:
        data = load_data(raw) if raw.strip() else None  # plain data only: no aliases, tags or huge nesting
    except UnsafeInput as exc:
        if exc.syntax:
            where = f" (line {exc.line})" if exc.line else ""
            return _invalid({"scenario": f"{name} is not valid YAML or JSON{where}."})
        return _invalid({"scenario": input_message(exc, name) + "."})
    if not isinstance(data, dict):
        return _invalid({"scenario": "Choose a scenario file: a YAML or JSON mapping, as in the scenario contract."})
    title = clean_text(data.get("title")) if isinstance(data.get("title"), str) else ""
    title = title.strip() or name  # no title, or not text (title: null): the file's name, until it is given
    negotiation = create_negotiation(session=get_session(), title=title[:300], scenario=data, user=current_user)
    try:
        parse_scenario(data)
    except ScenarioError as exc:
        first = min((owner_step(p.path) for p in exc.problems), key=STEP_NAMES.index, default="context")
        return redirect(url_for("wizard.show", negotiation_id=negotiation.id, name=first), 303)
    return redirect(url_for("wizard.show", negotiation_id=negotiation.id, name="suggestions"), 303)


def _invalid(errors: dict[str, str], title: str = ""):
    return render_template(
        "home/index.html",
        **_listing(),
        examples=_examples(),
        errors=errors,
        title=title,
    ), 422


@bp.post("/negotiations/<int:negotiation_id>/delete")
def delete(negotiation_id: int):
    """Delete a negotiation with its choices and versions."""
    negotiation = negotiation_or_404(negotiation_id, "edit")
    delete_negotiation(session=get_session(), negotiation=negotiation, user=current_user)
    return redirect(url_for("home.index"), 303)
