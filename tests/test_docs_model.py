"""docs/model.md must not drift from the code.

Checks: every code link names something that exists; every scenario key is documented with the
default and range of the code; every built-in strategy, its parameters and every Decision field are
documented; every metric is documented; the examples in the document run.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import math
import re
import tomllib
import types
import typing
from pathlib import Path

import annotated_types as at
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import sim.config
from sim.config import Scenario
from sim.metrics import FIRM_METRICS, MARKET_METRICS
from sim.model import Market
from sim.strategies import STRATEGIES, Decision, Personalisation

DOC = Path(__file__).resolve().parent.parent / "docs" / "model.md"
TEXT = DOC.read_text(encoding="utf-8")
FENCED = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
PROSE = FENCED.sub("", TEXT)  # the text outside fenced code blocks
CODE_SPANS = re.findall(r"`([^`\n]+)`", PROSE)
LINK = re.compile(r"\[`([^`\]]+)`\]\(\.\./sim/(\w+)\.py\)")
KEY_SPAN = re.compile(r"^[A-Za-z_][\w.\[\]]*$")  # a name or key path, not an equation
ROW = re.compile(r"^\|(.*)\|\s*$", re.M)


def config_models() -> list[type[BaseModel]]:
    """Every pydantic model class defined in sim/config.py."""
    return [
        obj
        for obj in vars(sim.config).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == "sim.config"
    ]


def section(heading_start: str) -> str:
    """The text from the heading that starts with ``heading_start`` to the next heading of the
    same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading_start)}.*$", TEXT, re.M)
    assert match, f"docs/model.md has no heading starting {heading_start!r}"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(TEXT, match.end())
    return TEXT[match.end() : end.start() if end else len(TEXT)]


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows keyed by the code span in their first cell: {key: other cells}."""
    rows = {}
    for line in ROW.findall(text):
        cells = [c.strip() for c in line.split("|")]
        first = re.fullmatch(r"`([^`]+)`", cells[0])
        if first:
            rows[first.group(1)] = cells[1:]
    return rows


def leaf(span: str) -> str:
    """The last identifier of a key path: ``customers.segments[].purchase_rate`` → purchase_rate."""
    return re.findall(r"[A-Za-z_]\w*", span)[-1]


def models_in(annotation: object) -> tuple[list[type[BaseModel]], bool]:
    """The pydantic models inside an annotation (``M``, ``M | None``, ``list[M]``, an
    ``Annotated`` discriminated union of models) and whether it is a list of them."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return models_in(typing.get_args(annotation)[0])
    if origin is list:
        inner, _ = models_in(typing.get_args(annotation)[0])
        return inner, True
    if origin in (typing.Union, types.UnionType):
        found = [m for arg in typing.get_args(annotation) for m in models_in(arg)[0]]
        return found, False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation], False
    return [], False


def key_paths(
    model: type[BaseModel], prefix: str = "", variants: list | None = None
) -> list[tuple[str, FieldInfo]]:
    """Every scenario key reachable from ``model``, as written in docs/model.md. The members of a
    union of several models (such as the event kinds) are collected in ``variants`` as
    (key prefix, model) instead: each is documented in its own table."""
    found = []
    for name, info in model.model_fields.items():
        path = prefix + name
        found.append((path, info))
        inner, is_list = models_in(info.annotation)
        sub = path + ("[]." if is_list else ".")
        if len(inner) == 1:
            found += key_paths(inner[0], sub, variants)
        elif variants is not None:
            variants += [(sub, member) for member in inner]
    return found


def literal(text: str) -> object:
    """A number or string written in the document (``inf`` allowed)."""
    text = text.strip()
    if text in ("inf", "-inf"):
        return float(text)
    return ast.literal_eval(text)


def check_default(where: str, cell: str, info: FieldInfo) -> None:
    """The default cell of a table row agrees with the field's default."""
    if info.is_required():
        assert cell == "required", f"{where}: the code has no default, the document says {cell!r}"
        return
    default = info.get_default(call_default_factory=True)
    written = re.search(r"`([^`]+)`", cell)
    if isinstance(default, BaseModel | list):
        assert written is None or default is None, f"{where}: a table default, documented {cell}"
        return
    assert written, f"{where}: the default {default!r} is not written in backticks ({cell!r})"
    value = literal(written.group(1))
    if isinstance(default, float | int) and not isinstance(default, bool):
        assert isinstance(value, float | int), f"{where}: default {value!r} is not a number"
        assert math.isclose(value, default), f"{where}: document says {value}, code {default}"
    else:
        assert value == default, f"{where}: document says {value!r}, code {default!r}"


def expected_interval(metadata: list[object]) -> tuple[str, float, float, str] | None:
    """(opening bracket, low, high, closing bracket) of a field's numeric constraints."""
    low, high, opening, closing = -math.inf, math.inf, "(", ")"
    found = False
    for m in metadata:
        if isinstance(m, at.Ge):
            low, opening, found = float(m.ge), "[", True
        elif isinstance(m, at.Gt):
            low, opening, found = float(m.gt), "(", True
        elif isinstance(m, at.Le):
            high, closing, found = float(m.le), "]", True
        elif isinstance(m, at.Lt):
            high, closing, found = float(m.lt), ")", True
    return (opening, low, high, closing) if found else None


def documented_interval(cell: str) -> tuple[str, float, float, str] | None:
    """The interval written in a range cell, such as ``[0, 1]`` or ``(0, 10_000]``."""
    match = re.search(r"([\[(])\s*([^,\s]+)\s*,\s*([^\])\s]+)\s*([\])])", cell)
    if not match:
        return None
    opening, low, high, closing = match.groups()
    return opening, float(literal(low)), float(literal(high)), closing


def check_range(where: str, cell: str, info: FieldInfo) -> None:
    """The range cell of a table row agrees with the field's constraints."""
    if typing.get_origin(info.annotation) is typing.Literal:
        for option in typing.get_args(info.annotation):
            assert f'`"{option}"`' in cell, f"{where}: allowed value {option!r} not listed"
        return
    lengths = [m for m in info.metadata if isinstance(m, at.MinLen | at.MaxLen)]
    if lengths:
        for m in lengths:
            bound = str(m.min_length if isinstance(m, at.MinLen) else m.max_length)
            assert bound in cell, f"{where}: length bound {bound} not in {cell!r}"
        return
    expected = expected_interval(info.metadata)
    written = documented_interval(cell)
    assert written == expected, f"{where}: document says {written}, code {expected}"
    if expected is not None:
        assert ("integer" in cell) == (info.annotation is int), f"{where}: integer or not?"


# --- links to the code --------------------------------------------------------------------------

LINKS = sorted(set(LINK.findall(TEXT)))


def test_the_document_links_to_the_code():
    assert len(LINKS) > 50
    linked = {module for _, module in LINKS}
    assert {"model", "value", "customers", "network", "agents", "strategies", "metrics"} <= linked


@pytest.mark.parametrize(("name", "module"), LINKS, ids=[f"{m}.{n}" for n, m in LINKS])
def test_every_code_link_names_something_in_that_module(name, module):
    target: object = importlib.import_module(f"sim.{module}")
    for part in name.split("."):
        assert hasattr(target, part), f"[`{name}`](../sim/{module}.py): sim.{module} has no {name}"
        target = getattr(target, part)


def test_every_link_into_sim_has_the_checked_form():
    """A link into sim/ with a backticked name must match the checked pattern exactly."""
    loose = re.findall(r"\[`[^`]*`\]\(\.\./sim/[^)]*\)", TEXT)
    strict = [m.group(0) for m in LINK.finditer(TEXT)]
    assert sorted(loose) == sorted(strict), set(loose) - set(strict)


# --- parameters ---------------------------------------------------------------------------------

PARAMETERS = table_rows(section("10. Parameters"))
VARIANTS: list[tuple[str, type[BaseModel]]] = []
KEYS = key_paths(Scenario, variants=VARIANTS)


@pytest.mark.parametrize("model", config_models(), ids=[m.__name__ for m in config_models()])
def test_every_config_field_is_named_in_the_document(model):
    names = {leaf(span) for span in CODE_SPANS if KEY_SPAN.match(span)}
    missing = [f for f in model.model_fields if f not in names]
    assert not missing, f"{model.__name__} fields not in docs/model.md: {missing}"


@pytest.mark.parametrize(("key", "info"), KEYS, ids=[k for k, _ in KEYS])
def test_every_scenario_key_has_a_row_with_the_code_default_and_range(key, info):
    assert key in PARAMETERS, f"no row for `{key}` in docs/model.md, section 10"
    cells = PARAMETERS[key]
    assert len(cells) == 4, f"`{key}`: expected cells default | unit | range | meaning"
    default, unit, allowed, meaning = cells
    check_default(key, default, info)
    check_range(key, allowed, info)
    assert unit and meaning, f"`{key}`: unit and meaning must not be empty"


def variant_tag(model: type[BaseModel]) -> str:
    """The value of the discriminator ``kind`` that selects ``model``."""
    (tag,) = typing.get_args(model.model_fields["kind"].annotation)
    return tag


@pytest.mark.parametrize(
    ("prefix", "model"), VARIANTS, ids=[f"{p}{m.__name__}" for p, m in VARIANTS]
)
def test_every_variant_has_its_own_table_with_the_code_defaults_and_ranges(prefix, model):
    tag = variant_tag(model)
    heading = re.search(rf"^#+ (10\.[\d.]+ `{re.escape(tag)}`)", TEXT, re.M)
    assert heading, f"no heading for `{tag}` ({model.__name__}) in section 10"
    rows = table_rows(section(heading.group(1)))
    expected = {prefix + name: info for name, info in model.model_fields.items()}
    assert set(rows) == set(expected), f"{tag}: rows differ from {model.__name__}"
    for key, info in expected.items():
        default, unit, allowed, meaning = rows[key]
        check_default(f"{tag}: {key}", default, info)
        check_range(f"{tag}: {key}", allowed, info)
        assert unit and meaning


def test_no_row_documents_a_key_the_code_does_not_have():
    known = {key for key, _ in KEYS}
    known |= {prefix + name for prefix, model in VARIANTS for name in model.model_fields}
    assert not set(PARAMETERS) - known


# --- strategies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_and_its_parameters_are_documented(name):
    cls = STRATEGIES[name]
    text = section(next(h for h in re.findall(r"^### (8\.\d+ `[^`]+`)", TEXT, re.M) if name in h))
    assert f"[`{cls.__name__}`](../sim/strategies.py)" in TEXT
    rows = table_rows(text)
    assert set(rows) == set(cls.Params.model_fields), f"{name}: parameter table differs"
    for param, info in cls.Params.model_fields.items():
        default, allowed, meaning = rows[param]
        check_default(f"{name}.{param}", default, info)
        check_range(f"{name}.{param}", allowed, info)
        assert meaning


def test_every_decision_field_is_documented_with_its_range():
    rows = table_rows(section("8.1 The decision"))
    fields = {f.name: f for f in dataclasses.fields(Decision)}
    assert set(rows) == set(fields)
    for name, (default, allowed, _unit, _effect) in rows.items():
        code_default = fields[name].default
        if name == "personalisation":
            for option in typing.get_args(Personalisation):
                assert f'`"{option}"`' in allowed, f"personalisation: {option!r} not listed"
            assert default == f'`"{code_default}"`', f"personalisation: default {default}"
            continue
        low, high = (float(literal(x)) for x in re.fullmatch(r"\[(\S+), (\S+)\]", allowed).groups())
        assert (low, high) == Decision.BOUNDS[name], f"{name}: range {allowed}"
        if default == "required":
            assert code_default is dataclasses.MISSING, f"{name}: the code has a default"
        else:
            assert float(default) == code_default, f"{name}: default {default}"


# --- metrics ------------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", FIRM_METRICS + MARKET_METRICS)
def test_every_metric_is_documented(metric):
    assert metric in CODE_SPANS, f"metric `{metric}` is not in docs/model.md"
    metrics = table_rows(section("9. Metrics"))
    assert metric in metrics and metrics[metric][-1], f"metric `{metric}` has no definition row"


# --- the examples run ---------------------------------------------------------------------------


def fenced(language: str) -> list[str]:
    """The fenced code blocks of one language."""
    return [body for lang, body in FENCED.findall(TEXT) if lang == language]


def test_the_toml_example_is_a_valid_firm():
    (example,) = fenced("toml")
    document = tomllib.loads(example)
    assert Scenario.model_validate(document).firms


def test_the_custom_strategy_example_runs():
    (example,) = fenced("python")
    before = dict(STRATEGIES)
    try:
        namespace: dict[str, object] = {"__name__": "docs_example"}
        exec(compile(example, "docs/model.md", "exec"), namespace)
        added = set(STRATEGIES) - set(before)
        assert len(added) == 1
        (name,) = added
        scenario = Scenario.model_validate(
            {
                "periods": 2,
                "customers": {"count": 100},
                "firms": [
                    {"name": "Mine", "strategy": {"name": name}},
                    {"name": "Other", "strategy": {"name": "static"}},
                ],
            }
        )
        metrics = Market(scenario, rng=0).run().firm_metrics()
        assert len(metrics) == 4
    finally:
        STRATEGIES.clear()
        STRATEGIES.update(before)
