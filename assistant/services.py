"""Services: the only place that joins the database and the domain core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, select

from .domain.advice import Advice
from .domain.evaluate import default_library, default_rule_base, evaluate
from .domain.facts import Choice
from .domain.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from .models import ChoiceRecord, DraftVersion, Negotiation, now


def list_negotiations(*, session: Session) -> list[Negotiation]:
    """All negotiations, most recently changed first."""
    return list(session.exec(select(Negotiation).order_by(Negotiation.updated_at.desc(), Negotiation.id.desc())))


def get_negotiation(*, session: Session, negotiation_id: int) -> Negotiation | None:
    return session.get(Negotiation, negotiation_id)


def create_negotiation(
    *, session: Session, title: str, scenario: dict[str, Any] | None = None, example: str | None = None
) -> Negotiation:
    """Start a negotiation, blank (just a title) or from a scenario."""
    data = dict(scenario or {})
    data.setdefault("title", title)
    negotiation = Negotiation(title=data["title"], scenario=data, example=example)
    session.add(negotiation)
    session.commit()
    return negotiation


def save_scenario(*, session: Session, negotiation: Negotiation, data: dict[str, Any]) -> None:
    """Store the scenario as entered (valid or not: nothing the negotiator typed is lost)."""
    negotiation.scenario = data
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        negotiation.title = title.strip()[:300]
    negotiation.updated_at = now()
    session.add(negotiation)
    session.commit()


def delete_negotiation(*, session: Session, negotiation: Negotiation) -> None:
    session.exec(delete(ChoiceRecord).where(ChoiceRecord.negotiation_id == negotiation.id))
    session.exec(delete(DraftVersion).where(DraftVersion.negotiation_id == negotiation.id))
    session.delete(negotiation)
    session.commit()


def choices_of(*, session: Session, negotiation: Negotiation) -> list[Choice]:
    rows = session.exec(
        select(ChoiceRecord).where(ChoiceRecord.negotiation_id == negotiation.id).order_by(ChoiceRecord.id)
    )
    return [
        Choice(
            kind=r.kind,
            item=r.item,
            action=r.action,
            party=r.party or None,
            for_=r.for_party or None,
            new_party=r.new_party,
        )
        for r in rows
    ]


def record_choice(*, session: Session, negotiation: Negotiation, choice: Choice) -> None:
    """Record (or replace) the negotiator's decision on one suggestion; ``action='undo'`` clears it."""
    session.exec(
        delete(ChoiceRecord).where(
            ChoiceRecord.negotiation_id == negotiation.id,
            ChoiceRecord.kind == choice.kind,
            ChoiceRecord.item == choice.item,
            ChoiceRecord.party == (choice.party or ""),
            ChoiceRecord.for_party == (choice.for_ or ""),
        )
    )
    if choice.action != "undo":
        session.add(
            ChoiceRecord(
                negotiation_id=negotiation.id,
                kind=choice.kind,
                item=choice.item,
                party=choice.party or "",
                for_party=choice.for_ or "",
                action=choice.action,
                new_party=choice.new_party,
            )
        )
    negotiation.updated_at = now()
    session.add(negotiation)
    session.commit()


def scenario_of(negotiation: Negotiation) -> Scenario:
    """The negotiation's scenario, validated; raises ScenarioError with every problem."""
    return parse_scenario(negotiation.scenario)


def advise(*, session: Session, negotiation: Negotiation, rules_dir: str, library_dir: str) -> Advice:
    """Evaluate the negotiation's scenario with its choices (raises ScenarioError if incomplete)."""
    return evaluate(
        scenario_of(negotiation),
        choices_of(session=session, negotiation=negotiation),
        rule_base=default_rule_base(rules_dir),
        library=default_library(library_dir),
    )


def save_draft_version(*, session: Session, negotiation: Negotiation, advice: Advice) -> DraftVersion:
    """Freeze the current draft as the next numbered version."""
    last = session.exec(
        select(func.max(DraftVersion.number)).where(DraftVersion.negotiation_id == negotiation.id)
    ).one()
    version = DraftVersion(
        negotiation_id=negotiation.id,
        number=(last or 0) + 1,
        scenario=dict(negotiation.scenario),
        choices=[c.model_dump() for c in choices_of(session=session, negotiation=negotiation)],
        advice=advice.to_contract(),
    )
    session.add(version)
    session.commit()
    return version


def draft_versions(*, session: Session, negotiation: Negotiation) -> list[DraftVersion]:
    return list(
        session.exec(
            select(DraftVersion)
            .where(DraftVersion.negotiation_id == negotiation.id)
            .order_by(DraftVersion.number.desc())
        )
    )


def example_files(folder: str | Path) -> list[Path]:
    """The example scenarios shipped with the project."""
    return sorted(Path(folder).glob("*.yaml"))


def load_examples(*, session: Session, folder: str | Path) -> list[Negotiation]:
    """Open each example scenario as a ready negotiation, once (examples already loaded are skipped)."""
    created = []
    for path in example_files(folder):
        if session.exec(select(Negotiation).where(Negotiation.example == path.stem)).first():
            continue
        scenario = load_scenario(path)
        created.append(
            create_negotiation(session=session, title=scenario.title, scenario=scenario.to_dict(), example=path.stem)
        )
    return created


def start_from_example(*, session: Session, folder: str | Path, name: str) -> Negotiation:
    """A new negotiation copied from one example scenario."""
    path = next((p for p in example_files(folder) if p.stem == name), None)
    if path is None:
        raise ScenarioError([])
    scenario = load_scenario(path)
    return create_negotiation(session=session, title=scenario.title, scenario=scenario.to_dict())
