"""Running many markets: replications over seeds, sweeps and strategy comparisons, on any
``concurrent.futures`` executor (a process pool by default, a Dask client's executor too).

- :mod:`~sim.experiments.runs`: one seeded run and its summary; replications in memory.
- :mod:`~sim.experiments.folders`: results folders (manifest, run files, summary).
- :mod:`~sim.experiments.executors`: the pending runs of experiments on an executor.
- :mod:`~sim.experiments.sweep`: variants of a scenario (grids, strategies, rotations).
"""

from sim.experiments.executors import run_experiment, run_experiments, seed_list
from sim.experiments.folders import Experiment, ExperimentError, package_versions, write_atomically
from sim.experiments.runs import Replication, portable, replicate, simulate, summarise_run
from sim.experiments.sweep import (
    Sweep,
    Variant,
    grid_variants,
    parse_grid,
    rotation_variants,
    strategy_variants,
)

__all__ = [
    "Experiment",
    "ExperimentError",
    "Replication",
    "Sweep",
    "Variant",
    "grid_variants",
    "package_versions",
    "parse_grid",
    "portable",
    "replicate",
    "rotation_variants",
    "run_experiment",
    "run_experiments",
    "seed_list",
    "simulate",
    "strategy_variants",
    "summarise_run",
    "write_atomically",
]
