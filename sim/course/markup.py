"""Markdown (CommonMark with tables) to HTML for material that travels alone — a slide deck, a
handout: links become their text, since a relative link leads nowhere outside the repository."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    for rule in ("link_open", "link_close", "image"):
        md.add_render_rule(rule, lambda *args: "")
    return md


def to_html(markdown: str) -> str:
    """The HTML of ``markdown``, with links as plain text and no images."""
    return _parser().render(markdown)
