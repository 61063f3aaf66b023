"""The shipped example study runs end to end, and the study file shown in docs/stress-testing.md
is a valid study (the documentation cannot drift from the schema)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sim.apps.cli import main
from sim.studies import load_study

from conftest import ROOT

EXAMPLE = ROOT / "studies" / "loyalty_stress.toml"


def test_the_study_in_the_docs_is_valid(tmp_path):
    text = (ROOT / "docs" / "stress-testing.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block, "docs/stress-testing.md shows no study file"
    path = tmp_path / "documented.toml"
    path.write_text(block[1])
    study = load_study(path).study
    assert study.policy.firm == "CustomerCo" and study.breakeven.grid()[-1] == 120.0


@pytest.mark.slow
def test_the_shipped_example_stress_test(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["stress", str(EXAMPLE), "--out", str(out), "--workers", "2"]) == 0
    printed = capsys.readouterr().out
    assert "policy" in printed and "report" in printed
    regret = pd.read_csv(out / "regret.csv")
    assert regret["cell"].nunique() == 2 * 2 * 2 * 2  # 2 uncertainties, 1 rival, 1 shock
    assert set(regret["outcome"]) == {
        "cumulative_profit",
        "final_customer_equity",
        "mean_retention_rate",
    }
    assert (regret["regret"] >= 0).all()
    assert (regret.groupby(["outcome", "cell"])["regret"].min() == 0).all()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "Customer-centric CRM under stress" in html
