"""Speed and memory of ``crmsim calibrate`` on a large generated transaction file.

Run with ``.venv/bin/python benchmarks/calibration_speed.py``. All numbers come from this one run:

* the file: a seeded run of the repeat_buying scenario (the BG/NBD world) at ``--customers``
  customers over ``--weeks`` one-week periods, with CDNOW's heterogeneity and dropout
  (r = 0.243, a = 0.793, b = 2.426) and ``--rate-scale`` times CDNOW's mean purchase rate, so
  that the file is big (the defaults give about 1.4 million purchases); one trial purchase per
  customer on the first day, then the model's purchases (:func:`sim.calibration.holdout.
  simulated_transactions`), amounts in cents, written as CSV;
* the whole command, ``crmsim calibrate FILE`` with its defaults, in its own process: wall time,
  each step's seconds (from the command's own progress lines) and the process's peak memory
  (resident set size).

Timings depend on whatever else the machine is doing; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import pandas as pd

from sim.calibration.fits import WEEK_DAYS
from sim.calibration.holdout import simulated_transactions
from sim.scenarios import load

CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # weekly (Fader, Hardie & Lee 2005)
PROGRESS = re.compile(r"^\[\s*([0-9.]+) s\] (.*)$")


def write_file(path: Path, customers: int, weeks: int, rate_scale: float, seed: int) -> int:
    """Write the generated transaction file; the number of purchases in it."""
    weekly_rate = CDNOW["r"] / CDNOW["alpha"] * rate_scale
    scenario = load(
        "repeat_buying",
        settings={
            "customers.count": customers,
            "periods": weeks,
            "customers.segments[0].purchase_rate": weekly_rate * 7 / WEEK_DAYS,
            "customers.segments[0].purchase_rate_shape": CDNOW["r"],
            "customers.segments[0].dropout": {"a": CDNOW["a"], "b": CDNOW["b"]},
        },
    ).spec
    log = simulated_transactions(scenario, 7.0, seed, pd.Timestamp("2024-01-01"))
    log = log.rename(columns={"customer": "customer_id"}).round({"amount": 2})
    log.to_csv(path, index=False, date_format="%Y-%m-%d")
    return len(log)


def steps(stderr: str) -> list[tuple[str, float]]:
    """Each progress line's step and its seconds (until the next line)."""
    lines = [PROGRESS.match(line) for line in stderr.splitlines()]
    marks = [(float(m.group(1)), m.group(2)) for m in lines if m]
    return [(what, later - at) for (at, what), (later, _) in pairwise(marks)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=150_000)
    parser.add_argument("--weeks", type=int, default=78, help="weeks the file spans")
    parser.add_argument("--rate-scale", type=float, default=25.0, help="× CDNOW's purchase rate")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "transactions.csv"
        start = time.perf_counter()
        purchases = write_file(csv, args.customers, args.weeks, args.rate_scale, args.seed)
        print(
            f"file: {purchases:,} purchases by {args.customers:,} customers over {args.weeks} "
            f"weeks, {csv.stat().st_size / 1e6:.1f} MB (generated in "
            f"{time.perf_counter() - start:.1f} s)",
            flush=True,
        )
        command = [sys.executable, "-m", "sim", "calibrate", str(csv), "--out", f"{folder}/out"]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if done.returncode:
            sys.exit(f"crmsim calibrate failed:\n{done.stderr}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    timed = steps(done.stderr)
    print(f"  {wall - sum(s for _, s in timed):6.1f} s  starting Python, imports and exit")
    for what, seconds in timed:
        print(f"  {seconds:6.1f} s  {what}")
    print(
        f"crmsim calibrate: {wall:.1f} s wall, peak memory {peak_mb:.0f} MB; load average "
        f"after: {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
