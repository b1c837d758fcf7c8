"""Checks of the shipped data (rule examples, and rules against the clause library), and warnings about a
scenario that is valid but needs the negotiators' attention."""

from __future__ import annotations

from dataclasses import dataclass

from .clauses import ClauseLibrary
from .engine import get_engine
from .names import dropped_note, legal_person_unknown
from .rules import Rule, RuleBase
from .signing import GROUP_ADVICE, capacity_unstated, reads_as_group


@dataclass(frozen=True)
class ExampleFailure:
    rule: Rule
    index: int
    expected: bool
    message: str

    def __str__(self) -> str:
        return f"{self.rule.file}: {self.rule.id}: examples[{self.index}]: {self.message}"


def example_facts(rule: Rule, index: int) -> list[dict]:
    """The facts of one example, each given a unique id when it has none."""
    return [{"id": f"ex{j}", **fact} for j, fact in enumerate(rule.examples[index].given)]


def run_example(base: RuleBase, rule: Rule, index: int) -> ExampleFailure | None:
    """Evaluate one example against the whole rule base; report if the rule's firing differs."""
    example = rule.examples[index]
    fired = any(f.rule.id == rule.id for f in get_engine().evaluate(base, example_facts(rule, index)))
    if fired == example.fires:
        return None
    said = "fire" if example.fires else "stay silent"
    return ExampleFailure(rule, index, example.fires, f"expected the rule to {said}, but it did not")


def run_examples(base: RuleBase) -> list[ExampleFailure]:
    """Run every example of every rule."""
    failures = []
    for rule in base.rules:
        for i in range(len(rule.examples)):
            failure = run_example(base, rule, i)
            if failure:
                failures.append(failure)
    return failures


def cross_check(base: RuleBase, library: ClauseLibrary) -> list[str]:
    """Clause ids and variants named by rules must exist in the library."""
    problems = []
    for rule in base.rules:
        for c in rule.then.clauses:
            clause = library.get(c.id)
            if clause is None:
                problems.append(f"{rule.file}: {rule.id}: then.clauses: unknown clause {c.id!r}")
            elif c.variant not in clause.variants:
                problems.append(f"{rule.file}: {rule.id}: then.clauses: clause {c.id!r} has no variant {c.variant!r}")
        for f in rule.then.risk_flags:
            problems += [
                f"{rule.file}: {rule.id}: then.risk_flags.{f.id}.safeguards: unknown clause {s!r}"
                for s in f.safeguards
                if library.get(s) is None
            ]
    return problems


@dataclass(frozen=True)
class RuleUse:
    """How often a rule fires on a set of scenarios."""

    scenarios: tuple[str, ...]
    firings: int


def rule_usage(base: RuleBase, scenarios: dict[str, list[dict]]) -> dict[str, RuleUse]:
    """For each rule: the scenarios (by name) in which it fires, and how many times in all."""
    seen: dict[str, list[str]] = {r.id: [] for r in base.rules}
    counts: dict[str, int] = dict.fromkeys(seen, 0)
    for name, facts in scenarios.items():
        for firing in get_engine().evaluate(base, facts):
            counts[firing.rule.id] += 1
            if name not in seen[firing.rule.id]:
                seen[firing.rule.id].append(name)
    return {rid: RuleUse(tuple(seen[rid]), counts[rid]) for rid in seen}


# ---------------------------------------------------------------- warnings about a scenario


def party_warning(
    name: str, signatory: bool | None, kind: str | None = None, can_sign_binding: bool | None = None
) -> str | None:
    """Why a party needs the negotiators' attention before anyone signs, or None (the reasons that apply, one after
    the other). Its name reads as a group or a placeholder, which cannot sign (README, "Bodies that take part without
    signing"): a party marked as signing is still warned (marking it does not make a group one body); one marked as
    taking part without signing is not (that is what the warning asks for). Whatever it signs: the draft leaves out
    a bracketed note of its name that is no organ (names.dropped_note); it is a programme or organ whose legal person
    its name does not give (names.legal_person_unknown); it is an organization whose capacity to be bound is not
    stated (signing.capacity_unstated)."""
    reasons = []
    group = reads_as_group(name)
    if group is not None and signatory is not False:
        reasons.append(f"{group[0].upper()}{group[1:]}: a group or a placeholder cannot sign; {GROUP_ADVICE}.")
    note = dropped_note(name, kind)
    if note and not reads_as_group(f"({note})"):  # "(group)" is read as a group, warned above
        reasons.append(
            f'The draft leaves out "({note})": only the organ acting for a Party is named in brackets, and a '
            "description is no part of a legal name; say it elsewhere if it matters."
        )
    if legal_person_unknown(name, kind):
        reasons.append(
            "A programme, mechanism, directorate-general or department is no legal person and cannot be a Party: "
            'name the organization it belongs to, with the organ in brackets ("Organization (Directorate-General)").'
        )
    if kind is not None and capacity_unstated(kind, can_sign_binding):
        reasons.append(
            "Whether it can be bound by an agreement is not stated: confirm its capacity under its constituent "
            "instrument and rules before it signs an Agreement (the draft asks in brackets), or say it cannot."
        )
    return " ".join(reasons) or None
