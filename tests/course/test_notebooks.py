"""Every notebook in notebooks/ and its Chinese edition in notebooks/zh/ is stored clean and runs
top to bottom in a fresh kernel (the editions share their code but for ``LANG``: the Chinese
runs take the ``"zh"`` branches).

Each notebook is executed with nbclient at test size: right after its cell tagged "parameters" a
cell is injected that sets ``CUSTOMERS = 400`` and ``SEEDS = 2``, shortens the horizon where the
parameters cell has one (``UNITS``, ``PERIODS``) and cuts every sweep in it (a list or dict of
three or more entries) to its first and last entries: the override documented in
notebooks/README.md, so students' full-size defaults stay untouched and every cell still runs.
The kernel's working directory is an empty temporary folder that must still be empty afterwards:
notebooks write only into temporary folders they create themselves.
No cell may show an empty table (a segment or a filter that holds nobody at test size).
"""

from __future__ import annotations

import ast

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell

from conftest import ROOT

pytestmark = pytest.mark.slow

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = [*sorted(NOTEBOOK_DIR.glob("*.ipynb")), *sorted(NOTEBOOK_DIR.glob("zh/*.ipynb"))]
OVERRIDE = {"CUSTOMERS": 400, "SEEDS": 2}  # every notebook has these (2: an interval needs 2)
HORIZONS = {"UNITS": 15, "PERIODS": 6}  # set only where the parameters cell has them
CELL_TIMEOUT = 300  # seconds; a cell that takes longer has hung
EMPTY = ("Empty DataFrame", "Series([]")  # how pandas shows a table with no rows


def override_source(parameters: dict[str, object]) -> str:
    """The test-size cell for a notebook whose parameters cell assigns ``parameters``."""
    values: dict[str, object] = dict(OVERRIDE)
    values |= {name: value for name, value in HORIZONS.items() if name in parameters}
    for name, value in parameters.items():
        if isinstance(value, list) and len(value) > 2:
            values[name] = [value[0], value[-1]]
        elif isinstance(value, dict) and len(value) > 2:
            first, *_, last = value
            values[name] = {first: value[first], last: value[last]}
    return "\n".join(f"{name} = {value!r}" for name, value in values.items())


def parameters_cell(nb: nbformat.NotebookNode, name: str) -> int:
    """Index of the cell tagged "parameters"; it must be the first code cell."""
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    tagged = [i for i in code if "parameters" in nb.cells[i].metadata.get("tags", [])]
    assert tagged, f"{name}: no code cell is tagged 'parameters' (see notebooks/README.md)"
    assert tagged[0] == code[0], f"{name}: the 'parameters' cell must be the first code cell"
    return tagged[0]


def assigned_integers(source: str) -> dict[str, object]:
    """Names assigned by plain top-level assignments, with their literal values."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    found[target.id] = None
    return found


def where(nb: nbformat.NotebookNode, index: int, injected: int) -> str:
    """'cell N' as a student counts cells in the stored notebook (1-based, injection removed)."""
    stored = index if index <= injected else index - 1
    first_line = nb.cells[index].source.strip().splitlines()[0] if nb.cells[index].source else ""
    return f"cell {stored + 1} ({first_line[:70]!r})"


def failure(nb: nbformat.NotebookNode, injected: int, exc: CellExecutionError) -> str:
    """Which cell failed and with what error, from the executed notebook's error output."""
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{where(nb, i, injected)} failed: {output.ename}: {output.evalue}"
    return f"execution failed: {exc.ename}: {exc.evalue}"


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"


def test_readme_documents_the_test_override():
    readme = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    for name, value in (OVERRIDE | HORIZONS).items():
        assert f"{name} = {value}" in readme, f"notebooks/README.md must document {name} = {value}"
    assert "first and last" in readme, "notebooks/README.md must say how the test cuts sweeps"


def shown_name(path) -> str:
    """A notebook's path in notebooks/: ``00_quickstart.ipynb``, ``zh/00_quickstart.ipynb``."""
    return str(path.relative_to(NOTEBOOK_DIR))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=shown_name)
def test_notebook_is_stored_without_outputs_and_with_parameters(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{shown_name(path)}: kernelspec name must be 'python3'"
    )
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            assert not cell.outputs, (
                f"{shown_name(path)}, cell {i}: stored with outputs (clear them)"
            )
            assert cell.execution_count is None, (
                f"{shown_name(path)}, cell {i}: execution count stored"
            )
    index = parameters_cell(nb, shown_name(path))
    values = assigned_integers(nb.cells[index].source)
    for name in OVERRIDE:
        assert isinstance(values.get(name), int) and values[name] > 0, (
            f"{shown_name(path)}: the parameters cell must set {name} to a positive integer literal"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=shown_name)
def test_notebook_runs_top_to_bottom_at_test_size(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    injected = parameters_cell(nb, shown_name(path)) + 1
    parameters = assigned_integers(nb.cells[injected - 1].source)
    nb.cells.insert(injected, new_code_cell(override_source(parameters)))
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        shutdown_kernel="immediate",  # kill its process group: a polite exit waits 1-7 s
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"notebooks/{shown_name(path)}, {failure(nb, injected, exc)}", pytrace=False)
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("name") == "stderr" else ""
            assert "Warning" not in text, (
                f"notebooks/{shown_name(path)}, {where(nb, i, injected)} warns: "
                f"{text.strip()[:300]}"
            )
            shown = output.get("data", {}).get("text/plain", "")
            assert not shown.startswith(EMPTY), (
                f"notebooks/{shown_name(path)}, {where(nb, i, injected)} shows an empty table at "
                f"test size: {shown[:200]}"
            )
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert not leftovers, f"notebooks/{shown_name(path)} wrote into its working folder: {leftovers}"
