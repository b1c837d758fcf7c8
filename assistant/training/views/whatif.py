"""What-if comparisons (issue 7): change facts of a training scenario or a negotiation and see side by side
what the rule base suggests differently, with the rule behind each difference and the redline of the draft.

Everything is a GET: the URL (``?change=phase:post_crisis&change=consular:somal:embassy``) reproduces the
comparison. The forms that add a change send ``add=<kind>`` and its fields; the answer is a redirect to the
URL with the new change token (htmx requests get the fragment and ``HX-Push-Url`` instead).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, redirect, render_template, request, url_for

from ...domain.advice import Advice
from ...domain.scenario import Scenario, ScenarioError, parse_scenario
from ...domain.whatif import (
    KINDS,
    MAX_CHANGES,
    MAX_TOKEN,
    ChangeError,
    build_token,
    compare,
    menus,
    parse_change,
    party_names,
    what_if,
    with_change,
)
from ...services.advice import advice_on
from ...web import is_htmx_partial
from ...web.guards import advice_for, negotiation_advice, negotiation_or_404
from .. import bp
from ..common import scenario_or_404

# The forms that add a change: per kind, its fields as (name, label, menu, input). The four changes the
# issue names come first; the others are under "More kinds of change".
FORMS: tuple[tuple[str, tuple[tuple[str, str, str, str], ...]], ...] = (
    ("phase", (("value", "New phase", "phases", "select"),)),
    ("consular", (("party", "State", "states", "select"), ("value", "Consular presence", "presences", "select"))),
    (
        "vuln",
        (
            ("group", "Group", "groups", "select"),
            ("what", "Who", "vulnerabilities", "select"),
            ("count", "How many people", "", "number"),
        ),
    ),
    ("bridging_fund", ()),
    (
        "capacity",
        (
            ("party", "Party", "parties", "select"),
            ("what", "Capacity", "capacities", "select"),
            ("value", "Has it", "tri", "select"),
        ),
    ),
    ("group", (("group", "Nationality", "nationalities", "select"), ("count", "Number of people", "", "number"))),
    ("host", (("what", "Condition", "host_conditions", "select"), ("value", "Holds", "tri", "select"))),
    ("route", (("what", "Route", "routes", "select"), ("value", "Status", "route_statuses", "select"))),
    ("kind", (("value", "Kind of crisis", "kinds", "select"),)),
    ("hazard", (("value", "Hazard", "hazards", "select"),)),
    (
        "transport",
        (
            ("party", "Party", "parties", "select"),
            ("what", "Transport", "transports", "select"),
            ("value", "Has it", "yes_no", "select"),
        ),
    ),
    (
        "mandate",
        (
            ("party", "Party", "parties", "select"),
            ("what", "Mandate", "mandates", "select"),
            ("value", "Has it", "yes_no", "select"),
        ),
    ),
    (
        "constraint",
        (
            ("party", "Party", "parties", "select"),
            ("what", "Constraint", "constraints", "select"),
            ("value", "Holds", "tri", "select"),
        ),
    ),
    ("service", (("what", "Service", "services", "select"), ("value", "Needed", "yes_no", "select"))),
    ("funding", (("what", "Funding", "funding", "select"), ("value", "Holds", "tri", "select"))),
    ("data", (("what", "Data flow", "data", "select"), ("value", "Holds", "tri", "select"))),
)
MAIN_FORMS = 4  # phase, consular presence, people with specific needs, bridging fund
MAX_FIELD = 60


def _tokens() -> list[str]:
    """The change tokens of the query string, as typed (checked later); blank ones dropped."""
    return [t.strip() for t in request.args.getlist("change") if t.strip()]


def _added(tokens: list[str], data: dict[str, Any]) -> tuple[list[str], str | None]:
    """The tokens with the change chosen in a form (``add=<kind>`` and its fields), or the problem with it."""
    kind = request.args.get("add", "")[:MAX_FIELD]
    if kind not in KINDS:
        return tokens, "Choose a kind of change to add."
    fields = {name: request.args.get(name, "")[:MAX_FIELD] for name in KINDS[kind].parts}
    if kind == "bridging_fund":
        fields["value"] = "off"
    try:
        token = build_token(kind, fields)
        if len(tokens) >= MAX_CHANGES and not any(_same_subject(t, token, data) for t in tokens):
            return tokens, f"At most {MAX_CHANGES} changes at a time: remove one before adding another."
        return with_change(tokens, token, data), None
    except ValueError as exc:
        return tokens, f"The new change cannot be added: {exc}"


def _same_subject(a: str, b: str, data: dict[str, Any]) -> bool:
    try:
        return parse_change(a, data).subject == parse_change(b, data).subject
    except ValueError:
        return False


def _comparison(
    *,
    endpoint: str,
    url_args: dict[str, Any],
    base_data: dict[str, Any],
    baseline: Scenario,
    advise_on: Callable[[Scenario, dict[str, Any]], Advice],
    base_advice: Advice,
    **ctx: Any,
):
    """The what-if page (or fragment) for a baseline, with the changes of the query string."""
    tokens = _tokens()
    errors: list[str] = []
    form_error = None
    if "add" in request.args:
        tokens, form_error = _added(tokens, base_data)
        if form_error is None and not is_htmx_partial():
            return redirect(url_for(endpoint, **url_args, change=tokens), 303)
    long = [i for i, t in enumerate(tokens, 1) if len(t) > MAX_TOKEN]
    result = comparison = None
    if len(tokens) > MAX_CHANGES:
        errors.append(f"At most {MAX_CHANGES} changes at a time ({len(tokens)} given): remove some.")
    elif long:
        errors += [f"change {i}: longer than {MAX_TOKEN} characters" for i in long]
    elif tokens:
        try:
            result = what_if(base_data, tokens)
        except ChangeError as exc:
            errors += exc.problems
    if result is not None:
        try:
            after = advise_on(result.scenario, result.data)
        except ScenarioError as exc:  # pragma: no cover - what_if has validated the scenario already
            errors += [f"the changed scenario is not valid: {p}" for p in exc.problems]
        else:
            comparison = compare(base_advice, after, party_names(baseline, result.scenario))
    shown = tokens[:MAX_CHANGES]
    current = result.data if result is not None else base_data
    body = render_template(
        "training/_partials/whatif_body.html" if is_htmx_partial() else "training/whatif.html",
        link=lambda changes: url_for(endpoint, **url_args, change=list(changes)),
        tokens=shown,
        applied=result.applied if result is not None else None,
        errors=errors,
        form_error=form_error,
        comparison=comparison,
        menus=menus(current),
        forms=FORMS,
        main_forms=MAIN_FORMS,
        kinds=KINDS,
        max_changes=MAX_CHANGES,
        permalink=url_for(endpoint, **url_args, change=shown, _external=True),
        args=request.args,
        **ctx,
    )
    bad = bool(errors or form_error)
    if is_htmx_partial():
        headers = {"HX-Push-Url": "false" if bad else url_for(endpoint, **url_args, change=shown)}
        return body, 200, headers
    return body, 400 if bad else 200


def _training_advice(data: dict[str, Any]) -> Advice:
    return advice_on(
        data, rules_dir=current_app.config["RULES_DIR"], library_dir=current_app.config["CLAUSE_LIBRARY_DIR"]
    )


@bp.get("/training/<slug>/what-if")
def whatif(slug: str):
    """What if the facts of a training scenario were different? ``?change=<token>`` (repeatable)."""
    item = scenario_or_404(slug)
    return _comparison(
        endpoint="training.whatif",
        url_args={"slug": item.slug},
        base_data=item.scenario.to_dict(),
        baseline=item.scenario,
        advise_on=lambda _scenario, data: _training_advice(data),
        base_advice=_training_advice(item.scenario.to_dict()),
        subject=item.title,
        training=item,
        negotiation=None,
    )


@bp.get("/negotiations/<int:negotiation_id>/what-if")
def negotiation_whatif(negotiation_id: int):
    """What if the facts of a negotiation were different? Its choices and the parties' positions are kept."""
    negotiation = negotiation_or_404(negotiation_id)
    base_advice, problems = advice_for(negotiation)
    if base_advice is None:
        return render_template(
            "training/whatif.html",
            subject=negotiation.title,
            negotiation=negotiation,
            training=None,
            incomplete=problems,
        )
    baseline = parse_scenario(negotiation.scenario)

    return _comparison(
        endpoint="training.negotiation_whatif",
        url_args={"negotiation_id": negotiation.id},
        base_data=baseline.to_dict(),
        baseline=baseline,
        advise_on=lambda _scenario, data: negotiation_advice(negotiation, data),
        base_advice=base_advice,
        subject=negotiation.title,
        training=None,
        negotiation=negotiation,
    )
