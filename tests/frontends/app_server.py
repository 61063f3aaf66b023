"""The browser app served for tests: ``crmsim app`` on a free port of this machine, and Debian's
chromium driven by Playwright (skipped, saying what to install, where either is missing)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"  # gitignored
START_SECONDS = 60


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def need_browser() -> None:
    """Skip, saying what to install, unless chromium and Playwright are here."""
    if not Path(CHROMIUM).exists():
        pytest.skip("the browser tests need Debian's chromium: apt-get install -y chromium")
    pytest.importorskip("playwright", reason="pip install -e '.[dev]' installs playwright")


def serve(scenario: Path, log: Path) -> Iterator[str]:
    """Run ``crmsim app SCENARIO`` until the generator is closed; yield its address."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "sim", "app", str(scenario), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"crmsim app did not start:\n{log.read_text()}") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def opened(
    browser, url: str, viewport: dict[str, int], timeout: int, downloads: bool = False
) -> Iterator:
    """A fresh tab of its own (cookies, session) on the app, once its Step button is there."""
    context = browser.new_context(viewport=viewport, accept_downloads=downloads)
    try:
        tab = context.new_page()
        tab.set_default_timeout(timeout)
        tab.goto(url)
        tab.get_by_role("button", name="Step").wait_for()
        yield tab
    finally:
        context.close()
