"""Figures of experiments and sweeps, readable at a glance: each ``plot_*`` function returns a
matplotlib Figure (shown inline in a notebook, written with :func:`save_figure`);
:func:`draw_bands` draws one metric on an axes of your own. Every function takes ``lang`` ("en"
or "zh": titles, axis labels and legends in English or Chinese) and, where firms are drawn,
``colours`` (firm → colour, :func:`~sim.reporting.style.firm_colours`; default: the firms' order
in the data)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.analysis import bands, mean_interval, outcome_table
from sim.analysis.statistics import RANGES
from sim.experiments.folders import write_atomically
from sim.i18n import Language, strategy_name
from sim.model import Market
from sim.model.population import Stage
from sim.reporting.style import (
    firm_colours,
    legend_below,
    legend_right,
    money_axis,
    new_figure,
    styled,
)
from sim.reporting.words import word
from sim.schema import VALUE_COMPONENTS

OVER_TIME = {
    "cumulative_profit": "Cumulative profit ($)",
    "market_share": "Market share (of purchases)",
    "retention_rate": "Retention rate (cohort repeat rate)",
}  # metric → title in English (in Chinese: the words table's)
MONEY = {"cumulative_profit", "customer_equity", "profit", "revenue"}  # metrics in dollars


def save_figure(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as a PNG at ``path`` (atomically: an interrupted report leaves the old
    picture or none, never half of one) and return the path."""
    picture = io.BytesIO()
    fig.savefig(picture, format="png", dpi=110)
    write_atomically(path, picture.getvalue())
    return path


def _firm_labels(metrics: pd.DataFrame, lang: Language) -> dict[str, str]:
    firsts = metrics.drop_duplicates("firm")
    return {
        row.firm: f"{row.firm} ({strategy_name(row.strategy, lang)})" for row in firsts.itertuples()
    }


@styled
def draw_bands(
    metrics: pd.DataFrame,
    metric: str,
    title: str,
    ax: Axes,
    lang: Language = "en",
    colours: dict[str, str] | None = None,
) -> Axes:
    """Each firm's mean of ``metric`` across seeds, period by period, with its 95% band; a
    legend beside the axes."""
    band = bands(metrics, metric, within=RANGES.get(metric))
    labels = _firm_labels(metrics, lang)
    colours = colours or firm_colours(list(metrics["firm"]))
    for firm in labels:
        line = band[band["firm"] == firm]
        ax.plot(line["period"], line["mean"], label=labels[firm], color=colours[firm])
        ax.fill_between(line["period"], line["low"], line["high"], alpha=0.25, color=colours[firm])
    ax.set_title(title)
    ax.set_xlabel(word("period", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(word(metric, lang))
    if metric in MONEY:
        money_axis(ax)
    ax.grid(alpha=0.3)
    legend_right(ax)
    return ax


@styled
def plot_over_time(
    metrics: pd.DataFrame,
    panels: dict[str, str] = OVER_TIME,
    lang: Language = "en",
    colours: dict[str, str] | None = None,
) -> Figure:
    """One panel per metric (name → title): each firm's mean across seeds with its 95% band;
    one legend under the panels."""
    fig = new_figure(5.2 * len(panels), 4.6)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (metric, title) in zip(axes, panels.items(), strict=True):
        shown = word(metric, lang) if lang == "zh" else title
        draw_bands(metrics, metric, shown, ax, lang, colours)
        ax.get_legend().remove()
    legend_below(fig)
    fig.suptitle(word("seeded_runs", lang, runs=metrics["seed"].nunique()), fontsize=10)
    return fig


@styled
def plot_outcome_distributions(
    summary: pd.DataFrame, lang: Language = "en", colours: dict[str, str] | None = None
) -> Figure:
    """Each run's final outcome as a dot, per firm: how much runs differ, not only the mean."""
    fig = new_figure(10, 3.8)
    axes = fig.subplots(1, 2, squeeze=False)[0]
    firms = list(summary["firm"].unique())
    colours = colours or firm_colours(firms)
    rng = np.random.default_rng(0)  # horizontal jitter only
    for ax, column in zip(axes, ("cumulative_profit", "final_market_share"), strict=True):
        for x, firm in enumerate(firms):
            values = summary.loc[summary["firm"] == firm, column].to_numpy()
            jitter = rng.uniform(-0.15, 0.15, values.size)
            ax.scatter(x + jitter, values, s=14, alpha=0.7, color=colours[firm], label=firm)
            ax.hlines(np.nanmean(values), x - 0.3, x + 0.3, color="black")
        ax.set_xticks(range(len(firms)), firms)
        what = word(column, lang)
        ax.set_title(word("per_run", lang, what=what[:1].upper() + what[1:]))
        ax.set_xlabel(word("firm", lang))
        ax.set_ylabel(what)
        ax.grid(alpha=0.3, axis="y")
    money_axis(axes[0])
    return fig


@styled
def plot_strategy_comparison(
    summary: pd.DataFrame, lang: Language = "en", colours: dict[str, str] | None = None
) -> Figure:
    """Mean outcome per firm with its 95% interval, one panel per outcome."""
    panels = {k: word(k, lang) for k in ("cumulative_profit", "mean_retention_rate")}
    fig = new_figure(10, 3.8)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    table = outcome_table(summary, panels)
    colours = colours or firm_colours(list(table.index))
    for ax, (metric, label) in zip(axes, panels.items(), strict=True):
        means = np.array([v[0] for v in table[label]])
        errors = np.array([[v[0] - v[1], v[2] - v[0]] for v in table[label]]).T
        names = [
            f"{f}\n({strategy_name(s, lang)})"
            for f, s in zip(table.index, table["strategy"], strict=True)
        ]
        ax.bar(
            names,
            means,
            yerr=np.nan_to_num(errors),
            capsize=6,
            alpha=0.8,
            color=[colours[f] for f in table.index],
        )
        ax.set_title(word("interval", lang, what=label[:1].upper() + label[1:]))
        ax.set_xlabel(word("firm_strategy", lang))
        ax.set_ylabel(label)
        ax.grid(alpha=0.3, axis="y")
        ax.tick_params(axis="x", labelsize=8)
        if metric in MONEY:
            money_axis(ax)
    return fig


@styled
def plot_customer_value(
    market: Market, lang: Language = "en", colours: dict[str, str] | None = None
) -> Figure:
    """How each firm's customers (those it has ever served) share its sales and its profit in
    one run: the Lorenz curve of cumulative revenue, and the whale curve of customer profit
    (margin − cost to serve), customers ranked from most to least valuable. The whale curve rises
    above 1 when the customers at the end of the ranking lose money (Kaplan & Narayanan 2001); it
    is left out for a firm whose customers lose money in total."""
    fig = new_figure(10.5, 4.6)
    sales, whale = fig.subplots(1, 2)
    r = market.relations
    profit = r.customer_profit()
    colours = colours or firm_colours([f.name for f in market.firms])
    for firm in market.firms:
        served = r.cumulative_revenue[:, firm.index] > 0
        if not served.any():
            continue
        customers = np.arange(1, served.sum() + 1) / served.sum()
        style = {"label": firm.name, "color": colours[firm.name]}
        revenue = np.sort(r.cumulative_revenue[served, firm.index])[::-1]
        sales.plot(customers, np.cumsum(revenue) / revenue.sum(), **style)
        value = np.sort(profit[served, firm.index])[::-1]
        if value.sum() > 0:
            whale.plot(customers, np.cumsum(value) / value.sum(), **style)
    sales.plot([0, 1], [0, 1], color="grey", linestyle=":", label=word("equal_shares", lang))
    sales.set_ylabel(word("revenue_share", lang))
    sales.set_title(word("who_buys", lang))
    whale.axhline(1.0, color="grey", linestyle=":", label=word("total_profit", lang))
    whale.set_ylabel(word("profit_share", lang))
    whale.set_title(word("who_profits", lang))
    for ax in (sales, whale):
        ax.axvline(0.2, color="grey", linewidth=0.8)
        ax.set_xlabel(word("customers_served", lang))
        ax.grid(alpha=0.3)
    legend_below(fig, columns=6)
    return fig


@styled
def plot_loyalty(
    table: pd.DataFrame,
    label: str = "model",
    compare: dict[str, pd.DataFrame] | None = None,
    lang: Language = "en",
) -> Figure:
    """Loyalty against satisfaction (Jones & Sasser 1995) from
    :func:`sim.analysis.loyalty.loyalty_by_satisfaction`: by satisfaction bin (x: the bin's mean
    satisfaction), the share of re-buyers who defect to another firm and the share of buyers who
    recommend the firm. ``compare`` adds tables of other variants (name → table), dashed."""
    fig = new_figure(10.5, 4.4)
    defect, recommend = fig.subplots(1, 2)
    lines = {label: table, **(compare or {})}
    for k, (name, t) in enumerate(lines.items()):
        style = {"label": name, "color": f"C{k}", "marker": "o", "linestyle": "--" if k else "-"}
        defect.plot(t["satisfaction"], t["defect"], **style)
        recommend.plot(t["satisfaction"], t["recommend"], **style)
    defect.set_title(word("defection", lang))
    defect.set_ylabel(word("defect_share", lang))
    recommend.set_title(word("recommendation", lang))
    recommend.set_ylabel(word("recommend_share", lang))
    for ax in (defect, recommend):
        ax.set_xlabel(word("satisfaction_after", lang))
        ax.set_xlim(-1, 1)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    legend_below(fig)
    return fig


@styled
def plot_relationships(
    market: Market, lang: Language = "en", colours: dict[str, str] | None = None
) -> Figure:
    """Satisfaction of each firm's active customers, and every customer's lifecycle stage (in
    shades of one colour map, so that no stage looks like a firm)."""
    r = market.relations
    active = r.active(market.period, market.spec.experience.lapse_periods)
    fig = new_figure(10.5, 4.2)
    left, right = fig.subplots(1, 2)
    bins = np.linspace(-1, 1, 21)
    colours = colours or firm_colours([f.name for f in market.firms])
    for firm in market.firms:
        left.hist(
            r.satisfaction[active[:, firm.index], firm.index],
            bins=bins,
            histtype="step",
            linewidth=1.5,
            label=firm.name,
            color=colours[firm.name],
        )
    left.set_title(word("satisfaction_active", lang))
    left.set_xlabel(word("satisfaction", lang))
    left.set_ylabel(word("customers", lang))
    legend_right(left)
    counts = np.array(
        [[np.count_nonzero(r.stage[:, f.index] == s) for s in Stage] for f in market.firms]
    )
    shades = colormaps["viridis"](np.linspace(0.1, 0.9, len(Stage)))
    bottom = np.zeros(len(market.firms))
    for k, stage in enumerate(Stage):
        label = word(f"stage_{stage.name.lower()}", lang)
        names = [f.name for f in market.firms]
        right.bar(names, counts[:, k], bottom=bottom, label=label, color=shades[k])
        bottom += counts[:, k]
    right.set_title(word("lifecycle", lang))
    right.set_xlabel(word("firm", lang))
    right.set_ylabel(word("customers", lang))
    legend_right(right)
    return fig


@styled
def plot_perceptual_map(
    metrics: pd.DataFrame,
    market: Market,
    lang: Language = "en",
    colours: dict[str, str] | None = None,
) -> Figure:
    """Where each firm's offer sits: total value (par weights) against total cost, first and
    last period (means across runs); the diagonal is zero delivered value."""
    fig = new_figure(6.4, 4.6)
    ax = fig.subplots()
    nonmoney = {f.name: f.costs.total() for f in market.firms}
    parts = list(VALUE_COMPONENTS)
    means = metrics.groupby(["firm", "period"])[[*parts, "price"]].mean().reset_index()
    colours = colours or firm_colours(list(metrics["firm"]))
    for firm in dict.fromkeys(metrics["firm"]):
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
        ax.scatter(cost, value, s=[20, 60], color=colours[firm], label=firm)
        ax.annotate(firm, (cost[1], value[1]), textcoords="offset points", xytext=(5, 5))
    ax.margins(0.15)  # room for the firms' names
    lo, hi = ax.get_xlim()
    ax.plot([lo, hi], [lo, hi], color="grey", linestyle=":", label=word("value_is_cost", lang))
    ax.set_xlabel(word("total_cost", lang))
    ax.set_ylabel(word("total_value", lang))
    money_axis(ax, "x")
    money_axis(ax, "y")
    ax.set_title(word("perceptual_map", lang))
    ax.grid(alpha=0.3)
    legend_right(ax)
    return fig


@styled
def plot_variants(
    summary: pd.DataFrame,
    metric: str = "cumulative_profit",
    lang: Language = "en",
    colours: dict[str, str] | None = None,
) -> Figure:
    """Each variant's mean ``metric`` per firm with its 95% interval."""
    variants = list(summary["variant"].unique())
    firms = list(summary["firm"].unique())
    colours = colours or firm_colours(firms)
    fig = new_figure(max(7, 1.2 * len(variants) + 4), 4.4)
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
        ax.errorbar(x, means, yerr=errors, fmt="o", capsize=4, label=firm, color=colours[firm])
    ax.set_xticks(range(len(variants)), variants, rotation=20, ha="right", fontsize=8)
    what = word(metric, lang)
    ax.set_xlabel(word("variant", lang))
    ax.set_ylabel(what)
    if metric in MONEY:
        money_axis(ax)
    ax.set_title(word("by_variant", lang, what=what[:1].upper() + what[1:]))
    legend_right(ax)
    ax.grid(alpha=0.3)
    return fig
