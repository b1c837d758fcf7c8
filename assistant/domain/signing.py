"""Who signs the instrument, and who takes part without signing (issue 13; README, "Bodies that take part without
signing").

A body listed among the parties signs unless:

1. the scenario says ``signatory: false`` (an addition to the contract);
2. its name reads as a group or a placeholder ("host States to be notified per deployment", "embassies of the main
   States of origin (group)"): a group cannot sign, waive fines or absorb claims, and an instrument that a
   placeholder must sign never enters into force. The body is flagged with the suggestion to list the members or
   mark it as taking part without signing (``checks.party_warning``); until then it takes part without signing;
3. it is the State people flee in an operation that takes place outside it (``territory.fled_state``) and it
   brings nothing of its own (``territory.contributes``): it is listed because the contract names the host
   State, not because it chose to take part (issue 12, item 2). ``signatory: true`` makes it a Party;
4. it is a State all of whose nationals covered are refugees or asylum-seekers or fear return
   (``all_at_risk``): an agreement on their protection is not concluded with the State they flee, which
   would sit on its committee, sign its data annex and be bound to its referral duties, whatever it brings (a
   blind reading found the State 2,600 refugees fled bound as a Party). ``signatory: true`` makes it a Party;
5. it is the receiving State of an arrangement among other States to share consular services (``consular_sharing``:
   the Parties list consular representation and nothing beyond identity verification) and brings nothing of its
   own: real instruments of that kind (Canada-Australia 1986/2001; Directive (EU) 2015/637) are concluded among the
   States that share services, and the receiving State is notified (VCCR Art. 8), never a signatory (issue 14).
   ``signatory: true`` makes it a Party;
6. it is a programme or mechanism whose legal person its name does not give (``names.legal_person_unknown``:
   "Union Civil Protection Mechanism (European Commission)"): a Party is a subject of law, and a signature block
   for "the organization to which the Mechanism belongs" is a placeholder, which never signs. It takes part
   without signing (a co-financer or contributor addressed by request) until the scenario names its organization
   or says it signs (``signatory: true``).

A body that takes part without signing holds no role, bears no share and no obligation; the Parties address it by
request or note verbale ("the Party concerned shall request the Government of X to ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .names import legal_person_unknown
from .scenario import Party, Scenario
from .territory import Territory, contributes, territory

# What the negotiators should do about a party whose name reads as a group or a placeholder.
GROUP_ADVICE = "list its members as Parties or mark it as taking part without signing"
# A name that stands for several bodies or for one not yet known. Each pattern is matched case-insensitively on
# the whole name; the reason is shown to the user.
_GROUP_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\(\s*group\s*\)|\bgroup of\b", "it names a group of bodies"),
    (
        r"\bto be (notified|determined|designated|identified|confirmed|agreed|named)\b|\btbd\b|\btba\b",
        "it is a placeholder for a body not yet known",
    ),
    (r"\b(per|each|every) (deployment|crisis|operation|request)\b", "it is a placeholder for a body not yet known"),
    # a donor, contact or core group is its members, each of which pledges and signs for itself ("Border Crisis
    # Donor Group"); one body called a group ("World Bank Group") is not
    (r"\b(donors?|contact|core|support|friends'?)\s+group\b", "it names a group of bodies"),
    # "main", "other", "relevant" ... before a plural ("Other humanitarian organizations"), not before a singular
    # ("Main Directorate for Migration Affairs")
    (
        r"^\s*(the\s+)?(main|other|relevant|concerned|participating|various|several|all)\s+(\w+\s+){0,2}\w*[^s\W]s\b",
        "it names a group of bodies",
    ),
    (
        r"\b(states|countries|embassies|consulates|governments|ministries|agencies|organi[sz]ations|ngos|"
        r"employers|companies|authorities|municipalities|societies|partners|donors)\b(?!\s+(of\s+)?(america|"
        r"emirates|micronesia))",
        "its name is a plural: it names a group of bodies",
    ),
)
# Proper names that are plural in form but name one body, and names without "of" that end with the one body a
# plural qualifies ("Local Authorities Union", "Employers Federation"; not "Member States of the European Union").
_ONE_BODY = re.compile(
    r"\b(united (\w+ )?(states|nations|arab emirates|kingdom)|federated states|organization of|organisation of|"
    r"association of|federation of|league of|union of|council of|community of|commonwealth of|office of|"
    r"bank|fund|mechanism|secretariat|commission|society of|red cross|red crescent|movement|committee)\b"
    r"|^(?!.*\bof\b).*\b(union|association|federation|confederation|council|network|forum|league|chamber|coalition|"
    r"society)\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def reads_as_group(name: str) -> str | None:
    """Why a party's name reads as a group or a placeholder, or None when it names one body."""
    for pattern, reason in _GROUP_PATTERNS[:4]:
        if re.search(pattern, name, re.IGNORECASE):
            return reason
    entity = re.sub(r"\([^)]*\)", "", name)  # an organ named in brackets is the body's, not a group
    if _ONE_BODY.search(entity):
        return None
    for pattern, reason in _GROUP_PATTERNS[4:]:
        if re.search(pattern, entity, re.IGNORECASE):
            return reason
    return None


BINDING_KINDS = ("state", "international_organization", "regional_body", "development_bank")
BINDING_IF_SAID_KINDS = ("local_authority", "donor")


# What a body brings that is only money: a funder's lead time and a bridging fund.
_FUNDING_CAPACITIES = frozenset({"funding_lead_days", "bridging_fund"})


def funds_only(p: Party) -> bool:
    """Whether a body takes part only as a funder: its one crisis role is donor, it has no mandate and no capacity
    but money. Such a body (a regional body's humanitarian aid directorate, a fund) contributes under its own
    financial rules, through contribution or grant agreements it concludes per operation, not as a Party bound by an
    operational agreement (European Commission, DG ECHO: humanitarian aid is granted under Regulation (EC)
    No 1257/96 and the Financial Regulation through grant and contribution agreements with partners)."""
    if list(p.crisis_roles or ()) != ["donor"] or p.mandates:
        return False
    caps = p.capacities.model_dump(exclude_none=True) if p.capacities else {}
    return set(caps) <= _FUNDING_CAPACITIES


def binds(p: Party) -> bool:
    """Whether a signatory can be a Party to a binding instrument: a State, an international organization, a
    regional body or a development bank, or a local authority or donor that says it can, unless it says it cannot.
    NGOs, National Societies, migrant associations, employers, recruiters, employers' federations and carriers
    cannot: in a binding framework they sign its memorandum annex. Nor, unless it says it can, can a body that takes
    part only as a funder (``funds_only``): it is not bound on a presumed capacity to duties it never took on (a
    blind reading found the European Union bound as a Party 'acting through' a directorate-general, its capacity
    left to be confirmed); it signs the memorandum annex and contributes under its own rules."""
    says = p.constraints.can_sign_binding if p.constraints else None
    if says is False:
        return False
    if says is None and funds_only(p):
        return False
    return p.kind in BINDING_KINDS or (p.kind in BINDING_IF_SAID_KINDS and says is True)


def makes_memorandum(s: Scenario, p: Party) -> bool:
    """Whether a signatory's saying it cannot be bound (``constraints.can_sign_binding: false``) makes the whole
    instrument a Memorandum of Understanding: it is a State, an international organization, a regional body or a
    development bank, which would otherwise be a Party; or it is a non-State body (an NGO, a foundation or other
    donor, a company, a local authority) and the States take on no shares of costs. Where States take on shares of
    costs and advances (``funding.share_costs``), a non-State body that cannot be bound signs the memorandum annex of
    a binding framework: its inability to bind itself does not release the States from their financial
    obligations (issue 13, item 2)."""
    if not p.constraints or p.constraints.can_sign_binding is not False:
        return False
    return p.kind in BINDING_KINDS or not (s.funding and s.funding.share_costs)


# Bodies whose capacity to be bound by a treaty comes from their own rules, not from statehood: an organization
# concludes treaties in accordance with the rules of the organization (Vienna Convention on the Law of Treaties
# between States and International Organizations or between International Organizations, 1986, Art. 6).
CAPACITY_BY_OWN_RULES_KINDS = ("international_organization", "regional_body", "development_bank")


def capacity_unstated(kind: str, can_sign_binding: bool | None) -> bool:
    """Whether a body that ``binds`` by default is bound on a presumption: an organization whose capacity to be
    bound (``constraints.can_sign_binding``) is not stated. It signs the Agreement (a presumption the Parties can
    check), and the draft and the party warning ask that its capacity be confirmed before signature."""
    return kind in CAPACITY_BY_OWN_RULES_KINDS and can_sign_binding is None


def unconfirmed_capacity(p: Party) -> bool:
    """Whether this Party signs a binding instrument on a presumed capacity (``capacity_unstated``)."""
    return capacity_unstated(p.kind, p.constraints.can_sign_binding if p.constraints else None)


@dataclass(frozen=True)
class Participation:
    party: str
    signs: bool
    reason: str  # why it signs or not, in words


# The last scenario asked about and its participation: a draft asks about one scenario some 170 times, and working
# out its territory each time cost a sixth of the costliest evaluation. Scenarios are frozen, and the slot holds a
# reference to the scenario, so an identity match always means the same scenario; one slot is read and replaced as
# a whole, so concurrent requests only miss.
_last: tuple[Scenario, dict[str, Participation]] | None = None


def participation(s: Scenario, where: Territory | None = None) -> dict[str, Participation]:
    """Each party's participation, by id (the rules in the module's docstring); ``where`` is the scenario's
    territory when the caller has it already."""
    global _last
    last = _last
    if last is not None and last[0] is s:
        return dict(last[1])
    where = where or territory(s)
    out: dict[str, Participation] = {}
    for p in s.parties:
        out[p.id] = _participation(s, p, where.fled_state)
    _last = (s, out)
    return dict(out)


# The agreement types of an arrangement among States that share consular services in a receiving State: the
# receiving State is notified of it (VCCR Art. 8), not a Party (Canada-Australia 1986/2001; Dir. 2015/637).
CONSULAR_SHARING_TYPES = frozenset({"consular_representation", "identity_verification"})


def consular_sharing(s: Scenario) -> bool:
    """The Parties list consular representation and nothing beyond consular sharing (identity verification): an
    arrangement among the States that share consular services, not one with the State that receives them."""
    listed = set(s.agreement_types or [])
    return "consular_representation" in listed and listed <= CONSULAR_SHARING_TYPES


def all_at_risk(s: Scenario, nationality: str) -> bool:
    """Every national of this State among the people concerned is a refugee or asylum-seeker or fears return (the
    larger of the two counts of each group): the State they flee acts for none of them (no consular representation,
    no documents, no data) and is no Party to an agreement on their protection."""
    groups = [g for g in s.populations or [] if g.nationality == nationality and g.count]
    count = sum(g.count for g in groups)
    fleeing = sum(
        max((g.vulnerabilities or {}).get(v, 0) for v in ("refugees_or_asylum_seekers", "fear_of_return"))
        for g in groups
    )
    return bool(groups) and fleeing >= count


def _participation(s: Scenario, p: Party, fled_state: str | None) -> Participation:
    if p.signatory is not None:
        why = "the scenario says it signs" if p.signatory else "the scenario says it takes part without signing"
        return Participation(p.id, p.signatory, why)
    group = reads_as_group(p.name)
    if group:
        return Participation(p.id, False, f"{group}, so it cannot sign: {GROUP_ADVICE}")
    if p.id == fled_state and not contributes(p):
        return Participation(
            p.id,
            False,
            "it is the State people flee, the operation takes place outside it and it brings nothing of its own: it "
            "is addressed by request (mark it signatory to make it a Party)",
        )
    if p.id == s.host_state and consular_sharing(s) and not contributes(p):
        return Participation(
            p.id,
            False,
            "it is the receiving State of a consular arrangement among other States and brings nothing of its own: "
            "it is notified under Article 8 of the Vienna Convention on Consular Relations, not a Party (mark it "
            "signatory to make it a Party)",
        )
    if p.kind == "state" and all_at_risk(s, p.id):
        return Participation(
            p.id,
            False,
            "all its nationals covered are refugees or asylum-seekers or fear return: an agreement on their protection "
            "is not concluded with the State they flee (mark it signatory to make it a Party)",
        )
    if legal_person_unknown(p.name, p.kind):
        return Participation(
            p.id,
            False,
            "it is a programme or mechanism whose legal person its name does not give, and a placeholder cannot sign: "
            "it takes part without signing (name the organization it belongs to, or mark it signatory to make that "
            "organization a Party)",
        )
    return Participation(p.id, True, "it is listed among the parties")


def signs(s: Scenario, party_id: str | None) -> bool:
    """Whether the party with this id signs (False for an unknown id)."""
    if party_id is None or s.party(party_id) is None:
        return False
    return participation(s)[party_id].signs


def signatories(s: Scenario) -> list[Party]:
    """The parties that sign, in the scenario's order."""
    part = participation(s)
    return [p for p in s.parties if part[p.id].signs]


def non_signatories(s: Scenario) -> list[Party]:
    """The parties that take part without signing, in the scenario's order."""
    part = participation(s)
    return [p for p in s.parties if not part[p.id].signs]


# Bodies that administer pooled money under financial regulations and rules of their own, audited by their governing
# bodies: an international organization or a regional body.
FUND_ADMINISTRATOR_KINDS = ("international_organization", "regional_body")


def fit_fund_administrator(s: Scenario, p: Party) -> bool:
    """Whether a party can administer the pooled fund of the instrument: it signs and can be bound, and it is an
    organization with financial regulations and rules, or a State that is neither the State people flee (the Host
    State, in crisis) nor a State of origin of the persons assisted (whose nationals the fund pays for, and which is
    in the crisis too when people flee towards it or it cannot meet its own nationals' costs)."""
    if not signs(s, p.id) or not binds(p):
        return False
    if p.kind in FUND_ADMINISTRATOR_KINDS:
        return True
    origins = {pop.nationality for pop in s.populations or []}
    return p.kind == "state" and p.id != s.host_state and p.id not in origins


def fund_administrator(s: Scenario, lead: str | None) -> Party | None:
    """Who administers a pooled fund: the Lead Party when it is fit (``fit_fund_administrator``); else the first fit
    organization among the parties, preferring one with a bridging fund of its own, which can also advance; else the
    first fit State; else nobody (the draft leaves a hole for the Parties to agree)."""
    lead_party = s.party(lead) if lead else None
    if lead_party is not None and fit_fund_administrator(s, lead_party):
        return lead_party
    fit = [p for p in s.parties if fit_fund_administrator(s, p)]
    bridging = lambda p: bool(p.capacities and p.capacities.bridging_fund)  # noqa: E731
    ranked = sorted(fit, key=lambda p: (p.kind not in FUND_ADMINISTRATOR_KINDS, not bridging(p)))
    return ranked[0] if ranked else None
