"""Training: the scenario library (browse, filter) and one scenario's page, the one a trainer prepares from.

The helpers here (the advice under the app's rule base, the facts in words, the reasons of a suggestion) are
shared with the presentation and the handout (``present_views``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, render_template, request

from ...domain.advice import Advice, RoleAdvice, RuleFired
from ...domain.costs import SHARED_MODELS
from ...domain.evaluate import default_rule_base
from ...domain.rules import RuleBase
from ...domain.scenario import NON_PARTY_NATIONALITIES, Scenario
from ...domain.training import LEVELS, TrainingScenario
from ...domain.vocab import AGREEMENT_TYPES, PRACTICES, CrisisKind, Phase, label, values
from ...services.advice import advice_on
from ...web import render_page_or_partial
from .. import bp
from ..common import library, scenario_or_404

CRISIS_KINDS = values(CrisisKind)
PHASES = values(Phase)
WORD_LIMIT = 100

# ---------------------------------------------------------------- advice under the app's rule base


def rule_base() -> RuleBase:
    """The rule base the app is configured with (read once per process)."""
    return default_rule_base(current_app.config["RULES_DIR"])


def advice_of(item: TrainingScenario) -> Advice:
    """The advice on a training scenario under the app's rule base and clause library (from the advice cache)."""
    return advice_on(
        item.scenario.to_dict(),
        rules_dir=current_app.config["RULES_DIR"],
        library_dir=current_app.config["CLAUSE_LIBRARY_DIR"],
    )


def suggested_types(item: TrainingScenario) -> list[str]:
    """The agreement types the rule base suggests for the scenario (worked out once per request)."""
    known = g.setdefault("suggested_types", {})
    if item.slug not in known:
        known[item.slug] = [a.id for a in advice_of(item).agreement_types]
    return known[item.slug]


def rules_behind(advice: Advice, because: list[str]) -> list[RuleFired]:
    """The fired rules a suggestion rests on, in the order of its ``because``."""
    return [r for r in (advice.rule(rid) for rid in because) if r is not None]


# ---------------------------------------------------------------- the facts in words


def yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(label(str(v)) for v in value) or "none"
    if isinstance(value, int):
        return f"{value:,}"
    return label(str(value))


def cap(text: str) -> str:
    """The text with a capital first letter (labels are lower case to sit inside sentences)."""
    return text[:1].upper() + text[1:]


def percent(value: float) -> str:
    return f"{value * 100:.0f} %"


CAPACITY_WORDS = {
    "consular_presence": "consular presence",
    "transport": "transport",
    "identity_verification": "can verify identity",
    "travel_documents": "can issue travel documents",
    "shelter": "shelter",
    "food": "food",
    "health_care": "health care",
    "hotline_languages": "hotline languages",
    "deployable_experts": "experts ready to deploy",
    "monitoring_assets": "monitoring assets",
    "reception": "reception",
    "bridging_fund": "bridging fund",
    "funding_lead_days": "days before its money is available",
}
CONSTRAINT_WORDS = {
    "privileges_and_immunities": "privileges and immunities",
    "neutrality_required": "must stay neutral",
    "can_sign_binding": "can sign a binding agreement",
}
HOST_WORDS = {
    "movement_restrictions": "movement restrictions",
    "exit_penalties": "penalties on leaving (exit visas, fines)",
    "shelters_open_to_all": "shelters open to everyone, whatever their status",
    "objects_to_third_state_consular_acts": "objects to consular acts of third States",
}
DATA_WORDS = {
    "personal_data_shared": "personal data shared between the parties",
    "cross_border_transfer": "personal data sent across borders",
    "shared_with_origin_states": "personal data shared with States of origin",
}
FUNDING_WORDS = {
    "share_costs": "the parties share costs",
    "donor_appeal_possible": "a donor appeal is possible",
    "employer_liability_law": "a law makes employers and recruiters liable",
    "evacuee_repayment_considered": "repayment by evacuees is considered",
}


def _known(model: Any, words: dict[str, str]) -> list[str]:
    """``words: value`` for each field of a model that is known (None means unknown and is left out)."""
    if model is None:
        return []
    return [f"{text}: {yes_no(getattr(model, f))}" for f, text in words.items() if getattr(model, f) is not None]


def party_name(scenario: Scenario, party_id: str | None) -> str:
    """A party's name, or the nationality in words for groups without a State among the parties."""
    if not party_id:
        return ""
    party = scenario.party(party_id)
    if party is not None:
        return party.name
    return "stateless persons" if party_id == "stateless" else label(party_id)


@dataclass(frozen=True)
class PartyFacts:
    name: str
    kind: str
    crisis_roles: list[str]
    mandates: list[str]
    capacities: list[str]
    constraints: list[str]


@dataclass(frozen=True)
class GroupFacts:
    nationality: str
    count: int
    details: list[str]
    vulnerabilities: list[str]


@dataclass(frozen=True)
class Facts:
    context: list[tuple[str, str]]
    parties: list[PartyFacts]
    populations: list[GroupFacts]
    services: list[str]
    funding: list[str]
    host_conditions: list[str]
    data: list[str]

    @property
    def people(self) -> int:
        return sum(g.count for g in self.populations)


def facts_of(scenario: Scenario) -> Facts:
    """The scenario's facts in words, in the order a trainer reads them out."""
    crisis = scenario.crisis
    context = [("Crisis", label(crisis.kind) + (f" ({label(crisis.hazard)})" if crisis.hazard else ""))]
    context.append(("Phase", label(crisis.phase)))
    if crisis.recurring is not None:
        context.append(("Recurring", yes_no(crisis.recurring)))
    context.append(("Host State", party_name(scenario, scenario.host_state)))
    if scenario.transit_states:
        context.append(("Transit States", ", ".join(party_name(scenario, t) for t in scenario.transit_states)))
    if scenario.agreement_types:
        context.append(("The parties intend", ", ".join(label(a) for a in scenario.agreement_types)))
    parties = [
        PartyFacts(
            name=p.name,
            kind=label(p.kind),
            crisis_roles=[label(r) for r in p.crisis_roles or []],
            mandates=[label(m) for m in p.mandates or []],
            capacities=_known(p.capacities, CAPACITY_WORDS),
            constraints=_known(p.constraints, CONSTRAINT_WORDS),
        )
        for p in scenario.parties
    ]
    groups = []
    for pop in scenario.populations or []:
        details = []
        if pop.irregular_share is not None:
            details.append(f"in irregular status: {percent(pop.irregular_share)}")
        if pop.sectors:
            details.append("sectors: " + ", ".join(label(s) for s in pop.sectors))
        if pop.recruited_through_agencies is not None:
            details.append(f"recruited through agencies: {yes_no(pop.recruited_through_agencies)}")
        vulns = [f"{label(v)}: {n:,}" for v, n in (pop.vulnerabilities or {}).items()]
        nationality = party_name(scenario, pop.nationality)
        if pop.nationality not in NON_PARTY_NATIONALITIES:
            nationality = f"nationals of {nationality}"
        groups.append(GroupFacts(nationality=nationality, count=pop.count, details=details, vulnerabilities=vulns))
    funding = _known(scenario.funding, FUNDING_WORDS)
    if scenario.funding is not None:
        f = scenario.funding
        if f.estimated_cost is not None:
            funding.append(f"estimated cost: {f.estimated_cost:,.0f} {f.currency or 'USD'}")
        elif f.currency:
            funding.append(f"currency: {f.currency}")
        cof = f.cofinancing
        if cof is not None:
            if cof.available is not None:
                funding.append(f"co-financing available: {yes_no(cof.available)}")
            for field, text in (
                ("base_rate", "base rate"),
                ("max_rate", "highest rate"),
                ("seat_threshold", "seat threshold"),
            ):
                if getattr(cof, field) is not None:
                    funding.append(f"co-financing {text}: {percent(getattr(cof, field))}")
            if cof.eligible_cost is not None:
                funding.append(f"costs eligible for co-financing: {cof.eligible_cost:,.0f} {f.currency or 'USD'}")
        if f.existing_instruments:
            funding.append("existing instruments: " + ", ".join(label(i) for i in f.existing_instruments))
    host = _known(scenario.host_conditions, HOST_WORDS)
    routes = scenario.host_conditions.routes if scenario.host_conditions else None
    if routes is not None:
        known = [f"{mode} {getattr(routes, mode)}" for mode in ("air", "sea", "land") if getattr(routes, mode)]
        if known:
            host.append("routes: " + ", ".join(known))
    return Facts(
        context=context,
        parties=parties,
        populations=groups,
        services=[label(s) for s in scenario.services_needed or []],
        funding=funding,
        host_conditions=host,
        data=_known(scenario.data, DATA_WORDS),
    )


# ---------------------------------------------------------------- the library


FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    # query parameter: (what it is called, the values it may take)
    "type": ("agreement type", AGREEMENT_TYPES),
    "kind": ("crisis kind", CRISIS_KINDS),
    "phase": ("phase", PHASES),
    "practice": ("practice", PRACTICES),
    "level": ("level", LEVELS),
}


def _text(item: TrainingScenario) -> str:
    """The words a scenario is found by."""
    parts = [item.title, item.summary, item.based_on, item.scenario.title, *item.learning_objectives]
    parts += item.discussion_questions + [p.name for p in item.scenario.parties]
    parts += [label(p) for p in item.practices] + [label(item.crisis_kind), label(item.phase)]
    return "\n".join(parts).lower()


def matches(item: TrainingScenario, chosen: dict[str, str], words: str) -> bool:
    """True if the scenario meets every chosen filter and contains the words."""
    return (
        (not chosen.get("type") or chosen["type"] in suggested_types(item))
        and (not chosen.get("kind") or item.crisis_kind == chosen["kind"])
        and (not chosen.get("phase") or item.phase == chosen["phase"])
        and (not chosen.get("practice") or chosen["practice"] in item.practices)
        and (not chosen.get("level") or item.level == chosen["level"])
        and (not words or words in _text(item))
    )


def _options(items: tuple[TrainingScenario, ...]) -> dict[str, list[tuple[str, int]]]:
    """For each filter, the values some scenario has, with how many scenarios have each."""
    have: dict[str, list[str]] = {
        "type": [t for item in items for t in suggested_types(item)],
        "kind": [item.crisis_kind for item in items],
        "phase": [item.phase for item in items],
        "practice": [p for item in items for p in item.practices],
        "level": [item.level for item in items],
    }
    return {key: [(v, have[key].count(v)) for v in allowed if v in have[key]] for key, (_, allowed) in FILTERS.items()}


@bp.get("/training/")
def index():
    """Every training scenario as a card, filterable by agreement type, crisis kind, phase, practice, level, word."""
    items = library()
    chosen: dict[str, str] = {}
    problems: list[str] = []
    for key, (name, allowed) in FILTERS.items():
        value = request.args.get(key, "").strip()
        if not value:
            continue
        if value in allowed:
            chosen[key] = value
        else:
            problems.append(f"There is no {name} called “{value[:60]}”; the list below is not filtered by {name}.")
    q = request.args.get("q", "").strip()[:WORD_LIMIT]
    shown = [item for item in items if matches(item, chosen, q.lower())]
    ctx = {
        "items": shown,
        "total": len(items),
        "chosen": chosen,
        "q": q,
        "problems": problems,
        "options": _options(items),
        "filters": FILTERS,
        "types_of": {item.slug: suggested_types(item) for item in shown},
        "filtered": bool(chosen or q),
        "cap": cap,
    }
    body = render_page_or_partial("training/index.html", "training/_partials/library_results.html", **ctx)
    return body, 400 if problems else 200


def suggestion_helpers(item: TrainingScenario, advice: Advice) -> dict[str, Any]:
    """What the templates showing suggestions need (the scenario page, the slides, the handout)."""
    scenario = item.scenario
    return {
        "cap": cap,
        "roles": grouped_roles(advice),
        "name": lambda pid: party_name(scenario, pid),
        "holder": lambda r: holder_text(scenario, r),
        "params": lambda m: params_in_words(scenario, m.params, advice.cost_allocation.currency),
        "shares_because": shares_because(advice),
        "rules_behind": lambda because: rules_behind(advice, because),
    }


@bp.get("/training/<slug>")
def show(slug: str):
    """One scenario, as a trainer prepares it: material, facts, suggestions with reasons and sources, questions."""
    item = scenario_or_404(slug)
    mode = request.args.get("suggestions", "shown")
    problem = None
    if mode not in ("shown", "hidden"):
        problem = f"“{mode[:60]}” is not a way to show the suggestions (use shown or hidden): they are hidden."
    advice = advice_of(item)
    body = render_template(
        "training/show.html",
        item=item,
        advice=advice,
        facts=facts_of(item.scenario),
        hidden=mode != "shown",
        **suggestion_helpers(item, advice),
        problem=problem,
    )
    return body, 400 if problem else 200


@dataclass(frozen=True)
class Holders:
    """The parties given a role for the same reasons."""

    roles: list[RoleAdvice]
    because: list[str]


@dataclass(frozen=True)
class RoleGroup:
    role: str
    holders: list[Holders]

    @property
    def because(self) -> list[str]:
        """Every rule behind the role, once, in order."""
        out: list[str] = []
        for h in self.holders:
            out += [r for r in h.because if r not in out]
        return out


def grouped_roles(advice: Advice) -> list[RoleGroup]:
    """The suggested roles grouped by role (the lead first, then its backup, then in the advice's order); within
    a role, the parties that hold it for the same reasons are put together."""
    groups: dict[str, dict[tuple[str, ...], list[RoleAdvice]]] = {}
    for r in advice.roles:
        groups.setdefault(r.role, {}).setdefault(tuple(r.because), []).append(r)
    first = {"lead": 0, "backup_lead": 1}
    ordered = sorted(groups.items(), key=lambda kv: first.get(kv[0], 2))
    return [RoleGroup(role, [Holders(rs, list(b)) for b, rs in clusters.items()]) for role, clusters in ordered]


def holder_text(scenario: Scenario, r: RoleAdvice) -> str:
    """``Republic of Gallia (for Republic of Baltava)``."""
    name = party_name(scenario, r.party)
    return f"{name} (for {party_name(scenario, r.for_)})" if r.for_ and r.for_ != r.party else name


PARAM_WORDS = {
    "claim_deadline_months": "claims within {} months",
    "payment_deadline_months": "payment within {} months",
    "parity": "same terms for every nationality: {}",
    "hardship_waiver": "waived for those who cannot pay: {}",
    "precondition_of_evacuation": "a condition of evacuation: {}",
}


def params_in_words(scenario: Scenario, params: dict[str, Any], currency: str) -> list[str]:
    """A cost model's parameters in words: rates in percent, parties by name, advances spelled out."""
    out = []
    for key, value in params.items():
        if key == "advances" and isinstance(value, list):
            for a in value:
                if not isinstance(a, dict):
                    continue
                amount = f" ({a['amount']:,.2f} {currency})" if isinstance(a.get("amount"), int | float) else ""
                share = f" {percent(a['share'])} of the costs" if isinstance(a.get("share"), int | float) else ""
                out.append(
                    f"{party_name(scenario, a.get('by'))} advances{share} for "
                    f"{party_name(scenario, a.get('for'))}{amount} and recovers it"
                )
        elif key in PARAM_WORDS:
            out.append(PARAM_WORDS[key].format(yes_no(value)))
        elif isinstance(value, float) and 0 <= value <= 1:
            out.append(f"{key.replace('_', ' ')}: {percent(value)}")
        elif isinstance(value, str) and scenario.party(value) is not None:
            out.append(f"{key.replace('_', ' ')}: {party_name(scenario, value)}")
        else:
            out.append(f"{key.replace('_', ' ')}: {yes_no(value) if not isinstance(value, dict) else value}")
    return out


def shares_because(advice: Advice) -> list[str]:
    """The rules behind the computed shares: those of the cost models the shares are computed from."""
    out: list[str] = []
    for m in advice.cost_allocation.models:
        if m.id in SHARED_MODELS or m.id == "net_of_cofinancing":
            out += [r for r in m.because if r not in out]
    return out
