"""Strict inputs: every bad scenario file, flag, key path or value ends in one clear message
naming what was given and what is allowed, with exit code 2 and never a traceback (issue 16,
"Strict inputs, one message, exit 2"); valid inputs still work."""

from __future__ import annotations

import argparse
import math

import pandas as pd
import pytest

from sim.analysis import mean_interval
from sim.analysis.statistics import RANGES, bands
from sim.apps.cli import main
from sim.apps.cli.arguments import MAX_SEED
from sim.apps.cli.parser import build_parser, parse
from sim.reporting import format_interval, outcomes_frame
from sim.reporting.tables import OUTCOMES
from sim.scenarios import ScenarioError, load, parse_key, validate, warnings_for

BAD_INPUT = 2


def refused_by_argparse(capsys, argv: list[str]) -> str:
    """The error line of a command line that argparse refuses (it exits 2 with the usage)."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


def refused(capsys, argv: list[str]) -> str:
    """The message of a command that refuses its input with exit code 2."""
    assert main(argv) == BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


# 1. A scenario file that is not UTF-8 text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00\x01binary\x80", "not a text file in UTF-8 (byte 0xff at position 0)"),
        (b'periods = 12\ntitle = "caf\xe9"\n', "not a text file in UTF-8 (byte 0xe9 at"),
        (b"periods = 12\x00\x00\n", "not valid TOML"),  # UTF-8, but not TOML
    ],
)
def test_a_binary_or_non_utf8_scenario_file_is_refused(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    err = refused(capsys, ["validate", str(path)])
    assert f"{path}: " in err
    assert expected in err
    with pytest.raises(ScenarioError, match=r"scenario file is TOML text|not valid TOML"):
        load(path)


def test_a_utf8_scenario_file_with_accents_is_fine(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text('extends = "flagship"\n[info]\ntitle = "Café Crème – ünïcode"\n', "utf-8")
    assert main(["validate", str(path)]) == 0
    assert load(path).spec.info.title == "Café Crème – ünïcode"


# 2. Seeds: how many, and the first


@pytest.mark.parametrize(
    ("flag", "value", "expected"),
    [
        ("--seeds", "99999999999999999999", "use a whole number ≥ 1 and ≤ 1,000,000"),
        ("--seeds", "0", "use a whole number ≥ 1 and ≤ 1,000,000"),
        ("--seeds", "1000001", "use a whole number ≥ 1 and ≤ 1,000,000"),
        ("--seeds", "2.5", "'2.5' is not a whole number"),
        ("--first-seed", "-1", f"use a whole number from 0 to {MAX_SEED}"),
        ("--first-seed", "18446744073709551616", "must fit a 64-bit integer"),
        ("--first-seed", "x", "'x' is not a whole number"),
    ],
)
@pytest.mark.parametrize("command", ["run", "sweep", "compare"])
def test_seed_flags_out_of_range_are_refused(capsys, command, flag, value, expected):
    extra = {"run": [], "sweep": ["--grid", "periods=2,3"], "compare": ["--rotate"]}[command]
    line = refused_by_argparse(capsys, [command, "flagship", *extra, flag, value])
    assert line.startswith(f"crmsim {command}: error: argument {flag}: ")
    assert expected in line
    assert value.strip() in line


def test_seed_flags_in_range_are_accepted():
    parser = build_parser()
    args = parser.parse_args(["run", "flagship", "--seeds", "1000000", "--first-seed", "0"])
    assert (args.seeds, args.first_seed) == (1_000_000, 0)
    args = parse(["run", "flagship", "--seeds", "1000000", "--first-seed", str(MAX_SEED - 999_999)])
    assert args.first_seed + 1_000_000 - 1 == MAX_SEED  # the largest range still fits int64
    assert parse(["run", "flagship", "--seeds", "1", "--first-seed", str(MAX_SEED)]).seeds == 1
    assert parser.parse_args(["run", "flagship"]).seeds == 10


def test_a_first_seed_whose_last_seed_does_not_fit_is_refused(capsys):
    """(--first-seed 9223372036853775809 --seeds 1 was refused, its last seed fitting.)"""
    with pytest.raises(SystemExit):
        parse(["run", "flagship", "--seeds", "10", "--first-seed", str(MAX_SEED - 8)])
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line == (
        f"crmsim run: error: argument --first-seed: {MAX_SEED - 8} is not allowed with --seeds "
        f"10: the last seed, first seed + seeds − 1, must be at most {MAX_SEED}; use "
        f"--first-seed {MAX_SEED - 9} or less"
    )


def test_the_calibration_seed_is_checked_too(capsys):
    line = refused_by_argparse(capsys, ["calibrate", "x.csv", "--seed", "-3"])
    assert "argument --seed: -3 is not allowed" in line
    assert build_parser().parse_args(["calibrate", "x.csv", "--seed", "7"]).seed == 7


# 3. Types are exact in scenario files and --set


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "homogenisation.rate=true",
            "  homogenisation.rate: must be a number, written without quotes, e.g. 0.15 or 2; "
            "true/false is not a number (got true)",
        ),
        (
            "periods=true",
            "  periods: must be a whole number, written without quotes or decimal point, e.g. "
            "12; true/false is not a number (got true)",
        ),
        ('customers.count="2000"', "  customers.count: must be a whole number"),
        ("customers.count=2000.0", "(got 2000.0)"),
        ('homogenisation.rate="0.1"', "  homogenisation.rate: must be a number"),
        ("firms[0].name=5", "  firms[0].name: must be text, written in quotes (got 5)"),
        ("firms[1].strategy.crm=true", "  firms[1].strategy.crm: must be a number"),
        ('firms[1].strategy.crm="3"', "(got '3')"),
    ],
)
def test_set_with_a_value_of_the_wrong_type_is_refused(capsys, override, expected):
    with pytest.raises(ScenarioError) as error:
        load("flagship", [override])
    assert expected in str(error.value)
    err = refused(capsys, ["run", "flagship", "--set", override, "--seeds", "1"])
    assert expected in err


def test_a_scenario_file_with_a_value_of_the_wrong_type_is_refused(tmp_path, capsys):
    path = tmp_path / "typed.toml"
    path.write_text('extends = "flagship"\nperiods = "12"\n[customers]\ncount = true\n')
    err = refused(capsys, ["validate", str(path)])
    assert "  periods: must be a whole number" in err
    assert "(got '12')" in err
    assert "  customers.count: must be a whole number" in err
    assert "true/false is not a number (got true)" in err


def test_values_of_the_right_type_still_validate():
    """An integer is a valid number (TOML writes ``rate = 0``); tables are sections."""
    spec = load(
        "flagship",
        [
            "homogenisation.rate=0",
            "periods=12",
            "customers.count=2000",
            "firms[0].price=120",
            "firms[1].strategy.crm=3",
            'customers.network={kind = "small_world", degree = 4, rewiring = 0.2}',
        ],
    ).spec
    assert spec.homogenisation.rate == 0.0
    assert isinstance(spec.homogenisation.rate, float)
    assert (spec.periods, spec.customers.count, spec.customers.network.degree) == (12, 2000, 4)
    document = {"firms": [{"name": "A", "strategy": {"name": "static"}, "price": 80}]}
    assert validate(document, "doc").firms[0].price == 80.0


# 4. Malformed key paths


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("firms[0.price", "'firms[0' has unmatched brackets"),
        ("customers..count", "a name is missing before or after a dot"),
        ("a.b]", "'b]' has unmatched brackets"),
        ("[0]", "'[0]' has a list position but no name before it"),
        ("customers.", "a name is missing before or after a dot"),
        (".periods", "a name is missing before or after a dot"),
        ("firms[x].price", "a list position is a whole number ≥ 0 in brackets"),
        ("firms[-1].price", "a list position is a whole number ≥ 0 in brackets"),
        ("cust omers", "is not a name"),
    ],
)
def test_malformed_key_paths_are_refused(capsys, key, problem):
    with pytest.raises(ScenarioError) as error:
        parse_key(key)
    message = str(error.value)
    assert message.startswith(f"{key!r} is not a key path: ")
    assert problem in message
    assert "e.g. firms[0].price" in message
    err = refused(capsys, ["run", "flagship", "--set", f"{key}=5", "--seeds", "1"])
    assert f"{key!r} is not a key path" in err


def test_malformed_grid_keys_are_refused(capsys):
    err = refused(capsys, ["sweep", "flagship", "--grid", "customers..count=100,200"])
    assert "'customers..count' is not a key path" in err


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("periods", ["periods"]),
        (" firms[1].strategy.crm ", ["firms", 1, "strategy", "crm"]),
        ("a.b[2][3].c", ["a", "b", 2, 3, "c"]),
        ("economics.acquisition_cost", ["economics", "acquisition_cost"]),
    ],
)
def test_well_formed_key_paths_parse(key, path):
    assert parse_key(key) == path


# 5. Events after the last period


def test_events_after_the_last_period_are_warned_about(tmp_path):
    path = tmp_path / "late.toml"
    path.write_text(
        'extends = "flagship"\nperiods = 12\n'
        '[[events]]\nkind = "scandal"\nperiod = 500\nfirm = "ProductCo"\n'
        '[[events]]\nkind = "new_entrant"\nperiod = 13\nfirm = "MarketCo"\n'
        '[[events]]\nkind = "recession"\nperiod = 12\nduration = 10\n'
    )
    spec = load(path).spec
    scandal, entrant = warnings_for(spec)
    assert scandal == (
        "warning: events[0] (scandal) is set for period 500, but the run has 12 periods: "
        "it never happens"
    )
    assert entrant.startswith("warning: events[1] (new_entrant) is set for period 13, but the")
    assert "firm 'MarketCo' never enters the market and is left out" in entrant
    assert all("\n" not in line for line in (scandal, entrant))
    assert len(warnings_for(spec, periods=13)) == 1  # --periods 13: the entrant enters
    assert warnings_for(spec, periods=500) == []
    assert warnings_for(load("flagship").spec) == []


def test_a_firm_that_never_enters_is_left_out_of_the_results(tmp_path, capsys):
    path = tmp_path / "late_entrant.toml"
    path.write_text(
        'extends = "flagship"\nperiods = 4\n[customers]\ncount = 300\n'
        '[[events]]\nkind = "new_entrant"\nperiod = 5\nfirm = "MarketCo"\n'
    )
    out = tmp_path / "out"
    assert main(["run", str(path), "--seeds", "2", "--out", str(out), "--workers", "1"]) == 0
    assert "firm 'MarketCo' never enters the market" in capsys.readouterr().err
    summary = pd.read_csv(out / "summary.csv")
    assert sorted(summary["firm"].unique()) == ["CustomerCo", "ProductCo"]
    metrics = pd.read_parquet(out / "metrics.parquet")
    assert not metrics.loc[metrics["firm"] == "MarketCo", "in_market"].any()
    assert metrics.loc[metrics["firm"] != "MarketCo", "in_market"].all()
    results = (out / "report.md").read_text().split("About the scenario")[0]
    assert "CustomerCo" in results and "MarketCo" not in results
    # With one more period it enters, plays period 5 and is summarised.
    out5 = tmp_path / "out5"
    assert main(["run", str(path), "--seeds", "1", "--periods", "5", "--out", str(out5)]) == 0
    assert "MarketCo" in set(pd.read_csv(out5 / "summary.csv")["firm"])


# 6. A folder named like a scenario file


@pytest.mark.parametrize("command", ["validate", "show", "run"])
def test_a_folder_ending_in_toml_is_called_a_folder(tmp_path, monkeypatch, capsys, command):
    (tmp_path / "dir.toml").mkdir()
    monkeypatch.chdir(tmp_path)
    err = refused(capsys, [command, "dir.toml"])
    assert "dir.toml: a folder, not a scenario file (*.toml)" in err


# 7. crmsim calibrate: ambiguous dates, --period-days, --out


def write_csv(path, dates):
    rows = [f"c{i % 3},{d},{10 + i}" for i, d in enumerate(dates)]
    path.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n")
    return path


def test_ambiguous_dates_need_a_date_format(tmp_path, capsys):
    from sim.calibration.transactions import read_transactions

    csv = write_csv(tmp_path / "tx.csv", ["05/03/2024", "06/04/2024", "01/02/2024", "12/12/2024"])
    err = refused(capsys, ["calibrate", str(csv), "--out", str(tmp_path / "out")])
    assert f"{csv}: the dates are ambiguous: 3 of 4 can be read day first or month first" in err
    assert "line 2: '05/03/2024' is 2024-03-05 day first, 2024-05-03 month first" in err
    assert "--date-format %d/%m/%Y (day first) or --date-format %m/%d/%Y (month first)" in err
    assert not (tmp_path / "out").exists()
    from sim.calibration.csv_layout import CsvLayout

    day_first = read_transactions(csv, CsvLayout(date_format="%d/%m/%Y"))
    assert day_first["date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2024-03-05", "2024-04-06"]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["05/03/2024", "26/04/2024", "07/04/2024"], ["2024-03-05", "2024-04-26", "2024-04-07"]),
        (["05/03/2024", "04/26/2024", "07/04/2024"], ["2024-05-03", "2024-04-26", "2024-07-04"]),
        (["2024-03-05", "2024-04-26", "2024-04-07"], ["2024-03-05", "2024-04-26", "2024-04-07"]),
        (["20240305", "20240426", "20240407"], ["2024-03-05", "2024-04-26", "2024-04-07"]),
    ],
)
def test_dates_that_tell_their_order_are_read(tmp_path, dates, expected):
    """A day above 12 anywhere settles the order; ISO and YYYYMMDD are never ambiguous."""
    from sim.calibration.transactions import read_transactions

    tx = read_transactions(write_csv(tmp_path / "tx.csv", dates))
    assert tx["date"].dt.strftime("%Y-%m-%d").tolist() == expected


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "-7"])
def test_period_days_must_be_a_finite_positive_number(capsys, value):
    line = refused_by_argparse(capsys, ["calibrate", "x.csv", f"--period-days={value}"])
    assert f"argument --period-days: {value!r} is not allowed; use a number > 0" in line
    assert "finite: not inf or nan" in line


def test_period_days_accepts_a_number():
    args = build_parser().parse_args(["calibrate", "x.csv", "--period-days", "7"])
    assert args.period_days == 7.0
    assert math.isclose(build_parser().parse_args(["calibrate", "x.csv"]).period_days, 30.4375)


def test_an_out_that_is_a_file_is_refused_before_the_fit(tmp_path, capsys):
    existing = tmp_path / "taken"
    existing.write_text("not a folder")
    line = refused_by_argparse(capsys, ["calibrate", "x.csv", "--out", str(existing)])
    assert f"argument --out: '{existing}' cannot be the output folder: it is a file" in line
    line = refused_by_argparse(capsys, ["calibrate", "x.csv", "--out", f"{existing}/sub"])
    assert f"({existing} is a file)" in line
    args = build_parser().parse_args(["calibrate", "x.csv", "--out", str(tmp_path / "new")])
    assert args.out == tmp_path / "new"


def test_the_default_out_is_checked_too(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert str(build_parser().parse_args(["calibrate", "x.csv"]).out) == "calibrated"
    (tmp_path / "calibrated").write_text("")
    line = refused_by_argparse(capsys, ["calibrate", "x.csv"])
    assert "'calibrated' cannot be the output folder: it is a file" in line


# 8. One run has no interval


def test_one_run_says_it_has_no_interval():
    assert format_interval((1234.4, math.nan, math.nan)) == "1,234 (1 run: no interval)"
    assert format_interval((0.5, math.nan, math.nan)) == "0.500 (1 run: no interval)"
    assert format_interval((1234.4, 1000.0, 1500.0)) == "1,234 [1,000, 1,500]"
    assert format_interval(mean_interval([math.nan, math.nan])) == "n/a (no run has a value)"


def test_an_interval_is_cut_at_the_range_of_its_outcome():
    """Two seeds' retention of 0.90 and 0.96: the t-interval reaches 1.15, a rate cannot."""
    mean, low, high = mean_interval([0.90, 0.96])
    assert high > 1 and low > 0
    assert mean_interval([0.90, 0.96], within=RANGES["mean_retention_rate"]) == (mean, low, 1.0)
    summary = pd.DataFrame(
        {"firm": "A", "strategy": "static", "seed": [0, 1], "mean_retention_rate": [0.90, 0.96]}
        | {key: 0.0 for key in OUTCOMES if key != "mean_retention_rate"}
    )
    assert outcomes_frame(summary).loc["A", "mean retention rate"] == "0.930 [0.549, 1.000]"


def test_the_bands_of_figures_stay_within_the_range_of_their_metric():
    """(With 2 seeds a market share's band ran from −0.5 to 1.5.)"""
    metrics = pd.DataFrame(
        {"period": 1, "firm": "A", "seed": [0, 1], "market_share": [0.05, 0.95]}
        | {"mean_satisfaction": [-0.9, 0.9], "profit": [-10.0, 10.0]}
    )
    for metric, (low, high) in (("market_share", (0, 1)), ("mean_satisfaction", (-1, 1))):
        cut = bands(metrics, metric, within=RANGES[metric])
        assert cut[["low", "high"]].values.tolist() == [[low, high]]
        assert bands(metrics, metric)["low"].item() < low  # a difference of shares: no range
    assert "profit" not in RANGES  # money has none


def test_the_outcome_table_of_one_seed_has_no_nan():
    summary = pd.DataFrame(
        {"seed": [0, 0], "firm": ["A", "B"], "strategy": ["static", "static"]}
        | {outcome: [1500.0, 0.25] for outcome in OUTCOMES}
    )
    shown = outcomes_frame(summary).to_string()
    assert "nan" not in shown
    assert "1,500 (1 run: no interval)" in shown


def test_parser_types_raise_argument_type_errors():
    """The flag types raise ArgumentTypeError only, which argparse turns into exit code 2."""
    from sim.apps.cli import arguments

    for convert in (arguments.seed_count, arguments.first_seed, arguments.positive_float):
        with pytest.raises(argparse.ArgumentTypeError):
            convert("-1")
