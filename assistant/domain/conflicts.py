"""Conflicts found by looking at the whole advice after the rules: roles given to a party that is not
known to have the capacity, and cost shares that do not add up to the whole."""

from __future__ import annotations

from collections.abc import Callable

from .advice import Advice, ConflictAdvice
from .clauses import ClauseLibrary
from .scenario import Party, Scenario
from .vocab import label

Capable = Callable[[Party, Scenario], bool]


def _caps(p: Party):
    return p.capacities


def _mandate(m: str) -> Capable:
    return lambda p, s: m in (p.mandates or [])


# What a party must be known to have to hold a role (domain notes §4). Roles missing here need no capacity.
CAPABLE: dict[str, tuple[str, Capable]] = {
    "transport_provider": ("transport", lambda p, s: bool(_caps(p) and _caps(p).transport)),
    "logistics_provider": (
        "shelter, food or reception",
        lambda p, s: bool(_caps(p) and (_caps(p).shelter or _caps(p).food or _caps(p).reception)),
    ),
    "identity_documents": (
        "identity verification or travel documents",
        lambda p, s: (
            bool(_caps(p) and (_caps(p).identity_verification or _caps(p).travel_documents))
            # the documentation route through an organization with a migration mandate (IOM)
            or (p.kind == "international_organization" and "migration" in (p.mandates or []))
        ),
    ),
    "information_focal_point": (
        "a hotline or outreach to migrants",
        lambda p, s: bool(_caps(p) and _caps(p).hotline_languages) or p.kind == "migrant_association",
    ),
    "health_provider": (
        "health care",
        lambda p, s: bool(_caps(p) and _caps(p).health_care) or "health" in (p.mandates or []),
    ),
    "bridging_funder": ("a bridging fund", lambda p, s: bool(_caps(p) and _caps(p).bridging_fund)),
    "deploying_partner": ("deployable experts", lambda p, s: bool(_caps(p) and _caps(p).deployable_experts)),
    "institutional_support": (
        "deployable experts or a delegation in the host State, as a regional body or international organization",
        lambda p, s: (
            p.kind in ("regional_body", "international_organization")
            and bool(_caps(p))
            and (bool(_caps(p).deployable_experts) or _caps(p).consular_presence in ("embassy", "consulate"))
        ),
    ),
    "protection_referral": ("a refugee-protection mandate", _mandate("refugee_protection")),
    "counter_trafficking_referral": ("a counter-trafficking mandate", _mandate("counter_trafficking")),
    "child_protection": ("a child-protection mandate", _mandate("child_protection")),
    "family_tracing": ("a family-tracing mandate", _mandate("family_tracing")),
    "consular_focal_point": (
        "consular presence in the host State",
        lambda p, s: bool(_caps(p) and _caps(p).consular_presence not in (None, "none")),
    ),
    "representing_state": (
        "a consular post in the host State",
        lambda p, s: p.kind == "state" and bool(_caps(p)) and _caps(p).consular_presence in ("embassy", "consulate"),
    ),
    "transit_facilitator": ("the territory of a transit State", lambda p, s: p.id in (s.transit_states or [])),
    "host_liaison": ("the host State's authorities", lambda p, s: p.id == s.host_state),
    "liable_private_party": (
        "being an employer or recruiter",
        lambda p, s: p.kind in ("employer", "recruiter", "employers_federation"),
    ),
}


def capacity_conflicts(scenario: Scenario, advice: Advice) -> list[ConflictAdvice]:
    """A role held by a party that nothing in the scenario says can do it."""
    out = []
    for r in advice.roles:
        need = CAPABLE.get(r.role)
        party = scenario.party(r.party)
        if need is None or party is None or need[1](party, scenario):
            continue
        who = "the negotiators gave it" if r.status == "reassigned" else "it is suggested"
        out.append(
            ConflictAdvice(
                id="role_without_capacity",
                message=f"{party.name} holds the role {label(r.role)} ({who}), but nothing in the scenario says it has "
                f"{need[0]}. Record its capacity or give the role to another party.",
                because=r.because,
            )
        )
    return out


def share_conflicts(advice: Advice) -> list[ConflictAdvice]:
    """Cost shares that do not add up to the whole."""
    shares = advice.cost_allocation.shares
    total = sum(s.share for s in shares)
    if not shares or abs(total - 1) <= 1e-6:
        return []
    because = [r for m in advice.cost_allocation.models for r in m.because]
    return [
        ConflictAdvice(
            id="shares_not_whole", message=f"The cost shares add up to {total:.2%}, not 100%.", because=because
        )
    ]


def binding_conflicts(advice: Advice, library: ClauseLibrary) -> list[ConflictAdvice]:
    """Texts that only fit a binding agreement, chosen for an instrument that will not bind."""
    chosen = [(c, clause.variant(c.variant)) for c in advice.clauses if (clause := library.get(c.id))]
    if not any(v.binding is False for _, v in chosen):
        return []
    binding = [(c, v) for c, v in chosen if v.binding is True]
    if not binding:
        return []
    names = ", ".join(f"{label(c.topic)} ({c.variant.replace('_', ' ')})" for c, _ in binding)
    return [
        ConflictAdvice(
            id="binding_text_in_memorandum",
            message=f"The instrument will be a non-binding memorandum, but these texts only fit a binding agreement: "
            f"{names}. Choose another variant or make the instrument binding.",
            because=list(dict.fromkeys(r for c, _ in binding for r in c.because)),
        )
    ]


def computed_conflicts(scenario: Scenario, advice: Advice, library: ClauseLibrary) -> list[ConflictAdvice]:
    return capacity_conflicts(scenario, advice) + share_conflicts(advice) + binding_conflicts(advice, library)
