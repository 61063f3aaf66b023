"""Figures and a short report of an experiment, readable by a student at a glance."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim.analysis import bands, compare, outcome_table

OVER_TIME = {
    "cumulative_profit": "Cumulative profit ($)",
    "market_share": "Market share (of purchases)",
    "retention_rate": "Retention rate (per month)",
}

OUTCOMES = {
    "cumulative_profit": "cumulative profit ($)",
    "mean_market_share": "mean market share",
    "mean_retention_rate": "mean retention rate",
    "final_satisfaction": "final satisfaction",
    "final_customer_equity": "final customer equity ($)",
}


def plot_over_time(metrics: pd.DataFrame, path: Path, panels: dict[str, str] = OVER_TIME) -> Path:
    """One panel per metric: each firm's mean across seeds with its 95% confidence band."""
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.2), squeeze=False)
    runs = metrics["seed"].nunique()
    for ax, (metric, label) in zip(axes[0], panels.items(), strict=True):
        band = bands(metrics, metric)
        for firm, line in band.groupby("firm", sort=False):
            strategy = metrics.loc[metrics["firm"] == firm, "strategy"].iloc[0]
            ax.plot(line["period"], line["mean"], label=f"{firm} ({strategy})")
            ax.fill_between(line["period"], line["low"], line["high"], alpha=0.25)
        ax.set_title(label)
        ax.set_xlabel("period (month)")
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(f"Mean of {runs} seeded runs with 95% confidence band", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def format_interval(value: tuple[float, float, float]) -> str:
    """'mean [low, high]' with sensible precision."""
    mean, low, high = value
    digits = 0 if abs(mean) >= 100 else 3
    return f"{mean:,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def outcomes_markdown(summary: pd.DataFrame) -> str:
    """The outcome table as Markdown: mean and 95% interval across runs, per firm."""
    table = outcome_table(summary, OUTCOMES)
    header = "| firm | strategy | " + " | ".join(OUTCOMES.values()) + " |"
    lines = [header, "|" + "---|" * (len(OUTCOMES) + 2)]
    for firm, row in table.iterrows():
        cells = [format_interval(row[label]) for label in OUTCOMES.values()]
        lines.append(f"| {firm} | {row['strategy']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def comparisons_markdown(summary: pd.DataFrame, metric: str = "cumulative_profit") -> str:
    """Every pair of firms compared on ``metric`` within the same runs, in plain words."""
    lines = []
    for a, b in itertools.combinations(summary["firm"].unique(), 2):
        c = compare(summary, metric, a, b)
        verdict = (
            f"{a if c['difference'] > 0 else b} is ahead"
            if c["distinguishable"]
            else "not distinguishable from noise"
        )
        lines.append(
            f"- {a} − {b}: {c['difference']:,.0f} [{c['low']:,.0f}, {c['high']:,.0f}], "
            f"effect size d = {c['effect_size']:.2f}, p = {c['p_value']:.2g} over {c['runs']} "
            f"runs: {verdict}."
        )
    return "\n".join(lines)


def lead_changes(metrics: pd.DataFrame, metric: str = "cumulative_profit") -> str:
    """Which firm leads in mean ``metric`` from which period on."""
    leader = metrics.groupby(["period", "firm"])[metric].mean().unstack("firm").idxmax(axis=1)
    changes = leader[leader != leader.shift()]
    return ", ".join(f"{firm} from period {period}" for period, firm in changes.items())


def write_report(out: Path, metrics: pd.DataFrame, summary: pd.DataFrame, title: str) -> Path:
    """Write ``report.md`` and ``over_time.png`` into ``out``; return the report's path."""
    figure = plot_over_time(metrics, out / "over_time.png")
    text = "\n\n".join(
        [
            f"# {title}",
            f"{summary['seed'].nunique()} seeded runs of {int(metrics['period'].max())} periods; "
            "values are means with 95% confidence intervals across runs.",
            f"![metrics over time]({figure.name})",
            "## Outcomes",
            outcomes_markdown(summary),
            "## Cumulative profit, firm against firm (paired by seed)",
            comparisons_markdown(summary),
            "## Lead in mean cumulative profit",
            lead_changes(metrics) + ".",
        ]
    )
    path = out / "report.md"
    path.write_text(text + "\n", encoding="utf-8")
    return path
