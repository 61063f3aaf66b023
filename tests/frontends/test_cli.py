"""The command line: runs end to end, and bad input gets one clear message, never a traceback."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.apps.cli import main
from sim.apps.cli.parser import build_parser

SMALL = ["--set", "customers.count=400", "--set", "periods=6"]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.mark.slow  # three runs, six figures and a report: ~4 s
def test_run_writes_results_and_report(tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["run", "flagship", "--seeds", "3", "--out", str(out), "--quiet", *SMALL]) == 0
    figures = (
        "over_time",
        "comparison",
        "distributions",
        "customer_value",
        "relationships",
        "perceptual_map",
    )
    for name in (
        "manifest.json",
        "summary.csv",
        "metrics.parquet",
        "report.md",
        "report.html",
        *(f"{f}.png" for f in figures),
    ):
        assert (out / name).is_file(), name
    assert capsys.readouterr().out.strip() == str(out / "report.html")
    page = (out / "report.html").read_text()
    assert page.count('src="data:image/png;base64,') == len(figures)  # self-contained
    assert 'src="http' not in page and "THINGS TO TRY" in page and "scenario_hash" in page
    assert "ProductCo" in (out / "report.md").read_text()
    (out / "report.html").unlink()
    assert main(["report", str(out)]) == 0
    assert (out / "report.html").is_file()


def test_sweep_and_compare_write_combined_results(tmp_path, capsys):
    out = tmp_path / "sweep"
    args = [
        "sweep",
        "flagship",
        "--grid",
        "homogenisation.rate=0,0.15",
        "--seeds",
        "2",
        "--out",
        str(out),
        "--quiet",
        *SMALL,
    ]
    assert main(args) == 0
    summary = pd.read_csv(out / "summary.csv")
    assert sorted(summary["homogenisation.rate"].unique()) == [0, 0.15]
    assert len(summary) == 2 * 2 * 3  # variants × seeds × firms
    assert (out / "variants" / "rate=0" / "runs" / "seed=1.parquet").is_file()
    assert main(args) == 0  # nothing left to do: same results
    pd.testing.assert_frame_equal(summary, pd.read_csv(out / "summary.csv"))
    report = (out / "report.md").read_text()
    assert "each variant against the first, firm by firm (paired by seed)" in report
    for firm in ("ProductCo", "CustomerCo", "MarketCo"):
        assert f"- {firm}, rate=0.15 − rate=0: " in report and " over 2 runs: " in report
    compare = tmp_path / "compare"
    assert (
        main(
            [
                "compare",
                "flagship",
                "--rotate",
                "--seeds",
                "2",
                "--out",
                str(compare),
                "--quiet",
                *SMALL,
            ]
        )
        == 0
    )
    rotated = pd.read_csv(compare / "summary.csv")
    played = rotated.groupby("firm")["strategy"].nunique()
    assert (played == 3).all()  # every firm played every strategy once
    assert main(["report", str(compare)]) == 0
    report = (compare / "report.md").read_text()
    assert "| rotation2 | ProductCo " in report and "('rotation" not in report  # own columns
    assert "crmsim report variants/<variant>" in report and (compare / "variants").is_dir()


@pytest.mark.slow  # two experiments with reports: ~4 s
def test_same_command_twice_gives_identical_summaries(tmp_path):
    for folder in ("a", "b"):
        args = ["run", "flagship", "--seeds", "2", "--out", str(tmp_path / folder), "--quiet"]
        assert main([*args, *SMALL]) == 0
    a = pd.read_csv(tmp_path / "a" / "summary.csv")
    b = pd.read_csv(tmp_path / "b" / "summary.csv")
    pd.testing.assert_frame_equal(a, b)


def test_list_show_validate(capsys):
    assert main(["list"]) == 0
    assert "flagship" in capsys.readouterr().out
    assert main(["show", "flagship"]) == 0
    shown = capsys.readouterr().out
    assert "WHAT IS IT" in shown and "THINGS TO TRY" in shown
    assert main(["validate", "flagship", "differentiated"]) == 0


def test_a_folder_named_like_a_scenario_is_not_a_scenario(tmp_path, monkeypatch, capsys):
    """A name is a shipped scenario; a path is one only when it looks like one (0.1.0 read the
    folder ``flagship`` in the working directory as a scenario file and exited 2)."""
    (tmp_path / "flagship").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 0
    assert "flagship " in capsys.readouterr().out
    assert main(["show", "flagship"]) == 0
    assert capsys.readouterr().out.startswith("flagship: ")
    assert main(["validate", "./flagship"]) == 2
    assert "./flagship: a folder, not a scenario file (*.toml)" in capsys.readouterr().err
    (tmp_path / "mine.toml").write_text('extends = "flagship"\nperiods = 3\n')
    assert main(["validate", "mine.toml"]) == 0


def test_help_has_examples():
    result = run_cli("run", "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and "crmsim run flagship" in result.stdout


def every_command() -> list[str]:
    """The names of all of crmsim's sub-commands, nested ones as "game new"."""
    names = []
    for action in build_parser()._subparsers._group_actions:
        for name, parser in action.choices.items():
            nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            names += [f"{name} {sub}" for a in nested for sub in a.choices] or [name]
    return names


@pytest.mark.parametrize("command", ["", *every_command()])
def test_every_help_page_prints(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([*command.split(), "--help"])
    assert stop.value.code == 0
    page = capsys.readouterr().out
    assert page.startswith("usage: crmsim") and "options:" in page
    if not command:  # the list of commands names each, with its line of help
        assert all(name.split()[0] in page for name in every_command())


BAD_FILES = {
    "broken.toml": ("periods = [", "not valid TOML"),
    "empty.toml": ("", "empty"),
    "unknown_key.toml": (
        '[[firms]]\nname = "A"\nstrategy = {name = "static"}\npriec = 3\n',
        "firms[0].priec: unknown key",
    ),
    "wrong_type.toml": (
        'periods = "many"\n[[firms]]\nname = "A"\nstrategy = {name = "static"}\n',
        "periods",
    ),
    "out_of_range.toml": (
        '[customers]\ncount = 3\n[[firms]]\nname = "A"\nstrategy = {name = "static"}\n',
        "customers.count",
    ),
    "unknown_strategy.toml": (
        '[[firms]]\nname = "A"\nstrategy = {name = "greedy"}\n',
        "unknown strategy 'greedy'; allowed:",
    ),
    "bad_strategy_param.toml": (
        '[[firms]]\nname = "A"\nstrategy = {name = "customer_centric", retention_budget = 3}\n',
        "retention_budget",
    ),
    "no_firms.toml": ("periods = 5\n", "firms"),
    "event_kind.toml": (
        'extends = "flagship"\n[[events]]\nkind = "scandle"\nperiod = 3\n',
        "events[0]: unknown kind 'scandle'; allowed: 'homogenisation', 'new_entrant',",
    ),
    "event_key.toml": (
        'extends = "flagship"\n[[events]]\nkind = "recession"\nperiod = 3\nduraton = 2\n',
        "events[0].recession.duraton: unknown key (check the spelling; docs/scenarios.md lists "
        "every key); allowed here: period, duration, kind,",
    ),
    "extends_unknown.toml": ('extends = "flagshp"\n', "extends = 'flagshp': unknown scenario"),
    "extends_missing.toml": ('extends = "gone.toml"\n', "extends = 'gone.toml': "),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_scenario_files_get_a_clear_message(tmp_path, capsys, name):
    text, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and expected in err, err


@pytest.mark.parametrize(
    ("argv", "usage", "extra"),
    [
        (["validate", "flagship", "--set", "x=3"], "usage: crmsim validate [-h]", "--set x=3"),
        (["run", "flagship", "--bogus"], "usage: crmsim run [-h]", "--bogus"),
        (["course", "build", "--bogus"], "usage: crmsim course [-h]", "--bogus"),
    ],
)
def test_an_argument_the_command_does_not_take_shows_its_usage(capsys, argv, usage, extra):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith(usage), err
    assert f"crmsim {argv[0]}: error: unrecognized arguments: {extra}" in err


def test_a_bad_set_value_is_shown_as_one(tmp_path, capsys):
    """A typo in --set is not the file's: the message lists the values --set changed."""
    args = ["run", "flagship", "--set", "customers.cuont=5", "--set", "periods=4"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "customers.cuont: unknown key" in err, err
    assert "(the file's values as changed by: customers.cuont=5, periods=4)" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow  # a child process that imports the whole engine: ~3 s
def test_output_into_a_reader_that_stops_ends_quietly():
    """crmsim show … | head: the reader closes the pipe first; no traceback, exit 141."""
    command = [sys.executable, "-m", "sim", "show", "flagship"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        child.stdout.close()  # a reader that has read all it wanted
        stderr = child.stderr.read().decode()
        assert child.wait(timeout=120) == 141 and stderr == "", stderr


@pytest.mark.slow  # a child process that imports the whole engine: ~3 s
def test_bad_file_through_the_real_command_has_no_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_FILES["unknown_key.toml"][0])
    result = run_cli("run", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "firms[0].priec: unknown key" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "missing.toml"], "no such scenario file"),
        (["run", "nosuchscenario"], "unknown scenario 'nosuchscenario'"),
        (["run", "flagship", "--set", "periods"], "expected key.path=value"),
        (
            ["run", "flagship", "--set", "firms[9].price=3"],
            "firms[9] does not exist (firms has 3: firms[0] to firms[2])",
        ),
        (["run", "flagship", "--set", "choice.noise=-1"], "choice.noise"),
        (  # (it said "Input should be a valid dictionary or instance of StrategySpec")
            ["run", "flagship", "--set", "firms[0].strategy=static"],
            "firms[0].strategy: must be a table, e.g. {name = …} (keys: name) (got 'static')",
        ),
        (["run", "flagship", "--seeds", "0"], "use a whole number ≥ 1"),
        (["run", "flagship", "--seeds", "many"], "not a whole number"),
        (["run", "flagship", "--periods", "1000000000"], "≤ 10,000 (periods per run"),
        (["sweep", "flagship", "--grid", "periods=2", "--periods", "0"], "use a whole number ≥ 1"),
        # a process each: 100000 of them filled this machine's memory before this check
        (["run", "flagship", "--workers", "100000"], "argument --workers: 100000 is not allowed"),
        (["compare", "flagship", "--rotate", "--dask-workers", "5000"], "4 × this machine's"),
    ],
)
def test_bad_command_lines_get_a_clear_message(tmp_path, capsys, args, expected):
    try:
        code = main([*args, "--out", str(tmp_path / "o")])
    except SystemExit as exc:  # argparse rejects bad flags itself, with usage and exit code 2
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
@pytest.mark.parametrize("under", ["", "/sub"])
def test_an_output_folder_that_is_a_file_is_refused_before_any_run(
    tmp_path, capsys, command, under
):
    """(It ran, then ended in "[Errno 17] File exists" with exit code 1.)"""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    extra = {"compare": ["--rotate"], "sweep": ["--grid", "periods=2"]}.get(command, [])
    with pytest.raises(SystemExit) as stop:
        main([command, "flagship", *extra, "--out", f"{taken}{under}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --out: '{taken}{under}' cannot be the output folder" in err, err
    assert taken.read_text() == "mine"


@pytest.mark.slow  # a child process killed mid-run, then resumed here: ~9 s
def test_killed_run_resumes_without_losing_finished_runs(tmp_path):
    out = tmp_path / "res"
    args = ["run", "flagship", "--seeds", "6", "--workers", "1", "--out", str(out), "--quiet"]
    args += ["--set", "customers.count=3000"]
    proc = subprocess.Popen([sys.executable, "-m", "sim", *args], start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((out / "runs").glob("*.parquet")) if (out / "runs").exists() else True:
        assert time.monotonic() < deadline, "no run finished in time"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = {p.name for p in (out / "runs").glob("*.parquet")}
    assert 1 <= len(finished) < 6
    assert main(args) == 0  # the same command again, here: no second start of the engine
    assert finished <= {p.name for p in (out / "runs").glob("*.parquet")}
    summary = pd.read_csv(out / "summary.csv")
    assert sorted(summary["seed"].unique()) == list(range(6))


def test_study_tables_print_numbers_as_people_read_them():
    from sim.apps.cli.studies import readable

    numbers = (594.618234, -13448.1, 0.12345, 1.0)
    assert [readable(x) for x in numbers] == ["595", "-13,448", "0.123", "1"]
