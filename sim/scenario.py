"""Scenario files: find, read (TOML), extend, override, validate and fingerprint them."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.config import Scenario
from sim.errors import InputError

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(InputError):
    """A scenario file or override is missing, unreadable or invalid (message is user-facing)."""


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from and its fingerprint."""

    name: str
    path: Path | None
    scenario: Scenario
    text: str  # the merged document as canonical JSON

    @property
    def hash(self) -> str:
        """sha256 of the validated scenario: equal hashes mean identical markets."""
        return scenario_hash(self.scenario)


def scenario_hash(scenario: Scenario) -> str:
    """sha256 (hex, first 16 digits) of the scenario's canonical JSON form."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def available() -> list[str]:
    """Names of the shipped scenarios (files in ``scenarios/``)."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def locate(name_or_path: str | Path) -> Path:
    """The file for a shipped scenario name or a path to a TOML file."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError(f"{path}: no such scenario file")
        return path
    shipped = SCENARIO_DIR / f"{name_or_path}.toml"
    if shipped.is_file():
        return shipped
    raise ScenarioError(
        f"unknown scenario {str(name_or_path)!r}; shipped scenarios: {', '.join(available())}, "
        "or give a path to a .toml file"
    )


def read_document(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The TOML document at ``path`` with any ``extends = "other"`` parent merged underneath."""
    if path.resolve() in _seen:
        chain = " -> ".join(str(p) for p in (*_seen, path.resolve()))
        raise ScenarioError(f"{path}: 'extends' forms a cycle: {chain}")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror})") from None
    if not text.strip():
        raise ScenarioError(f"{path}: the file is empty; a scenario needs at least [[firms]]")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    parent = document.pop("extends", None)
    if parent is None:
        return document
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: 'extends' must be a scenario name or file path (a string)")
    parent_path = locate(path.parent / parent if parent.endswith(".toml") else parent)
    return merge(read_document(parent_path, (*_seen, path.resolve())), document)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (values, arrays such as [[firms]]) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


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


def validate(document: dict[str, Any], source: str) -> Scenario:
    """The validated scenario, or a ScenarioError listing every problem with its key path."""
    try:
        return Scenario.model_validate(document)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = format_path(err["loc"]) or "(top level)"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown key (check the spelling; docs/scenarios.md lists every key)"
            value = err.get("input")
            shown = "" if isinstance(value, dict | list) or value is None else f" (got {value!r})"
            lines.append(f"  {where}: {message}{shown}")
        raise ScenarioError(f"{source}: invalid scenario:\n" + "\n".join(lines)) from None


def load(
    name_or_path: str | Path,
    overrides: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
) -> LoadedScenario:
    """Read, merge and validate a shipped scenario or a TOML file, after applying ``overrides``
    ("key.path=value" strings, as ``--set`` takes them) and then ``settings`` (key path → value)."""
    path = locate(name_or_path)
    document = read_document(path)
    assignments = [parse_override(o) for o in overrides] + list((settings or {}).items())
    for key, value in assignments:
        document = set_value(document, key, value)
    scenario = validate(document, str(path))
    return LoadedScenario(path.stem, path, scenario, json.dumps(document, sort_keys=True))
