"""Speed of the vectorised engine on the flagship scenario: one run, several sizes, one table.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/engine_speed.py``). Every number in a
row comes from the same process run, so ratios are comparable even on a noisy machine.
"""

from __future__ import annotations

import argparse
import time

from sim.model import Market
from sim.scenario import load


def time_run(customers: int, periods: int, seed: int) -> tuple[float, float]:
    """Seconds to build the market and seconds to run it."""
    scenario = load("flagship", [f"customers.count={customers}", f"periods={periods}"]).scenario
    start = time.perf_counter()
    market = Market(scenario, rng=seed, record_transactions=False)
    built = time.perf_counter()
    market.run()
    return built - start, time.perf_counter() - built


def main() -> None:
    """Print build and run time and customer-periods per second for each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--periods", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'customers':>10} {'build s':>9} {'run s':>9} {'customer-periods/s':>20}")
    for size in args.sizes:
        best_build, best_run = min(
            (time_run(size, args.periods, seed) for seed in range(args.repeats)),
            key=lambda t: t[0] + t[1],
        )
        rate = size * args.periods / best_run
        print(f"{size:>10,} {best_build:>9.3f} {best_run:>9.3f} {rate:>20,.0f}")


if __name__ == "__main__":
    main()
