"""Comparing, the point of the toolkit: two markets from the same seed that differ in one
strategy or lever (A/B), and the current market replicated over seeds through the experiment
runner, with means and 95% bands, so that chance and effect can be told apart."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes

from sim.analysis.statistics import bands, mean_interval
from sim.apps.web.charts import colour, line_grid
from sim.apps.web.config import Setup, build
from sim.apps.web.i18n import Language, text
from sim.experiments import Experiment, run_experiment, seed_list, simulate
from sim.scenarios import Scenario

AB_METRICS = ("cumulative_profit", "market_share", "customer_equity")
BAND_METRICS = ("cumulative_profit", "market_share", "retention_rate")
MAX_REPLICATES = 100  # seeds per click: more belongs to crmsim run


def run_ab(a: Setup, b: Setup) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both markets run to the end from A's seed: their per-period metrics (simulate's)."""
    return simulate(build(a).spec, a.seed), simulate(build(b).spec, a.seed)


def ab_chart(a: pd.DataFrame, b: pd.DataFrame, language: Language) -> bytes:
    """Top row: each firm in A (solid) and B (dashed); bottom row: B − A."""
    firms = list(dict.fromkeys(a["firm"]))

    def draw(ax: Axes, metric: str, row: int) -> None:
        wide_a = a.pivot(index="period", columns="firm", values=metric)
        wide_b = b.pivot(index="period", columns="firm", values=metric)
        for j, firm in enumerate(firms):
            if row == 0:
                ax.plot(wide_a.index, wide_a[firm], color=colour(j), label=f"{firm} A")
                ax.plot(wide_b.index, wide_b[firm], color=colour(j), ls="--", label=f"{firm} B")
            else:
                ax.plot(wide_a.index, wide_b[firm] - wide_a[firm], color=colour(j), label=firm)
                ax.axhline(0, color="black", lw=0.6)

    def title(label: str, row: int) -> str:
        return label if row == 0 else f"{label}: {text('difference', language)}"

    return line_grid(AB_METRICS, language, draw, rows=2, title=title)


def replicate(scenario: Scenario, seeds: int, first_seed: int, workers: int = 2) -> pd.DataFrame:
    """The market run once per seed (first_seed, first_seed + 1, …) by the experiment runner on
    a pool of worker processes; every run's per-period metrics."""
    context = multiprocessing.get_context("spawn")  # never fork a server's threads
    count = max(1, min(workers, os.cpu_count() or 1, seeds))
    with (
        tempfile.TemporaryDirectory(prefix="crmsim-replicate-") as folder,
        ProcessPoolExecutor(count, mp_context=context) as pool,  # ends with the with block
    ):
        experiment = Experiment(scenario, seed_list(seeds, first_seed), Path(folder) / "runs")
        metrics, _ = run_experiment(experiment, executor=pool, workers=count)
    return metrics


def bands_chart(metrics: pd.DataFrame, language: Language) -> bytes:
    """Mean across seeds of each firm, with its 95% band, for three outcomes."""
    firms = list(dict.fromkeys(metrics["firm"]))

    def draw(ax: Axes, metric: str, row: int) -> None:
        table = bands(metrics, metric)
        for j, firm in enumerate(firms):
            mine = table[table["firm"] == firm]
            ax.plot(mine["period"], mine["mean"], color=colour(j), label=firm)
            ax.fill_between(mine["period"], mine["low"], mine["high"], color=colour(j), alpha=0.2)

    return line_grid(BAND_METRICS, language, draw)


def outcomes(metrics: pd.DataFrame, language: Language) -> str:
    """Final cumulative profit and market share per firm: mean [95% interval], Markdown."""
    last = metrics[metrics["period"] == metrics["period"].max()]
    rows = [
        f"| {text('firm', language)} | {text('cumulative_profit', language)} | "
        f"{text('market_share', language)} |",
        "|---|---|---|",
    ]
    for firm, group in last.groupby("firm", sort=False):
        profit = mean_interval(group["cumulative_profit"])
        share = mean_interval(group["market_share"])
        rows.append(
            f"| {firm} | {profit[0]:,.0f} [{profit[1]:,.0f}, {profit[2]:,.0f}] | "
            f"{share[0]:.3f} [{share[1]:.3f}, {share[2]:.3f}] |"
        )
    return "\n".join(rows)
