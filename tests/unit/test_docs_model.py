"""docs/model.md must not drift from the code.

Checks: every code link names something defined in the module it links to, and every link into
sim/ points at a file that exists; every submodel module is linked from the process overview;
every scenario key is documented with the default and range of the code, and every schema section
class is linked to its module; every built-in strategy, its parameters and every Decision field are
documented; every metric is documented; the examples in the document run.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import math
import pkgutil
import re
import sys
import tomllib
import types
import typing
from pathlib import Path

import annotated_types as at
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.model import Market
from sim.scenarios import validate
from sim.schema import FIRM_METRICS, MARKET_METRICS, MarketSpec
from sim.strategies import (
    BUILTIN,
    Decision,
    Personalisation,
    Strategy,
    portable_name,
    strategy_class,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "model.md"
TEXT = DOC.read_text(encoding="utf-8")
FENCED = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
PROSE = FENCED.sub("", TEXT)  # the text outside fenced code blocks
CODE_SPANS = re.findall(r"`([^`\n]+)`", PROSE)
# [`Name`](../sim/path/to/module.py): the name `Name` in the module sim.path.to.module
LINK = re.compile(r"\[`([^`\]]+)`\]\(\.\./sim/((?:\w+/)*\w+)\.py\)")
ANY_LINK = re.compile(r"\]\(\.\./(sim/[^)#\s]*)(?:#[^)]*)?\)")  # any link into sim/
KEY_SPAN = re.compile(r"^[A-Za-z_][\w.\[\]]*$")  # a name or key path, not an equation
ROW = re.compile(r"^\|(.*)\|\s*$", re.M)


def module_of(path: str) -> str:
    """``model/submodels/choice`` (a link's path below sim/, without .py) → its module name."""
    return "sim." + path.replace("/", ".").removesuffix(".__init__")


def link_path(module: str) -> str:
    """The inverse of :func:`module_of` for a module that is a file: ``sim.schema.books`` →
    ``schema/books``."""
    return module.removeprefix("sim.").replace(".", "/")


def modules_under(package: str) -> list[str]:
    """Every module (not subpackage) of a package and its subpackages, as dotted names."""
    root = importlib.import_module(package)
    return sorted(
        info.name for info in pkgutil.walk_packages(root.__path__, package + ".") if not info.ispkg
    )


def config_models() -> list[type[BaseModel]]:
    """Every pydantic model class defined in a module of sim/schema/."""
    found = []
    for module in modules_under("sim.schema"):
        found += [
            obj
            for obj in vars(importlib.import_module(module)).values()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module
        ]
    return found


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
    model: type[BaseModel],
    prefix: str = "",
    variants: list | None = None,
    sections: list | None = None,
) -> list[tuple[str, FieldInfo]]:
    """Every scenario key reachable from ``model``, as written in docs/model.md. The members of a
    union of several models (such as the event kinds) are collected in ``variants`` as
    (key prefix, model) instead: each is documented in its own table. Every model met on the way
    (``model`` itself, not the variants) is appended to ``sections``."""
    if sections is not None:
        sections.append(model)
    found = []
    for name, info in model.model_fields.items():
        path = prefix + name
        found.append((path, info))
        inner, is_list = models_in(info.annotation)
        sub = path + ("[]." if is_list else ".")
        if len(inner) == 1:
            found += key_paths(inner[0], sub, variants, sections)
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
# Every module of these packages must be linked: the model, what it reads and how it is run.
DOCUMENTED = [
    *modules_under("sim.schema"),
    *modules_under("sim.strategies"),
    *modules_under("sim.scenarios"),
    *modules_under("sim.model"),
    *modules_under("sim.experiments"),
    "sim.analysis.statistics",
]


def test_the_document_links_to_the_code():
    assert len(LINKS) > 50
    linked = {module_of(path) for _, path in LINKS}
    missing = [module for module in DOCUMENTED if module not in linked]
    assert not missing, f"modules docs/model.md does not link to: {missing}"


@pytest.mark.parametrize(("name", "path"), LINKS, ids=[f"{p}.{n}" for n, p in LINKS])
def test_every_code_link_names_something_defined_in_that_module(name, path):
    module = module_of(path)
    target: object = importlib.import_module(module)
    for depth, part in enumerate(name.split(".")):
        assert hasattr(target, part), f"[`{name}`](../sim/{path}.py): {module} has no {name}"
        target = getattr(target, part)
        if depth == 0 and (inspect.isclass(target) or inspect.isfunction(target)):
            defined = target.__module__
            assert defined == module, (
                f"[`{name}`](../sim/{path}.py): {part} is defined in {defined}; "
                f"link to ../sim/{link_path(defined)}.py"
            )


def test_every_link_into_sim_has_the_checked_form():
    """A link into sim/ with a backticked name must match the checked pattern exactly."""
    loose = re.findall(r"\[`[^`]*`\]\(\.\./sim/[^)]*\)", TEXT)
    strict = [m.group(0) for m in LINK.finditer(TEXT)]
    assert sorted(loose) == sorted(strict), set(loose) - set(strict)


def test_every_link_into_sim_points_at_a_file_or_folder_that_exists():
    targets = sorted(set(ANY_LINK.findall(TEXT)))
    assert targets
    missing = [target for target in targets if not (ROOT / target).exists()]
    assert not missing, f"links to paths that do not exist: {missing}"


# --- the process overview -----------------------------------------------------------------------

STEP = re.compile(r"^S\d+$")


def overview_steps() -> list[list[str]]:
    """The rows of the process overview table (section 3), one list of cells per step S0…S11."""
    rows = []
    for line in ROW.findall(section("3. Process overview")):
        cells = [c.strip() for c in line.split("|")]
        if STEP.match(cells[0]):
            rows.append(cells)
    return rows


def test_the_process_overview_lists_s0_to_s11_in_order_each_with_its_module():
    rows = overview_steps()
    assert [cells[0] for cells in rows] == [f"S{k}" for k in range(12)]
    for step, _name, module, code, effect in rows:
        target = re.fullmatch(r"\[([^\]]+)\]\(\.\./(sim/[\w/]+\.py)\)", module)
        assert target, f"{step}: the module cell must link to the step's module, not {module!r}"
        shown, path = target.groups()
        assert shown == path, f"{step}: the link text {shown!r} should be the path {path!r}"
        assert (ROOT / path).is_file(), f"{step}: {path} does not exist"
        in_module = [p for _, p in LINK.findall(code) if f"sim/{p}.py" == path]
        assert in_module, f"{step}: the code cell links to nothing in {path}"
        assert effect, f"{step}: what happens?"


def test_every_submodel_module_is_linked_from_the_process_overview():
    table = "\n".join(" | ".join(cells) for cells in overview_steps())
    linked = set(ANY_LINK.findall(table))
    folder = ROOT / "sim" / "model" / "submodels"
    submodels = sorted(p.relative_to(ROOT).as_posix() for p in folder.glob("*.py"))
    submodels = [p for p in submodels if not p.endswith("/__init__.py")]
    assert len(submodels) >= 10
    missing = [p for p in submodels if p not in linked]
    assert not missing, f"submodel modules not in the process overview (section 3): {missing}"


# --- parameters ---------------------------------------------------------------------------------

PARAMETERS_TEXT = section("10. Parameters")
PARAMETERS = table_rows(PARAMETERS_TEXT)
VARIANTS: list[tuple[str, type[BaseModel]]] = []
SECTIONS: list[type[BaseModel]] = []
KEYS = key_paths(MarketSpec, variants=VARIANTS, sections=SECTIONS)
SECTION_CLASSES = sorted(
    {*SECTIONS, *(model for _, model in VARIANTS)}, key=lambda model: model.__name__
)


@pytest.mark.parametrize("model", config_models(), ids=[m.__name__ for m in config_models()])
def test_every_config_field_is_named_in_the_document(model):
    names = {leaf(span) for span in CODE_SPANS if KEY_SPAN.match(span)}
    missing = [f for f in model.model_fields if f not in names]
    assert not missing, f"{model.__name__} fields not in docs/model.md: {missing}"


def test_every_schema_module_is_searched():
    """config_models() sees every section of a market, and each is defined in sim/schema/."""
    models = config_models()
    assert MarketSpec in models
    assert set(SECTION_CLASSES) <= set(models)
    assert all(m.__module__.startswith("sim.schema.") for m in models)


@pytest.mark.parametrize("model", SECTION_CLASSES, ids=[m.__name__ for m in SECTION_CLASSES])
def test_every_schema_section_class_is_linked_to_its_module_in_section_10(model):
    link = f"[`{model.__name__}`](../sim/{link_path(model.__module__)}.py)"
    assert link in PARAMETERS_TEXT, f"section 10 does not link {link}"


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
    """The value of the discriminator (``kind``, or ``name`` for a channel policy) that selects
    ``model``."""
    (tag,) = typing.get_args(
        model.model_fields.get("kind", model.model_fields.get("name")).annotation
    )
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

STRATEGY_HEADING = re.compile(r"^### (8\.\d+ `([^`]+)`.*)$", re.M)


def test_the_documented_strategies_are_the_built_in_ones_in_order():
    documented = [name for _, name in STRATEGY_HEADING.findall(TEXT)]
    assert documented == list(BUILTIN)
    row = PARAMETERS["firms[].strategy.name"]
    for name in BUILTIN:
        assert f"`{name}`" in row[-1], f"{name} is not among the names of firms[].strategy.name"


@pytest.mark.parametrize("name", BUILTIN)
def test_every_strategy_and_its_parameters_are_documented(name):
    cls = strategy_class(name)
    (heading,) = [h for h, tag in STRATEGY_HEADING.findall(TEXT) if tag == name]
    link = f"[`{cls.__name__}`](../sim/{link_path(cls.__module__)}.py)"
    assert link in heading, f"the heading of {name} does not link {link}"
    rows = table_rows(section(heading))
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


def test_the_metric_tables_list_exactly_the_metrics():
    assert list(table_rows(section("Firm metrics"))) == list(FIRM_METRICS)
    assert list(table_rows(section("Market metrics"))) == list(MARKET_METRICS)


# --- the examples run ---------------------------------------------------------------------------


def fenced(language: str) -> list[str]:
    """The fenced code blocks of one language."""
    return [body for lang, body in FENCED.findall(TEXT) if lang == language]


def test_the_toml_example_is_a_valid_firm():
    (example,) = fenced("toml")
    spec = validate(tomllib.loads(example), "docs/model.md")
    assert spec.firms


EXAMPLES = fenced("python")
MODULE_LINE = re.compile(r"\A# (\w+)\.py\n")


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{k}" for k in range(len(EXAMPLES))])
def test_the_custom_strategy_example_runs_when_named_by_import_path(
    example, monkeypatch, strategy_registry
):
    """The example is a module (its first line names the file); the document names its strategy
    by import path, which a scenario accepts, a market runs and other processes can import."""
    first = MODULE_LINE.match(example)
    assert first, "the example starts with a comment naming its file: # my_module.py"
    name = first.group(1)
    module = types.ModuleType(name)
    monkeypatch.setitem(sys.modules, name, module)
    exec(compile(example, f"docs/model.md ({name}.py)", "exec"), module.__dict__)
    classes = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Strategy) and obj.__module__ == name
    ]
    assert classes, "the example defines no strategy"
    for cls in classes:
        path = f"{name}:{cls.__name__}"
        assert f'"{path}"' in PROSE, f"the document does not name {cls.__name__} as {path!r}"
        assert portable_name(path) == path  # what other processes receive
        spec = validate(
            {
                "periods": 2,
                "customers": {"count": 100},
                "firms": [
                    {"name": "Mine", "strategy": {"name": path}},
                    {"name": "Other", "strategy": {"name": "static"}},
                ],
            },
            "docs/model.md example",
        )
        metrics = Market(spec, rng=0).run().firm_metrics()
        assert len(metrics) == 4
        assert set(metrics["strategy"]) == {cls.name, "static"}
    # every inline strategy table of the document is a valid strategy with valid parameters
    inline = [span for span in CODE_SPANS if re.match(r"strategy = \{", span)]
    assert any(f"{name}:" in span for span in inline)
    for span in inline:
        firm = {"name": "F", **tomllib.loads(span)}
        assert validate({"firms": [firm]}, f"docs/model.md: {span}").firms
