"""The wizard's fields, and the mapping between HTML forms and scenario data.

Field names are the contract paths (``parties[2].capacities.transport``), so the problems the scenario
model reports (``parties[2].capacities.transport[0]: …``) land next to the field that caused them.
Parsing is lenient: what cannot be read as a number is kept as typed, so the negotiator sees it again
with its error and nothing is lost.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from ..domain.advice import Advice
from ..domain.checks import party_warning
from ..domain.scenario import NON_PARTY_NATIONALITIES, Problem, Scenario
from ..domain.signing import reads_as_group
from ..domain.vocab import (
    AGREEMENT_TYPES,
    MANDATES,
    SERVICES,
    VULNERABILITIES,
    ConsularPresence,
    CrisisKind,
    CrisisRole,
    Hazard,
    Instrument,
    PartyKind,
    Phase,
    RouteStatus,
    Sector,
    Transport,
    values,
)


@dataclass(frozen=True)
class Field:
    """One form field: its contract path (relative to its row), label, widget and choices."""

    path: str
    label: str
    kind: str = "text"  # text | int | float | select | multi | tri | check | csv | posts
    choices: tuple[str, ...] = ()
    hint: str = ""
    required: bool = False


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    owns: tuple[str, ...]  # top-level scenario keys this step edits
    intro: str = ""


STEPS = (
    Step(
        "context",
        "Context",
        ("title", "agreement_types", "routine_cooperation", "crisis", "host_conditions"),
        "What the agreement is for, the crisis it prepares for and the conditions in the host State.",
    ),
    Step(
        "parties",
        "Parties",
        ("parties", "host_state", "transit_states"),
        "Who takes part: States, international organizations, civil society and the private sector.",
    ),
    Step(
        "populations",
        "Migrant populations",
        ("populations",),
        "The groups of migrants the agreement must protect, by nationality.",
    ),
    Step(
        "services",
        "Services and funding",
        ("services_needed", "funding", "data"),
        "What is needed, how costs are to be met and whether personal data will flow.",
    ),
    Step("suggestions", "Suggestions", ()),
    Step("draft", "Draft", ()),
)
STEP_NAMES = tuple(s.name for s in STEPS)
FORM_STEPS = STEP_NAMES[:4]


def step(name: str) -> Step | None:
    return next((s for s in STEPS if s.name == name), None)


def next_step(name: str) -> str:
    return STEP_NAMES[min(STEP_NAMES.index(name) + 1, len(STEP_NAMES) - 1)]


CONTEXT_FIELDS = (
    Field("title", "Title of the agreement", required=True),
    Field(
        "agreement_types",
        "Agreement types the parties intend",
        "multi",
        AGREEMENT_TYPES,
        "The assistant may suggest more.",
    ),
    Field(
        "routine_cooperation",
        "The parties also cooperate outside any crisis (routine consular work)",
        "tri",
        hint="yes: a standing arrangement, at all times; no: only in a crisis",
    ),
    Field("crisis.kind", "Kind of crisis", "select", values(CrisisKind), required=True),
    Field("crisis.hazard", "Hazard", "select", values(Hazard)),
    Field("crisis.phase", "Phase", "select", values(Phase), required=True),
    Field("crisis.recurring", "Does the crisis recur (e.g. a flood season)?", "tri"),
    Field("host_conditions.movement_restrictions", "Migrants may not leave a province or employer", "tri"),
    Field("host_conditions.exit_penalties", "Exit visas, overstay fines or sponsor permission to leave", "tri"),
    Field("host_conditions.shelters_open_to_all", "Public shelters admit migrants whatever their status", "tri"),
    Field(
        "host_conditions.objects_to_third_state_consular_acts",
        "Host State objects to consular acts for third States (VCCR Art. 8)",
        "tri",
    ),
    Field("host_conditions.routes.air", "Air routes", "select", values(RouteStatus)),
    Field("host_conditions.routes.sea", "Sea routes", "select", values(RouteStatus)),
    Field("host_conditions.routes.land", "Land routes", "select", values(RouteStatus)),
)
PARTY_FIELDS = (
    Field("id", "Short id", hint="lower-case letters, digits and _, e.g. iom", required=True),
    Field("name", "Name", required=True),
    Field("kind", "Kind", "select", values(PartyKind), required=True),
    Field("crisis_roles", "Role in the crisis", "multi", values(CrisisRole)),
    Field("mandates", "Mandates", "multi", MANDATES),
    Field("capacities.consular_presence", "Consular presence in the host State", "select", values(ConsularPresence)),
    Field("capacities.transport", "Transport", "multi", values(Transport)),
    Field("capacities.identity_verification", "Identity verification", "check"),
    Field("capacities.travel_documents", "Emergency travel documents", "check"),
    Field("capacities.shelter", "Shelter", "check"),
    Field("capacities.food", "Food", "check"),
    Field("capacities.health_care", "Health care", "check"),
    Field("capacities.deployable_experts", "Deployable experts", "check"),
    Field("capacities.monitoring_assets", "Monitoring and communication assets", "check"),
    Field("capacities.reception", "Reception at a transit point", "check"),
    Field("capacities.bridging_fund", "Bridging fund (can advance money)", "check"),
    Field("capacities.hotline_languages", "Hotline languages", "csv", hint="comma-separated, e.g. en, fr, ar"),
    Field("capacities.funding_lead_days", "Days before it can disburse funds", "int"),
    Field("constraints.privileges_and_immunities", "Enjoys privileges and immunities", "tri"),
    Field("constraints.neutrality_required", "Must remain neutral", "tri"),
    Field("constraints.can_sign_binding", "May sign a legally binding instrument", "tri"),
    Field(
        "posts",
        "Consular posts at which it acts for the other parties",
        "posts",
        hint="one post a line: city, country (e.g. Suva, Fiji)",
    ),
)
POPULATION_FIELDS = (
    Field("nationality", "Nationality", "select", required=True),
    Field("count", "Number of people", "int", required=True),
    Field("irregular_share", "Share in irregular status", "float", hint="between 0 and 1, e.g. 0.3"),
    Field("sectors", "Sectors", "multi", values(Sector)),
    Field("recruited_through_agencies", "Recruited through agencies", "tri"),
    *(Field(f"vulnerabilities.{v}", v.replace("_", " ").capitalize(), "int") for v in VULNERABILITIES),
)
SERVICE_FIELDS = (
    Field("services_needed", "Services needed", "multi", SERVICES),
    Field("funding.share_costs", "The parties intend to share costs", "tri"),
    Field("funding.estimated_cost", "Estimated cost", "float"),
    Field("funding.currency", "Currency (ISO 4217)", hint="e.g. USD, EUR"),
    Field("funding.cofinancing.available", "Third-party co-financing is available", "tri"),
    Field(
        "funding.cofinancing.provider",
        "Who provides the co-financing",
        hint="a party id, or the name of a mechanism that is not a Party (e.g. EU Civil Protection Mechanism); "
        "empty: a regional body, donor or development-bank Party",
    ),
    Field("funding.cofinancing.max_rate", "Highest co-financing rate", "float", hint="e.g. 0.75"),
    Field("funding.cofinancing.base_rate", "Base co-financing rate", "float", hint="e.g. 0.5"),
    Field(
        "funding.cofinancing.seat_threshold",
        "Share of seats for others' nationals for the highest rate",
        "float",
        hint="e.g. 0.3",
    ),
    Field(
        "funding.cofinancing.eligible_cost",
        "Costs the co-financing may meet (transport), if estimated",
        "float",
        hint="part of the estimated cost, same currency; Annex B then shows each share net of co-financing",
    ),
    Field("funding.donor_appeal_possible", "A donor appeal is possible", "tri"),
    Field("funding.employer_liability_law", "Origin-State law makes employers or recruiters pay repatriation", "tri"),
    Field("funding.evacuee_repayment_considered", "Repayment by evacuees is being considered", "tri"),
    Field("funding.existing_instruments", "Existing instruments", "multi", values(Instrument)),
    Field("data.personal_data_shared", "Personal data will be shared among parties", "tri"),
    Field("data.cross_border_transfer", "Personal data will cross borders", "tri"),
    Field("data.shared_with_origin_states", "Personal data will be shared with States of origin", "tri"),
)
ROWS = {"parties": PARTY_FIELDS, "populations": POPULATION_FIELDS}
FLAT = {"context": CONTEXT_FIELDS, "services": SERVICE_FIELDS}


# ---------------------------------------------------------------- paths


def get_path(data: Any, path: str) -> Any:
    """Read ``a.b[2].c`` from nested dicts and lists; None when absent."""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            i = int(part[1:-1])
            data = data[i] if isinstance(data, list) and i < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Write a dotted path into nested dicts, creating them as needed."""
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _number(text: str, kind: str) -> Any:
    """A typed number as a number; kept as typed (so the contract reports it next to the field) when it is not
    one, is not finite (``inf``, ``nan``, ``1e400``) or is too long to be a sensible number. Numbers out of the
    contract's range stay numbers: the contract says which range."""
    if len(text) > 40:
        return text
    try:
        value = int(text) if kind == "int" else float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def read_field(form: MultiDict, name: str, f: Field) -> Any:
    """The value of one field as contract data, or None when it says nothing."""
    if f.kind == "multi":
        return [v for v in form.getlist(name) if v] or None
    raw = (form.get(name) or "").strip()
    if f.kind == "check":
        return True if raw else None
    if f.kind == "tri":
        return {"yes": True, "no": False}.get(raw)
    if f.kind == "csv":
        return [x.strip() for x in raw.split(",") if x.strip()] or None
    if f.kind == "posts":
        return read_posts(raw)
    if not raw:
        return None
    return _number(raw, f.kind) if f.kind in ("int", "float") else raw


def read_posts(raw: str) -> list[dict[str, str]] | None:
    """Consular posts typed one a line, "city, country" (the first comma separates them, so "Seoul, Korea, Republic
    of" keeps its country). A line without a comma keeps its city and no country, so the contract says what is
    missing next to the field instead of the line being lost."""
    posts = []
    for line in raw.splitlines():
        city, comma, country = line.partition(",")
        if line.strip():
            posts.append({"city": city.strip(), "country": country.strip()} if comma else {"city": line.strip()})
    return posts or None


def posts_text(value: Any) -> str:
    """Consular posts as the field shows them, one a line; what is not a post is shown as it is."""
    if not isinstance(value, list):
        return "" if value is None else str(value)
    lines = []
    for post in value:
        if isinstance(post, dict):
            lines.append(", ".join(str(post[k]) for k in ("city", "country") if post.get(k) not in (None, "")))
        else:
            lines.append(str(post))
    return "\n".join(lines)


def _read(form: MultiDict, prefix: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        value = read_field(form, prefix + f.path, f)
        if value is not None:
            set_path(out, f.path, value)
    return out


def row_indices(form: MultiDict, rows: str) -> list[int]:
    """Indices of the rows present in a submitted form, in order."""
    found = {int(m[1]) for key in form for m in [re.match(rf"^{rows}\[(\d+)\]\.", key)] if m}
    return sorted(found)


def read_step(form: MultiDict, name: str) -> dict[str, Any]:
    """The scenario keys a step owns, read from its submitted form."""
    if name in FLAT:
        return _read(form, "", FLAT[name])
    rows = "parties" if name == "parties" else "populations"
    out: dict[str, Any] = {rows: [_read(form, f"{rows}[{i}].", ROWS[rows]) for i in row_indices(form, rows)]}
    if name == "parties":
        for i, party in zip(row_indices(form, rows), out["parties"], strict=True):
            signatory = read_signatory(form, i)
            if signatory is not None:
                party["signatory"] = signatory
        out |= _host_and_transit(form, out["parties"], row_indices(form, rows))
    return out


# ---------------------------------------------------------------- signing (README, "Bodies that take part without
# signing"). Each party row has a "Signs the instrument" box, shown checked when the party signs, with two hidden
# fields: ``_signs_shown`` (how the box was shown) and ``_signatory_given`` (what the scenario said: true, false or
# nothing), so that a box left as shown keeps what the scenario said, unset included.


def read_signatory(form: MultiDict, index: int) -> bool | None:
    """A party row's ``signatory``: when the negotiator changed the box, what it says now (unchecked: false,
    checked: true); when not, what the scenario said (unset stays unset, so the assistant keeps reading a name
    that reads as a group, or the State people flee, as taking part without signing). A form without the box
    says nothing (unset)."""
    prefix = f"parties[{index}]."
    shown = form.get(prefix + "_signs_shown")
    if shown not in ("yes", "no"):
        return None
    checked = bool(form.get(prefix + "signatory"))
    if checked != (shown == "yes"):
        return checked
    return {"true": True, "false": False}.get(form.get(prefix + "_signatory_given", ""))


def signatory_given(row: Any) -> str:
    """What the scenario says of a party row's ``signatory``, as the hidden field carries it."""
    value = row.get("signatory") if isinstance(row, dict) else None
    return {True: "true", False: "false"}.get(value, "") if isinstance(value, bool) else ""


def signs_shown(row: Any, advice: Advice | None) -> bool:
    """Whether a party row's "Signs the instrument" box is shown checked: what the scenario says, else whether the
    party signs as the advice reads it (checked for a new row), else (no advice yet) whether its name names one
    body."""
    row = row if isinstance(row, dict) else {}
    if isinstance(row.get("signatory"), bool):
        return bool(row["signatory"])
    if advice is not None:
        return not_signing_reason(row, advice) is None
    return reads_as_group(str(row.get("name") or "")) is None


def not_signing_reason(row: Any, advice: Advice | None) -> str | None:
    """Why the advice reads a party row as taking part without signing, or None."""
    if advice is None or not isinstance(row, dict):
        return None
    return next((n.reason for n in advice.non_signatories if n.party == row.get("id")), None)


def row_warning(row: Any) -> str | None:
    """The warning shown next to a party row (a name that reads as a group or a placeholder), or None."""
    if not isinstance(row, dict) or not isinstance(row.get("name"), str):
        return None
    signatory = row.get("signatory")
    constraints = row.get("constraints") if isinstance(row.get("constraints"), dict) else {}
    binding = constraints.get("can_sign_binding")
    kind = row.get("kind") if isinstance(row.get("kind"), str) else None
    return party_warning(
        row["name"],
        signatory if isinstance(signatory, bool) else None,
        kind,
        binding if isinstance(binding, bool) else None,
    )


def _host_and_transit(form: MultiDict, parties: list[dict], indices: list[int]) -> dict[str, Any]:
    """Each party row marks the host State (one radio) and transit States (a box each)."""
    out: dict[str, Any] = {}
    ids = {i: p.get("id") for i, p in zip(indices, parties, strict=True)}
    host = form.get("host_row", "")
    if host.isdigit() and ids.get(int(host)):
        out["host_state"] = ids[int(host)]
    transit = [ids[i] for i in indices if form.get(f"parties[{i}]._transit") and ids.get(i)]
    if transit:
        out["transit_states"] = transit
    return out


def merge_step(scenario: dict[str, Any], name: str, values_: dict[str, Any]) -> dict[str, Any]:
    """Replace the keys the step owns with what was submitted."""
    s = step(name)
    owned = s.owns if s else ()
    if name == "context":  # keys the contract does not know belong to no step: saving the first one drops them
        owned = owned + tuple(k for k in scenario if k not in Scenario.model_fields)
    merged = {k: v for k, v in scenario.items() if k not in owned}
    merged.update({k: v for k, v in values_.items() if v not in (None, [], {}) or k in ("parties", "populations")})
    return merged


def apply_row_op(data: dict[str, Any], op: str) -> bool:
    """Add or remove a party or population row (``add_party``, ``remove_population:2``); True if done."""
    kind, _, index = op.partition(":")
    rows = {
        "add_party": "parties",
        "remove_party": "parties",
        "add_population": "populations",
        "remove_population": "populations",
    }.get(kind)
    if rows is None:
        return False
    items = data.setdefault(rows, [])
    if kind.startswith("add"):
        items.append({})
    elif index.isdigit() and int(index) < len(items):
        items.pop(int(index))
    return True


# ---------------------------------------------------------------- problems


def field_names(name: str, data: dict[str, Any]) -> list[str]:
    """Every field name the step shows for this data."""
    if name in FLAT:
        return [f.path for f in FLAT[name]]
    rows = "parties" if name == "parties" else "populations"
    names = [f"{rows}[{i}].{f.path}" for i in range(len(data.get(rows) or [])) for f in ROWS[rows]]
    return names + (["host_state", "transit_states"] if name == "parties" else [])


FRIENDLIER = {
    ("host_state", "is required"): "mark one party as the host State (where the migrants are)",
    ("parties", "is required"): "add the parties, at least two",
}


def step_problems(
    name: str, problems: list[Problem], data: dict[str, Any], *, missing: bool = True
) -> tuple[dict[str, list[str]], list[str]]:
    """Split a step's problems into those next to a field and those for the step as a whole.

    With ``missing=False`` (a step shown, not submitted) what is merely not filled in yet is left out.
    """
    s = step(name)
    owned = s.owns if s else ()
    if name == "context":
        owned = owned + tuple(k for k in data if k not in Scenario.model_fields)
    fields = set(field_names(name, data))
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for p in problems:
        top = re.split(r"[.\[]", p.path, maxsplit=1)[0]
        if top not in owned or (not missing and p.message == "is required"):
            continue
        target = p.path if p.path in fields else re.sub(r"\[\d+\]$", "", p.path)
        message = FRIENDLIER.get((p.path, p.message), p.message)
        if target not in fields and (m := re.match(r"^(parties\[\d+\]\.posts)\[(\d+)\](?:\.(\w+))?$", p.path)):
            # a post is a line of its field: "line 2, country: is required"
            target, line, key = m[1], int(m[2]) + 1, m[3]
            message = f"line {line}{f', {key}' if key else ''}: {message}"
        if target in fields:
            by_field.setdefault(target, []).append(message)
        elif p.message == "unknown key":
            general.append(f"{p.path}: unknown key (the contract does not know it; saving this step removes it)")
        else:
            general.append(str(p))
    return by_field, general


def errors_under(errors: dict[str, list[str]], prefix: str) -> bool:
    """True when a field under this prefix has a problem (to open its section)."""
    return any(name.startswith(prefix) for name in errors)


def nationality_choices(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Party ids (with names) and the non-party nationalities."""
    parties = [p for p in data.get("parties") or [] if isinstance(p, dict) and p.get("id")]
    return [(str(p["id"]), f"{p.get('name') or p['id']} ({p['id']})") for p in parties] + [
        (n, n) for n in NON_PARTY_NATIONALITIES
    ]


def party_name(data: dict[str, Any], party_id: str | None) -> str:
    """The name of a party in scenario data, or the id (nationalities that are not parties)."""
    for p in data.get("parties") or []:
        if isinstance(p, dict) and p.get("id") == party_id:
            return str(p.get("name") or party_id)
    return str(party_id or "").replace("_", " ")


def owner_step(path: str) -> str:
    """The step whose form edits a problem's path (keys the contract does not know: the first step)."""
    top = re.split(r"[.\[]", path, maxsplit=1)[0]
    return next((s.name for s in STEPS if top in s.owns), "context")
