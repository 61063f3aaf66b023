"""Speed and memory of both engines on the flagship scenario, and replication throughput.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/engine_speed.py``). One command, one
table, all numbers measured in the same run:

* customer-periods per second of the vectorised engine (:class:`sim.model.Market`) at 1,000,
  10,000, 100,000 and 1,000,000 customers (``--skip-million`` to leave the last one out);
* the same for the per-agent reference engine (:class:`sim.reference.ReferenceMarket`) up to
  ``--max-reference-customers`` (default 10,000), over fewer periods (``--reference-periods``);
* the speed ratio between the engines over the *same* periods: the vectorised run is timed over
  its first ``--reference-periods`` periods too;
* peak memory (resident set size) of each run: every size and engine runs in its own Python
  process, which reports its ``ru_maxrss``; a process that only imports the engines is the
  baseline (a small market is run first, so that numba's cache holds every compiled loop and no
  measured run compiles);
* replications per minute with :func:`sim.experiments.run_experiment` on 1 and 2 worker processes
  (flagship at 10,000 customers, a few seeds; best of ``--repeats``, alternating 1 and 2 workers,
  because another process on a 2-core machine halves the 2-worker figure).

Timings are wall-clock and depend on whatever else the machine is doing; the table says how many
cores there are and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from sim.experiments import Experiment, run_experiment, seed_list
from sim.model import Market, blocks
from sim.reference import ReferenceMarket
from sim.scenarios import Scenario, load

ENGINES = ("vectorised", "reference")


def flagship(customers: int, periods: int) -> Scenario:
    """The flagship scenario at a given size."""
    return load("flagship", [f"customers.count={customers}", f"periods={periods}"])


def worker(engine: str, customers: int, periods: int, first: int, repeats: int) -> dict:
    """Build and run one engine in this process: the best of ``repeats`` runs of each time
    measured (build, the first ``first`` periods, all periods), plus peak memory."""
    spec = flagship(customers, periods).spec
    times: list[dict[str, float]] = []
    for seed in range(repeats):
        start = time.perf_counter()
        if engine == "vectorised":
            market = Market(spec, rng=seed, record_transactions=False)
        else:
            market = ReferenceMarket(spec, rng=seed)
        built = time.perf_counter()
        market.run_for(first)
        first_done = time.perf_counter()
        if periods > first:
            market.run_for(periods - first)
        done = time.perf_counter()
        times.append({"build": built - start, "first": first_done - built, "run": done - built})
        del market
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {key: min(t[key] for t in times) for key in times[0]} | {"peak_mb": peak_kb / 1024}


def baseline() -> dict:
    """Peak memory of a process that has imported both engines and built nothing."""
    return {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def in_subprocess(*args: object, timeout: float) -> dict | None:
    """Run this file as a worker with ``args``; its JSON result, or None if it failed."""
    command = [sys.executable, __file__, "--worker", *map(str, args)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        print(f"  (timed out after {timeout:.0f} s: {' '.join(map(str, args))})", flush=True)
        return None
    except subprocess.CalledProcessError as exc:
        print(f"  (failed: {' '.join(map(str, args))}\n{exc.stderr})", flush=True)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def replication_rate(workers: int, seeds: int, customers: int, periods: int) -> float:
    """Runs per minute of run_experiment with ``workers`` processes (includes writing results)."""
    loaded = flagship(customers, periods)
    with tempfile.TemporaryDirectory() as folder:
        experiment = Experiment(loaded, seed_list(seeds), Path(folder) / "out", periods)
        start = time.perf_counter()
        run_experiment(experiment, workers=workers)
        elapsed = time.perf_counter() - start
    return seeds / elapsed * 60


def load_average() -> str:
    """The 1-minute load average (how busy the machine is), if the platform has one."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def main() -> None:
    """Measure everything and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--periods", type=int, default=60, help="periods, vectorised engine")
    parser.add_argument(
        "--reference-periods", type=int, default=12, help="periods, reference engine"
    )
    parser.add_argument("--max-reference-customers", type=int, default=10_000)
    parser.add_argument("--skip-million", action="store_true", help="no 1,000,000-customer run")
    parser.add_argument(
        "--repeats", type=int, default=3, help="best of, short runs and replication"
    )
    parser.add_argument("--replication-seeds", type=int, default=6)
    parser.add_argument("--replication-customers", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:  # inside a subprocess: one measurement, printed as JSON
        if args.worker[0] == "baseline":
            print(json.dumps(baseline()))
        else:
            engine, *numbers = args.worker
            print(json.dumps(worker(engine, *map(int, numbers))))
        return

    first = min(args.reference_periods, args.periods)
    sizes = sorted(set(args.sizes) | (set() if args.skip_million else {1_000_000}))
    cores = os.cpu_count()
    load_before = load_average()
    print(
        f"Flagship scenario (3 firms). Python {platform.python_version()}, {cores} cores, "
        f"load average {load_before} at the start.",
        flush=True,
    )
    # numba compiles the engine's loops on first use and caches them: one small market in blocks
    # first, so that no measured run pays for compiling (a fresh checkout's first million-customer
    # run took 25 s and 982 MB instead of 19.5 s and 919 MB)
    print("  warming numba's cache of compiled loops…", flush=True)
    in_subprocess("vectorised", 2 * blocks.MIN_BLOCK, 2, 1, 1, timeout=args.timeout)
    base = in_subprocess("baseline", timeout=120)
    rows = []
    for size in sizes:
        for engine in ENGINES:
            periods = args.periods if engine == "vectorised" else first
            if engine == "reference" and size > args.max_reference_customers:
                continue
            short = size <= 1_000 or (engine == "vectorised" and size <= 10_000)
            repeats = args.repeats if short else 1
            print(f"  running {engine} engine, {size:,} customers, {periods} periods…", flush=True)
            result = in_subprocess(engine, size, periods, first, repeats, timeout=args.timeout)
            if result is not None:
                rows.append((size, engine, periods, repeats, result))

    print(f"  replication throughput ({args.replication_seeds} seeds)…", flush=True)
    replications = {1: 0.0, 2: 0.0}
    for _ in range(args.repeats):  # alternate 1 and 2 workers; keep the best of each
        for w in replications:
            rate = replication_rate(
                w, args.replication_seeds, args.replication_customers, args.periods
            )
            replications[w] = max(replications[w], rate)

    per_first = {(s, e): s * first / r["first"] for s, e, _, _, r in rows}
    line = "-" * 94
    print()
    print("Engine speed in customer-periods per second = customers × periods / run time (no build)")
    print(line)
    print(
        f"{'customers':>10} {'engine':<11} {'periods':>7} {'best of':>7} {'build s':>8} "
        f"{'run s':>9} {'cust-periods/s':>15} {'peak RSS MB':>12} "
        f"{'vec/ref':>9}"
    )
    print(line)
    for size, engine, periods, repeats, r in rows:
        rate = size * periods / r["run"]
        ratio = ""
        if engine == "reference" and (size, "vectorised") in per_first:
            ratio = f"{per_first[(size, 'vectorised')] / per_first[(size, engine)]:,.0f}×"
        print(
            f"{size:>10,} {engine:<11} {periods:>7} {repeats:>7} {r['build']:>8.2f} "
            f"{r['run']:>9.2f} {rate:>15,.0f} {r['peak_mb']:>12,.0f} {ratio:>9}"
        )
    print(line)
    notes = []
    if base:
        baseline_mb = base["peak_mb"]
        notes.append(f"Peak RSS of a process that only imports the engines: {baseline_mb:,.0f} MB.")
    if any(s > args.max_reference_customers for s in sizes):
        notes.append(
            f"The reference engine is not run above {args.max_reference_customers:,} customers "
            "(--max-reference-customers)."
        )
    notes.append(
        f"The vectorised engine splits a market of {2 * blocks.MIN_BLOCK:,} customers or more "
        f"into blocks on {blocks.threads()} threads (sim.model.blocks); smaller ones use one."
    )
    notes.append(
        f"The reference engine runs {first} periods, the vectorised one {args.periods}; vec/ref "
        f"is the speed ratio over the same first {first} periods (same scenario and size). "
        "'best of' = runs per size (different seeds): each time shown (and each used in vec/ref) "
        "is the fastest of them."
    )
    for note in notes:
        print(textwrap.fill(note, width=len(line)))
    print()
    replicated = (
        f"Replications (run_experiment, flagship, {args.replication_customers:,} customers, "
        f"{args.periods} periods, {args.replication_seeds} seeds, results written to disk; "
        f"best of {args.repeats}):"
    )
    print(textwrap.fill(replicated, width=len(line)))
    for w, rate in replications.items():
        print(f"  {w} worker{'s' if w > 1 else ' '}: {rate:6.1f} runs per minute")
    print(f"  speed-up with 2 workers: {replications[2] / replications[1]:.2f}×")
    print()
    machine = (
        f"Machine: {cores} cores; load average {load_before} at the start, {load_average()} at "
        "the end. Other processes may be running: timings are wall-clock from a single run and "
        "can vary by tens of per cent between runs."
    )
    print(textwrap.fill(machine, width=len(line)))


if __name__ == "__main__":
    main()
