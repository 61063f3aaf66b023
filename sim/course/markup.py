"""Markdown (CommonMark with tables) to HTML for material that travels alone — a slide deck, a
handout: links become their text, since a relative link leads nowhere outside the repository;
a line break inside a Chinese sentence joins the lines without a space, as Chinese is written."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")  # CJK, its marks


def _softbreak(self: object, tokens: list[Token], idx: int, *args: object) -> str:
    """A line break inside a paragraph: nothing between Chinese characters, else a space."""
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    return "" if WIDE.match(before) or WIDE.match(after) else "\n"


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    for rule in ("link_open", "link_close", "image"):
        md.add_render_rule(rule, lambda *args: "")
    md.add_render_rule("softbreak", _softbreak)
    return md


def to_html(markdown: str) -> str:
    """The HTML of ``markdown``, with links as plain text and no images."""
    return _parser().render(markdown)
