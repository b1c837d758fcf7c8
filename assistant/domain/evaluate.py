"""``evaluate(scenario, choices) -> Advice``: run the rule base, then gather, resolve and explain."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .advice import (
    Advice,
    AgreementTypeAdvice,
    ClauseAdvice,
    ConflictAdvice,
    CostModelAdvice,
    NonSignatoryAdvice,
    OperationAdvice,
    PracticeAdvice,
    RiskFlagAdvice,
    RoleAdvice,
    RuleFired,
)
from .clauses import ClauseLibrary, load_clause_library
from .conflicts import computed_conflicts
from .costs import allocate, settle_appeal_advances
from .engine import Firing, get_engine, resolve
from .facts import Choice, PartyPosition, scenario_facts
from .loading import loaded_once
from .names import split_organ
from .rules import SINGLE_HOLDER_ROLES, RuleBase, load_rule_base
from .scenario import Scenario
from .signing import binds, makes_memorandum, participation, signatories
from .territory import arrival_states, moves_someone, receives_people, territory
from .vocab import AGREEMENT_TYPES, CLAUSE_TOPICS, PRACTICES, RISK_FLAGS, ROLES, label

ROOT = Path(__file__).resolve().parents[2]
_SEVERITY = {"low": 0, "medium": 1, "high": 2}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\}")


@loaded_once
def default_rule_base(folder: str = str(ROOT / "rules")) -> RuleBase:
    """The shipped rule base, loaded once per process."""
    return load_rule_base(folder)


@loaded_once
def default_library(folder: str = str(ROOT / "clause_library")) -> ClauseLibrary:
    """The shipped clause library, loaded once per process."""
    return load_clause_library(folder)


def evaluate(
    scenario: Scenario,
    choices: Iterable[Choice] = (),
    *,
    positions: Iterable[PartyPosition] = (),
    rule_base: RuleBase | None = None,
    library: ClauseLibrary | None = None,
) -> Advice:
    """Evaluate a scenario and the negotiator's choices; return the explained advice with its draft."""
    from .assembly import assemble

    choices = list(choices)
    base = rule_base or default_rule_base()
    library = library or default_library()
    firings = get_engine().evaluate(base, scenario_facts(scenario, choices, positions))
    advice = gather(scenario, firings, choices, library)
    advice.draft = assemble(scenario, advice, library)
    return advice


# ---------------------------------------------------------------- explanations


def _label(fact: dict[str, Any]) -> str:
    kind = fact.get("type")
    if kind == "scenario":
        return "scenario"
    if kind == "party":
        return f"party {fact.get('name') or fact.get('id')}"
    if kind == "population":
        return f"group {fact.get('nationality')}"
    if kind == "choice":
        return "negotiator's choice"
    if kind == "position":
        return f"position of {fact.get('party')}"
    if kind == "operation":
        return f"operation {label(str(fact.get('item', '')))}"
    return f"suggested {label(str(kind))}"


_PREFIXES = {
    "vuln_": "{x}: {v}",
    "n_": "number of {x}: {v}",
    "needs_": "needs {x}",
    "intends_": "the parties intend {x}",
    "mandate_": "mandate: {x}",
    "transport_": "transport by {x}",
    "instrument_": "existing instrument: {x}",
}


def describe(field: str, value: Any) -> str:
    """One matched field in words: ``needs evacuation transport``, ``consular presence: none``."""
    try:
        return _describe(field, value)  # the same few fields and values recur in every firing
    except TypeError:  # a value that cannot be a cache key
        return _describe.__wrapped__(field, value)


@lru_cache(maxsize=4096, typed=True)
def _describe(field: str, value: Any) -> str:
    if field.startswith("sector_"):
        sector = label(field.removeprefix("sector_"))
        return f"sector: {sector}" if isinstance(value, bool) else f"people in {sector}: {value:,}"
    for prefix, text in _PREFIXES.items():
        if field.startswith(prefix):
            shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
            return (
                text.format(x=label(field.removeprefix(prefix)), v=shown if not isinstance(value, bool) else "")
                .rstrip(": ")
                .strip()
            )
    words = field.replace("_", " ")
    if isinstance(value, bool):
        return f"{words}: {'yes' if value else 'no'}"
    return f"{words}: {label(value) if isinstance(value, str) else value}"


def explain(firing: Firing) -> list[str]:
    """The facts a firing matched, in words: ``party Republic of Pallas: consular presence: none``."""
    lines = []
    for alias, pattern in firing.rule.when.items():
        fact = firing.bindings.get(alias, {})
        fields = [f for f in pattern if f != "type"] or (["item"] if "item" in fact else [])
        shown = [describe(f, fact[f]) if f in fact else f"{f.replace('_', ' ')} unknown" for f in fields]
        lines.append(f"{_label(fact)}: {'; '.join(shown)}" if shown else _label(fact))
    return lines


_PARTY_FIELDS = frozenset({"party", "for", "new_party", "proposed_party"})


def fill(text: str, bindings: dict[str, dict[str, Any]], names: dict[str, str] | None = None) -> str:
    """Replace ``{alias.field}`` in a message with the matched facts' values; a field that refers to a
    party by id (a choice's ``party``, ``for``…) reads as the party's name when ``names`` knows it."""

    def value(m: re.Match) -> str:
        v = bindings.get(m[1], {}).get(m[2], "[unknown]")
        if names and m[2] in _PARTY_FIELDS and isinstance(v, str):
            return names.get(v, v)
        return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)

    return _PLACEHOLDER.sub(value, text)


# ---------------------------------------------------------------- gathering


class _Gather:
    def __init__(self, scenario: Scenario, choices: list[Choice]):
        self.scenario = scenario
        self.choices = choices
        self.fired: dict[str, RuleFired] = {}
        self.priority: dict[str, int] = {}
        self.types: dict[str, list[str]] = {}
        self.roles: dict[tuple[str, str, str | None], list[str]] = {}
        self.held: dict[tuple[str, str, str | None], list[str]] = {}  # roles given to a lead's holder
        self.models: dict[str, tuple[list[str], dict[str, Any]]] = {}
        self.practices: dict[str, tuple[list[str], str]] = {}
        self.flags: dict[str, RiskFlagAdvice] = {}
        self.conflicts: dict[tuple[str, str], ConflictAdvice] = {}
        self.clauses: dict[str, dict[str, list[str]]] = {}
        self.lines: dict[str, set[str]] = {}  # the lines in each fired rule's facts
        self.names = {p.id: p.name for p in scenario.parties}
        # lead and backup candidacies by the agreement type the firing matched: key -> type -> rule ids
        self.fits: dict[tuple[str, str, str | None], dict[str, list[str]]] = {}

    def add(self, f: Firing) -> None:
        rule, b, rid = f.rule, f.bindings, f.rule.id
        entry = self.fired.get(rid)
        if entry is None:
            entry = self.fired[rid] = RuleFired(
                id=rid, title=rule.title, source=rule.source, rationale=fill(rule.rationale, b, self.names)
            )
            self.lines[rid] = set()
        seen = self.lines[rid]
        new = [line for line in explain(f) if line not in seen]
        entry.facts.extend(new)
        seen.update(new)
        self.priority[rid] = rule.priority
        then = rule.then
        for a in then.agreement_types:
            _append(self.types.setdefault(a, []), rid)
        for r in then.roles:
            party, for_ = resolve(r.party, b), resolve(r.for_, b)
            holder = getattr(r.party, "holder", None)
            if holder:
                _append(self.held.setdefault((r.role, holder, for_ and str(for_)), []), rid)
            elif party:
                key = (r.role, str(party), for_ and str(for_))
                _append(self.roles.setdefault(key, []), rid)
                if r.role in SINGLE_HOLDER_ROLES:
                    for purpose in _purposes(rule, b):
                        _append(self.fits.setdefault(key, {}).setdefault(purpose, []), rid)
        for m in then.cost_models:
            because, params = self.models.setdefault(m.id, ([], {}))
            _append(because, rid)
            params.update({k: resolve(v, b) for k, v in m.params.items() if resolve(v, b) is not None})
        for p in then.practices:
            _append(self.practices.setdefault(p, ([], rule.source))[0], rid)
        for fl in then.risk_flags:
            flag = self.flags.get(fl.id)
            if flag is None:
                flag = self.flags[fl.id] = RiskFlagAdvice(id=fl.id, severity=fl.severity)
            if _SEVERITY[fl.severity] > _SEVERITY[flag.severity]:
                flag.severity = fl.severity
            _append(flag.because, rid)
            safeguards = [s for s in fl.safeguards if s not in flag.safeguards]
            flag.safeguards.extend(safeguards)
            if fl.message:
                _append(flag.details, fill(fl.message, b, self.names))
        for c in then.conflicts:
            message = fill(c.message, b, self.names)
            conflict = self.conflicts.get((c.id, message))
            if conflict is None:
                conflict = self.conflicts[c.id, message] = ConflictAdvice(id=c.id, message=message)
            _append(conflict.because, rid)
        for c in then.clauses:
            _append(self.clauses.setdefault(c.id, {}).setdefault(c.variant, []), rid)

    def rank(self, because: list[str]) -> int:
        return min((self.priority.get(r, 1000) for r in because), default=1000)


def _purposes(rule: Any, bindings: dict[str, dict[str, Any]]) -> list[str]:
    """The agreement types a firing matched (its ``agreement_type`` aliases): what a lead candidacy is for."""
    return [
        str(bindings[alias]["item"])
        for alias, pattern in rule.when.items()
        if pattern.get("type") == "agreement_type" and "item" in bindings.get(alias, {})
    ]


def _append(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _order(ids: Iterable[str], vocabulary: tuple[str, ...]) -> list[str]:
    return sorted(ids, key=lambda i: vocabulary.index(i) if i in vocabulary else len(vocabulary))


def gather(scenario: Scenario, firings: list[Firing], choices: list[Choice], library: ClauseLibrary) -> Advice:
    """Merge firings into advice: dedupe, resolve lead roles, apply choices, allocate costs, pick clauses."""
    g = _Gather(scenario, choices)
    for f in firings:
        g.add(f)
    where = territory(scenario)
    not_signing = {pid: p.reason for pid, p in participation(scenario, where).items() if not p.signs}
    decisions = _Decisions(choices, not_signing, g.names)
    advice = Advice(title=scenario.title, rules_fired=list(g.fired.values()))
    advice.operations = [OperationAdvice(id=o.id, state=o.state, basis=o.basis) for o in where.operations]
    advice.non_signatories = [NonSignatoryAdvice(party=pid, reason=why) for pid, why in not_signing.items()]
    for a in _order(g.types, AGREEMENT_TYPES):
        decisions.place(
            advice.agreement_types, advice.rejected, AgreementTypeAdvice(id=a, because=g.types[a]), "agreement_type", a
        )
    dropped = _drop_non_signatories(g, not_signing)
    _resolve_roles(g, advice, decisions)
    _flag_roles_left(g, advice, dropped)
    for m, (because, params) in g.models.items():
        decisions.place(
            advice.cost_allocation.models,
            advice.rejected,
            CostModelAdvice(id=m, because=because, params=params),
            "cost_model",
            m,
        )
    for p in _order(g.practices, PRACTICES):
        because, source = g.practices[p]
        decisions.place(
            advice.practices, advice.rejected, PracticeAdvice(id=p, because=because, source=source), "practice", p
        )
    for fl in _order(g.flags, RISK_FLAGS):
        decisions.place(advice.risk_flags, advice.rejected, g.flags[fl], "risk_flag", fl)
    advice.conflicts = list(g.conflicts.values()) + advice.conflicts
    advice.cost_allocation = allocate(scenario, advice)
    _select_clauses(g, advice, decisions, library)
    settle_appeal_advances(advice)  # an appeal advance needs the pooled-fund article to be recovered under
    advice.conflicts += computed_conflicts(scenario, advice, library)
    return advice


class _Decisions:
    """The negotiator's choices, looked up by the suggestion they are about; ``not_signing``: the bodies that take
    part without signing, with the reason, to which no choice can give a role."""

    def __init__(self, choices: list[Choice], not_signing: dict[str, str], names: dict[str, str]):
        self.by_key = {c.key(): c for c in choices}
        self.roles_placed: set[tuple[str, str, str | None]] = set()  # (role, party, for) in advice.roles
        self.not_signing = not_signing
        self.names = names

    def get(self, kind: str, item: str, party: str | None = None, for_: str | None = None) -> Choice | None:
        return self.by_key.get((kind, item, party, for_))

    def place(self, kept: list, rejected: list, suggestion: Any, kind: str, item: str) -> None:
        choice = self.get(kind, item)
        if choice and choice.action == "reject":
            suggestion.status = "rejected"
            rejected.append(suggestion)
            return
        if choice and choice.action == "accept":
            suggestion.status = "accepted"
        kept.append(suggestion)


# Agreement types that are operations of their own. When one instrument covers such an operation beside its main
# purpose and the strongest candidate to lead that operation is not the lead, that candidate becomes the
# operation's lead (role ``operation_lead``, ``for`` the agreement type): a tracing lead beside an evacuation lead.
OPERATIONS = ("evacuation_relocation", "family_tracing", "protection_referral", "expert_deployment")
# Instruments between States, which no NGO, National Society, private or civil-society party leads, not even when
# no candidate fits the purpose and the strongest of all candidates is taken instead.
STATE_INSTRUMENTS = ("consular_representation", "consular_host_liaison", "identity_verification")
NON_GOVERNMENTAL_KINDS = (  # not the facts' NON_STATE_PARTY_KINDS: local authorities may lead, donors not
    "ngo",
    "national_society",
    "migrant_association",
    "employer",
    "recruiter",
    "employers_federation",
    "carrier",
    "donor",
    "development_bank",
)


def main_purpose(scenario: Scenario, advice: Advice) -> tuple[str | None, str]:
    """The agreement's main purpose and how it was found: the first agreement type the Parties listed that the
    negotiator has not rejected; otherwise the suggested type with the most rules behind it (ties: the order of
    the contract's vocabulary)."""
    rejected = {a.id for a in advice.rejected if isinstance(a, AgreementTypeAdvice)}
    listed = [t for t in scenario.agreement_types or [] if t not in rejected]
    if listed:
        first = listed[0] == (scenario.agreement_types or [None])[0]
        return listed[0], "the first agreement type the Parties listed" if first else (
            "the first agreement type the Parties listed that is not rejected"
        )
    if advice.agreement_types:
        best = min(advice.agreement_types, key=lambda a: (-len(a.because), AGREEMENT_TYPES.index(a.id)))
        return best.id, "the suggested agreement type with the most reasons behind it"
    return None, ""


def _resolve_roles(g: _Gather, advice: Advice, decisions: _Decisions) -> None:
    """Single-holder roles go to the strongest candidate for the agreement's main purpose (else the strongest of
    all), not rejected; the next distinct one backs up; an operation of its own gets its own lead."""
    order = {p.id: i for i, p in enumerate(g.scenario.parties)}
    kinds = {p.id: p.kind for p in g.scenario.parties}
    main, why_main = main_purpose(g.scenario, advice)

    def fits(key: tuple[str, str, str | None]) -> list[str]:
        return g.fits.get(key, {}).get(main, []) if main else []

    # A National Society is auxiliary to its own public authorities: in an arrangement between several States
    # whose main purpose is not tracing it leads the tracing operation, not the arrangement (docs/leadership.md).
    n_states = sum(1 for p in g.scenario.parties if p.kind == "state")
    auxiliary = {
        pid for pid, kind in kinds.items() if kind == "national_society" and n_states >= 2 and main != "family_tracing"
    }

    # A National Society barred from leading a binding instrument (a Participant) is auxiliary to the public
    # authorities of the host State where it works: when it was a candidate for the main purpose, the host State
    # stands in for it and counts as fitting that purpose.
    unbound = unbound_participants(g.scenario)
    stand_in = any(
        k[0] == "lead" and k[1] in unbound and kinds[k[1]] == "national_society" and fits(k) for k in g.roles
    )

    def fitting(key: RoleKey) -> bool:
        return bool(fits(key)) or (stand_in and key[0] == "lead" and key[1] == g.scenario.host_state)

    def ranked(role: str) -> list:
        out = []
        for key, because in g.roles.items():
            if key[0] != role or (main in STATE_INSTRUMENTS and kinds.get(key[1]) in NON_GOVERNMENTAL_KINDS):
                continue
            fit = sorted(fits(key), key=lambda r: g.priority.get(r, 1000))
            out.append((key, fit + [r for r in because if r not in fit]))
        return sorted(
            out,
            key=lambda kv: (
                role == "lead" and kv[0][1] in auxiliary,
                0 if fitting(kv[0]) else 1,
                g.rank(fits(kv[0]) or kv[1]),
                order[kv[0][1]],
            ),
        )

    fled = territory(g.scenario).fled_state
    # The State people flee never leads, nor backs up, an operation on its neighbour's territory; in a binding
    # instrument no body that cannot be bound leads or backs up (it signs only the Memorandum of Participation); a
    # party to the armed conflict facilitates, and an organ narrower than the lead's duties acts within its own.
    unfit_to_lead = _unfit_to_lead(g.scenario)
    _explain_unfit_to_lead(g, unfit_to_lead)
    barred = ({fled} if fled else set()) | unbound | set(unfit_to_lead)
    lead_candidates = _chosen_first("lead", ranked("lead"), decisions, advice)
    backup_candidates = _chosen_first("backup_lead", ranked("backup_lead"), decisions, advice)
    lead = _pick("lead", lead_candidates, decisions, advice, exclude=barred)
    if lead is None:
        _flag_unbound_lead(g, [kv for kv in lead_candidates if kv[0][1] in unbound_participants(g.scenario)])
    if lead and lead.status != "reassigned":
        _explain_rank(g, lead, main, why_main, [kv for kv in lead_candidates if kv[0][1] != lead.party], fits)
    # A party the negotiator refused as lead is not kept in reserve to take over as lead either.
    taken = {r.party for r in advice.rejected if isinstance(r, RoleAdvice) and r.role == "lead"}
    taken |= {lead.party} if lead else set()

    # The backup: a backup candidate the negotiator chose; then, candidates that fit the main purpose (backup
    # reasons before lead reasons); then the others, in the same order.
    def chosen_backup(kv: tuple) -> bool:
        choice = decisions.get("role", "backup_lead", kv[0][1], kv[0][2])
        return kv[0][0] == "backup_lead" and bool(choice and choice.action in ("accept", "reassign"))

    unfit = _unfit_backups(g.scenario, main, lead)
    pool = sorted(
        backup_candidates + lead_candidates,
        key=lambda kv: (not chosen_backup(kv), unfit.get(kv[0][1], 0), not fits(kv[0]), kv[0][0] == "lead"),
    )
    never = {pid for pid, level in unfit.items() if level >= NEVER and not _chosen_for_backup(decisions, pid)}
    _pick("backup_lead", pool, decisions, advice, exclude=taken | barred | never)
    _operation_leads(g, advice, decisions, main, lead.party if lead else None, order, barred)
    for (role, holder, for_), because in g.held.items():
        for h in advice.holders(holder)[:1]:
            key = (role, h.party, for_)
            g.roles[key] = g.roles.get(key, []) + [r for r in because if r not in g.roles.get(key, [])]
    others = [(k, v) for k, v in g.roles.items() if k[0] not in SINGLE_HOLDER_ROLES]
    for (role, party, for_), because in sorted(others, key=lambda kv: (ROLES.index(kv[0][0]), order[kv[0][1]])):
        _place_role(RoleAdvice(role=role, party=party, for_=for_, because=because), decisions, advice)
    _one_information_coordinator(g, advice, barred)


def _one_information_coordinator(g: _Gather, advice: Advice, barred: set[str]) -> None:
    """Information to Migrants is coordinated by one Party, which the others relay (MICIC Guideline 7: consistent
    information through agreed channels): of the Parties the rules suggested as information focal point, one the
    negotiator chose; else the Lead Party; else the first that is no State of nationality of the people covered (it
    informs everyone alike); else, when all are States of nationality, the Lead Party that is none (each State
    informs its own nationals); else the first. A body that cannot be bound, or that never leads (the State people
    flee, a party to the conflict, a funder), does not coordinate: the Lead Party does, even where that body is
    the only one with a channel of its own. The others keep their channels and relay what the coordinator issues;
    the rule behind each says so."""
    holders = advice.holders("information_focal_point")
    if not holders:
        return
    chosen = [r for r in holders if r.status in ("accepted", "reassigned")]
    if chosen:
        return
    nationalities = {p.nationality for p in g.scenario.populations or []}
    lead = next((r.party for r in advice.holders("lead")), None)

    def of_nationality(pid: str) -> bool:
        p = g.scenario.party(pid)
        return bool(p and (pid in nationalities or "origin" in (p.crisis_roles or [])))

    keep = min(
        holders,
        key=lambda r: (r.party in barred, r.party != lead, of_nationality(r.party), holders.index(r)),
    )
    partisan = of_nationality(keep.party) and not of_nationality(lead) if lead else False
    if lead and lead != keep.party and (keep.party in barred or partisan):
        # no Party that can be bound, or no neutral one, runs a channel of its own: the Lead Party coordinates
        because = list(dict.fromkeys(x for r in holders for x in r.because))
        keep = RoleAdvice(role="information_focal_point", party=lead, because=because)
        advice.roles.insert(advice.roles.index(holders[0]), keep)
    for r in holders:
        if r is keep:
            continue
        advice.roles.remove(r)
        line = (
            f"{g.names.get(r.party, r.party)} relays the information to Migrants that "
            f"{g.names.get(keep.party, keep.party)} coordinates as the one information focal point"
        )
        for rid in r.because:
            _append(g.fired[rid].facts, line)


RoleKey = tuple[str, str, str | None]  # (role, party, for)


def binding_instrument(scenario: Scenario) -> bool:
    """Whether the instrument binds its Parties: at least two signatories can be bound (``signing.binds``) and none
    says it cannot in a way that makes it a memorandum (``signing.makes_memorandum``; rules/instrument_form.yaml: an
    Agreement, or a binding framework with a Memorandum of Participation)."""
    signing = signatories(scenario)
    says_not = any(makes_memorandum(scenario, p) for p in signing)
    return sum(1 for p in signing if binds(p)) >= 2 and not says_not


def unbound_participants(scenario: Scenario) -> set[str]:
    """The signatories that cannot be bound by a binding instrument (NGOs, National Societies, companies ...: they
    sign the Memorandum of Participation and are Participants, not Parties): they neither lead nor back up it, and
    lead at most an operation of their own (docs/leadership.md). Empty when the instrument is not binding."""
    if not binding_instrument(scenario):
        return set()
    return {p.id for p in signatories(scenario) if not binds(p)}


def _role_text(g: _Gather, role: str, for_: str | None) -> str:
    """A role in words, with what it is for: "data controller for registration lists and Manifests"."""
    return label(role) + (f" for {g.names.get(for_) or label(for_)}" if for_ else "")


def _drop_non_signatories(g: _Gather, not_signing: dict[str, str]) -> list[tuple[RoleKey, list[str]]]:
    """A body that takes part without signing holds no role (README, "Bodies that take part without signing"): every
    role the rules suggested for it is dropped, its lead and backup candidacies with it, whatever the rule, and each
    rule behind one says why among its facts. Returns the dropped roles with the rules behind them."""
    dropped = []
    for key in [k for k in g.roles if k[1] in not_signing]:
        role, party, for_ = key
        because = g.roles.pop(key)
        g.fits.pop(key, None)
        dropped.append((key, because))
        line = (
            f"{g.names.get(party, party)} holds no role as {_role_text(g, role, for_)}: it takes part without "
            f"signing ({not_signing[party]})"
        )
        for rid in because:
            if line not in g.fired[rid].facts:
                g.fired[rid].facts.append(line)
    return dropped


def _chosen_for_backup(decisions: _Decisions, party: str) -> bool:
    """Whether the negotiator accepted this party as backup (the choice stands over the ranking)."""
    return any(
        k[0] == "role" and k[1] == "backup_lead" and k[2] == party and c.action in ("accept", "reassign")
        for k, c in decisions.by_key.items()
    )


def _flag_unbound_lead(g: _Gather, candidates: list) -> None:
    """A binding instrument whose only lead candidates are Participants that cannot be bound has no Lead Party: the
    capacity gap (high: the draft shows a hole) names them and asks for a Party that can be bound to lead, the
    Participant leading its own operation under it."""
    if not candidates:
        return
    names = list(dict.fromkeys(g.names.get(k[1], k[1]) for k, _ in candidates))
    flag = g.flags.setdefault("capacity_gap", RiskFlagAdvice(id="capacity_gap", severity="high"))
    flag.severity = "high"
    for _, because in candidates:
        for rid in because:
            _append(flag.because, rid)
    _append(flag.safeguards, "roles")
    _append(
        flag.details,
        f"No Party leads: the rules suggested {' and '.join(names)}, which cannot be bound by a binding instrument "
        "(it signs the Memorandum of Participation); a State or organization Party should lead, with it as "
        "Operation Lead",
    )


# Roles without which the draft shows a hole where a Party should be named.
HOLE_ROLES = ("lead", "data_controller")


def _flag_roles_left(g: _Gather, advice: Advice, dropped: list[tuple[RoleKey, list[str]]]) -> None:
    """A role the rules gave only to bodies that take part without signing is left without a holder: the capacity
    gap says which role, whom the rules had suggested and why that body does not sign, with the rules that call
    for the role behind it (high where the draft shows a hole, else medium)."""
    left: dict[tuple[str, str | None], tuple[list[str], list[str]]] = {}
    for (role, party, for_), because in dropped:
        if any(r.role == role and r.for_ == for_ for r in advice.roles):
            continue
        names, rules = left.setdefault((role, for_), ([], []))
        _append(names, g.names.get(party, party))
        for rid in because:
            _append(rules, rid)
    for (role, for_), (names, rules) in left.items():
        severity = "high" if role in HOLE_ROLES else "medium"
        flag = g.flags.setdefault("capacity_gap", RiskFlagAdvice(id="capacity_gap", severity=severity))
        if _SEVERITY[severity] > _SEVERITY[flag.severity]:
            flag.severity = severity
        for rid in rules:
            _append(flag.because, rid)
        _append(flag.safeguards, "roles")
        takes = "takes" if len(names) == 1 else "take"
        _append(
            flag.details,
            f"No Party holds the role of {_role_text(g, role, for_)}: the rules suggested {' and '.join(names)}, "
            f"which {takes} part without signing; a Party able to hold it should take it on or be invited to join",
        )


# Operations that gather people of several nationalities in one movement and one set of registers: whoever backs up
# their lead may have to allocate places to, and consolidate the data of, everyone's nationals.
MULTINATIONAL_OPERATIONS = (*OPERATIONS, "service_prearrangement")
CONSULAR_FRAMEWORKS = ("consular_representation", "consular_host_liaison")
OWN_SCHEME_RULES = ("role.lead.own_scheme_state", "role.lead.own_deployment_scheme_state")
OWN_PHASES = ("activation", "own_alert_phases")  # the activation variant of a State's own scheme


# Crises in which the host State may itself be a party to the conflict or to the unrest, and its enforcement
# authorities a danger to people seeking protection or in irregular status.
CONFLICT_KINDS = ("armed_conflict", "civil_unrest")
# People at risk from their own State: refugees, asylum-seekers, people who fear return.
AT_RISK_VULNERABILITIES = ("refugees_or_asylum_seekers", "fear_of_return")


# How far back an unfit backup comes: behind the fit ones, last of all, or never (no backup, a gap the draft shows,
# is better than one that would take over functions it must not hold).
BEHIND, LAST, NEVER = 1, 2, 3
DOCUMENT_POSTS = ("embassy", "consulate")
NO_POST = ("none", "honorary")  # said to have no career post in the host: no presence to act from


def _unfit_backups(scenario: Scenario, main: str | None, lead: RoleAdvice | None) -> dict[str, int]:
    """Parties unfit to back up the lead (docs/leadership.md, "The backup"), with how far back they come.

    NEVER: a State of origin of people at risk (its nationals are refugees, asylum-seekers or fear return): it
    would take over their registers; the host State in an armed conflict or civil unrest when people at risk are
    concerned (a refugee agency's protection arrangement: its authorities would take over the chair and their
    data); a State with no consular post in the host behind a consular framework, and a foreign State said to have
    none (or only an honorary consul) behind any lead: it has no presence to act from; any other State behind the
    host State, or behind the State of arrival leading an operation at its border, as lead (it would inherit
    functions only the territorial State holds: designating Assembly Points, exit, entry and stay); a State of
    nationality behind a family-tracing lead (tracing is a neutral service: it would take over the enquiries about
    its own nationals and the whereabouts of people found, which the RFL Code of Conduct keeps from their
    authorities without consent); the host State behind another State's own
    repatriation scheme (it cannot run a scheme of another State for that State's nationals); the host State whose
    own measures strand the migrants (movement restrictions or a border closure in an epidemic) behind another lead.
    BEHIND: a State of nationality behind a multinational operation led by a Party that is no State of nationality;
    the host State in an armed conflict or civil unrest when migrants in irregular status are concerned.
    LAST: a transit State with no consular post and no migration mandate behind an organization with a migration
    mandate, when a State with an embassy or consulate that issues travel documents takes part."""
    pops = scenario.populations or []
    nationalities = {g.nationality for g in pops}
    at_risk = {g.nationality for g in pops if any((g.vulnerabilities or {}).get(v) for v in AT_RISK_VULNERABILITIES)}
    irregular = any((g.irregular_share or 0) > 0 for g in pops)
    transit = set(arrival_states(scenario))

    def of_nationality(pid: str | None) -> bool:
        p = scenario.party(pid) if pid else None
        return bool(p and ("origin" in (p.crisis_roles or []) or p.id in nationalities))

    def post(p: Any) -> str | None:
        return p.capacities.consular_presence if p.capacities else None

    if lead is None:
        return {}
    chief = scenario.party(lead.party)
    # Behind a Lead State (itself a State of nationality: EU Lead State, Dir. 2015/637 Art. 13) another State of
    # nationality with a post is the natural backup; behind a neutral lead (an organization, the State at the
    # border) it is not.
    neutral_lead = not of_nationality(lead.party)
    migration_lead = bool(chief and chief.kind != "state" and "migration" in (chief.mandates or []))
    issuer = any(
        p.kind == "state" and post(p) in DOCUMENT_POSTS and p.capacities and p.capacities.travel_documents
        for p in scenario.parties
    )
    multinational = main in MULTINATIONAL_OPERATIONS and len(nationalities) >= 2
    conflict = scenario.crisis.kind in CONFLICT_KINDS
    # in an epidemic, the host's movement restrictions or border closure are what strands the migrants
    stranding_host = scenario.crisis.kind == "epidemic" and bool(
        scenario.host_conditions and scenario.host_conditions.movement_restrictions
    )
    # the State on whose territory the operation takes place: the host, or the State of arrival at a border operation
    where = territory(scenario)
    territorial_leads = {scenario.host_state, *(where.arrival if where.at_border else ())}
    out: dict[str, int] = {}
    for p in scenario.parties:
        if p.id == lead.party:
            continue
        host = p.id == scenario.host_state
        never = (
            p.kind == "state" and p.id in at_risk,
            host and conflict and bool(at_risk),
            main in CONSULAR_FRAMEWORKS and p.kind == "state" and post(p) not in DOCUMENT_POSTS,
            p.kind == "state" and not host and p.id not in transit and post(p) in NO_POST,
            p.kind == "state" and not host and lead.party in territorial_leads and p.id != lead.party,
            main == "family_tracing" and p.kind == "state" and of_nationality(p.id),
            host and any(r in OWN_SCHEME_RULES for r in lead.because),
            host and stranding_host,
        )
        behind = (
            multinational and of_nationality(p.id) and neutral_lead,
            host and conflict and irregular,
        )
        last = (
            multinational
            and migration_lead
            and issuer
            and p.kind == "state"
            and p.id in transit
            and post(p) not in DOCUMENT_POSTS
            and "migration" not in (p.mandates or [])
        )
        if any(never):
            out[p.id] = NEVER
        elif last:
            out[p.id] = LAST
        elif any(behind):
            out[p.id] = BEHIND
    return out


def _candidate_text(g: _Gather, party: str, rules: list[str]) -> str:
    return f"{g.names.get(party, party)} (priority {g.rank(rules)})"


def _explain_rank(g: _Gather, lead: RoleAdvice, main: str | None, why_main: str, rest: list, fits: Any) -> None:
    """Add the ranking reason to the "why" of the rule that made the lead: the main purpose, and the runners-up."""
    rule = g.fired.get(lead.because[0]) if lead.because else None
    if rule is None:
        return
    others = [_candidate_text(g, k[1], fits(k)) for k, _ in rest if fits(k)][:3]
    mine = fits((lead.role, lead.party, lead.for_))
    tie = any(fits(k) and g.rank(fits(k)) == g.rank(mine) for k, _ in rest)
    if main and mine:
        line = (
            f"lead ranking: the main purpose is {label(main)} ({why_main}); "
            f"{_candidate_text(g, lead.party, mine)} is the strongest candidate for it"
            + (f", before {', '.join(others)}" if others else "")
            + (" (equal reasons are ranked by the order of the Parties)" if tie else "")
        )
    elif main:
        line = (
            f"lead ranking: the main purpose is {label(main)} ({why_main}), but no Party is a candidate to lead "
            f"it; {_candidate_text(g, lead.party, lead.because)} is the strongest of all candidates"
        )
    else:
        line = f"lead ranking: {_candidate_text(g, lead.party, lead.because)} is the strongest of all candidates"
    if line not in rule.facts:
        rule.facts.append(line)


def _operation_leads(
    g: _Gather,
    advice: Advice,
    decisions: _Decisions,
    main: str | None,
    lead: str | None,
    order: dict[str, int],
    barred: set[str],
) -> None:
    """Each operation the Parties listed (or the negotiator accepted) beside the main purpose whose strongest
    candidate is not the lead gets that candidate as its own lead, under the overall lead's coordination; so does, for
    the main purpose itself, the strongest Participant that cannot be bound when the lead is no candidate for it (a
    National Society tracing families in a binding instrument led by a State at the border): one lead per function.
    Operations only suggested by the rules stay with the lead. A party to the armed conflict and an organ narrower
    than the duties lead no operation (``_unfit_to_lead``); nor does a candidate that does not carry out the
    operation's own function when other Parties do (``_function_held_by_others``): it would coordinate them as a
    second holder of that function."""
    unfit = set(_unfit_to_lead(g.scenario))
    listed = set(g.scenario.agreement_types or []) | {
        a.id for a in advice.agreement_types if decisions.get("agreement_type", a.id) is not None
    }
    unbound = unbound_participants(g.scenario)
    lead_fits = {t for key, by_type in g.fits.items() if key[:2] == ("lead", lead) for t in by_type}
    for t in (a.id for a in advice.agreement_types):
        if t not in OPERATIONS or (t != main and t not in listed) or (t == main and t in lead_fits):
            continue
        candidates = sorted(
            (
                (key, by_type[t])
                for key, by_type in g.fits.items()
                if key[0] == "lead" and t in by_type and (t != main or key[1] in unbound)
            ),
            key=lambda kv: (g.rank(kv[1]), order[kv[0][1]]),
        )
        for (_, party, _), because in candidates:
            if party == lead:
                break  # the lead is the strongest candidate for this operation too: it leads it
            if party in unfit or _one_nationality_of_several(g.scenario, t, party):
                continue
            if _function_held_by_others(g, t, party):
                continue
            placed = _place_role(
                RoleAdvice(role="operation_lead", party=party, for_=t, because=list(because)), decisions, advice
            )
            if placed:
                rule = g.fired.get(because[0])
                line = (
                    f"operation lead: {_candidate_text(g, party, because)} is the strongest candidate to lead "
                    f"the {label(t)} operation, which the lead coordinates with the rest of the instrument"
                )
                if rule is not None and placed.status != "reassigned" and line not in rule.facts:
                    rule.facts.append(line)
                break


def _function_held_by_others(g: _Gather, operation: str, party: str) -> bool:
    """Whether an operation that is also a role (protection screening and referral, family tracing) is carried out
    by other Parties and not by this candidate: one holder per function, so the candidate does not coordinate it."""
    if operation not in ROLES:
        return False
    holders = {key[1] for key in g.roles if key[0] == operation}
    return bool(holders) and party not in holders


# An organ whose competence is narrower than coordinating an instrument: a police force, or a desk, unit, section,
# cell, division or branch within an organ ("Himara Police (Missing Persons Desk)").
NARROW_ORGAN = re.compile(r"\b(Police|Desk|Unit|Section|Cell|Division|Branch)\b")


def _unfit_to_lead(scenario: Scenario) -> dict[str, str]:
    """The parties that never lead, back up or lead an operation, whatever the rules proposed, with the reason in
    words (docs/leadership.md, "Who never leads"):

    - the host State in an armed conflict, unless people are received there having fled elsewhere
      (``territory.receives_people``): it is, or may be, a party to the conflict; it facilitates the operations on
      its territory, and coordination by it would not be neutral, impartial or trusted by the other side;
    - a State or local authority entered as an organ whose competence is narrower than the duties of a lead (a
      police force, a desk or unit within an organ): it acts within its competence, never as Lead Party;
    - a Party there for financing only (``financing_only``)."""
    out: dict[str, str] = {}
    host = scenario.party(scenario.host_state)
    territorial = host is not None and host.kind in ("state", "local_authority")
    if territorial and scenario.crisis.kind == "armed_conflict" and not receives_people(scenario, host):
        out[host.id] = (
            "a party to the armed conflict facilitates the operations on its territory and does not lead them"
        )
    for p in scenario.parties:
        organ = split_organ(p.name, p.kind).organ
        if p.id not in out and organ and NARROW_ORGAN.search(organ):
            out[p.id] = f"the {organ} acts within its competence, which is narrower than the duties of a lead"
    for pid in financing_only(scenario):
        out.setdefault(pid, "it takes part to finance the operations, with no capacity in the field to coordinate them")
    return out


# What a Party does in the field: carry, shelter, feed, treat, receive, document or inform people, or deploy experts.
FIELD_CAPACITIES = (
    "transport",
    "identity_verification",
    "travel_documents",
    "shelter",
    "food",
    "health_care",
    "hotline_languages",
    "deployable_experts",
    "reception",
)


def financing_only(scenario: Scenario) -> set[str]:
    """The Parties there for financing only: a donor or development bank, or a body whose crisis role is donor (a
    regional body's funding mechanism), with no capacity in the field and no consular post. They fund the
    operations and never lead or back up the instrument: a lead must act where people are."""
    out = set()
    for p in scenario.parties:
        caps = p.capacities
        field = caps is not None and (
            any(getattr(caps, c) for c in FIELD_CAPACITIES) or caps.consular_presence in DOCUMENT_POSTS
        )
        if (p.kind in ("donor", "development_bank") or "donor" in (p.crisis_roles or [])) and not field:
            out.add(p.id)
    return out


def _explain_unfit_to_lead(g: _Gather, unfit: dict[str, str]) -> None:
    """Say, in the facts of each rule that proposed such a party to lead or back up, why it does not."""
    for (role, party, _), because in g.roles.items():
        if party not in unfit or role not in SINGLE_HOLDER_ROLES:
            continue
        line = f"{g.names.get(party, party)} does not {'lead' if role == 'lead' else 'back up'}: {unfit[party]}"
        for rid in because:
            facts = g.fired[rid].facts
            if line not in facts:
                facts.append(line)


def _one_nationality_of_several(scenario: Scenario, operation: str, party: str) -> bool:
    """A State of nationality does not lead, as Operation Lead, an operation that moves or registers people of
    several nationalities: it would allocate places to, and hold the data of, other States' nationals, and decide
    for them on its own Alert Phases (one lead per function: the Lead Party keeps it)."""
    nationalities = {g.nationality for g in scenario.populations or [] if g.count}
    p = scenario.party(party)
    return bool(
        operation in MULTINATIONAL_OPERATIONS
        and len(nationalities) >= 2
        and p is not None
        and p.kind == "state"
        and (party in nationalities or "origin" in (p.crisis_roles or []))
    )


def _own_scheme_led(advice: Advice) -> bool:
    """Whether the lead leads as the State of its own scheme (a rule of OWN_SCHEME_RULES made it lead)."""
    return any(r in OWN_SCHEME_RULES for lead in advice.holders("lead") for r in lead.because)


def _chosen_first(role: str, candidates: list, decisions: _Decisions, advice: Advice) -> list:
    """Candidates the negotiator accepted (or gave the role to) come first; two of them is a conflict."""
    chosen = []
    for candidate in candidates:
        choice = decisions.get("role", role, candidate[0][1], candidate[0][2])
        if choice and choice.action in ("accept", "reassign"):
            chosen.append((candidate, choice.new_party if choice.action == "reassign" else candidate[0][1]))
    holders = list(dict.fromkeys(party for _, party in chosen))
    if len(holders) > 1:
        advice.conflicts.append(
            ConflictAdvice(
                id=f"two_{role}s" if role == "lead" else "two_backup_leads",
                message=f"The negotiators have chosen more than one party as {label(role)}: {', '.join(holders)}. "
                f"One must be chosen; {holders[0]} is shown until then.",
                because=list(dict.fromkeys(r for c, _ in chosen for r in c[1])),
            )
        )
    first = [c for c, _ in chosen]
    return first + [c for c in candidates if c not in first]


def _pick(role: str, candidates: list, decisions: _Decisions, advice: Advice, exclude: set[str]) -> RoleAdvice | None:
    seen: set[str] = set()
    for (_, party, for_), because in candidates:
        if party in exclude or party in seen:
            continue
        seen.add(party)
        suggestion = RoleAdvice(role=role, party=party, for_=for_, because=because)
        placed = _place_role(suggestion, decisions, advice)
        if placed:
            return placed
    return None


def _place_role(s: RoleAdvice, decisions: _Decisions, advice: Advice) -> RoleAdvice | None:
    choice = decisions.get("role", s.role, s.party, s.for_)
    if choice and choice.action == "reject":
        s.status = "rejected"
        advice.rejected.append(s)
        return None
    if choice and choice.action == "reassign" and choice.new_party in decisions.not_signing:
        name = decisions.names.get(choice.new_party, choice.new_party)
        advice.conflicts.append(
            ConflictAdvice(
                id="role_for_non_signatory",
                message=f"The negotiators gave the role {label(s.role)} to {name}, which takes part without signing "
                f"({decisions.not_signing[choice.new_party]}): a body that does not sign holds no role. Give the role "
                f"to a Party, or record that {name} signs.",
                because=s.because,
            )
        )
    elif choice and choice.action == "reassign" and choice.new_party:
        s.proposed_party, s.party, s.status = s.party, choice.new_party, "reassigned"
    elif choice and choice.action == "accept":
        s.status = "accepted"
    if (s.role, s.party, s.for_) in decisions.roles_placed:
        return None
    decisions.roles_placed.add((s.role, s.party, s.for_))
    advice.roles.append(s)
    return s


# An advance article needs a holder and a debtor: a named Party with a bridging fund that advances the share of a
# Party that pays late (costs.py computes them). Without any advance, the article would let "the Parties that hold
# an emergency or revolving fund" advance what nobody owes; it is left out and the risk says why.
ADVANCE_CLAUSE = "bridging_fund"
NO_ADVANCE = "no advance article: no Party with a bridging fund advances a share another Party owes"


# Safeguards that are articles about moving people (places on transport, emergency travel documents): a risk calls
# for them only where the agreement moves someone (territory.moves_someone). A standby deployment of
# protection experts that moves nobody was given transport priorities and travel documents (a blind reading found
# an evacuation instrument imposed on a deployment agreement).
MOVEMENT_SAFEGUARDS = ("prioritisation", "identity_documents")
NOT_MOVED = "no article on {}: the agreement moves nobody"


def _advances_made(advice: Advice) -> bool:
    return any(m.id == "advance_and_recover" and m.params.get("advances") for m in advice.cost_allocation.models)


def _select_clauses(g: _Gather, advice: Advice, decisions: _Decisions, library: ClauseLibrary) -> None:
    advancing = _advances_made(advice)
    moving = moves_someone(territory(g.scenario))
    for flag in advice.risk_flags:
        if not advancing and ADVANCE_CLAUSE in flag.safeguards:
            flag.safeguards = [c for c in flag.safeguards if c != ADVANCE_CLAUSE]
            if NO_ADVANCE not in flag.details:
                flag.details.append(NO_ADVANCE)
        for clause_id in [c for c in flag.safeguards if c in MOVEMENT_SAFEGUARDS and not moving]:
            flag.safeguards = [c for c in flag.safeguards if c != clause_id]
            title = library.get(clause_id).title.lower() if library.get(clause_id) else clause_id
            if NOT_MOVED.format(title) not in flag.details:
                flag.details.append(NOT_MOVED.format(title))
        for clause_id in flag.safeguards:
            for rid in flag.because:
                _append(g.clauses.setdefault(clause_id, {}).setdefault("standard", []), rid)
    chosen: list[ClauseAdvice] = []
    for clause_id, variants in g.clauses.items():
        clause = library.get(clause_id)
        if clause is None or (clause_id == ADVANCE_CLAUSE and not advancing):
            continue
        if clause_id == OWN_PHASES[0] and not _own_scheme_led(advice):
            # a State activates on its own Alert Phases only where the instrument is its own scheme and it leads it;
            # otherwise the agreement covers others too and the Lead Party consolidates the States' phases
            variants = {v: rs for v, rs in variants.items() if v != OWN_PHASES[1]} or {"standard": []}
        special = sorted((v for v in variants if v != "standard"), key=lambda v: g.rank(variants[v]))
        variant = special[0] if special else "standard"
        because = [r for rs in variants.values() for r in rs]
        if len(special) > 1:
            advice.conflicts.append(
                ConflictAdvice(
                    id="contradictory_variants",
                    message=f"Rules ask for different variants of '{clause.title}': {', '.join(special)}; "
                    f"'{variant}' is used until the parties decide.",
                    because=[r for v in special for r in variants[v]],
                )
            )
        chosen.append(
            ClauseAdvice(id=clause_id, topic=clause.topic, variant=variant, because=list(dict.fromkeys(because)))
        )
    chosen.sort(key=lambda c: (CLAUSE_TOPICS.index(c.topic), c.id))
    chosen = _posts_need_representation(chosen, advice)
    for c in chosen:
        decisions.place(advice.clauses, advice.rejected, c, "clause", c.id)


POSTS_CLAUSE = "consular_posts"


def _posts_need_representation(chosen: list[ClauseAdvice], advice: Advice) -> list[ClauseAdvice]:
    """The annex of consular posts (README, "Standing consular cooperation at listed posts") applies the consular
    article's representation paragraphs at each post; where that article is not the standard one (an organization
    assists because the host State objects, or each State acts from a post abroad), nobody acts for another under
    it, so the annex is left out and the negotiators are told why, instead of a draft that cites paragraphs that
    are not there."""
    posts = next((c for c in chosen if c.id == POSTS_CLAUSE), None)
    consular = next((c for c in chosen if c.id == "consular_representation"), None)
    if posts is None or (consular and consular.variant == "standard"):
        return chosen
    advice.conflicts.append(
        ConflictAdvice(
            id="posts_without_representation",
            message="The Parties list consular posts at which each acts for the others, but the consular article "
            f"is '{consular.variant if consular else 'absent'}': no State acts for another under it, so the annex "
            "of posts is left out. Choose the standard consular article (representation by a State with a post) "
            "to share services at the listed posts.",
            because=posts.because,
        )
    )
    return [c for c in chosen if c is not posts]
