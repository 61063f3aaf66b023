"""The printable handout of a session (PDF, A4): its title, name lines, the commands it runs,
each exercise with ruled space for the answer, and the discussion questions. Latin text in
DejaVu, Chinese from the CJK font (:func:`sim.course.fonts.cjk_font`), both embedded."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.fonts import SubsetMap, TTFFont

from sim.course.fonts import MONO_FONTS, TEXT_FONTS, cjk_font, dejavu, missing_glyphs, to_subset
from sim.course.markup import WIDE, to_html
from sim.course.sheets import Sheet, chunks
from sim.course.words import words
from sim.errors import InputError

MARGIN = 18  # mm
ANSWER_LINES = 5  # ruled lines after each exercise
QUESTION_LINES = 3  # after each discussion question
LINE_GAP = 8  # mm between ruled lines
TEXT_ROOM = 20  # mm kept for an exercise's text above its ruled lines
BLUE = (31, 78, 121)
LINE_HEIGHT = 1.3  # of paragraphs and lists, in font sizes
BLOCKS = re.compile(r"<(p|ul|ol|pre)(?=[ >])")
CLOSING = "、。，；：！？）」』》〉"  # Chinese punctuation that never starts a line
BETWEEN_WIDE = re.compile(f"(?<={WIDE.pattern})(?={WIDE.pattern})(?![{CLOSING}])")
ZWSP = "\u200b"  # a zero-width space where Chinese lines may break: fpdf2 breaks only at spaces


def handout_fonts() -> tuple[Path, ...]:
    """Every font file a handout uses."""
    dejavus = [*TEXT_FONTS.values(), *MONO_FONTS.values()]
    return (*(dejavu(f) for f in dejavus), cjk_font())


@cache
def parsed_fonts() -> FPDF:
    """A document with every handout font added, made once per process: fpdf2's ``add_font``
    reads a whole font file (~1 s for the nine, most of it the CJK font's 65,000 glyphs)."""
    pdf = FPDF()
    for style, name in TEXT_FONTS.items():
        pdf.add_font("text", style, dejavu(name))
    for style, name in MONO_FONTS.items():
        pdf.add_font("mono", style, dejavu(name))
    pdf.add_font("cjk", "", cjk_font())  # one weight: bold and oblique text use it too
    return pdf


def own_font(parsed: TTFFont, number: int) -> TTFFont:
    """``parsed`` for one more document: the font's metrics (widths, glyph ids, descriptor)
    shared, what fpdf2 records per document fresh (the glyphs used, the missing ones), and its
    own font file object (:func:`~sim.course.fonts.to_subset`), which fpdf2 cuts down to those
    glyphs in place when writing the PDF."""
    font = copy.copy(parsed)
    font.i = number
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.ttfont = to_subset(font.ttffile)
    return font


class Handout(FPDF):
    """An A4 page with the session's title at the top and the page number at the foot."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(format="A4")
        self.sheet = sheet
        parsed = parsed_fonts()
        for key, font in parsed.fonts.items():
            self.fonts[key] = own_font(font, len(self.fonts) + 1)
        self.pdf_version = max(self.pdf_version, parsed.pdf_version)  # 1.6 for CFF CID fonts
        self.set_fallback_fonts(["cjk"], exact_match=False)
        self.set_margins(MARGIN, MARGIN)
        self.set_auto_page_break(True, MARGIN)
        self.set_title(f"{sheet.title} — {words(sheet.lang)['handout']}")
        self.set_creator("crmsim course build")

    def header(self) -> None:
        self.set_font("text", "", 8)
        self.set_text_color(120)
        self.cell(0, 5, f"{words(self.sheet.lang)['course']} · {self.sheet.title}")
        self.ln(8)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("text", "", 8)
        self.set_text_color(120)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    def markdown(self, text: str) -> None:
        """Write a block of Markdown."""
        self.set_font("text", "", 10)
        spaced = BLOCKS.sub(rf'<\1 line-height="{LINE_HEIGHT}"', to_html(text))
        self.write_html(
            BETWEEN_WIDE.sub(ZWSP, spaced),
            font_family="text",
            tag_styles={
                "code": FontFace(family="mono", size_pt=9),
                "pre": FontFace(family="mono", size_pt=8),
                "h2": FontFace(family="text", emphasis="BOLD", size_pt=13, color=BLUE),
            },
        )

    def keep_room(self, lines: int) -> None:
        """A new page unless a few lines of text and ``lines`` ruled lines fit on this one."""
        if self.will_page_break(lines * LINE_GAP + TEXT_ROOM):
            self.add_page()

    def ruled(self, lines: int) -> None:
        """Ruled lines to write an answer on (on the next page if they do not fit)."""
        if self.will_page_break(lines * LINE_GAP):
            self.add_page()
        self.set_draw_color(190)
        for _ in range(lines):
            self.ln(LINE_GAP)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.markdown(f"## {text}")


def handout_text(sheet: Sheet) -> str:
    """Every character the handout writes (for the glyph check)."""
    said = words(sheet.lang)
    chrome = " ".join(said[k] for k in ("course", "handout", "name", "group", "date"))
    sections = " ".join(sheet.sections[r] for r in ("scenarios", "exercises", "questions"))
    headings = " ".join(sheet.headings.values())
    return f"{sheet.title} {sheet.subtitle} {chrome} {headings} {sections}"


def write_handout(sheet: Sheet, out: Path) -> int:
    """Write the handout of ``sheet`` to ``out``; its number of pages."""
    missing = missing_glyphs(handout_text(sheet), handout_fonts())
    if missing:
        raise InputError(
            f"{sheet.path}: the handout's fonts have no glyph for {''.join(sorted(missing))!r}; "
            "write these characters differently"
        )
    said = words(sheet.lang)
    pdf = Handout(sheet)
    pdf.add_page()
    pdf.set_font("text", "B", 16)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 8, sheet.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("text", "", 11)
    if sheet.subtitle:
        pdf.multi_cell(0, 6, sheet.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("mono")  # and back: after a fallback glyph fpdf2 keeps the wrong font
    pdf.set_font("text", "", 11)
    pdf.multi_cell(0, 6, said["handout"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)
    pdf.set_font("text", "", 10)
    line = "_" * 10
    blanks = f"{said['name']}: {line * 2}   {said['group']}: {line}   {said['date']}: {line}"
    pdf.cell(0, 8, blanks)
    pdf.ln(10)
    pdf.heading(sheet.headings["scenarios"])
    pdf.markdown(sheet.sections["scenarios"])
    pdf.heading(sheet.headings["exercises"])
    for exercise in chunks(sheet.sections["exercises"]):
        pdf.keep_room(ANSWER_LINES)
        pdf.markdown(exercise)
        pdf.ruled(ANSWER_LINES)
    pdf.heading(sheet.headings["questions"])
    for question in chunks(sheet.sections["questions"]):
        pdf.keep_room(QUESTION_LINES)
        pdf.markdown(question)
        pdf.ruled(QUESTION_LINES)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return pdf.page_no()
