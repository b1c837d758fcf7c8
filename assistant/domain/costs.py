"""Cost allocation computed from the suggested models (domain notes §3), and the cost terms that every cost article
and Annex B read, so that each question has one answer: who co-finances and at what rate, who bears the share of
persons no State of nationality can be charged for, who pledges, which fund advances which cost, and within what
time each advance is repaid.

* Pro rata per person assisted (Dir. 2015/637 Art. 15(2)): each State of nationality bears the share of
  its nationals among the persons assisted.
* Co-financing (Art. 15(3); UCPM) is deducted from the actual costs before the shares, whoever provides it
  (``cofinancer``), once granted. The planning shares divide the whole estimate (an upper bound): the eligible
  part (transport of co-financed movements) and the rate (the seat condition counts nationals of the mechanism's
  participating States, which the scenario does not record) are known only in execution (``cofinancing_terms``).
* Employer liability (RA 8042 §15 as the model): the share of workers recruited through agencies is met by their
  State of nationality's fund, which recovers it from the agencies and principals liable under its law; where that
  State does not sign, by the liable recruiters and employers that sign (never a body of their members). Where the
  repatriation-liability
  law applies and employers or shipowners are Parties (MLC 2006 Reg. 2.5), the employers bear it for any group said
  to work in a sector, however recruited.
* Refugees, asylum-seekers, stateless persons, people who fear return and groups without a participating State of
  nationality are never charged to a State of origin: one Party bears their share in every article and in Annex B
  (``protected_bearer``), never a donor or development bank (they bear only what they pledge).
* Advance and recover (IOM MEFM, OWWA ERF): the bridging funder advances the shares of parties whose
  money comes late (more than 3 days), or of States with no more than an honorary consul on the spot, and
  recovers them within the payment deadline of the cost article; the liable parties repay within the recovery
  period of the employer-liability article. The ceiling of the advances covers them (``advance_ceiling``).
* Evacuee repayment is only ever with parity, a hardship waiver, and never a condition of evacuation.
* Only Parties that sign bear a share, pledge or make an advance (``signing.signs``): the nationals of a State that
  takes part without signing are carried like a group without a participating State of nationality.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .advice import CostAllocation, Share
from .names import in_text, split_organ
from .scenario import Party, Population, Scenario
from .signing import binds, signatories

if TYPE_CHECKING:
    from .advice import Advice, CostModelAdvice

# Parties that co-finance when the scenario does not name the provider, in this order of preference.
COFINANCING_KINDS = ("regional_body", "donor", "development_bank")
COFINANCER_HOLE = "[to be agreed: the co-financing mechanism]"
PROTECTED_HOLE = "[to be agreed: the Party that bears the costs of persons no State of nationality can be charged for]"
# The same hole where an article without shares names who pays for such persons' travel.
PROTECTED_COSTS_HOLE = (
    "[to be agreed: the Party that bears the costs of persons no State of nationality can be asked to bear]"
)
ADMINISTRATOR_HOLE = "[to be agreed: the Party that administers the pooled fund]"
# UCPM practice for consular evacuation flights (domain notes §2.2): up to 75 % when at least 30 % of the seats go
# to other participants' nationals, otherwise 50 %. The co-financing article states the same figures.
UCPM_MAX_RATE = 0.75
UCPM_BASE_RATE = 0.5
UCPM_SEAT_THRESHOLD = 0.3
# The margin of an advance ceiling above the required advances (the estimate they divide does not limit the costs).
ADVANCE_MARGIN = 0.25
LATE_AFTER_DAYS = 3  # R-FUND-1: money that takes longer than this needs a bridging advance
PAYMENT_DEADLINE_MONTHS = 12  # Dir. 2015/637 Art. 14: "within a reasonable period not exceeding 12 months"
CLAIM_DEADLINE_MONTHS = 12
# Days within which the Party that bears a cost the pooled fund cannot meet repays the unrecovered balance of its
# Advance, counted from the close of the consultations that follow the recovery period: a last step, never a new
# claim period (a second "12 months of receipt of its claim" made the deadlines circular).
BALANCE_REPAYMENT_DAYS = 30
LIABLE_RECOVERY_DAYS = 60  # a liable recruiter or principal pays the recovery claim of the fund that advanced
SHARED_MODELS = ("pro_rata_per_evacuee", "employer_liability")
# Models whose article, not the pooled fund's, becomes the cost article: no advance pending a donor appeal then.
OTHER_COST_ARTICLE_MODELS = ("nationality_reimburses", "development_bank_financing", "mutual_aid_costs")
LIABLE_KINDS = ("employer", "recruiter", "employers_federation")
# Whom a State's fund recovers the advanced repatriation of its agency-recruited workers from (``recovers``).
RECOVERED_FROM = "the recruitment agencies and foreign principals liable under its law"
LOW_CAPACITY_PRESENCE = ("honorary", "none")
# Funders bear only what they pledge; no share of persons assisted is ever put on them.
FUNDING_KINDS = ("donor", "development_bank")


@dataclass
class _Part:
    party: str
    fraction: float
    basis: str
    advanced_by: str | None = None  # a State fund that advances this part, where the law says so
    workers_of: str | None = None  # the nationality of the workers whose repatriation a liable party bears
    recovered: bool = False  # a State advances it from its fund and recovers it from the liable agencies and principals
    sought: bool = False  # met from donor contributions the party only seeks, never borne by it (bears_whole_residual)


# ---------------------------------------------------------------- who takes part


def signed(scenario: Scenario) -> frozenset[str]:
    """The ids of the Parties that sign (signing.signatories)."""
    return frozenset(p.id for p in signatories(scenario))


def charged_state(scenario: Scenario, nationality: str, signing: frozenset[str]) -> bool:
    """A group's State of nationality can be charged: it is a State Party that signs."""
    party = scenario.party(nationality)
    return bool(party and party.kind == "state" and nationality in signing)


def _is_funder(scenario: Scenario, party_id: str) -> bool:
    party = scenario.party(party_id)
    return bool(party and (party.kind in FUNDING_KINDS or "donor" in (party.crisis_roles or [])))


def _lead(advice: Advice) -> str | None:
    return next((r.party for r in advice.holders("lead")), None)


def own_costs(scenario: Scenario) -> bool:
    """The Parties chose to bear their own costs (``funding.share_costs`` false): the one test of it every cost rule
    reads."""
    return bool(scenario.funding and scenario.funding.share_costs is False)


def assisting_party_bears(scenario: Scenario) -> bool:
    """Under a mutual-aid cost article, the Party that assists bears the costs of its assistance when the scenario
    says the Parties do not share costs (``funding.share_costs`` false: each bears its own); otherwise the requesting
    Party reimburses them (the default of the Nordic and Baltic agreements). One regime per cost: never a
    reimbursement duty beside a rule that each Party bears its own costs."""
    return own_costs(scenario)


# Bodies that act subject to the availability of funds: what they provide is donor money, not their own budget.
SERVICE_ORGANIZATION_KINDS = ("international_organization", "ngo", "national_society")
# The services an article puts on a provider, by the role that puts them there, in the cost article's words.
PROVIDED_SERVICES = {"transport_provider": "transport", "logistics_provider": "shelter and other logistical support"}


def funded_providers(scenario: Scenario, advice: Advice) -> dict[str, list[str]]:
    """The organizations that sign, can be bound (no claim is owed to a Participant) and that the articles make
    provide transport, shelter or logistics, with the services each provides, when they are not donors: an
    organization has no budget of its own for such services,
    so an article that leaves each Party its own costs must still name who pays for them (``service_payers``).
    Transport is left out where the States of nationality pay for all transport whoever arranges it
    (``transport_payers``): one cost, one rule and one deadline (round 12: an organization's transport reimbursed
    under two paragraphs, one within 12 months, one without a deadline)."""
    signing = signed(scenario)
    out: dict[str, list[str]] = {}
    paid_by_nationality = bool(transport_payers(scenario, advice))
    for role, service in PROVIDED_SERVICES.items():
        if service == "transport" and paid_by_nationality:
            continue
        for holder in advice.holders(role):
            party = scenario.party(holder.party)
            if (
                party
                and party.kind in SERVICE_ORGANIZATION_KINDS
                and party.id in signing
                and binds(party)  # no claim is owed to a Participant (round 11: readers of three drafts)
                and not _is_funder(scenario, party.id)
                and service not in out.setdefault(party.id, [])
            ):
                out[party.id].append(service)
    return out


def service_payers(scenario: Scenario) -> list[str]:
    """Who reimburses the services of those organizations: the States of nationality of the persons assisted that
    sign, each for its own nationals (the persons no State of nationality can be asked to bear them for are the
    residual bearer's). None: the organizations meet them from the donor contributions they seek, within them; and
    none in a relocation inside the host, which answers for the people on its territory (a blind reader found a
    State of origin reimbursing the host's flood relocation)."""
    from .territory import relocation_inside_only, territory

    if relocation_inside_only(territory(scenario)):
        return []
    signing = signed(scenario)
    nationalities = {p.nationality for p in scenario.populations or [] if p.count > 0}
    return [p.id for p in scenario.parties if p.id in nationalities and charged_state(scenario, p.id, signing)]


# ---------------------------------------------------------------- co-financing


@dataclass(frozen=True)
class CofinancingTerms:
    """The co-financing the articles and Annex B state: who provides it, the rates and the seat threshold. No rate is
    chosen at signature: the seat condition counts nationals of the States that participate in the co-financing
    mechanism (UCPM: citizens of other participating States, not nationals of the States of origin), which the
    scenario does not record, and the rate applies to eligible transport costs only, a part of the estimate the
    scenario does not give; both are applied to each movement in execution."""

    provider: str  # a Party id, the name of a mechanism that is not a Party, or COFINANCER_HOLE
    max_rate: float
    base_rate: float
    threshold: float
    eligible: float | None = None  # the part of the estimate it may meet (transport), where the scenario gives it


def cofinancer(scenario: Scenario) -> str:
    """Who provides the co-financing. ``funding.cofinancing.provider`` (an addition to the contract) is either the id of
    a Party, which then co-finances, or the name of a mechanism that is not a Party ("EU Civil Protection Mechanism"),
    which is named as given; unset, the first regional body, else donor, else development bank among the Parties;
    else a hole for the negotiators to fill. The co-financing is deducted before the shares in every case."""
    cof = scenario.funding.cofinancing if scenario.funding else None
    provider = (cof.provider or "").strip() if cof else ""
    if provider:
        return provider
    for kind in COFINANCING_KINDS:
        party = next((p for p in scenario.parties if p.kind == kind), None)
        if party:
            return party.id
    return COFINANCER_HOLE


# Services whose costs are transport, the only costs the co-financing meets (UCPM Art. 23: transport of assistance).
TRANSPORT_SERVICES = ("evacuation_transport", "onward_travel", "relocation_in_country")


def uncofinanced_services(scenario: Scenario) -> list[str]:
    """The services the operation needs (and its estimate covers) that are not transport, in words: the co-financing
    meets only the eligible transport costs of co-financed movements, so a rate applied to the whole estimate is a
    planning assumption to be confirmed, never a figure, whenever the estimate covers anything else (reception,
    shelter, food, documents)."""
    return [s.replace("_", " ") for s in scenario.services_needed or [] if s not in TRANSPORT_SERVICES]


def cofinancing_terms(scenario: Scenario, advice: Advice) -> CofinancingTerms | None:
    """The co-financing terms when co-financing is available and its model is suggested (not rejected): the rates and
    threshold of the scenario, else those of UCPM practice."""
    cof = scenario.funding.cofinancing if scenario.funding else None
    if cof is None or not cof.available or not any(m.id == "net_of_cofinancing" for m in advice.cost_allocation.models):
        return None
    max_rate = cof.max_rate if cof.max_rate is not None else UCPM_MAX_RATE
    base_rate = cof.base_rate if cof.base_rate is not None else min(UCPM_BASE_RATE, max_rate)
    threshold = cof.seat_threshold if cof.seat_threshold is not None else UCPM_SEAT_THRESHOLD
    return CofinancingTerms(
        provider=cofinancer(scenario),
        max_rate=max_rate,
        base_rate=base_rate,
        threshold=threshold,
        eligible=cof.eligible_cost,
    )


# ---------------------------------------------------------------- who bears what nobody else can be charged for

# People whose share is never attributed to their State of origin (the pro-rata article, paragraph 2).
PROTECTED = ("refugees_or_asylum_seekers", "fear_of_return", "stateless")


def protected_count(pop: Population) -> int:
    """How many of a group are refugees, asylum-seekers, stateless or fear return (the largest of those counts)."""
    vulns = pop.vulnerabilities or {}
    return min(pop.count, max((vulns.get(v, 0) for v in PROTECTED), default=0))


def protected_bearer(scenario: Scenario, advice: Advice) -> str | None:
    """The one Party that bears the share of refugees, asylum-seekers, stateless persons, people who fear return and
    groups without a participating State of nationality, in the cost article, the advance article and Annex B: the
    lead, else an international organization Party whose mandate covers them (a refugee-protection mandate first, then
    a migration mandate, or the reverse where nationals of non-Parties outnumber protected persons; an organization
    that declares other mandates only, such as family tracing or child protection, bears no one's costs).
    Never a Party that takes part without signing or that cannot be bound (an NGO, a National Society or a company,
    which signs only a memorandum annex and commits to nothing it can be held to: ``signing.binds``), a donor, a
    development bank or the co-financer (they bear only what they pledge or co-finance, and the contract records no
    pledge of this share), the State of origin of any of those protected persons, nor a Transit State (the transit
    article promises that it bears no costs for Migrants other than its own nationals). A State of nationality of
    some group assisted (a refugee among its nationals would have it as State of origin) is chosen only when no
    other Party fits.
    None when no Party fits: the articles and Annex B then show the same hole."""
    protected_origins = {p.nationality for p in scenario.populations or [] if protected_count(p) > 0}
    nationalities = {p.nationality for p in scenario.populations or []}
    excluded = protected_origins | _transit_states(scenario)
    cof = scenario.funding.cofinancing if scenario.funding else None
    provider = cofinancer(scenario) if cof and cof.available else None
    signing = signed(scenario)

    def fits(pid: str | None, avoid: set[str]) -> bool:
        party = scenario.party(pid) if pid else None
        return bool(
            party
            and pid in signing
            and binds(party)
            and not _is_funder(scenario, pid)
            and pid not in avoid
            and pid != provider
        )

    # a mandate that covers the persons concerned (or none declared): refugee protection for refugees, asylum-seekers
    # and stateless persons, migration for Migrants of States that are not Parties; the larger group comes first
    refugees_first = sum(protected_count(p) for p in scenario.populations or []) >= sum(
        p.count for p in scenario.populations or [] if p.nationality not in signing
    )
    fitting = ("refugee_protection", "migration") if refugees_first else ("migration", "refugee_protection")
    ios = [
        p
        for p in scenario.parties
        if p.kind == "international_organization"
        and (not p.mandates or set(p.mandates) & set(fitting))
        and (not refugee_agency(p) or only_protected_carried(scenario))
    ]
    ios.sort(key=lambda p: tuple(m not in (p.mandates or []) for m in fitting))
    lead = scenario.party(_lead(advice) or "")
    lead_fits = lead is not None and (lead.kind != "international_organization" or lead in ios)
    candidates = [lead.id if lead_fits else None, *(p.id for p in ios)]
    return next((pid for pid in candidates if fits(pid, excluded | nationalities)), None) or next(
        (pid for pid in candidates if fits(pid, excluded)), None
    )


def refugee_agency(party: Party) -> bool:
    """An organization whose declared mandate is refugee protection without migration (UNHCR): it answers, through
    the donor contributions it seeks, only for refugees, asylum-seekers, stateless persons and people who fear
    return."""
    mandates = set(party.mandates or [])
    return "refugee_protection" in mandates and "migration" not in mandates


def only_protected_carried(scenario: Scenario) -> bool:
    """Whether every person whose costs may fall on the bearer of the protected share is a refugee, asylum-seeker,
    stateless person or person who fears return: no national of a non-Party who is not one of them, and no Transit
    State that signs while people other than those are moved (what a fund cannot meet of a Transit State's costs
    for other States' nationals goes to that bearer). Round 12: a refugee agency bore the unmet transit costs of a
    State's own nationals returning home, and the transport of Migrants of non-Parties."""
    signing = signed(scenario)
    others = sum(p.count - protected_count(p) for p in scenario.populations or [])
    unclaimed = sum(
        p.count - protected_count(p)
        for p in scenario.populations or []
        if not charged_state(scenario, p.nationality, signing)
    )
    transit_signs = bool(_transit_states(scenario) & signing)
    return unclaimed == 0 and not (transit_signs and others > 0)


BACKSTOP_HOLE = (
    "[to be agreed: the State Party that bears it, other than the State in crisis, a Transit State or a State of "
    "nationality of the persons assisted]"
)
# who bears the part of a State bearer's own nationals who seek protection from it: never that State


# No State Party can be asked to bear what the donor contributions do not cover (every State that signs is the State
# in crisis, a Transit State or a State of nationality of those assisted, or the Parties bear their own costs): the
# articles say the Parties consult on it, never a hole that no Party could fill (round 12: five drafts).
CONSULT_BACKSTOP = "\x00consult"


def backstop_candidates(scenario: Scenario, advice: Advice) -> list[str]:
    """The States that could bear what donor contributions do not cover (``residual_backstop``'s test): none under
    own costs, where no State is made guarantor of costs it chose not to share."""
    if own_costs(scenario):
        return []
    nationalities = {p.nationality for p in scenario.populations or []}
    terms = cofinancing_terms(scenario, advice)
    excluded = nationalities | _transit_states(scenario) | {scenario.host_state}
    excluded |= {terms.provider} if terms else set()
    signing = signed(scenario)
    return [
        p.id
        for p in scenario.parties
        if p.kind == "state" and p.id in signing and p.id not in excluded and not _is_funder(scenario, p.id)
    ]


def residual_backstop(scenario: Scenario, advice: Advice) -> str | None:
    """The one Party that bears what the donor contributions sought by the bearer of the protected share
    (``protected_bearer``) do not cover, where that bearer does not bear it itself (``bears_whole_residual``): the
    same Party in every article and Annex B, for the share of refugees, asylum-seekers, stateless persons, people who
    fear return and nationals of non-Parties and for a Transit State's costs alike. None, and the articles show one
    hole, where the Parties bear their own costs (``share_costs: false``: no State is made guarantor of costs it chose
    not to share, and "the Party that incurred the cost" may be the Transit State or the State of origin that the same
    sentence protects: round 12, seven drafts) or where no single State fits. A State fits if it signs and is none of
    the protected bodies: not the State in crisis (the host, which is not asked to pay for others' departure from its
    territory), a Transit State (the transit article promises it bears no costs for other States' nationals), the
    State of nationality of any of the people assisted (any of them may seek protection from it: a "save for its own
    nationals" carve-out left their part with the Party that incurred it, or swallowed the rule where all of them
    were its nationals), a funder (which bears only what it pledges) or the co-financer (whose co-financing is
    deducted already). The Lead where it fits, else the only State that fits; several that fit are no single bearer
    (never "in proportion" to nationals they do not have, never in equal parts)."""
    fit = backstop_candidates(scenario, advice)
    lead = _lead(advice)
    return lead if lead in fit else (fit[0] if len(fit) == 1 else None)


def last_resort(scenario: Scenario, advice: Advice) -> list[str]:
    """The State Parties that bear, as last resort, what the donor contributions sought for the share of refugees,
    asylum-seekers, stateless persons, people who fear return and nationals of non-Parties (and for a Transit State's
    unmet costs) do not cover, where no single State fits ``residual_backstop``'s stricter test: round 14, seven
    drafts, "the Parties consult" left an Advance of those costs with no Party bound to repay it. The Lead where it
    fits (it seeks the contributions and coordinates the operation), else every State that fits, for the Parties to
    agree among them; none where no State fits (the Parties consult). A State fits if it signs and is not the State
    in crisis, a Transit State, a State of origin of any of the persons protected (their costs are never charged to
    it), a funder or the co-financer (they bear only what they pledge or co-finance) or a State that pays late (a
    low-capacity State is advanced, never made guarantor). Under own costs too: the Lead that seeks the contributions
    stands behind them, and a negotiator can strike it; what each Party incurs for others stays governed by the cost
    article."""
    protected_origins = {p.nationality for p in scenario.populations or [] if protected_count(p) > 0}
    terms = cofinancing_terms(scenario, advice)
    excluded = protected_origins | _transit_states(scenario) | {scenario.host_state}
    excluded |= {terms.provider} if terms else set()
    excluded |= {pid for pid in signed(scenario) if _pays_late(scenario, pid)}
    signing = signed(scenario)
    fit = [
        p.id
        for p in scenario.parties
        if p.kind == "state" and p.id in signing and p.id not in excluded and not _is_funder(scenario, p.id)
    ]
    lead = _lead(advice)
    if lead in fit:
        return [lead]
    # never a State for persons it has no link with: a State of nationality of migrants assisted is not made to
    # guarantee the costs of other States' refugees (round 12: "never in proportion to nationals they do not have")
    nationalities = {p.nationality for p in scenario.populations or []}
    return [pid for pid in fit if pid not in nationalities]


def bears_whole_residual(scenario: Scenario, bearer: str | None) -> bool:
    """Whether the bearer of the protected share bears all of it, what donors do not cover included: a State or local
    authority, where the Parties share costs, and the hole left for a bearer, which is one open point, not two. An
    international organization, whose obligations are subject to its financial regulations and the availability of
    funds, only seeks the donor contributions; under own costs no Party underwrites what others incur."""
    from .territory import TERRITORIAL_KINDS

    if bearer is None:
        return True
    party = scenario.party(bearer)
    return not own_costs(scenario) and party is not None and party.kind in TERRITORIAL_KINDS


def bearer_is_origin(scenario: Scenario, bearer: str | None) -> bool:
    """Whether the bearer of the protected share is a State of nationality of some of the people assisted (chosen
    only when no other Party fits, ``protected_bearer``): its own nationals who seek protection from it or fear
    return to it are then not its to bear, and their part is met from the donor contributions alone
    (``residual_rule``)."""
    return bearer is not None and any(p.nationality == bearer for p in scenario.populations or [])


def _carried(scenario: Scenario, bearer: str | None) -> str:
    """How Annex B's table says the protected share is met, in the words of the cost article: "borne by X" where X
    bears the whole of it, else "met from the donor contributions that X seeks" (round 12: "carried by" an
    organization that the article only asks to seek contributions read as a third bearer)."""
    if bears_whole_residual(scenario, bearer):
        return f"borne by {in_text(_name(scenario, bearer))}"
    seeker = in_text(_name(scenario, bearer))
    return f"met from the donor contributions that {seeker} seeks, as the cost article provides"


def residual_rule(
    bearer: str,
    backstop: str | None,
    *,
    article: bool,
    verb: str = "shall be",
    origin: bool = False,
    backstop_origin: bool = False,
    pooled_admin: str | None = None,
    by_nationality: bool = False,
    origin_rest: str | None = None,
) -> str:
    """The predicate that says who bears the costs (or the share) of persons no State of nationality can be asked to
    bear, in the same words in every article (``article``: "shall") and Annex B (``verb``: "is" or "are"): one bearer
    for each part. Where the bearer bears the whole (``backstop`` None): "borne by X, which seeks donor contributions
    for the purpose". Else "met from the donor contributions that X seeks for the purpose; any part that those
    contributions do not cover is borne by Y": X only seeks them, Y bears the rest (round 12: "borne by X, which shall
    ... meet from them what they allow, any part that they do not cover being borne by Y" read as three bearers, the
    first conditional). ``origin``: X is a State of nationality of some of those assisted (``bearer_is_origin``);
    where it bears the whole, the part of its own nationals who seek protection from it is met from the donor
    contributions alone, never from its funds (``backstop_origin``: the same for Y): round 14, syria2012, a hole no
    Party could fill; round 15, an unearmarked contribution from that State read as a charge on the State of
    origin that the same sentence forbids (ra8042, rapid_reaction). ``origin_rest``: who bears what donors do not
    cover of that part (``origin_rest_bearer``). ``pooled_admin``: under a pooled fund, what
    the fund cannot meet is met from further contributions to it that its administrator seeks, never from a second
    appeal by another body (round 14: "two channels for one cost")."""
    seeks = "shall seek" if article else ("seek" if bearer == "the Parties" else "seeks")
    source = f"the donor contributions that {bearer} {seeks} for the purpose"
    if pooled_admin:
        source = (
            f"further contributions to the pooled fund, which {pooled_admin} "
            f"{'shall seek' if article else ('seek' if pooled_admin == 'the Parties' else 'seeks')} for the purpose"
        )
    rest = "shall be borne" if article else "is borne"
    save = (
        ", save for the part attributable to refugees, asylum-seekers, stateless persons and persons who fear return "
        f"whose State of origin it is, which {'shall be' if article else 'is'} met from those contributions alone and "
        "never from its funds"
    )
    if origin_rest:
        # round 16 (six drafts): "if no donor contribution arrives, that part has no bearer"
        save += f", any part of it that those contributions do not cover being borne by {origin_rest}"
    if backstop is None or backstop == bearer:
        # the bearer that seeks the contributions stands behind them itself (costs.last_resort: the Lead)
        return f"{verb} borne by {bearer}, which {seeks} donor contributions for the purpose{save if origin else ''}"
    if backstop == CONSULT_BACKSTOP and by_nationality:
        # a Transit State's costs for nationals of a Party that the fund and further contributions leave: borne by
        # their State of nationality, as any Party bears its own nationals' costs; only the protected and the
        # nationals of non-Parties are left to the Parties' consultation (round 15, kuwait1990: "no one bears what
        # donors do not cover of Jordara's costs; IOM's required advance has no repayment source")
        consult = "on which the Parties shall consult" if article else "on which the Parties consult"
        return (
            f"{verb} met from {source}; any part that those contributions do not cover {rest} by the State of "
            "nationality of the Migrants concerned, where it is a Party, save for the part attributable to refugees, "
            "asylum-seekers, stateless persons, persons who fear return and nationals of States that are not "
            f"Parties, {consult} without delay"
        )
    if backstop == CONSULT_BACKSTOP:
        consult = "the Parties shall consult" if article else "the Parties consult"
        # the sentences around it say to whom the costs are never charged (a second list doubled them)
        return (
            f"{verb} met from {source}; {consult} without delay on meeting any part that those contributions do "
            "not cover"
        )
    return (
        f"{verb} met from {source}; any part that those contributions do not cover {rest} by {backstop}"
        f"{save if backstop_origin else ''}"
    )


def origin_rest_bearer(
    scenario: Scenario, advice: Advice, origin: str, tabulated: bool, name: Callable[[str], str] | None = None
) -> str:
    """Who bears what the donor contributions do not cover of the part of refugees, asylum-seekers, stateless persons
    and people who fear return whose State of origin is ``origin``, which their State of origin never meets from its
    funds (``residual_rule``): where Annex B tabulates shares (``tabulated``), the other States Parties that hold them,
    in proportion to their shares; otherwise an open point for the negotiators, never silence (round 16, six drafts:
    "if no donor contribution arrives, that part has no bearer")."""
    protected = {p.nationality for p in scenario.populations or [] if protected_count(p) > 0}
    sharing = [
        sh.party
        for sh in advice.cost_allocation.shares
        if sh.party != origin and (p := scenario.party(sh.party)) and p.kind == "state" and sh.party not in protected
    ]
    transit = _transit_states(scenario)
    if tabulated and [p for p in sharing if p not in transit]:
        # never a Transit State, which the same sentence spares (round 18, juba2013)
        if any(p in transit for p in sharing):
            return (
                "the other States Parties that hold shares under Annex B, other than a Transit State, in proportion "
                "to their shares"
            )
        return "the other States Parties that hold shares under Annex B, in proportion to their shares"
    # no shares: the other signing States whose nationals are assisted, as they pay for their own (round 16,
    # consular_sharing_bilateral: "the only possible holder is the other State; fill it")
    signing = signed(scenario)
    others = list(
        dict.fromkeys(
            g.nationality
            for g in scenario.populations or []
            if g.count
            and g.nationality in signing
            and g.nationality != origin
            and g.nationality not in protected
            and (p := scenario.party(g.nationality)) is not None
            and p.kind == "state"
        )
    )
    if own_costs(scenario):  # no Party agreed to bear another's costs: the negotiators decide (round 12)
        others = []
    if not tabulated and len(others) == 1:
        return name(others[0]) if name else _name(scenario, others[0])
    if not tabulated and others:
        return "the other States Parties whose nationals are assisted, in proportion to their nationals assisted"
    # an open point, with the Parties that could hold it (round 19, five drafts: "the bracket only repeats its own
    # sentence"): the signatories that can bear public costs, other than that State of origin, the State in crisis and a
    # Transit State
    candidates = [
        pid
        for pid in (p.id for p in scenario.parties)
        if pid in signing
        and pid not in (origin, scenario.host_state)
        and pid not in transit
        and (p := scenario.party(pid)) is not None
        and p.kind in ("state", "international_organization", "regional_body", "donor", "development_bank")
    ]
    if not candidates:
        return "[to be agreed: the donor or Party that bears any part of it that those contributions do not cover]"
    named = [name(pid) if name else _name(scenario, pid) for pid in candidates]
    options = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
    several = "" if len(named) == 1 else ", or several of them in proportions to be agreed"
    return f"[to be agreed: {options}{several}]"


def by_nationality_fits(scenario: Scenario) -> bool:
    """Whether, under a pooled fund, what it and further contributions leave of a Transit State's costs can fall on the
    State of nationality of the Migrants concerned (``residual_rule``, ``by_nationality``): some signing State other
    than a Transit State has nationals among those assisted, the Parties share costs (under own costs no Party bears
    what another incurs), and none of those States pays late (a State with no post on the spot or a long funding lead
    time is advanced, never made to bear the rest: round 15, lebanon2006 and abidjan_convoys, "those States asked IOM
    to act precisely because they lacked the means"). Otherwise the Parties consult, and an Advance of that part is
    repaid from further contributions first."""
    signing = signed(scenario)
    states = {
        g.nationality
        for g in scenario.populations or []
        if g.nationality in signing and g.nationality not in _transit_states(scenario)
    }
    return bool(states) and not own_costs(scenario) and not any(_pays_late(scenario, pid) for pid in states)


def _transit_states(scenario: Scenario) -> set[str]:
    """The scenario's Transit States other than the State people come from (the host)."""
    return set(scenario.transit_states or []) - {scenario.host_state}


# ---------------------------------------------------------------- pledges, low capacity, deadlines


def pledgers(scenario: Scenario, advice: Advice) -> list[str]:
    """The Parties that pledge contributions in the cost article and Annex B: the funders (donors and States acting as
    donors) that sign, other than the co-financer (its co-financing is deducted already). A development bank finances
    a State's costs at its request and pledges nothing to the Parties (``financing_banks``)."""
    terms = cofinancing_terms(scenario, advice)
    provider = terms.provider if terms else None
    signing = signed(scenario)
    out = [
        r.party
        for r in advice.holders("funder")
        if r.party in signing and r.party != provider and _kind(scenario, r.party) != "development_bank"
    ]
    return list(dict.fromkeys(out))


def invited_funders(scenario: Scenario, advice: Advice) -> list[str]:
    """The donors and development banks that take part without signing, other than the co-financer: the cost article
    invites them to contribute and puts no share, pledge or duty on them (they are not bound)."""
    terms = cofinancing_terms(scenario, advice)
    provider = terms.provider if terms else None
    signing = signed(scenario)
    return [p.id for p in scenario.parties if _is_funder(scenario, p.id) and p.id not in signing and p.id != provider]


def financing_banks(scenario: Scenario) -> list[str]:
    """Development banks that sign: a State of nationality may finance its costs through them (C9)."""
    signing = signed(scenario)
    return [p.id for p in scenario.parties if p.kind == "development_bank" and p.id in signing]


def billed_states(scenario: Scenario, advice: Advice) -> list[str]:
    """The States a cost article bills for their own nationals: those that answer for some persons assisted
    (``head_counts``: States of nationality that sign, for nationals whom no liable employer repatriates)."""
    billed = {bearer for bearer, why, _ in head_counts(scenario, advice) if why == "nationality"}
    return [p.id for p in scenario.parties if p.id in billed]


def low_capacity_states(scenario: Scenario, advice: Advice) -> list[str]:
    """The billed States that have no more than an honorary consul on the spot or need more than LATE_AFTER_DAYS to
    make funds available: no movement waits for their payment."""
    return [pid for pid in billed_states(scenario, advice) if _pays_late(scenario, pid)]


ADVANCER_HOLE = "[to be agreed: the Party that advances them, other than the States whose costs are advanced]"
# never below what the Bridging Party is required to advance (round 14, three drafts: a bracket with no floor)
ADVANCE_CEILING_HOLE = "[to be agreed: the aggregate ceiling of these advances, not less than the costs to be advanced]"


def share_advancer(scenario: Scenario, advice: Advice) -> str | None:
    """The Party that advances the shares of billed States that pay late where no bridging advance is computed for
    them: the general bridging funder (a Party with a bridging fund that signs), else the Lead Party where it signs,
    can be bound, is not a funder and itself pays in time. None when no Party fits: the articles and Annex B then
    show the same hole (``ADVANCER_HOLE``), never an unnamed "Assisting Party" paying without a ceiling."""
    _, general = bridging_funders(scenario, advice)
    if general is not None:
        return general
    lead = _lead(advice)
    party = scenario.party(lead) if lead else None
    if party and lead in signed(scenario) and binds(party) and not _is_funder(scenario, lead):
        return None if _pays_late(scenario, lead) else lead
    return None


def low_capacity_advances(scenario: Scenario, advice: Advice, advanced: dict[str, str]) -> dict[str, str | None]:
    """Who advances the share of each billed State that pays late: the bridging advance computed for it
    (``advanced``), else ``share_advancer`` unless that is the State itself; None for a hole."""
    by = share_advancer(scenario, advice)
    return {pid: advanced.get(pid) or (by if by != pid else None) for pid in low_capacity_states(scenario, advice)}


def low_capacity_ceiling(advice: Advice, states: list[str]) -> tuple[float | None, float | None]:
    """The aggregate ceiling of the advances of the shares of ``states``: their amounts (``advance_ceiling``), or
    without an estimate their part of the actual costs (``advance_ceiling_share``); (None, None) when the cost
    article computes no share for them."""
    shares = [s for s in advice.cost_allocation.shares if s.party in states]
    if not shares:
        return None, None
    rows = [{"amount": s.amount, "share": s.share} for s in shares]
    amount = advance_ceiling(rows) if all(s.amount is not None for s in shares) else None
    return amount, (None if amount is not None else advance_ceiling_share(rows))


# Services that move people, whose transport or onward travel someone must pay for.
MOVING_SERVICES = ("evacuation_transport", "onward_travel", "relocation_in_country", "reception")


def moves_people(scenario: Scenario) -> bool:
    """The operation moves people (transport, onward travel, relocation or reception), or, without services named,
    is an evacuation or relocation agreement."""
    services = scenario.services_needed or []
    if services:
        return any(s in MOVING_SERVICES for s in services)
    return "evacuation_relocation" in (scenario.agreement_types or [])


def transport_payers(scenario: Scenario, advice: Advice) -> list[str]:
    """Under an article that leaves each Party its own costs, who pays for the transport and onward travel that a
    Transit State arranges or provides for Migrants other than its own nationals (by charter from commercial
    carriers, by request to others, or as Transit State): the States of nationality that sign, each for its own
    nationals carried (``service_payers``); never the Transit State, which would otherwise keep them (rafah: "borne by
    the State of nationality or the Party that arranges it, never by a Transit State" while the Lead that charters
    was the Transit State). Only there: where no Transit State moves people (an in-country relocation, transport by
    the States themselves, by organizations or employers), each Party keeps its own costs as the article says (blind
    readers of round 11 found a State of origin billed for a flood relocation inside the host, and "each Party
    bears its own costs" contradicted by reimbursement in nine drafts). Empty where the Parties share costs, the
    operation moves no one across a border or no State of nationality signs."""
    from .territory import arrival_states, relocation_inside_only, territory

    if not own_costs(scenario) or not moves_people(scenario) or relocation_inside_only(territory(scenario)):
        return []
    transit = set(arrival_states(scenario)) | set(scenario.transit_states or [])
    providers = {r.party for r in advice.holders("transport_provider")}
    lead = next((r.party for r in advice.holders("lead")), None)
    if not (providers & transit or (lead in transit and not providers)):
        return []
    return service_payers(scenario)


def carried_count(scenario: Scenario, advice: Advice) -> int:
    """How many persons assisted the protected bearer carries (``head_counts``, "protected" and "residual")."""
    return sum(n for (_, why, _), n in head_counts(scenario, advice).items() if why in ("protected", "residual"))


def _model_param(advice: Advice, name: str) -> Any:
    return next((m.params[name] for m in advice.cost_allocation.models if m.params.get(name) is not None), None)


def payment_deadline_months(advice: Advice) -> int:
    """Months within which a claim is paid and an advanced share repaid: the cost model's payment deadline (12,
    Dir. 2015/637 Art. 14). The cost article, the advance article and Annex B all state this one figure."""
    return int(_model_param(advice, "payment_deadline_months") or PAYMENT_DEADLINE_MONTHS)


def claim_deadline_months(advice: Advice) -> int:
    """Months after the operation within which a claim is submitted (the cost model's, else 12)."""
    return int(_model_param(advice, "claim_deadline_months") or CLAIM_DEADLINE_MONTHS)


def advance_ceiling(advances: list[dict[str, Any]], cap: float | None = None) -> float | None:
    """The aggregate ceiling of Advances outstanding: the sum of the advances with a margin of ADVANCE_MARGIN above
    it, rounded up to two significant figures (USD 1,350,000 → 1,700,000; 593,478.26 → 750,000). The estimate that
    the advances divide is indicative and does not limit the actual costs, so a ceiling at the required advances
    would send the slow payers the advance exists for back to paying directly at the first overrun (a blind reader
    found one USD 7,143 above them). Advances pending financing are each bounded by the financing pledged, whose
    amount is yet to be agreed: their aggregate is then capped at ``cap`` (the estimated cost), without a margin.
    None when an amount is unknown and no cap applies, or nothing is advanced."""
    unknown = [a for a in advances if a.get("amount") is None]
    if not advances or (unknown and not (cap and all(a.get("up_to_pledge") for a in unknown))):
        return None
    total = cap if unknown else sum(a["amount"] for a in advances) * (1 + ADVANCE_MARGIN)
    if total <= 0:
        return None
    step = 10 ** max(math.floor(math.log10(total)) - 1, 0)
    return float(math.ceil(round(total / step, 6)) * step)


def advance_cap(advice: Advice) -> float | None:
    """The estimate that caps, in aggregate, Advances pending financing each bounded by an amount yet to be pledged
    (``_advance_financing``); None otherwise."""
    return _model_param(advice, "advance_cap")


def advance_ceiling_share(advances: list[dict[str, Any]]) -> float | None:
    """Without an estimate, the ceiling as a share of the actual costs: the advanced shares' sum rounded up to a
    whole per cent (88.28 % → 89 %); None when nothing is advanced."""
    shares = [a["share"] for a in advances if a.get("share") is not None]
    if not shares:
        return None
    return min(math.ceil(round(sum(shares) * 100, 6)) / 100, 1.0)


# ---------------------------------------------------------------- allocation


def allocate(scenario: Scenario, advice: Advice) -> CostAllocation:
    """Compute the shares of each party, and amounts when the estimated cost is known."""
    funding = scenario.funding
    currency = (funding.currency if funding else None) or "USD"
    models = {m.id: m for m in advice.cost_allocation.models}
    allocation = CostAllocation(models=list(models.values()), currency=currency)
    if "evacuee_repays" in models:
        models["evacuee_repays"].params |= {
            "parity": True,
            "hardship_waiver": True,
            "precondition_of_evacuation": False,
        }
    total = funding.estimated_cost if funding else None
    terms = cofinancing_terms(scenario, advice)
    if terms:
        # deducted from the actual costs once granted, never from the planning estimate (CofinancingTerms)
        models["net_of_cofinancing"].params |= {
            "provider": terms.provider,
            "max_rate": terms.max_rate,
            "base_rate": terms.base_rate,
            "seat_threshold": terms.threshold,
        }
    if not any(m in models for m in SHARED_MODELS):
        if "advance_and_recover" in models:
            appeal = "pooled_fund" in models and not any(m in models for m in OTHER_COST_ARTICLE_MODELS)
            _advance_financing(scenario, advice, models["advance_and_recover"], total, appeal)
        return allocation
    parts = _per_person(scenario, advice, 1.0)
    allocation.shares = _round_shares(parts, total)
    if "advance_and_recover" in models:
        _advance(scenario, advice, models["advance_and_recover"], parts, allocation, total)
    return allocation


# A liable private party whose name makes it a body of its members ("Association of Licensed Recruitment Agencies",
# "Syndicate of Recruitment Offices", "Council of Shipowners"): it recruits and employs no one.
_MEMBERS_BODY = re.compile(r"\b(association|federation|confederation|syndicate|council|chamber|union|league)\b", re.I)


def represents_members(scenario: Scenario, party_id: str) -> bool:
    """An employers' federation, or an employer or recruiter that is an association of recruitment agencies or of
    employers: it undertakes to inform its members, encourage their compliance and report, while the liability for
    repatriation stays with each recruitment agency and foreign principal under the law of the State of origin."""
    party = scenario.party(party_id)
    if party is None or party.kind not in LIABLE_KINDS:
        return False
    entity = split_organ(party.name, party.kind).entity
    return party.kind == "employers_federation" or bool(_MEMBERS_BODY.search(entity))


def _liable(scenario: Scenario, advice: Advice, signing: frozenset[str]) -> list[str]:
    """The liable employers and recruiters that sign, when the employer-liability model is suggested. Never a body
    of members (``represents_members``): it neither recruits nor employs the workers (the law of the State of origin
    puts the costs on the recruitment agency and the foreign principal)."""
    if not any(m.id == "employer_liability" for m in advice.cost_allocation.models):
        return []
    return list(
        dict.fromkeys(
            r.party
            for r in advice.holders("liable_private_party")
            if r.party in signing and not represents_members(scenario, r.party)
        )
    )


def seafaring(pop: Population) -> bool:
    """A group of seafarers: their repatriation is their shipowner's, abandonment included, secured by its financial
    security and arranged by the flag State where the shipowner fails (MLC 2006 Reg. 2.5, Standards A2.5.1-A2.5.2);
    the crew-change article governs it, so no part of it falls to their State's fund as unidentified."""
    return "seafarers" in (pop.sectors or ())


def unidentified_count(pop: Population) -> int:
    """How many workers of a group may have no identifiable recruitment agency or employer to repatriate them: those
    in an irregular situation. Their repatriation is met by their State's fund (where neither can be identified),
    never put on a recruiter. Workers abandoned by their employer are not among them: abandonment is the standard
    case of the agency's and principal's liability, which the fund advances and recovers."""
    return min(pop.count, round(pop.count * (pop.irregular_share or 0)))


def recovers(scenario: Scenario, pop: Population, law: bool, signing: frozenset[str]) -> bool:
    """A group whose State of nationality, a State Party that signs, advances the repatriation from its fund and
    recovers it from the recruitment agencies and foreign principals liable under its law: workers recruited through
    agencies where a repatriation-liability law applies (seafarers apart: the crew-change article governs them)."""
    return bool(
        law
        and pop.recruited_through_agencies
        and not seafaring(pop)
        and charged_state(scenario, pop.nationality, signing)
    )


def recovering_funds(scenario: Scenario, advice: Advice) -> list[tuple[str, str]]:
    """For each State of nationality that recovers the repatriation of its agency-recruited workers (``recovers``),
    when the employer-liability model is suggested, (the fund that meets it as it arises, the nationality): the
    State's own fund where it holds one, else the general bridging funder that advances its share, else the State."""
    if not any(m.id == "employer_liability" for m in advice.cost_allocation.models):
        return []
    signing = signed(scenario)
    law = bool(scenario.funding and scenario.funding.employer_liability_law)
    funds, general = bridging_funders(scenario, advice)
    pops = [p for p in scenario.populations or [] if p.count > 0 and recovers(scenario, p, law, signing)]
    states = dict.fromkeys(p.nationality for p in pops)
    return [(liability_fund(n, set(funds)) or general or n, n) for n in states]


def head_counts(scenario: Scenario, advice: Advice) -> dict[tuple[str, str, str], int]:
    """Who answers for how many persons assisted, by (bearer, why, nationality): "nationality" (the State of
    nationality, which signs), "liable" or "employed" (the liable employers and recruiters), "protected" (refugees,
    asylum-seekers, stateless persons and people who fear return, whatever their nationality) and "residual" (the
    other members of groups without a participating State of nationality), the last two carried by the protected
    bearer or its hole."""
    signing = signed(scenario)
    liable = _liable(scenario, advice, signing)
    model = any(m.id == "employer_liability" for m in advice.cost_allocation.models)
    law = model and bool(scenario.funding and scenario.funding.employer_liability_law)
    residual = protected_bearer(scenario, advice) or PROTECTED_HOLE
    counts: dict[tuple[str, str, str], int] = {}
    for pop in scenario.populations or []:
        if pop.count <= 0:
            continue
        key = _bearer(scenario, pop, liable, residual, law, signing)
        if key[1] == "employed" and seafaring(pop):
            continue  # the crew-change article alone puts their repatriation on the shipowner: no share here
        n = pop.count
        protected = protected_count(pop)
        if key[1] in ("nationality", "residual") and protected:
            # never charged to their State of origin: carried by the bearer the cost article names for them, and
            # counted as what they are (refugees, stateless persons), not as Migrants without a State Party, whether
            # or not their State of nationality takes part (a refugee agency carries refugees, not ordinary migrants)
            carried = (residual, "protected", pop.nationality)
            counts[carried] = counts.get(carried, 0) + protected
            n -= protected
        if key[1] in ("liable", "employed", "recovered") and not seafaring(pop) and (lost := unidentified_count(pop)):
            # no recruiter or employer to claim from: the State of nationality (its fund), else the residual bearer
            own = charged_state(scenario, pop.nationality, signing)
            met = (pop.nationality, "unidentified", pop.nationality) if own else (residual, "residual", pop.nationality)
            counts[met] = counts.get(met, 0) + lost
            n -= lost
        if n:
            counts[(*key, pop.nationality)] = counts.get((*key, pop.nationality), 0) + n
    return counts


def _per_person(scenario: Scenario, advice: Advice, remaining: float) -> list[_Part]:
    """Shares of the remaining cost by the persons each party answers for."""
    pops = [p for p in scenario.populations or [] if p.count > 0]
    counts = head_counts(scenario, advice)
    assisted = sum(counts.values())
    if not assisted or remaining <= 0:
        return []
    signing = signed(scenario)
    liable = _liable(scenario, advice, signing)
    funds = set(bridging_funders(scenario, advice)[0])
    parts = []
    for (bearer, why, nationality), n in counts.items():
        people = f"{n:,} of {assisted:,} persons assisted"
        # the protected and residual parts, where a Party only seeks them (an open bearer stays the table's holder)
        sought = scenario.party(bearer) is not None and not bears_whole_residual(scenario, bearer)
        if why == "recovered":
            basis = _recovered_basis(scenario, people, bearer, liable)
            fund = liability_fund(nationality, funds)
            parts.append(_Part(bearer, remaining * n / assisted, basis, fund, nationality, recovered=fund is not None))
        elif why in ("liable", "employed"):
            payers = liable if why == "liable" else [p for p in liable if _kind(scenario, p) != "recruiter"]
            parts += [
                _Part(p, remaining * n / assisted / len(payers), basis, liability_fund(nationality, funds), nationality)
                for p, basis in _liable_bases(scenario, advice, people, why, nationality, payers).items()
            ]
        elif why == "unidentified":
            basis = _unidentified_basis(scenario, people, _group(scenario, nationality, signing), bearer, funds)
            parts.append(_Part(bearer, remaining * n / assisted, basis))
        elif why == "protected":
            basis = (
                # stateless persons have no State of origin and need no group in brackets (round 19)
                f"{people}: stateless persons, {_carried(scenario, bearer)}"
                if nationality == "stateless"
                else f"{people}: refugees, asylum-seekers, stateless persons or persons who fear return "
                f"({_group(scenario, nationality, signing)}), not charged to their State of origin, "
                f"{_carried(scenario, bearer)}"
            )
            parts.append(_Part(bearer, remaining * n / assisted, basis, sought=sought))
        elif why == "residual":
            others = sorted({p.nationality for p in pops if not charged_state(scenario, p.nationality, signing)})
            groups = ", ".join(_group(scenario, o, signing) for o in others)
            basis = f"{people} without a participating State of nationality ({groups}), {_carried(scenario, bearer)}"
            parts.append(_Part(bearer, remaining * n / assisted, basis, sought=sought))
        else:
            parts.append(_Part(bearer, remaining * n / assisted, people))
    return parts


def _unidentified_basis(scenario: Scenario, people: str, group: str, state: str, funds: set[str]) -> str:
    """The basis of the share of workers in an irregular situation, met by their State of nationality (from its fund
    where it holds one) as the costs arise: the annex states who meets them and how recovery is decided, never that
    these workers' costs cannot be recovered. The State recovers them from any recruitment agency, employer or
    foreign principal found liable for their repatriation under its law, and bears what is not recovered."""
    fund = " from its fund" if state in funds else ""
    return (
        f"{people} ({group}), workers in an irregular situation: met by {_name(scenario, state)}{fund}, which "
        "recovers them from any recruitment agency, employer or foreign principal found liable for their repatriation "
        f"under {_law_of(scenario, state)}, and bears what is not recovered"
    )


def _law_of(scenario: Scenario, state: str) -> str:
    """The law on which the liability of agencies and principals rests: "the law of the Republic of X"."""
    name = _name(scenario, state)
    return f"the law of {name if name.lower().startswith('the ') or ' of ' not in name else 'the ' + name}"


def _recovered_basis(scenario: Scenario, people: str, state: str, liable: list[str]) -> str:
    """The basis of a State's share of its agency-recruited workers: advanced from its fund and recovered from the
    recruitment agencies and foreign principals liable under its law, each agency that takes part answering only for
    the workers it recruited and, where it cannot be bound, under that law rather than this instrument."""
    agencies = [p for p in liable if _kind(scenario, p) == "recruiter"]
    named = ""
    if agencies:
        names = " and ".join(_name(scenario, p) for p in agencies)
        named = f" ({names}, for the workers {'it' if len(agencies) == 1 else 'each'} recruited)"
    basis = (
        f"{people} ({_name(scenario, state)}), workers recruited through agencies, abandoned workers included: met "
        f"by {_name(scenario, state)} from its fund, which recovers them from the recruitment agencies{named} and the "
        f"foreign principals liable under {_law_of(scenario, state)}, and bears what is not recovered"
    )
    unbound = [_name(scenario, p) for p in agencies if not binds(scenario.party(p))]
    if unbound:
        basis += (
            f"; {' and '.join(unbound)} pays only what it undertakes to pay, its liability being enforceable "
            f"under {_law_of(scenario, state)}, not under this instrument"
        )
    return basis


def _liable_bases(
    scenario: Scenario, advice: Advice, people: str, why: str, nationality: str, payers: list[str]
) -> dict[str, str]:
    """The basis of each liable payer's share where no State of nationality recovers it: jointly and severally
    only among payers bound by the instrument; a Participant that cannot be bound pays only what it undertakes to
    pay, its liability resting on the applicable law, not on this instrument."""
    signing = signed(scenario)
    group = _group(scenario, nationality, signing)
    last = nationality if charged_state(scenario, nationality, signing) else protected_bearer(scenario, advice)
    rest = f"; what is not recovered from them is borne by {_name(scenario, last or PROTECTED_HOLE)}"
    split = "; the split between them is indicative" if len(payers) > 1 else ""
    bases = {}
    for p in payers:
        name = _name(scenario, p)
        if why == "employed":
            basis = (
                f"{people} ({group}), workers whose repatriation the law puts on their employers: borne by {name} "
                "to the extent that the contract of employment or the applicable law puts that cost on it"
            )
        elif binds(scenario.party(p)):
            basis = (
                f"{people} ({group}), recruited through agencies: borne by {name}, for the workers it recruited or "
                "employs, and the foreign principals, jointly and severally"
            )
        else:
            basis = f"{people} ({group}), recruited through agencies: borne by {name}, for the workers it recruited"
        if not binds(scenario.party(p)):
            basis += (
                f"; {name} pays only what it undertakes to pay, its liability being enforceable under the "
                "applicable law, not under this instrument"
            )
        bases[p] = basis + split + rest
    return bases


def liability_fund(nationality: str, funds: set[str]) -> str | None:
    """The fund that advances the repatriation of workers whom liable parties must repatriate: the fund of their own
    State of nationality where it holds one (RA 8042 §15: the welfare fund repatriates first and recovers); None
    when the general bridging funder advances (``_advance``)."""
    return nationality if nationality in funds else None


NOT_WORKERS = ("students", "tourists")


def _bearer(
    scenario: Scenario, pop: Population, liable: list[str], residual: str, law: bool, signing: frozenset[str]
) -> tuple[str, str]:
    """Who answers for a group: the State of nationality that advances and recovers the repatriation of workers
    recruited through agencies under its law (``recovers``); else the liable employers and recruiters for them, and,
    where a repatriation-liability law applies (shipowners under MLC 2006 Reg. 2.5, employers under RA 8042), for
    any group said to work in a sector (not students or tourists), however recruited, borne by the employers
    (not the recruiters) among them; else the State of nationality when it is a State Party that signs; else the
    bearer of groups without a participating State of nationality."""
    if recovers(scenario, pop, law, signing):
        return (pop.nationality, "recovered")
    if liable and pop.recruited_through_agencies:
        return (liable[0], "liable")
    employers = [p for p in liable if _kind(scenario, p) not in (None, "recruiter")]
    if employers and law and any(x not in NOT_WORKERS for x in pop.sectors or ()):
        return (employers[0], "employed")
    if charged_state(scenario, pop.nationality, signing):
        return (pop.nationality, "nationality")
    return (residual, "residual")


def _kind(scenario: Scenario, party_id: str) -> str | None:
    party = scenario.party(party_id)
    return party.kind if party else None


def _name(scenario: Scenario, party_id: str) -> str:
    party = scenario.party(party_id)
    return split_organ(party.name, party.kind).entity if party else party_id


GROUP_WORDS = {"other": "other nationalities", "stateless": "stateless persons"}


def _group(scenario: Scenario, nationality: str, signing: frozenset[str]) -> str:
    """A group's nationality in words: the State's name, "stateless persons", "other nationalities"; the nationals
    of a State that takes part without signing as such."""
    if charged_state(scenario, nationality, signing):
        return _name(scenario, nationality)
    if scenario.party(nationality) is not None:
        return f"nationals of {_name(scenario, nationality)}, which does not sign"
    return GROUP_WORDS.get(nationality, nationality.replace("_", " "))


def largest_remainder(units: int, weights: list[float]) -> list[int]:
    """``units`` (cents, hundredths of a per cent) divided in proportion to ``weights``, each part rounded down and
    the units left over going to the largest remainders (the earlier on a tie), so that the parts add up to
    ``units`` exactly and each is within one unit of its exact value: the one rounding of Annex B's amounts,
    its split rows and its percentages."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [0 for _ in weights]
    exact = [units * w / whole for w in weights]
    floors = [math.floor(round(e, 6)) for e in exact]
    for i in sorted(range(len(exact)), key=lambda i: (floors[i] - exact[i], i))[: max(units - sum(floors), 0)]:
        floors[i] += 1
    return floors


def _round_shares(parts: list[_Part], total: float | None) -> list[Share]:
    """Merge by party, round to 4 places and make the shares add to exactly 1; each share keeps its parts by basis
    (``Share.parts``) and its amount is rounded to the cent by largest remainder, as Annex B says (round 16: "one
    cent was shifted" to the last row)."""
    pieces: dict[str, dict[str, list]] = {}
    for part in parts:
        piece = pieces.setdefault(part.party, {}).setdefault(part.basis, [0.0, part.sought])
        piece[0] += part.fraction
    merged = {p: sum(v[0] for v in by_basis.values()) for p, by_basis in pieces.items()}
    whole = sum(merged.values())
    if whole <= 0:
        return []
    shares = [
        Share(
            party=p,
            share=round(f / whole, 4),
            basis="; ".join(pieces[p]),
            # sought, not borne, where every part of it is met from donor contributions the party only seeks
            sought=all(part.sought for part in parts if part.party == p),
            parts=[(basis, v[0] / f, v[1]) for basis, v in pieces[p].items()] if f else [],
        )
        for p, f in merged.items()
    ]
    shares[-1].share = round(1 - sum(s.share for s in shares[:-1]), 4)
    if total is not None:
        cents = largest_remainder(round(total * 100), list(merged.values()))
        for share, c in zip(shares, cents, strict=True):
            share.amount = c / 100
    return shares


# ---------------------------------------------------------------- advances


def bridging_funders(scenario: Scenario, advice: Advice) -> tuple[list[str], str | None]:
    """The Parties that may advance (bridging funders that sign) and the general one: the lead's fund first."""
    signing = signed(scenario)
    funders = list(dict.fromkeys(r.party for r in advice.holders("bridging_funder") if r.party in signing))
    lead = _lead(advice)
    return funders, (lead if lead in funders else (funders[0] if funders else None))


def _advance(
    scenario: Scenario,
    advice: Advice,
    model: CostModelAdvice,
    parts: list[_Part],
    allocation: CostAllocation,
    total: float | None,
) -> None:
    """Bridging funders advance what late payers owe and recover it; the figures go into the model params.

    Workers recruited through agencies are advanced by their State's fund where it has one (RA 8042 §15:
    the welfare fund repatriates first and recovers); everything else by the lead's bridging fund, or another's.
    Each advance says whose cost it meets (``workers_of``: the nationality of the workers, for a liable party), so
    that one fund meets each cost. Nothing is advanced pending co-financing: the shares are computed before it, so
    no part of the estimate waits for a grant that may cover far less of it.
    """
    _, general = bridging_funders(scenario, advice)
    whole = sum(p.fraction for p in parts) or 1.0
    sums: dict[tuple[str, str, str | None], float] = {}
    for part in parts:
        if part.recovered and part.advanced_by:
            # the State's fund advances what the agencies and principals liable under its law owe, and recovers it
            key = (part.advanced_by, RECOVERED_FROM, part.workers_of)
            sums[key] = sums.get(key, 0.0) + part.fraction / whole
            continue
        by = part.advanced_by or general
        if by is not None and by != part.party and _pays_late(scenario, part.party):
            key = (by, part.party, part.workers_of)
            sums[key] = sums.get(key, 0.0) + part.fraction / whole
    advances = []
    # an advance of a Party's whole share is that share's amount in Annex B's table (rounded there by largest
    # remainder), never a second rounding of the same figure (round 17: ".61 in the text, .62 in the table")
    owed = {sh.party: sh for sh in allocation.shares}
    party_fraction: dict[str, float] = {}
    for part in parts:
        party_fraction[part.party] = party_fraction.get(part.party, 0.0) + part.fraction / whole
    for (by, payer, workers_of), fraction in sums.items():
        amount = round(total * fraction, 2) if total is not None else None
        share = owed.get(payer)
        if share is not None and share.amount is not None and math.isclose(fraction, party_fraction.get(payer, -1)):
            amount = share.amount
        made = {"by": by, "for": payer, "share": round(fraction, 4), "amount": amount}
        if _kind(scenario, payer) in LIABLE_KINDS or payer == RECOVERED_FROM:
            made |= {"liable": True, "workers_of": workers_of, "recovered": payer == RECOVERED_FROM}
        advances.append(made)
    for share in allocation.shares:
        names = [_name(scenario, a["by"]) for a in advances if a["for"] == share.party]
        if names:
            share.basis += f"; advanced by {' and '.join(dict.fromkeys(names))} and recovered later"
    if advances:
        model.params |= {"advances": advances}


def _advance_financing(
    scenario: Scenario, advice: Advice, model: CostModelAdvice, total: float | None, appeal: bool = False
) -> None:
    """Where no shares are computed (own costs, a pooled appeal, development-bank financing) but the costs are to be
    met from financing that comes late (a development bank or donor Party, or a donor State, that signs and disburses
    after the bridging threshold), the bridging funder (the lead's fund first) advances the costs pending that
    financing and recovers them from it on disbursement (IOM MEFM; World Bank IDA to Bangladesh 2011, retroactive;
    R-FUND-1). Where a donor appeal funds a pooled fund (``appeal``), the bridging funder also advances the costs the
    fund is to meet pending the appeal's proceeds, recovered from the fund (``for`` None: no Party owes them), up to
    the estimate."""
    _, by = bridging_funders(scenario, advice)
    if by is None:
        return
    signing = signed(scenario)
    late = [
        p.id
        for p in scenario.parties
        if p.id != by and _is_funder(scenario, p.id) and p.id in signing and _pays_late(scenario, p.id)
    ]
    if not late and not appeal:
        return
    # bounded by what each pledges, an amount yet to be agreed: never the whole estimate split among them
    made = [
        {"by": by, "for": pid, "financing": True, "share": None, "amount": None, "up_to_pledge": True} for pid in late
    ]
    if appeal:
        appeal_advance = {"by": by, "for": None, "financing": True, "appeal": True, "up_to_pledge": True}
        made.append(appeal_advance | {"share": None, "amount": None})
    model.params |= {"advances": made, "advance_cap": total}


def settle_appeal_advances(advice: Advice) -> None:
    """An Advance pending the proceeds of a donor appeal is recovered from the pooled fund the appeal feeds: where
    the cost article chosen is not the pooled fund's (each Party bears its own costs, or shares are computed), no
    fund exists to recover it from and no article or annex states it, so it is dropped (a blind reading's draft
    kept it in the figures while saying nothing of it). Called once the clauses are chosen."""
    if next((c.variant for c in advice.clauses if c.id == "cost_allocation"), None) == "pooled_fund":
        return
    for model in advice.cost_allocation.models:
        made = model.params.get("advances") if model.id == "advance_and_recover" else None
        if isinstance(made, list) and any(a.get("appeal") for a in made):
            kept = [a for a in made if not a.get("appeal")]
            model.params = {k: v for k, v in model.params.items() if k != "advances"} | (
                {"advances": kept} if kept else {}
            )


def final_bearers(scenario: Scenario, advice: Advice) -> list[str]:
    """The binding Parties that bear in the end what no one else pays (an Advance not recovered, financing pledged
    but not disbursed): the States of nationality of the persons assisted that sign and can be bound, each for its
    own nationals (in a State's own scheme, that State); else the bearer of persons without a participating State
    (``protected_bearer``). Never a Participant that cannot be bound, a donor or a development bank beyond its
    pledge. Empty when no Party fits (the articles then show a hole), and when the chosen model bills no State of
    nationality (``bills_nationality``): the balance is then dealt with as the cost article deals with a cost that is
    not otherwise met."""
    if not bills_nationality(scenario, advice):
        return []
    signing = signed(scenario)
    nationalities = {g.nationality for g in scenario.populations or [] if g.count > 0}
    states = [
        p.id for p in scenario.parties if p.kind == "state" and p.id in nationalities and p.id in signing and binds(p)
    ]
    bearer = protected_bearer(scenario, advice)
    return states or ([bearer] if bearer else [])


# Cost articles under which States of nationality pay for their nationals: a per-person share, reimbursement by the
# State of nationality, or financing of its nationals' costs through a development bank.
NATIONALITY_BILLING_VARIANTS = ("pro_rata", "nationality_reimburses", "development_bank")


def bills_nationality(scenario: Scenario, advice: Advice) -> bool:
    """The chosen cost model attributes costs to States of nationality: the Parties share costs
    (``funding.share_costs`` is not false) and the cost article makes each State of nationality pay for its nationals.
    Otherwise (own costs, a pooled fund, mutual aid) a cost no one else pays stays with the Party that incurred it."""
    if own_costs(scenario):
        return False
    variant = next((c.variant for c in advice.clauses if c.id == "cost_allocation"), None)
    return variant in NATIONALITY_BILLING_VARIANTS


def advances(advice: Advice) -> list[dict[str, Any]]:
    """The advances computed by the cost allocation (who advances what for whom)."""
    out: list[dict[str, Any]] = []
    for m in advice.cost_allocation.models:
        if m.id == "advance_and_recover" and isinstance(m.params.get("advances"), list):
            out += m.params["advances"]
    return out


def repatriation_fund_payers(scenario: Scenario, advice: Advice) -> list[str]:
    """The States that pay for an organization's services to their nationals (``service_payers``) and whose own fund
    meets those nationals' repatriation costs as they arise under the employer-liability article
    (``recovering_funds``): that fund pays those services too, in one way (on account before they are provided, the
    itemised claims of the cost article settling the balance), never also as Advances of the advance article
    (round 12: one transport paid within 12 months, on account and as the costs arose, in three articles)."""
    own = {nationality for fund, nationality in recovering_funds(scenario, advice) if fund == nationality}
    return [p for p in service_payers(scenario) if p in own]


def bridged_advances(advice: Advice) -> list[dict[str, Any]]:
    """The Advances under the advance article: every advance computed except what a State's fund meets as the costs
    arise and recovers under the employer-liability article, which is met and recovered under that article alone
    (one mechanism per cost). Where none is left, a Bridging Party advances only, at another Party's request, costs
    that Party bears, never costs it bears itself (round 12: a State advancing, on account and as they arise, the
    costs it bears itself)."""
    return [a for a in advances(advice) if not a.get("recovered")]


def recovery_sources(scenario: Scenario, advice: Advice) -> list[str]:
    """The sources from which an Advance can be recovered, in the words of the advance article, only those the
    scenario has: reimbursement by States of nationality where the cost article bills them (``billed_states``),
    contributions from donors where donors are appealed to or pledge, co-financing where its model applies
    (``cofinancing_terms``), financing by a development bank that signs, and payment by the employers or recruitment
    agencies liable under applicable law where the employer-liability model names any (a list of sources that do
    not exist read as boilerplate)."""
    funding = scenario.funding
    sources = []
    if bills_nationality(scenario, advice) and billed_states(scenario, advice):
        sources.append("reimbursement by States of nationality")
    if (funding and funding.donor_appeal_possible) or pledgers(scenario, advice) or invited_funders(scenario, advice):
        sources.append("contributions from donors")
    if cofinancing_terms(scenario, advice):
        sources.append("co-financing")
    if financing_banks(scenario):
        sources.append("financing by a development bank")
    if any(a.get("liable") and not a.get("recovered") for a in advances(advice)):
        # only where an Advance is of costs employers owe: what a State fund meets and recovers under the employer
        # article is no Advance, so employers are no source of an Advance's recovery (round 11: four drafts named
        # them as the only source while excluding those costs from the Advances)
        sources.append("payment by employers or recruitment agencies liable under applicable law")
    return sources


def _pays_late(scenario: Scenario, party_id: str) -> bool:
    party = scenario.party(party_id)
    if party is None:
        return False
    if party.kind in LIABLE_KINDS:
        return True  # liable parties pay on recovery, after the evacuation
    caps = party.capacities
    if party.kind == "state" and caps and caps.consular_presence in LOW_CAPACITY_PRESENCE:
        return True  # a State with no more than an honorary consul on the spot cannot pay there in time
    days = caps.funding_lead_days if caps else None
    return days is not None and days > LATE_AFTER_DAYS
