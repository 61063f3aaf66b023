"""``crmsim course grades`` on a real game's export, and ``crmsim notebooks DIR``: a student's
copy that never overwrites their own work."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.apps.cli import main
from sim.apps.game.game import Game
from sim.apps.game.rules import new_rules
from sim.course.grades import POINTS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture
def exported(tmp_path) -> Path:
    """A game of 2 teams and 1 bot over 3 rounds of 2 periods, exported by the CLI."""
    scenario = tmp_path / "small.toml"
    scenario.write_text('extends = "flagship"\n[customers]\ncount = 300\n')
    rules = new_rules(str(scenario), teams=2, bots=1, rounds=3, periods_per_round=2, seed=11)
    game, _, key = Game.create(tmp_path / "game", rules)
    for _ in range(3):
        game.advance()
    assert main(["game", "export", str(tmp_path / "game"), "--key", key]) == 0
    return tmp_path / "game"


def test_the_grade_sheet_has_one_row_per_team_from_the_export(exported, tmp_path):
    out = tmp_path / "grades.csv"
    assert main(["course", "grades", str(exported), "--out", str(out)]) == 0
    sheet = pd.read_csv(out, keep_default_na=False)
    export = pd.read_csv(exported / "export.csv")
    assert sorted(sheet["team"]) == ["Team 1", "Team 2"]  # the bot is not graded
    last = export[export["period"] == 6].set_index("team")
    assert len(last) == 3
    for row in sheet.itertuples():
        assert row.periods == 6
        assert row.final_cumulative_profit == pytest.approx(
            last.loc[row.team, "cumulative_profit"], abs=0.01
        )
        assert row.final_customer_equity == pytest.approx(
            last.loc[row.team, "customer_equity"], abs=0.01
        )
        better = (last["cumulative_profit"] > last.loc[row.team, "cumulative_profit"]).sum()
        assert row.rank == better + 1  # among all three seats, the bot included
    assert list(sheet["rank"]) == sorted(sheet["rank"])
    assert all((sheet[c] == "").all() for c in POINTS)  # for the instructor to fill in


def test_grading_again_keeps_the_points_entered(exported, tmp_path, capsys):
    out = tmp_path / "grades.csv"
    assert main(["course", "grades", str(exported), "--out", str(out)]) == 0
    sheet = pd.read_csv(out, dtype=str, keep_default_na=False)
    marks = {"quiz_points": "9", "homework_points": "8.5", "comments": "great, and on time"}
    sheet.loc[sheet["team"] == "Team 2", list(marks)] = list(marks.values())
    sheet.to_csv(out, index=False)
    assert main(["course", "grades", str(exported), "--out", str(out)]) == 0  # a re-export
    again = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("team")
    assert again.loc["Team 2", list(marks)].to_dict() == marks
    assert (again.loc["Team 1", list(POINTS)] == "").all()
    assert list(again.columns) == list(sheet.set_index("team").columns)
    game = Game.open(exported).id
    assert again["game"].eq(game).all() and len(game) == 12
    # the same game's export moved elsewhere is the same game: the marks stay
    moved = tmp_path / "usb" / "section_a.csv"
    moved.parent.mkdir()
    moved.write_bytes((exported / "export.csv").read_bytes())
    assert main(["course", "grades", str(moved), "--out", str(out)]) == 0
    assert pd.read_csv(out, dtype=str, keep_default_na=False).equals(again.reset_index())
    # another game's export (every game has a Team 1 and a Team 2) does not take these marks
    rules = Game.open(exported).rules.model_copy(update={"seed": 12})
    other, _, key = Game.create(tmp_path / "section_b", rules)
    other.advance()
    assert main(["game", "export", str(tmp_path / "section_b"), "--key", key]) == 0
    assert main(["course", "grades", str(tmp_path / "section_b"), "--out", str(out)]) == 2
    said = capsys.readouterr().err
    assert f"is the grade sheet of game {game}, not of this export's game {other.id}" in said
    # another game's sheet, with marks for a team this export lacks, is not written over
    sheet.loc[sheet["team"] == "Team 2", "team"] = "Team 7"
    sheet.to_csv(out, index=False)
    before = out.read_bytes()
    (tmp_path / "notes.csv").write_text("my,own\n1,2\n")
    for target in (out, tmp_path / "notes.csv"):
        assert main(["course", "grades", str(exported), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "holds points or comments for Team 7, which this export does not have" in err
    assert "notes.csv exists and is not a grade sheet" in err
    assert out.read_bytes() == before


def test_a_file_that_is_not_an_export_is_refused(tmp_path, capsys):
    bad = tmp_path / "summary.csv"
    bad.write_text("seed,firm\n0,A\n")
    assert main(["course", "grades", str(bad)]) == 2
    assert main(["course", "grades", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "lacks period, seat, team" in err and "crmsim game export" in err


def test_missing_notebooks_are_copied_and_a_changed_one_is_never_overwritten(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert NOTEBOOKS[:2] == ["00_quickstart.ipynb", "01_orientations.ipynb"] and len(NOTEBOOKS) > 10
    assert main(["notebooks", str(folder)]) == 0
    assert sorted(p.name for p in folder.glob("*.ipynb")) == NOTEBOOKS
    assert f"{len(NOTEBOOKS)} notebooks copied" in capsys.readouterr().out
    assert main(["notebooks", str(folder)]) == 0  # again: nothing to do
    assert "0 notebooks copied" in capsys.readouterr().out
    mine = folder / NOTEBOOKS[1]
    mine.write_text(mine.read_text() + " ")
    (folder / NOTEBOOKS[0]).unlink()
    assert main(["notebooks", str(folder)]) == 0  # the missing one back, the changed one kept
    out = capsys.readouterr().out
    assert "1 notebooks copied" in out and f"perhaps your own work ({NOTEBOOKS[1]})" in out
    assert mine.read_text().endswith(" ") and (folder / NOTEBOOKS[0]).exists()
    assert (folder / NOTEBOOKS[0]).read_bytes() == (ROOT / "notebooks" / NOTEBOOKS[0]).read_bytes()


def test_notebooks_into_a_file_are_refused(tmp_path, capsys):
    """(It ended in "[Errno 17] File exists" with exit code 1.)"""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    for folder in (taken, taken / "sub"):
        with pytest.raises(SystemExit) as stop:
            main(["notebooks", str(folder)])
        assert stop.value.code == 2
        assert f"argument folder: '{folder}' cannot be the output folder" in capsys.readouterr().err
    assert taken.read_text() == "mine"


def test_chinese_notebooks_go_into_zh(tmp_path, capsys):
    chinese = sorted(p.name for p in (ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))
    code = main(["notebooks", str(tmp_path), "--lang", "zh"])
    if chinese:
        assert code == 0 and sorted(p.name for p in (tmp_path / "zh").glob("*")) == chinese
        out = capsys.readouterr().out  # (it said they were copied into the folder, not its zh/)
        assert f"{len(chinese)} notebooks copied into {tmp_path / 'zh'}." in out
        assert f"Next: jupyter lab {tmp_path / 'zh'}" in out
    else:
        assert code == 2 and "no zh notebooks" in capsys.readouterr().err
