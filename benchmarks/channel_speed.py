"""Speed of the channel layer: the flagship market with 100 retailers against the same market
selling directly, in seconds per customer-period of the vectorised engine (#17 asks for a ratio
below 1.3).

Run with ``.venv/bin/python benchmarks/channel_speed.py`` (``--customers``, ``--periods``,
``--repeats``). Both markets are built and run in this process, alternating, best of
``--repeats`` each (the machine is shared: the best run is the least disturbed); the line printed
last is the ratio measured in this run, with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
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


def seconds(spec: MarketSpec, seed: int) -> float:
    """Wall-clock seconds to build and run one market."""
    start = time.perf_counter()
    Market(spec, rng=seed, record_transactions=False).run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--periods", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    direct, channel = markets(args.customers, args.periods)
    seconds(direct, 0), seconds(channel, 0)  # warm up: imports, caches
    times: dict[str, list[float]] = {"direct": [], "channel": []}
    for seed in range(args.repeats):
        times["direct"].append(seconds(direct, seed))
        times["channel"].append(seconds(channel, seed))
    cells = args.customers * args.periods
    for name, runs in times.items():
        print(
            f"{name:>8}: best {min(runs):6.2f} s, median {sorted(runs)[len(runs) // 2]:6.2f} s, "
            f"{min(runs) / cells * 1e9:8,.0f} ns per customer-period"
        )
    ratio = min(times["channel"]) / min(times["direct"])
    load_after = os.getloadavg()
    print(
        f"ratio (100 retailers / direct, best of {args.repeats}, {args.customers:,} customers, "
        f"{args.periods} periods): {ratio:.3f}x; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after, on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
