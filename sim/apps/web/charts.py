"""Charts drawn once per result (A/B, replicate, network), with matplotlib (Agg) into PNG bytes,
in the app's fonts (Chinese glyphs included); firm colours shared with the live dashboard."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.apps.web.fonts import chart_fonts
from sim.apps.web.i18n import Language, text

DPI = 80
FONT_SIZE = 10  # pt: 11 px at DPI 80, readable from the back of a classroom (at 1280 px wide)
TITLE_SIZE = 11


def style() -> dict[str, object]:
    """Matplotlib settings of every chart: the app's fonts, at least ``FONT_SIZE``."""
    return {
        "font.family": chart_fonts(),
        "font.size": FONT_SIZE,
        "axes.titlesize": TITLE_SIZE,
        "legend.fontsize": FONT_SIZE,
        "xtick.labelsize": FONT_SIZE,
        "ytick.labelsize": FONT_SIZE,
    }


def whole_periods(ax: Axes) -> None:
    """Ticks of the x axis (periods) at whole numbers only."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")


def colour(j: int) -> str:
    """Firm ``j``'s colour, the same in every chart."""
    return COLOURS[j % len(COLOURS)]


@contextmanager
def figure(width: float, height: float, rows: int, cols: int) -> Iterator[tuple[Figure, list]]:
    """A figure (inches) with a grid of axes, in the app's fonts; yields (figure, axes)."""
    with mpl.rc_context(style()):
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(rows, cols, squeeze=False).ravel().tolist()
        yield fig, axes


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def line_grid(
    metrics: tuple[str, ...],
    language: Language,
    draw: Callable[[Axes, str, int], None],
    rows: int = 1,
    title: Callable[[str, int], str] | None = None,
    heading: str = "",
) -> bytes:
    """A grid of line charts, ``rows`` × ``metrics``: ``draw(ax, metric, row)`` fills one;
    ``heading`` above them all."""
    with figure(12, 3.1 * rows + 0.3, rows, len(metrics)) as (fig, axes):
        if heading:
            fig.suptitle(heading, fontsize=TITLE_SIZE)
        for row in range(rows):
            for col, metric in enumerate(metrics):
                ax = axes[row * len(metrics) + col]
                draw(ax, metric, row)
                label = text(metric, language)
                ax.set_title(title(label, row) if title else label)
                ax.set_xlabel(text("period", language))
                whole_periods(ax)
                ax.grid(alpha=0.3)
        axes[0].legend()
        return png(fig)
