"""Scope and lead paragraph of a State's own scheme, fitting backups, and a lead paragraph adapted to who leads.

Classes found by lawyers reading drafts: (1) a State's own repatriation or deployment scheme whose scope and lead
paragraph cover "all Migrants … whatever their nationality", and an own-scheme activation article applied to two
States as if they were one; (2) backups that do not fit: the host State in an armed conflict behind an IO-led
operation with refugees or irregular migrants, a State of origin of people at risk behind an organization, a
National Society leading a multi-State arrangement whose main purpose is not tracing; (3) a lead paragraph that
makes the host State, when it leads, consult and communicate with itself."""

from __future__ import annotations

from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario


def _party(pid: str, kind: str, **kw) -> dict:
    return {"id": pid, "name": kw.pop("name", pid.replace("_", " ").title()), "kind": kind, **kw}


def _scenario(types: list[str], parties: list[dict], *, host: str, **kw) -> dict:
    return {
        "title": "Scope and backup test",
        "agreement_types": types,
        "crisis": kw.pop("crisis", {"kind": "armed_conflict", "phase": "preparedness"}),
        "host_state": host,
        "transit_states": kw.pop("transit", []),
        "parties": parties,
        **kw,
    }


def _advice(data: dict):
    return evaluate(parse_scenario(data))


def _article(advice, clause: str) -> str:
    return next(a.text for a in advice.draft.articles if a.clause == clause)


def _holder(advice, role: str) -> str | None:
    return next((r.party for r in advice.holders(role)), None)


# ---------------------------------------------------------------- class 1: a State's own scheme


def own_repatriation_scheme() -> dict:
    return _scenario(
        ["evacuation_relocation"],
        [
            _party("qasar", "state", name="Republic of Qasar", crisis_roles=["host"]),
            _party("iom", "international_organization", mandates=["migration"], capacities={"transport": ["air"]}),
            _party(
                "palu",
                "state",
                name="Republic of Palumaya",
                crisis_roles=["origin"],
                capacities={"consular_presence": "embassy", "transport": ["air"]},
            ),
        ],
        host="qasar",
        populations=[{"nationality": "palu", "count": 9000}, {"nationality": "other", "count": 300}],
    )


def two_state_deployment() -> dict:
    return _scenario(
        ["expert_deployment"],
        [
            _party("host", "state", name="Kingdom of Saradan", crisis_roles=["host"]),
            _party(
                "luz",
                "state",
                name="Republic of Luzara",
                crisis_roles=["origin"],
                capacities={"consular_presence": "embassy", "deployable_experts": True},
            ),
            _party(
                "vie",
                "state",
                name="Socialist Republic of Vietara",
                crisis_roles=["origin"],
                capacities={"consular_presence": "consulate"},
            ),
            _party("iom", "international_organization", mandates=["migration"]),
        ],
        host="host",
        populations=[{"nationality": "luz", "count": 620}, {"nationality": "vie", "count": 380}],
    )


def test_own_scheme_scope_covers_that_states_nationals_and_their_families():
    advice = _advice(own_repatriation_scheme())
    assert _holder(advice, "lead") == "palu"
    scope = _article(advice, "scope")
    assert "applies to all Migrants" not in scope
    assert "nationals of the Republic of Palumaya" in scope
    assert "members of their families" in scope
    assert "shall refer them" in scope  # other nationals go to their States or to an organization


def test_own_scheme_lead_duty_is_limited_to_its_nationals():
    roles = _article(_advice(own_repatriation_scheme()), "roles")
    assert "all Migrants covered" not in roles
    assert "its nationals" in roles.split("\n\n")[0]


def test_own_scheme_activation_of_two_states_reads_per_state():
    advice = _advice(two_state_deployment())
    assert _holder(advice, "lead") == "luz"
    activation = _article(advice, "activation")
    assert "Vietara shall determine the Alert Phase" not in activation
    assert "that the Republic of Luzara and the Socialist Republic of Vietara declares" not in activation
    assert "Each of the Republic of Luzara and the Socialist Republic of Vietara" in activation


# ---------------------------------------------------------------- class 2: backups that fit


def io_led_standby_deployment_in_conflict() -> dict:
    """A refugee agency receives standby experts in a country at war; the host requested them."""
    return _scenario(
        ["expert_deployment", "protection_referral", "evacuation_relocation"],
        [
            _party("host", "state", crisis_roles=["host"]),
            _party("unhcr", "international_organization", mandates=["refugee_protection"]),
            _party("kesh", "state", crisis_roles=["origin"], capacities={"consular_presence": "embassy"}),
        ],
        host="host",
        crisis={"kind": "armed_conflict", "phase": "emergency_response"},
        populations=[{"nationality": "kesh", "count": 4000, "irregular_share": 0.5}],
    )


def test_host_in_armed_conflict_does_not_back_up_an_io_led_deployment():
    advice = _advice(io_led_standby_deployment_in_conflict())
    assert _holder(advice, "lead") == "unhcr"
    assert _holder(advice, "backup_lead") == "kesh"


def test_host_backs_up_when_nobody_at_risk_or_nobody_else_outside_armed_conflict():
    data = io_led_standby_deployment_in_conflict()
    data["crisis"] = {"kind": "civil_unrest", "phase": "emergency_response"}
    data["populations"] = [{"nationality": "kesh", "count": 4000}]
    assert _holder(_advice(data), "backup_lead") == "host"
    data["parties"] = data["parties"][:2]
    data["populations"] = [{"nationality": "other", "count": 4000, "irregular_share": 0.5}]
    assert _holder(_advice(data), "backup_lead") == "host"  # no other candidate
    # in an armed conflict the host, a party to it, never backs up (docs/leadership.md): a gap is better
    data["crisis"] = {"kind": "armed_conflict", "phase": "emergency_response"}
    assert _holder(_advice(data), "backup_lead") is None


def origin_of_refugees_behind_io() -> dict:
    return _scenario(
        ["evacuation_relocation"],
        [
            _party("host", "state", crisis_roles=["host"]),
            _party("iom", "international_organization", mandates=["migration"]),
            _party("kesh", "state", crisis_roles=["origin"], capacities={"consular_presence": "embassy"}),
            _party("maru", "state", crisis_roles=["origin"], capacities={"consular_presence": "consulate"}),
        ],
        host="host",
        crisis={"kind": "armed_conflict", "phase": "emergency_response"},
        populations=[
            {"nationality": "kesh", "count": 3000, "vulnerabilities": {"fear_of_return": 600}},
            {"nationality": "maru", "count": 2000},
        ],
    )


def test_state_of_origin_of_people_at_risk_backs_up_last():
    advice = _advice(origin_of_refugees_behind_io())
    assert _holder(advice, "lead") == "iom"
    assert _holder(advice, "backup_lead") == "maru"


def national_society_multi_state() -> dict:
    return _scenario(
        ["service_prearrangement"],
        [
            _party("host", "state", name="Republic of Tamaris", crisis_roles=["host"]),
            _party("a", "state", crisis_roles=["origin"], capacities={"consular_presence": "embassy"}),
            _party("b", "state", crisis_roles=["origin"], capacities={"consular_presence": "consulate"}),
            _party("rc", "national_society", mandates=["family_tracing", "humanitarian_relief"]),
        ],
        host="host",
        crisis={"kind": "natural_hazard", "phase": "preparedness"},
        populations=[{"nationality": "a", "count": 500}, {"nationality": "b", "count": 300}],
    )


def test_national_society_does_not_lead_a_multi_state_arrangement_that_is_not_tracing():
    advice = _advice(national_society_multi_state())
    assert _holder(advice, "lead") == "host"


def test_national_society_still_leads_tracing():
    """Several States sign, so the instrument is binding and the National Society a Participant: it leads the
    tracing operation, not the instrument (docs/leadership.md)."""
    data = national_society_multi_state()
    data["agreement_types"] = ["family_tracing"]
    advice = _advice(data)
    assert _holder(advice, "lead") != "rc"
    assert any(r.party == "rc" and r.for_ == "family_tracing" for r in advice.holders("operation_lead"))


# ---------------------------------------------------------------- class 3: the lead paragraph fits who leads


def host_led() -> dict:
    data = national_society_multi_state()
    data["agreement_types"] = ["protection_referral"]
    return data


def test_host_lead_does_not_liaise_with_itself():
    advice = _advice(host_led())
    assert _holder(advice, "lead") == "host"
    first = _article(advice, "roles").split("\n\n")[0]
    assert "authorities of the Host State" not in first
    assert "the Republic of Tamaris" in first


def test_io_lead_still_liaises_with_the_host():
    advice = _advice(origin_of_refugees_behind_io())
    first = _article(advice, "roles").split("\n\n")[0]
    assert "authorities of the Host State" in first
