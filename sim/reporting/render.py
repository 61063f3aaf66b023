"""Rendering a report: a list of blocks (heading, text, figure, table, code) written twice, to
``report.md`` with the PNGs beside it and to one self-contained ``report.html``."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.experiments.folders import write_atomically
from sim.i18n import Language

HTML_LANG: dict[Language, str] = {"en": "en", "zh": "zh-Hans"}
FONTS: dict[Language, str] = {  # fonts a browser may have for the page's language
    "en": "",
    "zh": '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",',
}


@dataclass(frozen=True)
class Block:
    """One piece of a report: kind is heading, text, figure, table or code."""

    kind: str
    content: object
    caption: str = ""


NONE = "—"  # a table's cell with no value (a NaN: a break-even that never flips, say)


def render_markdown(blocks: list[Block], out: Path) -> Path:
    """report.md, with figures as relative links."""
    parts = []
    for b in blocks:
        match b.kind:
            case "heading":
                parts.append(("# " if not parts else "## ") + str(b.content))
            case "text":
                parts.append(str(b.content))
            case "figure":
                parts.append(f"![{b.caption}]({Path(b.content).name})")
            case "table":  # a table indexed by (variant, firm) gets one column for each
                nested = isinstance(b.content.index, pd.MultiIndex)
                table = b.content.reset_index() if nested else b.content
                shown = table.astype(object).where(table.notna(), None)  # no value: "—"
                parts.append(shown.to_markdown(index=not nested, missingval=NONE))
            case "code":
                parts.append(f"```\n{b.content}\n```")
    path = out / "report.md"
    write_atomically(path, ("\n\n".join(parts) + "\n").encode())
    return path


def _inline_markdown(text: str) -> str:
    """Escape text and render the little Markdown the report uses: **bold**, `code`, lists."""
    out = []
    for paragraph in text.split("\n\n"):
        escaped = html.escape(paragraph)
        for marker, tag in (("**", "strong"), ("`", "code")):
            pieces = escaped.split(marker)
            escaped = "".join(f"<{tag}>{p}</{tag}>" if i % 2 else p for i, p in enumerate(pieces))
        lines = escaped.splitlines()
        if lines and all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return "\n".join(out)


def render_html(blocks: list[Block], out: Path, lang: Language = "en") -> Path:
    """report.html: one self-contained file, figures embedded; ``lang`` is the page's language
    (a Chinese page asks for a Chinese system font before the generic one)."""
    body = []
    for b in blocks:
        match b.kind:
            case "heading":
                level = 1 if not body else 2
                body.append(f"<h{level}>{html.escape(str(b.content))}</h{level}>")
            case "text":
                body.append(_inline_markdown(str(b.content)))
            case "figure":
                data = base64.b64encode(Path(b.content).read_bytes()).decode()
                body.append(
                    f'<figure><img alt="{html.escape(b.caption)}" '
                    f'src="data:image/png;base64,{data}"><figcaption>'
                    f"{html.escape(b.caption)}</figcaption></figure>"
                )
            case "table":
                body.append(b.content.to_html(classes="outcomes", border=0, na_rep=NONE))
            case "code":
                body.append(f"<pre>{html.escape(str(b.content))}</pre>")
    title = html.escape(str(blocks[0].content))
    style = (
        f"body{{font-family:system-ui,{FONTS[lang]}sans-serif;max-width:1100px;margin:2em auto;"
        "padding:0 1em;line-height:1.45}img{max-width:100%}"
        "table{border-collapse:collapse;font-size:90%}"
        "td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}"
        "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:80%}"
        "figcaption{color:#555;font-size:90%}"
    )
    page = (
        f"<!DOCTYPE html><html lang='{HTML_LANG[lang]}'><head><meta charset='utf-8'>"
        f"<title>{title}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>"
    )
    path = out / "report.html"
    write_atomically(path, page.encode())
    return path
