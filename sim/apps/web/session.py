"""One browser page's state: the set-up it applied, its live market and that market's charts,
and the A/B pair of markets it compares (:class:`~sim.apps.web.pair.Pair`).

Every page builds its own :class:`Session` when it opens (nothing is built at import or shared
between pages); the run controls call it from the page's own thread or its play loop, one at a
time (a lock), so that a chart never reads a market in the middle of a period.
"""

from __future__ import annotations

import os
import threading

from sim.apps.web.config import Setup, build
from sim.apps.web.dashboard import Dashboard
from sim.apps.web.i18n import Language
from sim.apps.web.live import LiveMarket
from sim.apps.web.pair import Pair

SCENARIO_VARIABLE = "CRMSIM_APP_SCENARIO"  # set by `crmsim app SCENARIO` for the pages it serves


def first_setup() -> Setup:
    """The set-up a new page opens with: the scenario given to ``crmsim app`` (an uploaded-style
    path or a shipped name), else the flagship market."""
    return Setup(scenario=os.environ.get(SCENARIO_VARIABLE) or "flagship")


class Session:
    """The applied set-up, the market running from it and its dashboard; the A/B pair (None
    until one is started)."""

    def __init__(self, setup: Setup, language: Language = "en") -> None:
        self.lock = threading.Lock()
        self.language: Language = language
        self.pair: Pair | None = None
        self.start(setup)

    def start(self, setup: Setup) -> None:
        """Run a new market from ``setup`` (an InputError leaves the running one as it was);
        the A/B pair is dropped if ``setup`` is another A."""
        scenario = build(setup)
        if self.pair is not None and setup != self.setup:
            self.pair.reset()  # ends a play loop of the old pair
            self.pair = None
        with self.lock:
            self.setup = setup
            self.live = LiveMarket(scenario, setup.seed)
            self.dashboard = Dashboard(self.live, self.language)

    def start_pair(self, b: Setup) -> Pair:
        """Markets A (the applied set-up) and ``b`` side by side from A's seed, at period 0 (an
        InputError leaves the pair as it was)."""
        if self.pair is None:
            self.pair = Pair(self.setup, b, self.language)
        else:
            self.pair.start(self.setup, b)
        return self.pair

    def reset(self) -> None:
        """The same market again from period 0 (same set-up, same seed)."""
        self.start(self.setup)

    def speak(self, language: Language) -> None:
        """Draw the charts in ``language`` from now on."""
        with self.lock:
            self.language = language
            self.dashboard = Dashboard(self.live, language)
        if self.pair is not None:
            self.pair.speak(language)

    def step(self, draw: bool = True) -> bytes | None:
        """Run one period and return the new picture (PNG; None if not ``draw``n); a failing
        strategy raises a StrategyError and leaves the market at the last period it finished."""
        with self.lock:
            self.live.step()
            return self.dashboard.frame() if draw else None

    def picture(self) -> bytes:
        """The charts of the current period (PNG)."""
        with self.lock:
            return self.dashboard.frame()
