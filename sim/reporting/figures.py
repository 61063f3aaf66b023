"""Figures of experiments and sweeps, readable at a glance: each ``plot_*`` function returns a
matplotlib Figure (shown inline in a notebook, written with :func:`save_figure`);
:func:`draw_bands` draws one metric on an axes of your own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis import bands, mean_interval, outcome_table
from sim.model import Market
from sim.model.population import Stage
from sim.reporting.tables import OUTCOMES
from sim.schema import VALUE_COMPONENTS

OVER_TIME = {
    "cumulative_profit": "Cumulative profit ($)",
    "market_share": "Market share (of purchases)",
    "retention_rate": "Retention rate (per month)",
}


def save_figure(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as a PNG at ``path`` and return the path."""
    fig.savefig(path, dpi=110)
    return path


def _firm_labels(metrics: pd.DataFrame) -> dict[str, str]:
    firsts = metrics.drop_duplicates("firm")
    return {row.firm: f"{row.firm} ({row.strategy})" for row in firsts.itertuples()}


def _colours(firms: list[str] | pd.Series) -> dict[str, str]:
    """One colour per firm, in scenario order, the same in every figure."""
    return {firm: f"C{i}" for i, firm in enumerate(dict.fromkeys(firms))}


def draw_bands(metrics: pd.DataFrame, metric: str, title: str, ax: Axes) -> Axes:
    """Each firm's mean of ``metric`` across seeds, period by period, with its 95% band."""
    band = bands(metrics, metric)
    labels = _firm_labels(metrics)
    for firm, colour in _colours(metrics["firm"]).items():
        line = band[band["firm"] == firm]
        ax.plot(line["period"], line["mean"], label=labels[firm], color=colour)
        ax.fill_between(line["period"], line["low"], line["high"], alpha=0.25, color=colour)
    ax.set_title(title)
    ax.set_xlabel("period (month)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_over_time(metrics: pd.DataFrame, panels: dict[str, str] = OVER_TIME) -> Figure:
    """One panel per metric (name → title): each firm's mean across seeds with its 95% band."""
    fig = Figure(figsize=(5.2 * len(panels), 4.2), layout="tight")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (metric, title) in zip(axes, panels.items(), strict=True):
        draw_bands(metrics, metric, title, ax)
    for ax in axes[1:]:
        ax.get_legend().remove()
    runs = metrics["seed"].nunique()
    fig.suptitle(f"Mean of {runs} seeded runs with 95% confidence band", fontsize=10)
    return fig


def plot_outcome_distributions(summary: pd.DataFrame) -> Figure:
    """Each run's final outcome as a dot, per firm: how much runs differ, not only the mean."""
    panels = {
        "cumulative_profit": "Cumulative profit ($)",
        "final_market_share": "Final market share",
    }
    fig = Figure(figsize=(10, 3.8), layout="tight")
    axes = fig.subplots(1, len(panels), squeeze=False)
    firms = list(summary["firm"].unique())
    rng = np.random.default_rng(0)  # horizontal jitter only
    for ax, (column, title) in zip(axes[0], panels.items(), strict=True):
        for x, firm in enumerate(firms):
            values = summary.loc[summary["firm"] == firm, column].to_numpy()
            ax.scatter(
                x + rng.uniform(-0.15, 0.15, values.size), values, s=14, alpha=0.7, color=f"C{x}"
            )
            ax.hlines(np.nanmean(values), x - 0.3, x + 0.3, color="black")
        ax.set_xticks(range(len(firms)), firms)
        ax.set_title(title + " per run (bar: mean)")
        ax.grid(alpha=0.3, axis="y")
    return fig


def plot_strategy_comparison(summary: pd.DataFrame) -> Figure:
    """Mean outcome per firm with its 95% interval, one panel per outcome."""
    panels = {k: OUTCOMES[k] for k in ("cumulative_profit", "mean_retention_rate")}
    fig = Figure(figsize=(10, 3.8), layout="tight")
    axes = fig.subplots(1, len(panels), squeeze=False)
    table = outcome_table(summary, panels)
    for ax, label in zip(axes[0], panels.values(), strict=True):
        means = np.array([v[0] for v in table[label]])
        errors = np.array([[v[0] - v[1], v[2] - v[0]] for v in table[label]]).T
        names = [f"{f}\n({s})" for f, s in zip(table.index, table["strategy"], strict=True)]
        ax.bar(
            names,
            means,
            yerr=np.nan_to_num(errors),
            capsize=6,
            alpha=0.8,
            color=[f"C{i}" for i in range(len(names))],
        )
        ax.set_title(label + " (95% interval)")
        ax.grid(alpha=0.3, axis="y")
        ax.tick_params(axis="x", labelsize=8)
    return fig


def plot_customer_value(market: Market) -> Figure:
    """How each firm's customers (those it has ever served) share its sales and its profit in
    one run: the Lorenz curve of cumulative revenue, and the whale curve of customer profit
    (margin − cost to serve), customers ranked from most to least valuable. The whale curve rises
    above 1 when the customers at the end of the ranking lose money (Kaplan & Narayanan 2001); it
    is left out for a firm whose customers lose money in total."""
    fig = Figure(figsize=(10.5, 4.4), layout="tight")
    sales, whale = fig.subplots(1, 2)
    r = market.relations
    profit = r.customer_profit()
    for firm in market.firms:
        served = r.cumulative_revenue[:, firm.index] > 0
        if not served.any():
            continue
        customers = np.arange(1, served.sum() + 1) / served.sum()
        style = {"label": firm.name, "color": f"C{firm.index}"}
        revenue = np.sort(r.cumulative_revenue[served, firm.index])[::-1]
        sales.plot(customers, np.cumsum(revenue) / revenue.sum(), **style)
        value = np.sort(profit[served, firm.index])[::-1]
        if value.sum() > 0:
            whale.plot(customers, np.cumsum(value) / value.sum(), **style)
    sales.plot([0, 1], [0, 1], color="grey", linestyle=":", label="equal shares")
    sales.set_ylabel("share of cumulative revenue")
    sales.set_title("Who buys (Pareto curve of sales)")
    whale.axhline(1.0, color="grey", linestyle=":", label="total customer profit")
    whale.set_ylabel("cumulative share of customer profit")
    whale.set_title("Who brings the profit (whale curve)")
    for ax in (sales, whale):
        ax.axvline(0.2, color="grey", linewidth=0.8)
        ax.set_xlabel("share of customers served (most valuable first)")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    return fig


def plot_loyalty(
    table: pd.DataFrame,
    label: str = "model",
    compare: dict[str, pd.DataFrame] | None = None,
) -> Figure:
    """Loyalty against satisfaction (Jones & Sasser 1995) from
    :func:`sim.analysis.loyalty.loyalty_by_satisfaction`: by satisfaction bin (x: the bin's mean
    satisfaction), the share of re-buyers who defect to another firm and the share of buyers who
    recommend the firm. ``compare`` adds tables of other variants (name → table), dashed."""
    fig = Figure(figsize=(10.5, 4.2), layout="tight")
    defect, recommend = fig.subplots(1, 2)
    lines = {label: table, **(compare or {})}
    for k, (name, t) in enumerate(lines.items()):
        style = {
            "label": name,
            "color": f"C{k}",
            "marker": "o",
            "linestyle": "-" if k == 0 else "--",
        }
        defect.plot(t["satisfaction"], t["defect"], **style)
        recommend.plot(t["satisfaction"], t["recommend"], **style)
    defect.set_title("Defection: re-buyers who buy only elsewhere")
    defect.set_ylabel("share of those who buy again within the lapse")
    recommend.set_title("Recommendation")
    recommend.set_ylabel("share of buyers who recommend the firm")
    for ax in (defect, recommend):
        ax.set_xlabel("satisfaction with the firm after the purchase (−1 to 1)")
        ax.set_xlim(-1, 1)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    return fig


def plot_relationships(market: Market) -> Figure:
    """Satisfaction of each firm's active customers, and every customer's lifecycle stage."""
    r = market.relations
    active = r.active(market.period, market.spec.experience.lapse_periods)
    fig = Figure(figsize=(10.5, 4), layout="tight")
    left, right = fig.subplots(1, 2)
    bins = np.linspace(-1, 1, 21)
    for firm in market.firms:
        left.hist(
            r.satisfaction[active[:, firm.index], firm.index],
            bins=bins,
            histtype="step",
            linewidth=1.5,
            label=firm.name,
            color=f"C{firm.index}",
        )
    left.set_title("Satisfaction of active customers (end of run)")
    left.set_xlabel("satisfaction (−1 to 1)")
    left.legend(fontsize=8)
    stages = [s.name.replace("_", " ").lower() for s in Stage]
    counts = np.array(
        [[np.count_nonzero(r.stage[:, f.index] == s) for s in Stage] for f in market.firms]
    )
    bottom = np.zeros(len(market.firms))
    for k, stage in enumerate(stages):
        right.bar([f.name for f in market.firms], counts[:, k], bottom=bottom, label=stage)
        bottom += counts[:, k]
    right.set_title("Lifecycle stage of every customer with each firm")
    right.set_ylabel("customers")
    right.legend(fontsize=8)
    return fig


def plot_perceptual_map(metrics: pd.DataFrame, market: Market) -> Figure:
    """Where each firm's offer sits: total value (par weights) against total cost, first and
    last period (means across runs); the diagonal is zero delivered value."""
    fig = Figure(figsize=(5.4, 4.6), layout="tight")
    ax = fig.subplots()
    nonmoney = {f.name: f.costs.total() for f in market.firms}
    parts = list(VALUE_COMPONENTS)
    means = metrics.groupby(["firm", "period"])[[*parts, "price"]].mean().reset_index()
    for firm, colour in _colours(metrics["firm"]).items():
        rows = means[means["firm"] == firm]
        ends = rows.iloc[[0, -1]]
        cost = ends["price"].to_numpy() + nonmoney[firm]
        value = ends[parts].sum(axis=1).to_numpy()
        ax.annotate(
            "",
            xy=(cost[1], value[1]),
            xytext=(cost[0], value[0]),
            arrowprops={"arrowstyle": "->", "alpha": 0.6},
        )
        ax.scatter(cost, value, s=[20, 60], color=colour)
        ax.annotate(firm, (cost[1], value[1]), textcoords="offset points", xytext=(5, 5))
    lo, hi = ax.get_xlim()
    ax.plot([lo, hi], [lo, hi], color="grey", linestyle=":", label="value = cost")
    ax.set_xlabel("total customer cost ($ per basket)")
    ax.set_ylabel("total customer value ($ per basket, par weights)")
    ax.set_title("Perceptual map: first → last period")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def plot_variants(summary: pd.DataFrame, metric: str = "cumulative_profit") -> Figure:
    """Each variant's mean ``metric`` per firm with its 95% interval."""
    variants = list(summary["variant"].unique())
    firms = list(summary["firm"].unique())
    fig = Figure(figsize=(max(6, 1.2 * len(variants) + 3), 4.2), layout="tight")
    ax = fig.subplots()
    width = 0.8 / len(firms)
    for k, firm in enumerate(firms):
        stats = [
            mean_interval(summary.loc[(summary.variant == v) & (summary.firm == firm), metric])
            for v in variants
        ]
        x = np.arange(len(variants)) + (k - (len(firms) - 1) / 2) * width
        means = np.array([s[0] for s in stats])
        errors = np.nan_to_num(np.array([[s[0] - s[1], s[2] - s[0]] for s in stats]).T)
        ax.errorbar(x, means, yerr=errors, fmt="o", capsize=4, label=firm, color=f"C{k}")
    ax.set_xticks(range(len(variants)), variants, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel(metric.replace("_", " "))
    ax.set_title(f"{metric.replace('_', ' ')} by variant (mean, 95% interval)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig
