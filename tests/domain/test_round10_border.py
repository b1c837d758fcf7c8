"""Round-10 legal readings: borders, transit and the host's undertakings where they actually apply (invariants over
the whole corpus: shipped, training and blind scenarios).

- A transit or reception arrangement admits the people arriving from the State in crisis by their own means as well
  as those moved under the Agreement (kuwait: most arrivals came by the open land route).
- Protective undertakings bind the State where people are received: where the operation departs from inside the
  State in crisis, each bound State of arrival keeps immigration enforcement away from its Reception Points and
  shelters and lets consular personnel reach the people there.
- A host State that is itself a State of arrival, with reception among the services, admits people at its border,
  does not reject them at the frontier, registers them and lets them stay (Obock 2015).
- Voluntary return never goes to the State people flee while the Crisis lasts.
- At a border operation the firewall covers shelters and services away from the crossings, where entry formalities
  take place; it does not put the crossing itself out of bounds.
- Consular personnel reach a person who fears their State only at his or her request.
- In an epidemic, movement restrictions are health measures: no amnesty for breaching them; and an instrument for
  seafarers only has one transit regime, the crew-change article's.
- The host's waivers follow a scope limited to one State's nationals or to seafarers.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.assembly import in_text, party_name
from assistant.domain.evaluate import evaluate
from assistant.domain.names import territorial
from assistant.domain.signing import signs
from assistant.domain.territory import host_receives, territory
from tests.domain.corpus import corpus_scenarios

SCENARIOS = corpus_scenarios()
IDS = [name for name, _ in SCENARIOS]


@cache
def _draft(index: int) -> dict:
    return evaluate(SCENARIOS[index][1]).to_contract()["draft"]


def _article(draft: dict, clause: str) -> str | None:
    return next((a["text"] for a in draft["articles"] if a.get("clause") == clause), None)


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def _seafarers_only(draft: dict) -> bool:
    scope = _article(draft, "scope") or ""
    return "applies to seafarers" in scope or "who are seafarers" in scope


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_transit_admits_people_arriving_by_their_own_means(index):
    """Where the evacuation departs from inside the State in crisis, the transit article admits those who leave it by
    their own means too, not only those 'evacuated under this Agreement'."""
    s = SCENARIOS[index][1]
    draft = _draft(index)
    text = _article(draft, "transit_reception")
    if not text or territory(s).at_border or _seafarers_only(draft):
        return
    first = _paragraphs(text)[0]
    if "admit" not in first:
        return
    assert "by their own means" in first, f"{IDS[index]}: transit admits only people evacuated under the Agreement"


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_bound_states_of_arrival_keep_enforcement_away_and_let_consuls_in(index):
    """Where people are received in a bound State of arrival while the operation departs from inside the State in
    crisis, the firewall binds that State too, and the transit article makes it facilitate consular access."""
    s = SCENARIOS[index][1]
    where = territory(s)
    if where.at_border:
        return
    draft = _draft(index)
    receiving = [st for st in dict.fromkeys(where.states_of("reception")) if signs(s, st)]
    firewall = _article(draft, "firewall")
    transit = _article(draft, "transit_reception")
    for st in receiving:
        name = in_text(party_name(s, st)).removeprefix("the ")
        if firewall:
            para = next((p for p in _paragraphs(firewall) if "immigration checks" in p), "")
            assert name in para, f"{IDS[index]}: the firewall does not bind {name}, where people are received"
        if transit and "Transit State, namely" in transit:
            assert re.search(r"facilitate access to (?:Migrants|seafarers) at its points of entry", transit), (
                f"{IDS[index]}: no consular access at the Reception Points of {name}"
            )


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_a_host_that_receives_people_admits_them_at_its_border(index):
    """A host State that is itself a State of arrival, with reception among the services, admits people at its border,
    does not reject them at the frontier and lets them stay."""
    s = SCENARIOS[index][1]
    if not host_receives(s):
        return
    text = "\n".join(a["text"] for a in _draft(index)["articles"])
    assert "shall not reject at the frontier" in text, f"{IDS[index]}: no article on admission at the host's border"
    assert "authorize their stay there" in text


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_no_assisted_return_to_the_state_people_flee(index):
    """Voluntary return is never assisted to the State people flee while the Crisis lasts."""
    s = SCENARIOS[index][1]
    where = territory(s)
    text = _article(_draft(index), "voluntary_return")
    if not text or not where.host_fled:
        return
    host = s.party(where.host)
    forms = territorial(host.name, host.kind)  # an authority entered as the host: its territory by its place name
    fled = (forms and forms.territory) or in_text(party_name(s, where.host))
    assert f"assisted to return to {fled} under this Article while the Crisis lasts" in text, (
        f"{IDS[index]}: voluntary return may go to {fled}, which people flee"
    )


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_border_firewall_spares_the_crossings(index):
    """At a border operation, the firewall covers shelters and services away from the crossings, where the entry
    formalities take place, never 'Assembly Points' that lie at the crossing."""
    s = SCENARIOS[index][1]
    where = territory(s)
    text = _article(_draft(index), "firewall")
    if not text or not (where.at_border and where.arrival):
        return
    para = next(p for p in _paragraphs(text) if "immigration checks" in p)
    assert "Assembly Points" not in para, f"{IDS[index]}: no immigration checks at the crossing's Assembly Points"
    assert "away from the border crossing points" in para


CONSULAR_ACCESS = re.compile(r"access(?:, on its own territory,)? to (?:Migrants|seafarers)[^.]*consular personnel")


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_consular_access_only_at_the_request_of_people_who_fear_their_state(index):
    """Every paragraph that lets consular personnel reach Migrants keeps them from a person who seeks protection from,
    or fears return to, their State unless he or she asks."""
    for article in _draft(index)["articles"]:
        for para in _paragraphs(article["text"]):
            if CONSULAR_ACCESS.search(para):
                assert "only at his or her request" in para, (
                    f"{IDS[index]}: consular access with no refugee carve-out in {article['heading']}"
                )


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_no_amnesty_for_health_measures_and_one_transit_regime(index):
    """In an epidemic no article waives penalties for breaching movement restrictions (public-health measures), and
    an instrument for seafarers only grants no separate 30-day stay beside the crew-change regime."""
    s = SCENARIOS[index][1]
    draft = _draft(index)
    if s.crisis.kind == "epidemic":
        for article in draft["articles"]:
            assert not re.search(r"waive[^.]*movement restrictions", article["text"]), (
                f"{IDS[index]}: amnesty for breaches of health movement restrictions in {article['heading']}"
            )
    transit = _article(draft, "transit_reception")
    if transit and _seafarers_only(draft):
        assert "authorization to stay for up to" not in transit, f"{IDS[index]}: two transit regimes for seafarers"


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=IDS)
def test_host_waivers_follow_a_limited_scope(index):
    """Where the scope is one State's nationals or seafarers only, the host's waivers are addressed to the Migrants
    covered by the instrument, not to all Migrants."""
    draft = _draft(index)
    scope = _article(draft, "scope") or ""
    text = _article(draft, "host_state_facilitation")
    limited = "applies to seafarers" in scope or re.search(r"\bapplies to the nationals of\b", scope)
    if not text or not limited or "shall waive the fees" not in text:
        return
    para = next(p for p in _paragraphs(text) if "waive the fees" in p)
    assert "Migrants covered by this" in para, f"{IDS[index]}: the host's waivers address all Migrants"
    assert not re.search(r"detain Migrants|re-entry permits for Migrants", para), (
        f"{IDS[index]}: the host's protection from arrest or its re-entry permits address all Migrants"
    )
