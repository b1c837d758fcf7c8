"""The answer sheet of an exercise: its categories, what a trainee chose, and reading a submitted form.

The sheet mirrors the suggestions: agreement types; who leads and who backs up; which parties hold the key
roles; cost models; risk flags; good practices. Submitted answers are checked against the vocabularies and the
scenario's parties (``parse_answers``): every recognised answer is kept, and each problem names its field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..scenario import Scenario
from ..vocab import AGREEMENT_TYPES, COST_MODELS, PRACTICES, RISK_FLAGS, label

# The roles a trainee assigns on the sheet besides lead and backup: those the rule base gives to particular
# parties because of what they can do. Left out: roles every party with a post holds for itself (consular
# focal point) or that the lead's holder takes by default (data controller, monitoring, information).
KEY_ROLES: tuple[str, ...] = (
    "representing_state",
    "host_liaison",
    "transit_facilitator",
    "transport_provider",
    "identity_documents",
    "protection_referral",
    "counter_trafficking_referral",
    "child_protection",
    "family_tracing",
    "funder",
    "bridging_funder",
    "deploying_partner",
    "liable_private_party",
)
LEADERSHIP_ROLES: tuple[str, ...] = ("lead", "backup_lead")

CategoryId = Literal["agreement_types", "leadership", "roles", "cost_models", "risk_flags", "practices"]


@dataclass(frozen=True)
class Category:
    id: CategoryId
    title: str
    weight: int
    question: str


CATEGORIES: tuple[Category, ...] = (
    Category("agreement_types", "Agreement types", 2, "Which kinds of agreement should the parties make?"),
    Category("leadership", "Lead and backup", 2, "Which party leads, and which one takes over if it cannot?"),
    Category("roles", "Key roles", 2, "Which parties hold the key roles?"),
    Category("cost_models", "Cost models", 1, "How should the costs be shared?"),
    Category("risk_flags", "Risk flags", 2, "Which risks must the agreement guard against?"),
    Category("practices", "Good practices", 1, "Which good practices apply?"),
)
CATEGORY = {c.id: c for c in CATEGORIES}
TOTAL_WEIGHT = sum(c.weight for c in CATEGORIES)
MAX_VALUES = 200  # values per field: more than any vocabulary, fewer than a flood


# ---------------------------------------------------------------- the answer sheet


class AnswerSheet(BaseModel):
    """What a trainee chose. Every value is a vocabulary id or a party id of the scenario."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    agreement_types: list[str] = []
    lead: str = ""
    backup_lead: str = ""
    roles: dict[str, list[str]] = {}  # role id -> party ids
    cost_models: list[str] = []
    risk_flags: list[str] = []
    practices: list[str] = []

    def holders(self, role: str) -> list[str]:
        return self.roles.get(role, [])

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: Any) -> AnswerSheet:
        """The sheet stored in the database; an unreadable one is an empty sheet, never an error."""
        try:
            return cls.model_validate(data if isinstance(data, dict) else {})
        except ValidationError:
            return cls()

    def is_empty(self) -> bool:
        return self == AnswerSheet()


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong in submitted answers: the form field and what to do."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def shown(value: str) -> str:
    """A value as a message quotes it, cut to 60 characters."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _pick(
    form: Mapping[str, Sequence[str]], field: str, allowed: Sequence[str], what: str, problems: list[AnswerProblem]
) -> list[str]:
    given = [v.strip() for v in list(form.get(field, ()))[:MAX_VALUES] if isinstance(v, str) and v.strip()]
    for value in given:
        if value not in allowed:
            problems.append(AnswerProblem(field, f"{shown(value)} is not {what}; choose from the list."))
    return [v for v in allowed if v in given]


def _party_problem(field: str, value: str, parties: Sequence[str]) -> AnswerProblem:
    return AnswerProblem(
        field, f"{shown(value)} is not a party of this scenario (the parties are {', '.join(parties)})."
    )


def parse_answers(form: Mapping[str, Sequence[str]], scenario: Scenario) -> tuple[AnswerSheet, list[AnswerProblem]]:
    """Read submitted answers (field name -> values, as a form sends them).

    Returns the sheet of every recognised answer, so nothing valid is lost, and the problems with the rest.
    Fields: ``agreement_types``, ``lead``, ``backup_lead``, ``role.<role>`` (party ids), ``cost_models``,
    ``risk_flags``, ``practices``; other fields are not answers and are ignored.
    """
    problems: list[AnswerProblem] = []
    parties = [p.id for p in scenario.parties]
    types = _pick(form, "agreement_types", AGREEMENT_TYPES, "an agreement type", problems)
    leaders: dict[str, str] = {}
    for role in LEADERSHIP_ROLES:
        given = [v.strip() for v in form.get(role, ()) if isinstance(v, str) and v.strip()]
        if len(set(given)) > 1:
            problems.append(AnswerProblem(role, f"Choose one party as {label(role)}, not {len(set(given))}."))
        value = given[0] if given else ""
        if value and value not in parties:
            problems.append(_party_problem(role, value, parties))
            value = ""
        leaders[role] = value
    if leaders["lead"] and leaders["lead"] == leaders["backup_lead"]:
        problems.append(
            AnswerProblem(
                "backup_lead",
                "The backup lead must be another party than the lead: it takes over if the lead cannot act.",
            )
        )
    roles: dict[str, list[str]] = {}
    for field in form:
        if not field.startswith("role."):
            continue
        role = field.removeprefix("role.")
        if role not in KEY_ROLES:
            problems.append(AnswerProblem("roles", f"{shown(role)} is not one of the roles of this exercise."))
            continue
        given = [v.strip() for v in list(form.get(field, ()))[:MAX_VALUES] if isinstance(v, str) and v.strip()]
        problems += [_party_problem(field, v, parties) for v in dict.fromkeys(given) if v not in parties]
        chosen = [p for p in parties if p in given]
        if chosen:
            roles[role] = chosen
    sheet = AnswerSheet(
        agreement_types=types,
        lead=leaders["lead"],
        backup_lead=leaders["backup_lead"],
        roles={r: roles[r] for r in KEY_ROLES if r in roles},
        cost_models=_pick(form, "cost_models", COST_MODELS, "a cost model", problems),
        risk_flags=_pick(form, "risk_flags", RISK_FLAGS, "a risk flag", problems),
        practices=_pick(form, "practices", PRACTICES, "a good practice", problems),
    )
    return sheet, problems


def sheet_as_form(sheet: AnswerSheet) -> dict[str, list[str]]:
    """The sheet as form fields, the inverse of ``parse_answers``."""
    form = {
        "agreement_types": list(sheet.agreement_types),
        "lead": [sheet.lead] if sheet.lead else [],
        "backup_lead": [sheet.backup_lead] if sheet.backup_lead else [],
        "cost_models": list(sheet.cost_models),
        "risk_flags": list(sheet.risk_flags),
        "practices": list(sheet.practices),
    }
    form |= {f"role.{role}": list(parties) for role, parties in sheet.roles.items()}
    return form
