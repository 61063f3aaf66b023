"""``crmsim course build``: for each session and language asked for, its slide deck (one offline
HTML file) and its handout (PDF), written as ``OUT/LANG/NN-name-slides.html`` and
``OUT/LANG/NN-name-handout.pdf``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sim.course.deck import deck_html
from sim.course.figures import session_figures
from sim.course.handout import write_handout
from sim.course.sheets import LANGS, commands, find_sheets, sessions_dir
from sim.errors import InputError


@dataclass(frozen=True)
class Built:
    """What one session's build wrote."""

    lang: str
    slug: str
    deck: Path
    handout: Path
    pages: int  # of the handout
    seconds: float  # to build both


def languages(course: Path, lang: str) -> list[str]:
    """The languages to build: ``lang``, or with ``all`` every language the course has."""
    if lang not in (*LANGS, "all"):
        raise InputError(f"--lang {lang!r} is not allowed; use one of {', '.join(LANGS)}, all")
    found = [code for code in LANGS if sessions_dir(course, code).is_dir()]
    if lang == "all" and found:
        return found
    if lang not in found:
        raise InputError(
            f"{sessions_dir(course, 'en' if lang == 'all' else lang)} not found: is {course} the "
            "course folder of a crmsim checkout (course/, with sessions/ and zh/sessions/)? "
            "Give it with --course"
        )
    return [lang]


def build(course: Path, out: Path, lang: str = "all", session: str | None = None) -> list[Built]:
    """Build the decks and handouts of ``course`` (only session ``session``, e.g. "01", if
    given) into ``out``."""
    built = []
    for code in languages(course, lang):
        sheets = find_sheets(course, code, session)
        if not sheets:
            there = sorted(p.name[:2] for p in sessions_dir(course, code).glob("[0-9][0-9]-*"))
            raise InputError(
                f"--session {session}: no such session in {sessions_dir(course, code)}; "
                f"sessions: {', '.join(there) or 'none'}"
            )
        for sheet in sheets:
            start = time.perf_counter()
            folder = out / code
            folder.mkdir(parents=True, exist_ok=True)
            figures = session_figures(commands(sheet.sections["scenarios"]), code)
            deck = folder / f"{sheet.slug}-slides.html"
            deck.write_text(deck_html(sheet, figures), encoding="utf-8")
            handout = folder / f"{sheet.slug}-handout.pdf"
            pages = write_handout(sheet, handout)
            seconds = time.perf_counter() - start
            built.append(Built(code, sheet.slug, deck, handout, pages, seconds))
    return built
