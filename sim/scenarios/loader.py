"""Scenario files: find, read (TOML), extend, override, validate and fingerprint them.

A *scenario* is a named, documented market: a TOML file (shipped in the package, from the
repository's ``scenarios/`` folder, or your own) that validates to a
:class:`~sim.schema.MarketSpec`.
:func:`load` returns it as a :class:`Scenario`: its name, file, spec and fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenarios.overrides import (
    ScenarioError,
    format_path,
    parse_override,
    set_value,
)
from sim.schema import MarketSpec, StrategySpec
from sim.strategies import StrategyError, resolve_params, strategy_class


@dataclass(frozen=True)
class Scenario:
    """A validated scenario with where it came from and its fingerprint."""

    name: str
    path: Path | None
    spec: MarketSpec
    text: str  # the merged document as canonical JSON

    @property
    def hash(self) -> str:
        """sha256 of the validated market: equal hashes mean identical markets."""
        return spec_hash(self.spec)


def spec_hash(spec: MarketSpec) -> str:
    """sha256 (hex, first 16 digits) of the market's canonical JSON form, without its Info text
    (documentation: rewording or translating it changes no market)."""
    canonical = json.dumps(spec.model_dump(mode="json", exclude={"info"}), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def shipped_dir() -> Path:
    """The folder of the shipped scenario files, inside the installed package."""
    return Path(str(files("sim.scenarios.shipped")))


def available() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.stem for p in shipped_dir().glob("*.toml"))


def looks_like_path(name_or_path: str | Path) -> bool:
    """A path, not a scenario name: it ends in ``.toml`` or names a folder or the home."""
    text = str(name_or_path)
    return text.endswith(".toml") or "/" in text or "\\" in text or text.startswith(("~", "."))


def locate(name_or_path: str | Path) -> Path:
    """The file for a shipped scenario name or a path to a TOML file (a name such as
    ``flagship`` is always a shipped scenario, even if a folder of that name is here)."""
    if looks_like_path(name_or_path):
        path = Path(name_or_path).expanduser()
        if path.is_dir():
            raise ScenarioError(f"{name_or_path}: a folder, not a scenario file (*.toml)")
        if not path.is_file():
            raise ScenarioError(f"{name_or_path}: no such scenario file")
        return path
    shipped = shipped_dir() / f"{name_or_path}.toml"
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
        text = path.read_text(encoding="utf-8-sig")  # a BOM (Windows Notepad) is dropped
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path}: not a text file in UTF-8 (byte 0x{exc.object[exc.start]:02x} at position "
            f"{exc.start}); a scenario file is TOML text, saved as UTF-8"
        ) from None
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
    try:
        parent_path = locate(path.parent / parent if parent.endswith(".toml") else parent)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: extends = {parent!r}: {exc}") from None
    merged = merge(read_document(parent_path, (*_seen, path.resolve())), document)
    return merged | {"info": inherited_info(merged.get("info", {}), document, path.name)}


def changed_keys(document: dict[str, Any], prefix: str = "") -> list[str]:
    """The keys a document sets, as dotted paths (tables opened, everything else whole)."""
    keys = []
    for key, value in document.items():
        where = f"{prefix}.{key}" if prefix else key
        keys += changed_keys(value, where) if isinstance(value, dict) else [where]
    return keys


def inherited_info(info: dict[str, Any], document: dict[str, Any], file: str) -> dict[str, Any]:
    """A child's Info tab: where ``document`` (the child, in ``file``) sets no title or no
    WHAT IS IT of its own, in English or in Chinese, the parent's say so and name what the child
    changes, so that a report never shows the parent's title for a different market."""
    own = document.get("info", {})
    changes = ", ".join(changed_keys({k: v for k, v in document.items() if k != "info"}))
    notes = {
        "en": (f" (as changed by {file})", f"As changed by {file}: {changes or 'nothing'}.\n"),
        "zh": (f"（{file} 修改版）", f"{file} 修改了：{changes or '无'}。\n"),
    }
    out = dict(info)
    for lang, (after_title, before_text) in notes.items():
        text = dict(info.get("zh", {})) if lang == "zh" else out
        mine = own.get("zh", {}) if lang == "zh" else own
        if "title" not in mine and text.get("title"):
            text["title"] = text["title"] + after_title
        if "what_is_it" not in mine and text.get("what_is_it"):
            text["what_is_it"] = before_text + text["what_is_it"].lstrip("\n")
        if lang == "zh" and text:
            out["zh"] = text
    return out


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (values, arrays such as [[firms]]) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


BOUNDS = {"greater_than_equal": ("≥", "ge"), "greater_than": (">", "gt")}
BOUNDS |= {"less_than_equal": ("≤", "le"), "less_than": ("<", "lt")}
TYPE_MESSAGES = {  # types are exact: pydantic's message for a wrong type, in a scenario's words
    "int_type": "must be a whole number, written without quotes or decimal point, e.g. 12",
    "float_type": "must be a number, written without quotes, e.g. 0.15 or 2",
    "string_type": "must be text, written in quotes",
    "bool_type": "must be true or false, written without quotes",
    "missing": "is required here, and missing",
}


def error_line(
    where: str, err: Any, root: type[BaseModel] = MarketSpec, docs: str = "docs/scenarios.md"
) -> str:
    """One problem as '  key.path: message (got value)' (pydantic's error ``err`` in a document
    of the model ``root``; ``docs``: the page that lists its keys)."""
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        allowed = allowed_keys(err["loc"][:-1], root)
        listed = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        message = f"unknown key (check the spelling; {docs} lists every key){listed}"
    if err["type"] == "model_type":  # a value where a table belongs
        keys = allowed_keys(err["loc"], root)
        example = f"{{{keys[0]} = …}}" if keys else "{key = value, …}"
        message = f"must be a table, e.g. {example} (keys: {', '.join(keys)})"
    if err["type"] == "union_tag_invalid":  # a table's kind (or name) that is not one of them
        ctx = err["ctx"]
        tag = ctx["discriminator"].strip("'")
        message = f"unknown {tag} {ctx['tag']!r}; allowed: {ctx['expected_tags']}"
    if err["type"] in BOUNDS:  # pydantic's "Input should be greater than or equal to 10"
        sign, bound = BOUNDS[err["type"]]
        limit = err["ctx"][bound]
        message = (
            f"must be a number {sign} {limit:g}"
            if isinstance(limit, int | float)
            else (f"must be {sign} {limit}")
        )
    value = err.get("input")
    message = TYPE_MESSAGES.get(err["type"], message)
    if isinstance(value, bool) and err["type"] in ("int_type", "float_type"):
        message += "; true/false is not a number"
    shown = "" if isinstance(value, dict | list) or value is None else f" (got {value!r})"
    if isinstance(value, bool):  # as the file writes it
        shown = f" (got {str(value).lower()})"
    return f"  {where}: {message}{shown}"


def allowed_keys(loc: Sequence[str | int], root: type[BaseModel] = MarketSpec) -> list[str]:
    """The keys of the table at ``loc`` (a pydantic error location in a ``root``), or [] where
    the table's model is not one fixed class (a variant chosen by its ``kind``)."""
    model: Any = root
    for step in loc:
        if isinstance(step, int):
            continue
        variants = tagged_variants(model)
        if step in variants:  # a table whose kind (or name) chose its model
            model = variants[step]
            continue
        field = model.model_fields.get(step) if isinstance(model, type) else None
        if field is None:
            return []
        model = field.annotation
        while typing.get_origin(model) in (list, tuple) and typing.get_args(model):
            model = typing.get_args(model)[0]
    ok = isinstance(model, type) and issubclass(model, BaseModel)
    return list(model.model_fields) if ok else []


def tagged_variants(model: Any) -> dict[str, type[BaseModel]]:
    """The models of a union whose ``kind`` or ``name`` picks one (``Annotated[A | B,
    Field(discriminator="kind")]``), by that tag; {} for anything else."""
    if typing.get_origin(model) is typing.Annotated:
        model = typing.get_args(model)[0]
    found = {}
    for member in typing.get_args(model) if isinstance(model, types.UnionType) else ():
        for tag_field in ("kind", "name"):
            field = getattr(member, "model_fields", {}).get(tag_field)
            if field is not None and typing.get_origin(field.annotation) is typing.Literal:
                found |= dict.fromkeys(typing.get_args(field.annotation), member)
    return found


def validate(document: dict[str, Any], source: str) -> MarketSpec:
    """The validated market, or a ScenarioError listing every problem with its key path
    (strategies and their parameters are checked against each strategy's own schema)."""
    try:
        spec = MarketSpec.model_validate(document)
    except ValidationError as exc:
        lines = [error_line(format_path(err["loc"]) or "(top level)", err) for err in exc.errors()]
        raise ScenarioError(f"{source}: invalid scenario:\n" + "\n".join(lines)) from None
    lines = []
    for i, firm in enumerate(spec.firms):
        where = f"firms[{i}].strategy"
        typed = param_type_errors(where, firm.strategy)
        if typed:
            lines += typed
            continue
        try:
            resolve_params(firm.strategy.name, firm.strategy.params)
        except StrategyError as exc:
            lines.append(f"  {where}: {exc}")
    if lines:
        raise ScenarioError(f"{source}: invalid scenario:\n" + "\n".join(lines))
    return spec


def param_type_errors(where: str, strategy: StrategySpec) -> list[str]:
    """Error lines, key by key, for strategy parameters of the wrong type (a bool or text for a
    number); other problems (unknown names, ranges) are left to resolve_params' message."""
    try:
        strategy_class(strategy.name).Params.model_validate(strategy.params, strict=True)
    except StrategyError:
        return []
    except ValidationError as exc:
        wrong = [e for e in exc.errors() if e["type"] in TYPE_MESSAGES]
        return [error_line(f"{where}.{format_path(e['loc'])}", e) for e in wrong]
    return []


def load(
    name_or_path: str | Path,
    overrides: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
) -> Scenario:
    """Read, merge and validate a shipped scenario or a TOML file, after applying ``overrides``
    ("key.path=value" strings, as ``--set`` takes them) and then ``settings`` (key path → value)."""
    path = locate(name_or_path)
    document = read_document(path)
    assignments = [parse_override(o) for o in overrides] + list((settings or {}).items())
    for key, value in assignments:
        document = set_value(document, key, value)
    try:
        spec = validate(document, str(path))
    except ScenarioError as exc:
        if not assignments:
            raise
        changed = ", ".join(f"{key}={json.dumps(value)}" for key, value in assignments)
        raise ScenarioError(f"{exc}\n  (the file's values as changed by: {changed})") from None
    return Scenario(path.stem, path, spec, json.dumps(document, sort_keys=True))
