"""Chinese glyphs in the charts on any machine: a CJK font installed with the package (from
PyPI, so no system font is needed) is registered with matplotlib as a fallback."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from matplotlib import font_manager

FONT_PACKAGE = "paperang_p2_fonts_cjk"  # WenQuanYi Micro Hei, a TrueType collection (5 MB)
FONT_FILE = "fonts/wqy-microhei.ttc"
CJK_FAMILY = "WenQuanYi Micro Hei"


@cache
def chart_fonts() -> list[str]:
    """Font families for chart text, in order of preference: Latin text in matplotlib's own
    font, every Chinese glyph from the packaged CJK font (registered on first use)."""
    font_manager.fontManager.addfont(str(files(FONT_PACKAGE) / FONT_FILE))
    return ["DejaVu Sans", CJK_FAMILY]
