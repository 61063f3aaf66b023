"""A session's sheet (``course/sessions/NN-name/README.md``, or ``course/zh/sessions/…``) in
parts: its title, the line under it, and its five ``##`` sections, told apart by position so that
a translated sheet (same headings, in the same order) reads the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError
from sim.i18n import LANGUAGES

ROLES = ("objectives", "brief", "scenarios", "exercises", "questions")  # the ## sections, in order
LANGS = tuple(LANGUAGES)  # en, zh
ITEM = re.compile(r"^(\d+\.|[-*]) ")  # a list item starting at the left margin


@dataclass(frozen=True)
class Sheet:
    """One session's sheet in one language."""

    path: Path
    lang: str
    number: str  # "01"
    slug: str  # "01-orientations"
    title: str  # the # heading
    subtitle: str  # the line under it (its Chinese terms), may be empty
    headings: dict[str, str]  # role → the ## heading's text
    sections: dict[str, str]  # role → the section's Markdown


def sessions_dir(course: Path, lang: str) -> Path:
    """Where the sheets of ``lang`` are: ``course/sessions`` or ``course/zh/sessions``."""
    return course / "sessions" if lang == "en" else course / lang / "sessions"


def find_sheets(course: Path, lang: str, session: str | None = None) -> list[Sheet]:
    """The sheets of ``lang`` in ``course``, by session number (only ``session``, e.g. "01",
    if given); none if that language has no sessions folder."""
    folder = sessions_dir(course, lang)
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("[0-9][0-9]-*/README.md"))
    if session is not None:
        paths = [p for p in paths if p.parent.name.startswith(f"{session}-")]
    return [read_sheet(p, lang) for p in paths]


def read_sheet(path: Path, lang: str) -> Sheet:
    """Split a sheet into its title, subtitle and sections."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("# "):
        raise InputError(f"{path}: a session sheet starts with its '# ' title line")
    parts: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in lines[1:]:
        fenced ^= line.startswith("```")
        if line.startswith("## ") and not fenced:
            parts.append((line[3:].strip(), []))
        else:
            parts[-1][1].append(line)
    intro, sections = parts[0], parts[1:]
    if len(sections) != len(ROLES):
        raise InputError(
            f"{path}: a session sheet has {len(ROLES)} '## ' sections (learning objectives, "
            f"concept brief, scenarios and notebook, exercises, discussion questions, in this "
            f"order); this one has {len(sections)}: {[h for h, _ in sections]}"
        )
    folder = path.parent.name
    return Sheet(
        path=path,
        lang=lang,
        number=folder[:2],
        slug=folder,
        title=lines[0][2:].strip(),
        subtitle="\n".join(intro[1]).strip(),
        headings={role: heading for role, (heading, _) in zip(ROLES, sections, strict=True)},
        sections={
            role: "\n".join(body).strip() for role, (_, body) in zip(ROLES, sections, strict=True)
        },
    )


def chunks(markdown: str) -> list[str]:
    """The section's blocks, each whole: paragraphs, tables, fenced code, and each item of a
    top-level list on its own (an ordered item keeps its number)."""
    blocks: list[list[str]] = [[]]
    fenced = False
    for line in markdown.splitlines():
        starts_fence = line.startswith("```")
        if not fenced and (not line.strip() or ITEM.match(line) or starts_fence):
            blocks.append([])
        if line.strip() or fenced:
            blocks[-1].append(line)
        fenced ^= starts_fence
    return ["\n".join(b).strip() for b in blocks if "".join(b).strip()]


def commands(markdown: str) -> list[str]:
    """The ``crmsim run …`` lines of the section's fenced code blocks."""
    fenced = False
    found = []
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and line.startswith("crmsim run "):
            found.append(line.strip())
    return found
