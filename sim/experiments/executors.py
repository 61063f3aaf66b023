"""Running many markets: the pending runs of experiments on any ``concurrent.futures`` executor,
each stored as soon as it finishes."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed

import pandas as pd

from sim.experiments.folders import Experiment
from sim.experiments.runs import portable, simulate


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
    return each experiment's (metrics, summary).

    Runs travel to the workers with every strategy named by import path
    (:func:`~sim.experiments.runs.portable`), checked before anything is written."""
    specs = [portable(e.loaded.spec) for e in experiments]
    for experiment in experiments:
        experiment.prepare()
    jobs = [(k, seed) for k, e in enumerate(experiments) for seed in e.pending()]
    if jobs:
        own = executor is None
        pool = executor or ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1)
        try:
            futures: dict[Future, tuple[Experiment, int]] = {
                pool.submit(simulate, specs[k], seed, experiments[k].periods): (
                    experiments[k],
                    seed,
                )
                for k, seed in jobs
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
