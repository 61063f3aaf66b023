"""Chinese glyphs on any machine: the CJK font installed with crmsim (Noto Sans SC, the one the
report figures use: :mod:`sim.reporting.style`) draws the charts' Chinese text and is served to
the browser as a web font for the page's own labels."""

from __future__ import annotations

from functools import cache

from pylopdf_fonts_zh_cn import sans_path

from sim.reporting.style import CJK_FAMILY
from sim.reporting.style import fonts as chart_fonts

__all__ = ["FONT_URL", "PAGE_STYLE", "chart_fonts", "web_font"]

FONT_URL = "/crmsim/cjk-font.otf"  # where the server serves it (sim.apps.web.server)
PAGE_STYLE = f"""
@font-face {{ font-family: "{CJK_FAMILY}"; src: url("{FONT_URL}"); }}
.v-application, .v-application *:not(.fa):not(.mdi) {{
  font-family: Roboto, "{CJK_FAMILY}", sans-serif !important;
}}
.crmsim-problem {{ white-space: pre-line; }}
.crmsim-help {{ font-size: 0.9rem; color: #444; margin: 1px 0 6px 0; line-height: 1.35; }}
.crmsim-upload .widget-upload {{ font-size: 0 !important; width: auto; }}
.crmsim-upload .widget-upload i {{ font-size: 14px; margin-right: 6px; }}
.crmsim-upload .widget-upload::after {{ font-size: 14px; content: var(--crmsim-upload); }}
"""  # the page's CSS: Chinese labels in the packaged font; messages keep their line breaks;
# a lever's help is a caption under it (14 px, dark grey: readable when projected); the upload
# button shows its label (--crmsim-upload), not ipywidgets' file counter "(0)"


@cache
def web_font() -> bytes:
    """The CJK font file as browsers load it (OpenType, 8 MB, cached by the browser)."""
    return sans_path().read_bytes()
