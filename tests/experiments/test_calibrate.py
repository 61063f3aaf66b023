"""`crmsim calibrate`: reading transaction files, BG/NBD and Gamma-Gamma fits (CDNOW reproduces
Fader, Hardie & Lee 2005), the calibrated simulation's holdout, and recovery of known BG/NBD
parameters from the model's own transaction log. Numbers: docs/calibration.md."""

from __future__ import annotations

import hashlib
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.apps.cli import main
from sim.calibration.csv_layout import CsvLayout
from sim.calibration.fits import (
    WEEK_DAYS,
    CalibrationError,
    Estimate,
    Fit,
    _hessian,
    _quiet_dependencies,
    fit_bgnbd,
    rfm_weeks,
)
from sim.calibration.holdout import simulated_transactions
from sim.calibration.mapping import base_price, segment_from_fits
from sim.calibration.transactions import purchase_days, read_transactions
from sim.scenarios import load
from sim.schema import MONTH_DAYS

from conftest import DATA

CDNOW = DATA / "CDNOW_sample.txt"
CDNOW_SHA256 = "6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a"

# Fader, Hardie & Lee (2005), Marketing Science 24(2), Table/Section 4 (BG/NBD on CDNOW, 39
# weeks) and Fader, Hardie & Lee (2005), JMR 42(4) / Fader & Hardie (2013) note 025
# (Gamma-Gamma on the 946 repeat buyers' calibration-period mean spend).
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}
PUBLISHED_TOLERANCE = 0.01  # relative; the published values are rounded to 3-4 digits
# Standard errors of the same BG/NBD fit as printed in the lifetimes documentation (numerical
# Hessian, an independent implementation): r 0.012557, alpha 0.378221, a 0.185719, b 0.705345.
REFERENCE_SE = {"r": 0.012557, "alpha": 0.378221, "a": 0.185719, "b": 0.705345}
HOLDOUT_TOLERANCE = 0.10  # simulated vs actual cumulative repeat purchases, every holdout week


def cdnow_csv(folder: Path) -> Path:
    """The CDNOW sample (whitespace-separated, no header) as a CSV with named columns."""
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["customer_id", "customer_index", "date", "quantity", "amount"],
        dtype=str,
    )
    path = folder / "cdnow.csv"
    raw.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def cdnow_run(tmp_path_factory) -> Path:
    """`crmsim calibrate` on CDNOW as a user runs it (its own process, outside pytest's warning
    filters): 39-week calibration, 39-week holdout, one-week periods. The output folder; its
    stderr is kept beside it in stderr.txt."""
    folder = tmp_path_factory.mktemp("cdnow")
    csv = cdnow_csv(folder)
    args = [sys.executable, "-m", "sim", "calibrate", str(csv), "--date-format", "%Y%m%d"]
    dates = ["--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30"]
    out = ["--period-days", "7", "--out", str(folder / "out")]
    done = subprocess.run([*args, *dates, *out], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (folder / "stderr.txt").write_text(done.stderr)
    return folder / "out"


@pytest.fixture(scope="module")
def cdnow_fit(cdnow_run) -> dict:
    return json.loads((cdnow_run / "fit.json").read_text())


@pytest.mark.slow  # fits BG/NBD and Gamma-Gamma to CDNOW
@pytest.mark.xdist_group("cdnow")  # once per run, on one worker
def test_progress_on_stderr_and_nothing_else(cdnow_run):
    """stderr holds only the progress lines (no library warnings), stage by stage."""
    lines = (cdnow_run.parent / "stderr.txt").read_text().splitlines()
    assert all(re.fullmatch(r"\[ *\d+\.\d s\] \S.*", line) for line in lines), lines
    stages = [line.split("] ", 1)[1] for line in lines]
    assert stages[0].startswith(f"reading {cdnow_run.parent / 'cdnow.csv'} (0.")
    assert stages[1:] == [
        "summarising 6,919 purchases per customer",
        "fitting BG/NBD to 2,357 customers",
        "fitting Gamma-Gamma to the repeat buyers' spend",
        "simulating the holdout period",
        "writing the scenario fragment and the report",
        "done",
    ]


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_silences_the_progress_lines(tmp_path, capsys, quiet):
    path = tmp_path / "empty.csv"
    path.write_text("customer_id,date,amount\n")
    assert main(["calibrate", str(path), *(["--quiet"] if quiet else [])]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmsim calibrate: ") == quiet
    assert (f"] reading {path} (0.0 MB)" in err) != quiet


def test_cdnow_file_is_the_published_sample():
    raw = pd.read_csv(CDNOW, sep=r"\s+", header=None, dtype=str)
    assert hashlib.sha256(CDNOW.read_bytes()).hexdigest() == CDNOW_SHA256
    assert len(raw) == 6919
    assert raw[0].nunique() == 2357
    assert raw[2].min() == "19970101" and raw[2].max() == "19980630"


@pytest.mark.slow  # fits BG/NBD and Gamma-Gamma to CDNOW
@pytest.mark.xdist_group("cdnow")  # once per run, on one worker
def test_bgnbd_and_gamma_gamma_reproduce_fader_hardie_lee(cdnow_fit):
    estimates = cdnow_fit["bgnbd"] | cdnow_fit["gamma_gamma"]
    for name, published in PUBLISHED.items():
        assert estimates[name]["value"] == pytest.approx(published, rel=PUBLISHED_TOLERANCE), name
    assert cdnow_fit["customers"] == 2357


@pytest.mark.slow  # fits BG/NBD and Gamma-Gamma to CDNOW
@pytest.mark.xdist_group("cdnow")  # once per run, on one worker
def test_standard_errors_match_an_independent_implementation(cdnow_fit):
    for name, se in REFERENCE_SE.items():
        assert cdnow_fit["bgnbd"][name]["se"] == pytest.approx(se, rel=0.02), name


@pytest.mark.slow  # fits BG/NBD and Gamma-Gamma to CDNOW
@pytest.mark.xdist_group("cdnow")  # once per run, on one worker
def test_fragment_maps_the_fits_onto_the_model(cdnow_run, cdnow_fit):
    r, alpha, a, b = (cdnow_fit["bgnbd"][k]["value"] for k in ("r", "alpha", "a", "b"))
    p, q, v = (cdnow_fit["gamma_gamma"][k]["value"] for k in ("p", "q", "v"))
    loaded = load(cdnow_run / "scenario.toml")
    seg = loaded.spec.customers.segments[0]
    price = loaded.spec.firms[0].price
    assert len(loaded.spec.customers.segments) == 1
    assert seg.purchase_rate == pytest.approx(r / alpha, rel=1e-5)  # one period = one week
    assert seg.purchase_rate_shape == pytest.approx(r, rel=1e-5)
    assert (seg.dropout.a, seg.dropout.b) == pytest.approx((a, b), rel=1e-5)
    assert seg.basket_mean * price == pytest.approx(p * v / (q - 1), rel=1e-5)
    assert seg.basket_shape == pytest.approx(q - 2, rel=1e-5)
    assert loaded.spec.periods == 78  # 1997-01-01 … 1998-06-30 in weeks
    assert loaded.spec.info.what_is_it  # inherited Info tab
    report = (cdnow_run / "report.md").read_text()
    assert "| r | 0.2426 |" in report and "| q | 3.744 |" in report
    assert (cdnow_run / "tracking.png").stat().st_size > 10_000


@pytest.mark.slow  # fits BG/NBD and Gamma-Gamma to CDNOW
@pytest.mark.xdist_group("cdnow")  # once per run, on one worker
def test_calibrated_simulation_tracks_the_cdnow_holdout(cdnow_run, cdnow_fit):
    """Criterion: the simulated cumulative repeat purchases are within 10% of the actual ones
    at every week of the holdout (weeks 40-78), and within 4% of the BG/NBD expectation from
    week 13 on (a check of the mapping: 22 copies of each of the 2357 customers; over seeds 0-4
    the simulation differed from the expectation by at most 2.5%)."""
    frame = pd.read_csv(cdnow_run / "tracking.csv", index_col="week")
    assert len(frame) == 78 and frame["actual"].iloc[-1] == 4339  # FHL: 4,339 by week 78
    assert frame.at[39, "actual"] == 2457
    holdout = frame.loc[40:]
    assert (holdout["simulated"] / holdout["actual"] - 1).abs().max() < HOLDOUT_TOLERANCE
    assert abs(cdnow_fit["holdout_errors"]["simulated"]["end"]) < HOLDOUT_TOLERANCE
    assert abs(cdnow_fit["simulation_bias"]) < 0.03  # sampling noise (doc: seeds 0-4 −1.2…+2.2%)
    later = frame.loc[13:]
    assert (later["simulated"] / later["bgnbd"] - 1).abs().max() < 0.04


def fake_fit(**values: float) -> Fit:
    return Fit({k: Estimate(v, 0.1 * v) for k, v in values.items()}, 100, 0.0, None)


def test_mapping_converts_weekly_rates_and_spend():
    bgnbd = fake_fit(r=0.5, alpha=5.0, a=1.0, b=3.0)
    seg = segment_from_fits(bgnbd, fake_fit(p=4.0, q=5.0, v=20.0), MONTH_DAYS)
    assert seg["purchase_rate"] == pytest.approx(0.1 * MONTH_DAYS / 7)  # 0.1 a week
    assert seg["basket_mean"] * base_price() == pytest.approx(4.0 * 20.0 / 4.0)
    assert seg["basket_shape"] == pytest.approx(3.0)
    # q ≤ 2: mean spend has no finite variance; the most unequal basket_shape allowed here
    assert segment_from_fits(bgnbd, fake_fit(p=4.0, q=1.5, v=20.0), 7.0)["basket_shape"] == 0.5
    with pytest.raises(CalibrationError, match="no finite mean"):
        segment_from_fits(bgnbd, fake_fit(p=4.0, q=0.9, v=20.0), 7.0)


def test_fractional_weeks():
    days = [0, 10, 24, 3]
    tx = pd.DataFrame(
        {
            "customer": ["x", "x", "x", "y"],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
            "amount": [5.0, 10.0, 20.0, 7.0],
        }
    )
    rfm = rfm_weeks(tx, pd.Timestamp("2024-01-31")).set_index("customer_id")
    assert rfm.loc["x", "frequency"] == 2
    assert rfm.loc["x", "recency"] == pytest.approx(24 / 7)
    assert rfm.loc["x", "T"] == pytest.approx(30 / 7)
    assert rfm.loc["x", "monetary_value"] == pytest.approx(15.0)  # repeat purchases only
    assert rfm.loc["y", "T"] == pytest.approx(27 / 7)


def test_purchases_fall_uniformly_inside_their_period():
    periods = np.repeat(np.arange(1, 11), 1000)
    days = purchase_days(pd.DataFrame({"period": periods}), 30.0, np.random.default_rng(3))
    offset = days - (periods - 1) * 30.0
    assert offset.min() >= 0 and offset.max() < 30.0
    assert stats.kstest(offset / 30.0, "uniform").pvalue > 0.01


@pytest.mark.parametrize(
    ("dates", "date_format"),
    [
        (["2024-01-31", "2024-02-29 13:45"], None),
        (["20240131", "20240229"], None),
        (["01/31/2024", "02/29/2024"], None),
        (["31 Jan 2024", "29 Feb 2024"], None),
        (["31/01/2024", "29/02/2024"], "%d/%m/%Y"),
    ],
)
def test_named_columns_and_common_date_formats(tmp_path, dates, date_format):
    path = tmp_path / "orders.csv"
    rows = [f"{c},{d},{a},x" for c, d, a in zip(("k1", "k2"), dates, ("9.5", "12"), strict=True)]
    path.write_text("client,day,total,note\n" + "\n".join(rows) + "\n")
    tx = read_transactions(path, CsvLayout("client", "day", "total", date_format))
    assert list(tx.columns) == ["customer", "date", "amount"]
    assert tx["customer"].tolist() == ["k1", "k2"]
    assert tx["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-31", "2024-02-29"]
    assert tx["amount"].tolist() == [9.5, 12.0]


# --- bad input: one clear message naming the problem and the line, exit code 2 ----------------

GOOD_ROWS = "customer_id,date,amount\na,2024-01-01,10\nb,2024-01-02,12\na,2024-02-01,8\n"


@pytest.mark.parametrize(
    ("content", "extra", "expected"),
    [
        (None, [], ["no such file"]),
        ("", [], ["the file is empty"]),
        ("customer_id,date,amount\n", [], ["no purchases"]),
        ("client,date,amount\na,2024-01-01,10\n", [], ["missing column", "'customer_id'"]),
        (GOOD_ROWS, ["--amount-column", "total"], ["missing column", "'total'", "--amount"]),
        (GOOD_ROWS + "b,2024-13-45,3\n", [], ["line 5", "'2024-13-45'", "--date-format"]),
        (GOOD_ROWS + "b,01/02/2024,3\n", ["--date-format", "%Y-%m-%d"], ["line 5", "01/02/2024"]),
        (GOOD_ROWS + "b,2024-03-01,-4.5\n", [], ["line 5", "-4.5", "negative"]),
        (GOOD_ROWS + "b,2024-03-01,ten\n", [], ["line 5", "'ten'", "not a number"]),
        (GOOD_ROWS + ",2024-03-01,3\n", [], ["line 5", "customer id is empty"]),
        (GOOD_ROWS + "b,2024-03-01,3,x\n", [], ["more fields than the header"]),
        ("customer_id,date,amount\na,2024-01-01,1\na,2024-01-05,2\n", [], ["one customer"]),
        (GOOD_ROWS, ["--calibration-end", "2023-01-01"], ["calibration period", "2023-01-01"]),
        (GOOD_ROWS, ["--calibration-end", "2024-03-01", "--holdout-end", "2024-02-01"], ["before"]),
        (
            "customer_id,date,amount\na,2024-01-01,1\nb,2024-01-05,2\nc,2024-03-05,2\n",
            [],
            ["no customer made a repeat purchase"],
        ),
    ],
)
def test_bad_input_is_named_without_traceback(tmp_path, capsys, content, extra, expected):
    path = tmp_path / "tx.csv"
    if content is not None:
        path.write_text(content)
    code = main(["calibrate", str(path), "--out", str(tmp_path / "out"), "--quiet", *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("crmsim calibrate: ") and "Traceback" not in err
    for text in expected:
        assert text in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("days", "expected"),
    [("0", "use a number > 0"), ("1e300", "use a number of days > 0 and ≤ 366")],  # (1e300:
)  # a minute of fitting, then rates out of the model's ranges)
def test_bad_period_days_is_refused(tmp_path, capsys, days, expected):
    with pytest.raises(SystemExit) as exit_info:
        main(["calibrate", str(tmp_path / "x.csv"), "--period-days", days])
    assert exit_info.value.code == 2
    assert f"argument --period-days: '{days}' is not allowed; {expected}" in capsys.readouterr().err


def test_missing_extra_is_explained(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pymc_marketing", None)
    tx = pd.DataFrame({"customer": ["a"], "date": [pd.Timestamp("2024-01-01")], "amount": [1.0]})
    with pytest.raises(CalibrationError, match=r"pip install 'crmsim\[calibrate\]'"):
        rfm_weeks(tx, pd.Timestamp("2024-02-01"))


def normal_model(flat_too: bool):
    """Normal likelihood, mean m and sd s (log scale), for the Hessian; optionally a parameter
    the likelihood does not depend on (a flat direction). The model and the MLE point."""
    import pymc as pm  # imported quietly by the caller

    y = np.array([1.2, 0.4, 2.9, 1.7, 0.8, 2.2])
    with pm.Model() as model:
        pm.Normal("y", pm.Flat("m"), pm.HalfFlat("s"), observed=y)
        if flat_too:
            pm.HalfFlat("unused")
    point = {"m": y.mean(), "s_log__": np.log(y.std())} | ({"unused_log__": 0} if flat_too else {})
    return model, {k: np.asarray(v, dtype=float) for k, v in point.items()}


@pytest.mark.parametrize(
    "flat_too",
    [False, pytest.param(True, marks=pytest.mark.slow)],  # up to ~20 s: exact Hessian
)
def test_hessian_by_differences_unless_the_likelihood_is_flat(monkeypatch, flat_too):
    """Standard errors: differences of the gradient give the Hessian (at the MLE of a normal
    sample: -n/s² for m, 0 across, -2n for log s); only a flat likelihood compiles the exact one."""
    with _quiet_dependencies():
        model, point = normal_model(flat_too)
        compiled = []
        exact_hessian = type(model).compile_d2logp
        monkeypatch.setattr(
            type(model),
            "compile_d2logp",
            lambda *a, **k: compiled.append(1) or exact_hessian(*a, **k),
        )
        hessian = _hessian(model, point)
    n, variance = 6, float(np.exp(2 * point["s_log__"]))
    expected = np.diag([-n / variance, -2 * n, 0.0][: len(point)])
    assert hessian == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert len(compiled) == flat_too


# --- repeat-buying recovery: the model's own log gives back the BG/NBD parameters --------------

GENERATING = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # weekly, as CDNOW
RECOVERY_CUSTOMERS = 30_000
RECOVERY_WEEKS = 104
RECOVERY_PERIOD_DAYS = 7.0  # exact at any period length since dropout falls inside the period
# Relative tolerance per parameter: 3 standard errors of the fit at this size (1.1%, 2.0%, 3.3%,
# 4.6%), rounded up; seeds 0-2 give at most 2.1%, 1.3%, 6.6%, 11.6% (seed 0: 2.1%, 0.1%, 6.3%,
# 9.9%; one-day periods, seed 0: 1.7%, 0.5%, 0.3%, 4.3%; docs/calibration.md, "Recovery").
RECOVERY_TOLERANCE = {"r": 0.04, "alpha": 0.06, "a": 0.10, "b": 0.15}


@pytest.fixture(scope="module")
def recovered():
    """BG/NBD fitted to a seeded run of the repeat_buying scenario with CDNOW's parameters."""
    periods = math.ceil(RECOVERY_WEEKS * WEEK_DAYS / RECOVERY_PERIOD_DAYS)
    rate = GENERATING["r"] / GENERATING["alpha"] * RECOVERY_PERIOD_DAYS / WEEK_DAYS
    scenario = load(
        "repeat_buying",
        settings={
            "customers.count": RECOVERY_CUSTOMERS,
            "periods": periods,
            "customers.segments[0].purchase_rate": rate,
            "customers.segments[0].purchase_rate_shape": GENERATING["r"],
            "customers.segments[0].dropout": {"a": GENERATING["a"], "b": GENERATING["b"]},
        },
    ).spec
    start = pd.Timestamp("2000-01-01")
    log = simulated_transactions(scenario, RECOVERY_PERIOD_DAYS, 0, start)
    end = start + pd.Timedelta(days=periods * RECOVERY_PERIOD_DAYS)
    return log, fit_bgnbd(rfm_weeks(log, end, resolution="h"))


@pytest.mark.slow  # fits BG/NBD to 30,000 simulated customers
def test_bgnbd_recovers_the_generating_parameters(recovered):
    log, fit = recovered
    assert log["customer"].nunique() == RECOVERY_CUSTOMERS
    for name, true in GENERATING.items():
        assert fit[name] == pytest.approx(true, rel=RECOVERY_TOLERANCE[name]), name
        low, high = fit.estimates[name].interval(z=3.0)
        assert low < true < high, name  # and within 3 standard errors


def test_simulated_log_is_deterministic():
    scenario = load("repeat_buying", settings={"customers.count": 200, "periods": 30}).spec
    start = pd.Timestamp("2000-01-01")
    first = simulated_transactions(scenario, MONTH_DAYS, 5, start)
    pd.testing.assert_frame_equal(first, simulated_transactions(scenario, MONTH_DAYS, 5, start))
    assert (first["date"] >= start).all()
    assert (first["date"] < start + pd.Timedelta(days=30 * MONTH_DAYS)).all()
