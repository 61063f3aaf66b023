"""The package's layers (ARCHITECTURE.md): imports flow one way, with no cycle even through a
lazy import inside a function or a type-only import; no module grows past ~400 lines; every
subpackage is in the wheel."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sim"
MAX_LINES = 400

# Lowest first. A module may import from its own layer or a lower one, never a higher one.
LAYERS = [
    ("sim.errors", "sim.schema", "sim.i18n"),  # what a market is; its languages
    ("sim.strategies",),  # what a firm may see and decide
    ("sim.scenarios",),  # scenario files
    ("sim.model",),  # how one market runs
    ("sim.reference",),  # the same market, agent by agent
    ("sim.experiments",),  # many markets
    ("sim.analysis",),  # statistics across runs
    ("sim.reporting", "sim.calibration", "sim.course"),  # reports; fitting; course material
    ("sim.studies",),  # strategists' studies of a policy
    ("sim.apps", "sim.__main__", "sim"),  # front ends and the package's front door
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    """Index in LAYERS of the longest prefix that names the module's layer."""
    best, found = -1, None
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, found = len(name), index
    assert found is not None, f"{module} belongs to no layer: add it to LAYERS"
    return found


def imported_modules(module: str, path: Path) -> set[str]:
    """Every sim module ``module`` imports anywhere in its source: at the top, inside functions
    or under ``if TYPE_CHECKING:`` (all count)."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        found |= {name for name in names if name in MODULES and name != module}
    return found


GRAPH = nx.DiGraph(
    (module, target)
    for module, path in MODULES.items()
    for target in imported_modules(module, path)
)


def test_the_graph_sees_every_layer():
    assert {layer(m) for m in MODULES} == set(range(len(LAYERS)))
    assert GRAPH.number_of_edges() > 100
    assert ("sim.model.market", "sim.model.submodels.choice") in GRAPH.edges


def test_no_import_cycle_even_through_lazy_or_type_only_imports():
    cycles = list(nx.simple_cycles(GRAPH))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_imports_flow_down_the_layers():
    upward = [
        f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})"
        for a, b in GRAPH.edges
        if layer(b) > layer(a)
    ]
    assert not upward, "\n".join(upward)


def test_the_schema_is_a_leaf():
    outside = [
        (a, b)
        for a, b in GRAPH.edges
        if a.startswith("sim.schema") and not b.startswith("sim.schema")
    ]
    assert not outside, outside


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_too_long(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines (at most {MAX_LINES})"


def test_every_package_is_in_the_wheel():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert listed == packages | {"sim.scenarios.shipped", "sim.notebooks"}  # data folders
