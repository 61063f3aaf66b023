"""The studies' analyses against cases with known answers, through the same functions the
commands use: Sobol and Morris indices of an additive function, PRIM recovering a planted
failure box, break-even recovering a planted flip point, regret of a known table."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from sim.studies.breakeven import first_flip, flip_interval
from sim.studies.discover import find_box, latin_hypercube
from sim.studies.sensitivity import analyse, problem, sample
from sim.studies.spec import Sensitivity, Uncertainty
from sim.studies.stress import distribution_table, regret_table

UNIT = [Uncertainty(key=k, low=0.0, high=1.0) for k in ("a", "b", "c")]
WEIGHTS = np.array([1.0, 2.0, 3.0])  # y = a + 2b + 3c on the unit cube


def test_sobol_indices_of_an_additive_function():
    space, settings = problem(UNIT), Sensitivity(samples=1024, resamples=500)
    x = sample("sobol", space, settings, seed=1)
    assert x.shape == (1024 * (3 + 2), 3)
    table = analyse("sobol", space, x, x @ WEIGHTS, settings, seed=1).set_index("uncertainty")
    exact = WEIGHTS**2 / (WEIGHTS**2).sum()  # S1 = ST = w_i² / Σ w² for independent uniforms
    assert list(table.index) == ["c", "b", "a"]  # ranked by ST
    for key, value in zip("abc", exact, strict=True):
        assert table.loc[key, "S1"] == pytest.approx(value, abs=0.03)
        assert table.loc[key, "ST"] == pytest.approx(value, abs=0.03)
        assert 0 < table.loc[key, "ST_conf"] < 0.1  # a 95% interval of stated width


def test_morris_screening_of_an_additive_function():
    space, settings = problem(UNIT), Sensitivity(trajectories=20, resamples=200)
    x = sample("morris", space, settings, seed=2)
    table = analyse("morris", space, x, x @ WEIGHTS, settings, seed=2).set_index("uncertainty")
    assert table["mu_star"].to_numpy() == pytest.approx([3.0, 2.0, 1.0])  # exact: linear
    assert table["sigma"].to_numpy() == pytest.approx([0, 0, 0], abs=1e-9)


@pytest.mark.slow  # the EMA Workbench takes seconds to import
@pytest.mark.xdist_group("ema")  # imported once, with test_commands' discover test
def test_prim_recovers_a_planted_failure_box():
    ranges = [Uncertainty(key=k, low=0.0, high=10.0) for k in ("a", "b", "c")]
    x = latin_hypercube(ranges, 1000, seed=3)
    failed = ((x["a"] > 6) & (x["b"] < 3)).to_numpy()  # c plays no part
    box, stats = find_box(x, failed, ranges, threshold=0.8)
    box = box.set_index("uncertainty")
    assert box.loc["a", "box_low"] == pytest.approx(6, abs=0.3)
    assert box.loc["a", "box_high"] == 10 and box.loc["b", "box_low"] == 0
    assert box.loc["b", "box_high"] == pytest.approx(3, abs=0.3)
    assert not box.loc["c", "restricted"]
    assert stats["coverage"] >= 0.9 and stats["density"] >= 0.9
    assert stats["failures"] == failed.sum()


def test_first_flip_interpolates_and_reports_none():
    values = np.array([0.0, 1.0, 2.0, 3.0])
    assert first_flip(values, np.array([3.0, 1.0, -1.0, -3.0])) == pytest.approx(1.5)
    assert first_flip(values, np.array([2.0, 0.0, -1.0, -3.0])) == 1.0
    assert np.isnan(first_flip(values, np.array([3.0, 2.0, 1.0, 0.5])))


def test_breakeven_recovers_a_planted_flip_point():
    rng = np.random.default_rng(4)
    values, seeds = np.linspace(0, 1, 11), range(30)
    shared = {s: rng.normal(0, 0.05) for s in seeds}  # common random numbers across strategies
    rows = []
    for v in values:
        for s in seeds:
            noise = rng.normal(0, 0.02)
            rows.append({"value": v, "plays": "policy", "seed": s, "y": 0.37 - v + shared[s]})
            rows.append({"value": v, "plays": "rival", "seed": s, "y": shared[s] + noise})
    flip = flip_interval(pd.DataFrame(rows), "y", resamples=500, seed=0)
    assert flip["flip"] == pytest.approx(0.37, abs=0.02)
    assert flip["low"] <= 0.37 <= flip["high"] and flip["high"] - flip["low"] < 0.05
    assert flip["flips_in_share_of_resamples"] == 1.0
    assert (flip["preferred_at_lowest"], flip["preferred_at_highest"]) == ("policy", "rival")


def test_regret_is_zero_for_the_best_and_positive_for_the_rest():
    runs = pd.DataFrame(
        {
            "cell": ["c0"] * 4 + ["c1"] * 4,
            "plays": ["policy", "policy", "rival", "rival"] * 2,
            "seed": [0, 1] * 4,
            "profit": [10.0, 20.0, 5.0, 7.0, 1.0, 3.0, 8.0, 12.0],
        }
    )
    regret = regret_table(runs, "profit").set_index(["cell", "plays"])
    assert regret["regret"].to_dict() == {
        ("c0", "policy"): 0.0,
        ("c0", "rival"): 9.0,  # 15 − 6
        ("c1", "policy"): 8.0,  # 10 − 2
        ("c1", "rival"): 0.0,
    }
    assert regret.loc[("c1", "rival"), "worst"] == 8.0
    assert regret.loc[("c0", "policy"), "p5"] == pytest.approx(10.5)  # 10 + 0.05 × 10
    spread = distribution_table(runs, regret.reset_index(), "profit").set_index("plays")
    assert spread.loc["policy", "mean_regret"] == 4.0 and spread.loc["rival", "max_regret"] == 9.0
    assert spread.loc["policy", "best_in_share_of_cells"] == 0.5
    assert spread.loc["policy", "worst"] == 1.0


def test_the_regret_map_shows_every_cell_label_whole(tmp_path):
    """Long cell conditions (four uncertainties) fit beside the map, numbers to 4 digits:
    constrained layout gives up (and cuts the labels) when the figure is too narrow."""
    from sim.studies.figures import regret_heatmap

    cells = pd.DataFrame(
        {
            "cell": [f"c{i:03d}" for i in range(4)] * 2,
            "variant": range(8),
            "plays": ["policy"] * 4 + ["product_centric"] * 4,
            "economics.retention_cost": [14.720754506252824, 25.435059215841022] * 4,
            "rival ProductCo": ["competitor_centric"] * 8,
            "shock": ["none", "none", "recession@3", "recession@3"] * 2,
        }
    )
    regret = cells[["cell", "plays"]].assign(regret=range(8), outcome="cumulative_profit")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied" is a UserWarning
        fig = regret_heatmap(regret, cells)
        fig.savefig(tmp_path / "regret.png")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "retention_cost=14.72, rival ProductCo=competitor_centric, shock=none"


def test_the_break_even_is_said_in_words():
    from sim.studies.breakeven import verdict

    found = pd.Series(
        {
            "flip": 161.7,
            "low": 144.2,
            "high": 175.3,
            "flips_in_share_of_resamples": 1.0,
            "preferred_at_lowest": "policy",
            "preferred_at_highest": "product_centric",
        }
    )
    grid = [0.0, 40.0, 80.0]
    assert verdict(found, "economics.retention_cost", grid) == (
        "**policy is preferred below economics.retention_cost = 161.7, product_centric above "
        "it** (95% interval 144.2 to 175.3; 100% of the resamples of the seeds flip within the "
        "range)."
    )
    none = found.copy()
    none[["flip", "flips_in_share_of_resamples", "preferred_at_highest"]] = [
        np.nan,
        0.215,
        "policy",
    ]
    said = verdict(none, "economics.retention_cost", grid)
    assert said.startswith("**No flip between economics.retention_cost = 0 and 80**: policy is")
    assert "22% of the resamples of the seeds flip somewhere in the range" in said
