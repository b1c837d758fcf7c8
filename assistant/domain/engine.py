"""The one seam around durable-rules (tech notes §1).

durable-rules' stock host starts timer threads that segfault when sessions are deleted out of order, caps
live sessions at 1,024, swallows exceptions raised in actions, and cannot replace a registered ruleset.
So: no background threads (this module drives the C engine itself, synchronously), one engine per process
(created lazily after fork), a lock around each evaluation, a fresh session per evaluation deleted in
``finally``, the ``$go`` trigger asserted last, a sink rule for unmatched facts, action exceptions
surfaced, and rulesets named by content hash.
One more trap, found here: ``delete_state`` crashes the process when no action ran in the session, so
every ruleset carries a heartbeat rule that fires on the trigger alone.

Speed (bench/REPORT.md): durable-rules' Python host builds a closure, two timestamps and a JSON round trip
of the session state around every action, more than the C engine spends on the match. Here an action is
one ``json.loads`` of the matched facts and one C call to complete it. A derived fact identical to one
already asserted is not asserted again (the firing that derived it is still recorded), so rules chaining
on derived facts fire once per distinct match, not once per copy.

Time budget: an evaluation may spend at most ``time_budget`` seconds of processor time holding the engine
(default ``DEFAULT_TIME_BUDGET``, ``set_time_budget`` per process, the app's ``EVALUATION_TIME_BUDGET``).
Processor time of the evaluating thread (``time.thread_time``), not wall time: a runaway evaluation spends
processor time, while an ordinary one on a loaded machine or in a threaded server only waits longer for the
processor or the GIL, and must not be stopped for that (a wall-clock budget refused one in a hundred
accepted scenarios at the contract's limits with four in flight on a shared CI machine). The deadline
is checked between actions; past it, the action started is abandoned, the session deleted, the lock released
and ``EvaluationTimeout`` raised. The contract's limits keep every scenario it accepts far below the budget;
the budget is the second line, for whatever the limits did not foresee."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import durable_rules_engine as rules_engine

from .rules import HEARTBEAT_RULE, SINGLE_HOLDER_ROLES, SINK_RULE, Rule, RuleBase, rule_json, trigger_part


class EngineError(RuntimeError):
    """The rule engine failed; the message says which rule or why."""


class EvaluationTimeout(EngineError):
    """An evaluation ran past its time budget and was stopped; nothing of it is kept."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        super().__init__(f"the evaluation took longer than its time budget of {budget:g} s and was stopped")


DEFAULT_TIME_BUDGET = 2.0  # seconds; a scenario at the contract's limits takes about a tenth of it
_time_budget: float | None = DEFAULT_TIME_BUDGET


def set_time_budget(seconds: float | None) -> None:
    """The time budget of every evaluation in this process (None: no budget, for the bench's growth runs)."""
    global _time_budget
    _time_budget = None if seconds is None else float(seconds)


def time_budget() -> float | None:
    return _time_budget


@dataclass
class Firing:
    """One activation of a rule: the facts bound to each alias."""

    rule: Rule
    bindings: dict[str, dict[str, Any]]


@dataclass
class _Run:
    sid: str = ""
    given: dict[tuple[Any, Any], dict[str, Any]] = field(default_factory=dict)  # the caller's facts, by type and id
    firings: list[Firing] = field(default_factory=list)
    derived: int = 0  # derived facts asserted
    repeated: int = 0  # derived facts not asserted again: an identical one already was
    asserted: set[tuple[Any, ...]] = field(default_factory=set)  # contents of the derived facts asserted
    heartbeat: bool = False
    errors: list[str] = field(default_factory=list)  # actions that failed: rule id and exception
    interrupted: BaseException | None = None  # an interruption in an action, raised once the session is done
    rejected: set[tuple[Any, ...]] = field(default_factory=set)  # suggestions the negotiator rejected
    deadline: float | None = None  # time.thread_time() past which the evaluation stops
    completed: int = 0  # actions completed in the session
    timed_out: bool = False


class _Ruleset:
    """A ruleset registered in durable-rules' C engine, with the action of each of its rules.

    The engine is driven directly, the way durable-rules' own Python host drives it, less what this
    project does not use: no dispatcher threads (they segfault when sessions are deleted out of order),
    no timers, no action closures, no state written back after every action. Actions run synchronously in
    the caller's thread, inside ``evaluate``.
    """

    def __init__(self, base: RuleBase) -> None:
        definition: dict[str, Any] = {}
        self.actions: dict[str, tuple[Rule, tuple[str, ...]] | None] = {}
        observed: dict[str, set[str]] = {}
        for index, rule in enumerate(base.rules):
            definition[rule.id] = rule_json(rule, trigger_part(index))
            self.actions[rule.id] = (rule, tuple(rule.when))
            for pattern in [*rule.when.values(), *rule.unless.values()]:
                observed.setdefault(pattern["type"], set(_IDENTITY)).update(pattern)
        # The fields of each fact type some rule tests: the only ones the engine needs to see.
        self.observed = {t: frozenset(fields) for t, fields in observed.items()}
        definition["sink__"] = SINK_RULE
        definition["heartbeat__"] = HEARTBEAT_RULE
        self.actions["heartbeat__"] = None
        self.name = base.name
        self.parts = base.parts
        self.handle = rules_engine.create_ruleset(base.name, json.dumps(definition, ensure_ascii=False))

    def engine_view(self, fact: dict[str, Any], sid: str) -> dict[str, Any]:
        """What the engine is given of a fact: its type, id and the fields rules test. The engine hands every
        matched fact back to Python as JSON for each firing, and a scenario fact carries many fields no rule
        tests; the firing's bindings are the caller's full facts again (see ``_act``)."""
        fields = self.observed.get(fact.get("type"), _IDENTITY)
        view = {**{k: v for k, v in fact.items() if k in fields}, "sid": sid}
        if len(view) > MAX_FACT_FIELDS:
            raise EngineError(
                f"the {fact.get('type')} fact has {len(view)} fields that rules test, and durable-rules takes at "
                f"most {MAX_FACT_FIELDS} in one fact (its error 303); fewer agreement types, services or other "
                "yes-answers at once would fit"
            )
        return view

    def assert_facts(self, facts: list[dict[str, Any]]) -> int:
        """Assert a batch; return the session's state offset, from which its actions start."""
        code, state = rules_engine.assert_facts(self.handle, json.dumps(facts, ensure_ascii=False))
        _check(code, facts)
        return state

    def run_actions(self, state: int, run: _Run) -> None:
        """Run every action the session has pending, in the engine's order, each to completion; what an
        action derives is asserted at once, so later actions see it. An action that fails is recorded and
        the others still run, as durable-rules' host does, so the session ends in a consistent state."""
        started = rules_engine.start_action_for_state(self.handle, state)
        message = started[1] if started else None
        while message is not None:
            if run.completed and run.deadline is not None and time.thread_time() > run.deadline:
                # Past the budget: the action just started is abandoned, the session is deleted by the caller
                # (an action has run in it, so deleting it is safe).
                run.timed_out = True
                with contextlib.suppress(rules_engine.error):
                    rules_engine.abandon_action(self.handle, state)
                return
            ((name, matched),) = json.loads(message).items()
            try:
                self._act(name, matched, run)
            except BaseException as exc:  # noqa: BLE001 - surfaced by evaluate() once the session is complete
                run.errors.append(f"{name}: {type(exc).__name__}: {exc}")
                if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: raised again as they are
                    run.interrupted = run.interrupted or exc
            try:
                message = rules_engine.complete_and_start_action(self.handle, state)
                run.completed += 1
            except rules_engine.error:
                with contextlib.suppress(rules_engine.error):
                    rules_engine.abandon_action(self.handle, state)
                raise

    def _act(self, name: str, matched: dict[str, Any], run: _Run) -> None:
        action = self.actions[name]
        if action is None:
            run.heartbeat = True
            return
        rule, aliases = action
        bindings = {}
        for alias in aliases:
            fact = matched[alias]
            given = run.given.get((fact.get("type"), fact.get("id")))
            if given is None:  # a derived fact: the engine has all of it
                fact.pop("sid", None)
            else:
                fact = dict(given)
            bindings[alias] = fact
        run.firings.append(Firing(rule, bindings))
        for fact in derived_facts(rule, bindings, run):
            code, _ = rules_engine.assert_fact(self.handle, json.dumps({**fact, "sid": run.sid}, ensure_ascii=False))
            _check(code, fact)

    def delete_state(self, sid: str) -> None:
        rules_engine.delete_state(self.handle, sid)


_IDENTITY = frozenset({"type", "id"})
MAX_FACT_FIELDS = 62  # measured: a scenario fact of 63 tested fields (sid included) fails with error 303


def _check(code: int, message: Any) -> None:
    """durable-rules' result codes for an assertion: 1 no rule takes the fact, 2 an identical fact exists."""
    if code == 1:
        raise EngineError(f"fact matched no rule: {json.dumps(message, ensure_ascii=False)}")
    if code == 2:
        raise EngineError(f"duplicate fact: {json.dumps(message, ensure_ascii=False)}")


class RuleEngine:
    """Owns the rulesets registered in this process and evaluates facts against a rule base."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rulesets: dict[str, _Ruleset] = {}
        self._runs: dict[str, _Run] = {}  # live sessions, by sid (empty between evaluations)
        self._sids = itertools.count(1)  # a session id is never reused in this process

    def _ensure(self, base: RuleBase) -> _Ruleset:
        ruleset = self._rulesets.get(base.name)
        if ruleset is None:
            ruleset = self._rulesets[base.name] = _Ruleset(base)
        return ruleset

    def evaluate(
        self, base: RuleBase, facts: list[dict[str, Any]], *, time_budget: float | None | str = "default"
    ) -> list[Firing]:
        """Assert the facts, then the trigger; return every firing in order. Raise EvaluationTimeout past the
        time budget (``"default"``: this process's, see ``set_time_budget``; None: none), in processor time of
        this thread from when the engine is this evaluation's (waiting for the lock or the GIL does not count)."""
        budget = _time_budget if time_budget == "default" else time_budget
        ids = [(f.get("type"), f.get("id")) for f in facts]
        if len(set(ids)) != len(ids):
            # Checked here: an identical fact makes durable-rules raise half-way through a batch.
            raise EngineError(f"duplicate fact ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        with self._lock:
            try:
                ruleset = self._ensure(base)
            except rules_engine.error as exc:
                raise EngineError(f"the rule engine refused the rule base {base.name}: {exc}") from exc
            sid = f"e{next(self._sids)}"  # short: the engine repeats it in every fact of every firing
            given = {(f.get("type"), f.get("id")): {k: v for k, v in f.items() if k != "sid"} for f in facts}
            self._runs[sid] = run = _Run(sid=sid, given=given, rejected=_rejected(facts))
            if budget is not None:
                run.deadline = time.thread_time() + float(budget)  # type: ignore[arg-type]
            try:
                if facts:
                    ruleset.run_actions(ruleset.assert_facts([ruleset.engine_view(f, sid) for f in facts]), run)
                if not run.timed_out:
                    ruleset.run_actions(ruleset.assert_facts(_triggers(sid, ruleset.parts)), run)
                if run.timed_out:
                    raise EvaluationTimeout(float(budget))  # type: ignore[arg-type]
                if run.interrupted is not None:
                    raise run.interrupted
                if run.errors:
                    raise EngineError(f"a rule action failed: {run.errors[0]}")
                return run.firings
            except rules_engine.error as exc:
                raise EngineError(f"the rule engine failed: {exc}") from exc
            finally:
                self._close(ruleset, sid, run)

    def _close(self, ruleset: _Ruleset, sid: str, run: _Run) -> None:
        """Delete the session; first make sure an action ran in it, or durable-rules crashes."""
        if not run.heartbeat and not run.timed_out:  # timed out: actions have run (see run_actions)
            with contextlib.suppress(Exception):
                ruleset.run_actions(ruleset.assert_facts(_triggers(sid, ruleset.parts)), run)
        del self._runs[sid]
        with contextlib.suppress(Exception):  # error 309: the session is already gone
            ruleset.delete_state(sid)


def _triggers(sid: str, parts: int) -> list[dict[str, Any]]:
    return [{"sid": sid, "id": f"$go{part}", "type": "$go", "part": part} for part in range(parts)]


def _rejected(facts: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {
        (f.get("kind"), f.get("item"), f.get("party"), f.get("for"))
        for f in facts
        if f.get("type") == "choice" and f.get("action") == "reject"
    }


def derived_facts(rule: Rule, bindings: dict[str, dict[str, Any]], run: _Run) -> list[dict[str, Any]]:
    """Facts a firing adds so that other rules can chain on them; what the negotiator rejected is not
    added, so nothing is built on it."""
    out: list[dict[str, Any]] = []

    def add(fact: dict[str, Any]) -> None:
        key = (fact["type"], fact.get("item"), fact.get("party"), fact.get("for"))
        if key in run.rejected:
            return
        content = {k: v for k, v in fact.items() if v is not None}
        identity = tuple(sorted(content.items()))
        if identity in run.asserted:
            run.repeated += 1
            return
        run.asserted.add(identity)
        run.derived += 1
        out.append({**content, "id": f"$d{run.derived}"})

    then = rule.then
    for a in then.agreement_types:
        add({"type": "agreement_type", "item": a})
    for f in then.risk_flags:
        add({"type": "risk_flag", "item": f.id})
    for r in then.roles:
        if r.role in SINGLE_HOLDER_ROLES or not hasattr(r.party, "ref"):
            continue
        add({"type": "role", "item": r.role, "party": resolve(r.party, bindings), "for": resolve(r.for_, bindings)})
    for d in then.derive:
        add({k: resolve(v, bindings) for k, v in d.items()})
    return out


def resolve(value: Any, bindings: dict[str, dict[str, Any]]) -> Any:
    """Resolve ``{ref: alias.field}`` against the matched facts; other values pass through."""
    ref = getattr(value, "ref", None)
    if ref is None:
        return value
    alias, fld = ref.split(".", 1)
    return bindings.get(alias, {}).get(fld)


_engine: RuleEngine | None = None
_engine_pid: int | None = None
_engine_lock = threading.Lock()


def get_engine() -> RuleEngine:
    """The engine of this process, created on first use (so after any fork)."""
    global _engine, _engine_pid
    with _engine_lock:
        if _engine is None or _engine_pid != os.getpid():
            _engine, _engine_pid = RuleEngine(), os.getpid()
        return _engine
