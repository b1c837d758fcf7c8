"""Constants the tests share (fixtures stay in conftest.py; tests import plain values from here, never from
conftest)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))
DATA = Path(__file__).resolve().parent / "data"
PASSWORD = "correct horse battery"
