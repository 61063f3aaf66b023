"""Studies on Dask: runs per minute of ``crmsim stress`` on a local Dask cluster of 1 and 2
workers, the parallel efficiency, and the wall time of a Sobol study.

Run with ``.venv/bin/python benchmarks/study_scaling.py``. All numbers come from this one run:

* runs per minute of a stress battery (flagship at ``--customers`` customers over ``--periods``
  periods) on 1 and then 2 Dask workers (one thread each), timed from the first submitted run to
  the last stored one (runs stored by this process, as the command does), after the cluster is
  up; best of ``--repeats``, alternating 1 and 2;
* efficiency = (runs per minute on 2 workers) / (2 × runs per minute on 1 worker);
* the same on the local process pool (the default executor), measured alongside as a control:
  on a machine that other processes also use, both drop together;
* every decision under the command's default time limit (``--decision-seconds`` 60), which on a
  Dask worker runs each decision in a helper thread; 1 Dask worker without a limit is measured
  alongside, to show what that costs;
* the wall time of ``crmsim sensitivity`` with Sobol (``--sobol-samples`` base samples, two
  uncertainties, ``--seeds`` seeds each) on 2 Dask workers, cluster start included.

Every battery is written to a fresh temporary folder, so nothing is read back from an earlier
run. Timings depend on whatever else the machine is doing; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from sim.apps.cli.parser import DECISION_SECONDS
from sim.experiments.executors import Where
from sim.studies import StudyRun, load_study
from sim.studies.sensitivity import run_sensitivity
from sim.studies.stress import variants

STUDY = """
scenario = "flagship"
set = ["customers.count={customers}"]
periods = {periods}
seeds = {seeds}

[policy]
firm = "CustomerCo"
strategy = "customer_centric"

[[uncertainties]]
key = "homogenisation.rate"
low = 0.0
high = 0.3
levels = 3

[[uncertainties]]
key = "economics.retention_cost"
low = 5.0
high = 30.0
levels = 2

[stress]
benchmarks = ["product_centric"]

[sensitivity]
methods = ["sobol"]
samples = {samples}
"""


def timed(
    kind: str, study: Path, where: Where, limit: float | None = DECISION_SECONDS
) -> tuple[float, int]:
    """(seconds, runs) of a fresh folder: for ``stress`` the battery's runs alone, after the
    cluster is up; for ``sensitivity`` the whole command, cluster start and report included;
    ``limit``: the decision time limit (s), None for none."""
    loaded = load_study(study)
    with tempfile.TemporaryDirectory() as out:
        run = StudyRun(loaded, kind, Path(out), where, decision_seconds=limit)
        start = time.perf_counter()
        with run.open():
            if kind == "sensitivity":
                run_sensitivity(run)
            else:
                found, _ = variants(loaded)
                start = time.perf_counter()
                run.run("battery", found, loaded.study.seed_list())
            seconds = time.perf_counter() - start
        return seconds, len(list(Path(out).rglob("seed=*.parquet")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--periods", type=int, default=36)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--sobol-samples", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        study = Path(folder) / "study.toml"
        study.write_text(
            STUDY.format(
                customers=args.customers,
                periods=args.periods,
                seeds=args.seeds,
                samples=args.sobol_samples,
            )
        )
        print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}")
        print(f"stress battery: flagship, {args.customers} customers, {args.periods} periods")
        best: dict[tuple[str, int], float] = {}
        for repeat in range(args.repeats):
            for kind, workers in [
                ("Dask", 1),
                ("Dask", 2),
                ("process pool", 1),
                ("process pool", 2),
                ("Dask without a time limit", 1),
            ]:
                dask = kind.startswith("Dask")
                where = Where(dask_workers=workers) if dask else Where(workers=workers)
                limit = None if "without" in kind else DECISION_SECONDS
                seconds, runs = timed("stress", study, where, limit)
                rate = 60 * runs / seconds
                best[kind, workers] = max(best.get((kind, workers), 0.0), rate)
                print(
                    f"  repeat {repeat + 1}, {kind}, {workers} worker(s): {runs} runs in "
                    f"{seconds:.1f} s = {rate:.0f} runs/min"
                )
        for kind in ("Dask", "process pool"):
            one, two = best[kind, 1], best[kind, 2]
            print(
                f"{kind}: runs per minute (best) 1 worker {one:.0f}, 2 workers {two:.0f}; "
                f"speed-up {two / one:.2f}, efficiency {two / (2 * one):.2f} (target >= 0.85)"
            )
        free = best["Dask without a time limit", 1]
        print(
            f"Dask, 1 worker: {free:.0f} runs/min without a time limit, {best['Dask', 1]:.0f} "
            f"with --decision-seconds {DECISION_SECONDS:g} (helper threads)"
        )
        seconds, runs = timed("sensitivity", study, Where(dask_workers=2))
        print(
            f"Sobol study ({args.sobol_samples} x (2 + 2) points x {args.seeds} seeds = {runs} "
            f"runs) on 2 Dask workers: {seconds:.1f} s wall, cluster start included"
        )
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
