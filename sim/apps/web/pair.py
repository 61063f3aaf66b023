"""Two markets side by side (A/B): built from two set-ups, run from the same seed and stepped
together, period by period, with a live chart of both and of their difference B − A.

The seed fixes the customers and the chance events, so B − A at each period is the effect of the
one change in this market. The chart blits like the run view's dashboard (a period costs tens of
milliseconds), and :meth:`PairChart.latest` reads the numbers back from the plotted lines.
"""

from __future__ import annotations

import threading

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.apps.web.charts import DPI, colour, whole_periods
from sim.apps.web.config import Setup, build
from sim.apps.web.dashboard import START_LIMITS, Blitted
from sim.apps.web.i18n import Language, colon, text
from sim.apps.web.live import LiveMarket
from sim.scenarios import ScenarioError

AB_METRICS = ("cumulative_profit", "market_share", "customer_equity")
KINDS = ("a", "b", "difference")  # A's line, B's line, B − A


class PairChart(Blitted):
    """Per metric, top: each firm in A (solid) and B (dashed); bottom: B − A per firm."""

    def __init__(self, a: LiveMarket, b: LiveMarket, language: Language) -> None:
        self.a, self.b = a, b
        super().__init__(language)

    def build(self, language: Language) -> None:
        """The six panels' fixed parts and one moving line per metric, kind and firm."""
        firms, periods = self.a.firms, self.a.scenario.spec.periods
        self.fig = Figure(figsize=(13, 6), dpi=DPI)
        FigureCanvasAgg(self.fig)
        grid = self.fig.subplots(2, len(AB_METRICS))
        self.fig.subplots_adjust(
            left=0.06, right=0.99, top=0.94, bottom=0.15, hspace=0.45, wspace=0.25
        )
        self.axes: dict[tuple[str, str], Axes] = {}
        self.lines: dict[tuple[str, str], list] = {}
        for col, key in enumerate(AB_METRICS):
            top, bottom = grid[0][col], grid[1][col]
            label = text(key, language)
            for kind, ax, style in (("a", top, "-"), ("b", top, "--"), ("difference", bottom, "-")):
                self.axes[key, kind] = ax
                self.lines[key, kind] = [
                    self.animated(ax.plot([], [], color=colour(j), ls=style, lw=1.6)[0])
                    for j in range(len(firms))
                ]
            top.set_ylim(*START_LIMITS[key])
            top.set_title(f"{label} ({text('ab_lines', language)})")
            bottom.set_ylim(-1.0, 1.0)
            bottom.axhline(0, color="black", lw=0.6)
            bottom.set_title(f"{label}{colon(language)}{text('difference', language)}")
            for ax in (top, bottom):
                ax.set_xlim(0, periods)
                ax.set_xlabel(text("period", language))
                whole_periods(ax)
                ax.grid(alpha=0.3)
        handles = [Line2D([], [], color=colour(j)) for j in range(len(firms))]
        self.fig.legend(handles, firms, loc="lower center", ncols=len(firms))

    def update(self) -> bool:
        """Move every line to both markets' histories; True if an axis had to grow."""
        firms = len(self.a.firms)
        n = min(self.a.period, self.b.period)
        periods = np.array(self.a.history.periods[:n])
        grew = False
        for key in AB_METRICS:
            a = self.a.history.array(key, firms)[:n]
            b = self.b.history.array(key, firms)[:n]
            for kind, values in zip(KINDS, (a, b, b - a), strict=True):
                for j, line in enumerate(self.lines[key, kind]):
                    line.set_data(periods, values[:, j])
                if np.isfinite(values).any():
                    low, high = np.nanmin(values), np.nanmax(values)
                    grew |= self.fit(self.axes[key, kind], "y", low, high)
        return grew

    def latest(self) -> dict[str, dict[str, tuple[float, float, float]]]:
        """The last plotted point of every line: firm → metric → (A, B, B − A); empty before
        the first period."""
        shown: dict[str, dict[str, tuple[float, float, float]]] = {}
        for j, firm in enumerate(self.a.firms):
            for key in AB_METRICS:
                ends = [self.lines[key, kind][j].get_ydata() for kind in KINDS]
                if len(ends[0]):
                    a, b, difference = (float(y[-1]) for y in ends)
                    shown.setdefault(firm, {})[key] = (a, b, difference)
        return shown


class Pair:
    """Markets A and B from two set-ups (B's periods must be A's), both from A's seed, stepped
    together; one lock, so that the chart never reads a market in the middle of a period."""

    def __init__(self, a: Setup, b: Setup, language: Language = "en") -> None:
        self.lock = threading.Lock()
        self.language: Language = language
        self.start(a, b)

    def start(self, a: Setup, b: Setup) -> None:
        """Markets A and B from these set-ups, at period 0 (an InputError leaves the pair as it
        was); a play loop of the old markets ends, as their market A is no longer the pair's."""
        scenarios = (build(a), build(b))
        if scenarios[0].spec.periods != scenarios[1].spec.periods:
            raise ScenarioError(
                f"B runs {scenarios[1].spec.periods} periods and A {scenarios[0].spec.periods}; "
                "A and B run side by side over the same periods (change periods in Set up)"
            )
        self.setups, self.scenarios = (a, b), scenarios
        self.reset()

    @property
    def live(self) -> LiveMarket:
        """The market behind (A unless B failed a period A ran): its period and end are the
        pair's (the run controls read them)."""
        return self.a if self.a.period <= self.b.period else self.b

    def reset(self) -> None:
        """Both markets again from period 0, from A's seed."""
        seed = self.setups[0].seed
        with self.lock:
            self.a = LiveMarket(self.scenarios[0], seed)
            self.b = LiveMarket(self.scenarios[1], seed)
            self.chart = PairChart(self.a, self.b, self.language)

    def speak(self, language: Language) -> None:
        """Draw the chart in ``language`` from now on."""
        with self.lock:
            self.language = language
            self.chart = PairChart(self.a, self.b, language)

    def step(self, draw: bool = True) -> bytes | None:
        """One period of A and of B; the new picture (PNG; None if not ``draw``n)."""
        with self.lock:
            self.a.step()
            self.b.step()
            return self.chart.frame() if draw else None

    def picture(self) -> bytes:
        """The chart of the current period (PNG)."""
        with self.lock:
            return self.chart.frame()

    def latest(self) -> dict[str, dict[str, tuple[float, float, float]]]:
        """The numbers of the last picture drawn: firm → metric → (A, B, B − A)."""
        with self.lock:
            return self.chart.latest()
