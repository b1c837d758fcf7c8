"""The engine's time budget (issue 11, finding 4): an evaluation past it is stopped cleanly (session deleted,
lock released, a clear error) and the engine goes on answering correctly; a scenario at the contract's
limits stays far below the default budget."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.domain import engine as engine_module
from assistant.domain.engine import DEFAULT_TIME_BUDGET, EvaluationTimeout, get_engine, set_time_budget
from assistant.domain.evaluate import default_rule_base, evaluate
from assistant.domain.facts import scenario_facts
from assistant.domain.scenario import parse_scenario
from bench.synthetic import hostile_scenario_data

BASE = default_rule_base()


@pytest.fixture(scope="module")
def hostile():
    return parse_scenario(hostile_scenario_data())


def test_past_its_budget_an_evaluation_stops_with_a_clear_error(hostile):
    engine = get_engine()
    with pytest.raises(EvaluationTimeout) as exc:
        engine.evaluate(BASE, scenario_facts(hostile), time_budget=0.001)
    assert "longer than its time budget of 0.001 s" in str(exc.value)
    assert not engine._runs  # the session is gone
    assert engine._lock.acquire(blocking=False)  # and the lock released
    engine._lock.release()


def test_the_engine_answers_correctly_after_many_stopped_evaluations(scenario, hostile):
    engine = get_engine()
    example = scenario_facts(scenario())
    expected = [f.rule.id for f in engine.evaluate(BASE, example)]
    big = scenario_facts(hostile)
    for budget in (0.0, 0.001, 0.01, 0.0, 0.02):
        with pytest.raises(EvaluationTimeout):
            engine.evaluate(BASE, big, time_budget=budget)
        assert [f.rule.id for f in engine.evaluate(BASE, example)] == expected
    for _ in range(1_100):  # more than durable-rules' 1,024 live sessions: every stopped one was deleted
        with pytest.raises(EvaluationTimeout):
            engine.evaluate(BASE, example, time_budget=0.0)
    assert [f.rule.id for f in engine.evaluate(BASE, example)] == expected


def test_the_budget_is_set_per_process_and_evaluate_raises_it(monkeypatch, scenario):
    monkeypatch.setattr(engine_module, "_time_budget", engine_module._time_budget)
    set_time_budget(0.0)
    with pytest.raises(EvaluationTimeout):
        evaluate(scenario())
    set_time_budget(None)
    assert evaluate(scenario()).draft is not None


def test_a_scenario_at_the_limits_is_far_below_the_default_budget(hostile):
    assert DEFAULT_TIME_BUDGET == 2.0
    advice = evaluate(hostile)  # raises EvaluationTimeout past 2 s; measured about 0.3 s
    assert advice.draft is not None


def test_waiting_for_the_lock_does_not_count(scenario):
    engine = get_engine()
    example = scenario_facts(scenario())
    errors: list[BaseException] = []
    engine._lock.acquire()
    try:
        worker = threading.Thread(
            target=lambda: _catch(errors, lambda: engine.evaluate(BASE, example, time_budget=0.5)), daemon=True
        )
        worker.start()
        worker.join(0.8)  # longer than the budget, spent waiting
    finally:
        engine._lock.release()
    worker.join(10)
    assert errors == []


def test_time_off_the_processor_does_not_count(monkeypatch, scenario):
    # In a threaded server, an evaluation waits for the GIL while other requests run; on a shared machine, for
    # the processor. Neither is the evaluation's cost: only its own processor time counts. Here an action
    # spends 0.3 s asleep (no processor time) under a 0.2 s budget.
    slept: list[float] = []
    real = engine_module.derived_facts

    def slow_once(rule, bindings, run):
        if not slept:
            time.sleep(0.3)
            slept.append(0.3)
        return real(rule, bindings, run)

    monkeypatch.setattr(engine_module, "derived_facts", slow_once)
    started = time.perf_counter()
    firings = get_engine().evaluate(BASE, scenario_facts(scenario()), time_budget=0.2)
    assert time.perf_counter() - started > 0.3
    assert slept
    assert firings


def test_processor_time_past_the_budget_stops_the_evaluation(monkeypatch, scenario):
    real = engine_module.derived_facts

    def busy(rule, bindings, run):
        end = time.thread_time() + 0.05
        while time.thread_time() < end:
            pass
        return real(rule, bindings, run)

    monkeypatch.setattr(engine_module, "derived_facts", busy)
    with pytest.raises(EvaluationTimeout):
        get_engine().evaluate(BASE, scenario_facts(scenario()), time_budget=0.2)


def _catch(errors: list[BaseException], call) -> None:
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def test_a_fact_too_wide_for_the_engine_is_a_clear_error_and_the_engine_goes_on(scenario):
    # durable-rules refuses a fact with more than 62 tested fields (error 303): a scenario that says yes to every
    # agreement type and every service at once is one. Not fixed here (the scenario fact would have to be
    # split); the error says what is wrong and the engine stays usable.
    from assistant.domain.engine import EngineError
    from assistant.domain.vocab import AGREEMENT_TYPES, SERVICES

    data = hostile_scenario_data(5, 2)
    data["agreement_types"], data["services_needed"] = list(AGREEMENT_TYPES), list(SERVICES)
    with pytest.raises(EngineError, match="durable-rules takes at most 62 in one fact"):
        evaluate(parse_scenario(data))
    assert not get_engine()._runs
    assert evaluate(scenario()).draft is not None
