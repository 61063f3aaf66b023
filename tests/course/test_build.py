"""The course's slide decks and handouts (``crmsim course build``): every section of a sheet in
place, handouts of a few pages with a glyph for every character, decks that need nothing from
outside their one file."""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from sim.apps.cli import main
from sim.course.deck import deck_html
from sim.course.figures import run_settings
from sim.course.fonts import open_font
from sim.course.handout import handout_fonts, handout_text, write_handout
from sim.course.sheets import LANGS, ROLES, chunks, commands, find_sheets, read_sheet, sessions_dir
from sim.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
BUILT = [lang for lang in LANGS if sessions_dir(COURSE, lang).is_dir()]
PAGES = range(2, 7)  # a handout: the commands, every exercise with room to answer, questions
OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*(?!["']?(?:data:|#))|url\((?!data:)|https?://""")


def test_a_sheet_is_read_by_the_position_of_its_sections():
    (sheet,) = find_sheets(COURSE, "en", "01")
    assert sheet.slug == "01-orientations" and sheet.title.startswith("Session 01 — ")
    assert list(sheet.headings) == list(ROLES)
    assert sheet.headings["exercises"] == "Exercises"
    exercises = chunks(sheet.sections["exercises"])
    assert [e.split(".")[0] for e in exercises] == ["1", "2", "3", "4", "5", "6"]
    runs = [run_settings(c) for c in commands(sheet.sections["scenarios"])]
    assert runs == [("flagship", ()), ("differentiated", ())]  # the customer count is ours
    quoted = "crmsim run flagship --set 'firms[0].costs.time=15' --set 'customers.count=3000'"
    assert run_settings(quoted) == ("flagship", ("firms[0].costs.time=15",))


def test_a_sheet_without_its_five_sections_is_refused(tmp_path):
    path = tmp_path / "sessions" / "01-x" / "README.md"
    path.parent.mkdir(parents=True)
    path.write_text("# Session 01\n\n## Learning objectives\n\n## Exercises\n1. Do it.\n")
    with pytest.raises(InputError, match=r"README.md: a session sheet has 5 '## ' sections"):
        read_sheet(path, "en")


def test_the_handout_has_a_glyph_for_every_character(tmp_path, caplog):
    (sheet,) = find_sheets(COURSE, "en", "01")
    text = handout_text(sheet)
    assert "以客户为中心" in text and "Open design problem" in text
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pages = write_handout(sheet, tmp_path / "h.pdf")
    assert pages in PAGES
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    pdf = (tmp_path / "h.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == pages
    assert b"FontFile2" in pdf  # the fonts travel inside the file


def test_handouts_made_one_after_another_share_no_glyphs(tmp_path):
    """The fonts are parsed once per process: what one handout uses stays out of the next."""
    (first,) = find_sheets(COURSE, "en", "01")
    (other,) = find_sheets(COURSE, "zh", "05")
    made = [write_handout(s, tmp_path / f"{k}.pdf") for k, s in enumerate([first, other, first])]
    assert made[0] == made[2] and made[0] in PAGES
    dated = re.compile(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]+><[0-9A-F]+>\]")
    once, again = (dated.sub(b"", (tmp_path / f"{k}.pdf").read_bytes()) for k in (0, 2))
    assert once == again  # the same fonts, cut down to the same glyphs
    chinese = (tmp_path / "1.pdf").stat().st_size
    assert len(once) < chinese < 300_000  # its ~300 Chinese glyphs only (the font has 65,000)
    assert once.count(b"/FontFile2") == 8 and once.count(b"/FontFile3") == 1


def test_a_character_no_font_has_stops_the_handout(tmp_path):
    (sheet,) = find_sheets(COURSE, "en", "01")
    tangut = "\U00017000"  # in no font the handout uses
    broken = sheet.__class__(**{**sheet.__dict__, "title": f"Session 01 {tangut}"})
    with pytest.raises(InputError, match="no glyph for '\U00017000'"):
        write_handout(broken, tmp_path / "h.pdf")
    assert not (tmp_path / "h.pdf").exists()


def test_the_deck_needs_nothing_outside_its_file():
    (sheet,) = find_sheets(COURSE, "en", "01")
    page = deck_html(sheet, figures=[])
    assert not OUTSIDE.search(page), OUTSIDE.search(page)
    slides = page.count('<section class="slide')
    exercises = len(chunks(sheet.sections["exercises"]))
    assert slides >= 1 + 4 + exercises  # title, one slide a section at least, one per exercise
    assert page.count("<h2>Exercises</h2>") == exercises
    assert "ArrowRight" in page and "@media print" in page
    # Chinese glyphs on a machine without a Chinese font: every one the deck shows is embedded
    cjk = set(re.findall(r"[\u4e00-\u9fff]", page.split("<body>")[1]))
    assert {"以", "客", "户", "同", "质", "化"} <= cjk
    font = re.search(r"base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    embedded = {chr(c) for c in TTFont(io.BytesIO(base64.b64decode(font))).getBestCmap()}
    assert cjk <= embedded


@pytest.mark.slow
def test_course_build_writes_session_01_with_figures(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outside the checkout: the course is the checkout's own
    assert main(["course", "build", "--lang", "en", "--session", "01", "--out", str(tmp_path)]) == 0
    deck = tmp_path / "en" / "01-orientations-slides.html"
    handout = tmp_path / "en" / "01-orientations-handout.pdf"
    page = deck.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2  # one figure per command of the sheet
    assert page.index("data:image/png") > page.rindex("<h2>Exercises</h2>")  # after exercises
    assert not OUTSIDE.search(page)
    assert 100_000 < deck.stat().st_size < 3_000_000
    assert handout.read_bytes().startswith(b"%PDF")
    assert "01-orientations-handout.pdf (3 pages)" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("lang", BUILT)
def test_every_handout_fits_and_every_glyph_is_there(lang, tmp_path):
    sheets = find_sheets(COURSE, lang)
    numbers = [s.number for s in sheets]
    english = [s.number for s in find_sheets(COURSE, "en")]
    assert english[:10] == [f"{n:02d}" for n in range(1, 11)]
    assert numbers == english[: len(numbers)]  # an edition in progress has the first ones
    cmap = set().union(*(set(map(chr, open_font(f).getBestCmap())) for f in handout_fonts()))
    for sheet in sheets:
        missing = {c for c in handout_text(sheet) if not c.isspace() and c not in cmap}
        assert not missing, (sheet.path, missing)
        pages = write_handout(sheet, tmp_path / f"{sheet.slug}.pdf")
        assert pages in PAGES, (sheet.slug, pages)
        assert not OUTSIDE.search(deck_html(sheet, figures=[])), sheet.slug


def test_bad_options_are_refused(tmp_path, capsys):
    assert main(["course", "build", "--session", "1", "--out", str(tmp_path)]) == 2
    assert main(["course", "build", "--course", str(tmp_path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "two-digit number" in err and "Give it with --course" in err
    # every language (the default) of a folder that is no course: it built nothing, exit code 0
    assert main(["course", "build", "--course", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert f"{tmp_path / 'sessions'} not found" in capsys.readouterr().err
    args = ["course", "build", "--course", str(COURSE), "--lang", "en", "--session", "99"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    assert "--session 99: no such session in" in capsys.readouterr().err.replace("\n", " ")
    assert not (tmp_path / "o").exists()
