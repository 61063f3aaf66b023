"""The studies' figures: regret heat map, sensitivity bars with confidence intervals, the PRIM
box, the break-even curve and the tuning history (matplotlib, saved as PNG)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def regret_heatmap(regret: pd.DataFrame, cells: pd.DataFrame) -> Figure:
    """Cells (rows, with their conditions) × strategies (columns), coloured by regret."""
    grid = regret.pivot(index="cell", columns="plays", values="regret")
    grid = grid[list(dict.fromkeys(regret["plays"]))]
    conditions = cells.drop(columns=["variant", "plays"]).drop_duplicates("cell").set_index("cell")
    labels = [
        ", ".join(f"{k.rsplit('.', 1)[-1]}={shown(v)}" for k, v in conditions.loc[c].items()) or c
        for c in grid.index
    ]
    label_width = 0.07 * max(map(len, labels))  # inches at font size 8, so that none is cut
    size = (3.5 + label_width + 1.3 * grid.shape[1], 1.5 + 0.4 * grid.shape[0])
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(grid.to_numpy(), cmap="Reds", aspect="auto", vmin=0)
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=30, ha="right")
    ax.set_yticks(range(grid.shape[0]), labels, fontsize=8)
    for (i, j), value in np.ndenumerate(grid.to_numpy()):
        ax.text(j, i, f"{value:,.0f}", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=ax, label=f"regret ({regret['outcome'].iloc[0]})")
    ax.set_title("Regret: best mean in the cell − this strategy's mean")
    return fig


def shown(value: object) -> str:
    """A cell's condition as a label: numbers to 4 significant digits (14.72, not
    14.720754506252824)."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def index_bars(table: pd.DataFrame, columns: list[tuple[str, str]], title: str) -> Figure:
    """Horizontal bars of sensitivity indices with 95% confidence intervals, one panel per
    (index column, its CI half-width column), uncertainties ranked top to bottom."""
    fig = Figure(figsize=(4.5 * len(columns), 1.2 + 0.45 * len(table)), layout="constrained")
    axes = fig.subplots(1, len(columns))
    for ax, (value, conf) in zip(np.atleast_1d(axes), columns, strict=True):
        ax.barh(table["uncertainty"], table[value], xerr=table[conf], color="#4a7ab5", capsize=3)
        ax.invert_yaxis()
        ax.set_xlabel(f"{value} (95% CI)")
    fig.suptitle(title)
    return fig


def prim_box(limits: pd.DataFrame) -> Figure:
    """The PRIM box: for each uncertainty, its full range (grey) and the box's range (red),
    both scaled to the full range."""
    fig = Figure(figsize=(7, 1.2 + 0.5 * len(limits)), layout="constrained")
    ax = fig.subplots()
    span = (limits["range_high"] - limits["range_low"]).to_numpy()
    low = (limits["box_low"] - limits["range_low"]).to_numpy() / span
    high = (limits["box_high"] - limits["range_low"]).to_numpy() / span
    y = np.arange(len(limits))
    ax.barh(y, np.ones(len(limits)), color="#dddddd")
    ax.barh(y, high - low, left=low, color="#c0392b")
    for i, row in enumerate(limits.itertuples()):
        ax.text(1.01, i, f"{row.box_low:.3g} – {row.box_high:.3g}", va="center", fontsize=8)
    ax.set_yticks(y, limits["uncertainty"])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.35)
    ax.set_xlabel("share of the uncertainty's range")
    ax.set_title("Where the policy fails (PRIM box)")
    return fig


def breakeven_curve(curve: pd.DataFrame, parameter: str, flip: pd.Series) -> Figure:
    """Each strategy's mean outcome against the parameter, and the flip point with its 95%
    interval."""
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    for plays, rows in curve.groupby("plays", sort=False):
        ax.plot(rows["value"], rows["mean"], marker="o", label=plays)
    if np.isfinite(flip["flip"]):
        ax.axvline(flip["flip"], color="k", ls="--", lw=1)
        ax.axvspan(flip["low"], flip["high"], color="k", alpha=0.1)
    ax.set_xlabel(parameter)
    ax.set_ylabel(f"mean {curve['outcome'].iloc[0]}")
    ax.legend()
    ax.set_title("Break-even: where the preferred strategy flips")
    return fig


def tuning_history(trials: pd.DataFrame, measure: str) -> Figure:
    """Each trial's risk measure and the best so far."""
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    ax.plot(trials["trial"], trials["value"], "o", color="#999999", label="trial")
    ax.plot(trials["trial"], trials["value"].cummax(), color="#c0392b", label="best so far")
    ax.set_xlabel("trial")
    ax.set_ylabel(measure)
    ax.legend()
    return fig
