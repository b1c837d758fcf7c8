"""Roles and duties that hold together (legal readings of the blind drafts, issue 12), each class as an invariant over
every example (shipped `scenarios/`, `training/` and the blind corpus) and on small scenarios built here:

1. every role Annex A shows has an operative sentence naming its holder (or it is not in Annex A);
2. one Representing State for each represented State, the others backing up;
3. an issuer of emergency travel documents for nationals of States that are not Parties or have no post;
4. an activation article wherever the draft speaks of activation, and who decides said once;
5. a State's own scheme: the non-discrimination, operations and prioritisation articles serve the persons its scope
   covers, not every nationality;
6. the nationals of a State who all flee it: nobody represents that State towards them, documents them on its behalf
   or counts them as unrepresented, and a host that receives people is not the State they fled;
7. transport tied to the leg and the route it serves;
8. Transit State duties only where there are, or may be, Transit States."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from assistant.domain.advice import Advice
from assistant.domain.assembly import (
    ROLE_ARTICLES,
    data_rows,
    operative_roles,
    party_name,
    post_rows,
    transport_legs,
)
from assistant.domain.evaluate import OWN_SCHEME_RULES, evaluate
from assistant.domain.scenario import Scenario, parse_scenario
from assistant.domain.signing import all_at_risk
from assistant.domain.territory import territory
from assistant.domain.vocab import ROLES

ROOT = Path(__file__).resolve().parents[2]


def examples() -> list[tuple[str, dict]]:
    out = [(p.stem, yaml.safe_load(p.read_text())) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    out += [(p.stem, yaml.safe_load(p.read_text())["scenario"]) for p in sorted((ROOT / "training").glob("*.yaml"))]
    out += [(p.stem, yaml.safe_load(p.read_text())["scenario"]) for p in sorted((ROOT / "tests/blind").glob("*.yaml"))]
    return out


EXAMPLES = dict(examples())
IDS = sorted(EXAMPLES)


@cache
def example(name: str) -> tuple[Scenario, Advice]:
    scenario = parse_scenario(EXAMPLES[name])
    return scenario, evaluate(scenario)


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def variant(advice: Advice, clause: str) -> str | None:
    return next((c.variant for c in advice.clauses if c.id == clause), None)


def sentences(advice: Advice) -> list[str]:
    """The sentences of the operative articles (not the definitions)."""
    out: list[str] = []
    for a in advice.draft.articles:
        if a.clause != "definitions":
            out += re.split(r"(?<=[.;:])(?<!Co\.)\s+(?=[A-Z(])", a.text)  # "Lotus Electronics Co. Ltd" is one name
    return out


def state(pid: str, name: str, *roles: str, **caps) -> dict:
    return {"id": pid, "name": name, "kind": "state", "crisis_roles": list(roles), "capacities": caps}


def build(parties, populations, *, kind="armed_conflict", host="host", transit=(), **extra) -> tuple[Scenario, Advice]:
    data = {
        "title": "Test",
        "crisis": {"kind": kind, "phase": "emergency_response"},
        "host_state": host,
        "transit_states": list(transit),
        "parties": parties,
        "populations": populations,
        **extra,
    }
    scenario = parse_scenario(data)
    return scenario, evaluate(scenario)


IOM = {"id": "iom", "name": "International Organization for Migration", "kind": "international_organization",
       "mandates": ["migration"]}  # fmt: skip


# ---------------------------------------------------------------- 1. every role in Annex A has a duty

# The words of the duty each role carries, to be found in one sentence of an article with its holder's name.
DUTIES = {
    "lead": r"as the Lead Party|Lead Party \(",
    "backup_lead": r"as the Backup Lead Party",
    "operation_lead": r"Operation Lead",
    "representing_state": r"Representing State",
    "host_liaison": r"host liaison",
    "transit_facilitator": r"Reception Points shall be operated|Transit State",
    "transport_provider": r"[Tt]ransport (shall|will) be provided|[Tt]ransport to safe areas",
    "logistics_provider": r"[Ss]helter|[Ff]ood",  # a food supplier alone is named for food (assembly.food_providers)
    "identity_documents": r"[Ii]dentity|travel document",
    "information_focal_point": r"Information to Migrants (shall|will) be coordinated|information focal point",
    "protection_referral": r"[Rr]eferr",
    "voluntary_return": r"return",
    "counter_trafficking_referral": r"trafficking",
    "child_protection": r"[Cc]hild",
    "family_tracing": r"tracing|[Ff]amily [Ll]inks",
    "health_provider": r"[Hh]ealth care",
    "funder": r"fund|contribut|financ|meet",
    "bridging_funder": r"[Aa]dvance",
    "deploying_partner": r"deploy",
    # a representative body of employers or agencies informs and asks its members (who are the liable ones)
    "liable_private_party": r"liab|bear|repatriat|return the passports|pay|(?:inform|ask) (?:its|their) members",
    "civil_society_liaison": r"liaison between the Parties and Migrant communities",
    "data_controller": r"controller",
    "monitoring_evaluation": r"monitor",
    "institutional_support": r"institutional support",
}
# Duties every holder of the role has without being named: "Each State of nationality shall designate a consular
# focal point".
GENERIC_DUTIES = {
    "consular_focal_point": (
        r"Each State of nationality (?:that is a Party (shall|will) retain|retains)[^.]*\. "
        r"(?:It (shall|will) designate|The Lead Party (shall|will) invite each of them to designate) "
        r"a consular focal point"
    )
}


def test_every_role_has_its_articles_and_its_duty():
    assert set(ROLE_ARTICLES) == set(ROLES)
    assert set(DUTIES) | set(GENERIC_DUTIES) == set(ROLES)


@pytest.mark.parametrize("name", IDS)
def test_every_role_in_annex_a_has_an_operative_sentence_naming_its_holder(name):
    scenario, advice = example(name)
    annex = advice.draft.annexes[0]
    shown = [r for r in operative_roles(advice) if r.role != "data_controller"]
    controllers = data_rows(scenario, advice)  # every controller the data article and the Protocol name
    assert len(annex.rows) == len(shown) + len(controllers) + len(post_rows(scenario, advice))
    said = sentences(advice)
    protocol = [x for a in advice.draft.annexes if a.clause == "data_sharing_protocol" for x in a.text.split("\n")]
    for pid, _ in controllers:
        holder = party_name(scenario, pid)
        assert any(holder in s and re.search(DUTIES["data_controller"], s, re.I) for s in said + protocol), holder
    text = "\n".join(a.text for a in advice.draft.articles)
    for r in shown:
        if r.role in GENERIC_DUTIES:
            assert re.search(GENERIC_DUTIES[r.role], text), f"{r.role} has no duty in the articles"
            continue
        holder = party_name(scenario, r.party)
        assert any(holder in s and re.search(DUTIES[r.role], s) for s in said), (
            f"Annex A shows {r.role} for {holder}, but no article says what it does"
        )


def test_a_civil_society_liaison_and_a_health_provider_are_told_what_they_do():
    _, advice = build(
        [
            state("host", "Republic of Hostia", "host"),
            state("kesh", "Republic of Kesh", "origin", consular_presence="embassy"),
            {"id": "forum", "name": "Kesh Workers' Forum", "kind": "migrant_association"},
            {"id": "clinic", "name": "Hostia Health Network", "kind": "ngo", "mandates": ["health"]},
        ],
        [{"nationality": "kesh", "count": 900, "irregular_share": 0.4}],
        agreement_types=["family_tracing"],
        services_needed=["health_care", "family_tracing"],
    )
    roles = article(advice, "roles")
    assert re.search(
        r"Kesh Workers' Forum[^.]*, as liaison between the Parties and Migrant communities and civil society, "
        r"(shall|will) relay",
        roles,
    )
    assert re.search(r"Health care for Migrants (shall|will) be provided by [^.]*Hostia Health Network", roles)


def test_a_role_whose_article_is_not_in_the_draft_is_not_in_annex_a():
    """A bridging fund with no article setting up advances is no duty: the role stays in the advice; Annex A drops
    it."""
    found = False
    for name in IDS:
        _, advice = example(name)
        if advice.holders("bridging_funder") and not article(advice, "bridging_fund"):
            found = True
            assert not any(row[0] == "bridging funder" for row in advice.draft.annexes[0].rows)
    assert found, "no example has a bridging funder without the bridging-fund article: the case is untested"


# ---------------------------------------------------------------- 2. one Representing State per represented State


def two_posts(lead_first: bool = False):
    return build(
        [
            state("host", "Republic of Hostia", "host"),
            state("aland", "Kingdom of Aland", "origin", consular_presence="consulate"),
            state("borea", "Republic of Borea", "origin", consular_presence="embassy", transport=["air"]),
            state("celia", "Republic of Celia", "origin", consular_presence="none"),
        ],
        [
            {"nationality": "aland", "count": 500},
            {"nationality": "borea", "count": 800},
            {"nationality": "celia", "count": 300},
        ],
        agreement_types=["consular_representation", "evacuation_relocation"],
        services_needed=["evacuation_transport", "travel_documents"],
    )


def test_one_representing_state_acts_for_a_represented_state_and_the_other_backs_up():
    _, advice = two_posts()
    candidates = {r.party for r in advice.holders("representing_state") if r.for_ == "celia"}
    assert candidates == {"aland", "borea"}
    rows = [row for row in advice.draft.annexes[0].rows if row[2] == "Republic of Celia"]
    principal = [row[1] for row in rows if row[0] == "representing State"]
    assert len(principal) == 1
    lead = advice.holders("lead")[0].party
    if lead in candidates:
        assert principal == [party_name(advice_scenario(), lead)]
    assert [row[0] for row in rows if row[1] not in principal] == ["backup representing State"]
    text = article(advice, "consular_representation")
    assert re.search(r'\(the "Representing State"\)', text)
    assert "shall act in its place" in text


def advice_scenario() -> Scenario:
    scenario, _ = two_posts()
    return scenario


@pytest.mark.parametrize("name", IDS)
def test_one_representing_state_for_each_represented_state(name):
    _, advice = example(name)
    rows = advice.draft.annexes[0].rows
    principals: dict[str, list[str]] = {}
    for role, party, for_ in rows:
        if role == "representing State":
            principals.setdefault(for_, []).append(party)
    assert all(len(v) == 1 for v in principals.values()), principals
    for role, _, for_ in rows:
        if role == "backup representing State":
            assert for_ in principals
    if variant(advice, "consular_representation") != "standard":
        assert not principals
        assert not any("representing" in row[0] for row in rows)
    first = article(advice, "consular_representation").split("\n\n")[0]
    assert 'each a "Representing State") shall, upon appropriate notification' not in first or "namely" in first


# ---------------------------------------------------------------- 3. an issuer of travel documents for everyone


def nationals_without_a_post(*ios: dict, represented: bool = False):
    parties = [
        state("host", "Republic of Hostia", "host"),
        state("kesh", "Republic of Kesh", "origin", consular_presence="embassy" if represented else "honorary"),
        state("celia", "Republic of Celia", "origin", consular_presence="none"),
        *ios,
    ]
    return build(
        parties,
        [
            {"nationality": "kesh", "count": 800},
            {"nationality": "celia", "count": 200},
            {"nationality": "other", "count": 150},
        ],  # fmt: skip
        agreement_types=["evacuation_relocation", "identity_verification"],
        services_needed=["evacuation_transport", "travel_documents", "identity_verification"],
    )


ICRC = {"id": "icrc", "name": "International Committee of the Red Cross", "kind": "international_organization",
        "mandates": ["family_tracing"], "capacities": {"travel_documents": True}}  # fmt: skip


def test_an_organization_that_issues_travel_documents_issues_them_to_nationals_of_states_not_parties():
    _, advice = nationals_without_a_post(ICRC)
    text = article(advice, "identity_documents")
    assert re.search(
        r"for nationals of [^;.]*States that are not Parties, by the International Committee of the Red Cross, "
        r"on an emergency travel document of its own",
        text,
    )


def test_without_such_an_organization_the_parties_request_the_state_of_nationality_not_silence():
    _, advice = nationals_without_a_post()
    text = article(advice, "identity_documents")
    assert (
        "for nationals of States that are not Parties, through the nearest mission of their State of nationality, "
        "which the Parties shall request to issue them" in text
    )
    # Kesh has only an honorary consul, which issues no travel documents: it is in the same position as Celia
    assert re.search(
        r"for nationals of the Republic of Kesh and the Republic of Celia, by their State of nationality through its "
        r"nearest mission",
        text,
    )


def test_a_state_without_a_post_has_its_documents_issued_by_its_representing_state():
    _, advice = nationals_without_a_post(represented=True)
    if variant(advice, "consular_representation") == "standard":
        assert "for nationals of the Republic of Celia, by the Republic of Kesh, as Representing State" in article(
            advice, "identity_documents"
        )


@pytest.mark.parametrize("name", IDS)
def test_nationals_of_states_not_parties_or_without_a_post_have_an_issuer(name):
    scenario, advice = example(name)
    text = article(advice, "identity_documents") or article(advice, "roles")
    leaving = any(o.id in ("evacuation", "onward_travel", "return") for o in territory(scenario).operations)
    if "travel_documents" not in (scenario.services_needed or []) and not leaving:
        pytest.skip("no travel documents needed and nobody leaves: no Laissez-passer to issue")
    for g in scenario.populations or []:
        p = scenario.party(g.nationality)
        if g.nationality == "stateless" or not g.count or all_at_risk(scenario, g.nationality):
            continue
        no_post = p is not None and p.kind == "state" and p.capacities and p.capacities.consular_presence == "none"
        if p is None or no_post:
            who = "States that are not Parties" if p is None else party_name(scenario, p.id)
            assert re.search(r"for nationals of [^;]*" + re.escape(who) + r"[^;]*, (?:by|through) ", text), who


# ---------------------------------------------------------------- 4. activation


@pytest.mark.parametrize("name", IDS)
def test_an_activation_article_wherever_activation_is_spoken_of_and_who_decides_said_once(name):
    _, advice = example(name)
    text = "\n".join(a.text for a in advice.draft.articles if a.clause != "activation")
    if re.search(r"\bactivat", text):
        assert article(advice, "activation"), "the draft refers to activation but has no activation article"
    for s in sentences(advice):
        if re.search(r"\bactivat|[Aa]lert [Pp]hase", s):
            assert "by the Parties jointly" not in s, s
    for clause in ("roles", "coordination"):
        assert "decides on the activation of its own arrangements" not in article(advice, clause)
    if variant(advice, "activation") == "own_alert_phases":
        assert "Each State of nationality shall determine" not in "\n".join(a.text for a in advice.draft.articles)


def test_an_arrangement_that_moves_nobody_is_activated_without_evacuation_phases():
    _, advice = build(
        [
            state("host", "Republic of Hostia", "host"),
            state("kesh", "Republic of Kesh", "origin"),
            {"id": "rc", "name": "Hostia Red Crescent", "kind": "national_society", "mandates": ["family_tracing"]},
        ],  # fmt: skip
        [{"nationality": "kesh", "count": 400}],
        agreement_types=["family_tracing"],
        services_needed=["family_tracing"],
    )
    text = article(advice, "activation")
    assert text
    assert "mandatory evacuation phase" not in text
    assert "activated for the Crisis now affecting the Republic of Hostia" in text


# ---------------------------------------------------------------- 5. a State's own scheme


OWN_SCHEME_CONTRADICTIONS = (
    "reserved to persons of one nationality",
    "move Migrants of several nationalities together",
    "carried on the same terms",
    "irrespective of nationality",
    "Transport that a State provides for its own nationals in addition",
)


def own_scheme(advice: Advice) -> bool:
    lead = advice.holders("lead")
    return bool(lead) and any(r in OWN_SCHEME_RULES for r in lead[0].because)


def test_the_corpus_has_own_schemes_with_the_articles_concerned():
    schemes = [n for n in IDS if own_scheme(example(n)[1])]
    assert any(article(example(n)[1], "non_discrimination") for n in schemes)
    assert any(article(example(n)[1], "prioritisation") for n in schemes)


@pytest.mark.parametrize("name", IDS)
def test_an_own_scheme_serves_the_persons_its_scope_covers(name):
    _, advice = example(name)
    if not own_scheme(advice):
        pytest.skip("not a State's own scheme")
    for clause in ("non_discrimination", "operations", "prioritisation"):
        text = article(advice, clause)
        for phrase in OWN_SCHEME_CONTRADICTIONS:
            assert phrase not in text, f"{clause}: {phrase!r} contradicts the scope of the scheme"
    if article(advice, "prioritisation"):
        assert "among the persons it covers" in article(advice, "prioritisation")


# ---------------------------------------------------------------- 6. nationals who all flee their State


def reception_centre():
    return build(
        [
            state("tadj", "Republic of Tadj", "host", "transit", reception=True, shelter=True),
            {
                "id": "unhcr",
                "name": "Office of the United Nations High Commissioner for Refugees",
                "kind": "international_organization",
                "mandates": ["refugee_protection"],
            },  # fmt: skip
            {**IOM, "capacities": {"transport": ["sea", "air"]}},
            state("hadr", "Federal Republic of Hadr", "origin", consular_presence="embassy", travel_documents=True),
            state("somr", "Federal Republic of Somr", "origin", consular_presence="none"),
        ],
        [
            {"nationality": "hadr", "count": 3000, "vulnerabilities": {"fear_of_return": 200}},
            {"nationality": "somr", "count": 2000, "vulnerabilities": {"refugees_or_asylum_seekers": 2000}},
        ],
        host="tadj",
        agreement_types=["protection_referral"],
        services_needed=["protection_referral", "reception", "onward_travel", "travel_documents", "shelter"],
        data={"personal_data_shared": True, "shared_with_origin_states": True},
    )


def test_nobody_acts_for_a_state_towards_nationals_who_all_flee_it():
    scenario, advice = reception_centre()
    assert not [r for r in advice.holders("representing_state") if r.for_ == "somr"]
    assert not [r for r in advice.holders("identity_documents") if r.for_ == "somr"]
    assert "unrepresented_nationals" not in {f.id for f in advice.risk_flags}
    assert not article(advice, "consular_representation")
    assert not any(row[2] == "Federal Republic of Somr" for row in advice.draft.annexes[0].rows)
    assert (
        "Federal Republic of Somr"
        not in " ".join(
            t for t in [article(advice, "identity_documents"), article(advice, "roles")] if "for nationals of" in t
        ).split("for nationals of", 1)[-1]
    )


def test_a_host_that_receives_people_is_not_the_state_they_fled():
    scenario, advice = reception_centre()
    assert not territory(scenario).host_fled
    definitions = article(advice, "definitions")
    assert "are leaving" not in definitions
    assert "Republic of Tadj, which" not in article(advice, "non_refoulement")


@pytest.mark.parametrize("name", IDS)
def test_no_state_is_represented_or_documented_for_nationals_who_all_flee_it(name):
    scenario, advice = example(name)
    for p in scenario.parties:
        if p.kind == "state" and all_at_risk(scenario, p.id):
            assert not [r for r in advice.holders("representing_state") if r.for_ == p.id]
            assert not any(row[2] == party_name(scenario, p.id) and "represent" in row[0]
                           for row in advice.draft.annexes[0].rows)  # fmt: skip


# ---------------------------------------------------------------- 7. transport tied to its leg and route


def sea_only(kind="armed_conflict"):
    return build(
        [
            state("host", "Republic of Hostia", "host"),
            state("kesh", "Republic of Kesh", "origin", consular_presence="embassy"),
            {**IOM, "capacities": {"transport": ["air"]}},
            {"id": "ferries", "name": "Meridian Ferries", "kind": "carrier", "capacities": {"transport": ["sea"]}},
        ],
        [{"nationality": "kesh", "count": 900}],
        kind=kind,
        agreement_types=["evacuation_relocation"],
        services_needed=["evacuation_transport"],
        host_conditions={"routes": {"air": "closed", "sea": "open", "land": "closed"}},
    )


def test_no_transport_by_a_closed_route():
    _, advice = sea_only()
    assert "iom" not in {r.party for r in advice.holders("transport_provider")}
    text = article(advice, "operations")
    assert "for Evacuation from the Republic of Hostia, by sea by Meridian Ferries" in text
    assert "by air" not in text


def test_in_an_epidemic_a_closed_route_carries_only_movements_the_host_authorizes():
    _, advice = sea_only(kind="epidemic")
    text = article(advice, "operations")
    assert re.search(
        r"by air, on movements that the Republic of Hostia authorizes notwithstanding the closure of the air route, "
        r"by the International Organization for Migration",
        text,
    )


@pytest.mark.parametrize("name", IDS)
def test_each_transport_leg_is_on_an_open_route_and_onward_travel_leaves_from_the_state_of_arrival(name):
    scenario, advice = example(name)
    where = territory(scenario)
    routes = scenario.host_conditions.routes if scenario.host_conditions else None
    for leg in transport_legs(scenario, advice, where):
        if leg.startswith("for Evacuation"):
            assert not where.at_border
            for mode, phrase in (("air", "by air"), ("sea", "by sea"), ("land", "by land")):
                if routes and getattr(routes, mode) == "closed" and phrase in leg:
                    assert scenario.crisis.kind == "epidemic", leg
                    assert "notwithstanding the closure" in leg, leg
        if leg.startswith("for onward travel from the territory of"):
            states = where.states_of("onward_travel") or [scenario.host_state]
            assert any(party_name(scenario, s) in leg for s in states)
    for r in advice.holders("transport_provider"):
        if r.party == scenario.host_state:
            assert not any(b.startswith("role.transport_provider.onward_travel") for b in r.because)


# ---------------------------------------------------------------- 8. Transit State duties


@pytest.mark.parametrize("name", IDS)
def test_transit_state_duties_only_where_there_are_or_may_be_transit_states(name):
    scenario, advice = example(name)
    where = territory(scenario)
    moves = any(o.id in ("relocation", "evacuation", "onward_travel") for o in where.operations)
    if not where.arrival and not moves:
        for clause in ("roles", "coordination", "activation", "identity_documents"):
            assert "Transit State" not in article(advice, clause), clause
    arrival = {party_name(scenario, a) for a in where.arrival}
    for clause in ("non_discrimination", "transit_reception"):
        for m in re.finditer(
            r"(?:namely |)((?:the )?[A-Z][\w'()-]*(?: [\w'()-]+)*?),? as Transit States?", article(advice, clause)
        ):
            assert any(a in m.group(1) for a in arrival), m.group(0)
    named = re.search(r"Each Transit State, namely ([^,]+(?:, [^,]+)*?), shall", article(advice, "transit_reception"))
    if named:
        assert all(any(a in part for a in arrival) for part in re.split(r",| and ", named.group(1)) if part.strip())
