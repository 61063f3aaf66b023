"""Speed and memory of the browser app, measured in a real browser in one run.

Run with ``.venv/bin/python benchmarks/app_speed.py`` (needs Debian's chromium and Playwright,
both installed by ``make install`` on CI). It starts ``crmsim app`` on the flagship market
(10,000 customers) and prints:

* one period with its chart update, as a person sees it: from the click on Step until the
  period counter and the dashboard picture have both changed in the page (median and 90th
  percentile over ``--steps`` clicks);
* play: periods per second while playing, over ``--play-seconds``;
* the same for one period of the live A/B pair (both markets and their six-panel chart), from
  the click on *Step A and B* (over ``--ab-steps`` clicks);
* ``--sessions`` pages open at once (each its own market), each stepping a few periods: errors,
  and the server's memory per session (resident set size after, less before, divided by the
  number of sessions).

Timings are wall-clock and depend on what else the machine does; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
STEP_AND_DRAW = """async (label) => {
  const visible = e => e.offsetParent !== null;
  const text = () => [...document.querySelectorAll('.crmsim-period')].find(visible)?.innerText;
  const picture = () => [...document.images].find(visible)?.src;
  const [before, shown] = [text(), picture()];
  const start = performance.now();
  [...document.querySelectorAll('button')].find(b => b.innerText.trim() === label).click();
  while (text() === before || picture() === shown) await new Promise(r => setTimeout(r, 2));
  return performance.now() - start;
}"""


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resident_mb(pid: int) -> float:
    """Resident set size of a process (MB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def period(page: Page) -> int:
    """The period the page shows."""
    return int(page.locator(".crmsim-period:visible").inner_text().split()[1])


def open_app(page: Page, url: str) -> None:
    """Load the app and wait for its controls."""
    page.goto(url)
    page.get_by_role("button", name="Step", exact=True).wait_for(timeout=120_000)


def main() -> None:
    """Start the app, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="Step clicks timed")
    parser.add_argument("--play-seconds", type=float, default=5.0, help="play time measured")
    parser.add_argument("--ab-steps", type=int, default=20, help="Step A and B clicks timed")
    parser.add_argument("--sessions", type=int, default=20, help="pages open at once")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "sim", "app", "flagship", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_app(page, url)
            page.evaluate(STEP_AND_DRAW, "STEP")  # warm-up: fonts, first background
            steps = [page.evaluate(STEP_AND_DRAW, "STEP") for _ in range(args.steps)]
            start = period(page)
            page.get_by_role("button", name="Play", exact=True).click()
            time.sleep(args.play_seconds)
            page.get_by_role("button", name="Pause", exact=True).click()
            rate = (period(page) - start) / args.play_seconds
            page.get_by_role("tab", name="Compare").click()
            page.get_by_role("button", name="Start A and B").click()
            page.get_by_role("button", name="Step A and B").wait_for(timeout=120_000)
            page.evaluate(STEP_AND_DRAW, "STEP A AND B")  # warm-up
            pair = [page.evaluate(STEP_AND_DRAW, "STEP A AND B") for _ in range(args.ab_steps)]
            page.close()
            before = resident_mb(server.pid)
            pages, errors = [], 0
            for _ in range(args.sessions):
                pages.append(browser.new_page())
                pages[-1].on("pageerror", lambda _: None)
            for tab in pages:
                open_app(tab, url)
            for tab in pages:
                for n in range(1, 4):
                    tab.get_by_role("button", name="Step", exact=True).click()
                    try:
                        tab.get_by_text(f"Period {n} / 60").wait_for(timeout=60_000)
                    except Exception:
                        errors += 1
            after = resident_mb(server.pid)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    steps.sort()
    print(f"crmsim app, flagship market (10,000 customers); load average {os.getloadavg()[0]:.2f}")
    print(
        f"one period with its chart update, in the browser: median {statistics.median(steps):.0f}"
        f" ms, 90th percentile {steps[int(0.9 * len(steps))]:.0f} ms ({len(steps)} clicks)"
    )
    print(f"play: {rate:.1f} periods a second")
    pair.sort()
    print(
        f"one period of the A/B pair with its chart update: median {statistics.median(pair):.0f}"
        f" ms, 90th percentile {pair[int(0.9 * len(pair))]:.0f} ms ({len(pair)} clicks)"
    )
    print(
        f"{args.sessions} sessions at once: {errors} errors; server memory {before:.0f} MB → "
        f"{after:.0f} MB, {(after - before) / args.sessions:.1f} MB per session"
    )


if __name__ == "__main__":
    main()
