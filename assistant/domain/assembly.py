"""Draft assembly: the selected clauses, rendered with params from the scenario and the advice,
in the order of an instrument, with annexes for roles and cost shares."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from .advice import Advice, Annex, Article, Draft
from .clauses import (
    Clause,
    ClauseLibrary,
    _and_list,
    _or_list,
    cite_applies,
    coerce_param,
    paragraph_labels,
    render_body,
    resolve_paragraphs,
    variant_title,
)
from .costs import (
    ADMINISTRATOR_HOLE,
    ADVANCE_CEILING_HOLE,
    ADVANCE_MARGIN,
    ADVANCER_HOLE,
    BACKSTOP_HOLE,
    BALANCE_REPAYMENT_DAYS,
    COFINANCER_HOLE,
    CONSULT_BACKSTOP,
    LATE_AFTER_DAYS,
    LIABLE_RECOVERY_DAYS,
    PROTECTED_COSTS_HOLE,
    PROTECTED_HOLE,
    advance_cap,
    advance_ceiling,
    advance_ceiling_share,
    advances,
    assisting_party_bears,
    backstop_candidates,
    bearer_is_origin,
    bears_whole_residual,
    billed_states,
    bills_nationality,
    bridged_advances,
    by_nationality_fits,
    carried_count,
    claim_deadline_months,
    cofinancing_terms,
    final_bearers,
    financing_banks,
    funded_providers,
    invited_funders,
    largest_remainder,
    last_resort,
    low_capacity_advances,
    low_capacity_ceiling,
    low_capacity_states,
    moves_people,
    origin_rest_bearer,
    payment_deadline_months,
    pledgers,
    protected_bearer,
    protected_count,
    recovering_funds,
    recovery_sources,
    repatriation_fund_payers,
    represents_members,
    residual_backstop,
    residual_rule,
    service_payers,
    signed,
    transport_payers,
    uncofinanced_services,
)
from .data_controllers import (
    ENFORCEMENT,
    annex_rows,
    controller_ids,
    controller_texts,
    coordinates_documents,
    data_sets,
    per_movement,
    refugee_agency_only,
)
from .facts import NON_STATE_PARTY_KINDS
from .forms import load_forms, render_form
from .names import (
    contested,
    family_links_member,
    in_text,
    language_name,
    legal_person_unknown,
    national_name,
    reads_plural,
    represented_by,
    split_organ,
    territorial,
    territorial_references,
    within_competence,
    without_note,
)
from .posts import listed_posts
from .scenario import Party, Scenario
from .services import service_parties, society_state
from .signing import (
    all_at_risk,
    binds,
    fund_administrator,
    non_signatories,
    signatories,
    signs,
    unconfirmed_capacity,
)
from .territory import (
    ALERT_SYSTEMS,
    TERRITORIAL_KINDS,
    Territory,
    alert_system,
    authority_kind,
    has_reception_points,
    host_nationals_leaving,
    host_receives,
    host_state_party,
    host_term,
    moves_someone,
    operation_states,
    receives_people,
    relocation_inside_only,
    state_of,
    territory,
    transit_states,
)
from .vocab import ROLES, SERVICES, label
from .wording import holds_only, non_binding, non_binding_for, term_holders

FRONT_TOPICS = ("parties", "preamble")
BACK_TOPICS = ("signatures",)
ORGANIZATION_KINDS = ("international_organization", "regional_body", "development_bank")
CIVIL_SOCIETY_KINDS = ("ngo", "national_society", "migrant_association")
PRIVATE_KINDS = ("employer", "recruiter", "employers_federation", "carrier")
# Bodies that take part to finance operations, never to conduct them.
FINANCING_KINDS = ("development_bank", "donor")
EMPLOYER_KINDS = ("employer", "recruiter", "employers_federation")
COST_MODEL_LABELS = {
    "own_costs": "each party bears its own costs",
    "nationality_reimburses": "reimbursement of actual costs by the State of nationality",
    "pro_rata_per_evacuee": "pro-rata shares per person assisted",
    "net_of_cofinancing": "shares net of co-financing",
    "advance_and_recover": "advance from a bridging fund, recovered later",
    "evacuee_repays": "repayment undertaking by the evacuee, with parity and hardship waiver",
    "employer_liability": "liability of employers and recruiters, advanced by a State fund",
    "pooled_fund": "a pooled fund administered by one Party and funded by an appeal to donors",
    "development_bank_financing": "development-bank financing",
    "mutual_aid_costs": "the cost rule of the mutual-aid arrangement",
    "capped_threshold": (
        "exceptionally high but essential costs reimbursable after consultation of the State of nationality"
    ),
}


def party_name(scenario: Scenario, party_id: str | None) -> str:
    """The display name of a party id, or the id itself for nationalities that are not parties."""
    party = scenario.party(party_id) if party_id else None
    return entity_name(party) if party else label(party_id or "")


def entity_name(party: Party) -> str:
    """The Party itself, without the organ acting for it: "Republic of Karst" for "Republic of Karst (Civil
    Protection Directorate)" (names.split_organ)."""
    return split_organ(party.name, party.kind).entity


def text_name(party: Party) -> str:
    """The Party as running text names it: "the Republic of Karst"."""
    return in_text(entity_name(party))


def draft_context(scenario: Scenario, advice: Advice) -> dict[str, Any]:
    """The values clause params may take (``from:``); absent keys are unknown."""
    s, names = scenario, (lambda kinds: [text_name(p) for p in scenario.parties if p.kind in kinds])
    holders = {role: [in_text(party_name(s, r.party)) for r in advice.holders(role)] for role in ROLES}
    ctx: dict[str, Any] = {
        "title": s.title,
        "crisis_kind": s.crisis.kind,
        "crisis_phase": s.crisis.phase,
        "hazard": s.crisis.hazard,
        "host_name": in_text(party_name(s, s.host_state)),
        "transit_names": [in_text(party_name(s, t)) for t in s.transit_states or []],
        # people cross a Transit State on the way elsewhere: never the State they come from or return to
        "transit_state_names": [in_text(party_name(s, t)) for t in transit_states(s)],
        "party_names": [text_name(p) for p in s.parties],
        "state_names": names(("state",)),
        # the organizations that sign (a body taking part without signing has no immunities to preserve here)
        "organization_names": [text_name(p) for p in signatories(s) if p.kind in ORGANIZATION_KINDS],
        # the bodies whose neutrality the Parties respect: those the scenario says must be neutral, and the National
        # Societies (the Fundamental Principles of the Movement); never a regional body or a bank by its kind alone
        "neutral_names": [
            text_name(p)
            for p in scenario.parties
            if (p.constraints and p.constraints.neutrality_required) or p.kind == "national_society"
        ],
        # a State that takes part in family tracing through a police desk: it receives missing-person reports, and the
        # firewall lets it have the family-links data for that purpose alone (a blind reading found the desk barred
        # from the data its tracing duties need)
        "tracing_police_texts": [
            f"{in_text(party_name(s, p.id))}, through its {organ}"
            for p in signatories(s)
            if "family_tracing" in (s.agreement_types or [])
            and p.kind in ("state", "local_authority")
            and (organ := split_organ(p.name, p.kind).organ)
            and ENFORCEMENT.search(organ)
        ],
        # the organizations the scenario says enjoy privileges and immunities: the clause names no other
        "privileged_organization_names": [
            text_name(p)
            for p in scenario.parties
            if p.kind in ORGANIZATION_KINDS and p.constraints and p.constraints.privileges_and_immunities
        ],
        "civil_society_names": names(CIVIL_SOCIETY_KINDS),
        "private_sector_names": names(PRIVATE_KINDS),
        "origin_names": [text_name(p) for p in s.parties if "origin" in (p.crisis_roles or [])],
        "nationality_names": list(dict.fromkeys(in_text(party_name(s, p.nationality)) for p in s.populations or [])),
        # States all of whose nationals covered seek protection from them: never asked to verify or document them
        "fled_nationality_names": [
            in_text(party_name(s, n))
            for n in dict.fromkeys(g.nationality for g in s.populations or [] if g.count)
            if n != "stateless" and s.party(n) is not None and all_at_risk(s, n)
        ],
        "unrepresented_names": [
            text_name(p) for p in s.parties if p.capacities and p.capacities.consular_presence == "none"
        ],
        "lead_name": (holders["lead"] or [None])[0],
        "backup_lead_name": (holders["backup_lead"] or [None])[0],
        "total_migrants": sum(p.count for p in s.populations or []) or None,
        "currency": advice.cost_allocation.currency,
        # Services read as themselves: the agreement-type labels (e.g. for identity_verification) would repeat.
        "service_labels": [x.replace("_", " ") for x in SERVICES if x in (s.services_needed or [])],
        # Languages given as ISO 639 codes read as their names ("si" -> Sinhala); words stay as given.
        "hotline_languages": sorted(
            {language_name(lang) for p in s.parties if p.capacities for lang in p.capacities.hotline_languages or []}
        ),
        "cost_model_labels": [COST_MODEL_LABELS.get(m.id, label(m.id)) for m in advice.cost_allocation.models],
        "workers_covered": workers_covered(s),
    }
    ctx |= {f"role_{role}": names_ for role, names_ in holders.items()}
    ctx["food_provider_names"] = food_providers(s, advice)
    ctx["shelter_provider_names"] = shelter_providers(s, advice)
    ctx |= {key: [in_text(party_name(s, p)) for p in ids] for key, ids in service_parties(s, advice).items()}
    ctx["operation_lead_texts"] = [
        f"{label(r.for_)} to {in_text(party_name(s, r.party))}" for r in advice.holders("operation_lead") if r.for_
    ]
    ctx |= territory_context(s, advice)
    ctx |= refugee_context(s, advice)
    ctx |= cost_context(s, advice)
    ctx["development_bank_name"] = (names(("development_bank",)) or [None])[0]
    ctx |= data_context(s, advice)
    ctx |= form_context(s, advice)
    ctx |= identity_context(s, advice)
    ctx |= posts_context(s)
    ctx["child_tracer_names"] = child_tracers(s, advice)
    ctx["backup_abroad_state_name"] = backup_abroad_state(s, advice)
    ctx |= self_reference_context(s, advice)
    ctx |= lead_context(s, advice)
    ctx |= nationals_scope_context(s, advice, ctx)
    ctx |= alert_context(s, advice, ctx)
    ctx |= liable_party_context(s, advice)
    ctx |= operative_core_context(s, advice)
    ctx |= signatory_state_context(s)
    funding = s.funding
    if funding:
        ctx["estimated_cost"] = funding.estimated_cost
        cof = funding.cofinancing
        if cof:
            ctx |= {
                "cofinancing_max_rate": cof.max_rate,
                "cofinancing_base_rate": cof.base_rate,
                "seat_threshold": cof.seat_threshold,
            }
    # Each name once in every list (a Party holding a role for two nationalities is one holder).
    ctx = {
        k: list(dict.fromkeys(v)) if isinstance(v, list) and all(isinstance(x, str) for x in v) else v
        for k, v in ctx.items()
    }
    return {k: v for k, v in ctx.items() if v is not None and v != []}


def lead_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """Who leads, for the lead paragraphs (roles, scope, activation): ``lead_is_host`` (the host State leads: it
    does not liaise with, or consult, itself), ``lead_at_border`` (a transit State or State at the border leads),
    and, when the instrument is a State's own scheme (the lead came from an own-scheme rule, docs/leadership.md),
    ``scheme_state_names`` (that State, then the other States Parties of nationality of the people concerned, each
    acting for its own nationals) and ``scheme_referral_names`` (the international organizations among the
    Parties, migration mandate first, to which Migrants of other nationalities are referred). A State of nationality
    that leads an instrument covering its own nationals only (a crew change or repatriation of its seafarers or
    workers) leads its own scheme too, whatever rule made it the lead."""
    from .evaluate import OWN_SCHEME_RULES  # evaluate imports this module lazily

    lead = next(iter(advice.holders("lead")), None)
    if lead is None:
        return {}
    party = s.party(lead.party)
    out: dict[str, Any] = {
        "lead_is_host": lead.party == s.host_state,
        "lead_at_border": lead.party != s.host_state
        and (lead.party in (s.transit_states or []) or "transit" in ((party.crisis_roles or []) if party else [])),
    }
    own_nationals_only = {g.nationality for g in s.populations or [] if g.count} == {lead.party}
    if any(r in OWN_SCHEME_RULES for r in lead.because) or (party and party.kind == "state" and own_nationals_only):
        nationalities = {g.nationality for g in s.populations or []}
        others = [
            p.id
            for p in s.parties
            if p.kind == "state" and p.id not in (lead.party, s.host_state) and p.id in nationalities
        ]
        ios = [p for p in s.parties if p.kind == "international_organization" and p.id != lead.party]
        ios.sort(key=lambda p: "migration" not in (p.mandates or []))
        out["scheme_state_names"] = [in_text(party_name(s, pid)) for pid in [lead.party, *others]]
        out["scheme_referral_names"] = [text_name(p) for p in ios]
    return out


# The purposes for which States arrange the consular protection, documents and departure of their own nationals.
CONSULAR_PURPOSES = frozenset(
    {"consular_host_liaison", "consular_representation", "identity_verification", "cost_sharing_framework"}
)


def nationals_scope_context(s: Scenario, advice: Advice, ctx: dict[str, Any]) -> dict[str, Any]:
    """An agreement the Parties set out to make for consular purposes only, whose Migrants are all nationals of
    States that sign, covers those nationals, not all Migrants: like a State's own scheme (lead_context),
    ``scheme_state_names`` (the Lead
    Party first if it is one of them, each acting for its own nationals) and ``scheme_referral_names`` (the
    international organizations among the Parties, migration mandate first, to which others are referred)."""
    from .signing import signs

    types = set(s.agreement_types or ())  # the purposes the Parties set out with, not those suggested to support them
    nationalities = list(dict.fromkeys(g.nationality for g in s.populations or []))
    if ctx.get("scheme_state_names") or not types or not types <= CONSULAR_PURPOSES or not nationalities:
        return {}
    if not all((p := s.party(n)) and p.kind == "state" and signs(s, n) for n in nationalities):
        return {}
    lead = next((r.party for r in advice.holders("lead")), None)
    nationalities.sort(key=lambda n: n != lead)
    ios = [p for p in s.parties if p.kind == "international_organization" and signs(s, p.id)]
    ios.sort(key=lambda p: "migration" not in (p.mandates or []))
    return {
        "scheme_state_names": [in_text(party_name(s, n)) for n in nationalities],
        "scheme_referral_names": [text_name(p) for p in ios],
    }


def alert_context(s: Scenario, advice: Advice, ctx: dict[str, Any]) -> dict[str, Any]:
    """Whether the draft has Alert Phases, for every clause that refers to them: only the activation article sets
    them up, in its own_alert_phases variant (a State's own scheme) or in its standard variant when the instrument
    moves people (the four phases end in evacuation). ``alert_phases`` says so; ``alert_state_names`` are the
    States whose own alert system it is (own_alert_phases only: the own-scheme States, else the States of origin),
    so that the definition names them instead of "the State of nationality"; ``alert_phase_names`` are the four
    phases the activation article drafts (territory.alert_system: arrivals at the border, Relocation inside the host
    State only, or evacuation), so that the definition names the same phases."""
    variant = next((c.variant for c in advice.clauses if c.id == "activation"), None)
    own = variant == "own_alert_phases"
    out: dict[str, Any] = {"alert_phases": own or (variant == "standard" and bool(ctx.get("moves_people")))}
    if own:
        out["alert_state_names"] = ctx.get("scheme_state_names") or ctx.get("origin_names") or []
    # the phases the activation article drafts: a State's own scheme uses its evacuation phases
    at_border = bool(ctx.get("at_border") and ctx.get("arrival_names"))
    system = "evacuation" if own else alert_system(at_border, bool(ctx.get("relocation_inside_only")))
    out["alert_phase_names"] = list(ALERT_SYSTEMS[system])
    return out


def _origin_only_movers(s: Scenario, advice: Advice) -> list[str]:
    """The transport providers, in words, where every one of them is a State of nationality of people covered."""
    movers = list(dict.fromkeys(r.party for r in advice.holders("transport_provider")))
    nationalities = {g.nationality for g in s.populations or []}
    if not movers or not all(m in nationalities and s.party(m) and s.party(m).kind == "state" for m in movers):
        return []
    return [text_name(s.party(m)) for m in movers if s.party(m)]


def territory_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """Where the operations take place, for the clauses (territory.py has the derivation): whether people
    flee the host State (``host_fled``) and the operation is at the border (``at_border``), the States of
    arrival (``local_arrival_names``: those that are local authorities, which act within their competence), what the
    host is when not a State by name (``host_authority_kind``: territory.authority_kind), where
    relocation takes place, the States whose territory the agreement covers, and the holders of shelter and food
    duties split by territory (a State's duties are on its own territory)."""
    from .signing import signs

    where = territory(s)
    name = lambda pid: in_text(party_name(s, pid))  # noqa: E731
    covered = list(where.arrival) if where.at_border else [where.host, *where.arrival]
    logistics = [r.party for r in advice.holders("logistics_provider")]
    arrival = set(where.arrival)
    feared = feared_states(s)
    return {
        "host_fled": where.host_fled,
        # the States that carry people out of the State they flee, other than a Transit State: each admits the
        # refugees it carries, or arranges their admission elsewhere, so no Transit State is left to carry them (a
        # blind reading found 22,000 evacuees who fear return left in the Transit State under an open-ended stay)
        "evacuating_state_names": [
            name(p.id)
            for p in signatories(s)
            if host_nationals_leaving(s)
            and p.kind == "state"
            and p.id not in (where.host, *(s.transit_states or []))
            and p.capacities
            and p.capacities.transport
            and binds(p)
        ],
        "at_border": where.at_border,
        "fled_name": name(where.host) if where.host_fled else None,
        "host_nationals_covered": any(g.nationality == where.host for g in s.populations or []),
        "host_nationals_leaving": host_nationals_leaving(s),
        "arrival_names": [name(a) for a in where.arrival],
        "local_arrival_names": [name(a) for a in where.arrival if (p := s.party(a)) and p.kind == "local_authority"],
        "host_authority_kind": authority_kind(s, where.host),
        # a local host is the "Host Authority"; "Host State" then means its State, requested unless it is a Party
        "host_term": host_term(s),
        "host_state_name": _national(s, where.host) if host_term(s) != "Host State" else None,
        "host_state_is_party": bool(host_state_party(s)),
        # exit, entry and stay are decided by States: a local authority's own State decides on its territory
        "decider_names": list(dict.fromkeys(_national(s, pid) for pid in [where.host, *where.arrival])),
        "relocation_names": [name(st) for st in where.states_of("relocation")],
        "territory_names": [name(st) for st in dict.fromkeys(covered)],
        # only a State that is a Party requests activation for operations on its territory (never the authority fled)
        "territory_party_names": [name(st) for st in dict.fromkeys(covered) if signs(s, st)],
        "operation_state_names": operation_state_names(s, where),
        # consular functions are exercised where the operation takes place (territory.operation_states)
        "operation_states_sign": all(signs(s, st) for st in operation_states(where)),
        # an authority that is no State by name is notified through the channels available, not diplomatic ones
        "operation_by_authority": any(authority_kind(s, st) == "authority" for st in operation_states(where)),
        "feared_state_names": [name(st) for st in feared],
        "feared_party_names": [name(st) for st in feared if signs(s, st)],
        "screening_state_names": [name(st) for st in dict.fromkeys(covered) if st not in feared],
        # a Party of a State of arrival works on that State's territory, not at the host's; so does its National
        # Society, which at the border works at the Assembly Points on that territory
        "assembly_logistics_names": [
            name(p)
            for p in logistics
            if p not in arrival and p != where.fled_state and (where.at_border or society_state(s, p) not in arrival)
        ],
        "transit_logistics_names": [name(p) for p in logistics if p in arrival],
        "host_receives": host_receives(s),
        # the States of arrival bound by the Agreement where people are received (firewall, consular access there)
        "reception_party_names": [name(st) for st in dict.fromkeys(where.states_of("reception")) if signs(s, st)],
        "moves_people": any(o.id in ("relocation", "evacuation", "onward_travel") for o in where.operations),
        # nobody is moved, returned or received: no departure to facilitate (a standby deployment of experts)
        "moves_nobody": not moves_someone(where),
        # the only Parties that operate the movements are States of nationality of the people covered (a State's own
        # scheme): none of them can carry a person who seeks protection from it (round 14, syria2012: "promised
        # evacuation elsewhere, but no Party carries it out")
        "origin_only_mover_names": _origin_only_movers(s, advice),
        # people are moved only inside the host State: relocation, no evacuation, onward travel or reception abroad
        "relocation_inside_only": relocation_inside_only(where),
        "reception_points": has_reception_points(s),
        "transport_leg_texts": transport_legs(s, advice, where),
        "transport_gap_modes": transport_gaps(s, advice),
        "onward_carrier_names": onward_carriers(s, advice),
        "transport_requestees": transport_requestees(s, where),
    }


def _national(s: Scenario, party_id: str) -> str:
    """The State whose competent authorities decide on exit, entry and stay on a party's territory: a State itself,
    a local authority's State (a State Party, territory.state_of, or the State its name gives, names.national_name)."""
    state = state_of(s, party_id)
    p = s.party(party_id)
    if state == party_id and p is not None:
        return national_name(p.name, p.kind) or in_text(party_name(s, party_id))
    return in_text(party_name(s, state))


def operation_state_names(s: Scenario, where: Territory) -> list[str]:
    """The States on whose territory the operations take place, whose agencies, National Society and civil
    society the articles engage: at the border the States of arrival (never the State people flee), else the
    host State."""
    return [in_text(party_name(s, st)) for st in operation_states(where)]


def feared_states(s: Scenario) -> list[str]:
    """The States from which people covered seek protection: each State Party whose nationals among the
    populations fear return, or include refugees or asylum-seekers, except the State in crisis whose nationals
    flee the crisis and are recorded as fearing no return: they seek protection from the conflict or disaster, not
    from their State. Such a State takes no part in adopting protection procedures and receives no location data
    on those people; any other is covered by "the State from which a person seeks protection"."""
    keys = lambda st: ("fear_of_return",) if st == s.host_state else ("refugees_or_asylum_seekers", "fear_of_return")  # noqa: E731
    return [
        p.id
        for p in s.parties
        if p.kind == "state"
        and any(
            pop.nationality == p.id and max((pop.vulnerabilities or {}).get(k, 0) for k in keys(p.id))
            for pop in s.populations or []
        )
    ]


# The legs a transport provider serves, read from the rule that gave it the role
# (role.transport_provider.<leg>[_<mode>], rules/roles.yaml), and how each mode reads.
_TRANSPORT_RULE = re.compile(r"role\.transport_provider\.(evacuation|onward_travel|relocation)(?:_(air|sea|land))?")
TRANSPORT_MODES = {"air": "by air", "sea": "by sea", "land": "by land convoys"}


def transport_legs(s: Scenario, advice: Advice, where: Territory) -> list[str]:
    """Transport tied to the leg each provider serves and the route it uses: "for Evacuation from <host>, by air by
    A, and by sea by B" (a mode whose route is uncertain "when the <mode> route is open"; in an epidemic a closed
    route carries repatriation movements the host authorizes notwithstanding the closure), "for onward travel from
    the territory of <State of arrival>, by C", "for Relocation within the territory of <host>, by D". A provider a
    negotiator placed without a rule's reason is named without a leg."""
    name = lambda pid: in_text(party_name(s, pid))  # noqa: E731
    routes = s.host_conditions.routes if s.host_conditions else None
    legs: dict[str, dict[str, list[str]]] = {}
    for r in advice.holders("transport_provider"):
        matched = [m for rule in r.because if (m := _TRANSPORT_RULE.fullmatch(rule))] or [None]
        for m in matched:
            by_mode = legs.setdefault(m[1] if m else "", {}).setdefault(m[2] or "" if m else "", [])
            if r.party not in by_mode:
                by_mode.append(r.party)

    def mode_text(mode: str) -> str:
        route = getattr(routes, mode, None) if routes and mode else None
        text = TRANSPORT_MODES.get(mode, "")
        if route == "uncertain":
            return f"{text}, when the {mode} route is open,"
        if route == "closed":
            host = name(where.host)
            return f"{text}, on movements that {host} authorizes notwithstanding the closure of the {mode} route,"
        return text

    def providers(by_mode: dict[str, list[str]]) -> str:
        parts = [
            " ".join(x for x in (mode_text(m), "by " + _join([name(p) for p in ps])) if x) for m, ps in by_mode.items()
        ]
        return ", and ".join(parts) if len(parts) > 1 else parts[0]

    onward = where.states_of("onward_travel") or ([where.host] if receives_people(s, s.party(where.host)) else [])
    heads = {
        "evacuation": f"for Evacuation from {name(where.host)}",
        "onward_travel": f"for onward travel from the territory of {_join([name(x) for x in onward])}"
        if onward
        else "for onward travel",
        "relocation": "for Relocation within the territory of "
        + _join([name(x) for x in where.states_of("relocation")] or [name(where.host)]),
    }
    return [f"{heads[leg]}, {providers(by_mode)}" if leg else providers(by_mode) for leg, by_mode in legs.items()]


def transport_gaps(s: Scenario, advice: Advice) -> list[str]:
    """The routes of Evacuation from the host ("by land", "by air") that matter and that no transport provider
    serves: a route matters only where no Party carries people on an open route, so the operations article says who
    arranges transport on the open or uncertain routes left to nobody. Empty where a Party carries people on an open
    route, where no provider serves the Evacuation leg (the article then says how all transport is arranged) or where
    a provider serves it without a mode."""
    routes = s.host_conditions.routes if s.host_conditions else None
    served: set[str] = set()
    for r in advice.holders("transport_provider"):
        for rule in r.because:
            if (m := _TRANSPORT_RULE.fullmatch(rule)) and m[1] == "evacuation":
                served.add(m[2] or "")
    if not routes or not served or "" in served or any(getattr(routes, m, None) == "open" for m in served):
        return []
    left = [mode for mode in TRANSPORT_MODES if mode not in served]
    return [f"by {mode}" for mode in left if getattr(routes, mode, None) in ("open", "uncertain")]


def onward_carriers(s: Scenario, advice: Advice) -> list[str]:
    """Who carries onward the Migrants evacuated by an open route that no transport provider serves: the Parties
    that serve Evacuation by another route (an uncertain air route, say), from the State those Migrants cross into,
    as airlifts from a neighbouring State's airport did when the host's own was unsafe (Lebanon 2006 through Cyprus,
    Syria 2012). Empty where no open route is left to nobody or where a Party already provides onward travel."""
    routes = s.host_conditions.routes if s.host_conditions else None
    open_gaps = [g for g in transport_gaps(s, advice) if getattr(routes, g.removeprefix("by "), None) == "open"]
    legs = {
        r.party: {m[1] for rule in r.because if (m := _TRANSPORT_RULE.fullmatch(rule))}
        for r in advice.holders("transport_provider")
    }
    if not open_gaps or any("onward_travel" in served for served in legs.values()):
        return []
    return [in_text(party_name(s, p)) for p, served in legs.items() if "evacuation" in served]


def transport_requestees(s: Scenario, where: Territory) -> str:
    """From whom transport no Party provides is requested: the competent authorities of a State where movements
    begin only when it does not sign (a Party is bound by its own role, and the requester never asks itself), then
    States and international organizations that are not Parties."""
    starts = [o.state for o in where.operations if o.id in ("evacuation", "onward_travel", "relocation")]
    outside = [in_text(party_name(s, st)) for st in dict.fromkeys(starts) if not signs(s, st)]
    others = "States or international organizations that are not Parties"
    return f"the competent authorities of {_join(outside)}, or to {others}" if outside else others


# Sectors that say nothing of an employment: students, tourists, and "other".
NON_WORK_SECTORS = ("students", "tourists", "other")


def workers_covered(s: Scenario) -> bool:
    """Whether the people covered may include workers: a group said to work in a sector, recruited through agencies
    or whose sectors are not known, or an employer, recruiter or employers' federation among the parties. Only then
    do employers and recruitment agencies carry information to them (tourists and students have none)."""
    return any(
        pop.recruited_through_agencies or not pop.sectors or any(x not in NON_WORK_SECTORS for x in pop.sectors)
        for pop in s.populations or []
    ) or any(p.kind in ("employer", "recruiter", "employers_federation") for p in s.parties)


def food_providers(s: Scenario, advice: Advice) -> list[str]:
    """The logistics providers that supply food: those given the role for their food capacity, or placed without a
    rule's reason. A party given it for its shelter or reception capacity alone provides shelter, not food (a
    refugee agency's shelter capacity, or a State's reception centre, is no food pipeline), so the articles never
    make it answer for food."""
    return [
        in_text(party_name(s, r.party))
        for r in advice.holders("logistics_provider")
        if not any(b.startswith("role.logistics_provider.") for b in r.because)
        or "role.logistics_provider.food" in r.because
    ]


def shelter_providers(s: Scenario, advice: Advice) -> list[str]:
    """The logistics providers that give shelter: those given the role for their shelter or reception capacity, or
    placed without a rule's reason. A party given it for its food alone provides food, not shelter (a food agency
    runs no shelters), so the articles never make it answer for shelter."""
    return [
        in_text(party_name(s, r.party))
        for r in advice.holders("logistics_provider")
        if not any(b.startswith("role.logistics_provider.") for b in r.because)
        or {"role.logistics_provider.shelter", "role.logistics_provider.reception"} & set(r.because)
    ]


# The existing instruments the Parties build on (scenario funding.existing_instruments), as the preamble and the
# scope article name them.
EXISTING_INSTRUMENTS = {
    "disaster_mutual_aid_treaty": (
        "the agreement on mutual assistance in disasters in force between the Parties concerned"
    ),
    "regional_consular_framework": (
        "the regional framework for consular cooperation to which the States Parties concerned belong"
    ),
    "bilateral_labour_agreement": (
        "the bilateral labour agreement between the States of origin and of employment of the migrant workers concerned"
    ),
}
# The term by which the articles refer to an existing instrument the scope article identifies.
EXISTING_TERMS = {"disaster_mutual_aid_treaty": "Mutual Assistance Agreement"}
# Phases in which the crisis is under way: the agreement is concluded for it, not "in advance of a Crisis".
ONGOING_PHASES = ("alert_restriction", "voluntary_departure", "mandatory_evacuation", "emergency_response")
# Phases from the first alert on: the instrument is concluded for a crisis that is coming, so it applies from signature.
ALERT_PHASES = ("alert_precautionary", *ONGOING_PHASES)


def form_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """What the preamble, purpose, scope and final provisions say about the instrument itself.

    ``existing_instrument_texts``: the instruments the Parties build on; ``existing_instrument_scope_exclusion``: the
    scope_exclusion risk flag is raised (a disaster mutual-aid treaty relied on in an armed conflict), so the scope
    article says this instrument covers what that treaty excludes. ``crisis_ongoing``: the crisis is under way (an
    alert restriction, departure, evacuation or emergency-response phase), so the purpose does not speak of a crisis
    to come and the final provisions apply the instrument provisionally from signature; ``crisis_alert``: an alert is
    declared (precautionary phase or later), so the instrument applies provisionally from signature even where the
    crisis is not yet under way. ``non_state_party_names``:
    the Parties to a binding instrument that are neither States nor international organizations (signatories that
    can be bound: a local authority or donor that says so), for the dispute-settlement article."""
    instruments = (s.funding.existing_instruments or []) if s.funding else []
    return {
        "existing_instrument_texts": [EXISTING_INSTRUMENTS[i] for i in instruments if i in EXISTING_INSTRUMENTS],
        # the scope article identifies each and gives it the term the other articles use (a cost article deferred to
        # "the agreement ... in force between the Parties concerned", which no reader could identify)
        "existing_instrument_definitions": [
            f'{EXISTING_INSTRUMENTS[i]}, [to be agreed: its title, date and parties] (the "{EXISTING_TERMS[i]}")'
            if i in EXISTING_TERMS
            else EXISTING_INSTRUMENTS[i]
            for i in instruments
            if i in EXISTING_INSTRUMENTS
        ],
        "existing_instrument_scope_exclusion": any(f.id == "scope_exclusion" for f in advice.risk_flags)
        and "disaster_mutual_aid_treaty" in instruments,
        "crisis_ongoing": s.crisis.phase in ONGOING_PHASES,
        "crisis_alert": s.crisis.phase in ALERT_PHASES,
        # neither States nor international organizations: no diplomatic channels, no immunities (the dispute
        # variant with_non_state; draft.dispute.non_state_parties reads the same signatories as n_non_state_parties)
        "non_state_party_names": [
            in_text(party_name(s, p.id)) for p in signatories(s) if p.kind in NON_STATE_PARTY_KINDS and binds(p)
        ],
        # local or regional authorities that sign, Parties or Participants (the localities that receive people)
        "local_party_names": [in_text(party_name(s, p.id)) for p in signatories(s) if p.kind == "local_authority"],
        "local_own_state_texts": local_own_state_texts(s),
        # employers, recruiters or their federations sign: the alert phases coordinate with them
        "employer_signatories": any(p.kind in EMPLOYER_KINDS for p in signatories(s)),
    }


def local_own_state_texts(s: Scenario) -> list[str]:
    """Each local or regional authority that signs with the State it belongs to, also a signatory, as "<authority> and
    <State>": a dispute between them is a domestic matter under the law of that State, not an international dispute
    for the dispute-settlement article."""
    signing = {p.id for p in signatories(s)}
    return [
        f"{in_text(party_name(s, p.id))} and {in_text(party_name(s, state))}"
        for p in signatories(s)
        if p.kind == "local_authority" and (state := state_of(s, p.id)) != p.id and state in signing
    ]


PROTECTION_VULNERABILITIES = ("refugees_or_asylum_seekers", "fear_of_return", "stateless")


def refugee_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """Whether refugee protection is in play (``refugee_protection_in_play``: a Party with a refugee-protection
    mandate, refugees, asylum-seekers, stateless persons or people who fear return among the migrants, or a
    screening and referral arrangement), and the refugee agency to name (``refugee_agency_name``: the
    international organization Party with that mandate, else UNHCR by its full name)."""
    agency = next(
        (p for p in s.parties if p.kind == "international_organization" and "refugee_protection" in (p.mandates or [])),
        None,
    )
    in_play = (
        agency is not None
        or any("refugee_protection" in (p.mandates or []) for p in s.parties)
        or any(
            (g.vulnerabilities or {}).get(v, 0) > 0 or g.nationality == "stateless"
            for g in s.populations or []
            for v in PROTECTION_VULNERABILITIES
        )
        or any(a.id == "protection_referral" for a in advice.agreement_types)
    )
    name = in_text(agency.name) if agency else "the Office of the United Nations High Commissioner for Refugees"
    return {"refugee_protection_in_play": in_play, "refugee_agency_name": name, **child_fallback_context(s, advice)}


def child_fallback_context(s: Scenario, advice: Advice) -> dict[str, str]:
    """The one body to which a Child still in the Host State he or she is leaving is referred, and which assesses
    his or her best interests, when that State's authority cannot act (``child_fallback_name``; both the
    child-protection and the protection-referral articles read it): a signatory other than the Host State or a State
    from which people covered seek protection (``feared_states``), holding the child-protection role or mandate,
    else a refugee-protection mandate, else the Lead Party; "" when none, and the clauses then request the competent
    body instead of binding one. Never a State of nationality of the people covered: a child referred to it may be
    one who seeks protection from it (third blind reading: a child in the host referred to the State of origin)."""
    origins = {g.nationality for g in s.populations or []}
    able = [p for p in signatories(s) if p.id != s.host_state and p.id not in feared_states(s) and p.id not in origins]
    child_role = {r.party for r in advice.holders("child_protection")}
    lead = {r.party for r in advice.holders("lead")}
    tests = (
        lambda p: p.id in child_role,
        lambda p: "child_protection" in (p.mandates or []),
        lambda p: "refugee_protection" in (p.mandates or []),
        lambda p: p.id in lead,
    )
    body = next((p for test in tests for p in able if test(p)), None)
    return {"child_fallback_name": in_text(party_name(s, body.id)) if body else ""}


# The article that makes each cost model operative: the clause, and the variants of it that implement the model
# (None: any variant). A model whose article is not in the draft is not in force, and Annex B does not list it.
OPERATIVE_ARTICLES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "own_costs": ("cost_allocation", ("standard",)),
    "nationality_reimburses": ("cost_allocation", ("nationality_reimburses",)),
    "pro_rata_per_evacuee": ("cost_allocation", ("pro_rata",)),
    "pooled_fund": ("cost_allocation", ("pooled_fund",)),
    "development_bank_financing": ("cost_allocation", ("development_bank",)),
    "mutual_aid_costs": ("cost_allocation", ("mutual_aid",)),
    # the threshold for exceptionally high but essential and justified costs (Dir. 2015/637 Art. 14(3))
    "capped_threshold": ("cost_allocation", ("nationality_reimburses",)),
    "net_of_cofinancing": ("cofinancing", None),
    "advance_and_recover": ("bridging_fund", None),
    "evacuee_repays": ("evacuee_repayment", ("standard",)),
    "employer_liability": ("employer_liability", None),
}
# Cost-article variants whose shares or claims are computed per State of nationality.
NATIONALITY_ARTICLES = ("pro_rata", "nationality_reimburses")


def operative_models(advice: Advice) -> list[str]:
    """The cost models the draft's articles implement, in the order of the advice."""
    selected = {c.id: c.variant for c in advice.clauses}
    out = []
    for m in advice.cost_allocation.models:
        clause, variants = OPERATIVE_ARTICLES.get(m.id, (None, None))
        if clause in selected and (variants is None or selected[clause] in variants):
            out.append(m.id)
    return out


def cost_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """The cost terms the cost articles read, each decided once (costs.py), so that no two articles, nor an article
    and Annex B (``costs_annex`` reads the same values), say different things.

    ``cost_article``: the cost article's variant ("none" without one); ``shares_in_force``: an article allocates the
    computed shares. ``residual_cost_bearer_name``: who bears the share of refugees, asylum-seekers, stateless
    persons and groups without a participating State of nationality (costs.protected_bearer), else one hole;
    ``residual_carried``: Annex B shows such persons; ``residual_moved``: they are moved (transport, onward travel),
    so that an article without shares says who pays for their travel (``residual_travel_bearer_name``: the same
    bearer, or a hole that speaks of costs, not shares); ``residual_share_rule`` and ``residual_cost_rule``: who bears
    them, in the one predicate every article uses (costs.residual_rule: the bearer bears the whole, or seeks the donor
    contributions and ``residual_backstop`` bears what they do not cover). ``balance_by_nationality``: an unrecovered
    balance falls on States of nationality (``costs.final_bearers``), whose refugees' part then goes to the residual
    bearer.
    ``billed_state_names``: the States billed for their nationals.
    Deadlines: ``claim_deadline_months`` and ``payment_deadline_months`` (claims on States of nationality, and the
    repayment of their advanced shares), ``liable_recovery_days`` (recovery from liable employers and recruiters),
    ``balance_repayment_days`` (the unrecovered balance of an Advance of a cost the pooled fund cannot meet, after
    the consultations: no new period), ``recovery_sources`` (the sources from which an Advance can be recovered that
    the scenario has); ``transport_payer_names`` (under own costs, the States of nationality that pay for the
    transport a Party arranges or provides for their nationals, whoever arranges it).
    Advances: ``advancer_names`` (the Parties that advance), ``advanced_party_names`` (whose shares are advanced and
    repaid within the payment deadline), ``advanced_liable_names`` (liable parties, recovered under the employer
    article), ``advance_financing_names`` (financing pending which costs are advanced), ``share_advances`` (some share
    is advanced), ``advance_ceiling`` (the advances with ``advance_margin`` above them, rounded up) and, without an
    estimate, ``advance_ceiling_share``; ``required_advances`` (Advances under the advance article, never what a State
    fund meets and recovers under the employer article: one mechanism per cost) and ``cofinancing_advanced``
    (co-financing advanced pending its receipt, recovered from it, never owed by the co-financer).
    Which fund meets whose repatriation: ``liability_fund_names`` with ``liability_fund_scopes``, and
    ``state_fund_name`` (the State fund that bears what no liable party can be found for). Co-financing:
    ``cofinancer_name`` and the ``cof_*`` terms (rates, threshold, the services the estimate covers that the
    co-financing does not meet). Pledges: ``pledger_names`` (donors that sign), ``financing_bank_names`` and
    ``invited_funder_names`` (funders that do not sign: invited, never bound). Low capacity: ``low_capacity_names``
    (billed States that pay late), of which ``low_capacity_advanced_names`` (advanced by
    ``low_capacity_advancer_names``) and ``low_capacity_other_names``. Pooled fund: its administrator
    (``pooled_fund_admin_name``, ``pooled_fund_admin_kind``) and the other international organizations that appeal
    with it (``appeal_partner_names``), and the Participants of a framework whose services it meets
    (``participant_provider_names``). ``carrier_names``: the commercial carriers that are Parties, which are paid for
    the transport they provide. Organizations' services under an own-costs or mutual-aid article:
    ``provided_service_text`` (who provides what), ``service_provider_names`` and ``service_payer_names`` (the States
    of nationality that reimburse them; none: donor contributions). ``assisting_party_bears_costs``: under mutual aid,
    the Assisting Party bears its costs (the Parties do not share costs). ``bridging_funder_names``: every signing
    holder of the bridging-funder role, with those that advance."""
    name = lambda pid: in_text(party_name(s, pid))  # noqa: E731
    unique = lambda xs: list(dict.fromkeys(xs))  # noqa: E731
    variant = next((c.variant for c in advice.clauses if c.id == "cost_allocation"), None)
    made = advances(advice)
    # one mechanism per cost: what a State's fund meets and recovers under the employer article is no Advance
    bridged = bridged_advances(advice)
    shared = [a for a in made if not a.get("financing") and not a.get("liable") and not a.get("cofinancing")]
    advanced = {a["for"]: a["by"] for a in shared}
    bearer = protected_bearer(s, advice)
    late = low_capacity_states(s, advice)
    # every late payer's share is advanced by a named Party or a visible hole, never left to "the Assisting Party"
    late_by = {p: by for p, by in low_capacity_advances(s, advice, advanced).items() if by != p}
    lead = next((r.party for r in advice.holders("lead")), None)
    signing = signed(s)
    admin = fund_administrator(s, lead)
    whole = bears_whole_residual(s, bearer)
    backstop_id = None if whole else residual_backstop(s, advice)
    # no State that fits the stricter test: the Lead State, or the States with no nationals among those assisted,
    # bear the rest as last resort (costs.last_resort); none: the Parties consult (costs.CONSULT_BACKSTOP), never a
    # hole no Party could fill
    resort = last_resort(s, advice)
    hole = BACKSTOP_HOLE if backstop_candidates(s, advice) else _last_resort_text(s, resort)
    backstop = (name(backstop_id) if backstop_id else hole) if not whole else None
    # no Party can take on the protected persons' costs (no organization, and every signing State is the host, a
    # Transit State or a State of nationality): the Parties seek donor contributions jointly and the last resort
    # bears the rest, else they consult, never a bracket that no Party could fill (a reader found "[to be agreed:
    # the Party that bears ...]" there)
    joint = bearer is None and not backstop_candidates(s, advice)
    if joint:
        whole, backstop = False, _last_resort_text(s, resort)
    protected_name = "the Parties" if joint else None
    # a last-resort State of nationality of some of those assisted bears its own nationals' part who seek
    # protection from it only without their identification (costs.residual_rule)
    backstop_pid = backstop_id or (resort[0] if len(resort) == 1 and not backstop_candidates(s, advice) else None)
    backstop_origin = backstop_pid in {p.nationality for p in s.populations or []}
    consular_costs = any(
        c.id == "consular_representation" and c.variant in ("standard", "io_documentation") for c in advice.clauses
    )

    # a Transit State's costs that a pooled fund and further contributions leave: their State of nationality bears
    # those of its nationals where no State can bear the rest (costs.residual_rule, by_nationality)
    by_nationality = by_nationality_fits(s)

    # what donors do not cover of the part of a State of origin's own nationals who seek protection from it, where it
    # bears the rest (costs.origin_rest_bearer)
    origin_pid = bearer if bearer_is_origin(s, bearer) else (backstop_pid if backstop_origin else None)
    # an article allocates the costs by the shares Annex B tabulates (``shares_in_force``)
    tabulated = bool(advice.cost_allocation.shares) and any(m in operative_models(advice) for m in TABULATED_MODELS)
    origin_rest = (
        origin_rest_bearer(s, advice, origin_pid, tabulated, lambda pid: in_text(party_name(s, pid)))
        if origin_pid
        else None
    )

    def rule(hole: str, pooled_admin: str | None = None) -> str:
        """Who bears the costs (or the share) no State of nationality can be asked to bear (costs.residual_rule)."""
        return residual_rule(
            protected_name or (name(bearer) if bearer else hole),
            backstop,
            article=True,
            origin=bearer_is_origin(s, bearer),
            backstop_origin=backstop_origin,
            pooled_admin=pooled_admin,
            by_nationality=bool(pooled_admin) and by_nationality,
            origin_rest=origin_rest,
        )

    ctx: dict[str, Any] = {
        "cost_article": variant or "none",
        "shares_in_force": tabulated,
        "residual_cost_bearer_name": protected_name or (name(bearer) if bearer else PROTECTED_HOLE),
        # the bearer bears the whole protected share, or only seeks the donor contributions and one other Party (or
        # one hole) bears what they do not cover (costs.bears_whole_residual, costs.residual_backstop)
        "residual_bearer_state": whole,
        "residual_carried": carried_count(s, advice) > 0,
        "residual_moved": carried_count(s, advice) > 0 and moves_people(s),
        # refugees, asylum-seekers, stateless persons or people who fear return are, or may be, among those assisted
        # (reported in the populations, or the draft screens and refers them): even where each Party bears its own
        # costs, the cost article and Annex B say who meets theirs and that they never reach their State of origin
        "protected_assisted": any(protected_count(p) > 0 for p in s.populations or [])
        or any(c.id in ("protection_referral", "non_refoulement") for c in advice.clauses),
        "residual_travel_bearer_name": protected_name or (name(bearer) if bearer else PROTECTED_COSTS_HOLE),
        "residual_backstop": backstop or (name(bearer) if bearer else PROTECTED_HOLE),
        "residual_transit_backstop": backstop or (name(bearer) if bearer else PROTECTED_COSTS_HOLE),
        # the same predicate in every article (costs.residual_rule): for a share, and for costs
        "residual_origin": bearer_is_origin(s, bearer),
        "residual_backstop_origin": backstop_origin,
        "residual_by_nationality": by_nationality,
        "residual_share_rule": rule(PROTECTED_HOLE),
        "residual_cost_rule": rule(PROTECTED_COSTS_HOLE),
        # under a pooled fund, what it cannot meet of a Transit State's costs: further contributions to the fund
        "residual_pooled_rule": rule(PROTECTED_COSTS_HOLE, text_name(admin) if admin else ADMINISTRATOR_HOLE),
        # part of what the pooled fund cannot meet is left to the Parties' consultation (no Party bears it): an Advance
        # of it is repaid from further contributions first (round 15 readings, five drafts: "IOM's required advance
        # has no repayment source")
        "residual_consulted": backstop == CONSULT_BACKSTOP,
        "residual_origin_rest": origin_rest,
        # a Party claims costs from another (a billing article, a State of nationality paying its nationals' transport,
        # a Represented State reimbursing consular assistance): else exercises test the recording of costs, not
        # "the submission of cost claims" (round 14: "there are no cost claims in a pooled-fund model")
        "cost_claims": variant in BILLING_ARTICLES or bool(transport_payers(s, advice)) or consular_costs,
        # the consular article carries a cost rule of its own (reimbursement by the Represented State): it is an
        # exception to the cost article and survives withdrawal; a post acting for its own State's nationals from
        # another State bears its own costs (round 14, rafah2023: "Article 11 provides no exception")
        "consular_costs": consular_costs,
        # nationals of non-Parties are among those assisted (or may be, as family members of other nationalities):
        # otherwise the cost article and Annex B do not speak of them (round 15: "an empty category", four drafts)
        "non_party_nationals": any(
            g.count and g.nationality != "stateless" and g.nationality not in signing for g in s.populations or []
        )
        or any((g.vulnerabilities or {}).get("mixed_nationality_families", 0) > 0 for g in s.populations or []),
        "claim_deadline_months": claim_deadline_months(advice),
        "payment_deadline_months": payment_deadline_months(advice),
        "liable_recovery_days": LIABLE_RECOVERY_DAYS,
        "balance_repayment_days": BALANCE_REPAYMENT_DAYS,
        "recovery_sources": recovery_sources(s, advice),
        "transport_payer_names": [name(pid) for pid in transport_payers(s, advice)],
        "advancer_names": unique(name(a["by"]) for a in made),
        # every signing holder of the bridging-funder role is named in the advance article, with those that advance
        "bridging_funder_names": unique(
            [name(a["by"]) for a in made]
            + [name(r.party) for r in advice.holders("bridging_funder") if r.party in signing]
        ),
        "advanced_party_names": unique(name(a["for"]) for a in shared),
        "advanced_liable_names": unique(name(a["for"]) for a in bridged if a.get("liable")),
        # financing to come (a development bank, a donor) from which Advances are recovered on disbursement
        "advance_financing_names": unique(name(a["for"]) for a in made if a.get("financing") and a["for"]),
        "share_advances": any(not a.get("financing") and not a.get("cofinancing") for a in bridged),
        "required_advances": bool(bridged),
        # the only advances are what a State's fund meets and recovers under the employer article: no Advance is
        # required, and the Bridging Party advances only, at their request, what other Parties bear
        "advances_for_others_only": bool(made) and not bridged,
        # co-financing advanced pending its receipt: recovered from it, never owed by the co-financer
        "cofinancing_advanced": any(a.get("cofinancing") for a in made),
        "appeal_advances": any(a.get("appeal") for a in made),
        "advance_ceiling": advance_ceiling(bridged, advance_cap(advice)),
        # the margin the ceiling keeps above the required advances (none where it is the estimate that caps them)
        "advance_margin": ADVANCE_MARGIN if bridged and all(a.get("amount") is not None for a in bridged) else 0,
        "final_bearer_text": _final_bearer_text(s, advice),
        "balance_by_nationality": bool(final_bearers(s, advice)),
        "advance_ceiling_share": advance_ceiling_share(bridged),
        "pledger_names": [name(p) for p in pledgers(s, advice)],
        "invited_funder_names": [name(p) for p in invited_funders(s, advice)],
        "financing_bank_names": [name(p) for p in financing_banks(s)],
        "billed_state_names": [name(p) for p in billed_states(s, advice)],
        "low_capacity_names": [name(p) for p in late],
        "low_capacity_advanced_names": [name(p) for p in late if p in late_by],
        "low_capacity_advancer_names": unique(name(by) if by else ADVANCER_HOLE for p, by in late_by.items()),
        "low_capacity_other_names": [name(p) for p in late if p not in late_by],
        "low_capacity_ceiling_text": _late_ceiling_text(s, advice, [p for p in late_by if p not in advanced]),
        "late_after_days": LATE_AFTER_DAYS,
        "pooled_fund_admin_name": text_name(admin) if admin else ADMINISTRATOR_HOLE,
        "pooled_fund_admin_kind": _administrator_kind(admin),
        "appeal_partner_names": [
            text_name(p)
            for p in s.parties
            if p.kind == "international_organization" and p.id in signing and p is not admin
        ],
        "carrier_names": [in_text(p.name) for p in s.parties if p.kind == "carrier"],
        "assisting_party_bears_costs": assisting_party_bears(s),
        # organizations the articles make carry or shelter people: who pays for what they provide (costs.py)
        "provided_service_text": _provided_service_text(s, advice),
        "service_provider_names": [name(pid) for pid in funded_providers(s, advice)],
        "service_payer_names": [name(pid) for pid in service_payers(s)],
        # of which those whose own fund meets their nationals' repatriation as it arises: that fund pays the services
        "service_fund_payer_names": [name(pid) for pid in repatriation_fund_payers(s, advice)],
        "service_fund_names": [_fund_name(s, pid) for pid in repatriation_fund_payers(s, advice)],
        "participant_provider_names": _participant_providers(s, advice),
        # Transit States that sign and carry: their onward transport for others' nationals is paid on a claim
        "transit_carrier_names": [
            in_text(party_name(s, p.id))
            for p in signatories(s)
            if p.id in (s.transit_states or []) and p.capacities and p.capacities.transport
        ],
    }
    recovering = [{"by": by, "workers_of": n} for by, n in recovering_funds(s, advice)]
    ctx |= _cofinancing_context(s, advice) | _liability_fund_context(
        s, [a for a in made if a.get("liable")] + recovering
    )
    # what a liable employer or recruiter does not pay: the State fund that advanced it, as the employer article says
    ctx["liability_final_bearer_text"] = ctx.get("state_fund_bearer") or ctx["final_bearer_text"]
    if variant == "standard":
        # under the own-costs article a State that pays late is billed only for what the article makes it pay (the
        # transport or services of its nationals): those it bills are advanced as under a billing article (a blind
        # reading found a State with no post and a 30-day lead time billed for onward travel, no advance stated)
        billed = set(ctx["transport_payer_names"])
        if ctx["provided_service_text"]:
            billed |= set(ctx["service_payer_names"])
        for key in ("low_capacity_names", "low_capacity_advanced_names", "low_capacity_other_names"):
            ctx[key] = [n for n in ctx[key] if n in billed]
        if not ctx["low_capacity_advanced_names"]:
            ctx["low_capacity_advancer_names"] = []
        elif set(ctx["low_capacity_advancer_names"]) <= set(ctx["bridging_funder_names"]):
            # advanced under the advance article, within its one ceiling: no second ceiling in the cost article
            ctx["low_capacity_ceiling_text"] = ""
    ctx["protected_costs_unnamed"] = _protected_costs_unnamed(ctx)
    ctx["signatory_count"] = len(signatories(s))
    # States of nationality pay for their own nationals claim by claim: family members of a non-Party nationality
    # travelling with them are counted with them, not with the non-Party nationals (round 16)
    billing = ctx["cost_article"] == "nationality_reimburses" or (
        ctx["cost_article"] == "standard"
        and (ctx["transport_payer_names"] or (ctx["provided_service_text"] and ctx["service_payer_names"]))
    )
    ctx["family_counting_rule"] = f"For the purposes of this Article, {FAMILY_COUNTING}." if billing else ""
    # functions a withdrawing Party hands over (final provisions): advancing others' costs, bearing the protected
    # share (round 16: "no successor for a withdrawing advancing or cost-bearing Party")
    ctx["advancing_names"] = [
        n for n in dict.fromkeys(ctx["advancer_names"] + ctx["low_capacity_advancer_names"]) if n[:1] != "["
    ]
    states = {text_name(p) for p in s.parties if p.kind == "state"}
    ctx["advancing_state_names"] = [n for n in ctx["advancing_names"] if n in states]
    # a Party that bears that share itself (not one that only seeks donor contributions for it, nor a fund: round 17,
    # ten drafts named "the Party that bears the costs of refugees" where donors or a pooled fund meet them)
    ctx["protected_bearer_named"] = bool(
        (ctx["residual_carried"] or ctx["protected_assisted"])
        and ctx["residual_cost_bearer_name"][:1] != "["
        and ctx["cost_article"] != "pooled_fund"
        and ctx["residual_cost_rule"].startswith(f"shall be borne by {ctx['residual_cost_bearer_name']}")
    )
    return ctx


# How a family member of another nationality is counted where States of nationality pay for their own nationals.
FAMILY_COUNTING = (
    "a member of the family of a Migrant who travels with him or her and holds the nationality of no Party, other "
    "than a stateless person, is counted as a national of that Migrant's State of nationality, unless that Migrant "
    "has sought international protection or expressed a fear of return"
)


def _protected_costs_unnamed(ctx: dict[str, Any]) -> bool:
    """Refugees, asylum-seekers, stateless persons or people who fear return are, or may be, among those assisted
    and no billing sentence of the cost article names the bearer of their costs (services or transport billed to
    States of nationality, the transport of people moved): the article and Annex B then say who meets them."""
    if not ctx["protected_assisted"]:
        return False
    billed = bool(ctx["provided_service_text"] and ctx["service_payer_names"])
    if ctx["cost_article"] == "standard":
        billed = billed or bool(ctx["transport_payer_names"]) or bool(ctx["residual_moved"])
    return ctx["cost_article"] == "pooled_fund" or (ctx["cost_article"] in ("standard", "mutual_aid") and not billed)


SERVICE_ROLES = ("transport_provider", "logistics_provider", "health_provider")


def _participant_providers(s: Scenario, advice: Advice) -> list[str]:
    """The Participants of a binding framework (they sign the Memorandum of Participation, not the Agreement) that
    deliver transport, shelter, logistics or health care: a pooled fund meets their costs as it meets a Party's,
    and the cost article and Annex B say so. None outside a framework."""
    final = next((c.variant for c in advice.clauses if c.id == "final_provisions"), None)
    if final != "framework":
        return []
    serving = {r.party for role in SERVICE_ROLES for r in advice.holders(role)}
    return [text_name(p) for p in participants(s, "framework") if p.id in serving]


def _provided_service_text(s: Scenario, advice: Advice) -> str:
    """The services that organizations provide under the articles (costs.funded_providers), each set of services
    named once with all who provide it: "the transport that A provides and the shelter ... that B and C provide"."""
    by_services: dict[str, list[str]] = {}
    for pid, what in funded_providers(s, advice).items():
        by_services.setdefault(_and_list(what), []).append(in_text(party_name(s, pid)))
    return _and_list(
        [
            f"the {what} that {_and_list(who)} {'provides' if len(who) == 1 else 'provide'}"
            for what, who in by_services.items()
        ]
    )


def _late_ceiling_text(s: Scenario, advice: Advice, states: list[str]) -> str:
    """The ceiling of the advances of late payers' shares that no bridging advance covers (the advance article
    states its own): their amounts rounded up, their part of the actual costs, or a hole. Empty when none."""
    if not states:
        return ""
    if next((c.variant for c in advice.clauses if c.id == "cost_allocation"), None) != "pro_rata":
        return ADVANCE_CEILING_HOLE  # costs reimbursed case by case: no computed share bounds them
    amount, _ = low_capacity_ceiling(advice, states)
    if amount is None:  # a ceiling is a sum, never a share of costs nobody knows at signature
        return ADVANCE_CEILING_HOLE
    # the estimate never limits the actual costs: the ceiling follows them (round 16)
    return (
        f"{advice.cost_allocation.currency} {amount:,.2f}, raised in the same proportion where the actual costs "
        "exceed the estimated total cost"
    )


FINAL_BEARER_HOLE = "[to be agreed: the Party that bears in the end what is not recovered]"
# Under a model that bills no State of nationality (own costs, a pooled fund, mutual aid), what is not recovered is
# dealt with as the cost article deals with any cost that is not otherwise met.
INCURRING_BEARER = "the Party that incurred the costs, as the cost article provides for a cost not otherwise met"


def _final_bearer_text(s: Scenario, advice: Advice) -> str:
    """Who bears in the end a balance no one else pays (costs.final_bearers), in words: the one State of nationality
    (in its own scheme, that State), or the States of nationality each for its own nationals, or the bearer of
    persons without a participating State; a hole when no binding Party fits."""
    if not bills_nationality(s, advice):
        return INCURRING_BEARER
    bearers = [in_text(party_name(s, p)) for p in final_bearers(s, advice)]
    if not bearers:
        return FINAL_BEARER_HOLE
    if len(bearers) == 1:
        return bearers[0]
    return (
        f"the States of nationality of the persons assisted ({_and_list(bearers)}), each in proportion to its "
        "nationals among them"
    )


def _administrator_kind(party: Party | None) -> str:
    """Under which rules a pooled fund is administered: an organization's financial regulations and rules
    ("organization"), a State's or local authority's public-finance law ("state"), or its statutes ("other")."""
    if party is None or party.kind in ORGANIZATION_KINDS:
        return "organization"
    return "state" if party.kind in ("state", "local_authority") else "other"


def _cofinancing_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """The co-financing terms the co-financing article and Annex B state (costs.cofinancing_terms): who provides it
    (a Party, a mechanism that is not one, or the hole), the rates and threshold, and what else the estimate covers.
    No seat share and no rate at signature: both depend on facts of each movement (CofinancingTerms)."""
    terms = cofinancing_terms(s, advice)
    if terms is None:
        return {}
    provider = s.party(terms.provider)
    return {
        "cofinancer_name": text_name(provider)
        if provider
        else (terms.provider if terms.provider == COFINANCER_HOLE else in_text(terms.provider)),
        "cof_max_rate": terms.max_rate,
        "cof_base_rate": terms.base_rate,
        "cof_seat_threshold": terms.threshold,
        "cof_eligible": terms.eligible,
        # what else the estimate covers, which the co-financing does not meet
        "cof_other_costs": _and_list(uncofinanced_services(s)),
    }


def _liability_fund_context(s: Scenario, liable: list[dict[str, Any]]) -> dict[str, Any]:
    """Which fund meets the repatriation costs that liable employers and recruiters bear, for whose workers, as the
    advances say (costs.liability_fund: a State's fund for its own nationals, the general bridging funder for the
    others): one fund for each group of workers, named with its scope when there are several."""
    funds = list(dict.fromkeys(a["by"] for a in liable))
    if not funds:
        return {}
    scopes = [
        _workers(s, list(dict.fromkeys(a["workers_of"] for a in liable if a["by"] == f))) if len(funds) > 1 else ""
        for f in funds
    ]
    state_fund = next((f for f in funds if (p := s.party(f)) and p.kind == "state"), None)
    return {
        "liability_fund_names": [_fund_name(s, f) for f in funds],
        "liability_fund_scopes": scopes,
        "state_fund_name": _fund_name(s, state_fund) if state_fund else None,
        # who bears what is not recovered: the State, through its fund (round 14: a fund named as bearer, not the
        # Party)
        "state_fund_bearer": _fund_bearer(s, state_fund) if state_fund else None,
    }


def _fund_bearer(s: Scenario, party_id: str) -> str:
    """The Party that bears a cost its fund meets, named as the Party acting through the fund ("the Republic of
    Palumaya, through its Emergency Repatriation Fund"): a fund is no Party and bears nothing itself."""
    party = s.party(party_id)
    if party is None or party.kind != "state":
        return in_text(party_name(s, party_id))
    organ = split_organ(party.name, party.kind).organ
    if organ and re.search(r"\bfund\b", organ, re.IGNORECASE):
        return f"{text_name(party)}, through its {organ}"
    return f"{text_name(party)}, from its fund"


def _workers(s: Scenario, nationalities: list[str]) -> str:
    """The workers of some nationalities, in words: "workers who are nationals of the Republic of X", "stateless
    workers", "workers of other nationalities"."""
    states = [in_text(party_name(s, n)) for n in nationalities if s.party(n)]
    parts = [f"workers who are nationals of {' and '.join(states)}"] if states else []
    parts += ["stateless workers"] if "stateless" in nationalities else []
    parts += (
        ["workers of other nationalities"] if any(not s.party(n) and n != "stateless" for n in nationalities) else []
    )
    return " and ".join(parts)


def _fund_name(s: Scenario, party_id: str) -> str:
    """A fund that meets repatriation costs, by its holder: a State's organ that is a fund ("the Migrant Workers
    Welfare Fund of the Republic of Palumaya"), else "the fund of" the State; any other holder by its name."""
    party = s.party(party_id)
    if party is None or party.kind != "state":
        return in_text(party_name(s, party_id))
    organ = split_organ(party.name, party.kind).organ
    if organ and re.search(r"\bfund\b", organ, re.IGNORECASE):
        return f"the {organ} of {text_name(party)}"  # the organ is the fund
    return f"the fund of {text_name(party)}"


def placeholder_text(description: str | None) -> str:
    """What a placeholder asks for: the param's description up to its first clause ("Indicative total cost of the
    operation" of "Indicative total cost of the operation; a planning figure, not a ceiling.")."""
    text = re.split(r";|\. ", description or "", maxsplit=1)[0].strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def param_values(clause: Clause, ctx: dict[str, Any]) -> dict[str, Any]:
    """Fill each param from the context, else its default, else a visible placeholder."""
    values = {}
    for name, param in clause.params.items():
        value = ctx.get(param.source) if param.source else None
        if value is None:
            value = param.default
        try:
            values[name] = coerce_param(name, param, value) if value is not None else None
            if isinstance(values[name], list) and not param.aligned:
                values[name] = list(dict.fromkeys(values[name]))  # each name once
        except ValidationError:
            values[name] = None
        if values[name] is None:
            hole = f"[to be agreed: {placeholder_text(param.description) or name.replace('_', ' ')}]"
            values[name] = [hole] if param.type == "list" else hole
    return values


# The registers an operation needs, each kept by its own controllers (role data_controller, ``for`` the data set),
# and the agreement type that needs it: rules/data_roles.yaml names the controllers on the same terms.
DATA_SETS = {
    "registration_manifests": "evacuation_relocation",
    "identity_records": "identity_verification",
    "protection_case_files": "protection_referral",
    "tracing_requests": "family_tracing",
}


def data_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """The data sets the draft keeps (``data_sets``, when personal data are shared: data_controllers.data_sets) and the
    controllers of each (``data_controller_<data set>``: data_controllers.controller_ids), so the data-protection
    article and the Data-Sharing Protocol name the same controllers, or show the same hole where nobody can hold a
    register; ``employer_transport_names``: the transport providers that are employers, recruiters or employers'
    federations."""
    ctx: dict[str, Any] = {
        "data_sets": data_sets(s, advice, DATA_SETS),
        # the parties said no personal data go to the States of origin: a State of nationality receives data only at
        # the request and with the consent of the person concerned (a reader found the Protocol sending movement and
        # identity data to States of nationality against the scenario's "not shared with origin States")
        "origin_sharing": not (s.data and s.data.shared_with_origin_states is False),
    }
    ids = controller_ids(s, advice)
    for data_set in DATA_SETS:
        ctx[f"data_controller_{data_set}"] = [in_text(party_name(s, pid)) for pid in ids.get(data_set, [])]
    # kept per movement by the States that operate them, where none may keep one joint register
    ctx["manifests_per_movement"] = per_movement(s, advice, ids.get("registration_manifests", []))
    # the controllers the data article names, after the firewall and the protection carve-outs: the Protocol's
    # impact-assessment paragraph names these, never a holder of the role the article does not name (round 11:
    # the host State named "controller concerned" beside a firewall that bars it, in two drafts)
    ctx["named_controller_names"] = list(
        dict.fromkeys(in_text(party_name(s, pid)) for data_set in DATA_SETS for pid in ids.get(data_set, []))
    )
    ctx |= controller_texts(s, advice)  # with the files each controller holds (data_controllers.py)
    # Employers, recruiters and their federations that carry people receive only the passenger data of the
    # movement they operate: the onward-transfer paragraph bars them from everything else.
    employers = ("employer", "recruiter", "employers_federation")
    carriers = [r.party for r in advice.holders("transport_provider")]
    ctx["employer_transport_names"] = [
        in_text(party_name(s, pid)) for pid in dict.fromkeys(carriers) if (p := s.party(pid)) and p.kind in employers
    ]
    return ctx


def _of_nationality(s: Scenario, party_id: str) -> bool:
    """A State of origin of the people concerned: crisis role ``origin``, or its nationals are among the groups."""
    p = s.party(party_id)
    return bool(p and ("origin" in (p.crisis_roles or []) or any(g.nationality == p.id for g in s.populations or [])))


def identity_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """Who verifies whom and who keeps the register of documents (the identity-documents article).

    ``documentation_io_name``: the international organization Party that assists with identity and travel
    documents (a migration mandate first, else one that issues travel documents); absent when none is a Party, so
    the article asks for that assistance instead of giving a duty to a non-Party. ``own_verifier_names``: the States
    of nationality that verify identity, each for its own nationals only. ``identity_coordinator_names``: who
    coordinates verification and keeps the register of documents issued. With one nationality, the holders of the
    identity_documents role; with several, a single Party that is no State of nationality of the people concerned:
    the controller of the identity verification records, else an identity_documents holder that is no State of
    nationality, else an organization with a migration mandate, else the lead when it is no State of nationality;
    else nobody (``identity_register_gap``: the article shows a hole); never a firewalled authority nor a refugee
    agency (data_controllers.coordinates_documents). ``waive_exit_penalties_whenever``: the host
    imposes exit penalties or migrants in irregular status are concerned, so the exit documents they need are
    issued without the penalties, whenever incurred (host_state_facilitation)."""
    name = lambda pid: in_text(party_name(s, pid))  # noqa: E731
    ios = [p for p in s.parties if p.kind == "international_organization" and not _of_nationality(s, p.id)]
    doc_io = next((p for p in ios if "migration" in (p.mandates or [])), None) or next(
        (p for p in ios if p.capacities and p.capacities.travel_documents and not refugee_agency_only(p)), None
    )
    holders = list(dict.fromkeys(r.party for r in advice.holders("identity_documents")))
    own = [pid for pid in holders if (p := s.party(pid)) and p.kind == "state" and _of_nationality(s, pid)]
    multinational = len({g.nationality for g in s.populations or []}) >= 2
    if not multinational:
        coordinators = holders
    else:
        lead = (advice.holders("lead") or [None])[0]
        controllers = controller_ids(s, advice).get("identity_records", [])
        neutral = [pid for pid in holders if not _of_nationality(s, pid) and coordinates_documents(s, pid)]
        io = next((p.id for p in ios if "migration" in (p.mandates or [])), None)
        fit = lead and not _of_nationality(s, lead.party) and coordinates_documents(s, lead.party)
        lead_fit = lead.party if fit else None
        coordinators = controllers or neutral or ([io] if io else []) or ([lead_fit] if lead_fit else [])
        coordinators = [c for c in coordinators if not _of_nationality(s, c)][:1] if not controllers else coordinators
    coordinators = [pid for pid in coordinators if coordinates_documents(s, pid)]
    chosen = representation(s, advice)
    return {
        "documentation_io_name": in_text(doc_io.name) if doc_io else None,
        "own_verifier_names": [name(pid) for pid in own] if multinational else [],
        "identity_coordinator_names": [name(pid) for pid in coordinators],
        "identity_register_gap": bool(multinational and holders and not coordinators),
        "representing_names": [name(reps[0]) for reps in chosen.values()],
        "represented_names": [name(un) for un in chosen],
        "representation_texts": [f"{name(reps[0])} on behalf of {name(un)}" for un, reps in chosen.items()],
        "representation_backup_texts": representation_backups(s, chosen),
        "travel_document_issuer_texts": travel_document_issuers(s, advice, chosen, ios),
        # exit, overstay and residence penalties block departure whenever they were incurred (an exit amnesty for
        # workers in irregular status): the waiver is not limited to those incurred during the Crisis
        "waive_exit_penalties_whenever": bool(s.host_conditions and s.host_conditions.exit_penalties)
        or any((g.irregular_share or 0) > 0 for g in s.populations or []),
        # the host restricts migrants' movement, so facilitating their movement to safety is in view
        "host_movement_restrictions": bool(s.host_conditions and s.host_conditions.movement_restrictions),
        # States without a post whose nationals an organization assists in liaison with them: not a State all of
        # whose nationals present flee it
        "assisted_unrepresented_names": [
            text_name(p)
            for p in s.parties
            if p.capacities and p.capacities.consular_presence == "none" and not all_at_risk(s, p.id)
        ],
    }


def backup_abroad_state(s: Scenario, advice: Advice) -> str:
    """The State of the Lead Party, as running text names it, where the Lead is the host State or one of its
    authorities and the Backup Lead Party is a territorial authority of another State (cross-border preparedness: the
    local authority across the border); "" otherwise."""
    lead = next((r.party for r in advice.holders("lead")), None)
    backup = next((r.party for r in advice.holders("backup_lead")), None)
    if not lead or not backup:
        return ""
    kinds = {p.id: p.kind for p in s.parties}
    if kinds.get(lead) not in TERRITORIAL_KINDS or kinds.get(backup) not in TERRITORIAL_KINDS:
        return ""
    lead_state, backup_state = state_of(s, lead), state_of(s, backup)
    # only where the Lead is the authority of the territory where the people are (the host side of a border)
    if lead_state == backup_state or lead_state != state_of(s, s.host_state):
        return ""
    lead_party = s.party(lead)
    if lead_party and lead_party.kind == "state":
        return text_name(lead_party)
    forms = territorial(lead_party.name, lead_party.kind) if lead_party else None
    # the State a local authority belongs to, as its name gives it ("the Kingdom of Siamra"), a Party or not
    return forms.nationals_of if forms and forms.nationals_of else ""


def child_tracers(s: Scenario, advice: Advice) -> list[str]:
    """The signatories with a tracing mandate that are not members of the Family Links Network, where a member holds
    the family-tracing role (role.family_tracing.outside_network does not fire): they trace the families of the
    children in their care with the Tracing Service, one request per person sought (round 15, haiti2010)."""
    tracers = {r.party for r in advice.holders("family_tracing")}
    if not any((p := s.party(pid)) and family_links_member(p.name, p.kind) for pid in tracers):
        return []
    return [
        text_name(p)
        for p in signatories(s)
        if "family_tracing" in (p.mandates or []) and not family_links_member(p.name, p.kind) and p.id not in tracers
    ]


def posts_context(s: Scenario) -> dict[str, Any]:
    """The consular posts the Parties list (posts.listed_posts), as the annex of posts and the consular article write
    them. ``post_texts``: one line per Party with posts, "<Party>: at <city> (<receiving State>), for <Parties>; …";
    a post that acts for nobody (every other Party has a post in that State) says so. ``post_receiving_party_names``:
    the receiving States of listed posts that sign, which consent by signing rather than being notified;
    ``post_host_listed``: a listed post in the host State acts for another Party (the host is notified once)."""
    name = lambda pid: in_text(party_name(s, pid) if s.party(pid) else pid)  # noqa: E731
    posts = listed_posts(s)
    by_party: dict[str, list[str]] = {}
    for post in posts:
        whom = "where each Party assists its own nationals"
        if post.acts_for:
            whom = f"for {_and_list([name(x) for x in post.acts_for])}"
        by_party.setdefault(post.party, []).append(f"at {post.city} ({name(post.receiving)}), {whom}")
    signing = {p.id for p in signatories(s)}
    receiving = [name(p.receiving) for p in posts if p.receiving in signing and p.acts_for]
    return {
        "post_texts": [f"{name(pid)}: {'; '.join(lines)}" for pid, lines in by_party.items()],
        "post_receiving_party_names": list(dict.fromkeys(receiving)),
        "post_host_listed": any(p.receiving == s.host_state and p.acts_for for p in posts),
    }


def representation(s: Scenario, advice: Advice) -> dict[str, list[str]]:
    """For each represented State, the States that hold the representing_state role for it, the one that acts
    first: exactly one Representing State acts for a represented State, the others only in its place when it cannot
    act (the EU Lead State, Dir. 2015/637 Art. 13; the Nordic missions pre-distribute the task). The Lead Party
    comes first where it is a candidate, then the Backup Lead Party, then a State with an embassy before one with a
    consulate, then the order of the Parties. Empty unless the consular-representation article is the standard one
    (under io_documentation no State acts for another)."""
    if not any(c.id == "consular_representation" and c.variant == "standard" for c in advice.clauses):
        return {}
    order = {p.id: i for i, p in enumerate(s.parties)}
    lead = next((r.party for r in advice.holders("lead")), None)
    backup = next((r.party for r in advice.holders("backup_lead")), None)

    def rank(pid: str) -> tuple:
        p = s.party(pid)
        post = p.capacities.consular_presence if p and p.capacities else None
        return (pid != lead, pid != backup, post != "embassy", order.get(pid, len(order)))

    out: dict[str, list[str]] = {}
    for r in advice.holders("representing_state"):
        if r.for_ and r.party not in out.get(r.for_, []):
            out.setdefault(r.for_, []).append(r.party)
    return {un: sorted(reps, key=rank) for un, reps in out.items()}


def representation_backups(s: Scenario, chosen: dict[str, list[str]]) -> list[str]:
    """The States that act in a Representing State's place, in order, with the represented States they back up, each
    chain once: "the Federal Republic of Rhenia or, failing it, the Republic of Kenara for the Republic of Estara"."""
    name = lambda pid: in_text(party_name(s, pid))  # noqa: E731
    chains: dict[str, list[str]] = {}
    for un, reps in chosen.items():
        if reps[1:]:
            chains.setdefault(" or, failing it, ".join(name(b) for b in reps[1:]), []).append(name(un))
    return [f"{chain} for {_join(uns)}" for chain, uns in chains.items()]


def travel_document_issuers(s: Scenario, advice: Advice, chosen: dict[str, list[str]], ios: list[Party]) -> list[str]:
    """Who issues emergency travel documents to nationals whose State issues none on the spot, each phrase "for
    nationals of <States>, by <issuer>", grouped by issuer. A State Party without a consular post in the Host State:
    its Representing State where one acts for it, else that State through its nearest mission (with the
    assistance of an international organization Party, when there is one). States that are not Parties: an
    international organization Party that issues travel documents of its own (the ICRC travel document) where their
    State issues none; else their State through its nearest mission, requested by the Parties (with the help of an
    organization with a migration mandate that is a Party, when there is one), never left to nobody. Stateless
    persons and nationals of a State who all flee it are left to the article's paragraph on persons who seek
    protection (never a document from the State they flee). A State with only an honorary consul, or one that says
    it issues no travel documents, is treated as one without a post (``issues_documents``). None where the Parties
    need no travel documents (not among the services) and move nobody out of the Host State (no Evacuation, onward
    travel or return): a family-tracing or liaison arrangement issues no Laissez-passer."""
    leaving = any(o.id in ("evacuation", "onward_travel", "return") for o in territory(s).operations)
    if "travel_documents" not in (s.services_needed or []) and not leaving:
        return []
    issuing_io = next((p for p in ios if p.capacities and p.capacities.travel_documents), None)
    migration_io = next((p for p in ios if "migration" in (p.mandates or [])), None)
    helper = migration_io or issuing_io
    helped = f", with the assistance of {text_name(helper)}" if helper else ""
    if issuing_io:
        non_party = (
            f"by {text_name(issuing_io)}, on an emergency travel document of its own where the State of nationality "
            "issues none"
        )
    else:  # a State that is not a Party is asked, not bound
        non_party = (
            "through the nearest mission of their State of nationality, which the Parties shall request to issue "
            f"them{helped}"
        )
    groups: dict[str, list[str]] = {}
    for nationality in dict.fromkeys(g.nationality for g in s.populations or [] if g.count):
        p = s.party(nationality)
        if nationality == "stateless" or all_at_risk(s, nationality):
            continue
        if p is not None and p.kind == "state" and issues_documents(p):
            continue  # it issues its own nationals' documents through its post
        if p is not None and p.kind == "state" and nationality in chosen:
            issuer = f"by {in_text(party_name(s, chosen[nationality][0]))}, as Representing State"
        elif p is not None and p.kind == "state":
            issuer = f"by their State of nationality through its nearest mission{helped}"
        else:
            issuer = non_party
        groups.setdefault(issuer, []).append(text_name(p) if p is not None else "States that are not Parties")
    return [f"for nationals of {_join(names)}, {issuer}" for issuer, names in groups.items()]


def issues_documents(p: Party) -> bool:
    """Whether a State issues its nationals' travel documents on the spot in the host: through an embassy or
    consulate unless it says it cannot (capacity travel_documents false), through an honorary consul only if it
    says it can; with no post, never. Otherwise the Representing State or organization fallback applies."""
    caps = p.capacities
    if caps is None:
        return True  # nothing said: presumed to act through its post
    if caps.consular_presence == "none":
        return False
    if caps.consular_presence == "honorary":
        return bool(caps.travel_documents)
    return caps.travel_documents is not False


def _join(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def self_reference_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """Who holds the lead and which States receive their own nationals, so a sentence never makes a Party consult,
    notify or assist itself under another name: ``lead_is_host``, ``lead_is_transit`` (the Lead Party is a transit
    State: ``transit_states``), ``lead_of_nationality`` (the Lead Party is a State of nationality of the people
    concerned), ``transit_nationals_names`` (the transit States whose own nationals are among the people moved, who
    enter their own State: no stay limit, no onward travel) and ``transit_own_nationals_only`` (every person moved is
    a national of a transit State: the reception of its own nationals, not a transit)."""
    lead = next((r.party for r in advice.holders("lead")), None)
    transit = list(s.transit_states or [])
    groups = [g for g in s.populations or [] if g.count]
    return {
        "lead_is_host": bool(lead and lead == s.host_state),
        "lead_is_transit": bool(lead and lead in transit),
        "lead_of_nationality": bool(lead and (p := s.party(lead)) and p.kind == "state" and _of_nationality(s, lead)),
        "transit_nationals_names": [
            in_text(party_name(s, t)) for t in transit if any(g.nationality == state_of(s, t) for g in groups)
        ],
        "transit_own_nationals_only": bool(groups)
        and all(g.nationality in {state_of(s, t) for t in transit} for g in groups),
    }


def liable_party_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """The private Parties liable towards workers, each labelled by its kind, so a clause names an employer as an
    employer and mentions an employers' federation, or a shipowner, only when there is one: the liable employers,
    recruitment agencies and employers' federations (``liable_employer_names``, ``liable_recruiter_names``,
    ``liable_federation_names``) and whether seafarers are among the people covered (``seafarers_covered``)."""
    liable = {r.party for r in advice.holders("liable_private_party")}
    bodies = [text_name(p) for p in s.parties if p.id in liable and represents_members(s, p.id)]
    by_kind = {
        kind: [text_name(p) for p in s.parties if p.id in liable and p.kind == kind and text_name(p) not in bodies]
        for kind in ("employer", "recruiter")
    }
    recruited = {g.nationality for g in s.populations or [] if g.recruited_through_agencies}
    origins = [text_name(p) for p in s.parties if p.kind == "state" and p.id in recruited]
    return {
        "liable_employer_names": by_kind["employer"],
        "liable_recruiter_names": by_kind["recruiter"],
        "liable_federation_names": bodies,
        "seafarers_covered": any("seafarers" in (g.sectors or ()) for g in s.populations or []),
        "liability_law_text": (
            f"the law of {origins[0]}"
            if len(origins) == 1
            else f"the law of each State of origin ({_and_list(origins)})"
            if origins
            else "the law of the State of origin of the workers"
        ),
    }


def signatory_state_context(s: Scenario) -> dict[str, Any]:
    """The States of nationality and Transit States that sign (signing.signs), so a clause binds only those and
    asks the others: ``nationality_party_names`` (States that sign and whose nationals are
    among the people concerned, or of crisis role ``origin``), ``transit_party_names`` (the Transit States that
    sign) and ``host_local`` (the Host State is a local authority, whose requests go to national authorities)."""
    from .signing import signs

    return {
        "nationality_party_names": [
            text_name(p) for p in s.parties if signs(s, p.id) and p.kind == "state" and _of_nationality(s, p.id)
        ],
        "transit_party_names": [text_name(p) for p in s.parties if signs(s, p.id) and p.id in transit_states(s)],
        "host_local": bool((host := s.party(s.host_state)) and host.kind == "local_authority"),
        "nationality_outside": nationality_outside(s),
    }


def nationality_outside(s: Scenario) -> bool:
    """Some people covered have no State of nationality that signs (nationals of a State that is no Party, of other
    States, or stateless), so no State of nationality can request activation or set their Alert Phase under the
    instrument: the Lead Party does. Nationals of the host who flee it are left aside (the Lead Party acts for them
    already: territory.host_nationals_leaving)."""
    from .signing import signs

    leaving = host_nationals_leaving(s)
    return any(
        not signs(s, g.nationality)
        for g in s.populations or []
        if g.count and not (leaving and g.nationality == s.host_state)
    )


def operative_core_context(s: Scenario, advice: Advice) -> dict[str, Any]:
    """Who holds the duties of the articles that make each purpose work (rules/operative_core.yaml), named only
    when a Party that signs can hold them (signing.signs), so a clause shows a hole rather than bind anyone else.

    ``host_signs``: the host State signs (otherwise the Parties address it by request). Shared monitoring:
    ``monitoring_names`` (Parties with assets to monitor the crisis and communicate) and ``monitoring_foreign_names``
    (those other than the host, whose assets work on its territory with its consent) and ``information_lead_name``
    (the one Party that issues public advice based on shared monitoring: the information focal point, else the
    host when it signs and people do not flee it, else the Lead Party; the others relay it). Crew change:
    ``crew_change_arrangement`` (every person covered is a seafarer, so the agreement is a crew-change arrangement
    and its scope is the seafarers), ``crew_port_name`` (the host as
    port State), ``crew_transit_names`` (the transit States), and, when seafarers are covered,
    ``seafarer_origin_names`` (the States Parties whose nationals they are), ``shipowner_names``,
    ``manning_agent_names`` and ``shipowner_association_names`` (the employers, recruitment agencies and employers'
    federations among the Parties). Departure lists: ``list_submitter_names`` (the States Parties of nationality of
    the people concerned), ``list_clearing_names`` (the transit States that verify identity before people cross),
    ``list_other_name`` (who lists people no State Party lists, or who do not wish to approach their State: an
    organization with a migration, else a refugee-protection mandate, else a Lead Party that is no State of
    nationality), ``list_barred_names`` (authorities that must hold no register of people in need of protection:
    facts.register_barred) and ``host_barred``. Deployments: ``receiving_party_names`` (the Lead Party, to which the
    others deploy), ``deploying_other_names`` (the Deploying Parties other than it), ``own_team_names`` (a Lead Party
    that deploys its own team) and ``own_team_is_state``. Tracing: ``unaccompanied_children`` (how many are known).
    Mutual aid: ``activation_variant``, ``mutual_aid_names`` (the host and the States of arrival that are States or
    local authorities), ``mutual_aid_local`` (one of them is a local authority), ``mutual_aid_treaty`` (a disaster
    mutual-aid treaty is in force between Parties) and ``mutual_aid_cost_rule`` (``requesting_pays`` when the
    Parties share costs, ``assisting_bears`` when they do not, absent when unknown)."""
    from .facts import register_barred
    from .signing import participation

    where = territory(s)
    part = participation(s)
    party = [p for p in s.parties if part[p.id].signs]
    names = lambda ps: [text_name(p) for p in ps]  # noqa: E731
    host = s.party(s.host_state)
    seafarers = any("seafarers" in (g.sectors or ()) for g in s.populations or [])
    nationalities = {g.nationality for g in s.populations or [] if g.count}
    lead = next((r.party for r in advice.holders("lead")), None)
    deploying = list(dict.fromkeys(r.party for r in advice.holders("deploying_partner")))
    lead_party = s.party(lead) if lead else None
    ios = [p for p in party if p.kind == "international_organization" and not _of_nationality(s, p.id)]
    lister = (
        next((p for p in ios if "migration" in (p.mandates or [])), None)
        or next((p for p in ios if "refugee_protection" in (p.mandates or [])), None)
        or (lead_party if lead_party and lead_party in party and not _of_nationality(s, lead_party.id) else None)
    )
    sides = (s.host_state, *where.arrival)
    neighbours = [p for p in party if p.kind in ("state", "local_authority") and p.id in sides]
    share = s.funding.share_costs if s.funding else None
    instruments = (s.funding.existing_instruments or []) if s.funding else []
    focal = [s.party(r.party) for r in advice.holders("information_focal_point")]
    fled_host = host if where.host_fled else None
    informs = next((p for p in (*focal, host, lead_party) if p and p in party and p is not fled_host), None)
    crew_only = seafarers and all("seafarers" in (g.sectors or ()) for g in s.populations or [] if g.count)
    return {
        "host_signs": signs(s, s.host_state),
        "monitoring_names": names(p for p in party if p.capacities and p.capacities.monitoring_assets),
        "monitoring_foreign_names": names(
            p for p in party if p.capacities and p.capacities.monitoring_assets and p.id != s.host_state
        ),
        "information_lead_name": text_name(informs) if informs else None,
        "crew_change_arrangement": crew_only,
        # some of the people covered may employ migrant workers of their own (their sector is unknown or "other"):
        # only then does the scope extend to "the migrant workers in their employ" (MICIC Guideline 13)
        "migrant_employers_possible": any(
            not g.sectors or "other" in g.sectors for g in s.populations or [] if g.count
        ),
        "crew_port_name": text_name(host) if host and host in party else None,
        "crew_transit_names": names(p for p in party if p.id in (s.transit_states or [])),
        "seafarer_origin_names": names(
            p
            for p in party
            if p.kind == "state"
            and any(g.nationality == p.id and "seafarers" in (g.sectors or ()) for g in s.populations or [])
        ),
        "shipowner_names": names(p for p in party if seafarers and p.kind == "employer"),
        "manning_agent_names": names(p for p in party if seafarers and p.kind == "recruiter"),
        "shipowner_association_names": names(p for p in party if seafarers and p.kind == "employers_federation"),
        "list_submitter_names": names(p for p in party if p.kind == "state" and p.id in nationalities),
        "list_clearing_names": names(
            p for p in party if p.id in where.arrival and p.capacities and p.capacities.identity_verification
        ),
        "list_other_name": text_name(lister) if lister else None,
        "list_barred_names": names(p for p in s.parties if register_barred(s, p, where)),
        "host_barred": bool(host and register_barred(s, host, where)),
        "receiving_party_names": names([lead_party]) if lead_party in party and lead not in deploying else [],
        "deploying_other_names": names(p for p in party if p.id in deploying and p.id != lead),
        "own_team_names": names([lead_party]) if lead_party in party and lead in deploying else [],
        "own_team_is_state": bool(lead_party and lead_party.kind == "state"),
        "unaccompanied_children": sum(
            (g.vulnerabilities or {}).get("unaccompanied_children", 0) for g in s.populations or []
        ),
        "activation_variant": next((c.variant for c in advice.clauses if c.id == "activation"), "none"),
        "mutual_aid_names": names(neighbours),
        "mutual_aid_local": any(p.kind == "local_authority" for p in neighbours),
        "mutual_aid_treaty": "disaster_mutual_aid_treaty" in instruments,
        "mutual_aid_cost_rule": {True: "requesting_pays", False: "assisting_bears"}.get(share),
    }


def _cost_record_years(library: ClauseLibrary) -> int:
    """The years for which supporting documents of costs are kept for audit: the data protocol's period, which the
    claim form's certification repeats (one period in the draft, not two)."""
    protocol = library.get("data_sharing_protocol")
    param = protocol.params.get("cost_record_years") if protocol else None
    return param.default if param is not None and isinstance(param.default, int) else 5


def assemble(scenario: Scenario, advice: Advice, library: ClauseLibrary) -> Draft:
    """Render the selected clauses into a numbered instrument with its annexes.

    Articles are numbered first, so cross references (``article('x')``) resolve to the numbers the
    clauses actually get; definitions used by the selected clauses are gathered into the definitions article.
    """
    selected = [(sel, c) for sel in advice.clauses if (c := library.get(sel.id)) is not None]
    form = instrument_form(selected)
    # the Memorandum of Participation is the annex of a binding framework only
    selected = [(sel, c) for sel, c in selected if c.id != PARTICIPATION_CLAUSE or form == "framework"]
    articles = [
        (sel, c) for sel, c in selected if c.placement == "article" and c.topic not in FRONT_TOPICS + BACK_TOPICS
    ]
    articles = _with_parties_article(
        articles, [(sel, c) for sel, c in selected if c.topic == "parties" and c.placement == "article"]
    )
    annexed = [(sel, c) for sel, c in selected if c.placement == "annex"]
    numbers = {c.id: f"Article {i}" for i, (_, c) in enumerate(articles, 1)}
    holder = "Party or Participant" if participants(scenario, form) else "Party"
    generated = [
        roles_annex(scenario, advice, holder),
        costs_annex(scenario, advice),
        *forms_appendix(scenario, advice, _cost_record_years(library)),
        contacts_annex(scenario, advice, holder),
    ]
    # an appendix (the standard forms, with Annex B) takes no letter of its own
    lettered = sum(1 for x in generated if not x.title.startswith("Appendix"))
    numbers |= {c.id: f"Annex {ANNEX_LETTERS[lettered + i]}" for i, (_, c) in enumerate(annexed)}

    def article(clause_id: str) -> str:
        clause = library.get(clause_id)
        topic = label(clause.topic) if clause else clause_id
        return numbers.get(clause_id, f"[the provisions on {topic}, not part of this draft]")

    ctx = (
        draft_context(scenario, advice)
        | signing_context(scenario, advice, form)
        | {
            "instrument_citations": citations(selected, scenario.crisis.kind),
            "instrument": "Memorandum of Understanding" if form == "memorandum" else "Agreement",
            # a Representing State acts as the Represented State's agent (the consular article's standard variant)
            "consular_agency": any(
                c.id == "consular_representation" and sel.variant == "standard" for sel, c in articles
            ),
            # the operations article organizes no Relocation or Evacuation (its crew-change variant: seafarers join
            # their ships or are repatriated through designated ports; round 21, crew_change_seafarers: the alert
            # phases had the Parties "carry out Evacuation")
            "no_evacuation": any(c.id == "operations" and sel.variant == "crew_change" for sel, c in articles),
            # the arrangement stands at all times, not only in a Crisis (the scope's standing variant)
            "standing_scope": any(c.id == "scope" and sel.variant == "standing_representation" for sel, c in articles),
        }
    )
    draft = Draft(title=scenario.title, instrument=ctx["instrument"], designations=ctx["party_designations"])
    # a heading names the host by the draft's term for it ("Facilitation by the Host Authority": territory.host_term)
    heading = lambda title: title.replace("Host State", ctx["host_term"])  # noqa: E731
    # An authority has no territory or nationals of its own (names.territorial_references).
    places = {text_name(p): territorial(p.name, p.kind) for p in scenario.parties}
    for sel, clause in selected:
        text = territorial_references(
            render_body(clause, sel.variant, param_values(clause, ctx), article, anchors=True), places
        )
        text = numbered_references(ABBREVIATION_STOP.sub("", text), numbers)
        if clause.topic == "parties" and clause.placement == "article" and clause.id in numbers:
            # the parties block names the Parties; what binds them (organs, capacities) is an article
            block, _, rest = text.partition("\n\n")
            draft.parties = (draft.parties + "\n\n" + block).strip()
            if rest.strip():
                draft.articles.append(
                    Article(
                        number=numbers[clause.id].removeprefix("Article "),
                        heading=PARTIES_HEADING,
                        text=_renumbered(rest),
                        clause=clause.id,
                        variant=sel.variant,
                    )
                )
        elif clause.topic in FRONT_TOPICS and clause.placement == "article":
            setattr(draft, clause.topic, (getattr(draft, clause.topic) + "\n\n" + text).strip())
        elif clause.topic in BACK_TOPICS:
            draft.signatures = text
        elif clause.placement == "article":
            if clause.topic == "definitions":
                text = gather_definitions(text, [c for _, c in selected], [sel.variant for sel, _ in selected])
            number = numbers[clause.id].removeprefix("Article ")
            draft.articles.append(
                Article(
                    number=number,
                    heading=heading(variant_title(clause, sel.variant)),
                    text=text,
                    clause=clause.id,
                    variant=sel.variant,
                )
            )
        else:
            letter = numbers[clause.id].removeprefix("Annex ")
            draft.annexes.append(Annex(title=f"Annex {letter}. {clause.title}", text=text, clause=clause.id))
    draft.articles.sort(key=lambda a: int(a.number) if a.number.isdigit() else 0)
    _resolve_paragraph_citations(draft, numbers)
    # the parties block and the recitals are not numbered paragraphs of the instrument (round 17, eight drafts:
    # "numbered preamble"; treaty practice numbers the articles only)
    draft.parties, draft.preamble = _unnumbered(draft.parties), _unnumbered(draft.preamble)
    _number_form_references(draft, _standard_forms(advice))
    for annex in generated:
        annex.text = numbered_references(annex.text, numbers)
        # the note is what the document shows above the table: cited by number as the text is
        annex.note = numbered_references(annex.note, numbers)
        annex.rows = [[numbered_references(cell, numbers) for cell in row] for row in annex.rows]
    draft.annexes = generated + draft.annexes
    settle_definitions(draft, library)
    if form == "memorandum":
        word_as_memorandum(draft)
    else:
        word_participants(draft, ctx)
    return draft


_PARAGRAPH_NUMBER = re.compile(r"^\d+\. ", re.MULTILINE)

# The article that holds the operative paragraphs of the parties clause (the organs through which the Parties act,
# the capacity in which organizations, civil society and financing bodies take part, non-recognition, the
# Participants): treaty practice keeps the preamble's opening to naming the Parties (round 18: "operative text in
# the parties block, before the preamble").
PARTIES_HEADING = "Status and Representation of the Parties"
# the article follows these topics, the last of them present (after the purpose, definitions and scope)
_PARTIES_AFTER = ("purpose", "definitions", "scope")


def _with_parties_article(articles: list, parties: list) -> list:
    """The articles to number with the parties clause's article among them, after the purpose, definitions and
    scope (the first article where none of them is drafted)."""
    if not parties:
        return articles
    at = max((i + 1 for i, (_, c) in enumerate(articles) if c.topic in _PARTIES_AFTER), default=0)
    return articles[:at] + parties[:1] + articles[at:]


def _renumbered(text: str) -> str:
    """Paragraphs numbered from 1 again (those that follow the parties block's opening paragraph)."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    return "\n\n".join(_PARAGRAPH_NUMBER.sub(f"{i}. ", p.strip(), count=1) for i, p in enumerate(paras, 1))


def _unnumbered(text: str) -> str:
    """A front block without the numbers of its paragraphs."""
    return "\n\n".join(_PARAGRAPH_NUMBER.sub("", p, count=1) for p in text.split("\n\n"))


def _resolve_paragraph_citations(draft: Draft, numbers: dict[str, str]) -> None:
    """Each ``paragraphs(clause, label)`` citation of the rendered clauses resolved to the numbers of the paragraphs
    that bear the label once the articles and annexes are numbered (clauses.resolve_paragraphs), labels dropped."""
    labels = {a.clause: paragraph_labels(a.text) for a in draft.articles}
    labels |= {x.clause: paragraph_labels(x.text) for x in draft.annexes if x.clause}
    for a in draft.articles:
        a.text = resolve_paragraphs(a.text, labels, numbers, own=a.clause)
    for x in draft.annexes:
        x.text = resolve_paragraphs(x.text, labels, numbers, own=x.clause)
    draft.parties = resolve_paragraphs(draft.parties, labels, numbers)
    draft.preamble = resolve_paragraphs(draft.preamble, labels, numbers)
    draft.signatures = resolve_paragraphs(draft.signatures, labels, numbers)


# How the articles refer to each standard form of the Appendix to Annex B, and the same reference with the form's
# number there (round 16: "Art. 9(4) should cite Form 2 of the Appendix").
FORM_REFERENCES = {
    "claim_form": "standard claim form set out in the Appendix to Annex B",
    "undertaking_form": "standard form set out in the Appendix to Annex B",
}


def _number_form_references(draft: Draft, forms: list[str]) -> None:
    """Each reference to a standard form names the form's number in the Appendix (``_standard_forms`` order)."""
    for n, form in enumerate(forms, start=1):
        phrase = FORM_REFERENCES.get(form)
        if not phrase:
            continue
        numbered = phrase.replace("set out in the Appendix", f"set out as Form {n} in the Appendix")
        for a in draft.articles:
            a.text = a.text.replace(phrase, numbered)


# Articles the cost texts and Annex B name by what they do ("the cost article"): in a draft they are cited by number
# (round 11: readers of seven drafts asked for the article numbers). Longest phrases first.
DESCRIBED_ARTICLES = (
    ("the article on the responsibility of employers", "employer_liability"),
    ("the article on their obligations", "employer_liability"),
    ("the Article on lists of persons cleared to cross", "departure_lists"),
    ("the co-financing article", "cofinancing"),
    ("the advance article", "bridging_fund"),
    ("the article on transit", "transit_reception"),
    ("the cost article", "cost_allocation"),
    ("the annex of consular posts", "consular_posts"),
    ("the article on consular assistance on behalf of another State", "consular_representation"),
)


def numbered_references(text: str, numbers: dict[str, str]) -> str:
    """Running text with each article described by what it does cited by its number where the draft has it."""
    for phrase, clause_id in DESCRIBED_ARTICLES:
        if phrase in text and clause_id in numbers:
            text = text.replace(phrase, numbers[clause_id])
    return text


PARTICIPATION_CLAUSE = "participation_memorandum"
# A name that ends with an abbreviation's full stop ("Aegean Star Ferries S.A.") at the end of a sentence takes no
# second one: the second stop after a letter and a stop, before a space, a bracket or the end.
ABBREVIATION_STOP = re.compile(r"(?<=[A-Za-z]\.)\.(?=[\s)]|$)")


def instrument_form(selected: list) -> str:
    """The form of the instrument, as the rules chose it (rules/instrument_form.yaml): "memorandum" when any selected
    text is non-binding (the final provisions' non_binding variant, or another text chosen for a memorandum), else
    "framework" when the final provisions are those of a binding framework with a Memorandum of Participation
    annexed, else "agreement"."""
    if any(c.variant(sel.variant).binding is False for sel, c in selected):
        return "memorandum"
    final = next((sel.variant for sel, c in selected if c.topic == "final_provisions"), None)
    return "framework" if final == "framework" else "agreement"


def participants(s: Scenario, form: str) -> list[Party]:
    """The signatories that sign the Memorandum of Participation of a binding framework instead of the Agreement:
    those that cannot be bound (facts.binds: NGOs, National Societies, migrant associations, companies, and local
    authorities or donors that have not said they can). None in another form."""
    return [p for p in signatories(s) if not binds(p)] if form == "framework" else []


def signing_context(s: Scenario, advice: Advice, form: str) -> dict[str, Any]:
    """Who the parties block and the signature blocks name (issue 13, item 4). ``party_designations``: the Parties,
    only signatories (in a binding framework only those that can be bound); ``non_signatory_designations``: the
    bodies that take part without signing, named once after the Parties, and ``requested_state_designations``, the
    States (or State authorities) among them, which are addressed by request and do not participate; in a binding
    framework, ``participant_names`` and ``participant_designations``, the signatories of the Memorandum of
    Participation, ``participant_tasks``, each one's roles in Annex A, ``participant_private_names``, the
    employers, recruiters, federations and carriers among them, and ``participant_civil_society_names``, the NGOs,
    National Societies and migrant associations among them; ``acting_through_texts`` for Parties and Participants;
    the organizations, civil society, private-sector entities and donors in their own name among the Parties
    (``party_organization_names``, ``party_civil_society_names``, ``party_private_sector_names``,
    ``party_donor_names``), and the development banks and donors among them, Parties for financing only
    (``party_financing_names``); ``parties_all_states``: every Party is a State, so notifications between them go
    through diplomatic channels (an organization or other non-State Party has none); ``party_local_names``: the local
    or regional authorities among the Parties (never a Participant)."""
    joining = participants(s, form)
    parties = [p for p in signatories(s) if p not in joining]
    controllers = {pid for pid, _ in data_rows(s, advice)}  # as Annex A lists them (data_rows)
    held = lambda p: list(  # noqa: E731
        dict.fromkeys(
            label(r.role)
            for r in operative_roles(advice)
            if r.party == p.id and (r.role != "data_controller" or p.id in controllers)
        )
    )
    kinds = lambda wanted: [text_name(p) for p in parties if p.kind in wanted]  # noqa: E731
    tasks = []
    for p in joining:
        # the tasks in words, never Annex A's role labels ("as family tracing", "as liable private party": round 16)
        roles = list(
            dict.fromkeys(
                participant_task(s, r.role, p.id)
                for r in advice.roles
                if r.party == p.id and (r.role != "data_controller" or p.id in controllers)
            )
        )
        if roles:
            tasks.append(f"for {text_name(p)}, {_and_list(roles)}")
    return {
        # the organizations that are Parties: an organization that signs the Memorandum of Participation of a
        # framework (a funder only: signing.funds_only) is no "international organization Party" of its articles
        "organization_names": [
            text_name(p) for p in signatories(s) if p.kind in ORGANIZATION_KINDS and p not in joining
        ],
        "party_designations": [designation(p) for p in parties],
        # the organ that acts for each signatory, shown in its signature block (round 18, five drafts)
        "party_organs": [split_organ(p.name, p.kind).organ or "" for p in parties],
        "parties_all_states": all(p.kind == "state" for p in parties),
        # local or regional authorities that are Parties (not Participants of a framework): within their competence,
        # no diplomatic channels; their procedures condition entry into force, and others like them may accede
        "party_local_names": [in_text(party_name(s, p.id)) for p in parties if p.kind == "local_authority"],
        "non_signatory_designations": [designation(p, signing=False) for p in non_signatories(s)],
        "non_signatory_names": [text_name(p) for p in non_signatories(s)],
        "requested_state_designations": [designation(p) for p in non_signatories(s) if p.kind == "state"],
        # States whose authorities are contested or de facto (a note of the name): no recognition implied (round 14,
        # libya2011: "without a clause that the agreement does not imply recognition")
        "party_contested_designations": [
            designation(p) for p in s.parties if p.kind in ("state", "local_authority") and contested(p.name, p.kind)
        ],
        # names plural in form ("De facto authorities in …"): one body that takes "are" and "them" (names.reads_plural)
        "plural_designations": [designation(p, signing=False) for p in s.parties if reads_plural(p.name)],
        "participant_names": [text_name(p) for p in joining],
        "participant_designations": [designation(p) for p in joining],
        "participant_tasks": tasks,
        "participant_private_names": [text_name(p) for p in joining if p.kind in PRIVATE_KINDS],
        "participant_civil_society_names": [text_name(p) for p in joining if p.kind in CIVIL_SOCIETY_KINDS],
        # an international organization or a regional body that signs the Memorandum of Participation acts under its
        # constituent instrument, not under statutes (round 19: "civil-society wording applied to the EU")
        "participant_organization_names": [text_name(p) for p in joining if p.kind in ORGANIZATION_KINDS],
        "acting_through_texts": [t for p in parties if (t := acting_through(p, functions=held(p)))]
        + [t for p in joining if (t := acting_through(p, "Participant"))],
        # organizations bound on a presumed capacity (signing.unconfirmed_capacity): the parties block asks for it
        "party_capacity_unconfirmed_names": [
            text_name(p) for p in parties if unconfirmed_capacity(p) and not legal_person_unknown(p.name, p.kind)
        ],
        # the same, as the signature blocks designate them: their blocks carry the bracket too (round 18, seven drafts)
        "party_capacity_unconfirmed_designations": [
            designation(p) for p in parties if unconfirmed_capacity(p) and not legal_person_unknown(p.name, p.kind)
        ],
        "party_organization_names": [
            text_name(p) for p in parties if p.kind in ORGANIZATION_KINDS and not legal_person_unknown(p.name, p.kind)
        ],
        # development banks and donors among the Parties: Parties for financing only (clause parties)
        "party_financing_names": kinds(FINANCING_KINDS),
        "party_civil_society_names": kinds(CIVIL_SOCIETY_KINDS),
        "party_private_sector_names": kinds(PRIVATE_KINDS),
        # a donor in its own name (a trust, a charitable fund), not a regional body's office entered as a donor
        "party_donor_names": [
            text_name(p) for p in parties if p.kind == "donor" and not split_organ(p.name, p.kind).organ
        ],
    }


def word_as_memorandum(draft: Draft) -> None:
    """A memorandum is worded as one throughout (wording.non_binding): every article and its heading, every annex,
    the parties block, the preamble and the signatures."""
    draft.parties, draft.preamble = non_binding(draft.parties), non_binding(draft.preamble)
    draft.signatures = non_binding(draft.signatures)
    for a in draft.articles:
        a.heading, a.text = non_binding(a.heading), non_binding(a.text)
    for x in draft.annexes:
        x.title, x.text, x.note = non_binding(x.title), non_binding(x.text), non_binding(x.note)


# Classes of bodies a clause may name as a subject, and the Parties' names whose presence makes the class bindable.
CLASS_SUBJECTS = {
    "party_civil_society_names": ("Civil society organizations", "Civil society", "Migrant associations"),
    "party_private_sector_names": ("Employers", "Recruitment agencies"),
}


def word_participants(draft: Draft, ctx: dict[str, Any]) -> None:
    """In a binding instrument, a sentence whose subject cannot be bound says "will", not "shall"
    (wording.non_binding_for), in the articles and the annexes (``unbound_subjects`` says which)."""
    subjects = unbound_subjects(draft, ctx)
    others = ctx["party_names"]
    for a in draft.articles:
        a.text = non_binding_for(a.text, subjects, others)
    for x in draft.annexes:
        x.text, x.note = non_binding_for(x.text, subjects, others), non_binding_for(x.note, subjects, others)


def unbound_subjects(draft: Draft, ctx: dict[str, Any]) -> list[str]:
    """The subjects no binding sentence may have: the Participants of a binding framework (signatories of the
    Memorandum of Participation), the bodies that take part without signing, a term all of whose holders are among
    them (a term defined inline, 'X (the "Tracing Service")'; a role of Annex A, "the Operation Lead"; the
    Deploying Party), and a class of bodies none of which is a Party ("Civil society organizations", "Employers")."""
    soft = ctx.get("participant_names", []) + ctx.get("non_signatory_names", [])
    subjects = list(soft) + (["Participant", "Participants"] if ctx.get("participant_names") else [])
    if soft:
        text = "\n".join([a.text for a in draft.articles] + [x.text for x in draft.annexes])
        terms = term_holders(text, ctx["party_names"])
        terms |= {label(role).title(): ctx.get(f"role_{role}", []) for role in ROLES}
        terms["Deploying Party"] = ctx.get("deploying_other_names", [])
        for term, holders in terms.items():
            if holds_only(holders, soft):
                subjects += [term, term[:-1] + "ies" if term.endswith("y") else term + "s"]
    for key, classes in CLASS_SUBJECTS.items():
        if not ctx.get(key):
            subjects += list(classes)
    return subjects


def _term_pattern(term: str, exact: bool) -> re.Pattern[str]:
    """A defined term as the draft uses it, in the singular or the plural ("Reception Point", "Reception Points",
    "Deploying Parties", "Persons assisted"); ``exact``: with its capitals, as a term of art is written; else the
    first letter may be lower case ("personal data")."""
    words = [re.escape(w[:-1]) + "(?:y|ies)" if re.search(r"[^aeiou]y$", w) else re.escape(w) + "(?:s|es)?"
             for w in term.split()]  # fmt: skip
    if not exact and words:
        words[0] = f"[{term[0].upper()}{term[0].lower()}]" + words[0][len(re.escape(term[0])) :]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])")


@lru_cache(maxsize=1024)
def _term_core(term: str, exact: bool) -> re.Pattern[str]:
    """``_term_pattern`` without its leading look-behind, which keeps the regex engine from scanning for the term's
    first letters (speed: the definitions are searched for in the whole draft); ``_finds_term`` checks it."""
    return re.compile(_term_pattern(term, exact).pattern.removeprefix(r"(?<![\w-])"))


def _finds_term(term: str, exact: bool, text: str) -> re.Match[str] | None:
    """The first use of a defined term in ``text``, as ``_term_pattern(term, exact).search(text)`` finds it."""
    for m in _term_core(term, exact).finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if not (before.isalnum() or before in "_-"):
            return m
    return None


def _title_case(term: str) -> bool:
    """A term of art in title case ("Operation Lead", "Reception Point") is used only as written; a single word or a
    term in lower case after its first word ("Personal data", "Child") is used also in lower case."""
    words = term.split()
    return len(words) > 1 and all(w[:1].isupper() for w in words)


def _used_as_term(term: str, text: str) -> bool:
    """The term of art written with its capitals, and not as the tail of a proper name (the "Red Crescent
    Movement" is no Movement) nor, for a one-word term, where any word takes a capital: at the start of a line,
    list item or sentence ("(a) Movement data set" is no use of "Movement")."""
    for m in _term_pattern(term, exact=True).finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if re.search(r"\b[A-Z][\w'-]*\s+$", before):
            continue
        if " " not in term and re.search(r"(^|\n|[.:;]\s+|\([a-z0-9]+\)\s+|—\s+)$", before):
            continue
        return True
    return False


def _definition_chunks(paragraph: str) -> list[str]:
    """A definitions paragraph split where each definition begins ('"Term" means'); a chunk keeps the sentences
    that follow its definition."""
    return [c for c in re.split(r'(?<=[.;]) (?="[^"]+" means)', paragraph) if c]


def settle_definitions(draft: Draft, library: ClauseLibrary) -> None:
    """One definition for every term of art the draft uses, and none it does not use, once the articles are chosen.

    A term counts as used only outside the definitions article (articles, annexes, parties block, preamble), so a
    term that only another definition mentions is not kept for it. A definition whose term is unused is dropped,
    and so is one whose term an article defines itself ('(the "Representing State")', '"X" means' in that
    article): the term is then defined once, where it is used. A term some clause of the library defines and the
    draft uses with its capitals, but that nothing defines, has that definition added. Paragraphs are
    renumbered."""
    art = next((a for a in draft.articles if a.clause and library.get(a.clause) and
                library.get(a.clause).topic == "definitions"), None)  # fmt: skip
    if art is None:
        return
    others = "\n".join(
        [draft.parties or "", draft.preamble or ""]
        + [a.text for a in draft.articles if a is not art]
        + [x.text for x in draft.annexes]
    )
    inline = inline_definitions("\n".join(a.text for a in draft.articles if a is not art))
    paragraphs = [p.strip() for p in art.text.split("\n\n") if p.strip()]
    body = [re.sub(r"^\d+\.\s*", "", p) for p in paragraphs]
    defined = {t.lower() for t in _DEFINED.findall(art.text)} | {t.lower() for t in inline}
    pool: dict[str, str] = {}
    for clause in library.clauses.values():
        for definitions in [clause.definitions, *(v.definitions for v in clause.variants.values())]:
            for term, meaning in definitions.items():
                pool.setdefault(term, meaning.strip().rstrip("."))
    missing = sorted((t for t in pool if t.lower() not in defined and _used_as_term(t, others)), key=str.lower)
    body += [f'"{t}" means {pool[t]}.' for t in missing]
    kept = []
    for b in body:
        keep = [c for c in _definition_chunks(b) if _keeps(c, others, inline)]
        if keep:
            kept.append(" ".join(keep))
    numbered = [f"{i}. {b}" for i, b in enumerate(kept, 1)]
    art.text = "\n\n".join(numbered)


def _keeps(chunk: str, others: str, inline: list[str]) -> bool:
    """A chunk of the definitions article stays when it defines nothing (the opening paragraph), or when a term it
    defines is used outside the definitions article and no article defines that term itself."""
    terms = _DEFINED.findall(chunk)
    if not terms:
        return True
    return any(
        _finds_term(t, _title_case(t), others) and not any(_term_pattern(t, exact=True).fullmatch(i) for i in inline)
        for t in terms
    )


_INLINE_GROUP = re.compile(r'\((?:the|each|each an?|an?)\s+"[^)]*\)')


def inline_definitions(text: str) -> list[str]:
    """The terms an article defines itself: in a parenthesis that names them ('(the "Representing State")',
    '(each a "Representing State" and a "Represented State")') or in a '"X" means' sentence."""
    found = [t for g in _INLINE_GROUP.findall(text) for t in re.findall(r'"([^"]+)"', g)]
    return list(dict.fromkeys(found + _DEFINED.findall(text)))


ANNEX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DEFINED = re.compile(r'"([^"]+)"\s+means')


def gather_definitions(text: str, clauses: list[Clause], variants: list[str] | None = None) -> str:
    """Add the terms other selected clauses rely on and the definitions article does not define yet. A selected
    variant's own definitions come first: the term then means what that variant makes of it."""
    defined = {t.lower() for t in _DEFINED.findall(text)}
    extra: dict[str, str] = {}
    chosen = [c.variant(v).definitions for c, v in zip(clauses, variants, strict=True)] if variants else []
    for definitions in [*chosen, *(c.definitions for c in clauses)]:
        for term, meaning in definitions.items():
            if term.lower() not in defined and term.lower() not in {t.lower() for t in extra}:
                extra[term] = meaning.strip().rstrip(".")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    n = sum(1 for p in paragraphs if re.match(r"^\d+\.", p.strip()))
    added = [f'{n + i}. "{term}" means {extra[term]}.' for i, term in enumerate(sorted(extra, key=str.lower), 1)]
    return "\n\n".join([*paragraphs, *added])


_PARTICULAR = re.compile(r"^(?P<instrument>.+?), in particular Articles? (?P<articles>[\d ,and]+)$")


def citations(selected: list, crisis_kind: str | None = None) -> list[str]:
    """The instruments the selected clauses and variants rest on, in order, each once: a citation limited to some
    crises (``crisis_kinds``) only in those crises, and one instrument cited for several of its articles ("the
    Vienna Convention on Consular Relations …, in particular Article 8" and "… Article 36") in one recital that
    names them all ("in particular Articles 8 and 36")."""
    out: list[str] = []
    articles: dict[str, list[str]] = {}
    for sel, clause in selected:
        for cite in [*clause.cites, *clause.variant(sel.variant).cites]:
            text = cite_applies(cite, crisis_kind)
            if text is None:
                continue
            m = _PARTICULAR.match(text)
            key = m.group("instrument") if m else text
            if key not in articles:
                out.append(key)
                articles[key] = []
            for number in re.findall(r"\d+", m.group("articles")) if m else []:
                if number not in articles[key]:
                    articles[key].append(number)

    def recital(key: str) -> str:
        numbers = sorted(articles[key], key=int)
        if not numbers:
            return key
        listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
        return f"{key}, in particular Article{'s' if len(numbers) > 1 else ''} {listed}"

    return [recital(k) for k in out]


# The organizations' own abbreviations. An abbreviation is never built from the initials of a name: that gives
# "OUNHCR" for UNHCR and "IFRCRCS" for the IFRC. An organization not listed here keeps its name without one,
# unless the scenario writes it in the name ("Regional Migration Office (RMO)").
KNOWN_ABBREVIATIONS = {
    "international organization for migration": "IOM",
    "office of the united nations high commissioner for refugees": "UNHCR",
    "united nations high commissioner for refugees": "UNHCR",
    "united nations children's fund": "UNICEF",
    "international committee of the red cross": "ICRC",
    "international federation of red cross and red crescent societies": "IFRC",
    "world food programme": "WFP",
    "world health organization": "WHO",
    "office for the coordination of humanitarian affairs": "OCHA",
    "united nations office for the coordination of humanitarian affairs": "OCHA",
    "united nations development programme": "UNDP",
    "international labour organization": "ILO",
    "united nations office on drugs and crime": "UNODC",
    "united nations population fund": "UNFPA",
    "organization for security and co-operation in europe": "OSCE",
    "international centre for migration policy development": "ICMPD",
    "united nations relief and works agency for palestine refugees in the near east": "UNRWA",
}


def acronym(name: str) -> str | None:
    """The organization's own abbreviation ("IOM"), from the table of known abbreviations; None when unknown or
    when the name already carries one in parentheses."""
    if "(" in name:
        return None
    key = re.sub(r"^the\s+", "", " ".join(name.split()).lower().replace("’", "'"))
    return KNOWN_ABBREVIATIONS.get(key)


def designation(party: Party, signing: bool = True) -> str:
    """How a party is named in the parties block and the signature blocks, by its kind. A State is its Government,
    without the organ acting for it (the parties block names the organ once: ``acting_through``); an authority that
    is no State by name keeps its name (names.territorial); a programme whose legal person its name does not give
    is, where it signs, a hole for that legal person (names.legal_person_unknown), and otherwise named as entered."""
    entity = entity_name(party)
    name = in_text(entity)
    if party.kind == "state" and territorial(party.name, party.kind) is None:  # every State alike
        return f"the Government of {name}"
    if signing and legal_person_unknown(party.name, party.kind):
        return f"[to be completed: the organization, a legal person, to which {name} belongs]"
    if party.kind == "international_organization":
        short = acronym(party.name)
        return f"{name} ({short})" if short else name
    return name


# Organs that act for a State in its external relations as a whole: a State signing through them acts through them.
GENERAL_ORGANS = re.compile(r"^(Ministry of (Foreign|External)|Department of Foreign|Foreign Office|Embassy|Consulate|"
                            r"Delegation|Mission|Permanent Mission|High Commission)")  # fmt: skip


def _functions(labels: list[str]) -> str:
    """ "the functions of lead party and of monitoring and evaluation": Annex A's role labels as text."""
    return "the functions of " + _and_list([labels[0], *(f"of {x}" for x in labels[1:])])


def acting_through(party: Party, capacity: str = "Party", functions: list[str] | None = None) -> str | None:
    """The sentence of the parties block that names the organ through which a State or local authority acts, as a
    Party or, in a binding framework, as a Participant that signs the Memorandum of Participation. A State that
    signs through a specialised organ (a civil-protection directorate, a police desk), whose competence is narrower
    than the State's duties, is the Party itself: the organ is its competent authority for the functions it holds
    (``functions``, its roles in Annex A), and its other competent authorities carry out its other commitments."""
    organ = split_organ(party.name, party.kind).organ
    if organ is None:
        return None
    who = designation(party)
    who = f"{who[:1].upper()}{who[1:]}"
    if party.kind != "state" or capacity != "Party" or GENERAL_ORGANS.match(organ):
        return f"{who} is a {capacity} {represented_by(organ)}"
    own = [f for f in functions or [] if within_competence(organ, f)]
    outside = [f for f in functions or [] if not within_competence(organ, f)]
    # the functions in words, never the annex's role labels in brackets (round 14, three drafts)
    scope = f"{_functions(own)} that Annex A assigns to it" if own else "the matters within its competence"
    rest = f", including {_functions(outside)}, which lie outside that competence" if outside else ""
    return (
        f"{who} is the Party; its {organ} is its competent authority for {scope}, and its other competent "
        f"authorities carry out its other commitments{rest}"
    )


def _table_text(columns: list[str], rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(r) for r in [columns, *rows])


# The articles that give each role its operative duty (clause, and the variants that do; None: any variant). A role
# none of whose articles is in the draft has no duty there, and Annex A does not list it (a bridging funder without
# the bridging-fund article, a Representing State where the host objects and an organization documents instead).
ROLE_ARTICLES: dict[str, tuple[tuple[str, tuple[str, ...] | None], ...]] = {
    "lead": (("roles", None),),
    "backup_lead": (("roles", None),),
    "consular_focal_point": (("roles", None),),
    "operation_lead": (("coordination", None),),
    "representing_state": (("consular_representation", ("standard",)),),
    "host_liaison": (("coordination", None), ("host_state_facilitation", None)),
    "transit_facilitator": (("transit_reception", None),),
    "transport_provider": (("roles", None), ("operations", None)),
    "logistics_provider": (("roles", None), ("operations", None)),
    "identity_documents": (("roles", None), ("identity_documents", None)),
    "information_focal_point": (("roles", None), ("information_to_migrants", None)),
    "protection_referral": (("roles", None), ("protection_referral", None)),
    "voluntary_return": (("voluntary_return", None),),
    "counter_trafficking_referral": (("counter_trafficking", None), ("protection_referral", None)),
    "child_protection": (("child_protection", None), ("protection_referral", None)),
    "family_tracing": (("family_tracing", None), ("child_protection", None), ("protection_referral", None)),
    "health_provider": (("roles", None), ("operations", None)),
    "funder": (("cost_allocation", None), ("transit_reception", None)),
    "bridging_funder": (("bridging_fund", None),),
    "deploying_partner": (("personnel_duty_of_care", None),),
    "liable_private_party": (("employer_liability", None), ("identity_documents", None)),
    "civil_society_liaison": (("roles", None),),
    "data_controller": (("data_protection", None), ("data_sharing_protocol", None)),
    "monitoring_evaluation": (("reporting_monitoring", None),),
    "institutional_support": (("roles", None),),
}


def operative_roles(advice: Advice) -> list:
    """The roles an article of the draft makes operative (ROLE_ARTICLES), in the order of the advice."""
    selected = {c.id: c.variant for c in advice.clauses}
    drafted = {
        role
        for role, articles in ROLE_ARTICLES.items()
        if any(c in selected and (v is None or selected[c] in v) for c, v in articles)
    }
    return [r for r in advice.roles if r.role in drafted]


# A body of employers or recruiters named as liable: the articles make it inform its members, never answer for them.
MEMBERS_BODY_LABEL = "representative body of its members"


# What a Participant that holds a role intends to do, in words (the Memorandum of Participation lists its tasks).
PARTICIPANT_TASKS = {
    "lead": "coordinating the Parties as Lead Party",
    "backup_lead": "acting as Backup Lead Party",
    "operation_lead": "leading the operation entrusted to it",
    "consular_focal_point": "acting as consular focal point for its nationals",
    "representing_state": "acting on behalf of the States it represents",
    "host_liaison": "acting as liaison with the authorities where the Migrants are",
    "transit_facilitator": "facilitating transit and reception",
    "transport_provider": "providing transport",
    "logistics_provider": "providing shelter and food",
    "identity_documents": "assisting with identity verification and travel documents",
    "information_focal_point": "coordinating information to Migrants",
    "protection_referral": "identifying and referring persons in need of international protection",
    "voluntary_return": "organizing voluntary return with the informed consent of those concerned",
    "counter_trafficking_referral": "identifying and referring presumed victims of trafficking in persons",
    "child_protection": "protecting unaccompanied, separated and other children at risk",
    "family_tracing": "tracing families and restoring family links",
    "health_provider": "providing health care",
    "funder": "contributing to the financing of operations",
    "bridging_funder": "advancing funds pending contributions",
    "deploying_partner": "deploying personnel",
    "liable_private_party": "meeting its obligations towards the workers it recruited or employs",
    "civil_society_liaison": "acting as liaison between the Parties and Migrant communities and civil society",
    "data_controller": "keeping, as controller, the personal data that the data-protection provisions assign to it",
    "monitoring_evaluation": "contributing to monitoring and evaluation",
    "institutional_support": "supporting the consular posts and personnel of the Parties",
}


def participant_task(s: Scenario, role: str, party: str) -> str:
    """A role a Participant holds, as the task it intends to carry out; a body of members named as liable private
    party informs its members of their obligations (``costs.represents_members``)."""
    if role == "liable_private_party" and represents_members(s, party):
        return "informing its members of their obligations towards the workers they recruited or employ"
    return PARTICIPANT_TASKS.get(role, label(role))


def held_role_label(s: Scenario, role: str, party: str) -> str:
    """A role as Annex A and the Memorandum of Participation name it: its label, save that a body of members
    (``costs.represents_members``) named as liable private party reads as the articles treat it."""
    if role == "liable_private_party" and represents_members(s, party):
        return MEMBERS_BODY_LABEL
    return label(role)


def roles_annex(scenario: Scenario, advice: Advice, holder: str = "Party") -> Annex:
    """Annex A: who holds which role, and for whom; only roles an article of the draft makes operative
    (operative_roles). Where several States could represent the same State, one is its Representing State and the
    others act in its place only when it cannot (representation): they are listed as backups. ``holder`` heads the
    column of role holders: "Party or Participant" where Participants of a binding framework hold roles too."""
    columns = ["Role", holder, "For"]
    chosen = representation(scenario, advice)

    def role_label(role: str, party: str, for_: str | None) -> str:
        backup = role == "representing_state" and for_ in chosen and party != chosen[for_][0]
        return f"backup {label(role)}" if backup else held_role_label(scenario, role, party)

    rows = [
        [
            role_label(r.role, r.party, r.for_),
            party_name(scenario, r.party),
            # a role a Party holds for itself (a consular focal point for its nationals) says so, not its name twice
            ("its own nationals" if r.for_ == r.party else party_name(scenario, r.for_)) if r.for_ else "",
        ]
        for r in operative_roles(advice)
        if r.role != "data_controller"
    ]
    rows += [[label("data_controller"), party_name(scenario, pid), what] for pid, what in data_rows(scenario, advice)]
    rows += post_rows(scenario, advice)
    return Annex(
        title="Annex A. Roles and responsibilities", text=_table_text(columns, rows), columns=columns, rows=rows
    )


def post_rows(scenario: Scenario, advice: Advice) -> list[list[str]]:
    """Annex A's rows for the standing arrangement at listed posts (README, "Standing consular cooperation at listed
    posts"): each Party that acts for another at its posts listed in the annex of consular posts, with the posts
    (round 16: "Annex A names only Norland as Representing State", though Tasmara acts for Norland at its posts)."""
    if not any(c.id == "consular_posts" for c in advice.clauses):
        return []
    cities: dict[tuple[str, str], list[str]] = {}
    for post in listed_posts(scenario):
        for other in post.acts_for:
            cities.setdefault((post.party, other), []).append(post.city)
    return [
        [
            "representing State at its posts listed in the annex of consular posts",
            party_name(scenario, pid),
            f"{party_name(scenario, other)} ({_and_list(places)})",
        ]
        for (pid, other), places in cities.items()
    ]


def data_rows(scenario: Scenario, advice: Advice) -> list[tuple[str, str]]:
    """The data controllers Annex A lists: every Party the data article and the Data-Sharing Protocol name as
    controller, with its register (data_controllers.annex_rows), when either is in the draft; the Departure-list
    controllers when the Protocol has that data set."""
    selected = {c.id for c in advice.clauses}
    if not {"data_protection", "data_sharing_protocol"} & selected:
        return []
    lists = {"departure_lists", "data_sharing_protocol"} <= selected
    return annex_rows(scenario, advice, DATA_SETS, operative_core_context(scenario, advice) if lists else {})


def _protected_part(scenario: Scenario, advice: Advice, ctx: dict[str, Any]) -> str:
    """Where an unrecovered balance falls on States of nationality, the clause that gives the part attributable to
    refugees, asylum-seekers, stateless persons and people who fear return to the bearer the cost article names for
    them (``protected_bearer``), as the advance article does; empty otherwise. ``ctx``: the draft's cost context."""
    if not final_bearers(scenario, advice):
        return ""
    # in the words of the articles (costs.residual_rule): "borne by X" only where X bears the whole (a reader found
    # the organization that only seeks donor contributions named as bearer here, against the cost article)
    return (
        ", save that the part attributable to refugees, asylum-seekers, stateless persons or persons who have "
        "expressed a fear of return is never repaid by their State of origin: that part "
        f"{_residual(ctx, 'is', share=True)}"
    )


def _advances(scenario: Scenario, advice: Advice, ctx: dict[str, Any], recovered_only: bool = False) -> list[str]:
    """Sentences on who advances what for whom (advance and recover), each with when it is repaid, in the figures of
    the articles: a share within the payment deadline of the cost article, a liable party's cost (for the workers of
    one nationality) within the recovery period of the employer-liability article, an advance pending financing on
    its disbursement. ``recovered_only``: only what a State's fund meets as the costs arise and recovers under the
    employer article (no advance article in the draft)."""
    out = []
    currency = advice.cost_allocation.currency
    months = payment_deadline_months(advice)
    for a in advances(advice):
        if recovered_only and not a.get("recovered"):
            continue
        if a.get("appeal"):
            continue  # pending the appeal's proceeds: the pooled-fund note says it (_pooled_advances)
        by, owed = in_text(party_name(scenario, a["by"])), in_text(party_name(scenario, a["for"]))
        by = by[:1].upper() + by[1:]
        amount = f"{currency} {a['amount']:,.2f}" if a.get("amount") is not None else None
        if a.get("financing"):
            bound = (
                f", up to the amount of that financing [to be agreed: amount of the financing of {owed}]"
                if a.get("up_to_pledge")
                else ""
            )
            out.append(
                f"{by} advances {amount or 'the costs'} pending the financing of {owed}{bound}, to be recovered from "
                f"that financing on disbursement; if that financing is not disbursed, {_undisbursed(scenario, advice)}"
                f"{_protected_part(scenario, advice, ctx)}."
            )
        elif a.get("liable"):
            whose = _workers(scenario, [a["workers_of"]]) if a.get("workers_of") else "workers"
            if a.get("recovered"):  # met and recovered under the employer article alone: no Advance
                # the part of the table's total owed by identified liable parties (readers took "meets USD 4.5m"
                # beside a table of USD 6m for two figures of one cost)
                not_advances = "" if recovered_only else " and not as Advances"
                out.append(
                    f"Of the costs that {in_text(party_name(scenario, a['by']))} meets from its fund as they arise, "
                    "under the article on the "
                    f"responsibility of employers{not_advances}, {amount or 'those'} of the repatriation of "
                    f"{whose} {'is' if amount else 'are'} owed by {a['for']}, to be recovered within "
                    f"{LIABLE_RECOVERY_DAYS} days of receipt of a claim."
                )
                continue
            out.append(
                f"{by} advances {amount or 'the costs'} of the repatriation of {whose}, owed by {owed}, to be "
                f"recovered within {LIABLE_RECOVERY_DAYS} days of receipt of a claim."
            )
        else:  # one claimant per share: the Bridging Party claims it in place of the Assisting Party
            out.append(
                f"{by} advances {amount or format(a['share'], '.2%') + ' of the costs'} owed by {owed} and claims "
                f"that share in place of the Assisting Party, to be repaid within {months} months of receipt of the "
                "claim."
            )
    return out


def _undisbursed(scenario: Scenario, advice: Advice) -> str:
    """What becomes of an Advance pending financing that is not disbursed, as the advance article says: borne by the
    final bearer, which repays it within days of the close of the consultations that follow the recovery period
    (one date, as the article sets it), where States of nationality are billed; else, with no second deadline,
    a cost the pooled fund cannot meet, or borne as the cost article provides for the costs concerned."""
    if bills_nationality(scenario, advice):
        bearer = _final_bearer_text(scenario, advice)
        if not final_bearers(scenario, advice):
            return f"the unrecovered balance is borne by {bearer}"
        return (
            f"the unrecovered balance is borne by {bearer}, which repays it to the Bridging Party within "
            f"{BALANCE_REPAYMENT_DAYS} days of the close of the consultations that follow the recovery period, no "
            "new period of recovery running"
        )
    cost_article = next((c.variant for c in advice.clauses if c.id == "cost_allocation"), None)
    if cost_article == "pooled_fund":
        return "the unrecovered balance is treated as a cost that the pooled fund cannot meet"
    # borne as the cost article provides for the costs concerned, never by the Party that incurred a cost that the
    # article places on another (a Transit State's or the transport provider's outlay for others' nationals)
    return (
        "the unrecovered balance is borne as the cost article provides for the costs concerned, as if no financing "
        "had been expected, and by the Party that incurred it only where that article makes them its own costs"
    )


def _pooled_advances(advice: Advice, ctx: dict[str, Any]) -> list[str]:
    """Under a pooled fund, the Bridging Party advances the costs the fund is to meet pending the appeal's proceeds,
    as the advance article says, and recovers them from the fund as they come in."""
    if ctx["cost_article"] != "pooled_fund" or not ctx["advancer_names"]:
        return []
    by = _capital(_and_list(ctx["advancer_names"]))
    verb = "advances" if len(ctx["advancer_names"]) == 1 else "advance"
    return [
        f"{by} {verb} the costs that the pooled fund is to meet pending the proceeds of the appeal, recovered from the "
        "fund as a first charge on those proceeds as they are received."
    ]


# The estimate as the cost article shows it when it is unknown (the placeholder of its ``estimated_cost`` param).
ESTIMATE_HOLE = "[to be agreed: indicative total cost of the operation]"
ONSET_HOLE = "[to be agreed: date of onset of the Crisis]"
# How Annex B's opening sentence names each cost model the articles implement: noun phrases joined in one sentence.
ANNEX_B_MODEL_PHRASES = {
    "own_costs": "each Party bearing its own costs",
    "nationality_reimburses": "the reimbursement of actual costs by the State of nationality",
    "pro_rata_per_evacuee": "shares in proportion to the persons assisted",
    "net_of_cofinancing": "the deduction of co-financing received from the actual costs before the shares",
    "advance_and_recover": "advances from a bridging fund that are recovered later",
    "evacuee_repays": "an undertaking by the evacuee to repay with parity and a hardship waiver",
    "employer_liability": "the liability of employers and recruiters, the costs they owe being met first by a fund",
    "pooled_fund": "a pooled fund administered by one Party and funded by an appeal to donors",
    "development_bank_financing": "financing by a development bank",
    "mutual_aid_costs": "a mutual-aid cost rule",
    "capped_threshold": (
        "the reimbursement of exceptionally high but essential costs after consultation of the State of nationality"
    ),
}
# Models whose shares Annex B tabulates: the per-person formula and the employers' liability.
TABULATED_MODELS = ("pro_rata_per_evacuee", "employer_liability")
# Cost-article variants under which a State of nationality is billed, and says how a State that pays late is covered.
BILLING_ARTICLES = ("pro_rata", "nationality_reimburses")
# The rules under which a pooled fund is administered, by its administrator (cost_context: pooled_fund_admin_kind).
ADMINISTRATION_RULES = {
    "organization": "its financial regulations and rules",
    "state": "its law and procedures on public finances",
    "other": "its statutes and financial procedures",
}


def costs_annex(scenario: Scenario, advice: Advice) -> Annex:
    """Annex B: the cost models the articles implement and the terms they set, with the names and figures of the
    articles (``cost_context``): the co-financing deducted and why at that rate, how a pooled fund is administered
    and funded and how its balance is met, who pledges for what, how the share of a State that pays late is
    covered, who advances what for whom and when it is repaid, and the computed shares where an article allocates
    them, with amounts when an estimate exists and as a share of the actual costs otherwise.

    A model without its operative article (a pooled fund no article sets up, a pro-rata formula where the article
    has each State reimburse its own nationals' actual costs) is not listed, and its figures are not shown."""
    alloc = advice.cost_allocation
    in_force = operative_models(advice)
    ctx = cost_context(scenario, advice)
    # people moved only inside the host: Annex B speaks of Relocation, as the articles do
    ctx["relocation_inside_only"] = relocation_inside_only(territory(scenario))
    ctx["transit_signs"] = bool(signatory_state_context(scenario)["transit_party_names"])
    total = scenario.funding.estimated_cost if scenario.funding else None
    tabulated = ctx["shares_in_force"]
    listed = alloc.shares if tabulated else []
    of = "of the actual costs"
    # without an estimate the third column says what each share is of, not an amount in a currency (round 17:
    # "'Amount (EUR)' holds percentages")
    money = f"Amount ({alloc.currency})" if total is not None else "Part of the actual costs"
    funded = f"Met from the fund ({alloc.currency})" if total is not None else "Part of the actual costs met"
    columns = (
        # "Bearer", not "Party": a row may be met from donor contributions (round 20: "the Party column holds donors")
        ["Bearer", "Share", money, "Basis"]
        if _divides_costs(in_force)
        else ADVANCE_COLUMNS[:2] + [funded] + ADVANCE_COLUMNS[2:]
    )
    display = _display_rows(listed)
    amounts = [amount for _, amount, _, _, _ in display]
    weights = amounts if display and None not in amounts and sum(amounts) > 0 else [weight for *_, weight in display]
    shown = shown_percentages(weights)
    rows = [
        [
            # a share met from donor contributions that a Party only seeks is not that Party's share (readers of three
            # drafts took the organization named in the Party column for its bearer)
            f"Donor contributions sought by {in_text(party_name(scenario, party))}"
            if sought
            else party_name(scenario, party),
            pct,
            f"{amount:,.2f}" if amount is not None else f"{pct} {of}",
            basis,
        ]
        for (party, amount, basis, sought, _), pct in zip(display, shown, strict=True)
    ]
    # no "shares" where no article allocates any
    labels = ANNEX_B_MODEL_PHRASES | (
        {} if tabulated else {"net_of_cofinancing": "the deduction of co-financing from the costs"}
    )
    if not ctx.get("liability_fund_names"):  # no fund meets the liable parties' costs: none is said to advance them
        labels = labels | {"employer_liability": "the liability of employers and recruiters"}
    if len(in_force) == 1 and (
        (ctx["service_payer_names"] and ctx["provided_service_text"]) or ctx["transport_payer_names"]
    ):  # own costs with reimbursements the notes set out: not "each Party bearing its own costs" alone
        labels = labels | {"own_costs": "each Party bearing its own costs, save for the reimbursements set out below"}
    models = _and_list([labels.get(m, label(m)) for m in in_force])
    # The annex speaks as the instrument in sentences: what the Parties agreed, never a list of the tool's labels.
    notes = [
        f"This Annex sets out the cost arrangements of the articles, which provide for {models}."
        if models
        else "No article of this instrument allocates costs."
    ]
    if ctx.get("family_counting_rule"):  # the cost article's counting rule, in the same words
        notes.append(f"As the cost article provides, {FAMILY_COUNTING}.")
    if total is None and in_force:  # no figures: the currency still stated (round 17, two drafts)
        notes.append(f"Amounts under this instrument are expressed and paid in {alloc.currency}.")
    if "net_of_cofinancing" in in_force and "cofinancer_name" in ctx:
        notes.append(
            _cofinancing_note(ctx)
            if tabulated
            else f"Co-financing from {ctx['cofinancer_name']} is deducted from the eligible costs before they are "
            "allocated."
        )
    if tabulated:
        notes.append(
            _shares_note(advice, ctx, total) if _divides_costs(in_force) else _advances_note(advice, ctx, total)
        )
        if "net_of_cofinancing" in in_force and "cofinancer_name" in ctx and _divides_costs(in_force):
            net_note, columns, rows = _net_of_cofinancing(ctx, total, alloc.currency, columns, rows)
            notes.append(net_note)
        if len(rows) > 1:
            notes.append(ROUNDING_NOTE)
        if ctx["cost_article"] == "pro_rata":  # the article names the bearer of that share, carried or not
            notes.append(_residual_share_note(ctx))
    if "pooled_fund" in in_force:
        transit_first = _transit_first_note(scenario, advice, ctx)
        notes += _pooled_fund_note(ctx, total, alloc.currency, bool(transit_first)) + transit_first
    elif ctx["pledger_names"]:
        notes.append(_pledges_note(ctx, "towards the costs of the operations under this instrument"))
        if not tabulated:  # the table's note says how contributions reduce the shares
            notes.append(CONTRIBUTIONS_DEDUCTED)
    if ctx["cost_article"] in (*BILLING_ARTICLES, "standard") and ctx["low_capacity_names"]:
        notes.append(_low_capacity_note(ctx))
    if ctx["cost_article"] == "mutual_aid":
        instruments = (scenario.funding.existing_instruments or []) if scenario.funding else []
        notes.append(_mutual_aid_note(ctx, "disaster_mutual_aid_treaty" in instruments))
    if "nationality_reimburses" in in_force and not tabulated:
        notes.append(
            "Each State of nationality reimburses the actual costs that a Party"
            + " other than the State in whose territory the Crisis occurs" * signs(scenario, scenario.host_state)
            + " incurs on its behalf for its own nationals other than those who have sought"
            " international protection or expressed a fear of return, on itemised claims that do not"
            " identify them; the costs of those persons, of stateless persons and of Migrants whose State of"
            f" nationality is not a Party {_residual(ctx, 'are')}; no shares are computed in advance."
        )
    if "advance_and_recover" in in_force:
        notes += _pooled_advances(advice, ctx) + _advances(scenario, advice, ctx)
        bridging = next((c.variant for c in advice.clauses if c.id == "bridging_fund"), None)
        if bridging == "standard" and not any("attributable to refugees" in n for n in notes):
            notes += _protected_balance_note(ctx)
        if bridging == "standard" and ctx["advance_ceiling"] is not None:
            # as the advance article says: the ceiling never limits what a fund must meet as the costs arise
            other = ", other than the costs of repatriation that a State's fund meets as they arise," * bool(
                ctx.get("liability_fund_names")
            )
            notes.append(
                f"Advances outstanding at any time{other} do not exceed {alloc.currency} "
                f"{ctx['advance_ceiling']:,.2f}, save further Advances made with the prior written agreement of the "
                "Parties, as the advance article provides."
            )
        elif bridging == "standard":
            # no estimate: the ceiling is the advance article's open point, named here too (round 16, four drafts:
            # "Annex B leaves out the advance ceiling and the recovery period")
            other = ", other than the costs of repatriation that a State's fund meets as they arise," * bool(
                ctx.get("liability_fund_names")
            )
            notes.append(
                f"Advances outstanding at any time{other} do not exceed the aggregate ceiling that the advance article "
                "sets, "
                "and each Advance is to be repaid within the recovery period of "
                f"{ctx.get('payment_deadline_months') or 12} months of receipt of the claim of the Bridging Party "
                "that that article sets, a balance not recovered within it being dealt with as that article provides."
            )
    elif "employer_liability" in in_force:
        # no advance article: what a State's fund meets and recovers under the employer article is still stated
        notes += _advances(scenario, advice, ctx, recovered_only=True)
    notes += _article_cost_rules(scenario, advice, ctx)
    notes += _services_on_account_note(advice, ctx)
    if not any("charged to their State of origin" in n for n in notes):
        notes += _protected_costs_note(ctx)
    if any(c.id == "consular_posts" for c in advice.clauses):
        # as the consular article says (round 16: "Annex B names one bearer of the protected share at every post")
        notes.append(
            "The costs that a post listed in the annex of consular posts incurs in assisting refugees, "
            "asylum-seekers, stateless persons, persons who have expressed a fear of return and nationals of States "
            "that are not Parties are borne by the Party whose post it is, save where it is their State of origin, as "
            "the article on consular assistance on behalf of another State provides, and are never claimed from their "
            "State of origin."
        )
    if not rows and total is not None:
        # an estimate but no table: its indicative breakdown by category of cost, amounts to be agreed (round 14,
        # three drafts: "no breakdown by service or Party, nothing for the negotiators to check"), in prose: the
        # table of Annex B is the one that divides or advances costs
        notes += _breakdown(scenario, advice, total, alloc.currency)
    # Annex B speaks of itself as "this Annex" (round 17: "Annex B cites 'Annex B' inside itself")
    note = re.sub(r"\b(under|in|of|to) Annex B\b", r"\1 this Annex", " ".join(notes))
    text = note + ("\n" + _table_text(columns, rows) if rows else "")
    return Annex(
        title="Annex B. Allocation of costs",
        text=text,
        note=note,
        columns=columns if rows else [],
        rows=rows,
    )


def _protected_costs_note(ctx: dict[str, Any]) -> list[str]:
    """Who meets the costs of refugees, asylum-seekers, stateless persons and people who fear return where no share
    or claim names them (``protected_costs_unnamed``), as the cost article says: round-14 readers of eight drafts
    found Annex B silent on their bearer."""
    if not ctx["protected_costs_unnamed"]:
        return []
    never = f"they are never charged to their State of origin{_transit_too(ctx)} or to the persons assisted"
    who = "The costs of refugees, asylum-seekers, stateless persons and persons who fear return"
    if ctx["cost_article"] == "pooled_fund":
        return [f"{who} are met from the pooled fund like those of the other persons assisted; {never}."]
    return [f"{who} are borne as the cost article provides for all assistance; {never}."]


def _article_cost_rules(scenario: Scenario, advice: Advice, ctx: dict[str, Any]) -> list[str]:
    """The cost rules that articles outside the cost article set, so that Annex B leaves none out: the consular
    reimbursement by the Represented State (never also met from a pooled fund or another source), the repatriation
    costs of workers in the words of the employer article's variant (borne by the recruitment agency and the foreign
    principal, or only to the extent that the contract or the law puts them on employers and agencies), the charter
    price of a commercial carrier; and the forms the articles append to this Annex, each still to be agreed."""
    selected = {c.id: c.variant for c in advice.clauses}
    billing = ctx["cost_article"] in BILLING_ARTICLES
    out, appended = [], []
    consular = selected.get("consular_representation")
    if consular in ("standard", "io_documentation") and not billing:  # else the cost article alone governs them
        by = "the Representing State" if consular == "standard" else "the international organization that assists them"
        pooled = ", other than the costs of their Relocation and Evacuation, which the pooled fund meets"
        out.append(
            f"Each Represented State reimburses the actual costs of the assistance given to its nationals by {by}"
            + (pooled if ctx["cost_article"] == "pooled_fund" else "")
            + f", on claims submitted within {ctx['claim_deadline_months']} months; costs so reimbursed are not also "
            # a pooled fund only where the articles set one up (round 14: "there is no pooled fund in this MoU")
            + ("met from the pooled fund, a" if ctx["cost_article"] == "pooled_fund" else "met from a")
            + " contribution"
            + " or any other source"
            + ("; no assistance waits for reimbursement, which may be waived." if consular == "standard" else ".")
        )
        appended.append("the standard claim form" if consular == "standard" else "the rate card")
    if "employer_liability" in selected and not ctx["shares_in_force"]:
        out.append(
            (
                (
                    "The costs of transporting workers to safer areas and back to their place of work are borne by "
                    if ctx.get("relocation_inside_only")
                    else "The costs of transporting workers to the Assembly Point and of their return are borne by "
                )
                + "their employers and recruitment agencies to the extent that the contract of employment, the "
                "recruitment contract or the applicable law puts those costs on them, as the article on their "
                "obligations provides"
                if selected["employer_liability"] == "obligations"
                else "The costs of repatriating workers deployed through a recruitment agency are borne by that agency "
                "and the foreign principal, as the article on their responsibility provides"
            )
            + (
                f"; what they do not pay is borne by {ctx['liability_final_bearer_text']}."
                if ctx.get("state_fund_name")
                else "."
            )
        )
    if ctx.get("carrier_names") and "cost_allocation" in selected:
        out.append(
            f"Transport provided by {_and_list(ctx['carrier_names'])}, as a commercial carrier, is paid for at the "
            "charter price agreed in writing with the Party that charters it, "
            # as the cost article says it: one rule, never "its own cost or ... the actual costs it claims" (round 14)
            + (
                "and the charter price forms part of the actual costs of that Party."
                if billing
                else "which bears that price as its own cost."
            )
        )
    if ctx["cost_article"] in ("standard", "mutual_aid") and ctx["provided_service_text"]:
        out.append(_provided_services_note(ctx, "employer_liability" in selected))
    carrying = ctx["transit_carrier_names"]
    if ctx["transport_payer_names"] and ctx["cost_article"] == "standard":
        out.append(_transport_payers_note(ctx))
    elif carrying and "transit_reception" in selected and ctx["cost_article"] == "standard":
        # as the cost article provides: the transit article says onward travel is never borne by a Transit State
        out.append(
            f"Onward transport that {_and_list(carrying)} {'provides' if len(carrying) == 1 else 'provide'} as "
            "Transit State for Migrants other than its own nationals is provided at the request of the State of "
            "nationality or of the Party that arranges the travel, which pays its actual cost on a claim; the "
            "Transit State bears only the reception it provides as its contribution in kind."
        )
    # as the transit article provides under own costs: the evacuating States bear the stay in the Transit State,
    # beyond the authorized period, of the persons who seek protection that they carry (round 15, kabul2021)
    evacuating = territory_context(scenario, advice)["evacuating_state_names"]
    if (
        evacuating
        and ctx["cost_article"] == "standard"
        and "transit_reception" in selected
        and territory(scenario).host_fled
    ):
        many = len(evacuating) > 1
        out.append(
            f"{_capital(_and_list(evacuating))}, {'each ' if many else ''}for the persons who seek international "
            "protection or fear return, other than its own nationals, whom it carries or whose "
            "evacuation it requests, bears the costs of their stay in the Transit State beyond the period of "
            "authorized stay, as the article on transit provides."
        )
    out += _unattributed_costs_note(advice, ctx)
    if "seafarer_crew_change" in selected:
        out.append(_seafarer_costs_note(scenario, advice))
    if ctx["cost_article"] == "standard":
        appended.append("the service catalogue of contributions in kind")
    # the standard forms are drafted in the Appendix to this Annex (issue 14, item 4; Dir. 2015/637 Annexes I and II)
    appended = [a for a in appended if a != "the standard claim form"]
    if appended:
        out.append(f"Appended to this Annex: {_and_list(appended)} [to be agreed by the Parties].")
    if forms := _standard_forms(advice):
        # named by their own titles (clause_library/forms), never a second list of their names here
        titles = [load_forms()[f].title.lower() for f in forms]
        out.append(
            f"The {_and_list(titles)} {'is' if len(titles) == 1 else 'are'} set out in the Appendix to this Annex."
        )
    return out


def _standard_forms(advice: Advice) -> list[str]:
    """The ids of the standard forms the articles refer to (clause_library/forms): the claim form where a
    Represented State or a State of nationality reimburses on claims, the undertaking to repay where a State may ask
    its nationals to repay or a Representing State advances money to a national in distress."""
    selected = {c.id: c.variant for c in advice.clauses}
    cost = selected.get("cost_allocation")
    consular = selected.get("consular_representation")
    forms = []
    # the form the articles name: the consular article's claims (where no billing article governs them) or the
    # reimbursement article's
    if (consular == "standard" and cost != "pro_rata") or cost == "nationality_reimburses":
        forms.append("claim_form")
    if selected.get("evacuee_repayment") == "standard" or consular == "standard":
        forms.append("undertaking_form")
    return forms


def forms_appendix(scenario: Scenario, advice: Advice, record_years: int = 5) -> list[Annex]:
    """The Appendix to Annex B with the standard forms that the articles refer to (``_standard_forms``), drafted, not
    left "to be agreed": the claim form (Council Directive (EU) 2015/637, Annex II) and the undertaking to repay
    (Annex I), adapted so that no one who seeks protection is named to the State of nationality."""
    forms = _standard_forms(advice)
    if not forms:
        return []
    texts = [render_form(f, n, record_years=record_years) for n, f in enumerate(forms, start=1)]
    return [Annex(title="Appendix to Annex B. Standard forms", text="\n\n".join(texts))]


def _transport_payers_note(ctx: dict[str, Any]) -> str:
    """Who pays for the transport and onward travel a Party arranges or provides for others' nationals under the
    own-costs article, as that article says: the States of nationality that sign, each for its own nationals, whoever
    arranges it; never the arranging Party nor a Transit State for Migrants other than its own nationals."""
    payers = ctx["transport_payer_names"]
    carrying = ctx["transit_carrier_names"]
    return (
        "The transport and onward travel that a Party arranges or provides for Migrants other than its own nationals, "
        "by charter from commercial carriers, by request to others or as Transit State, is paid for, whoever arranges "
        f"it, at its actual cost, on an itemised claim paid within {ctx['payment_deadline_months']} months of its "
        f"receipt, by {_and_list(payers)}, "
        + ("as State of nationality, for its nationals" if len(payers) == 1 else "each for its own nationals")
        + (
            " other than the persons for whom no State of nationality can be asked to bear them"
            if ctx["residual_moved"]
            else " other than those who have sought international protection or expressed a fear of return; the "
            "costs of refugees, asylum-seekers, stateless persons and persons who have expressed a fear of return"
            + (", and of Migrants whose State of nationality is not a Party," if ctx["non_party_nationals"] else ",")
            + f" {_residual(ctx, 'are')}; those costs are "
            "never charged to their State of origin, and no claim names or otherwise identifies a person who has "
            "sought international protection or expressed a fear of return"
        )
        + "; the Party that arranges it bears no part of it for Migrants other than its own nationals"
        + (
            f", and {_and_list(carrying)} {'bears' if len(carrying) == 1 else 'bear'} only the reception "
            f"{'it provides' if len(carrying) == 1 else 'they provide'} as Transit State, as a contribution in kind."
            if carrying
            else "."
        )
    )


def _provided_services_note(ctx: dict[str, Any], employers: bool) -> str:
    """Who pays for the transport and shelter that organizations provide under an article that leaves each Party its
    own costs, as that article says: the States of nationality that sign, each for its own nationals, on claims
    (recovering from liable employers where the employer article applies), never for those who seek protection or
    fear return (their bearer is named, and no claim identifies them), else the donor contributions the
    organizations seek, beyond which they need not provide those services."""
    providers = ctx["service_provider_names"]
    payers = ctx["service_payer_names"]
    if not payers:
        one = len(providers) == 1
        return (
            f"{_capital(ctx['provided_service_text'])} {'is' if ' and ' not in ctx['provided_service_text'] else 'are'}"
            f" met from the contributions that {_and_list(providers)} {'seeks' if one else 'seek'} from donors, "
            f"beyond which {'it is' if one else 'they are'} not required to provide those services."
        )
    whose = "for its nationals" if len(payers) == 1 else "each for its own nationals"
    whose += (
        " other than the persons for whom no State of nationality can be asked to bear them"
        if ctx["residual_moved"]
        else " other than those who have sought international protection or expressed a fear of return"
    )
    return (
        f"{_capital(_and_list(payers))} {'reimburses' if len(payers) == 1 else 'reimburse'} the actual costs of "
        f"{ctx['provided_service_text']}, {whose}, on itemised claims paid within "
        f"{ctx['payment_deadline_months']} months of their receipt"
        + (", and may recover them from the employers and recruitment agencies liable for them." if employers else ".")
        + (
            # their bearer, unless the own-costs article moves them and _unattributed_costs_note names it
            " The costs of those services for refugees, asylum-seekers, stateless persons and persons who have "
            "expressed a fear of return"
            + (", and for Migrants whose State of nationality is not a Party," if ctx["non_party_nationals"] else ",")
            + f" {_residual(ctx, 'are')}; they are not charged to their "
            "State of origin."
            if not ctx["residual_moved"] or ctx["cost_article"] == "mutual_aid"
            else ""
        )
        + " No claim includes, names or otherwise identifies a person who has sought international protection or "
        "expressed a fear of return."
    )


def _unattributed_costs_note(advice: Advice, ctx: dict[str, Any]) -> list[str]:
    """Under a model whose article names no shares (own costs, development-bank financing), who bears the costs of
    the nationals of the States billed under development-bank financing, and of persons no State of nationality can
    be asked to bear them for (the cost article's bearer): the same bearer as the articles."""
    out = []
    if ctx["cost_article"] == "development_bank" and ctx["billed_state_names"]:
        states = ctx["billed_state_names"]
        banks = ctx["financing_bank_names"]
        whose = "bears the costs of operations for its nationals" if len(states) == 1 else "bear, each for its own "
        whose += "" if len(states) == 1 else "nationals, the costs of operations for them"
        whose += (
            " (other than those who seek international protection or have expressed a fear of return) and for the "
            "members of their families of other nationalities"
        )
        out.append(
            f"{_capital(_and_list(states))} {whose}, including the reception and onward travel that an Assisting Party "
            "or a Transit State provides to them, and may finance them through "
            + (f"{_and_list(banks)} or another development bank" if banks else "a development bank")
            + "."
        )
        # the article records the onset of the Crisis here: the date from which expenditure may be financed
        out.append(
            f"The date of onset of the Crisis, from which expenditure is recorded and presented as eligible for "
            f"retroactive financing to the extent the applicable financing agreement permits, is {ONSET_HOLE}."
        )
        if invited := ctx["invited_funder_names"]:
            out.append(
                f"The Parties invite {_and_list(invited)}, "
                f"which {'is not a Party' if len(invited) == 1 else 'are not Parties'}, to contribute; any "
                "contribution received is deducted from the costs to be reimbursed or financed."
            )
    if (ctx["residual_moved"] and ctx["cost_article"] == "standard") or ctx["cost_article"] == "development_bank":
        # as the article says it: under a development bank's financing, all their costs, not their transport only
        moved = "Relocation" if ctx.get("relocation_inside_only") else "transport and onward travel"
        what = "The costs" if ctx["cost_article"] == "development_bank" else f"The costs of the {moved}"
        out.append(
            f"{what} of refugees, asylum-seekers, stateless persons and other "
            f"Migrants for whom no State of nationality can be asked to bear them {_residual(ctx, 'are')}; they are "
            f"not charged to their State of origin{_transit_too(ctx)} or to the persons assisted."
        )
    return out


def _seafarer_costs_note(scenario: Scenario, advice: Advice) -> str:
    """What the crew-change article puts on the shipowners that take part, and nothing more: the repatriation of
    their seafarers, travel included, the tests, quarantine and protective equipment required, and their food,
    accommodation and medical care until repatriation (MLC Reg. 4.2, Std A2.5.1 and A2.5.2: one bearer, never also
    a State's contribution in kind); the documents and consular assistance that other Parties provide remain their
    contributions in kind; no other article puts those costs on anyone."""
    liable = {r.party for r in advice.holders("liable_private_party")}
    owners = [
        text_name(p)
        for p in signatories(scenario)
        if p.kind == "employer" and p.id in liable and not represents_members(scenario, p.id)
    ]
    if not owners:
        return (
            "The costs of the repatriation of seafarers, including their travel, are borne as the article on crew "
            "change provides, and by no other Party under another article."
        )
    one = len(owners) == 1
    return (
        f"{_capital(_and_list(owners))} {'bears' if one else 'bear'} the costs of the repatriation of "
        f"{'its' if one else 'their'} seafarers, including their travel, and of the tests, quarantine accommodation "
        "and protective equipment required, and of their food, accommodation and medical care until they are "
        "repatriated, as the article on crew change provides; the travel documents and consular assistance that other "
        "Parties provide are their contributions in kind. No other Party bears those costs under another article."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cofinancing_note(ctx: dict[str, Any]) -> str:
    """The co-financing as a reduction to be applied once granted, never as a planning figure: its rates, the seat
    condition as the mechanism states it (nationals of its other participating States, which the planning figures
    do not identify), and the eligible base (transport of co-financed movements, not the other services the estimate
    covers)."""
    other = (
        f"; it does not meet the costs of {ctx['cof_other_costs']}, which the estimate also covers"
        if ctx.get("cof_other_costs")
        else ""
    )
    return (
        f"Co-financing from {ctx['cofinancer_name']} meets, once granted, up to {ctx['cof_max_rate']:.0%} of the "
        f"eligible transport costs of a co-financed movement on which at least {ctx['cof_seat_threshold']:.0%} of "
        "the seats are offered to nationals of States that participate in the co-financing mechanism, other than the "
        f"State that operates or charters the transport, and up to {ctx['cof_base_rate']:.0%} of those costs "
        f"otherwise{other}."
    )


def _display_rows(shares: list[Any]) -> list[tuple[str, float | None, str, bool, float]]:
    """Annex B's rows: one per share, save that a share merging a Party's own part with the share of persons no
    State of nationality pays for (refugees, asylum-seekers, stateless persons, nationals of non-Parties) shows that
    share on a row of its own (round 17, six drafts: "no line for the donor-funded refugee share", "merged into the
    Lead's row"), the share's amount split to the cent by largest remainder so that its rows add up to it. Each row:
    (party, amount, basis, sought, weight)."""
    out: list[tuple[str, float | None, str, bool, float]] = []
    for s in shares:
        parts = s.parts if len(s.parts) > 1 else []
        if not parts:
            out.append((s.party, s.amount, s.basis, s.sought, s.share))
            continue
        if s.amount is None:
            out += [(s.party, None, basis, sought, s.share * f) for basis, f, sought in parts]
            continue
        whole = largest_remainder(round(s.amount * 100), [f for _, f, _ in parts])
        out += [
            (s.party, c / 100, basis, sought, s.share * f) for (basis, f, sought), c in zip(parts, whole, strict=True)
        ]
    return out


def shown_percentages(weights: list[float]) -> list[str]:
    """Each weight's part of their sum as a percentage to two decimals, the rounding spread by largest remainder:
    the column adds up to exactly 100.00% and each figure is within a hundredth of a per cent of its amount's share
    (rounding each share on its own, or re-scaling shares already rounded, does neither)."""
    if not weights or sum(weights) <= 0:
        return ["0.00%" for _ in weights]
    return [f"{f // 100}.{f % 100:02d}%" for f in largest_remainder(10000, weights)]


# Annex B's table where no article divides the costs among the Parties (each bears its own) and a State fund meets
# the repatriation of its workers as it arises: a table of what each fund advances and from whom it recovers it.
ADVANCE_COLUMNS = ["Party whose fund meets the costs", "Part of the repatriation costs", "Workers and recovery"]
# The displayed percentages are rounded by the largest-remainder method so that the column adds up to 100.00%.
ROUNDING_NOTE = (
    "The percentages are rounded to two decimals and the amounts to the cent, the hundredths and cents left over "
    "going to the largest remainders, so that they add up to 100.00% and to the total; where a percentage and an "
    "amount differ, the amount prevails."
)


def _services_on_account_note(advice: Advice, ctx: dict[str, Any]) -> list[str]:
    """As the capped advance article, or the employer article where that State's fund meets its nationals'
    repatriation as it arises, says: a State that holds the fund and reimburses the services an organization
    provides for its nationals (an own-costs or mutual-aid article) pays them on account from that fund, before they
    are provided, so that no organization pre-finances them."""
    selected = {c.id: c.variant for c in advice.clauses}
    # a State whose fund meets its nationals' repatriation as it arises pays them under the employer article
    by_fund = ctx["service_fund_payer_names"] if selected.get("employer_liability") == "standard" else []
    bridged = [p for p in ctx["service_payer_names"] if p in ctx["bridging_funder_names"] and p not in by_fund]
    payers = by_fund + (bridged if selected.get("bridging_fund") == "standard" else [])
    if not (payers and ctx["provided_service_text"]):
        return []
    if ctx["cost_article"] not in ("standard", "mutual_aid"):
        return []
    one = len(payers) == 1
    return [
        f"{_capital(_and_list(payers))} {'pays' if one else 'pay'} from {'its' if one else 'their'} fund, on account "
        f"and before the services are provided, the estimated costs of {ctx['provided_service_text']} for "
        f"{'its' if one else 'their'} nationals, set off against the reimbursement of those costs."
    ]


def _divides_costs(in_force: list[str]) -> bool:
    """An article divides the costs among the Parties (the per-person formula): only then does Annex B's table show
    shares of the whole. Under an own-costs article with a State fund that meets the repatriation of its workers,
    the table shows advances and their recovery instead."""
    return "pro_rata_per_evacuee" in in_force


# categories of cost of an estimate's indicative breakdown (Annex B, in words): the services they cover and the roles
# that deliver them; transport is named by the movements the scenario needs
COST_CATEGORIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("transport", ("evacuation_transport", "relocation_in_country", "onward_travel"), ("transport_provider",)),
    ("reception, shelter and food", ("reception", "shelter", "food"), ("transit_facilitator", "logistics_provider")),
    ("health care", ("health_care",), ("health_provider",)),
    ("identity verification and travel documents", ("identity_verification", "travel_documents"),
     ("identity_documents",)),
    ("protection referral and family tracing", ("protection_referral", "family_tracing"),
     ("protection_referral", "family_tracing")),
)  # fmt: skip
TRANSPORT_WORDS = {
    "evacuation_transport": "Evacuation",
    "relocation_in_country": "Relocation",
    "onward_travel": "onward travel",
}
TBA = "[to be agreed]"


def _breakdown(scenario: Scenario, advice: Advice, total: float, currency: str) -> list[str]:
    """The indicative breakdown of an estimate that no table divides: one item per category of cost the scenario's
    services need, with the Parties that deliver it (Annex A's holders that sign) and an amount to be agreed, then
    the other costs; it allocates no cost to any Party."""
    needed = set(scenario.services_needed or [])
    signing = signed(scenario)
    items = []
    for title, services, roles in COST_CATEGORIES:
        if not needed & set(services):
            continue
        if title == "transport":
            title += f" ({_and_list(TRANSPORT_WORDS[x] for x in services if x in needed)})"
        who = list(dict.fromkeys(r.party for role in roles for r in advice.holders(role) if r.party in signing))
        by = f", delivered by {_and_list(in_text(party_name(scenario, p)) for p in who)}" if who else ""
        items.append(f"{title}{by}: {currency} {TBA}")
    if not items:
        return []
    items.append(f"coordination, information and other costs: {currency} {TBA}")
    return [
        f"Indicative breakdown of the estimated total cost of {currency} {total:,.2f}, for the Parties to complete "
        f"so that the amounts add up to it: {'; '.join(items)}. The breakdown allocates no cost to any Party: the "
        "articles do."
    ]


def _funds_meeting(ctx: dict[str, Any]) -> str:
    funds = list(dict.fromkeys(ctx.get("liability_fund_names") or []))
    if len(funds) == 1:
        return f"{funds[0]} meets"
    return f"{_and_list(funds)} meet" if funds else "each State's fund meets"


def _advances_note(advice: Advice, ctx: dict[str, Any], total: float | None) -> str:
    """What the table shows where no article divides the costs: the repatriation costs each State fund meets as
    they arise and recovers from the liable recruitment agencies and principals, never a division of the estimate
    among the Parties, each of which otherwise bears its own costs."""
    currency = advice.cost_allocation.currency
    base = (
        f"each amount is the part shown of the estimated total cost of {currency} {total:,.2f}, which the fund meets "
        "as the costs arise whatever their amount"
        + (" (they are not Advances)" if any(c.id == "bridging_fund" for c in advice.clauses) else "")
        if total is not None
        else "no estimate of the total cost is recorded, so each amount is the part shown of the actual costs of "
        "repatriation"
    )
    return (
        # the fund by its name where there is one (round 14: "each State's fund", only one State having a fund)
        f"The table sets out the costs of repatriation that {_funds_meeting(ctx)} as they arise and the recovery of "
        "them, as the article on the responsibility of employers provides; it divides no cost among the Parties, each "
        f"of which otherwise bears its own costs: {base}."
    )


def _shares_note(advice: Advice, ctx: dict[str, Any], total: float | None) -> str:
    """What the amounts of the table divide: the whole estimate, before any co-financing or contribution (an upper
    bound of each share, since neither is granted at signature), or the formula when no estimate is recorded; and,
    under the per-person article, that co-financing and contributions received reduce each share in proportion
    (contributions first the shares of the late payers they are applied to, as the article says)."""
    currency = advice.cost_allocation.currency
    if total is None:
        return "No estimate of the total cost is recorded: each amount is the share shown of the total actual costs."
    if ctx["cost_article"] != "pro_rata":
        return f"The amounts divide the estimated total cost of {currency} {total:,.2f} among the Parties."
    # the per-person article computes the shares after deduction of any co-financing (and contribution) received
    pledged = bool(ctx["pledger_names"])
    first = (
        f", save that contributions are applied first to the {'share' if len(lc) == 1 else 'shares'} of {_and_list(lc)}"
        if pledged and (lc := ctx.get("low_capacity_other_names"))
        else ""
    )
    if "cofinancer_name" not in ctx and not pledged:
        # no co-financing identified: say so, not "before any co-financing" (round 19, two drafts)
        return (
            f"The amounts are the shares of the estimated total cost of {currency} {total:,.2f}; no co-financing has "
            "been identified at the date of signature. The shares due are computed on the actual costs after "
            "deduction of any co-financing received, which reduces each share in proportion."
        )
    return (
        # said plainly (round 16: "the amounts divide ... so that each is the most that share of the estimate can be"
        # read as obscure): the table is the estimate's division, the shares due are computed on the actual costs
        f"The amounts are the shares of the estimated total cost of {currency} {total:,.2f}, computed before any "
        f"co-financing{' or contribution' * pledged}. The shares due are computed on the actual costs after deduction "
        f"of the {'co-financing and contributions' if pledged else 'co-financing'} received, which "
        f"{'reduce' if pledged else 'reduces'} each share in proportion{first}."
    )


def _net_of_cofinancing(
    ctx: dict[str, Any], total: float | None, currency: str, columns: list[str], rows: list[list[str]]
) -> tuple[str, list[str], list[list[str]]]:
    """Annex B's amounts net of co-financing (rubric point 6), for planning: where the scenario gives the eligible
    transport costs, a column per rate (the highest and the base rate) with each amount scaled by what the estimate
    less that co-financing leaves, the column adding up to exactly that; else the formula, with the eligible costs
    as an open point. The shares themselves are always computed on the actual costs less the co-financing received
    (the cost article)."""
    if total is None or total <= 0:
        return "", columns, rows
    eligible = ctx.get("cof_eligible")
    rates = list(dict.fromkeys([ctx["cof_max_rate"], ctx["cof_base_rate"]]))
    highest = f"{ctx['cof_max_rate']:.0%}"
    if eligible is None:
        return (
            "Once co-financing is granted, each amount shown is reduced in the proportion that the co-financing "
            f"granted bears to the estimated total cost; that co-financing is at most {highest} of the eligible "
            f"transport costs, which are estimated at [to be agreed: the eligible transport costs, in {currency}].",
            columns,
            rows,
        )
    grants = [round(rate * eligible, 2) for rate in rates]
    figures = " and ".join(f"{currency} {g:,.2f} at {r:.0%}" for g, r in zip(grants, rates, strict=True))
    note = (
        f"The eligible transport costs are estimated at {currency} {eligible:,.2f}; co-financing granted on all of "
        f"them would be {figures}. The "
        + ("column" if len(rates) == 1 else "columns")
        + " “Net at …” show each amount net of that co-financing, for planning only: the shares are computed on "
        "the actual costs less the co-financing actually received."
    )
    amounts = [_number_of(r[2]) for r in rows]
    if None in amounts:
        return note, columns, rows
    where = columns.index("Basis") if "Basis" in columns else len(columns)
    columns = columns[:where] + [f"Net at {r:.0%} ({currency})" for r in rates] + columns[where:]
    nets = []
    for grant in grants:
        left = round(total - grant, 2)
        scaled = [round(a * left / total, 2) for a in amounts]
        scaled[-1] = round(left - sum(scaled[:-1]), 2)  # the column adds up to exactly what is left
        nets.append(scaled)
    rows = [row[:where] + [f"{net[i]:,.2f}" for net in nets] + row[where:] for i, row in enumerate(rows)]
    return note, columns, rows


def _number_of(text: str) -> float | None:
    """A figure of the table ("1,234.50") as a number; None for a formula ("5% of the actual costs")."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _protected_balance_note(ctx: dict[str, Any]) -> list[str]:
    """Who bears the part of an unrecovered Advance attributable to refugees, asylum-seekers, stateless persons and
    people who fear return, as the advance article says (never their State of origin): the residual bearer, where
    the article names one, seeking donor contributions for it; only where a balance falls on States of nationality
    (where none is liable for anyone, every person would be one "for whom no State of nationality is liable")."""
    if not ctx["balance_by_nationality"]:
        return []
    return [
        "No part of an unrecovered Advance attributable to refugees, asylum-seekers, stateless persons or persons who "
        "have expressed a fear of return is charged to their State of origin: that part, and the part attributable "
        f"to persons for whom no State of nationality is liable, {_residual(ctx, 'is', share=True)}."
    ]


def _last_resort_text(s: Scenario, resort: list[str]) -> str:
    """The last-resort bearer as the articles name it (costs.last_resort): one State, or the States among which the
    Parties agree, or the Parties' consultation where no State fits."""
    names = [in_text(party_name(s, pid)) for pid in resort]
    if not names:
        return CONSULT_BACKSTOP
    if len(names) == 1:
        return names[0]
    return f"[to be agreed: {_or_list(names)}, or two or more of them in the proportions the Parties agree]"


def _residual(ctx: dict[str, Any], verb: str, *, share: bool = False, pooled: bool = False) -> str:
    """Who bears the costs (``share``: the share) of persons no State of nationality can be asked to bear, as Annex B
    says it, in the words of the articles (costs.residual_rule): one bearer for each part."""
    bearer = ctx["residual_cost_bearer_name"] if share else ctx["residual_travel_bearer_name"]
    backstop = None if ctx["residual_bearer_state"] else ctx["residual_backstop"]
    return residual_rule(
        bearer,
        backstop,
        article=False,
        verb=verb,
        origin=ctx["residual_origin"],
        backstop_origin=ctx["residual_backstop_origin"],
        pooled_admin=ctx["pooled_fund_admin_name"] if pooled else None,
        by_nationality=pooled and ctx["residual_by_nationality"],
        origin_rest=ctx.get("residual_origin_rest"),
    )


def _transit_too(ctx: dict[str, Any]) -> str:
    """ ", to a Transit State" in the list of those never charged, only where a Transit State signs, as the cost
    article words it (round 14: the annex's list was longer than the article's)."""
    return ", to a Transit State" if ctx.get("transit_signs", True) else ""


def _residual_share_note(ctx: dict[str, Any]) -> str:
    """Who bears the share of persons no State of nationality is charged for, as the per-person article says, with no
    cap that the same bearer stands behind (round 12): never their State of origin or a Transit State."""
    return (
        "The share of refugees, asylum-seekers, persons who fear return, stateless persons and nationals of States "
        f"that are not Parties {_residual(ctx, 'is', share=True)}"
        # as the article says it: the list of those never charged only where persons are carried for that share
        + (
            f"; no part of it is charged to their State of origin{_transit_too(ctx)} or to the persons assisted."
            if ctx["residual_carried"]
            else "."
        )
    )


# Where no share is computed (each Party bears its own costs, save the reimbursements the articles set): a
# contribution reduces what is reimbursed or borne, whoever provides it, never a cost paid twice (round 12: a State
# reimbursed "at its actual cost" what a contribution had met).
CONTRIBUTIONS_DEDUCTED = (
    "Contributions received are deducted from the costs they meet, and no Party claims or bears a cost that a "
    "contribution has met."
)


def _pledges_note(ctx: dict[str, Any], purpose: str) -> str:
    """Who pledges, for what: the donors that sign contribute amounts yet to be agreed."""
    pledgers = ctx["pledger_names"]
    verb = "contributes" if len(pledgers) == 1 else "contribute"
    return _capital(
        f"{_and_list(pledgers)} {verb} {purpose} [to be agreed: amount, currency and earmarking of each contribution]."
    )


def _pooled_fund_note(ctx: dict[str, Any], total: float | None, currency: str, transit: bool = False) -> list[str]:
    """The pooled fund as the cost article sets it up: who administers it and under which rules, who appeals to whom
    for what, who contributes, and how the balance is met (never by a donor beyond its contribution; a Transit
    State's costs by the bearer ``_transit_first_note`` names)."""
    admin = ctx["pooled_fund_admin_name"]
    rules = ADMINISTRATION_RULES[ctx["pooled_fund_admin_kind"]]
    partners = ctx["appeal_partner_names"]
    requirement = f"{currency} {total:,.2f}" if total is not None else ESTIMATE_HOLE
    out = [
        f"The pooled fund is administered by {admin} in accordance with {rules}. {_capital(admin)} launches the "
        f"appeal to donors{', jointly with ' + _and_list(partners) + ',' if partners else ''} for the initial funding "
        f"requirement of {requirement}"
        # as the article says it: the appeal is for what the pledged contributions leave (round 15, lebanon2006)
        + (f", less the contributions of {_and_list(ctx['pledger_names'])}" if ctx["pledger_names"] else "")
        + ", to meet the costs of transport, shelter, health care and other services that "
        "the Parties delivering them"
        + (
            f", and the Participants that deliver them under the Memorandum of Participation ({_and_list(pp)}),"
            if (pp := ctx["participant_provider_names"])
            else ""
        )
        + " cannot meet from their own resources.",
        _pledges_note(ctx, "to the pooled fund") + " Other donors contribute in response to the appeal."
        if ctx["pledger_names"]
        else "Donors contribute in response to the appeal.",
        "The pooled fund meets those costs within its resources; where they are insufficient, "
        f"{'any other' if transit else 'a'} cost that it cannot meet remains with the "
        f"{'Party or Participant' if ctx['participant_provider_names'] else 'Party'} that incurs it, which "
        "need not incur further such costs, the most vulnerable persons being assisted first; no such cost is charged "
        "to a donor beyond its contribution, or to the persons assisted. The fund meets a cost of assisting "
        "refugees, asylum-seekers, stateless persons or persons who fear return that their State of origin"
        f"{' or a Transit State' if transit else ''} incurs before any other cost of that State."
        + (
            " The unrecovered balance of an Advance of such a cost made pending the proceeds of the appeal is repaid "
            f"to the Bridging Party by the Party that bears the cost within {ctx['balance_repayment_days']} days of "
            "the close of the consultations that follow the recovery period, no new period of recovery running; a "
            "Bridging Party that incurred the cost itself bears the balance as its own cost."
            + (
                " A Participant that bears such a cost repays the balance of its Advance on the same terms."
                if ctx["participant_provider_names"]
                else ""
            )
            + (
                " The unrecovered balance of an Advance of a part of such a cost that no Party bears, on which the "
                "Parties consult, is repaid to the Bridging Party as a first charge on any further contributions to "
                "the fund, and otherwise as the Parties decide in those consultations."
                if ctx["residual_consulted"] and transit
                else ""
            )
            if ctx["appeal_advances"] and ctx["advancer_names"]
            else ""
        )
        + " Any unearmarked balance at the close of the operation is applied to assistance to Migrants affected by the "
        "Crisis or refunded to contributors in proportion to their contributions.",
    ]
    return out


def _transit_first_note(scenario: Scenario, advice: Advice, ctx: dict[str, Any]) -> list[str]:
    """Under a pooled fund, the Transit States that sign (promised to bear no costs for others' nationals) are met
    first from its unearmarked resources, and advanced pending the appeal where an advance article exists; what the
    fund cannot meet of those costs is borne, as a last resort, by the bearer of persons no State of nationality can
    be asked to bear (never a Transit State: ``costs.protected_bearer``), which seeks donor contributions for it, as
    the cost and transit articles say."""
    transit = signatory_state_context(scenario)["transit_party_names"]
    if not transit:
        return []
    advanced = any(c.id == "bridging_fund" for c in advice.clauses)
    return [
        f"The costs of reception and onward travel that {_and_list(transit)} "
        f"{'incurs' if len(transit) == 1 else 'incur'} as Transit State for Migrants other than "
        f"{'its' if len(transit) == 1 else 'their'} own nationals are met first from the unearmarked resources of the "
        "pooled fund"
        + (", and advanced pending the proceeds of the appeal." if advanced else ".")
        + f" Any such cost that the fund cannot meet {_residual(ctx, 'is', pooled=True)}; it is not borne by "
        f"{_and_list(transit)}."
    ]


def _mutual_aid_note(ctx: dict[str, Any], treaty: bool) -> str:
    """The mutual-aid cost rule as the cost article states it, so that Annex B never refers to a rule it does not
    state: the requesting Party reimburses, or (where the Parties do not share costs) the Assisting Party bears its
    costs and a reimbursement is due only where agreed, on itemised claims within the article's deadlines; the Party
    on whose territory teams work supports them free of charge; the disaster mutual-aid treaty in force prevails,
    only where there is one (``treaty``); and a State of nationality's reception of its own returning nationals is
    never billed to the requesting Party."""
    deadlines = (
        f"on itemised claims submitted within {ctx['claim_deadline_months']} months of the end of the assistance and "
        f"paid within {ctx['payment_deadline_months']} months of their receipt"
    )
    rule = (
        "The Party that provides assistance at the request of another Party bears its costs, including personnel, "
        "equipment and transport to and from the territory in which it is provided; a reimbursement is due only where "
        f"agreed in writing, {deadlines}."
        if ctx["assisting_party_bears_costs"]
        else "The requesting Party reimburses the Assisting Party for the actual costs of the assistance provided at "
        f"its request, including personnel, equipment and transport to and from its territory, {deadlines}; the "
        "Assisting Party may waive reimbursement."
    )
    return (
        f"{rule} The "
        "Party in whose territory assistance is provided makes available, free of charge, the logistical support that "
        "the teams of the Assisting Party require there. The reception by a State of nationality of its own nationals "
        "returning to its territory is not claimed from the requesting Party."
        + (
            " Where the Mutual Assistance Agreement applies to assistance requested under it between Parties bound by "
            "it, it prevails as to the costs of that assistance."
            if treaty
            else ""
        )
    )


def _low_capacity_note(ctx: dict[str, Any]) -> str:
    """How the part of each State that pays late is covered, as the cost article says: advanced, or met first from
    the donors' contributions and otherwise by the Assisting Party, which claims it after the operation (a share under
    the per-person formula, the costs reimbursable case by case otherwise)."""
    per_person = ctx["cost_article"] == "pro_rata"

    def what(names: list[str]) -> str:
        if not per_person:
            return f"the costs reimbursable by {_and_list(names)}"
        return f"the {'share' if len(names) == 1 else 'shares'} of {_and_list(names)}"

    parts = []
    advanced, others = ctx["low_capacity_advanced_names"], ctx["low_capacity_other_names"]
    if advanced:
        verb = "is" if per_person and len(advanced) == 1 else "are"
        # the advancer is often the Party that incurs the costs: it pre-finances them and is repaid (round 16)
        one_advancer = len(ctx["low_capacity_advancer_names"]) == 1
        whose = "its" if one_advancer else "that Party's"
        parts.append(
            f"{what(advanced)} {verb} advanced by {_and_list(ctx['low_capacity_advancer_names'])}, "
            + ("which meets" if one_advancer else "each of which meets")
            + (" it" if verb == "is" else " them")
            + " as the costs arise"
            + ", whether it or another Party incurs those costs" * (ctx["signatory_count"] > 2)
            + (
                f", up to an aggregate amount outstanding at any time of {ctx['low_capacity_ceiling_text']}"
                if ctx["low_capacity_ceiling_text"]
                else ""
            )
            + f", and repaid to {'it' if one_advancer else 'the Party that advanced them'} within "
            f"{ctx['payment_deadline_months']} months of receipt of {whose} claim; it alone makes that claim, "
            + (
                # claims for assistance to nationals run from the assistance, as the article sets (round 21)
                "on the standard claim form and within the period that the cost article sets"
                if ctx["cost_article"] == "nationality_reimburses"
                else f"within {ctx['claim_deadline_months']} months of the end of the operation"
            )
        )
    if others:
        them = "it" if per_person and len(others) == 1 else "them"
        later = "claims {} after the operation" if per_person else "requests {} after the assistance"
        parts.append(
            f"the contributions of {_and_list(ctx['pledger_names'])} are applied first to {what(others)}, and the "
            f"Assisting Party meets any part not so met as the costs arise and {later.format('it')}"
            if ctx["pledger_names"]
            else f"the Assisting Party meets {what(others)} as {'the costs' if per_person else 'they'} arise and "
            f"{later.format(them)}"
        )
    waits = "No movement waits" if per_person else "No assistance waits"
    return f"{waits} for payment by {_and_list(ctx['low_capacity_names'])}: {'; '.join(parts)}."


def contacts_annex(scenario: Scenario, advice: Advice, holder: str = "Party") -> Annex:
    """Annex C: contact points and channels, one row per Party (and Participant), for them to complete. Only those
    that sign designate focal points: a body that takes part without signing (the State people flee, a group) has
    no row; the Parties address it by request (signing.py). ``holder`` heads the first column, "Party or
    Participant" where Participants of a binding framework have rows too (round 16: a Participant listed under
    "Party")."""
    # the parties block says a Party's acting organ "shall be identified in Annex C" (round 16: six readers found no
    # place for it): the column names it beside the focal point
    columns = [holder, "Acting organ and focal point (name, office)", "24-hour contact", "Channel", "Languages"]
    # The Data-Sharing Protocol has each Party designate a data-protection focal point "listed in Annex C".
    data_protocol = any(c.id == "data_sharing_protocol" for c in advice.clauses)
    if data_protocol:
        columns.append("Data-protection focal point")
    hole = "[to be completed]"
    rows = []
    for p in signatories(scenario):
        languages = ", ".join(map(language_name, p.capacities.hotline_languages or [])) if p.capacities else ""
        # the Party in the first column, the organ through which it acts beside its focal point (round 16, four
        # drafts: "Annex C puts the Coast Guard in the Party column")
        parts = split_organ(without_note(p.name, p.kind), p.kind)
        acting = f"{parts.organ}; focal point {hole}" if parts.organ else hole
        rows.append([parts.entity, acting, hole, hole, languages or hole, *([hole] if data_protocol else [])])
    with_participants = holder != "Party"
    each = "Each Party shall, and each Participant will," if with_participants else "Each Party shall"
    everyone = "Parties and Participants" if with_participants else "Parties"
    # as the final provisions and the coordination article say: changes go to the other Parties (round 16, four
    # drafts: "the final provisions and Annex C disagree on contact updates")
    note = (
        f"{each} keep its entry current and notify any change without delay, through its focal point, to the other "
        f"Parties; the Lead Party shall keep this list up to date and circulate it to all {everyone}."
    )
    return Annex(
        title="Annex C. Contact points and communication channels",
        text=note + "\n" + _table_text(columns, rows),
        note=note,
        columns=columns,
        rows=rows,
    )
