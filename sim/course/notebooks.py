"""``crmsim notebooks DIR``: a student's own copy of the course notebooks (the quickstart and
one per session; installed with the package as ``sim.notebooks``), English in ``DIR``, Chinese
in ``DIR/zh``. A notebook already there and changed is never overwritten."""

from __future__ import annotations

import shutil
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


def copy_notebooks(target: Path, lang: str = "all") -> list[Path]:
    """Copy the notebooks of ``lang`` (``en``, ``zh`` or ``all``) into ``target``; the files
    written (a notebook already there unchanged is left as it is)."""
    if lang not in (*LANGS, "all"):
        raise InputError(f"--lang {lang!r} is not allowed; use one of {', '.join(LANGS)}, all")
    plan = [
        (source, target / source.name if code == "en" else target / code / source.name)
        for code in (LANGS if lang == "all" else (lang,))
        for source in shipped(code)
    ]
    if not plan:
        raise InputError(f"no {lang} notebooks are installed with this crmsim; try --lang en")
    changed = [d for s, d in plan if d.exists() and d.read_bytes() != s.read_bytes()]
    if changed:
        raise InputError(
            f"not copying: {len(changed)} notebook(s) in {target} differ from the course's "
            f"({', '.join(str(d.relative_to(target)) for d in changed)}), perhaps your own work. "
            "Nothing was written. Rename or move them to keep them, or choose another folder"
        )
    written = []
    for source, dest in plan:
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            written.append(dest)
    return written
