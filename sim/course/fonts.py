"""The fonts of the handouts and decks: matplotlib's DejaVu family for Latin text and code, and
for Chinese the font :func:`cjk_font` names; all installed with crmsim."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import matplotlib
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from pylopdf_fonts_zh_cn import sans_path

TEXT_FONTS = {  # fpdf2 style → DejaVu file in matplotlib's fonts
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
UNUSED_TABLES = {"GSUB", "GPOS", "GDEF", "BASE"}  # text set glyph by glyph needs none of them
MONO_FONTS = {
    "": "DejaVuSansMono.ttf",
    "B": "DejaVuSansMono-Bold.ttf",
    "I": "DejaVuSansMono-Oblique.ttf",
    "BI": "DejaVuSansMono-BoldOblique.ttf",
}


def dejavu(name: str) -> Path:
    """One of matplotlib's bundled DejaVu font files."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def cjk_font() -> Path:
    """The font file (OpenType) of the Chinese glyphs: Noto Sans SC, installed with crmsim, the
    font of the report figures (:mod:`sim.reporting.style`)."""
    return Path(sans_path())


def open_font(path: Path) -> TTFont:
    """The font in ``path`` (TrueType or OpenType)."""
    return TTFont(str(path))


def to_subset(path: Path) -> TTFont:
    """The font in ``path`` opened to be cut down to a few glyphs: without its layout tables
    (:data:`UNUSED_TABLES`, unread: reading them is most of the time a subset takes; fpdf2
    drops them too) and keeping its bounding boxes (they still enclose the glyphs kept, and
    recomputing them means drawing every glyph: ~1 s for a few hundred Chinese ones)."""
    font = TTFont(str(path), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    for table in UNUSED_TABLES & set(font.keys()):
        del font[table]
    return font


@cache
def covered(path: Path) -> frozenset[str]:
    """Every character the font at ``path`` has a glyph for."""
    return frozenset(chr(code) for code in open_font(path).getBestCmap())


def missing_glyphs(text: str, fonts: tuple[Path, ...]) -> set[str]:
    """Characters of ``text`` (other than whitespace) none of ``fonts`` has a glyph for."""
    have = frozenset().union(*(covered(f) for f in fonts))
    return {c for c in text if not c.isspace() and c not in have}


def cjk_subset(text: str) -> bytes:
    """The CJK font cut down to the characters of ``text`` (OpenType), to embed in a page."""
    font = to_subset(cjk_font())
    subsetter = Subsetter(Options(hinting=False))
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
