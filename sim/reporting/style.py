"""How report figures look: fonts that carry Chinese (Noto Sans SC, installed with crmsim from
PyPI, so no system font is needed), one colour per firm, money axes in $, $k or $M, and legends
outside the data."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter
from pylopdf_fonts_zh_cn import sans_path

CJK_FAMILY = "Noto Sans SC"  # the SIL OFL font of the pylopdf-fonts-zh-cn package


@cache
def fonts() -> list[str]:
    """Font families for figure text, in order: Latin in matplotlib's own DejaVu Sans, every
    Chinese glyph from Noto Sans SC (registered with matplotlib on first use)."""
    font_manager.fontManager.addfont(str(sans_path()))
    return ["DejaVu Sans", CJK_FAMILY]


def styled[**P, R](draw: Callable[P, R]) -> Callable[P, R]:
    """Decorator: ``draw`` makes its text in :func:`fonts`, with no offset or scientific
    notation on its axes (no "1e6")."""

    @wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        style = {
            "font.family": fonts(),
            "axes.formatter.useoffset": False,
            "axes.formatter.limits": (-9, 9),
        }
        with mpl.rc_context(style):
            return draw(*args, **kwargs)

    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A figure (inches) laid out with room outside its axes for legends."""
    return Figure(figsize=(width, height), layout="constrained")


def firm_colours(firms: list[str]) -> dict[str, str]:
    """One colour per firm, from the scenario's firm order: the same firm has the same colour in
    every figure of a report, even one that leaves a firm out."""
    return {firm: f"C{i % 10}" for i, firm in enumerate(dict.fromkeys(firms))}


class Money(Formatter):
    """Dollar ticks in one unit per axis, chosen from the largest tick: $, $k or $M."""

    def __init__(self) -> None:
        self.unit: tuple[float, str] = (1.0, "")
        self.digits = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        top = max((abs(x) for x in locs), default=0.0)
        self.unit = (1e6, "M") if top >= 1e6 else (1e3, "k") if top >= 1e3 else (1.0, "")
        ticks = np.asarray(locs, dtype=float) / self.unit[0]
        self.digits = next(
            (d for d in range(3) if np.allclose(ticks, np.round(ticks, d), atol=1e-9)), 3
        )

    def __call__(self, x: float, pos: int | None = None) -> str:
        scale, suffix = self.unit
        if abs(x) < 1e-9 * scale:
            return "$0"
        sign = "−" if x < 0 else ""
        return f"{sign}${abs(x) / scale:,.{self.digits}f}{suffix}"


def money_axis(ax: Axes, which: str = "y") -> None:
    """Show ``which`` axis ("x" or "y") of ``ax`` in dollars ($, $k or $M)."""
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(Money())


def legend_below(fig: Figure, columns: int = 4) -> None:
    """One legend for the whole figure, under its axes: every distinct label of every axes."""
    entries: dict[str, object] = {}
    for ax in fig.axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    fig.legend(
        list(entries.values()),
        list(entries),
        loc="outside lower center",
        ncols=min(columns, len(entries)),
        fontsize=8,
        frameon=False,
    )


def legend_right(ax: Axes) -> None:
    """The legend of ``ax`` beside it, on its right, outside the data."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=8)
