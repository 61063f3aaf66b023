"""Speed of the classroom game: a round, and pages under a class's load, in one run.

Run with ``.venv/bin/python benchmarks/game_speed.py``. It prints:

* a round of ``--periods`` periods at ``--customers`` customers (the flagship market, 4 teams,
  1 bot): seconds per ``advance`` (median and maximum over ``--rounds`` rounds; the issue asks
  ≤ 2 s for 3 periods at 10,000 customers);
* a bounded load test against ``crmsim game serve`` on localhost: ``--clients`` concurrent
  clients (browsers), each polling its team's state every ``--interval`` s (as the page does)
  ``--polls`` times and submitting a decision once (some with research); the latency of every
  request (median, 95th percentile; the issue asks p95 ≤ 300 ms) and any error. A market has
  at most 20 firms, so 40 teams × 3 browsers is measured as 20 teams × 6 clients (the same 120
  clients).

Timings are wall-clock and depend on what else the machine does; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from sim.apps.game.game import Game
from sim.apps.game.rules import new_rules


def scenario_file(folder: Path, customers: int) -> Path:
    path = folder / "market.toml"
    path.write_text(f'extends = "flagship"\n[customers]\ncount = {customers}\n')
    return path


def round_seconds(folder: Path, scenario: Path, periods: int, rounds: int) -> list[float]:
    """Seconds per advance, after the game's market is built."""
    rules = new_rules(
        str(scenario), teams=4, bots=1, rounds=rounds, periods_per_round=periods, seed=1
    )
    game = Game.create(folder / "round", rules)[0]
    game.market()
    times = []
    for _ in range(rounds):
        for seat in range(rules.teams):
            game.submit(seat, {"advertising": 1.0 + seat, "crm": 1.0}, key=f"{seat}-{len(times)}")
        start = time.perf_counter()
        game.advance()
        times.append(time.perf_counter() - start)
    return times


def serve(folder: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "sim", "game", "serve", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/join", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("crmsim game serve did not start")


def client(
    url: str, code: str, index: int, polls: int, interval: float
) -> tuple[list[tuple[str, float]], int]:
    """One browser: poll its team's state every ``interval`` s (as the page does), ``polls``
    times, submitting a decision half-way; (poll or submit, latency in s) of each request, and
    the number of errors."""
    latencies, errors = [], 0
    rng = random.Random(index)
    with httpx.Client(base_url=url, headers={"X-Game-Code": code}, timeout=60) as http:
        due = time.monotonic() + rng.uniform(0, interval)  # browsers do not start in step
        for i in range(polls):
            time.sleep(max(0.0, due - time.monotonic()))
            due += interval
            requests = [("poll", lambda: http.get("/api/team"))]
            if i == polls // 2:
                body = {
                    "price": 95.0 + index % 5,
                    "studies": ["survey", "churn_clv"][: index % 3],  # research, as teams buy it
                    "key": f"{index}-{time.time_ns()}",
                }
                requests.append(("submit", lambda b=body: http.post("/api/team/decision", json=b)))
            for kind, send in requests:
                start = time.perf_counter()
                reply = send()
                latencies.append((kind, time.perf_counter() - start))
                errors += reply.status_code not in (200, 409)  # 409: a round just closed
    return latencies, errors


def main_benchmark() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=120)
    parser.add_argument("--polls", type=int, default=10, help="polls per client")
    parser.add_argument("--interval", type=float, default=3.0, help="s between a client's polls")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario = scenario_file(folder, args.customers)
        times = round_seconds(folder, scenario, args.periods, args.rounds)
        print(
            f"round of {args.periods} periods at {args.customers:,} customers: median "
            f"{statistics.median(times):.2f} s, max {max(times):.2f} s"
        )
        rules = new_rules(
            str(scenario_file(folder, 2_000)), teams=20, rounds=50, periods_per_round=1, seed=2
        )
        _, codes, _ = Game.create(folder / "load", rules)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = serve(folder / "load", port)
        try:
            url = f"http://127.0.0.1:{port}"
            with ThreadPoolExecutor(args.clients) as pool:
                runs = list(
                    pool.map(
                        lambda c: client(url, codes[c % 20], c, args.polls, args.interval),
                        range(args.clients),
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=60)
        errors = sum(e for _, e in runs)
        print(f"{args.clients} clients polling every {args.interval:g} s, submitting once:")
        for kind in ("poll", "submit", "all"):
            times = sorted(t for run, _ in runs for k, t in run if kind in (k, "all"))
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"  {kind:6s} {len(times):5d} requests: median "
                f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
            )
        print(f"  errors: {errors}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main_benchmark()
