"""Classes of defects found by the blind corpus (issue 12, item 5), each on small scenarios built here.

Each test names the class it guards: territory of the border clauses, the lead of a State's own deployment
scheme, transport for onward travel, employer liability without recruitment agencies, the transit/reception and
cost-allocation articles, the return of confiscated documents, data controllers in a conflict, and the naming
of organizations and of the refugee agency."""

from __future__ import annotations

import re

from assistant.domain.advice import Advice
from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario


def build(parties, populations, *, types=(), services=(), kind="armed_conflict", host="host", transit=(), **extra):
    data = {
        "title": "Test",
        "agreement_types": list(types),
        "crisis": {"kind": kind, "phase": "emergency_response"},
        "host_state": host,
        "transit_states": list(transit),
        "parties": parties,
        "populations": populations,
        "services_needed": list(services),
        **extra,
    }
    return evaluate(parse_scenario(data))


def state(pid, name, *roles, **caps):
    return {"id": pid, "name": name, "kind": "state", "crisis_roles": list(roles), "capacities": caps}


IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
}
UNHCR = {
    "id": "unhcr",
    "name": "Office of the United Nations High Commissioner for Refugees",
    "kind": "international_organization",
    "mandates": ["refugee_protection"],
}


def holders(advice: Advice, role: str, for_: str | None = None) -> list[str]:
    return [r.party for r in advice.holders(role) if for_ is None or r.for_ == for_]


def lead(advice: Advice) -> tuple[str | None, str | None]:
    return (holders(advice, "lead") or [None])[0], (holders(advice, "backup_lead") or [None])[0]


def article(advice: Advice, clause: str) -> str:
    return next((a.text for a in advice.draft.articles if a.clause == clause), "")


def full_text(advice: Advice) -> str:
    d = advice.draft
    return "\n".join([d.parties or "", d.preamble or "", *(a.text for a in d.articles), *(a.text for a in d.annexes)])


# ---------------------------------------------------------------- 2. a State's own deployment scheme


def own_deployment(populations, **luzara_kw):
    return build(
        [
            state("luzara", "Republic of Luzara", *luzara_kw.pop("roles", ()), deployable_experts=True,
                  consular_presence="none"),
            state("host", "Republic of Hostia", "host"),
            {**IOM, "capacities": {"transport": ["land"]}},
        ],
        populations,
        types=["expert_deployment"],
    )


def test_own_deployment_scheme_is_led_by_the_deploying_state_with_mixed_families():
    advice = own_deployment([{"nationality": "luzara", "count": 700}, {"nationality": "other", "count": 300}],
                            roles=["origin"])
    assert lead(advice) == ("luzara", "iom")
    assert {c.id: c.variant for c in advice.clauses}.get("activation") == "own_alert_phases"


def test_own_deployment_scheme_needs_no_origin_crisis_role():
    advice = own_deployment([{"nationality": "luzara", "count": 1000}])
    assert lead(advice) == ("luzara", "iom")


def test_own_deployment_scheme_with_a_few_nationals_fearing_return():
    advice = own_deployment([{"nationality": "luzara", "count": 1000, "vulnerabilities": {"fear_of_return": 5}}],
                            roles=["origin"])
    assert lead(advice) == ("luzara", "iom")
    assert "host" not in holders(advice, "backup_lead")


def test_a_state_whose_nationals_flee_it_does_not_lead_a_deployment_to_them():
    advice = own_deployment([{"nationality": "luzara", "count": 1000, "vulnerabilities": {"fear_of_return": 400}}],
                            roles=["origin"])
    assert lead(advice)[0] != "luzara"
