"""Replications over seeds, run on any ``concurrent.futures.Executor``, streamed to disk.

Output folder layout::

    manifest.json        scenario text and hash, seeds, package versions, command
    runs/seed=<s>.parquet  per-period metrics of one run (firms × periods), written atomically
    metrics.parquet      all runs' per-period metrics together
    summary.csv          one row per run and firm

A run's file is written (to a temporary name, then renamed) as soon as the run finishes, so an
interrupted experiment loses nothing it finished; re-running the same command resumes it.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from sim.config import Scenario
from sim.errors import InputError
from sim.model import Market
from sim.scenario import LoadedScenario

PACKAGES = ("crmsim", "mesa", "numpy", "pandas", "scipy", "networkx", "pydantic")


class ExperimentError(InputError):
    """An output folder that belongs to a different experiment, or similar misuse."""


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages a result depends on."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def simulate(scenario: Scenario, seed: int, periods: int | None = None) -> pd.DataFrame:
    """One seeded run: per-period firm metrics joined with the market metrics of that period."""
    market = Market(scenario, rng=seed, record_transactions=False).run(periods)
    firms = market.firm_metrics()
    overall = (
        market.market_metrics().add_prefix("market_").rename(columns={"market_period": "period"})
    )
    frame = firms.merge(overall, on="period", how="left")
    frame.insert(0, "seed", seed)
    return frame


def summarise_run(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per firm of one run: the outcomes learners compare."""
    by_firm = metrics.sort_values("period").groupby("firm", sort=False)
    last = by_firm.last()
    return pd.DataFrame(
        {
            "seed": last["seed"],
            "strategy": last["strategy"],
            "periods": last["period"],
            "cumulative_profit": last["cumulative_profit"],
            "total_revenue": by_firm["revenue"].sum(),
            "final_customers": last["customers"],
            "final_market_share": last["market_share"],
            "mean_market_share": by_firm["market_share"].mean(),
            "mean_retention_rate": by_firm["retention_rate"].mean(),
            "final_satisfaction": last["mean_satisfaction"],
            "final_customer_equity": last["customer_equity"],
            "top20_profit_share": last["top20_profit_share"],
            "share_of_wallet": last["share_of_wallet"],
            "complaints": by_firm["complaints"].sum(),
            "recoveries": by_firm["recoveries"].sum(),
            "final_loyal_customers": last["loyal_customers"],
            "final_knowledge": last["mean_knowledge"],
        }
    ).reset_index()


class Replication(NamedTuple):
    """Runs of one scenario over several seeds, kept in memory."""

    metrics: pd.DataFrame  # per period and firm, every run (simulate's columns)
    summary: pd.DataFrame  # one row per run and firm (summarise_run's columns)


def replicate(scenario: Scenario, seeds: Iterable[int], periods: int | None = None) -> Replication:
    """Run ``scenario`` once per seed in this process and keep the results in memory.

    For notebooks and tests; :func:`run_experiment` does the same in parallel and on disk.
    """
    metrics = [simulate(scenario, seed, periods) for seed in seeds]
    return Replication(
        pd.concat(metrics, ignore_index=True),
        pd.concat([summarise_run(m) for m in metrics], ignore_index=True),
    )


@dataclass
class Experiment:
    """Replications of one scenario over seeds, written to ``out``."""

    loaded: LoadedScenario
    seeds: Sequence[int]
    out: Path
    periods: int | None = None
    command: str = ""

    @property
    def runs_dir(self) -> Path:
        """Folder of the per-run Parquet files."""
        return self.out / "runs"

    def run_file(self, seed: int) -> Path:
        """Where the run with this seed is stored."""
        return self.runs_dir / f"seed={seed}.parquet"

    def pending(self) -> list[int]:
        """Seeds whose run file does not exist yet."""
        return [s for s in self.seeds if not self.run_file(s).exists()]

    def manifest(self) -> dict[str, object]:
        """What fixes this experiment's results."""
        return {
            "scenario": self.loaded.name,
            "scenario_file": str(self.loaded.path) if self.loaded.path else None,
            "scenario_hash": self.loaded.hash,
            "scenario_document": json.loads(self.loaded.text),
            "periods": self.periods or self.loaded.scenario.periods,
            "seeds": list(self.seeds),
            "versions": package_versions(),
            "command": self.command,
        }

    def prepare(self) -> None:
        """Create the folder and manifest; refuse a folder holding another experiment's runs."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        path = self.out / "manifest.json"
        mine = self.manifest()
        if path.exists():
            try:
                theirs = json.loads(path.read_text())
            except json.JSONDecodeError:
                theirs = {}
            same = (theirs.get("scenario_hash"), theirs.get("periods")) == (
                mine["scenario_hash"],
                mine["periods"],
            )
            if not same and any(self.runs_dir.iterdir()):
                raise ExperimentError(
                    f"{self.out} holds runs of another experiment (scenario hash "
                    f"{theirs.get('scenario_hash')}, {theirs.get('periods')} periods; this one is "
                    f"{mine['scenario_hash']}, {mine['periods']} periods). Choose another --out "
                    "folder or delete that one."
                )
        write_atomically(path, json.dumps(mine, indent=2).encode())

    def store(self, seed: int, metrics: pd.DataFrame) -> None:
        """Write one run's metrics (with the scenario hash) atomically."""
        metrics = metrics.assign(scenario_hash=self.loaded.hash)
        write_atomically(self.run_file(seed), metrics.to_parquet(index=False))

    def collect(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Read every finished run; write metrics.parquet and summary.csv; return both."""
        frames = [pd.read_parquet(self.run_file(s)) for s in self.seeds]
        metrics = pd.concat(frames, ignore_index=True)
        summary = pd.concat([summarise_run(f) for f in frames], ignore_index=True)
        summary.insert(0, "scenario", self.loaded.name)
        summary.insert(1, "scenario_hash", self.loaded.hash)
        for name, ver in package_versions().items():
            summary[f"version_{name}"] = ver
        write_atomically(self.out / "metrics.parquet", metrics.to_parquet(index=False))
        write_atomically(self.out / "summary.csv", summary.to_csv(index=False).encode())
        return metrics, summary


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def run_experiment(
    experiment: Experiment,
    executor: Executor | None = None,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every pending seed, storing each run as it finishes; return (metrics, summary).

    ``executor`` may be any ``concurrent.futures.Executor`` (a Dask ``Client.get_executor()``
    works too); by default a process pool with ``workers`` processes (default: all cores).
    ``on_done(seed)`` is called after each stored run (for progress bars).
    """
    done = (lambda _, seed: on_done(seed)) if on_done else None
    return run_experiments([experiment], executor, workers, done)[0]


def run_experiments(
    experiments: Sequence[Experiment],
    executor: Executor | None = None,
    workers: int | None = None,
    on_done: Callable[[Experiment, int], None] | None = None,
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """Run the pending seeds of several experiments on one executor (as :func:`run_experiment`);
    return each experiment's (metrics, summary)."""
    for experiment in experiments:
        experiment.prepare()
    jobs = [(e, seed) for e in experiments for seed in e.pending()]
    if jobs:
        own = executor is None
        pool = executor or ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1)
        try:
            futures: dict[Future, tuple[Experiment, int]] = {
                pool.submit(simulate, e.loaded.scenario, seed, e.periods): (e, seed)
                for e, seed in jobs
            }
            for future in as_completed(futures):
                experiment, seed = futures[future]
                experiment.store(seed, future.result())
                if on_done:
                    on_done(experiment, seed)
        finally:
            if own:
                pool.shutdown(cancel_futures=True)
    return [e.collect() for e in experiments]


def seed_list(count: int, first: int = 0) -> list[int]:
    """Seeds first, first+1, …: each fixes one run; numpy's SeedSequence keeps them independent."""
    return list(range(first, first + count))


def command_line(argv: Iterable[str] | None = None) -> str:
    """The command as typed, for the manifest."""
    return shlex.join(["crmsim", *(sys.argv[1:] if argv is None else argv)])
