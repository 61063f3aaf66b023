"""``crmsim game`` through the command line: new, submit, advance, export; bad input gets one
clear paragraph and exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

from sim.apps.cli import main

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)


def new_game(tmp_path, small_scenario, capsys, *extra: str) -> tuple[str, list[str], str]:
    folder = tmp_path / "g"
    args = ["game", "new", str(small_scenario), "--teams", "2", "--rounds", "3"]
    args += ["--periods-per-round", "2", "--bots", "1", "--seed", "5", "--out", str(folder)]
    assert main([*args, *extra]) == 0
    out = capsys.readouterr().out
    key = re.search(r"instructor key: (\S+)", out).group(1)
    codes = re.findall(r"team \d+ code: (\S+)", out)
    assert "seat 3: bot (market_oriented)" in out
    return str(folder), codes, key


def test_a_game_played_from_the_command_line(tmp_path, small_scenario, capsys):
    folder, codes, key = new_game(tmp_path, small_scenario, capsys)
    assert len(codes) == 2 and len(set(codes)) == 2
    decision = tmp_path / "d.toml"
    decision.write_text("price = 110\nadvertising = 2.5\ncrm = 1.0\n")
    assert main(["game", "submit", folder, "--code", codes[0], str(decision)]) == 0
    assert "team 1, round 1: submitted; budgeted spending 3.5 of 8" in capsys.readouterr().out
    assert main(["game", "submit", folder, "--code", codes[0], str(decision)]) == 0
    assert "already submitted (applied once)" in capsys.readouterr().out
    assert main(["game", "advance", folder, "--key", key]) == 0
    out = capsys.readouterr().out
    assert "round 1 played (1 of 2 teams submitted)" in out and "cumulative_profit" in out
    assert main(["game", "advance", folder, "--key", key]) == 0
    csv = tmp_path / "grades.csv"
    assert main(["game", "export", folder, "--key", key, "--out", str(csv)]) == 0
    assert "12 rows" in capsys.readouterr().out  # 2 rounds × 2 periods × 3 seats
    table = pd.read_csv(csv)
    team1 = table[table.team == "Team 1"]
    assert list(team1.period) == [1, 2, 3, 4]
    assert (team1.decision_price == 110.0).all() and (team1.decision_crm == 1.0).all()
    assert (table[table.team == "Team 2"].decision_price == 100.0).all()  # the initial offer
    assert table.profit.notna().all() and (table.revenue > 0).any()


@pytest.mark.parametrize(
    ("action", "words"),
    [
        (["submit", "--code", "nonsense", "FILE"], "--code is not a join code"),
        (["advance", "--key", "nonsense"], "--key is not the instructor key"),
        (["export", "--key", "CODE0"], "--key is not the instructor key"),  # a team's code
        (["submit", "--code", "CODE0", "BADFILE"], "price=-3 (allowed: a number from 1 to 1000"),
        (["submit", "--code", "CODE0", "MISSING"], "no such decision file"),
    ],
)
def test_bad_input_gets_a_clear_message(tmp_path, small_scenario, capsys, action, words):
    folder, codes, _ = new_game(tmp_path, small_scenario, capsys)
    (tmp_path / "bad.toml").write_text("price = -3\n")
    names = {"FILE": str(small_scenario), "BADFILE": str(tmp_path / "bad.toml")}
    names |= {"MISSING": str(tmp_path / "none.toml"), "CODE0": codes[0]}
    args = [names.get(a, a) for a in action]
    assert main(["game", args[0], folder, *args[1:]]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmsim game: ") and words in err, err
    assert err.count("\n") == 1


def test_new_refuses_an_existing_game_and_too_many_seats(tmp_path, small_scenario, capsys):
    folder, _, _ = new_game(tmp_path, small_scenario, capsys)
    args = ["game", "new", str(small_scenario), "--teams", "2", "--rounds", "3"]
    args += ["--periods-per-round", "2"]
    assert main([*args, "--out", folder]) == 2
    assert "already holds a game" in capsys.readouterr().err
    assert main([*args[:3], "--teams", "18", *args[5:], "--bots", "3"]) == 2
    assert "= 21 seats; a market has at most 20 firms" in capsys.readouterr().err


def test_the_real_command_prints_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sim", "game", "advance", str(tmp_path), "--key", "k"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is not a game folder" in result.stderr


def test_serve_checks_the_folder_before_starting(tmp_path, capsys):
    assert main(["game", "serve", str(tmp_path)]) == 2
    assert "is not a game folder (no game.sqlite)" in capsys.readouterr().err


def test_the_debrief_from_the_command_line(tmp_path, small_scenario, capsys):
    folder, codes, key = new_game(tmp_path, small_scenario, capsys)
    assert main(["game", "advance", folder, "--key", key]) == 0
    capsys.readouterr()
    assert main(["game", "debrief", folder, "--key", key, "--seeds", "3"]) == 0
    out = capsys.readouterr().out
    assert "luck percentile" in out and "Team 2" in out
    page = (tmp_path / "g" / "debrief.html").read_text()
    assert "Against the textbook" in page and "customer_centric" in page
    assert main(["game", "debrief", folder, "--key", codes[0]]) == 2
