"""Changing a scenario document from the command line: ``--set key.path=value`` and
``--grid key.path=v1,v2``, with values read as TOML reads them."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

from sim.errors import InputError


class ScenarioError(InputError):
    """A scenario file or override is missing, unreadable or invalid (message is user-facing)."""


KEY_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)((?:\[[0-9]+\])*)")
KEY_HELP = "write names joined by dots, with list positions in brackets, e.g. firms[0].price"


def parse_key(key: str) -> list[str | int]:
    """``"a.b[2].c"`` → ["a", "b", 2, "c"]; a malformed key path is a ScenarioError."""
    text = key.strip()
    if not text:
        raise ScenarioError(f"{key!r}: empty key path; {KEY_HELP}")
    path: list[str | int] = []
    for part in text.split("."):
        match = KEY_PART.fullmatch(part)
        if match is None:
            raise ScenarioError(f"{key!r} is not a key path: {_key_problem(part)}; {KEY_HELP}")
        path.append(match[1])
        path += [int(index) for index in re.findall(r"\[([0-9]+)\]", match[2])]
    return path


def _key_problem(part: str) -> str:
    """What is wrong with one dot-separated part of a key path."""
    if not part:
        return "a name is missing before or after a dot"
    if part.startswith("["):
        return f"{part!r} has a list position but no name before it"
    if part.count("[") != part.count("]"):
        return f"{part!r} has unmatched brackets"
    if "[" in part:
        return f"{part!r}: a list position is a whole number ≥ 0 in brackets"
    return f"{part!r} is not a name (letters, digits, _ and -, not starting with a digit)"


def parse_value(raw: str) -> Any:
    """A value as TOML reads it (``1.5``, ``true``, ``"x"``, ``{name = "static"}``), else text."""
    try:
        return tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return raw.strip()


def parse_override(assignment: str) -> tuple[str, Any]:
    """``"a.b[2].c=1.5"`` → ("a.b[2].c", 1.5)."""
    key, sep, raw = assignment.partition("=")
    if not sep or not key.strip():
        raise ScenarioError(f"--set {assignment!r}: expected key.path=value")
    return key.strip(), parse_value(raw)


def set_value(document: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of the document with one key path set (tables along the path are created)."""
    path = parse_key(key)
    root = json.loads(json.dumps(document))
    node: Any = root
    for depth, step in enumerate(path[:-1]):
        try:
            node = node[step] if isinstance(step, int) else node.setdefault(step, {})
        except (IndexError, KeyError, TypeError, AttributeError):
            raise missing(key, path[: depth + 1], node) from None
    try:
        node[path[-1]] = value
    except (IndexError, TypeError):
        raise missing(key, path, node) from None
    return root


def missing(key: str, path: list[str | int], parent: Any) -> ScenarioError:
    """The error for a key path that leads nowhere; for a list, how many entries it has."""
    where = format_path(path)
    if isinstance(path[-1], int) and isinstance(parent, list):
        outer, count = format_path(path[:-1]), len(parent)
        span = f": {outer}[0] to {outer}[{count - 1}]" if count else ""
        return ScenarioError(f"setting {key}: {where} does not exist ({outer} has {count}{span})")
    return ScenarioError(f"setting {key}: {where} does not exist")


def format_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('firms', 2, 'strategy', 'crm') → 'firms[2].strategy.crm'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
