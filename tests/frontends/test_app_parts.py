"""The browser app's parts that need no page: levers from the schemas, set-ups and uploads,
the live history and the A/B pair against the model's metrics, downloads that ``crmsim run``
reproduces bit for bit, A and B replicated through the experiment runner, Chinese words for every
lever, the dashboard's pictures and ``crmsim app``."""

from __future__ import annotations

import io
import platform
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.apps.cli import main
from sim.apps.web.compare import difference, outcomes, replicate, seeds_used
from sim.apps.web.compare_view import describe
from sim.apps.web.config import Setup, Upload, build, read_upload
from sim.apps.web.dashboard import Dashboard
from sim.apps.web.downloads import (
    file_name,
    metrics_parquet,
    reproduce,
    scenario_file,
    transactions_csv,
)
from sim.apps.web.i18n import LABELS, colon, strategy_name
from sim.apps.web.levers import APP_MAX_CUSTOMERS, market_levers, strategy_levers
from sim.apps.web.live import SERIES, LiveMarket
from sim.apps.web.pair import AB_METRICS
from sim.apps.web.run_view import firm_table
from sim.apps.web.server import address
from sim.apps.web.session import Session
from sim.errors import InputError
from sim.experiments import simulate
from sim.experiments.folders import package_versions
from sim.scenarios import load
from sim.schema import StrategySpec
from sim.strategies import BUILTIN

SMALL = {"customers.count": 400, "periods": 8}
BROKEN = 'periods = "twelve"\n\n[[firms]]\nname = "A"\nstrategy = { name = "nobody" }\n'


def small(**changes: object) -> Setup:
    return Setup(settings={**SMALL, **changes})


def test_levers_carry_the_schemas_ranges_units_and_help():
    spec = load("flagship").spec
    levers = {lever.key: lever for lever in strategy_levers(1, spec.firms[1])}
    crm = levers["firms[1].strategy.crm"]
    assert (crm.value, crm.low, crm.high, crm.help) == (
        1.5,
        0.0,
        1e6,  # Decision.BOUNDS: a larger budget stops the run at its first period
        "$ per capita per period on CRM",
    )
    boost = levers["firms[1].strategy.service_boost"]  # added to the firm's own service level
    assert boost.high == 1e6 - spec.firms[1].value.service
    assert levers["firms[1].strategy.loyalty_discount"].slider
    count = {lever.key: lever for lever in market_levers(spec)}["customers.count"]
    assert count.whole and count.high == APP_MAX_CUSTOMERS
    assert count.problem(500_000) == (
        f"customers.count: 500000 is not allowed; use a whole number ≥ 10 and ≤ {APP_MAX_CUSTOMERS}"
    )
    assert count.problem(12.5).startswith("customers.count: 12.5 is not allowed")
    assert crm.problem(None) == "firms[1].strategy.crm: no number; use a number ≥ 0 and ≤ 1e+06"
    assert crm.problem(2e6) == (
        "firms[1].strategy.crm: 2000000.0 is not allowed; use a number ≥ 0 and ≤ 1e+06"
    )
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
    again = pd.read_parquet("again/runs/seed=11.parquet").drop(columns="experiment")
    mine = pd.read_parquet(io.BytesIO(metrics_parquet(session.live)))
    made = {"scenario": session.live.scenario.name} | {
        f"version_{name}": v for name, v in package_versions().items()
    }  # where the download came from, as summary.csv says it
    assert {"version_crmsim", "version_numpy", "version_numba"} <= set(made)
    for column, value in made.items():
        assert (mine.pop(column) == value).all(), column
    pd.testing.assert_frame_equal(mine, again, check_exact=True)
    sold = pd.read_csv(io.BytesIO(transactions_csv(session.live)))
    assert (sold["seed"] == 11).all() and (sold["scenario_hash"] == again["scenario_hash"][0]).all()
    assert f"# Made with python {platform.python_version()}, crmsim " in scenario_file(session.live)
    command = re.search(r"#\s+(crmsim run .*)", scenario_file(session.live))[1]
    assert command == " ".join(reproduce(session.live))


def test_a_and_b_step_together_and_plot_the_models_numbers():
    session = Session(small())
    b = session.setup.with_strategy(1, "sales_push").with_value("choice.noise", 5.0)
    pair = session.start_pair(b)
    for _ in range(4):
        pair.step(draw=False)
    assert pair.picture().startswith(b"\x89PNG") and (pair.a.period, pair.b.period) == (4, 4)
    expected = {
        name: simulate(build(setup).spec, 0, periods=4).set_index(["period", "firm"])
        for name, setup in (("a", session.setup), ("b", b))
    }
    shown = pair.latest()
    assert list(shown) == ["ProductCo", "CustomerCo", "MarketCo"]
    for firm, values in shown.items():
        for key in AB_METRICS:
            a, b_value = (expected[name].loc[(4, firm), key] for name in ("a", "b"))
            assert values[key] == (a, b_value, b_value - a)
    assert shown["CustomerCo"]["cumulative_profit"][2] != 0  # B's change shows
    pair.reset()
    assert (pair.a.period, pair.b.period, pair.latest()) == (0, 0, {})
    with pytest.raises(InputError, match="A and B run side by side over the same periods"):
        session.start_pair(session.setup.with_value("periods", 5))
    assert session.pair is pair and pair.setups[1] == b  # the pair is kept
    session.reset()
    assert session.pair is pair  # resetting the run view's market keeps the pair
    session.start(small(**{"choice.noise": 7.0}))
    assert session.pair is None  # a new A drops the old pair


@pytest.mark.slow
def test_a_and_b_replicate_through_the_experiment_runner():
    a = build(Setup(settings={"customers.count": 150, "periods": 3}))
    b = build(Setup(settings={"customers.count": 150, "periods": 3, "choice.noise": 3.0}))
    runs_a, runs_b = replicate([a, b], seeds=3, first_seed=5)
    for runs, scenario in ((runs_a, a), (runs_b, b)):
        assert sorted(runs["seed"].unique()) == [5, 6, 7]
        one = runs[runs["seed"] == 6].drop(columns=["scenario_hash", "experiment"])
        expected = simulate(scenario.spec, 6)
        pd.testing.assert_frame_equal(one.reset_index(drop=True), expected, check_exact=True)
    diff = difference(runs_a, runs_b)
    row = diff[(diff["seed"] == 7) & (diff["period"] == 3) & (diff["firm"] == "MarketCo")]

    def final(runs: pd.DataFrame, seed: int) -> float:
        mine = runs[(runs["seed"] == seed) & (runs["period"] == 3) & (runs["firm"] == "MarketCo")]
        return mine["cumulative_profit"].item()

    assert row["cumulative_profit"].item() == final(runs_b, 7) - final(runs_a, 7)
    table = outcomes(runs_a, runs_b, diff, "en")
    line = next(x for x in table.splitlines() if x.startswith("| MarketCo | Cumulative"))
    means = [float(m.replace(",", "")) for m in re.findall(r"([-\d,]+) \[", line)]
    want = [np.mean([final(r, s) for s in (5, 6, 7)]) for r in (runs_a, runs_b)]
    assert means == pytest.approx([*want, want[1] - want[0]], abs=0.5)


def test_every_lever_and_strategy_has_chinese_words():
    spec = load("flagship").spec
    levers = list(market_levers(spec))
    for name in BUILTIN:
        levers += strategy_levers(
            0, spec.firms[0].model_copy(update={"strategy": StrategySpec(name=name)})
        )
    assert len(levers) > 30
    for lever in levers:
        for words in (lever.title("zh"), lever.explanation("zh"), lever.allowed("zh")):
            assert chinese_only(words), (lever.key, words)
        title, help = lever.title("en"), lever.explanation("en")  # readable, with a caption
        assert help and title and "_" not in title and "." not in title, (lever.key, title, help)
    assert all(chinese_only(strategy_name(name, "zh")) for name in BUILTIN)
    assert strategy_name("my_policy:Mine", "zh") == "my_policy:Mine"  # one's own keeps its name
    noise = next(lever for lever in levers if lever.key == "choice.noise")
    assert noise.problem(-1.0, "zh") == "choice.noise：-1.0 不允许；请用数值 > 0 且 ≤ 10000"


def chinese_only(words: str) -> bool:
    """Chinese words, no Latin letters (numbers such as 1e+04 or 200,000 aside)."""
    rest = re.sub(r"\d[\d,.]*(e[+-]?\d+)?", "", words)
    return bool(re.search(r"[\u4e00-\u9fff]", rest)) and not re.search(r"[A-Za-z]", rest)


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


@pytest.mark.parametrize("value", [2_000_000.0, 1e308])
def test_a_strategy_lever_beyond_its_decision_range_is_refused_before_the_run(value):
    with pytest.raises(InputError) as refused:
        build(small(**{"firms[1].strategy.crm": value}))
    assert str(refused.value) == (
        f"flagship: firms[1].strategy.crm: {value!r} is not allowed; use a number ≥ 0 and ≤ 1e+06"
    )
    build(small(**{"firms[1].strategy.crm": 1e6}))  # the largest budget the decisions allow


def test_a_failed_period_is_not_counted_and_the_market_stops_there():
    scenario = load("flagship", settings={**SMALL, "firms[1].strategy.crm": 2e6})  # not via app
    live = LiveMarket(scenario, 0)
    for _ in range(3):  # every later step says the same and runs nothing
        with pytest.raises(InputError, match=r"period 1: invalid decision: crm=2000000.0"):
            live.step()
        assert live.period == 0 and live.history.periods == []


def test_in_chinese_b_and_the_firm_table_name_levers_and_strategies_in_chinese():
    a = small()
    b = a.with_strategy(0, "sales_push").with_value("homogenisation.rate", 0.0)
    b = b.with_value("firms[1].strategy.crm", 3.0)
    assert describe(a, b, "en") == (
        "ProductCo's strategy: sales_push; homogenisation rate = 0; CustomerCo CRM spend = 3"
    )
    words = describe(a, b, "zh")
    assert words == "ProductCo的策略：推销观念；同质化速度 = 0；CustomerCo 客户关系管理投入 = 3"
    session = Session(a, "zh")
    session.step()
    table = firm_table(session, "zh")
    assert all(strategy_name(name, "zh") in table for name in BUILTIN[1:4])
    assert not re.search(r"_centric|market_oriented", table)


def texts(fig) -> list:
    """Every piece of text a figure draws (tick labels only where a tick is in view)."""
    from matplotlib.text import Text

    ticks = set()
    for ax in fig.axes:
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            for tick in axis.get_major_ticks():
                if not min(low, high) - 1e-9 <= tick.get_loc() <= max(low, high) + 1e-9:
                    ticks.add(id(tick.label1))
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in ticks
    ]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_chart_text_is_large_enough_to_read_and_nothing_overlaps(language):
    """At least 11 px (shown at 1280 px wide the charts are larger still); no text crosses
    another or another panel (the lifecycle chart names its firms inside its own panel)."""
    session = Session(small(), language)
    for _ in range(3):
        session.step(draw=False)
    pair = session.start_pair(small(**{"choice.noise": 3}))
    pair.step(draw=False)
    for fig in (session.dashboard.fig, pair.chart.fig):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        shown = texts(fig)
        assert min(t.get_fontsize() for t in shown) * fig.dpi / 72 >= 11
        boxes = [(t, t.get_window_extent(renderer)) for t in shown]
        for i, (a, box) in enumerate(boxes):
            assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1), a
            for b, other in boxes[i + 1 :]:
                assert not box.overlaps(other), (a.get_text(), b.get_text())
            for ax in fig.axes:
                if a.axes is not ax and a.figure is fig and a.axes is not None:
                    assert not box.overlaps(ax.bbox), (a.get_text(), ax.get_title())
    lifecycle = session.dashboard.axes["lifecycle"]
    assert lifecycle.get_xlabel() == ("Customers" if language == "en" else "客户数")
    satisfaction = session.dashboard.axes["satisfaction"]
    assert "−1" in satisfaction.get_xlabel() and satisfaction.get_ylabel()


def test_replicates_say_their_seeds_and_chinese_uses_full_width_colons():
    metrics = pd.DataFrame({"seed": [3, 4, 5], "period": 1, "firm": "A"})
    assert seeds_used(metrics, "en") == "A and B replicated over 3 seeds (3 to 5)"
    assert seeds_used(metrics, "zh") == "A与B在3个随机种子（3至5）上重复运行"
    assert colon("zh") == "：" and colon("en") == ": "
    assert not re.search(r"[\u4e00-\u9fff]:", "".join(zh for _, zh in LABELS.values()))
