"""``crmsim sensitivity``, ``discover`` and ``breakeven`` end to end on a small study (300
customers, 4 periods, 2 seeds): their tables agree with the runs they come from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.apps.cli import main

from study_files import write_study

pytestmark = pytest.mark.slow

OVERHEAD = """
[[uncertainties]]
key = "firms[1].overhead"
low = 0.0
high = 20.0

[discover]
samples = 30
below = {below}
"""

BREAKEVEN = """
[breakeven]
values = [0.0, 1000.0, 2000.0, 3000.0]  # the policy falls behind at about 1,600
against = ["product_centric"]
bootstrap = 200
"""


def test_sensitivity_ranks_the_uncertainty_that_matters(tmp_path, capsys):
    study = write_study(tmp_path, "sens_policy", more=OVERHEAD.format(below=0.0))
    out = tmp_path / "out"
    assert main(["sensitivity", str(study), "--out", str(out), "--workers", "2"]) == 0
    assert "report" in capsys.readouterr().out
    sobol = pd.read_csv(out / "sobol.csv")
    assert list(sobol["uncertainty"]) == ["firms[1].overhead", "homogenisation.rate"]
    assert sobol["ST"].iloc[0] > 0.5 and (sobol["ST_conf"] >= 0).all()
    points = pd.read_csv(out / "sobol_points.csv")
    assert len(points) == 4 * (2 + 2)  # N × (D + 2)
    morris = pd.read_csv(out / "morris.csv")
    assert morris["uncertainty"].iloc[0] == "firms[1].overhead"
    assert {"sobol.png", "morris.png", "report.html"} <= {p.name for p in out.iterdir()}
    report = (out / "report.md").read_text()  # the study's levers play no part here
    assert "- not used by `crmsim sensitivity`: levers (1; used by `crmsim tune`)" in report
    assert "- uncertainty `firms[1].overhead`" in report and "lever `crm`" not in report
    assert (sobol.set_index("uncertainty").loc["homogenisation.rate", ["S1", "ST"]] == 0).all()
    assert (  # flagship's products begin to grow alike in period 12; this study runs 4
        "**`homogenisation.rate` changed cumulative_profit in no run at all**" in report
        and "within the 4 periods run" in report
    )


def test_discover_without_failures_says_what_the_outcome_ranges_over(tmp_path, capsys):
    study = write_study(tmp_path, "disc_policy", more=OVERHEAD.format(below=-1e9))
    out = tmp_path / "out"
    assert main(["discover", str(study), "--out", str(out), "--workers", "2", "--quiet"]) == 2
    err = capsys.readouterr().err
    points = pd.read_csv(out / "points.csv")  # the runs are kept
    y = points["cumulative_profit"]
    assert "the policy fails at 0 of 30 points (cumulative_profit below -1000000000.0)" in err
    assert f"ranges from {y.min():,.0f} to {y.max():,.0f} over these points" in err, err
    assert "run it again with another --out" in err and "Traceback" not in err


@pytest.mark.xdist_group("ema")  # the EMA Workbench imported once, with test_analysis' PRIM test
def test_discover_finds_that_high_overheads_fail(tmp_path):
    # Overhead costs $ per customer in the market per period: 300 × 4 × overhead of profit.
    study = write_study(tmp_path, "disc_policy", more=OVERHEAD.format(below=-10_000.0))
    out = tmp_path / "out"
    assert main(["discover", str(study), "--out", str(out), "--workers", "2", "--quiet"]) == 0
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 30 and 0 < points["failed"].sum() < 30
    assert (points["failed"] == (points["cumulative_profit"] < -10_000)).all()
    box = pd.read_csv(out / "box.csv").set_index("uncertainty")
    edge = points.loc[points["failed"], "firms[1].overhead"].min()
    assert box.loc["firms[1].overhead", "box_low"] == pytest.approx(edge, abs=1.0)
    assert box.loc["firms[1].overhead", "box_high"] == 20.0
    stats = pd.read_csv(out / "box_stats.csv").iloc[0]
    assert stats["coverage"] >= 0.8 and stats["density"] >= 0.8


def test_breakeven_flips_between_the_sweep_values_where_the_lead_changes(tmp_path):
    study = write_study(tmp_path, "be_policy", more=BREAKEVEN)
    out = tmp_path / "out"
    args = ["breakeven", str(study), "--parameter", "economics.retention_cost", "--out", str(out)]
    assert main([*args, "--workers", "2", "--quiet"]) == 0
    curve = pd.read_csv(out / "curve.csv").pivot(index="value", columns="plays", values="mean")
    lead = (curve["policy"] - curve["product_centric"]).to_numpy()
    change = int(np.flatnonzero(np.diff(np.sign(lead)))[0])  # the sweep's own sign change
    low, high = curve.index[change], curve.index[change + 1]
    flip = pd.read_csv(out / "breakeven.csv").iloc[0]
    assert low < flip["flip"] < high
    share = lead[change] / (lead[change] - lead[change + 1])
    assert flip["flip"] == pytest.approx(low + share * (high - low))
    assert flip["low"] <= flip["flip"] <= flip["high"]
    assert flip["preferred_at_lowest"] == "policy"
    assert flip["preferred_at_highest"] == "product_centric"
