"""Uncertainties with distributions: discover's Latin hypercube and SALib's designs sample each
distribution (its mean, bounds and choice frequencies), stress tries the middles of equally
likely slices (a choice: each value), and a study file using them runs end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.apps.cli import main
from sim.studies.discover import latin_hypercube
from sim.studies.sensitivity import problem, sample, values
from sim.studies.spec import Sensitivity, Uncertainty

from study_files import write_study

NORMAL = Uncertainty(key="n", distribution="normal", mean=20.0, sd=5.0, low=5.0, high=25.0)
LOGNORMAL = Uncertainty(key="l", distribution="lognormal", mu=0.0, sigma=0.5, low=0.5, high=3.0)
TRIANGLE = Uncertainty(key="t", distribution="triangular", low=0.0, mode=2.0, high=10.0)
UNIFORM = Uncertainty(key="u", distribution="uniform", low=-1.0, high=1.0, levels=4)
CHOICE = Uncertainty(key="c", distribution="choice", values=[10, 50, 20])
ALL = [NORMAL, LOGNORMAL, TRIANGLE, UNIFORM, CHOICE]


def test_latin_hypercube_samples_each_distribution():
    x = latin_hypercube(ALL, 3000, seed=4)
    truncated = stats.truncnorm(-3, 1, loc=20, scale=5)  # (5 − 20)/5, (25 − 20)/5
    assert x["n"].mean() == pytest.approx(truncated.mean(), abs=0.05)
    assert x["n"].min() >= 5 and x["n"].max() <= 25
    assert x["l"].min() >= 0.5 and x["l"].max() <= 3.0
    ends = stats.norm.cdf(np.log([0.5, 3.0]) / 0.5)
    median = np.exp(0.5 * stats.norm.ppf(ends.mean()))  # the middle of the truncated mass
    assert x["l"].median() == pytest.approx(median, rel=0.01)
    assert x["t"].mean() == pytest.approx((0 + 2 + 10) / 3, abs=0.02)
    assert x["u"].mean() == pytest.approx(0, abs=0.01)
    assert x["c"].value_counts().to_dict() == {10.0: 1000, 20.0: 1000, 50.0: 1000}


def test_stress_grids_are_the_middles_of_equally_likely_slices():
    assert NORMAL.grid() == pytest.approx(
        list(stats.truncnorm(-3, 1, loc=20, scale=5).ppf([1 / 6, 0.5, 5 / 6]))
    )
    assert UNIFORM.grid() == pytest.approx([-0.75, -0.25, 0.25, 0.75])
    whole = Uncertainty(key="w", distribution="triangular", low=0, mode=2, high=10)
    assert whole.grid() == [2, 4, 6]  # rounded: its bounds are written as integers
    assert CHOICE.grid() == [10, 50, 20]
    assert Uncertainty(key="r", low=0, high=10).grid() == [0, 5, 10]  # a range: end to end


def test_salib_samples_its_own_distributions_and_ours_by_quantile():
    space = problem(ALL)
    assert space["dists"] == ["truncnorm", "unif", "triang", "unif", "unif"]
    assert space["bounds"][0] == [5.0, 25.0, 20.0, 5.0] and space["bounds"][1] == [0.0, 1.0]
    x = sample("sobol", space, Sensitivity(samples=256), seed=0)
    points = values(ALL, x)
    assert set(points["c"]) == {10.0, 20.0, 50.0}
    assert points["l"].between(0.5, 3.0).all() and points["n"].between(5, 25).all()
    assert points["t"].mean() == pytest.approx(4, abs=0.2)


DISTRIBUTED = """
[[uncertainties]]
key = "economics.retention_cost"
distribution = "normal"
mean = 20.0
sd = 5.0
low = 5.0
high = 40.0
levels = 2

[[uncertainties]]
key = "economics.acquisition_cost"
distribution = "choice"
values = [10.0, 60.0]
"""


def test_a_study_with_distributions_runs_its_stress_cells(tmp_path):
    study = write_study(tmp_path, "distributed_policy", more=DISTRIBUTED)
    study.write_text(study.read_text().replace("seeds = 2", "seeds = 1"))
    out = tmp_path / "out"
    assert main(["stress", str(study), "--out", str(out), "--workers", "2", "--quiet"]) == 0
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 2 * 2 * 2 * 2  # rate × retention cost × acquisition cost × strategies
    cost = stats.truncnorm(-3, 4, loc=20, scale=5).ppf([0.25, 0.75])
    assert sorted(runs["economics.retention_cost"].unique()) == pytest.approx(cost)
    assert set(runs["economics.acquisition_cost"]) == {10.0, 60.0}
    report = (out / "report.md").read_text()
    assert "normal(mean 20, sd 5) on 5 to 40" in report and "one of 10, 60" in report
