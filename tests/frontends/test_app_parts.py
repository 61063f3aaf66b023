"""The browser app's parts that need no page: levers from the schemas, set-ups and uploads,
the live history against the model's metrics, downloads that ``crmsim run`` reproduces bit for
bit, replicates through the experiment runner, the dashboard's pictures and ``crmsim app``."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.apps.cli import main
from sim.apps.web.compare import replicate
from sim.apps.web.config import Setup, Upload, build, read_upload
from sim.apps.web.dashboard import Dashboard
from sim.apps.web.downloads import file_name, metrics_parquet, reproduce, scenario_file
from sim.apps.web.levers import APP_MAX_CUSTOMERS, market_levers, strategy_levers
from sim.apps.web.live import SERIES
from sim.apps.web.server import address
from sim.apps.web.session import Session
from sim.errors import InputError
from sim.experiments import simulate
from sim.scenarios import load

SMALL = {"customers.count": 400, "periods": 8}
BROKEN = 'periods = "twelve"\n\n[[firms]]\nname = "A"\nstrategy = { name = "nobody" }\n'


def small(**changes: object) -> Setup:
    return Setup(settings={**SMALL, **changes})


def test_levers_carry_the_schemas_ranges_units_and_help():
    spec = load("flagship").spec
    levers = {lever.key: lever for lever in strategy_levers(1, spec.firms[1].strategy)}
    crm = levers["firms[1].strategy.crm"]
    assert (crm.value, crm.low, crm.high, crm.help) == (
        1.5,
        0.0,
        None,
        "$ per capita per period on CRM",
    )
    assert levers["firms[1].strategy.loyalty_discount"].slider
    count = {lever.key: lever for lever in market_levers(spec)}["customers.count"]
    assert count.whole and count.high == APP_MAX_CUSTOMERS
    assert count.problem(500_000) == (
        f"customers.count: 500000 is not allowed; use a whole number ≥ 10 and ≤ {APP_MAX_CUSTOMERS}"
    )
    assert count.problem(12.5).startswith("customers.count: 12.5 is not allowed")
    assert crm.problem(None) == "firms[1].strategy.crm: no number; use a number ≥ 0"
    assert crm.problem(float("nan")) is not None and crm.problem(2.0) is None


def test_an_upload_is_refused_with_crmsim_validates_own_message(tmp_path, monkeypatch, capsys):
    with pytest.raises(InputError) as refused:
        build(Setup(upload=Upload("broken.toml", BROKEN)))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.toml").write_text(BROKEN, encoding="utf-8")
    assert main(["validate", "broken.toml"]) == 2
    assert str(refused.value) == capsys.readouterr().err.strip()
    with pytest.raises(InputError, match=r"x.toml: not a text file in UTF-8 \(byte 0xff"):
        read_upload("x.toml", b"\xff\xfe")
    with pytest.raises(InputError, match="too large for a scenario file"):
        read_upload("big.toml", b"#" * 2_000_000)


def test_a_market_too_large_for_the_app_is_refused_with_a_message():
    huge = '[customers]\ncount = 5000000\n\n[[firms]]\nname = "A"\nstrategy = { name = "static" }\n'
    with pytest.raises(InputError, match=r"huge.toml: customers.count = 5,000,000 is more than"):
        build(Setup(upload=Upload("huge.toml", huge)))


def test_a_new_strategy_starts_from_its_own_defaults():
    setup = Setup().with_value("firms[1].strategy.crm", 3.0).with_strategy(1, "static")
    assert setup.settings == {"firms[1].strategy": {"name": "static"}}
    assert build(setup).spec.firms[1].strategy.params == {}


def test_the_plotted_numbers_are_the_models_and_sessions_are_separate():
    first, second = Session(small()), Session(small())
    for _ in range(5):
        first.step()
    assert (first.live.period, second.live.period) == (5, 0)
    metrics = first.live.market.firm_metrics()
    for key in SERIES:
        wide = metrics.pivot(index="period", columns="firm", values=key)[first.live.firms]
        np.testing.assert_array_equal(first.live.history.array(key, 3), wide.to_numpy())


def test_downloads_reproduce_bit_for_bit_with_crmsim_run(tmp_path, monkeypatch):
    session = Session(small(**{"firms[0].strategy": {"name": "sales_push"}}).with_seed(11))
    for _ in range(4):
        session.step()
    monkeypatch.chdir(tmp_path)
    Path(file_name(session.live, "scenario.toml")).write_text(scenario_file(session.live))
    assert main([*reproduce(session.live)[1:], "--out", "again", "--workers", "1", "--quiet"]) == 0
    again = pd.read_parquet("again/runs/seed=11.parquet").drop(
        columns=["scenario_hash", "experiment"]
    )
    mine = pd.read_parquet(io.BytesIO(metrics_parquet(session.live)))
    pd.testing.assert_frame_equal(mine, again, check_exact=True)
    command = re.search(r"#\s+(crmsim run .*)", scenario_file(session.live))[1]
    assert command == " ".join(reproduce(session.live))


@pytest.mark.slow
def test_replicates_go_through_the_experiment_runner():
    scenario = build(Setup(settings={"customers.count": 150, "periods": 3}))
    metrics = replicate(scenario, seeds=3, first_seed=5)
    assert sorted(metrics["seed"].unique()) == [5, 6, 7]
    one = metrics[metrics["seed"] == 6].drop(columns=["scenario_hash", "experiment"])
    expected = simulate(scenario.spec, 6)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), expected, check_exact=True)


def test_the_dashboard_redraws_its_background_only_when_an_axis_grows():
    session = Session(small())
    dashboard: Dashboard = session.dashboard
    redraws = 0
    for _ in range(8):
        session.live.step()
        redraws += dashboard.update()
        picture = dashboard.frame()
    assert picture.startswith(b"\x89PNG") and redraws < 8


def test_crmsim_app_refuses_a_bad_scenario_before_serving(capsys):
    assert main(["app", "no_such_scenario"]) == 2
    assert "unknown scenario 'no_such_scenario'" in capsys.readouterr().err
    assert address("0.0.0.0", 8765) == "http://localhost:8765/"
