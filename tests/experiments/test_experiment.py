"""Experiments: results on disk, resumable, reproducible, on any executor."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments import Experiment, ExperimentError, run_experiment
from sim.scenarios import load

SMALL = ["customers.count=500", "periods=8"]


def experiment(out: Path, seeds=(0, 1, 2, 3), overrides=SMALL) -> Experiment:
    return Experiment(load("flagship", overrides), list(seeds), out, command="test")


def test_outputs_and_manifest(tmp_path):
    exp = experiment(tmp_path)
    metrics, summary = run_experiment(exp, executor=ThreadPoolExecutor(2))
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [
        f"seed={s}.parquet" for s in range(4)
    ]
    assert len(summary) == 4 * 3  # one row per run and firm
    assert set(summary["seed"]) == {0, 1, 2, 3}
    assert (summary["scenario_hash"] == exp.loaded.hash).all()
    assert "version_mesa" in summary and "version_numpy" in summary
    assert len(metrics) == 4 * 3 * 8
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["scenario_hash"] == exp.loaded.hash
    assert manifest["seeds"] == [0, 1, 2, 3]
    assert manifest["scenario_document"]["customers"]["count"] == 500
    assert {"mesa", "numpy", "python", "crmsim"} <= set(manifest["versions"])
    on_disk = pd.read_csv(tmp_path / "summary.csv")
    assert on_disk["cumulative_profit"].tolist() == pytest.approx(
        summary["cumulative_profit"].tolist(), rel=1e-12
    )


def test_process_pool_and_thread_pool_give_identical_results(tmp_path):
    _, in_processes = run_experiment(experiment(tmp_path / "a"), workers=2)
    _, in_threads = run_experiment(experiment(tmp_path / "b"), executor=ThreadPoolExecutor(2))
    pd.testing.assert_frame_equal(in_processes, in_threads)


def test_interrupted_experiment_resumes_to_the_same_results(tmp_path):
    _, reference = run_experiment(experiment(tmp_path / "whole"))

    stored: list[int] = []

    def interrupt_after_two(seed: int) -> None:
        stored.append(seed)
        if len(stored) == 2:
            raise KeyboardInterrupt

    partial = experiment(tmp_path / "resumed")
    with pytest.raises(KeyboardInterrupt):
        run_experiment(partial, executor=ThreadPoolExecutor(1), on_done=interrupt_after_two)
    assert len(list((tmp_path / "resumed" / "runs").glob("*.parquet"))) == 2
    # a half-written file left by a crash is never taken for a finished run
    (tmp_path / "resumed" / "runs" / ".seed=3.parquet.999.tmp").write_bytes(b"garbage")
    resumed = experiment(tmp_path / "resumed")
    assert len(resumed.pending()) == 2
    redone: list[int] = []
    _, summary = run_experiment(resumed, on_done=redone.append)
    assert sorted(redone) == sorted(set(range(4)) - set(stored))
    pd.testing.assert_frame_equal(summary, reference)


def test_folder_of_another_experiment_is_refused(tmp_path):
    run_experiment(experiment(tmp_path, seeds=[0]))
    other = experiment(tmp_path, seeds=[0], overrides=[*SMALL, "homogenisation.rate=0"])
    with pytest.raises(ExperimentError, match="another experiment"):
        run_experiment(other)
