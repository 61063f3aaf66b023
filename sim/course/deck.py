"""A session's slide deck as one HTML file that works offline: no link, script or font outside
it (figures and the Chinese glyphs it uses are embedded), keys to move between slides, one slide
per page when printed. Order: title, objectives, concept brief, scenarios, one slide per
exercise, then the runs' figures (after the exercises: they show what students predict), then
the discussion questions."""

from __future__ import annotations

import base64
import html

from sim.course.figures import CUSTOMERS, SEEDS, SessionFigure
from sim.course.fonts import cjk_subset
from sim.course.markup import WIDE, to_html
from sim.course.sheets import Sheet, chunks
from sim.course.words import words

BUDGET = 900  # characters of Markdown on one slide, a Chinese one counting two (a longer block
# gets a slide to itself)
DENSE = 600  # above this many characters a slide's text is set smaller

FONT_FACE = (
    '@font-face { font-family: "crmsim CJK"; font-display: block; '
    "src: url(data:font/otf;base64,%s); }"
)
STYLE = """
html, body { margin: 0; background: #222; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, "crmsim CJK", sans-serif; }
.slide { box-sizing: border-box; width: 100vw; height: 100vh; padding: 5vh 6vw 7vh;
  background: #fff; color: #1a1a1a; font-size: 3.4vh; line-height: 1.35; overflow: auto;
  position: relative; }
.slide.dense { font-size: 2.7vh; }
.slide h1 { font-size: 6vh; margin: 22vh 0 2vh; color: #1f4e79; }
.slide h2 { font-size: 4.6vh; margin: 0 0 2.5vh; color: #1f4e79;
  border-bottom: 0.4vh solid #1f4e79; padding-bottom: 1vh; }
.slide code, .slide pre { font-family: "DejaVu Sans Mono", Consolas, Menlo, monospace;
  font-size: 0.85em; background: #f2f2f2; }
.slide pre { padding: 1.5vh 1.5vw; white-space: pre-wrap; }
.slide table { border-collapse: collapse; font-size: 0.85em; }
.slide th, .slide td { border: 1px solid #bbb; padding: 0.6vh 0.8vw; text-align: left; }
.slide img { display: block; max-width: 100%; max-height: 62vh; margin: 2vh auto; }
.slide .note { color: #555; font-size: 0.8em; }
.slide footer { position: absolute; left: 6vw; right: 6vw; bottom: 2.5vh; font-size: 1.8vh;
  color: #777; display: flex; justify-content: space-between; }
@media print {
  @page { size: 297mm 167mm; margin: 0; }
  html, body { background: #fff; }
  .slide { display: block !important; width: 297mm; height: 167mm; page-break-after: always; }
}
"""

SCRIPT = """
const slides = Array.from(document.querySelectorAll(".slide"));
let current = 0;
function show(n) {
  current = Math.max(0, Math.min(slides.length - 1, n));
  slides.forEach((s, k) => { s.style.display = k === current ? "block" : "none"; });
  history.replaceState(null, "", "#" + (current + 1));
}
document.addEventListener("keydown", (e) => {
  const next = ["ArrowRight", "ArrowDown", "PageDown", " ", "Enter"];
  const back = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
  if (next.includes(e.key)) show(current + 1);
  else if (back.includes(e.key)) show(current - 1);
  else if (e.key === "Home") show(0);
  else if (e.key === "End") show(slides.length - 1);
  else if (e.key === "f" || e.key === "F") document.documentElement.requestFullscreen();
  else return;
  e.preventDefault();
});
document.addEventListener("click", (e) => show(current + (e.clientX < innerWidth / 4 ? -1 : 1)));
show((parseInt(location.hash.slice(1), 10) || 1) - 1);
"""


def weight(markdown: str) -> int:
    """The room text takes on a slide, in Latin characters (a Chinese one is twice as wide)."""
    return len(markdown) + len(WIDE.findall(markdown))


def pack(blocks: list[str], budget: int = BUDGET) -> list[str]:
    """Consecutive blocks joined into slides of at most ``budget`` characters each; a block
    that ends with a colon stays with the one it introduces."""
    slides: list[list[str]] = []
    size = budget
    for block in blocks:
        glued = slides and slides[-1][-1].endswith((":", "："))
        if size + weight(block) > budget and not glued:
            slides.append([])
            size = 0
        slides[-1].append(block)
        size += weight(block)
    return ["\n\n".join(s) for s in slides]


def text_slides(heading: str, markdown: str, one_per_block: bool = False) -> list[str]:
    """The slides (HTML bodies) of one section of a sheet."""
    blocks = chunks(markdown)
    pages = blocks if one_per_block else pack(blocks)
    return [slide(heading, to_html(page), dense=weight(page) > DENSE) for page in pages]


def slide(heading: str, body: str, dense: bool = False, title: bool = False) -> str:
    """One slide: a heading (``h1`` on the title slide) and its HTML body."""
    tag = "h1" if title else "h2"
    classes = "slide dense" if dense else "slide"
    return f'<section class="{classes}"><{tag}>{html.escape(heading)}</{tag}>{body}</section>'


def figure_slides(figures: list[SessionFigure], lang: str) -> list[str]:
    """A divider, then one slide per figure with the command it illustrates."""
    said = words(lang)
    if not figures:
        return []
    slides = [slide(said["after"], f'<p class="note">{html.escape(said["after_note"])}</p>')]
    lead = said["illustration"].format(customers=CUSTOMERS, seeds=SEEDS)
    for figure in figures:
        png = base64.b64encode(figure.png).decode("ascii")
        body = (
            f'<p class="note">{html.escape(lead)} <code>{html.escape(figure.command)}</code></p>'
            f'<img alt="{html.escape(figure.command)}" src="data:image/png;base64,{png}">'
        )
        slides.append(slide(said["after"], body, dense=True))
    return slides


def deck_html(sheet: Sheet, figures: list[SessionFigure]) -> str:
    """The whole deck of ``sheet`` as one HTML document."""
    said = words(sheet.lang)
    h, s = sheet.headings, sheet.sections
    subtitle = f"<p>{html.escape(sheet.subtitle)}</p><p class='note'>{said['course']}</p>"
    slides = [
        slide(sheet.title, subtitle, title=True),
        *text_slides(h["objectives"], s["objectives"]),
        *text_slides(h["brief"], s["brief"]),
        *text_slides(h["scenarios"], s["scenarios"]),
        *text_slides(h["exercises"], s["exercises"], one_per_block=True),
        *figure_slides(figures, sheet.lang),
        *text_slides(h["questions"], s["questions"]),
    ]
    count = len(slides)
    slides = [
        page.replace(
            "</section>",
            f"<footer><span>{html.escape(sheet.title)} · {said['keys']}</span>"
            f"<span>{k}/{count}</span></footer></section>",
        )
        for k, page in enumerate(slides, start=1)
    ]
    body = "\n".join(slides)
    glyphs = "".join(sorted(set(WIDE.findall(body))))
    font = FONT_FACE % base64.b64encode(cjk_subset(glyphs)).decode("ascii") if glyphs else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{sheet.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(sheet.title)}</title><style>{font}{STYLE}</style>"
        f"</head><body>\n{body}\n<script>{SCRIPT}</script></body></html>\n"
    )
