"""``crmsim notebooks DIR``: a student's own copy of the course notebooks (the quickstart and
one per session; installed with the package as ``sim.notebooks``), English in ``DIR``, Chinese
in ``DIR/zh``. Only the notebooks missing there are copied: one already there is never
overwritten."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sim.course.sheets import LANGS
from sim.errors import InputError

PATTERN = "[0-9][0-9]_*.ipynb"  # the course's notebooks (pyproject.toml ships these)


def shipped(lang: str) -> list[Path]:
    """The installed notebooks of ``lang`` (none if that language has no notebooks)."""
    package = Path(__file__).resolve().parents[1]  # sim/
    root = package / "notebooks"  # installed from a wheel; in a checkout, its notebooks/
    folder = root if root.is_dir() else package.parent / "notebooks"
    folder = folder if lang == "en" else folder / lang
    return sorted(folder.glob(PATTERN))


@dataclass(frozen=True)
class Copied:
    """What ``crmsim notebooks`` did: the notebooks it wrote, and those it left alone because
    they differ from the course's (perhaps the student's own work)."""

    written: list[Path]
    kept: list[Path]


def copy_notebooks(target: Path, lang: str = "all") -> Copied:
    """Copy the notebooks of ``lang`` (``en``, ``zh`` or ``all``) that ``target`` lacks into it;
    a notebook already there is never overwritten (one that differs from the course's is listed
    in ``kept``)."""
    if lang not in (*LANGS, "all"):
        raise InputError(f"--lang {lang!r} is not allowed; use one of {', '.join(LANGS)}, all")
    plan = [
        (source, target / source.name if code == "en" else target / code / source.name)
        for code in (LANGS if lang == "all" else (lang,))
        for source in shipped(code)
    ]
    if not plan:
        raise InputError(f"no {lang} notebooks are installed with this crmsim; try --lang en")
    written = []
    for source, dest in plan:
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            written.append(dest)
    kept = [d for s, d in plan if d not in written and d.read_bytes() != s.read_bytes()]
    return Copied(written, kept)
