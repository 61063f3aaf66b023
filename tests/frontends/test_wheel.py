"""The package as a user gets it: a wheel built from the sources, installed into a fresh virtual
environment outside the checkout, with its scenarios inside; ``crmsim`` works from any folder,
even one holding a folder named like a scenario.

The environment gets its dependencies from the test's own environment instead of the package
index (a download of ~150 MB that took most of two minutes): a folder of links to exactly the
installed distributions the wheel's dependencies need (no extra's, not the checkout), which
``pip check`` then holds to the wheel's requirements."""

from __future__ import annotations

import email
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]  # one build per run

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "sim", "scenarios", "notebooks")
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def run(*args: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def needed(requirements: list[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions that ``requirements`` (Requires-Dist lines) need, with their
    own dependencies, extras left out."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = [Requirement(line) for line in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        wanted = requirement.marker is None or requirement.marker.evaluate({"extra": ""})
        if name in found or not wanted:
            continue
        found[name] = importlib.metadata.distribution(name)
        todo += [Requirement(line) for line in found[name].requires or []]
    return list(found.values())


def link_dependencies(requirements: list[str], folder: Path) -> None:
    """Fill ``folder`` with links to the top-level files (packages, modules, metadata) of the
    distributions that ``requirements`` need, as in a site-packages folder."""
    folder.mkdir()
    for dist in needed(requirements):
        for top in {f.parts[0] for f in dist.files or ()} - {"..", "__pycache__"}:
            (folder / top).symlink_to(dist.locate_file(top))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the sources."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, source / name)
    dist = base / "dist"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source, cwd=base)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = dist.glob("crmsim-*.whl")
    return wheel


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The bin folder of a fresh virtual environment with the built wheel installed, and its
    dependencies linked from this environment."""
    names = zipfile.ZipFile(wheel).namelist()
    assert "sim/scenarios/shipped/flagship.toml" in names
    shipped = {Path(n).stem for n in names if n.startswith("sim/scenarios/shipped/")}
    assert shipped == {p.stem for p in (ROOT / "scenarios").glob("*.toml")} | {"__init__"}
    assert not [n for n in names if n.startswith(("tests/", "scenarios/", "notebooks/"))]
    packed = sorted(n for n in names if n.startswith("sim/notebooks/"))
    chinese = sorted((ROOT / "notebooks").glob("zh/[0-9][0-9]_*.ipynb"))
    assert packed == sorted(  # the course's notebooks (not stress_testing …), both languages
        [f"sim/notebooks/{n}" for n in NOTEBOOKS] + [f"sim/notebooks/zh/{p.name}" for p in chinese]
    )
    base = tmp_path_factory.mktemp("venv")
    venv.create(base / "venv", with_pip=False)
    bin_dir = base / "venv" / "bin"
    requirements = wheel_metadata(wheel).get_all("Requires-Dist") or []
    link_dependencies(requirements, base / "dependencies")
    (site,) = (base / "venv" / "lib").glob("python3*/site-packages")
    (site / "dependencies.pth").write_text(f"{base / 'dependencies'}\n")
    pip = (sys.executable, "-m", "pip", "--python", bin_dir / "python")
    done = run(*pip, "install", "--quiet", "--no-deps", wheel, cwd=base)
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working folder outside the checkout that holds a folder named like a scenario."""
    (tmp_path / "flagship").mkdir()
    return tmp_path


def test_the_installed_package_is_not_the_checkout(installed, elsewhere):
    where = run(installed / "python", "-c", "import sim; print(sim.__file__)", cwd=elsewhere)
    assert where.returncode == 0, where.stderr
    venv_site = installed.parent / "lib"
    assert where.stdout.startswith(str(venv_site)) and "site-packages" in where.stdout


def test_the_wheel_requires_what_pyproject_declares(wheel):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    metadata = wheel_metadata(wheel)
    declared = {str(Requirement(line)) for line in project["dependencies"]}
    required = {str(Requirement(line)) for line in metadata.get_all("Requires-Dist")}
    assert declared == {r for r in required if "extra ==" not in r}
    assert set(metadata.get_all("Provides-Extra")) == set(project["optional-dependencies"])


def test_the_environment_holds_the_dependencies_and_nothing_more(installed, elsewhere):
    """pip finds every requirement of the installed crmsim (and of its dependencies) met, and
    nothing of the extras or of the test environment is importable."""
    pip = (sys.executable, "-m", "pip", "--python", installed / "python")
    checked = run(*pip, "check", cwd=elsewhere)
    assert checked.returncode == 0 and "No broken requirements" in checked.stdout, checked.stdout
    for name in ("solara", "dask", "pymc_marketing", "fpdf", "pytest"):
        tried = run(installed / "python", "-c", f"import {name}", cwd=elsewhere)
        assert "ModuleNotFoundError" in tried.stderr, (name, tried.stderr)


def test_list_shows_every_shipped_scenario(installed, elsewhere):
    listed = run(installed / "crmsim", "list", cwd=elsewhere)
    assert listed.returncode == 0, listed.stderr
    names = {line.split()[0] for line in listed.stdout.splitlines()}
    assert names == {p.stem for p in (ROOT / "scenarios").glob("*.toml")}


def test_show_prints_the_flagship_info_tab(installed, elsewhere):
    shown = run(installed / "crmsim", "show", "flagship", cwd=elsewhere)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("flagship: ") and "WHAT IS IT" in shown.stdout


def test_a_short_flagship_run_writes_results(installed, elsewhere):
    out = elsewhere / "results"
    args = ("run", "flagship", "--seeds", "2", "--periods", "6", "--workers", "1", "--out", out)
    done = run(installed / "crmsim", *args, cwd=elsewhere)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "CustomerCo" in done.stdout
    summary = (out / "summary.csv").read_text().splitlines()
    assert len(summary) == 1 + 2 * 3 and summary[1].startswith("flagship,")
    assert (out / "report.html").stat().st_size > 10_000


def test_notebooks_copies_the_course_notebooks_for_a_student(installed, elsewhere):
    copied = run(installed / "crmsim", "notebooks", "my-notebooks", cwd=elsewhere)
    assert copied.returncode == 0, copied.stderr
    assert sorted(p.name for p in (elsewhere / "my-notebooks").iterdir()) == NOTEBOOKS
    assert f"{len(NOTEBOOKS)} notebooks copied" in copied.stdout
    again = run(installed / "crmsim", "notebooks", "my-notebooks", cwd=elsewhere)
    assert again.returncode == 0 and "0 notebooks copied" in again.stdout
