"""Speed of the channel layer: the flagship market with 100 retailers against the same market
selling directly, in seconds per customer-period of the vectorised engine (#17 asks for a ratio
below 1.3).

Run with ``.venv/bin/python benchmarks/channel_speed.py`` (``--customers``, ``--periods``,
``--repeats``). Both markets are built and run in this process, alternating, ``--repeats`` times
each. On a shared machine wall-clock time depends on the other processes, so the ratio is given
twice: of the CPU time this process used (the median over the pairs of runs: what the code
costs) and of the best wall-clock times. The line printed last is the ratio measured in this run,
with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from sim.model import Market
from sim.scenarios import load, validate
from sim.schema import MarketSpec

STORES = 100


def markets(customers: int, periods: int) -> tuple[MarketSpec, MarketSpec]:
    """The flagship selling directly, and the same with ``STORES`` retailers: ProductCo sells
    both ways with rebates, CustomerCo only through the stores with support, shared data and a
    partnership policy (every mechanism of the layer runs)."""
    direct = load("flagship", [f"customers.count={customers}", f"periods={periods}"]).spec
    data = direct.model_dump(mode="json")
    data["firms"][0]["channel_policy"] = {"name": "transactional"}
    data["firms"][1]["channel_policy"] = {"name": "partnership"}
    data["channel"] = {
        "retailers": [{"name": f"S{k:03d}", "location": k / STORES} for k in range(STORES)],
        "contracts": [
            {"firm": "ProductCo", "mode": "both", "margin": 0.2, "rebate": 3.0},
            {"firm": "CustomerCo", "mode": "retail", "margin": 0.2, "support": 100.0},
        ],
    }
    return direct, validate(data, "channel benchmark")


def seconds(spec: MarketSpec, seed: int) -> tuple[float, float]:
    """(CPU seconds, wall-clock seconds) to build and run one market."""
    cpu, wall = time.process_time(), time.perf_counter()
    Market(spec, rng=seed, record_transactions=False).run()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--periods", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    direct, channel = markets(args.customers, args.periods)
    seconds(direct, 0), seconds(channel, 0)  # warm up: imports, caches
    runs: dict[str, list[tuple[float, float]]] = {"direct": [], "channel": []}
    for seed in range(args.repeats):
        runs["direct"].append(seconds(direct, seed))
        runs["channel"].append(seconds(channel, seed))
    cells = args.customers * args.periods
    for name, timed in runs.items():
        cpu = statistics.median(c for c, _ in timed)
        wall = min(w for _, w in timed)
        print(
            f"{name:>8}: CPU median {cpu:6.2f} s ({cpu / cells * 1e9:6,.0f} ns per "
            f"customer-period), wall best {wall:6.2f} s"
        )
    cpu_ratio = statistics.median(
        c / d for (c, _), (d, _) in zip(runs["channel"], runs["direct"], strict=True)
    )
    wall_ratio = min(w for _, w in runs["channel"]) / min(w for _, w in runs["direct"])
    load_after = os.getloadavg()
    print(
        f"ratio 100 retailers / direct per customer-period ({args.customers:,} customers, "
        f"{args.periods} periods, {args.repeats} pairs): CPU {cpu_ratio:.3f}x, wall "
        f"{wall_ratio:.3f}x; load average {load_before[0]:.2f} before, {load_after[0]:.2f} "
        f"after, on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
