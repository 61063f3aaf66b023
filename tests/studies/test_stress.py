"""``crmsim stress`` end to end: a policy of one's own, in a module file beside the study, runs on
the workers of a Dask cluster; the numbers equal those of the local process pool; regret is
≥ 0 and 0 for the best; a study run again redoes nothing; a misbehaving policy (one returning
NaN, one that never returns) is stopped with a message naming firm, period and value or time
limit, keeping the finished runs."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from sim.apps.cli import main

from study_files import write_study

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dask")]


def test_stress_on_dask_equals_the_process_pool(tmp_path, scheduler, capsys):
    study = write_study(tmp_path, "stress_policy_a")
    pool, dask = tmp_path / "pool", tmp_path / "dask"
    assert main(["stress", str(study), "--out", str(pool), "--workers", "2", "--quiet"]) == 0
    assert main(["stress", str(study), "--out", str(dask), "--scheduler", scheduler]) == 0
    assert "regret" in capsys.readouterr().out
    for table in ("runs.csv", "regret.csv", "distribution.csv"):
        assert (pool / table).read_bytes() == (dask / table).read_bytes(), table
    runs = pd.read_csv(dask / "runs.csv")
    assert len(runs) == 2 * 2 * 2  # cells × strategies × seeds
    policy = runs[runs["plays"] == "policy"]
    assert set(policy["strategy"]) == {"loyalty_first"}  # the class from the module file ran
    regret = pd.read_csv(dask / "regret.csv")
    assert (regret["regret"] >= 0).all()
    best = regret.groupby(["outcome", "cell"])["regret"].min()
    assert (best == 0).all()
    main_outcome = regret[regret["outcome"] == "cumulative_profit"]
    means = runs.groupby(["cell", "plays"])["cumulative_profit"].mean()
    for row in main_outcome.itertuples():
        cell = means.loc[row.cell]
        assert row.regret == pytest.approx(cell.max() - cell[row.plays], abs=1e-6)
    spread = pd.read_csv(dask / "distribution.csv")
    assert (spread["worst"] <= spread["p5"] + 1e-9).all()
    assert (spread["p5"] <= spread["mean"] + 1e-9).all()
    assert {"report.html", "regret.png", "study.json"} <= {p.name for p in dask.iterdir()}


def test_a_worker_killed_mid_study_changes_nothing(tmp_path, scheduler):
    marker = tmp_path / "died"
    study = write_study(tmp_path, "stress_policy_d", extra=f', die_once = "{marker}"')
    (tmp_path / "calm").mkdir()
    calm = write_study(tmp_path / "calm", "stress_policy_d")  # the same, without dying
    out, undisturbed = tmp_path / "out", tmp_path / "undisturbed"
    assert main(["stress", str(study), "--out", str(out), "--scheduler", scheduler, "--quiet"]) == 0
    assert marker.exists()  # a worker process did end mid-run; Dask ran its tasks again
    assert main(["stress", str(calm), "--out", str(undisturbed), "--workers", "2", "--quiet"]) == 0
    for table in ("runs.csv", "regret.csv"):
        assert (out / table).read_bytes() == (undisturbed / table).read_bytes(), table
    assert len(list(out.glob("battery/variants/*/runs/*.parquet"))) == 8  # none twice or lost


def test_a_study_run_again_redoes_nothing_and_a_lost_run_is_redone(tmp_path):
    study = write_study(tmp_path, "stress_policy_b")
    out = tmp_path / "out"
    args = ["stress", str(study), "--out", str(out), "--workers", "1", "--quiet"]
    assert main(args) == 0
    files = sorted(out.glob("battery/variants/*/runs/*.parquet"))
    stamps = {p: p.stat().st_mtime_ns for p in files}
    table = (out / "regret.csv").read_bytes()
    files[0].unlink()  # as if the study had been killed before this run finished
    assert main(args) == 0
    assert all(p.stat().st_mtime_ns == stamps[p] for p in files[1:])
    assert files[0].exists() and (out / "regret.csv").read_bytes() == table


FAILS_IN_SECOND_CELL = """
[[uncertainties]]
key = "firms[1].overhead"
low = 1.0
high = 2.0
levels = 2
"""


def test_a_policy_returning_nan_is_stopped_on_dask_keeping_finished_runs(
    tmp_path, scheduler, capsys
):
    fails = ", fail_at = 3, fail_overhead = 1.5"  # in cells with overhead 2.0, not 1.0
    study = write_study(tmp_path, "stress_policy_c", extra=fails, more=FAILS_IN_SECOND_CELL)
    out = tmp_path / "out"
    assert main(["stress", str(study), "--out", str(out), "--scheduler", scheduler]) == 2
    message = capsys.readouterr().err
    assert "firm 'CustomerCo'" in message and "period 3" in message
    assert "price=nan" in message and "Traceback" not in message
    kept = {p.parent.parent.name for p in out.glob("battery/variants/*/runs/*.parquet")}
    assert {"c000-policy", "c000-product_centric"} <= kept  # overhead 1.0: it does not fail
    assert "c001-policy" not in kept


def test_a_policy_that_never_returns_is_stopped_on_dask_keeping_finished_runs(
    tmp_path, scheduler, capsys
):
    hangs = ", hang_at = 3, fail_overhead = 1.5"  # sleeps forever in cells with overhead 2.0
    study = write_study(tmp_path, "stress_policy_h", extra=hangs, more=FAILS_IN_SECOND_CELL)
    out = tmp_path / "out"
    started = time.perf_counter()
    args = ["stress", str(study), "--out", str(out), "--scheduler", scheduler]
    assert main([*args, "--decision-seconds", "1"]) == 2
    assert time.perf_counter() - started < 60  # the limit, not a hang, ended the study
    message = capsys.readouterr().err
    assert "strategy 'loyalty_first'" in message and "period 3" in message
    assert "decide() did not return within 1.0 s" in message and "Traceback" not in message
    kept = {p.parent.parent.name for p in out.glob("battery/variants/*/runs/*.parquet")}
    assert {"c000-policy", "c000-product_centric"} <= kept  # overhead 1.0: it does not hang
    assert "c001-policy" not in kept
