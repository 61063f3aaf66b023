"""Chinese glyphs on any machine: a CJK font installed with the package (from PyPI, so no system
font is needed) is registered with matplotlib as a fallback, and served to the browser as a web
font for the page's own labels."""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files
from pathlib import Path

from fontTools.ttLib import TTCollection
from matplotlib import font_manager

FONT_PACKAGE = "paperang_p2_fonts_cjk"  # WenQuanYi Micro Hei, a TrueType collection (5 MB)
FONT_FILE = "fonts/wqy-microhei.ttc"
CJK_FAMILY = "WenQuanYi Micro Hei"


FONT_URL = "/crmsim/cjk-font.ttf"  # where the server serves it (sim.apps.web.server)
PAGE_STYLE = f"""
@font-face {{ font-family: "{CJK_FAMILY}"; src: url("{FONT_URL}"); }}
.v-application, .v-application *:not(.fa):not(.mdi) {{
  font-family: Roboto, "{CJK_FAMILY}", sans-serif !important;
}}
.crmsim-problem {{ white-space: pre-line; }}
.crmsim-help {{ font-size: 0.75em; color: #666; margin: 1px 0 6px 0; line-height: 1.3; }}
"""  # the page's CSS: Chinese labels in the packaged font; messages keep their line breaks;
# a lever's help is a caption under it


def font_file() -> Path:
    """The packaged CJK font file."""
    return Path(str(files(FONT_PACKAGE) / FONT_FILE))


@cache
def web_font() -> bytes:
    """The CJK font as one TrueType font for browsers (the first face of the collection,
    rewritten by fontTools: browsers' font sanitisers refuse the packaged file's layout)."""
    font = TTCollection(str(font_file())).fonts[0]
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


@cache
def chart_fonts() -> list[str]:
    """Font families for chart text, in order of preference: Latin text in matplotlib's own
    font, every Chinese glyph from the packaged CJK font (registered on first use)."""
    font_manager.fontManager.addfont(str(font_file()))
    return ["DejaVu Sans", CJK_FAMILY]
