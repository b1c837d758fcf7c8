"""The one seam around durable-rules (tech notes §1).

durable-rules' stock host starts timer threads that segfault when sessions are deleted out of order, caps
live sessions at 1,024, swallows exceptions raised in actions, and cannot replace a registered ruleset.
So: a host without background threads, one per process (created lazily after fork), a lock around each
evaluation, a fresh session per evaluation deleted in ``finally``, the ``$go`` trigger asserted last,
a sink rule for unmatched facts, the action exception surfaced, and rulesets named by content hash.
One more trap, found here: ``delete_state`` crashes the process when no action ran in the session, so
every ruleset carries a heartbeat rule that fires on the trigger alone.
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from durable import engine as durable_engine

from .rules import HEARTBEAT_RULE, SINGLE_HOLDER_ROLES, SINK_RULE, Rule, RuleBase, rule_json, trigger_part


class EngineError(RuntimeError):
    """The rule engine failed; the message says which rule or why."""


@dataclass
class Firing:
    """One activation of a rule: the facts bound to each alias."""

    rule: Rule
    bindings: dict[str, dict[str, Any]]


@dataclass
class _Run:
    firings: list[Firing] = field(default_factory=list)
    derived: int = 0  # derived facts asserted
    repeated: int = 0  # derived facts not asserted again: an identical one already was
    asserted: set[tuple[Any, ...]] = field(default_factory=set)  # contents of the derived facts asserted
    heartbeat: bool = False
    rejected: set[tuple[Any, ...]] = field(default_factory=set)  # suggestions the negotiator rejected


class _QuietHost(durable_engine.Host):
    """A host without the dispatcher threads: actions run synchronously inside assert calls."""

    def _run(self) -> None:
        return None


def _strip(fact: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fact.items() if k != "sid"}


class RuleEngine:
    """Owns the durable-rules host of this process and evaluates facts against a rule base."""

    def __init__(self) -> None:
        self._host = _QuietHost()
        self._lock = threading.Lock()
        self._registered: set[str] = set()
        self._runs: dict[str, _Run] = {}

    def _action(self, rule: Rule):
        aliases = list(rule.when)

        def run(c: Any) -> None:
            current = self._runs[c.s.sid]
            bindings = {a: _strip(dict(getattr(c, a)._d)) for a in aliases}
            current.firings.append(Firing(rule, bindings))
            for fact in derived_facts(rule, bindings, current):
                c.assert_fact(fact)

        return run

    def _heartbeat(self, c: Any) -> None:
        self._runs[c.s.sid].heartbeat = True

    def _ensure(self, base: RuleBase) -> None:
        if base.name in self._registered:
            return
        definition: dict[str, Any] = {}
        for index, rule in enumerate(base.rules):
            definition[rule.id] = {**copy.deepcopy(rule_json(rule, trigger_part(index))), "run": self._action(rule)}
        definition["sink__"] = {**copy.deepcopy(SINK_RULE), "run": lambda c: None}
        definition["heartbeat__"] = {**copy.deepcopy(HEARTBEAT_RULE), "run": self._heartbeat}
        self._host.set_rulesets({base.name: definition})
        self._registered.add(base.name)

    def evaluate(self, base: RuleBase, facts: list[dict[str, Any]]) -> list[Firing]:
        """Assert the facts, then the trigger; return every firing in order."""
        ids = [(f.get("type"), f.get("id")) for f in facts]
        if len(set(ids)) != len(ids):
            # Checked here: an identical fact makes durable-rules raise half-way through a batch.
            raise EngineError(f"duplicate fact ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        with self._lock:
            self._ensure(base)
            sid = uuid.uuid4().hex
            self._runs[sid] = run = _Run(rejected=_rejected(facts))
            try:
                batch = [{**f, "sid": sid} for f in facts]
                if batch:
                    self._host.assert_facts(base.name, batch)
                self._host.assert_facts(base.name, _triggers(sid, base.parts))
                state = self._host.get_state(base.name, sid)
                if state.get("exception"):
                    raise EngineError(f"a rule action failed: {state['exception']}")
                return run.firings
            except durable_engine.MessageObservedException as exc:
                raise EngineError(f"duplicate fact: {exc.message}") from None
            except durable_engine.MessageNotHandledException as exc:
                raise EngineError(f"fact matched no rule: {exc.message}") from None
            finally:
                self._close(base, sid, run)

    def _close(self, base: RuleBase, sid: str, run: _Run) -> None:
        """Delete the session; first make sure an action ran in it, or durable-rules crashes."""
        if not run.heartbeat:
            with contextlib.suppress(Exception):
                self._host.assert_facts(base.name, _triggers(sid, base.parts))
        del self._runs[sid]
        with contextlib.suppress(Exception):  # error 309: the session is already gone
            self._host.delete_state(base.name, sid)


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
