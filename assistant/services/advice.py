"""Getting advice on a negotiation or on scenario data, through a bounded, content-addressed cache.

The wizard shows the live suggestions on every step, so the same scenario, choices and positions are
evaluated again and again while a negotiator moves between steps. The rule base is deterministic: the
advice depends only on what goes in, so the key is a digest of exactly that (scenario data, choices,
positions, and the rule base and clause library objects in use). Nothing needs invalidating: a change to
any input is a different key. Callers get a deep copy, so nothing they do to it reaches the cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import Session

from ..domain.advice import Advice
from ..domain.evaluate import default_library, default_rule_base, evaluate
from ..domain.facts import Choice, PartyPosition
from ..domain.scenario import parse_scenario
from ..metrics import ADVICE_CACHE as ADVICE_CACHE_METRIC
from ..metrics import EVALUATION_SECONDS
from ..models import Negotiation
from .negotiations import choices_of
from .positions import party_positions


def advice_key(data: Any, choices: Iterable[Any], positions: Iterable[Any], *identity: Any) -> str:
    """A digest of everything the advice depends on (``identity``: the rule base and library in use)."""
    payload = [
        data,
        [c.model_dump(mode="json") for c in choices],
        [p.model_dump(mode="json") for p in positions],
        [f"{type(x).__name__}:{id(x)}" for x in identity],
    ]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AdviceCache:
    """Least recently used advice, at most ``size`` entries; safe to share between threads."""

    def __init__(self, size: int = 256) -> None:
        self.size = max(0, int(size))
        self._items: OrderedDict[str, Advice] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get_or_compute(self, key: str, compute: Callable[[], Advice]) -> Advice:
        """The cached advice for ``key`` (a copy), or ``compute()`` stored under it. Errors are not cached."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found.model_copy(deep=True)
            self.misses += 1
        advice = compute()
        if self.size:
            with self._lock:
                self._items[key] = advice
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return advice.model_copy(deep=True)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


ADVICE_CACHE = AdviceCache()


def advise(
    *, session: Session, negotiation: Negotiation, rules_dir: str, library_dir: str, data: dict[str, Any] | None = None
) -> Advice:
    """Evaluate the negotiation's scenario (or ``data``, an unsaved edit of it) with its choices and the
    parties' positions; raises ScenarioError if incomplete. Answers come from the advice cache when the
    same scenario, choices and positions were evaluated before (see ``AdviceCache`` above)."""
    return advice_on(
        negotiation.scenario if data is None else data,
        rules_dir=rules_dir,
        library_dir=library_dir,
        choices=choices_of(session=session, negotiation=negotiation),
        positions=party_positions(session=session, negotiation=negotiation),
    )


def advice_on(
    data: dict[str, Any],
    *,
    rules_dir: str,
    library_dir: str,
    choices: list[Choice] | None = None,
    positions: list[PartyPosition] | None = None,
) -> Advice:
    """The advice on scenario data (a negotiation's, a training scenario's, a what-if's) under the given rule
    base and clause library, from the advice cache when the same inputs were evaluated before; raises
    ScenarioError if the data is not a complete scenario."""
    choices, positions = choices or [], positions or []
    rule_base, library = default_rule_base(rules_dir), default_library(library_dir)
    evaluated = []

    def compute() -> Advice:
        started = time.perf_counter()
        advice = evaluate(parse_scenario(data), choices, positions=positions, rule_base=rule_base, library=library)
        EVALUATION_SECONDS.observe(time.perf_counter() - started)
        evaluated.append(True)
        return advice

    advice = ADVICE_CACHE.get_or_compute(advice_key(data, choices, positions, rule_base, library), compute)
    ADVICE_CACHE_METRIC.labels("miss" if evaluated else "hit").inc()
    return advice
