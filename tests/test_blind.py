"""The blind corpus (issue 12, item 5): realistic scenarios the rules were never tuned for, each modelled on a
documented operation (``based_on``) with what a lawyer expects of the answer (``expect``), written before any
evaluation. Every expectation is its own test case, with the id ``<file>::<kind>::<detail>``.

Known defects are listed in ``tests/blind/known_failures.txt`` (one test id a line, ``#`` comments allowed): those
cases are strict xfails, so the suite stays green while a defect is open and a fixed defect fails until its line
is removed. Invariants over every scenario (data controllers of protected registers, no role for a State whose
nationals all flee it, no relocation or shelter inside a State people flee, one lead, no template artefacts)
run in the same way.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.domain.evaluate import evaluate
from assistant.domain.scenario import parse_scenario

BLIND = Path(__file__).parent / "blind"
KNOWN_FAILURES = BLIND / "known_failures.txt"
FILES = sorted(BLIND.glob("*.yaml"))

PROTECTED = ("refugees_or_asylum_seekers", "fear_of_return", "stateless")
FLEEING = ("refugees_or_asylum_seekers", "fear_of_return")
PRIVATE = ("employer", "recruiter", "employers_federation")
ARTEFACTS = (r"\{\{", r"\}\}", r"\bTODO\b", r"\bundefined\b")
# a sentence (up to . ; or a line break) that does not deny what follows: "no Migrant shall be relocated within X"
# excludes relocation in X, it does not offer it
NOT_NEGATED = r"(^|[.;\n])(?![^.;\n]*\b(no|not|never|nor|neither|nothing)\b)[^.;\n]*"


def read_known_failures() -> set[str]:
    if not KNOWN_FAILURES.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in KNOWN_FAILURES.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


@functools.cache
def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((BLIND / f"{name}.yaml").read_text(encoding="utf-8"))


@functools.cache
def answer(name: str) -> dict[str, Any]:
    return evaluate(parse_scenario(load(name)["scenario"])).to_contract()


def draft_text(result: dict[str, Any]) -> str:
    draft = result.get("draft") or {}
    parts = []
    for article in draft.get("articles") or []:
        parts += [article.get("heading") or "", article.get("text") or ""]
    for annex in draft.get("annexes") or []:
        parts += [annex.get("title") or "", annex.get("text") or ""]
    parts += [c["topic"] for c in result.get("clauses") or []]
    return "\n".join(parts)


def holders(result: dict[str, Any], role: str) -> list[str]:
    return sorted({r["party"] for r in result["roles"] if r["role"] == role})


def roles_of(result: dict[str, Any], party: str) -> list[str]:
    return sorted({r["role"] for r in result["roles"] if r["party"] == party})


def ids(items: list[dict[str, Any]] | None) -> list[str]:
    return [i["id"] for i in items or []]


def leadership(result: dict[str, Any]) -> str:
    return f"lead {holders(result, 'lead') or 'none'}, backup_lead {holders(result, 'backup_lead') or 'none'}"


def snippet(text: str, match: re.Match[str]) -> str:
    start, end = max(0, match.start() - 80), min(len(text), match.end() + 80)
    found = match.group(0).strip(" .;\n")
    return f"{found!r} in ..." + text[start:end].replace("\n", " | ") + "..."


def short_name(name: str) -> str:
    """'Federal Republic of Somara (Ministry ...)' -> 'Somara': the name a draft is sure to contain."""
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    return name.rsplit(" of ", 1)[-1].strip()


def in_state_pattern(name: str) -> str:
    full = re.sub(r"\s*\(.*?\)", "", name).strip()
    names = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in dict.fromkeys((full, short_name(name))))
    return (
        NOT_NEGATED + r"(relocat\w*|shelter\w*)\s+(\w+\s+){0,4}(in|within|inside)\s+(the\s+)?(territory\s+of\s+)?"
        r"(the\s+)?(" + names + r")\b"
    )


# ---- the checks: each returns None when the expectation holds, else the message ----------------------------


def check_lead(result, role, acceptable):
    got = holders(result, role)
    if got and set(got) <= set(acceptable):
        return None
    return f"expected {role} one of {acceptable}; got {got or 'no ' + role} ({leadership(result)})"


def check_role(result, role, party):
    if party in holders(result, role):
        return None
    return (
        f"expected {party} to hold {role}; {role} is held by {holders(result, role) or 'nobody'}; "
        f"{party} holds {roles_of(result, party) or 'no role'}"
    )


def check_not_role(result, role, party):
    if party not in holders(result, role):
        return None
    return f"{party} must not hold {role}, but does; {party} holds {roles_of(result, party)} ({leadership(result)})"


def check_member(result, kind, wanted):
    key = {"agreement_type": "agreement_types", "risk_flag": "risk_flags"}.get(kind)
    if key:
        got = ids(result[key])
    elif kind == "cost_model":
        got = ids(result["cost_allocation"]["models"])
    else:
        got = sorted({c["topic"] for c in result["clauses"]})
    if kind == "not_clause":
        return None if wanted not in got else f"clause topic {wanted} must not appear; clause topics: {got}"
    return None if wanted in got else f"expected {kind} {wanted}; got {got}"


def check_text(result, kind, pattern):
    text = draft_text(result)
    match = re.search(pattern, text, re.IGNORECASE)
    if kind == "text_present":
        return None if match else f"no match for /{pattern}/ in the draft ({len(text)} characters)"
    return None if not match else f"/{pattern}/ must not match the draft, but matches {snippet(text, match)}"


def check_protected_controllers(result, scenario):
    bad = [
        p["id"]
        for p in scenario["parties"]
        if (p["kind"] in PRIVATE or "origin" in (p.get("crisis_roles") or []))
        and p["id"] in holders(result, "data_controller")
    ]
    if not bad:
        return None
    return (
        f"registers hold refugees, asylum-seekers, people who fear return or stateless people, yet "
        f"{bad} (State of origin / employer / recruiter / federation) are data_controller; "
        f"data_controller holders: {holders(result, 'data_controller')}"
    )


def check_fled_state_no_role(result, party):
    got = roles_of(result, party)
    return None if not got else f"all nationals of {party} flee it, yet it holds {got}"


def check_no_shelter_in_fled_state(result, name):
    return check_text(result, "text_absent", in_state_pattern(name))


def check_single_lead(result):
    got = holders(result, "lead")
    return None if len(got) <= 1 else f"two or more leads contradict each other: {got}"


def check_no_artefacts(result):
    text = draft_text(result)
    for pattern in ARTEFACTS:
        match = re.search(pattern, text)
        if match:
            return f"template artefact /{pattern}/ in the draft: {snippet(text, match)}"
    return None


# ---- the cases ---------------------------------------------------------------------------------------------


def protected_present(scenario: dict[str, Any]) -> bool:
    return any(
        (pop.get("vulnerabilities") or {}).get(v, 0) > 0 for pop in scenario.get("populations") or [] for v in PROTECTED
    ) or any(pop["nationality"] == "stateless" for pop in scenario.get("populations") or [])


def fled_origin_states(scenario: dict[str, Any]) -> list[str]:
    """Origin States every one of whose listed nationals is a refugee, asylum-seeker or fears return."""
    out = []
    for party in scenario["parties"]:
        if "origin" not in (party.get("crisis_roles") or []):
            continue
        pops = [p for p in scenario.get("populations") or [] if p["nationality"] == party["id"]]
        if pops and all(
            max((p.get("vulnerabilities") or {}).get(v, 0) for v in FLEEING) >= p["count"] > 0 for p in pops
        ):
            out.append(party["id"])
    return out


def fled_states_not_host(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """Parties (other than the host) that some of the people covered flee: their nationals include refugees,
    asylum-seekers or people who fear return."""
    fled = {
        pop["nationality"]
        for pop in scenario.get("populations") or []
        if any((pop.get("vulnerabilities") or {}).get(v, 0) > 0 for v in FLEEING)
    }
    return [p for p in scenario["parties"] if p["id"] in fled and p["id"] != scenario["host_state"]]


def cases_for(name: str) -> list[tuple[str, str, tuple[Any, ...]]]:
    data = load(name)
    expect, scenario = data["expect"], data["scenario"]
    out: list[tuple[str, str, tuple[Any, ...]]] = []
    for role in ("lead", "backup_lead"):
        if expect.get(role):
            out.append((f"{name}::{role}::{'|'.join(expect[role])}", "lead", (role, tuple(expect[role]))))
    for kind, key in (("role", "roles"), ("not_role", "not_roles")):
        for role, parties in (expect.get(key) or {}).items():
            for party in parties:
                out.append((f"{name}::{kind}::{role}={party}", kind, (role, party)))
    for kind, key in (
        ("agreement_type", "agreement_types"),
        ("cost_model", "cost_models"),
        ("risk_flag", "risk_flags"),
        ("clause", "clauses"),
        ("not_clause", "not_clauses"),
    ):
        for item in expect.get(key) or []:
            out.append((f"{name}::{kind}::{item}", "member", (kind, item)))
    for kind in ("text_present", "text_absent"):
        for pattern in expect.get(kind) or []:
            out.append((f"{name}::{kind}::{pattern}", "text", (kind, pattern)))
    # invariants
    if protected_present(scenario):
        out.append((f"{name}::invariant::protected_register_controller", "controllers", (name,)))
    for party in fled_origin_states(scenario):
        out.append((f"{name}::invariant::no_role_for_fled_state={party}", "fled_role", (party,)))
    for party in fled_states_not_host(scenario):
        out.append((f"{name}::invariant::no_relocation_or_shelter_in={party['id']}", "fled_text", (party["name"],)))
    out.append((f"{name}::invariant::single_lead", "single_lead", ()))
    out.append((f"{name}::invariant::no_artefacts", "artefacts", ()))
    return out


CHECKS = {
    "lead": check_lead,
    "role": check_role,
    "not_role": check_not_role,
    "member": check_member,
    "text": check_text,
    "fled_role": check_fled_state_no_role,
    "fled_text": check_no_shelter_in_fled_state,
    "single_lead": check_single_lead,
    "artefacts": check_no_artefacts,
}

KNOWN = read_known_failures()


def is_known(case_id: str) -> bool:
    """A line may be copied from pytest's output, which doubles the backslashes of the regexes in the ids."""
    return case_id in KNOWN or case_id.replace("\\", "\\\\") in KNOWN


ALL_CASES = [(case_id, path.stem, check, args) for path in FILES for case_id, check, args in cases_for(path.stem)]
PARAMS = [
    pytest.param(
        name,
        check,
        args,
        id=case_id,
        marks=[pytest.mark.xfail(strict=True, reason="known defect, issue 12")] if is_known(case_id) else [],
    )
    for case_id, name, check, args in ALL_CASES
]


@pytest.mark.parametrize(("name", "check", "args"), PARAMS)
def test_blind(name, check, args):
    result = answer(name)
    if check == "controllers":
        message = check_protected_controllers(result, load(name)["scenario"])
    else:
        message = CHECKS[check](result, *args)
    assert message is None, f"{name}: {message}"


def test_corpus_is_present_and_valid():
    assert len(FILES) >= 22
    for path in FILES:
        data = load(path.stem)
        assert {"based_on", "why", "scenario", "expect"} <= set(data), path.name
        parse_scenario(data["scenario"])


def test_known_failures_name_existing_cases():
    existing = {case_id for case_id, *_ in ALL_CASES}
    stale = KNOWN - existing - {case_id.replace("\\", "\\\\") for case_id in existing}
    assert not stale, f"known_failures.txt lists cases that do not exist: {sorted(stale)}"
