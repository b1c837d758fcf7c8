"""Where each operation takes place: the territory of the agreement, derived from the scenario.

The contract names the host State ("where the migrants are") and the transit States, but an agreement can
work in several places: assistance and departures inside the host State, reception and onward travel in a
transit State, screening at a border, return to the State of origin. The rule base and the draft read the
same derivation, made here once (``territory``), so the advice, the roles and the clauses agree on it.

The derivation, in words (README, "Where each operation takes place"):

1. **People are fleeing the host State** (``host_fled``) when ``host_conditions.safe_to_stay`` says
   ``false``; when it says ``true``, they are not. When it is unknown: the crisis is an armed conflict or
   civil unrest, and the scenario shows people leaving the host State (it needs evacuation transport,
   reception or onward travel, or names a State of arrival), and the parties do not plan in-country
   relocation (``relocation_in_country`` among the services says that safe areas remain in the host State),
   and the host State is not itself a State of transit or arrival (crisis role ``transit``): people received
   there have fled elsewhere.
   Natural hazards, technological disasters and epidemics leave safe areas to relocate to: never "fled".
2. **The States of arrival** are the transit States, then any other State or local authority Party with the
   crisis role ``transit``.
3. **The operation takes place at the border** (``at_border``: outside the State people flee, in the States
   of arrival) when people flee the host State, a State of arrival is known, and the parties do not organize
   departures from inside the host State. ``host_conditions.access_inside`` says so when known (``false``:
   the parties cannot work inside the host State). When unknown, the parties organize no departure from
   inside when the scenario needs no movement inside the host State (no ``evacuation_transport`` and no
   ``relocation_in_country``: a reception, screening or referral arrangement). Evacuation transport means
   departures from inside the host State even when the only open route is by land (convoys that collect people
   and drive them out); a scenario whose transport only carries people on from the border (the Tunisian and
   Egyptian borders in 2011, the Ukrainian borders in 2022) says ``access_inside: false``. Where the Parties
   intend an evacuation but list no services, the only open route being by land reads as people crossing on
   their own, met at the crossings.
4. **The operations and their territory.** Assistance where migrants are: the host State, unless the
   operation is at the border. Relocation: inside the host State whenever the operation departs from inside
   it (not at the border) and moves people (relocation or evacuation services, or an evacuation-and-relocation
   agreement): to safer areas inside it when people are not fleeing it; when they are, to safer areas and
   Assembly Points inside it pending evacuation, with informed consent, for Migrants who are not its nationals
   (Lebanon 2006, Libya 2011, Sudan 2023; MICIC Guidelines 10 and 13). The host State's own nationals who seek
   protection are never relocated within it (``Operation.excludes``), so none takes place there when they are
   the only people covered. At the border, relocation is inside the States of arrival, away from the border,
   and never inside the State people flee; otherwise none. Evacuation departs
   from the host State, unless the operation is at the border, where onward travel departs from the States
   of arrival. Reception in each State of arrival, on its own territory. Screening and referral
   (protection referral needed or intended) where people are received: at the border, the States of
   arrival; otherwise the host State and the States of arrival. Return: the States of origin that are
   Parties with nationals among the people covered, whenever people are evacuated or travel onward.
5. **A fled host State brings something of its own** (``host_by_choice``) when it brings a mandate, a
   capacity (any capacity other than consular presence, which is about other States' posts in it) or a
   commitment to sign a binding instrument (``constraints.can_sign_binding: true``). Listed among the parties,
   it is a Party either way: bound, in a border operation, to facilitate departure on its own territory
   (README, "Where each operation takes place").
"""

from __future__ import annotations

from dataclasses import dataclass

from .scenario import Party, Scenario

FLIGHT_KINDS = ("armed_conflict", "civil_unrest")
LEAVING_SERVICES = ("evacuation_transport", "reception", "onward_travel")
MOVEMENT_INSIDE_SERVICES = ("evacuation_transport", "relocation_in_country")
OPERATIONS = ("assistance", "relocation", "evacuation", "reception", "screening_referral", "onward_travel", "return")
# Bodies with a territory: only they can be a place of operation or the State people flee (an organization named
# as the host in a scenario is not).
TERRITORIAL_KINDS = ("state", "local_authority")


@dataclass(frozen=True)
class Operation:
    """One operation of the agreement and the State (party id) on whose territory it takes place."""

    id: str
    state: str
    basis: str
    # Nationalities never moved in this operation on this territory: the host State's own nationals, who seek
    # protection from it, are never relocated within it.
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Territory:
    host: str
    host_fled: bool
    at_border: bool
    arrival: tuple[str, ...]
    host_by_choice: bool
    operations: tuple[Operation, ...]

    def states_of(self, operation: str) -> list[str]:
        """The States where an operation takes place, in order."""
        return [o.state for o in self.operations if o.id == operation]

    @property
    def fled_state(self) -> str | None:
        """The State people flee when the operation takes place outside it."""
        return self.host if self.at_border else None


def contributes(party: Party | None) -> bool:
    """A party brings something of its own: a mandate, a capacity or a binding commitment."""
    if party is None:
        return False
    caps = party.capacities.model_dump(exclude_none=True) if party.capacities else {}
    caps.pop("consular_presence", None)
    if any(v for v in caps.values() if v is not False and v != 0):
        return True
    return bool(party.mandates) or bool(party.constraints and party.constraints.can_sign_binding)


def arrival_states(s: Scenario) -> list[str]:
    """The transit States, then other State or local-authority Parties with the crisis role transit."""
    out = [t for t in s.transit_states or [] if t != s.host_state]
    out += [
        p.id
        for p in s.parties
        if p.kind in TERRITORIAL_KINDS and "transit" in (p.crisis_roles or []) and p.id != s.host_state
    ]
    return list(dict.fromkeys(out))


def receives_people(s: Scenario, host: Party | None) -> bool:
    """The host State is itself a State of transit or arrival (crisis role ``transit``, or listed among the transit
    States): people are received there, having fled elsewhere, and do not flee it (Obock 2015)."""
    return host is not None and ("transit" in (host.crisis_roles or []) or host.id in (s.transit_states or []))


def host_receives(s: Scenario) -> bool:
    """The host State receives people at its own border (``receives_people``: it is itself a State of transit or
    arrival) and the Parties provide reception there (``reception`` among the services): the draft then covers their
    admission at its border, non-rejection at entry, registration and stay at its reception points (Obock 2015)."""
    return receives_people(s, s.party(s.host_state)) and "reception" in (s.services_needed or [])


# The operations that move people: evacuated, relocated, sent on, returned or received. An agreement with none of
# them moves nobody (a standby deployment of experts): no transport, travel-document or border articles, no exit
# waivers, no evacuation promised.
MOVEMENTS = ("evacuation", "relocation", "onward_travel", "return", "reception")


def moves_someone(where: Territory) -> bool:
    """The agreement moves, returns or receives someone (one of ``MOVEMENTS`` takes place)."""
    return any(o.id in MOVEMENTS for o in where.operations)


def host_nationals_leaving(s: Scenario) -> bool:
    """Nationals of the host State are among the people covered and flee it, the operation departing from inside it
    (people flee the host and the operation is not at the border): they are covered while still in its territory,
    not only once they have left it, and the State they flee neither sets their Alert Phase nor requests activation
    for them (the Lead Party does; Kabul 2021)."""
    where = territory(s)
    return where.host_fled and not where.at_border and any(g.nationality == where.host for g in s.populations or [])


def relocation_inside_only(where: Territory) -> bool:
    """People are moved only inside the host State: Relocation there, and no Evacuation, onward travel or reception
    abroad (Thailand 2011: the routes out closed)."""
    return any(o.id == "relocation" and o.state == where.host for o in where.operations) and not any(
        o.id in ("evacuation", "onward_travel", "reception") for o in where.operations
    )


def has_reception_points(s: Scenario) -> bool:
    """The draft has Reception Points to speak of: people are received in a State of arrival (the reception
    operation), the host State receives people at its own border (``host_receives``), or people are moved only
    inside the host State, where places in safer areas receive them. Otherwise no text names Reception Points."""
    where = territory(s)
    return bool(where.states_of("reception")) or host_receives(s) or relocation_inside_only(where)


# The last scenario asked about and its territory: a draft asks about one scenario some 250 times. Scenarios are frozen
# and the slot holds a reference to the scenario, so an identity match always means the same scenario; the slot is
# read and replaced as a whole, so concurrent requests only miss (as signing.participation does).
_last: tuple[Scenario, Territory] | None = None


def territory(s: Scenario) -> Territory:
    """Where each operation of the scenario takes place (the derivation in the module's docstring)."""
    global _last
    last = _last
    if last is not None and last[0] is s:
        return last[1]
    where = _territory(s)
    _last = (s, where)
    return where


def _territory(s: Scenario) -> Territory:
    hc = s.host_conditions
    services = set(s.services_needed or [])
    types = set(s.agreement_types or [])
    arrival = arrival_states(s)
    safe = hc.safe_to_stay if hc else None
    host_party = s.party(s.host_state)
    if safe is not None:
        fled = not safe
    else:
        fled = (
            s.crisis.kind in FLIGHT_KINDS
            and "relocation_in_country" not in services
            and (bool(services & set(LEAVING_SERVICES)) or bool(arrival))
            and not receives_people(s, host_party)
        )
    if host_party is not None and host_party.kind not in TERRITORIAL_KINDS:
        fled = False  # an organization entered as the host has no territory to flee
    evacuation = "evacuation_transport" in services or (not services and "evacuation_relocation" in types)
    at_border = False
    if fled and arrival:
        access = hc.access_inside if hc else None
        if access is not None:
            at_border = not access
        else:
            routes = hc.routes if hc else None
            land_only = bool(
                routes
                and routes.land == "open"
                and "open" not in (routes.air, routes.sea)
                and (routes.air or routes.sea)
            )
            # Evacuation transport or relocation is movement inside the host State: the evacuation departs
            # from there, whatever the routes (convoys leave by land). Only an arrangement that needs no
            # movement inside the host (reception, screening, referral) or an evacuation intended without
            # listed services where the only open route is by land is met at the border.
            moves_inside = bool(services & set(MOVEMENT_INSIDE_SERVICES))
            at_border = not moves_inside and (not evacuation or land_only)
    host = s.host_state
    ops: list[Operation] = []

    def add(op: str, states: list[str], basis: str, excludes: tuple[str, ...] = ()) -> None:
        ops.extend(Operation(op, st, basis, excludes) for st in states)

    if not at_border:
        add("assistance", [host], "migrants are assisted where they are, in the host State")
    moves = "relocation_in_country" in services or "evacuation_relocation" in types or evacuation
    foreigners = not s.populations or any(g.nationality != host for g in s.populations)
    if not fled and moves:
        add("relocation", [host], "the host State is safe to stay in: relocation to safer areas inside it")
    elif fled and not at_border and moves and foreigners:
        add(
            "relocation",
            [host],
            "the evacuation departs from inside the host State: relocation of Migrants who are not its nationals,"
            " with their informed consent, to safer areas and Assembly Points inside it pending evacuation; its"
            " own nationals who seek protection are never relocated within it",
            (host,),
        )
    elif at_border:
        add(
            "relocation",
            arrival,
            "people flee the host State: relocation in the State of arrival, away from the border",
        )
    if evacuation and not at_border:
        add("evacuation", [host], "evacuation departs from the host State")
    if arrival and (
        at_border
        or evacuation
        or services & {"reception", "onward_travel", "cross_border_mutual_aid"}
        or "cross_border_preparedness" in types
    ):
        add("reception", arrival, "each State of arrival receives people on its own territory")
    if "protection_referral" in services or "protection_referral" in types:
        where = arrival if at_border else [host, *arrival]
        add("screening_referral", where, "screening and referral where people are received")
    if at_border and (evacuation or "onward_travel" in services):
        add("onward_travel", arrival, "onward travel departs from the State of arrival")
    elif "onward_travel" in services and arrival:
        add("onward_travel", arrival, "onward travel from the transit State")
    if evacuation or "onward_travel" in services:
        nationalities = {g.nationality for g in s.populations or []}
        origins = [
            p.id for p in s.parties if "origin" in (p.crisis_roles or []) and p.id != host and p.id in nationalities
        ]
        add("return", origins, "return to the State of origin, with consent")
    return Territory(
        host=host,
        host_fled=fled,
        at_border=at_border,
        arrival=tuple(arrival),
        host_by_choice=host_party is not None and contributes(host_party),
        operations=tuple(ops),
    )


def state_of(s: Scenario, party_id: str) -> str:
    """The State (party id) a territorial party belongs to: a State is its own; a local authority or an authority
    whose name gives its State in brackets ("Myavar Township Administration (Union of Myanra)") belongs to the State
    Party of that name. Otherwise (no such State Party) the party itself stands for its territory."""
    from .names import split_organ, territorial

    party = s.party(party_id)
    if party is None or party.kind not in TERRITORIAL_KINDS:
        return party_id
    forms = territorial(party.name, party.kind)
    state = forms.nationals_of if forms else None
    if not state:
        return party_id
    wanted = state.removeprefix("the ").casefold()
    for p in s.parties:
        if p.kind == "state" and p.id != party_id and split_organ(p.name, p.kind).entity.casefold() == wanted:
            return p.id
    return party_id


def authority_kind(s: Scenario, party_id: str) -> str:
    """What a territorial party is when it is not a State by name: ``local`` for a local or regional authority
    (it acts within its competence under domestic law and requests of the competent national authorities what lies
    outside it), ``authority`` for a State entered as an authority whose name gives no State (a border or crossings
    authority in control of a territory, de facto authorities in a place), and ``""`` for a State."""
    from .names import territorial

    party = s.party(party_id)
    if party is None:
        return ""
    if party.kind == "local_authority":
        return "local"
    forms = territorial(party.name, party.kind) if party.kind == "state" else None
    return "authority" if forms else ""


def transit_states(s: Scenario) -> list[str]:
    """The transit States people cross on the way to somewhere else: the scenario's transit States, never the State
    people come from (the host) and never a State to which every person moved returns (each group is its nationals,
    directly or through the State a local authority belongs to): there people come home, they do not transit."""
    nationalities = {g.nationality for g in s.populations or [] if g.count}
    host = state_of(s, s.host_state) if s.host_state else None
    out = []
    for t in s.transit_states or []:
        if t == s.host_state:
            continue
        state = state_of(s, t)
        if state != host and nationalities != {state}:
            out.append(t)
    return out


def host_term(s: Scenario) -> str:
    """The term of art for the host Party: "Host Authority" when it is a local authority (a district, a province, a
    municipality: no State, it acts within its competence), else "Host State". A local host's State keeps the term
    "Host State", for its law, its territory and its national authorities, which the Parties request and do not
    bind unless that State is itself a Party."""
    return "Host Authority" if authority_kind(s, s.host_state) == "local" else "Host State"


def host_state_party(s: Scenario) -> str | None:
    """The State Party whose local authority the host is (``state_of``), or None: the host is a State, or the State
    of a local host is not among the Parties."""
    if authority_kind(s, s.host_state) != "local":
        return None
    state = state_of(s, s.host_state)
    return state if state != s.host_state else None


# The four phases of each alert system, as the activation article sets them up and the definition names them: people
# leaving the State in crisis (MICIC crisis alert phases of a State of origin), people arriving at the border (the
# operation takes place in the States of arrival), people relocated inside the host State and nowhere else.
ALERT_SYSTEMS = {
    "evacuation": ("precautionary", "restriction", "voluntary departure", "mandatory evacuation"),
    "arrival": ("precautionary", "preparedness", "reception", "mass-arrival"),
    "relocation": ("precautionary", "restriction", "relocation", "full-scale relocation"),
}


def alert_system(at_border: bool, relocation_inside_only: bool) -> str:
    """Which alert system a common activation uses: ``arrival`` when the operation is at the border (its phases follow
    the arrivals), ``relocation`` when people are moved only inside the host State (its phases end in Relocation, not
    in Evacuation), else ``evacuation``."""
    if at_border:
        return "arrival"
    return "relocation" if relocation_inside_only else "evacuation"


def operation_states(where: Territory) -> list[str]:
    """The States on whose territory the operations take place, where consular functions are exercised and the
    agencies work: at the border the States of arrival (never the State people flee), else the host."""
    return list(where.arrival) if where.at_border and where.arrival else [where.host]
