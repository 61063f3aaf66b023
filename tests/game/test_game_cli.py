"""``crmsim game`` through the command line: new, submit, advance, export; bad input gets one
clear paragraph and exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

from sim.apps.cli import main
from sim.apps.game.decisions import budget_items, budget_line
from sim.apps.game.game import Game
from sim.apps.game.research import PRICES, STUDIES

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
    prices = re.search(r"^budget 8; study prices (.+) \(\$ per capita per period\)$", out, re.M)
    given = dict(a.replace(" ", "").split("=") for a in extra[1::2] if "=" in a)
    shown = dict(p.split(" ") for p in prices.group(1).split(", "))
    assert shown == {s: f"{p:g}" for s, p in PRICES.items()} | given  # the prices in force
    return str(folder), codes, key


def test_a_game_played_from_the_command_line(tmp_path, small_scenario, capsys):
    folder, codes, key = new_game(tmp_path, small_scenario, capsys)
    assert len(codes) == 2 and len(set(codes)) == 2
    decision = tmp_path / "d.toml"
    decision.write_text("price = 110\nadvertising = 2.5\ncrm = 1.0\n")
    assert main(["game", "submit", folder, "--code", codes[0], str(decision)]) == 0
    out = capsys.readouterr().out
    assert "team 1, round 1: submitted\n" in out
    assert "+ studies): 3.5 of 8 $ per capita per period\n  = advertising 2.5 + crm 1\n" in out
    assert main(["game", "submit", folder, "--code", codes[0], str(decision)]) == 0
    assert "already submitted (applied once)" in capsys.readouterr().out
    assert main(["game", "advance", folder, "--key", key]) == 0
    out = capsys.readouterr().out
    assert "round 1 played (1 of 2 teams submitted)" in out and "cumulative_profit" in out
    assert "seat" not in out and "Team 1 " in out  # teams as the export names them; whole $
    assert not re.search(r"\d\.\d", out.split("cumulative_profit")[1]), out
    assert main(["game", "advance", folder, "--key", key]) == 0
    csv = tmp_path / "new" / "grades.csv"  # its folder is made
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
        (
            ["submit", "--code", "CODE0", "MIXED"],
            "mixed.toml: fields both above [decision] (price) and in it; put them all under",
        ),
        (
            ["submit", "--code", "CODE0", "TYPO"],
            "typo.toml: decision refused: unknown decision field(s) advertisng; allowed: price,",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(tmp_path, small_scenario, capsys, action, words):
    folder, codes, _ = new_game(tmp_path, small_scenario, capsys)
    (tmp_path / "bad.toml").write_text("price = -3\n")
    (tmp_path / "mixed.toml").write_text("price = 90\n[decision]\nservice = 5\n")
    (tmp_path / "typo.toml").write_text("advertisng = 2\nprice = -3\n")  # both said at once
    names = {"FILE": str(small_scenario), "BADFILE": str(tmp_path / "bad.toml")}
    names |= {"MISSING": str(tmp_path / "none.toml"), "CODE0": codes[0]}
    names |= {"MIXED": str(tmp_path / "mixed.toml"), "TYPO": str(tmp_path / "typo.toml")}
    args = [names.get(a, a) for a in action]
    assert main(["game", args[0], folder, *args[1:]]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmsim game: ") and words in err, err
    assert "TYPO" not in action or "; price=-3 (allowed: a number from 1 to 1000" in err
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


def test_research_prices_set_at_creation_are_stored_and_charged(tmp_path, small_scenario, capsys):
    extra = ["--research-price", "survey=2", "--research-price", " churn_clv = 1.5 "]
    folder, codes, _ = new_game(tmp_path, small_scenario, capsys, *extra)
    game = Game.open(folder)  # read back from the game's database
    assert game.rules.research_prices == PRICES | {"survey": 2.0, "churn_clv": 1.5}
    # the server's budget check charges the stored prices: 5 + 2 + 1.5 = 8.5 > 8
    decision = tmp_path / "d.toml"
    decision.write_text('advertising = 5.0\nstudies = ["survey", "churn_clv"]\n')
    assert main(["game", "submit", folder, "--code", codes[0], str(decision)]) == 2
    err = capsys.readouterr().err
    assert "over budget: advertising 5 + study survey 2 + study churn_clv 1.5 = 8.5 $" in err
    assert err.count("\n") == 1 and "buy fewer studies" in err
    assert Game.open(folder).store.submissions(1) == {}  # nothing saved
    decision.write_text('advertising = 4.5\nstudies = ["survey", "churn_clv"]\n')
    assert main(["game", "submit", folder, "--code", codes[0], str(decision)]) == 0
    out = capsys.readouterr().out
    assert "): 8 of 8 $ per capita per period\n" in out
    assert "= advertising 4.5 + study survey 2 + study churn_clv 1.5\n" in out
    # the printed line is the team page's, from the same function, on the same prices
    played = Game.open(folder)
    items = budget_items(played.current_decision(0), {"survey": 2.0, "churn_clv": 1.5})
    assert budget_line(items, 8.0, "en") in out
    assert played.current_studies(0) == ["survey", "churn_clv"]


def test_a_file_that_adds_studies_to_the_same_decision_is_submitted(
    tmp_path, small_scenario, capsys
):
    folder, codes, _ = new_game(tmp_path, small_scenario, capsys)
    decision = tmp_path / "d.toml"
    decision.write_text("crm = 2.0\n")
    assert main(["game", "submit", folder, "--code", codes[1], str(decision)]) == 0
    decision.write_text('crm = 2.0\nstudies = ["benchmarking"]\n')
    assert main(["game", "submit", folder, "--code", codes[1], str(decision)]) == 0
    out = capsys.readouterr().out
    assert out.count("team 2, round 1: submitted\n") == 2
    assert "): 2.5 of 8 $ per capita per period\n  = crm 2 + study benchmarking 0.5" in out
    assert Game.open(folder).current_studies(1) == ["benchmarking"]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("horoscope=1", "'horoscope=1' is not allowed (no study 'horoscope')"),
        ("survey=-1", "'survey=-1' is not allowed ('-1' is not a number ≥ 0"),
        ("survey=cheap", "'survey=cheap' is not allowed ('cheap' is not a number ≥ 0"),
        ("survey=inf", "'survey=inf' is not allowed ('inf' is not a number ≥ 0"),
        ("survey", "'survey' is not allowed (no '=')"),
    ],
)
def test_bad_research_prices_are_refused_by_name(tmp_path, small_scenario, capsys, value, words):
    args = ["game", "new", str(small_scenario), "--teams", "2", "--rounds", "3"]
    args += ["--periods-per-round", "2", "--out", str(tmp_path / "g"), "--research-price", value]
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    line = err.strip().splitlines()[-1]
    assert line.startswith("crmsim game new: error: argument --research-price: "), err
    assert words in line and f"STUDY one of {', '.join(STUDIES)}" in line
    assert "Traceback" not in err and not (tmp_path / "g").exists()


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (
            ["--research-price", "survey=9"],
            "survey=9: a study's price must be from 0 to the budget (8 $",
        ),
        (
            ["--budget", "0.5"],
            "churn_clv=0.75: a study's price must be from 0 to the budget (0.5 $",
        ),
        (["--budget", "100"], "--budget 100.0: Input should be less than or equal to 80"),
        (
            ["--deadline", "99999"],
            "--deadline 99999.0: Input should be less than or equal to 10080",
        ),
    ],
)
def test_settings_the_game_cannot_pay_or_hold_are_refused(
    tmp_path, small_scenario, capsys, extra, words
):
    args = ["game", "new", str(small_scenario), "--teams", "2", "--rounds", "3"]
    args += ["--periods-per-round", "2", "--out", str(tmp_path / "g"), *extra]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmsim game: ") and words in err and err.count("\n") == 1, err
    assert not (tmp_path / "g" / "game.sqlite").exists()


def test_debrief_workers_are_bounded(tmp_path, capsys):
    """(--workers 100000 would start a process each, as run's did until it was bounded.)"""
    with pytest.raises(SystemExit) as stop:
        main(["game", "debrief", str(tmp_path), "--key", "k", "--workers", "100000"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --workers: 100000 is not allowed" in err and "Traceback" not in err
