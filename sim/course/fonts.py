"""The fonts of the handouts: matplotlib's DejaVu family (installed with the package) for Latin
text and code, and one font with Chinese glyphs, found by :func:`cjk_font` alone."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import matplotlib
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager

from sim.errors import InputError

CJK_NAMES = ("wqy", "notosanscjk", "notoserifcjk", "sourcehan", "droidsansfallback", "simhei")
TEXT_FONTS = {  # fpdf2 style → DejaVu file in matplotlib's fonts
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
UNUSED_TABLES = {"GSUB", "GPOS", "GDEF", "FFTM"}  # Chinese text on a slide needs none of these
MONO_FONTS = {
    "": "DejaVuSansMono.ttf",
    "B": "DejaVuSansMono-Bold.ttf",
    "I": "DejaVuSansMono-Oblique.ttf",
    "BI": "DejaVuSansMono-BoldOblique.ttf",
}


def dejavu(name: str) -> Path:
    """One of matplotlib's bundled DejaVu font files."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@cache
def cjk_font() -> Path:
    """A font file (TrueType, or a collection whose first face is used) with Chinese glyphs:
    the CJK font package crmsim installs, else a system font matplotlib knows."""
    try:
        from sim.apps.web.fonts import font_file

        return font_file()
    except ModuleNotFoundError:
        pass
    for path in sorted(font_manager.findSystemFonts()):
        if any(n in Path(path).name.lower().replace("-", "") for n in CJK_NAMES):
            return Path(path)
    raise InputError(
        "no font with Chinese glyphs found for the Chinese handouts: install crmsim's CJK font "
        "(pip install 'crmsim[app]') or a system one (e.g. apt-get install fonts-wqy-microhei)"
    )


def open_font(path: Path) -> TTFont:
    """The font in ``path`` (the first face of a collection)."""
    if path.suffix.lower() == ".ttc":
        return TTCollection(str(path)).fonts[0]
    return TTFont(str(path))


@cache
def covered(path: Path) -> frozenset[str]:
    """Every character the font at ``path`` has a glyph for."""
    return frozenset(chr(code) for code in open_font(path).getBestCmap())


def missing_glyphs(text: str, fonts: tuple[Path, ...]) -> set[str]:
    """Characters of ``text`` (other than whitespace) none of ``fonts`` has a glyph for."""
    have = frozenset().union(*(covered(f) for f in fonts))
    return {c for c in text if not c.isspace() and c not in have}


def cjk_subset(text: str) -> bytes:
    """The CJK font cut down to the characters of ``text`` (TrueType), to embed in a page."""
    font = open_font(cjk_font())
    for table in UNUSED_TABLES & set(font.keys()):
        del font[table]  # reading them is most of the time a subset takes
    subsetter = Subsetter(Options(hinting=False))
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
