"""Data folders are loaded once per process, also when several threads ask for them at the same time (the first
requests of a threaded server): ``loading.loaded_once``."""

from __future__ import annotations

import threading
import time

from assistant.domain.evaluate import default_library, default_rule_base
from assistant.domain.loading import loaded_once
from assistant.domain.training import default_training_library
from tests.helpers import ROOT


def test_concurrent_first_calls_load_once_and_share_the_result():
    loads: list[str] = []

    @loaded_once
    def load(folder: str) -> object:
        loads.append(folder)
        time.sleep(0.2)  # long enough for every thread to ask while the first load runs
        return object()

    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(load("rules"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert loads == ["rules"]
    assert len(results) == 4
    assert len({id(r) for r in results}) == 1
    assert load("other") is not results[0]
    assert loads == ["rules", "other"]


def test_the_shipped_loaders_load_once_per_folder():
    assert default_rule_base() is default_rule_base()
    assert default_library() is default_library()
    assert default_training_library(str(ROOT / "training")) is default_training_library(str(ROOT / "training"))
