"""Live charts redrawn by blitting (:class:`Blitted`), and the run view's: one matplotlib
figure of eight panels (:class:`Dashboard`).

Drawing a matplotlib figure from scratch costs a few hundred milliseconds (tick labels and
titles dominate); a period must cost less. So the axes, titles and ticks are drawn once into
a background, and each period only the moving artists (lines, dots, bars, histograms) are drawn
over it. The x axes span the whole run from the start; a y axis grows (and the background is
redrawn) only when the data leave it, a handful of times in a run.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from sim.apps.web.charts import DPI, colour, style, whole_periods
from sim.apps.web.i18n import Language, text
from sim.apps.web.live import SERIES, STAGES, LiveMarket
from sim.schema import Firm as FirmSpec

START_LIMITS = {  # y range before the data ask for more
    "market_share": (0.0, 1.02),  # a line at 1 stays visible
    "cumulative_profit": (-1.0, 1.0),
    "retention_rate": (0.0, 1.02),
    "mean_satisfaction": (-1.0, 1.0),
    "customer_equity": (0.0, 1.0),
}
STAGE_SHADES = ("#d9d9d9", "#9ecae1", "#4292c6", "#08519c", "#fdae6b")
BINS = np.linspace(-1.0, 1.0, 41)  # satisfaction histogram bins
HEADROOM = 1.0  # a growing axis leaves this share of the data's span free (few redraws)


def grown(limits: tuple[float, float], low: float, high: float) -> tuple[float, float] | None:
    """Wider limits if [low, high] leaves ``limits`` (each side that is left grows by
    ``HEADROOM`` × the data's size), else None; NaN (no data yet) never grows an axis."""
    lo, hi = limits
    if not (np.isfinite(low) and np.isfinite(high)) or (low >= lo and high <= hi):
        return None
    span = max(high - low, abs(high), abs(low), 1e-9) * HEADROOM
    return (lo if low >= lo else low - span, hi if high <= hi else high + span)


class Blitted:
    """A figure of fixed parts drawn once and moving artists drawn over them each frame. A
    subclass builds ``self.fig`` and its artists in :meth:`build` (marking the moving ones with
    :meth:`animated`) and moves them in :meth:`update`; :meth:`frame` returns the picture."""

    fig: Figure

    def __init__(self, language: Language) -> None:
        self.moving: list[Artist] = []
        self.background = None
        with mpl.rc_context(style()):
            self.build(language)

    def build(self, language: Language) -> None:
        """Draw the fixed parts and create the moving artists (in the app's fonts)."""
        raise NotImplementedError

    def update(self) -> bool:
        """Move every artist to the current state; True if an axis had to grow."""
        raise NotImplementedError

    def animated(self, artist: Artist) -> Artist:
        """Mark an artist as moving: drawn each frame, never into the background."""
        artist.set_animated(True)
        self.moving.append(artist)
        return artist

    @staticmethod
    def fit(ax: Axes, axis: str, low: float, high: float) -> bool:
        """Grow one axis of ``ax`` to hold [low, high]; True if it grew."""
        get, set_ = (ax.get_xlim, ax.set_xlim) if axis == "x" else (ax.get_ylim, ax.set_ylim)
        wider = grown(get(), low, high)
        if wider is not None:
            set_(*wider)
        return wider is not None

    def frame(self) -> bytes:
        """The current picture (PNG): the background redrawn only if an axis grew."""
        canvas = self.fig.canvas
        if self.update() or self.background is None:
            canvas.draw()
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        for artist in self.moving:
            artist.axes.draw_artist(artist)
        buffer = io.BytesIO()
        size = canvas.get_width_height()
        Image.frombuffer("RGBA", size, canvas.buffer_rgba()).save(buffer, "png", compress_level=1)
        return buffer.getvalue()


class Dashboard(Blitted):
    """Eight panels of one live market: five per-firm series over time, the perceptual map,
    customers by lifecycle stage, and the satisfaction distribution. :meth:`frame` returns
    the current picture as PNG bytes."""

    def __init__(self, live: LiveMarket, language: Language) -> None:
        self.live = live
        super().__init__(language)

    def build(self, language: Language) -> None:
        """Draw the panels' fixed parts and create the moving artists (in the app's fonts)."""
        spec, firms = self.live.scenario.spec, self.live.firms
        self.fig = Figure(figsize=(13, 7), dpi=DPI)
        FigureCanvasAgg(self.fig)
        axes: list[Axes] = self.fig.subplots(2, 4).ravel().tolist()
        self.fig.subplots_adjust(
            left=0.06, right=0.99, top=0.95, bottom=0.17, hspace=0.4, wspace=0.32
        )
        self.axes = dict(zip((*SERIES, "map", "lifecycle", "satisfaction"), axes, strict=True))
        self.lines: dict[str, list] = {}
        for key in SERIES:
            ax = self.axes[key]
            self.lines[key] = [
                self.animated(ax.plot([], [], color=colour(j), lw=1.6, label=name)[0])
                for j, name in enumerate(firms)
            ]
            ax.set_xlim(0, spec.periods)
            ax.set_ylim(*START_LIMITS[key])
            ax.set_xlabel(text("period", language))
            whole_periods(ax)
        legend = self.axes["market_share"].legend(loc="upper right")
        legend.set_animated(False)
        self.paths = [
            self.animated(self.axes["map"].plot([], [], color=colour(j), lw=1, alpha=0.5)[0])
            for j in range(len(firms))
        ]
        self.dots = [
            self.animated(self.axes["map"].plot([], [], "o", color=colour(j), ms=7)[0])
            for j in range(len(firms))
        ]
        self.start_map(spec.firms)
        self.bars = self.lifecycle_bars(firms, spec.customers.count, language)
        self.stairs = [
            self.animated(
                self.axes["satisfaction"].stairs(
                    np.zeros(len(BINS) - 1), BINS, color=colour(j), lw=1.5
                )
            )
            for j in range(len(firms))
        ]
        self.axes["satisfaction"].set_ylim(0, max(10, spec.customers.count / 10))
        self.axes["satisfaction"].set_xlabel(text("satisfaction_range", language))
        self.axes["satisfaction"].set_ylabel(text("customers", language))
        self.label(language)

    def start_map(self, firms: list[FirmSpec]) -> None:
        """Perceptual map limits around the firms' initial offers (±20%)."""
        values = [sum(firm.value.model_dump().values()) for firm in firms]
        costs = [firm.price + sum(firm.costs.model_dump().values()) for firm in firms]
        ax = self.axes["map"]
        ax.set_xlim(0.8 * min(costs), 1.2 * max(costs))
        ax.set_ylim(0.8 * min(values), 1.2 * max(values))

    def lifecycle_bars(self, firms: list[str], customers: int, language: Language) -> list:
        """Stacked horizontal bars, one row per firm, one segment per stage; each firm named
        inside the panel above its bar (names left of the axis would run into the next panel)."""
        ax = self.axes["lifecycle"]
        rows = np.arange(len(firms))
        zeros = np.zeros(len(firms))
        bars = []
        for stage in range(STAGES):
            container = ax.barh(
                rows,
                zeros,
                left=zeros,
                height=0.5,
                color=STAGE_SHADES[stage],
                label=text(f"stage_{stage}", language),
            )
            bars.append([self.animated(patch) for patch in container.patches])
        for row, name in zip(rows, firms, strict=True):
            ax.text(0.01, row - 0.28, name, transform=ax.get_yaxis_transform(), va="bottom")
        ax.set_yticks([])
        ax.set_ylim(len(firms) - 0.6, -0.85)  # top to bottom, room for the first name
        ax.set_xlim(0, customers)
        ax.set_xlabel(text("customers", language))
        ax.legend(
            ncols=3,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.3),
            handlelength=1,
            columnspacing=0.8,
            handletextpad=0.4,
            borderaxespad=0,
        )
        return bars

    def label(self, language: Language) -> None:
        """Titles and axis labels in ``language``."""
        for key, ax in self.axes.items():
            title = {"map": "perceptual_map", "satisfaction": "satisfaction_hist"}.get(key, key)
            ax.set_title(text(title, language))
            ax.grid(alpha=0.3)
        self.axes["map"].set_xlabel(text("total_cost", language))
        self.axes["map"].set_ylabel(text("total_value", language))

    def update(self) -> bool:
        """Move every artist to the market's current state; True if an axis had to grow."""
        history, live = self.live.history, self.live
        periods = np.array(history.periods)
        grew = False
        for key in SERIES:
            values = history.array(key, len(self.lines[key]))
            for j, line in enumerate(self.lines[key]):
                line.set_data(periods, values[:, j])
            if np.isfinite(values).any():
                grew |= self.fit(self.axes[key], "y", np.nanmin(values), np.nanmax(values))
        firms = len(self.dots)
        value, cost = history.array("value", firms), history.array("cost", firms)
        for j, (path, dot) in enumerate(zip(self.paths, self.dots, strict=True)):
            path.set_data(cost[:, j], value[:, j])
            dot.set_data(cost[-1:, j], value[-1:, j])
        if len(value):
            grew |= self.fit(self.axes["map"], "x", cost.min(), cost.max())
            grew |= self.fit(self.axes["map"], "y", value.min(), value.max())
        counts = live.lifecycle()
        left = np.zeros(len(counts))
        for stage, patches in enumerate(self.bars):
            for j, patch in enumerate(patches):
                patch.set_x(left[j])
                patch.set_width(counts[j, stage])
            left += counts[:, stage]
        top = 0.0
        for stairs, values in zip(self.stairs, live.satisfaction(), strict=True):
            heights = np.histogram(values, BINS)[0]
            stairs.set_data(heights)
            top = max(top, float(heights.max(initial=0)))
        grew |= self.fit(self.axes["satisfaction"], "y", 0.0, top)
        return grew
