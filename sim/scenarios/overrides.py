"""Changing a scenario document from the command line: ``--set key.path=value`` and
``--grid key.path=v1,v2``, with values read as TOML reads them."""

from __future__ import annotations

import json
import tomllib
from typing import Any

from sim.errors import InputError


class ScenarioError(InputError):
    """A scenario file or override is missing, unreadable or invalid (message is user-facing)."""


def parse_key(key: str) -> list[str | int]:
    """``"a.b[2].c"`` → ["a", "b", 2, "c"]."""
    path: list[str | int] = []
    for part in key.strip().split("."):
        name, _, rest = part.partition("[")
        if name:
            path.append(name)
        while rest:
            index, _, rest = rest.partition("]")
            if not index.isdigit():
                raise ScenarioError(f"{key!r}: list index [{index}] is not a number")
            path.append(int(index))
            rest = rest.removeprefix("[")
    if not path:
        raise ScenarioError(f"{key!r}: empty key path")
    return path


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
            where = format_path(path[: depth + 1])
            raise ScenarioError(f"setting {key}: {where} does not exist") from None
    try:
        node[path[-1]] = value
    except (IndexError, TypeError):
        raise ScenarioError(f"setting {key}: {format_path(path)} does not exist") from None
    return root


def format_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('firms', 2, 'strategy', 'crm') → 'firms[2].strategy.crm'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
