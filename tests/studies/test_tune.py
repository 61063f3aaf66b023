"""``crmsim tune`` end to end: trials over the levers, the risk measure computed as stated, the
best setting re-run on fresh seeds, and a second run that reads every trial back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.apps.cli import main
from sim.studies.spec import Tune
from sim.studies.tune import risk

from study_files import write_study


def test_risk_measures():
    values = np.arange(1.0, 101.0)
    assert risk(values, Tune()) == pytest.approx(50.5)
    assert risk(values, Tune(measure="percentile", percentile=5)) == pytest.approx(5.95)


@pytest.mark.slow
def test_tune_finds_a_setting_and_checks_it_on_fresh_seeds(tmp_path):
    study = write_study(tmp_path, "tune_policy")
    out = tmp_path / "out"
    args = ["tune", str(study), "--out", str(out), "--workers", "2", "--quiet"]
    assert main(args) == 0
    trials = pd.read_csv(out / "trials.csv")
    assert list(trials["trial"]) == [0, 1, 2, 3] and trials["crm"].between(0, 3).all()
    runs = pd.read_csv(out / "trials" / "batch000" / "summary.csv")
    firm = runs[(runs["firm"] == "CustomerCo") & (runs["variant"] == "trial0000")]
    assert trials["value"].iloc[0] == pytest.approx(firm["cumulative_profit"].mean())
    holdout = pd.read_csv(out / "holdout.csv").set_index("variant")
    assert holdout.loc["tuned", "tuning_value"] == pytest.approx(trials["value"].max())
    assert holdout.loc["tuned", "crm"] == pytest.approx(trials.loc[trials["value"].idxmax(), "crm"])
    assert holdout.loc["policy", "crm"] == 1.0  # the policy's own setting, for comparison
    fresh = pd.read_csv(out / "holdout" / "summary.csv")
    assert set(fresh["seed"]) == {2, 3}  # seeds after the tuning seeds 0 and 1
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("trials/*/variants/*/runs/*.parquet")}
    assert main(args) == 0  # the same trials are asked again and read back, not run
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert pd.read_csv(out / "trials.csv").equals(trials)
