"""The one reader of user-supplied YAML and JSON (scenario files, imports, the API's body): plain data only.

``yaml.safe_load`` constructs no Python objects, but it still expands aliases: a 448-byte file of nested
aliases (a "billion laughs") became a structure that took seconds and gigabytes to build, store and show.
This loader walks the parse events first and refuses, before anything is composed or constructed:

* aliases (``*name``), so nothing is expanded; anchors alone are harmless and ignored;
* more than ``MAX_NODES`` nodes or nesting deeper than ``MAX_DEPTH``;
* any type but the core ones: text, whole numbers, numbers, true/false, null, lists and mappings with text
  keys (``!!binary``, ``!!set``, ``!!timestamp``, ``!!omap``, ``!!python/...`` and custom tags are refused
  with the line; an unquoted date such as ``2024-05-01`` is read as text);
* text longer than ``MAX_SCALAR`` characters and whole numbers of more than ``MAX_DIGITS`` digits.

Data that was parsed elsewhere (the API's JSON body) is held to the same limits by ``check_data``.
"""

from __future__ import annotations

import math
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_NODES = 50_000  # a scenario at the contract's limits has about 20,000
MAX_DEPTH = 50  # a scenario nests 5 levels deep
MAX_SCALAR = 10_000  # characters in one value; the contract's longest text is 300
MAX_DIGITS = 30  # digits in a whole number; the contract's largest is 10^13
MAX_TEXT = 1024 * 1024  # characters of a whole document (a scenario at the contract's limits has ~400 KiB)

_CORE = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class UnsafeInput(ValueError):
    """Input that is not plain data within the limits; ``line`` is 1-based (None when unknown)."""

    def __init__(self, message: str, line: int | None = None, *, syntax: bool = False) -> None:
        self.reason = message
        self.line = line
        self.syntax = syntax  # not YAML at all, rather than YAML this loader refuses
        super().__init__(f"line {line}: {message}" if line else message)


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: about 5 times faster


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """SafeLoader that constructs the core types only: a plain scalar that looks like a date stays text,
    and any other tag has no constructor (``check_events`` has refused it before, with its line)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_constructors = {
    tag: constructor for tag, constructor in yaml.SafeLoader.yaml_constructors.items() if tag in _CORE
}
_RESOLVER = yaml.resolver.Resolver()
_RESOLVER.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def check_events(text: str) -> None:
    """Walk the document's parse events, before anything is composed or built: refuse aliases, more than
    ``MAX_NODES`` nodes, nesting deeper than ``MAX_DEPTH``, tags other than the core ones, keys that are not
    text, text longer than ``MAX_SCALAR`` and whole numbers longer than ``MAX_DIGITS``."""
    nodes = 0
    stack: list[list[bool]] = []  # per open collection: [is a mapping, the next node is a key]
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, AliasEvent):
            raise UnsafeInput(
                f"aliases (*{event.anchor}) are not accepted: write the values out", _line(event.start_mark)
            )
        if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            stack.pop()
            continue
        if not isinstance(event, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
            continue
        line = _line(event.start_mark)
        nodes += 1
        if nodes > MAX_NODES:
            raise UnsafeInput(f"more than {MAX_NODES:,} values", line)
        is_key = bool(stack) and stack[-1][0] and stack[-1][1]
        if stack and stack[-1][0]:
            stack[-1][1] = not stack[-1][1]
        tag = _tag(event)
        if tag not in _CORE:
            raise UnsafeInput(f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not accepted", line)
        if is_key and tag != "tag:yaml.org,2002:str":
            raise UnsafeInput("keys must be text", line)
        if isinstance(event, ScalarEvent):
            if len(event.value) > MAX_SCALAR:
                raise UnsafeInput(f"a value longer than {MAX_SCALAR:,} characters", line)
            if tag == "tag:yaml.org,2002:int" and sum(c.isalnum() for c in event.value) > MAX_DIGITS + 2:
                raise UnsafeInput(f"a whole number of more than {MAX_DIGITS} digits", line)
            continue
        stack.append([isinstance(event, MappingStartEvent), True])
        if len(stack) > MAX_DEPTH:
            raise UnsafeInput(f"nested more than {MAX_DEPTH} levels deep", line)


def _tag(event: Any) -> str:
    """The tag a node of this event resolves to, as the loader will resolve it."""
    if event.tag not in (None, "!"):
        return event.tag
    if isinstance(event, ScalarEvent):
        return _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
    kind = MappingNode if isinstance(event, MappingStartEvent) else SequenceNode
    return _RESOLVER.resolve(kind, None, event.implicit)


def load_data(text: str | bytes) -> Any:
    """Parse YAML (or JSON, which is YAML) into plain data; raise UnsafeInput saying what and where."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise UnsafeInput("not UTF-8 text", syntax=True) from None
    if len(text) > MAX_TEXT:
        raise UnsafeInput(f"longer than {MAX_TEXT // 1024:,} KiB")
    try:
        check_events(text)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader with fewer types
    except UnsafeInput:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise UnsafeInput(str(exc.problem or exc.context), _line(mark), syntax=True) from None
    except yaml.YAMLError as exc:
        raise UnsafeInput(str(exc), syntax=True) from None
    except (ValueError, OverflowError) as exc:  # a number the constructors cannot build
        raise UnsafeInput(f"a value that cannot be read: {exc}") from None
    return _finite(data)


def _finite(value: Any) -> Any:
    """Non-finite numbers (``.inf``, ``.nan``, ``1e400``) as text: standard JSON, and so PostgreSQL's JSON
    columns, cannot hold them, and the contract then names the field that needs a number."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def check_data(data: Any) -> None:
    """Hold data parsed elsewhere (JSON) to the same limits: core types, nodes, depth, text and key types."""
    nodes = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise UnsafeInput(f"more than {MAX_NODES:,} values")
        if depth > MAX_DEPTH:
            raise UnsafeInput(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise UnsafeInput("keys must be text")
                stack.append((key, depth + 1))
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if len(value) > MAX_SCALAR:
                raise UnsafeInput(f"a value longer than {MAX_SCALAR:,} characters")
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if value.bit_length() > 100:  # about 30 digits
                raise UnsafeInput(f"a whole number of more than {MAX_DIGITS} digits")
        elif isinstance(value, float):
            if not math.isfinite(value):
                continue  # reported by the contract with its path
        else:
            raise UnsafeInput(f"a value of type {type(value).__name__} is not accepted")
