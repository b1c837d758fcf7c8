"""How the draft names the controller of each register (rules/data_roles.yaml chooses the controllers; this module
says, in words, which files each of them holds), so the data-protection article and the Data-Sharing Protocol never
contradict the articles that give the same registers to someone, nor themselves.

- Registration lists, Manifests and identity verification records kept by a State of origin of the people
  concerned, or by a host State that people flee or that penalizes irregular stay, hold only people who do not fear
  it: the records of anyone who seeks international protection, expresses a fear of return or is stateless (whom
  the data article bars such a State from holding) are kept apart by a Party that can hold them (the holder
  of protection referral, else an international organization with a migration or refugee mandate, else a State
  that is no State of origin and is present where people are registered), so the State never controls a register
  the draft forbids it to control. Where no Party can, those records stay out of the State's registers, with the
  body each person is referred to.
- Protection case files that no Party can keep (rules/data_roles.yaml, data.gap.*): no Party controls them; each
  file stays with the body the case is referred to. The draft never names a controller that no Party can be.
- Identity verification records: where no rule names their controller, the identity-documents article answers it
  (each State of nationality keeps the records of the verifications it makes of its own nationals; the coordinator
  keeps the register of the documents issued or, where no single Party can, each issuer keeps the register of the
  documents it issues), and the Protocol names the same Parties.
- Tracing requests that no Party can keep: none does; they go to the Family Links Network, requested, not bound.
- Several controllers of one register each hold a stated part of it: protection case files, the cases referred to
  each under its mandate; tracing requests and identity records, those each receives or makes.
- Firewall: the host State, where migrants in an irregular situation are among the people concerned, and any organ
  whose name shows enforcement (immigration, police, interior, border) never control the registration lists,
  Manifests or identity verification records (``firewalled``); the host's authorities receive only what exit, or
  the service they give, requires.
- People are registered before anyone is screened for protection: a State of origin never controls the
  registration lists and Manifests where a State where the operation takes place or an organization can
  (``registration_keeper``).
- The registration lists and Manifests are controlled by a Party that registers and moves people (the Lead, a
  transport or reception provider, an organization with a migration mandate: ``moves_people``), never by a
  Participant (it cannot be bound to share them only as the Agreement says) and never by a body whose mandate does
  not cover most of the people registered (a refugee agency where most are not refugees, asylum-seekers, stateless
  or in fear of return: ``outside_mandate``); the refugee agency then keeps apart the records of those who are.
  Where only States of origin move people, the first of them keeps the lists, save for the records it may not hold.
- A refugee agency never keeps the identity verification records or coordinates documents of people most of whom
  its mandate does not cover: verification with the States of nationality is for the Parties that issue or
  transmit documents (``outside_mandate``).
- Protection case files are never controlled by an authority with immigration-enforcement functions
  (``enforcing_authority``: an enforcement organ, or a host authority where migrants in an irregular situation are
  concerned): each file stays with the protection actor the case is referred to.
- Annex A has a data-controller row for every Party the data article and the Data-Sharing Protocol name as
  controller, with the register it controls (``annex_rows``), the Departure Lists included (a State of origin
  controls only the entries on its own nationals).
"""

from __future__ import annotations

import re

from .advice import Advice
from .clauses import _and_list
from .names import split_organ
from .scenario import Party, Scenario
from .signing import signs

PRIVATE_KINDS = ("employer", "recruiter", "employers_federation", "carrier")
# The registers of the persons assisted that a firewalled authority never controls (``firewalled``).
PERSON_REGISTERS = ("registration_manifests", "identity_records")
# An organ whose name shows that it enforces immigration or the law.
ENFORCEMENT = re.compile(r"\b(immigration|police|interior|border)\b", re.I)
# The article that creates a register besides the agreement type that needs it: the operations article prepares
# Manifests, the identity-documents article keeps a register of the documents issued.
REGISTER_ARTICLES = {"registration_manifests": "operations", "identity_records": "identity_documents"}
# The files of the protection case files that a Referral Partner keeps, by the mandate under which cases go to it.
CASE_MANDATES = {
    "refugee_protection": "refugees, asylum-seekers, stateless persons and persons who have expressed a fear of return",
    "counter_trafficking": "presumed victims of trafficking in persons",
    "child_protection": "unaccompanied, separated and other children at risk",
}
# Where no Party can keep apart the records of people who seek protection or fear return (every Party is a feared
# State or a company): the feared State's registers do not hold them, and the body to which each is referred keeps
# them, so the draft names no controller that no Party can be.
KEPT_BY_REFERRAL = (
    "which are not entered in its registers and are kept only by the authority or organization to which that person "
    "is referred, under its own rules"
)
# Where no Party can control the protection case files: none does, each file stays with the body the case goes to.
CASE_FILES_BY_REFERRAL = (
    "none of the Parties, the file of each person referred being kept only by the authority or organization to "
    "which he or she is referred, under its own rules"
)
# Where no single Party can keep the register of documents (Migrants of several nationalities and no Party other
# than their States of nationality), each issuer keeps its own, as the identity-documents article says.
REGISTER_BY_ISSUER = (
    "each Party that issues or arranges travel documents, for the register of the documents it issues or arranges"
)
# Where no Party can keep the tracing requests (no member of the Family Links Network takes part): none does; each
# request goes to the Network, which is requested, not bound, and keeps it under its own rules.
TRACING_BY_NETWORK = (
    "none of the Parties, each request being transmitted, with the consent of the person concerned, to the Family "
    "Links Network of the International Red Cross and Red Crescent Movement, which the Parties shall request to "
    "handle it and which keeps it under its own rules, the Restoring Family Links Code of Conduct on Data Protection"
)


def of_nationality(s: Scenario, party_id: str) -> bool:
    """A State of origin of the people concerned: crisis role ``origin``, or its nationals are among the groups."""
    p = s.party(party_id)
    return bool(p and ("origin" in (p.crisis_roles or []) or any(g.nationality == p.id for g in s.populations or [])))


def feared(s: Scenario, p: Party) -> bool:
    """A State that some of the people in a register may fear: a State of origin of the people concerned, or the
    host State where people flee it or where it penalizes irregular stay or exit."""
    if p.kind not in ("state", "local_authority"):
        return False
    from .territory import territory

    host = p.id == s.host_state
    enforcing = bool(s.host_conditions and s.host_conditions.exit_penalties)
    return of_nationality(s, p.id) or (host and (territory(s).host_fled or enforcing))


def firewalled(s: Scenario, p: Party) -> bool:
    """An authority that never controls the verification records or registers of the persons assisted (firewall
    between assistance and immigration enforcement): an organ whose name shows enforcement (immigration, police,
    interior, border), and the host State where migrants in an irregular situation are among the people concerned,
    whose authorities receive only what exit, or the service they give, requires."""
    if p.kind not in ("state", "local_authority"):
        return False
    organ = split_organ(p.name, p.kind).organ or p.name
    irregular = any((g.irregular_share or 0) > 0 for g in s.populations or [])
    return bool(ENFORCEMENT.search(organ)) or (p.kind == "state" and p.id == s.host_state and irregular)


# The vulnerabilities that put a person within a refugee agency's mandate.
PROTECTED_VULNERABILITIES = ("refugees_or_asylum_seekers", "fear_of_return", "stateless")
# The capacities by which a Party registers and moves people: it carries them, receives or shelters them.
MOVING_CAPACITIES = ("reception", "shelter")


def protected_count(s: Scenario) -> int:
    """How many of the people concerned a refugee agency's mandate covers: in each group, the largest of its
    refugees and asylum-seekers, those who fear return and stateless persons (one person may be all three), or the
    whole group where it is a group of stateless persons."""
    out = 0
    for g in s.populations or []:
        vulns = {str(getattr(k, "value", k)): n for k, n in (g.vulnerabilities or {}).items()}
        stateless_group = g.nationality == "stateless"
        out += g.count if stateless_group else max(vulns.get(v) or 0 for v in PROTECTED_VULNERABILITIES)
    return out


def outside_mandate(s: Scenario, p: Party) -> bool:
    """A body whose mandate is refugee protection and not migration, where most of the people concerned are not
    within it (``protected_count`` is less than half of them): it does not keep their registration lists, Manifests
    or identity records, nor coordinate their documents."""
    total = sum(g.count or 0 for g in s.populations or [])
    return refugee_agency_only(p) and 2 * protected_count(s) < total


def refugee_agency_only(p: Party) -> bool:
    """A body whose mandate is refugee protection and not migration (a refugee agency)."""
    mandates = p.mandates or []
    return "refugee_protection" in mandates and "migration" not in mandates


def coordinates_documents(s: Scenario, pid: str | None) -> bool:
    """A Party that may coordinate the verification of identity with the States of nationality and the issue of
    their documents, and keep the register of documents issued: not firewalled (``firewalled``) and no refugee
    agency, whose mandate covers those who do not turn to their State of nationality (it assists with the travel
    documents of refugees and stateless persons only)."""
    p = s.party(pid) if pid else None
    return bool(p and not firewalled(s, p) and not refugee_agency_only(p))


def participant(s: Scenario, pid: str) -> bool:
    """A signatory that cannot be bound by the binding instrument (a Participant: evaluate.unbound_participants),
    which undertakes tasks but can be given no obligation, so it controls no shared register of movements."""
    from .evaluate import unbound_participants

    return pid in unbound_participants(s)


def moves_people(s: Scenario, advice: Advice, p: Party) -> bool:
    """A Party that registers and moves people: the Lead, a transport provider, a Party that carries, receives or
    shelters people, or an organization with a migration mandate."""
    return _moves(p, _movers(advice))


def _movers(advice: Advice) -> set[str]:
    """The holders of the lead and transport-provider roles."""
    return {r.party for role in ("lead", "transport_provider") for r in advice.holders(role)}


def _moves(p: Party, holds: set[str]) -> bool:
    caps = p.capacities
    carries = bool(caps and (caps.transport or any(getattr(caps, c, None) for c in MOVING_CAPACITIES)))
    migration = p.kind == "international_organization" and "migration" in (p.mandates or [])
    return p.id in holds or carries or migration


def keeps_manifests(s: Scenario, p: Party | None) -> bool:
    """A Party that may control the registration lists and Manifests: it signs and can be bound (no Participant),
    is no company, is not firewalled, and its mandate covers the people registered (``outside_mandate``)."""
    return bool(
        p
        and signs(s, p.id)
        and not participant(s, p.id)
        and p.kind not in PRIVATE_KINDS
        and not firewalled(s, p)
        and not outside_mandate(s, p)
    )


# The mandates of an organ that protects people rather than enforcing the law (a social-welfare, child-protection or
# asylum authority).
PROTECTION_MANDATES = ("refugee_protection", "counter_trafficking", "child_protection")


def enforcing_authority(s: Scenario, p: Party) -> bool:
    """An authority with immigration-enforcement functions over the people concerned, which never controls their
    protection case files: an organ whose name shows enforcement, or an authority of the host (the host State or
    one of its local authorities) where migrants in an irregular situation are concerned, unless it acts through a
    named organ with a protection mandate (a child-protection or asylum authority), which enforces nothing."""
    if p.kind not in ("state", "local_authority"):
        return False
    organ = split_organ(p.name, p.kind).organ
    if ENFORCEMENT.search(organ or p.name):
        return True
    irregular = any((g.irregular_share or 0) > 0 for g in s.populations or [])
    host = p.id == s.host_state or "host" in (p.crisis_roles or [])
    protects = bool(organ and set(PROTECTION_MANDATES) & set(p.mandates or []))
    return host and irregular and not protects


def registration_keeper(s: Scenario, advice: Advice) -> str | None:
    """Who controls the registration lists and Manifests instead of a State of origin, since people are registered
    before anyone is screened for protection, or instead of a Party that may not keep them: a State where the
    operation takes place or one of its local authorities, else an international organization with a migration,
    else a refugee-protection mandate, else a National Society or non-governmental organization; each one that may
    keep them (``keeps_manifests``), registers and moves people (``moves_people``) and is feared by nobody; else
    None."""
    from .territory import territory

    where = territory(s)
    places = where.states_of("evacuation") + where.states_of("relocation")
    hosts = [s.host_state] if s.host_state in places else []
    states = [
        p
        for p in s.parties
        if p.kind in ("state", "local_authority") and (p.id in places or (hosts and "host" in (p.crisis_roles or [])))
    ]
    ios = [
        p
        for mandate in ("migration", "refugee_protection")
        for p in s.parties
        if p.kind == "international_organization" and mandate in (p.mandates or [])
    ]
    humanitarian = [p for p in s.parties if p.kind in ("national_society", "ngo")]
    for p in states + ios + humanitarian:
        if keeps_manifests(s, p) and moves_people(s, advice, p) and not feared(s, p):
            return p.id
    return None


def origin_keepers(s: Scenario, advice: Advice) -> list[str]:
    """Where no Party feared by nobody can keep the registration lists and Manifests: the States that move people (a
    transport or reception provider) and may keep them (``keeps_manifests``), though some of the people come from
    them, each for the Manifests of the movements it operates and the registration of the persons it moves, save for
    the records it may not hold (``kept_apart``); no one of them keeps a joint register of the others' nationals (a
    blind reading found one State of nationality controller of every evacuee's lists, on convoys it did not run)."""
    holds = _movers(advice)  # once, not per party (a scenario at the contract's limits has sixty parties)
    return [
        p.id for p in s.parties if p.kind in ("state", "local_authority") and _moves(p, holds) and keeps_manifests(s, p)
    ]


# What each keeper of the Manifests holds where none may keep a joint register (``origin_keepers``).
PER_MOVEMENT = ", for the Manifests of the movements it operates and the registration of the persons it moves"


def per_movement(s: Scenario, advice: Advice, controllers: list[str] | None = None) -> bool:
    """The registration lists and Manifests are kept per movement, by the States that operate them
    (``origin_keepers``), not as one joint register. ``controllers``: their controllers, where the caller has them
    (``controller_ids``)."""
    if controllers is None:
        controllers = controller_ids(s, advice).get("registration_manifests", [])
    return bool(controllers) and controllers == origin_keepers(s, advice)


def _name(s: Scenario, party_id: str) -> str:
    """A party's name as the draft reads it inside a sentence (assembly.in_text, assembly.party_name)."""
    from .assembly import in_text, party_name

    return in_text(party_name(s, party_id))


def apart_keeper(s: Scenario, advice: Advice) -> str | None:
    """Who keeps apart the records of people who seek protection or fear return, when a feared State keeps the
    registration lists: a Party that signs and is feared by nobody, no company: the holder of protection referral,
    else an international organization with a migration or refugee mandate, else a State present where people are
    registered (``present``), by party id; never a firewalled authority nor one with enforcement functions
    (``firewalled``, ``enforcing_authority``);
    else None (no Party can: ``KEPT_BY_REFERRAL``)."""

    def fit(p: Party | None) -> bool:
        return bool(
            p
            and signs(s, p.id)
            and p.kind not in PRIVATE_KINDS
            and not feared(s, p)
            and not firewalled(s, p)
            and not enforcing_authority(s, p)
        )

    referral = [r.party for r in advice.holders("protection_referral")]
    ios = [
        p.id
        for p in s.parties
        if p.kind == "international_organization" and {"migration", "refugee_protection"} & set(p.mandates or [])
    ]
    states = [p.id for p in s.parties if p.kind == "state" and present(s, p)]
    for pid in referral + ios + states:
        if fit(s.party(pid)):
            return pid
    return None


def kept_apart(s: Scenario, advice: Advice, pid: str, files: str = "") -> str:
    """A controller as the draft names it; a feared State keeps its register save for the records of anyone the
    data article bars it from holding (who seeks international protection, expresses a fear of return or is
    stateless), which another Party keeps apart or, where no Party can, the body to which that person is
    referred, so no controller contradicts the article's bar. ``files``: which part of the register it holds
    (", for the verifications it makes"), said before the exception."""
    p = s.party(pid)
    if not (p and feared(s, p)):
        return _name(s, pid) + files
    keeper = apart_keeper(s, advice)
    which = f"which {_name(s, keeper)} keeps apart and controls" if keeper else KEPT_BY_REFERRAL
    return (
        f"{_name(s, pid)}{files}, save for the records of any person who seeks international protection or expresses "
        f"a fear of return and of any stateless person, {which}"
    )


def present(s: Scenario, p: Party) -> bool:
    """A State can keep records of people registered only where they are registered: on its territory (where
    evacuation or relocation departs, territory.Territory) or through its embassy or consulate there; a transit
    State that only receives them later has no one at the Assembly Points."""
    from .territory import territory

    where = territory(s)
    on_territory = p.id in where.states_of("evacuation") + where.states_of("relocation")
    post = p.capacities.consular_presence if p.capacities else None
    return on_territory or post in ("embassy", "consulate")


def manifest_texts(s: Scenario, advice: Advice, controllers: list[str]) -> list[str]:
    """The controllers of the registration lists and Manifests, a feared State save for the records it may not
    hold (``kept_apart``)."""
    if per_movement(s, advice, controllers):
        return joined([kept_apart(s, advice, pid, PER_MOVEMENT) for pid in controllers])
    return joined([kept_apart(s, advice, pid) for pid in controllers])


def own_verifier_text(own: list[str], representing: list[str] = ()) -> str:
    """The States of nationality that the identity-documents article has verify and record their own nationals, a
    Representing State also those of the nationals of the States it represents (round 16: "the controller of the
    Representing State's verification records on represented nationals is not named")."""
    each = "each " if len(own) > 1 else ""
    acting = [n for n in own if n in representing]
    which = f"for {_and_list(acting)}, " if len(acting) < len(own) else ""
    also = f" and, {which}of the nationals of the States it represents" if acting else ""
    return f"{_and_list(own)}, {each}for the verifications it makes of its own nationals{also}, with their consent"


def representing_names(s: Scenario, advice: Advice) -> list[str]:
    """The Representing States (role representing_state), by name."""
    return list(dict.fromkeys(_name(s, r.party) for r in advice.holders("representing_state")))


def identity_texts(s: Scenario, advice: Advice, controllers: list[str]) -> list[str]:
    """The controllers of the identity verification records: those the rules name, each for the verifications it
    makes, a feared State save for the records it may not hold (``kept_apart``), and with them the States of
    nationality that the identity-documents article has keep records of their own nationals' verifications (one
    register, never two holders the articles do not share out); else those the identity-documents article names
    (assembly.identity_context): each State of nationality for the verifications of its own nationals, and the
    coordinator for the register of the documents issued."""
    from .assembly import identity_context

    ctx = identity_context(s, advice)
    named = {_name(s, pid) for pid in controllers}
    own = [n for n in ctx["own_verifier_names"] if n not in named]
    if controllers:
        if len(controllers) == 1 and not own:
            return [kept_apart(s, advice, controllers[0])]
        if len(controllers) == 1:
            rule = [kept_apart(s, advice, controllers[0], ", for the other verifications and the documents issued")]
        elif any(feared(s, p) for pid in controllers if (p := s.party(pid))):
            rule = [kept_apart(s, advice, pid, ", for the verifications it makes") for pid in controllers]
        else:
            rule = [f"{_and_list([_name(s, pid) for pid in controllers])}, each for the verifications it makes"]
        return joined(rule + ([own_verifier_text(own, representing_names(s, advice))] if own else []))
    coordinators = ctx["identity_coordinator_names"]
    out = [own_verifier_text(own, representing_names(s, advice))] if own else []
    if coordinators:
        whose = [
            p for p in s.parties if _name(s, p.id) in coordinators and p.kind == "state" and of_nationality(s, p.id)
        ]
        what = "the documents it issues to its own nationals" if whose else "the documents issued"
        out.append(f"{_and_list(coordinators)}, for the register of verifications and of {what}")
    elif ctx["identity_register_gap"]:
        out.append(REGISTER_BY_ISSUER)
    return joined(out)


def case_file_texts(s: Scenario, controllers: list[str]) -> list[str]:
    """The controllers of the protection case files; with several, each for the cases referred to it under its
    mandate (the referral article sends each case to one Referral Partner); with none (no Party can keep them:
    rules/data_roles.yaml, data.gap.protection_case_files), no Party, each file staying with the body the case goes
    to."""
    if not controllers:
        return [CASE_FILES_BY_REFERRAL]
    if len(controllers) == 1:
        return [_name(s, pid) for pid in controllers]
    out = []
    for pid in controllers:
        p = s.party(pid)
        # every Child is referred to the competent child-protection authority (the child-protection article): an
        # organization keeps the files it holds in that authority's support, never files "referred to it" (round 16,
        # mixed_border, obock, haiti2010: "the authority that decides is not a recipient of the children's data")
        supports = p is not None and p.kind not in ("state", "local_authority")
        kinds = [
            text
            for mandate, text in CASE_MANDATES.items()
            if p and mandate in (p.mandates or []) and mandate != "child_protection"
        ]
        whom = (
            f"the files of the {_and_list(kinds)} referred to it" if kinds else "the files of the cases referred to it"
        )
        if p is not None and "child_protection" in (p.mandates or []):
            children = (
                f"the files it keeps on {CASE_MANDATES['child_protection']} in support of the competent "
                "child-protection authority to which each of them is referred"
                if supports
                else f"the files of the {CASE_MANDATES['child_protection']} referred to its competent child-protection"
                " authority"
            )
            whom = f"{whom} and {children}" if kinds else children
        out.append(f"{_name(s, pid)}, for {whom}")
    return joined(out)


def tracing_texts(s: Scenario, controllers: list[str]) -> list[str]:
    """The controllers of the tracing requests; with several, each for the requests it receives; with none (no
    member of the Family Links Network takes part: rules/data_roles.yaml, data.gap.tracing_requests), no Party,
    each request going to the Network, which keeps it under its own rules."""
    if not controllers:
        return [TRACING_BY_NETWORK]
    names = [_name(s, pid) for pid in controllers]
    return names if len(names) <= 1 else [f"{_and_list(names)}, each for the tracing requests it receives"]


def joined(texts: list[str]) -> list[str]:
    """Several controller phrases that contain commas read as one list separated by semicolons (a template's
    ``and_list`` of one item is that item)."""
    if len(texts) > 1 and any("," in x for x in texts):
        return ["; ".join(texts[:-1]) + "; and " + texts[-1]]
    return texts


def controller_ids(s: Scenario, advice: Advice) -> dict[str, list[str]]:
    """The controllers of each data set, by party id: those the rules name (rules/data_roles.yaml), save that no
    firewalled authority (``firewalled``) controls the registers of the persons assisted; for the registration
    lists and Manifests, only a Party that may keep them (``keeps_manifests``): those the rules name, else the Lead
    Party, which prepares the Manifests (operations article) and keeps apart the records it may not hold
    (``kept_apart``); in place of a State of origin, the ``registration_keeper`` where there is one (people are
    registered before they are screened for protection); else the ``origin_keepers``, each for its own movements.
    No authority with enforcement functions controls protection case files (``enforcing_authority``), and no
    refugee agency the identity records of people most of whom its mandate does not cover (``outside_mandate``)."""
    by_set: dict[str, list[str]] = {}
    for r in advice.holders("data_controller"):
        p = s.party(r.party)
        if r.for_ and not (r.for_ in PERSON_REGISTERS and p and firewalled(s, p)):
            by_set.setdefault(r.for_, [])
            if r.party not in by_set[r.for_]:
                by_set[r.for_].append(r.party)
    lead = [r.party for r in advice.holders("lead") if keeps_manifests(s, s.party(r.party))][:1]
    named = [pid for pid in by_set.get("registration_manifests", []) if keeps_manifests(s, s.party(pid))]
    manifests = named or lead
    keeper = registration_keeper(s, advice)
    if keeper and (not manifests or any(of_nationality(s, pid) for pid in manifests)):
        manifests = [keeper]
    manifests = manifests or origin_keepers(s, advice)
    by_set.pop("registration_manifests", None)
    if manifests:
        by_set["registration_manifests"] = manifests
    cases = [
        pid for pid in by_set.get("protection_case_files", []) if (p := s.party(pid)) and not enforcing_authority(s, p)
    ]
    by_set.pop("protection_case_files", None)
    if cases:
        by_set["protection_case_files"] = cases
    records = [pid for pid in by_set.get("identity_records", []) if (p := s.party(pid)) and not outside_mandate(s, p)]
    by_set.pop("identity_records", None)
    if records:
        by_set["identity_records"] = records
    return by_set


def data_sets(s: Scenario, advice: Advice, by_type: dict[str, str]) -> list[str]:
    """The registers the draft keeps, when personal data are shared: each data set whose agreement type is chosen
    (``by_type``, assembly.DATA_SETS), and each register an article of the draft creates (``REGISTER_ARTICLES``:
    the Manifests the operations article prepares, the register of documents the identity-documents article
    keeps) where the draft can name its controller, so no register is left without one."""
    if not (s.data and s.data.personal_data_shared):
        return []
    types = {a.id for a in advice.agreement_types}
    clauses = {c.id for c in advice.clauses}
    texts = controller_texts(s, advice)
    return [
        d
        for d, t in by_type.items()
        if t in types or (REGISTER_ARTICLES.get(d) in clauses and texts[f"data_controller_{d}_texts"])
    ]


def controller_texts(s: Scenario, advice: Advice) -> dict[str, list[str]]:
    """For each data set (assembly.DATA_SETS), the controllers as the draft names them, with the files each holds
    (``data_controller_<data set>_texts``); an empty list leaves the clause's hole. ``host_firewalled`` and
    ``movement_in_country`` say what the host's authorities receive of the movement data set;
    ``origin_state_signs``, that a State of origin of the people concerned signs (it registers only its own
    nationals who turn to it, data_protection)."""
    by_set = controller_ids(s, advice)
    return {
        "data_controller_registration_manifests_texts": manifest_texts(
            s, advice, by_set.get("registration_manifests", [])
        ),
        "data_controller_identity_records_texts": identity_texts(s, advice, by_set.get("identity_records", [])),
        "data_controller_protection_case_files_texts": case_file_texts(s, by_set.get("protection_case_files", [])),
        "data_controller_tracing_requests_texts": tracing_texts(s, by_set.get("tracing_requests", [])),
        "tracing_requests_by_network": not by_set.get("tracing_requests"),
        "host_firewalled": bool((host := s.party(s.host_state)) and firewalled(s, host)),
        "movement_in_country": in_country(s),
        "identity_recipient_texts": identity_recipients(s, advice),
        "origin_state_signs": any(of_nationality(s, p.id) and signs(s, p.id) for p in s.parties),
    }


def identity_recipients(s: Scenario, advice: Advice) -> list[str]:
    """The holders of the identity_documents role as recipients of the identity data set, each for what it does: a
    Party that issues travel documents, for the documents it issues; a firewalled authority (``firewalled``), which
    issues none under the Agreement, only the data required for the exit formalities it completes; any other, for
    the applications it transmits and the documents it delivers; a refugee agency, for the travel documents it helps
    arrange for refugees and stateless persons (``refugee_agency_only``)."""
    out = []
    for pid in dict.fromkeys(r.party for r in advice.holders("identity_documents")):
        p = s.party(pid)
        if not p:
            continue
        if refugee_agency_only(p):
            out.append(f"{_name(s, pid)}, for the travel documents it helps arrange for refugees and stateless persons")
        elif (p.capacities and p.capacities.travel_documents) or (p.kind == "state" and of_nationality(s, pid)):
            out.append(f"{_name(s, pid)}, for the documents it issues")
        elif firewalled(s, p):
            out.append(f"{_name(s, pid)}, only the data required for the exit formalities it completes")
        else:
            out.append(f"{_name(s, pid)}, for the applications it transmits and the documents it delivers")
    return out


def in_country(s: Scenario) -> bool:
    """Every movement stays within the host State: relocation and no evacuation, and no State of transit or
    arrival (territory.Territory)."""
    from .territory import territory

    where = territory(s)
    return bool(where.states_of("relocation")) and not where.states_of("evacuation") and not where.arrival


def with_keepers(s: Scenario, advice: Advice, pids: list[str]) -> list[str]:
    """Controllers by party id, with the Party that keeps apart the records a feared one may not hold
    (``kept_apart``)."""
    keeper = apart_keeper(s, advice) if any((p := s.party(pid)) and feared(s, p) for pid in pids) else None
    return list(dict.fromkeys(pids + ([keeper] if keeper else [])))


def identity_ids(s: Scenario, advice: Advice, controllers: list[str]) -> list[str]:
    """The Parties that ``identity_texts`` names as controllers of the identity verification records: those the
    rules name, with their keepers, and the States of nationality that verify their own nationals; else those the
    identity-documents article names (its own verifiers and the coordinator)."""
    from .assembly import identity_context

    ctx = identity_context(s, advice)
    by_name = {_name(s, p.id): p.id for p in s.parties}
    own = [by_name[n] for n in ctx["own_verifier_names"] if n in by_name]
    if controllers:
        return list(dict.fromkeys(with_keepers(s, advice, controllers) + own))
    return list(dict.fromkeys(own + [by_name[n] for n in ctx["identity_coordinator_names"] if n in by_name]))


def list_controller_rows(s: Scenario, lists: dict) -> list[tuple[str, str]]:
    """The controllers of the Departure Lists as the Data-Sharing Protocol names them, from the departure-lists
    context (assembly.operative_core_context): the clearing Parties, for the lists they receive and their
    decisions; each State of nationality that submits lists, only for the entries on its own nationals; the Party
    that lists everyone else, for the lists it submits."""
    by_name = {_name(s, p.id): p.id for p in s.parties}
    clearing = lists.get("list_clearing_names") or []
    rows = [(by_name[n], "Departure Lists and clearance decisions") for n in clearing if n in by_name]
    rows += [
        (by_name[n], "entries on its own nationals in the Departure Lists")
        for n in lists.get("list_submitter_names") or []
        if n in by_name and n not in clearing
    ]
    other = lists.get("list_other_name")
    if other in by_name and by_name[other] not in [pid for pid, _ in rows]:
        rows.append((by_name[other], "Departure Lists it submits"))
    return rows


def annex_rows(s: Scenario, advice: Advice, by_type: dict[str, str], lists: dict) -> list[tuple[str, str]]:
    """Every Party that the data article and the Data-Sharing Protocol name as controller, by party id, with the
    register it controls, so Annex A has a row for each (``by_type``: assembly.DATA_SETS; ``lists``: the
    departure-lists context, when the Protocol has a Departure-list data set)."""
    from .vocab import label

    ids = controller_ids(s, advice)
    rows: list[tuple[str, str]] = []
    for d in data_sets(s, advice, by_type):
        pids = ids.get(d, [])
        keepers = [pid for pid in with_keepers(s, advice, pids) if pid not in pids] if d in PERSON_REGISTERS else []
        if d == "identity_records":
            pids = [pid for pid in identity_ids(s, advice, pids) if pid not in keepers]
            # a State of nationality controls only the records of its own nationals' verifications: one label for it
            # and for the organization that keeps the others read as a co-controller of a register holding refugees
            # (round 11: three drafts)
            nationalities = {g.nationality for g in s.populations or []}
            acting = {r.party for r in advice.holders("representing_state")}
            rows += [
                (
                    pid,
                    (
                        f"{label(d)} (its own nationals and those of the States it represents)"
                        if pid in acting
                        else f"{label(d)} (its own nationals)"
                    )
                    if pid in nationalities
                    else label(d),
                )
                for pid in pids
            ]
            rows += [(pid, f"records kept apart from the {label(d)}") for pid in keepers]
            continue
        rows += [(pid, label(d)) for pid in pids]
        rows += [(pid, f"records kept apart from the {label(d)}") for pid in keepers]
    return rows + (list_controller_rows(s, lists) if lists else [])
