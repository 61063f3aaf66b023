"""Replicates of an A/B pair, the point of the toolkit: A's and B's set-ups each run over the
same seeds through the experiment runner, with means and 95% bands of A, of B and of the
difference B − A seed by seed, so that chance and effect can be told apart."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes

from sim.analysis.statistics import RANGES, bands, mean_interval
from sim.apps.web.charts import colour, line_grid
from sim.apps.web.i18n import Language, colon, text
from sim.experiments import Experiment, run_experiments, seed_list
from sim.scenarios import Scenario

BAND_METRICS = ("cumulative_profit", "market_share", "retention_rate")
OUTCOMES = (("cumulative_profit", "{:,.0f}"), ("market_share", "{:.4f}"))  # the final table
KEYS = ["seed", "period", "firm"]  # what pairs a run of A with the run of B
MAX_REPLICATES = 100  # seeds per click: more belongs to crmsim run


def replicate(
    scenarios: Sequence[Scenario], seeds: int, first_seed: int, workers: int = 2
) -> list[pd.DataFrame]:
    """Each market run once per seed (first_seed, first_seed + 1, …) by the experiment runner,
    all on one pool of worker processes; per market, every run's per-period metrics."""
    count = max(1, min(workers, os.cpu_count() or 1, seeds * len(scenarios)))
    with tempfile.TemporaryDirectory(prefix="crmsim-replicate-") as folder:
        experiments = [
            Experiment(scenario, seed_list(seeds, first_seed), Path(folder) / str(k))
            for k, scenario in enumerate(scenarios)
        ]
        results = run_experiments(experiments, workers=count)  # the runner's own process pool
    return [metrics for metrics, _ in results]


def difference(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """B − A of the compared metrics, per seed, period and firm (the same seed in A and B:
    the same customers and chance events, so the runs pair up)."""
    metrics = list(dict.fromkeys([*BAND_METRICS, *(key for key, _ in OUTCOMES)]))
    return (b.set_index(KEYS)[metrics] - a.set_index(KEYS)[metrics]).dropna(how="all").reset_index()


def seeds_used(metrics: pd.DataFrame, language: Language) -> str:
    """How many seeds the replicates ran, and which: "A and B replicated over 10 seeds (…)"."""
    seeds = sorted(set(metrics["seed"]))
    return text("over_seeds", language).format(n=len(seeds), first=seeds[0], last=seeds[-1])


def bands_chart(a: pd.DataFrame, b: pd.DataFrame, diff: pd.DataFrame, language: Language) -> bytes:
    """Top row: each firm's mean across seeds with its 95% band in A (solid) and B (dashed);
    bottom row: the mean of B − A with its 95% band, and the zero line; the seeds above."""
    firms = list(dict.fromkeys(a["firm"]))

    def draw(ax: Axes, metric: str, row: int) -> None:
        sets = (("A", a, "-"), ("B", b, "--")) if row == 0 else (("", diff, "-"),)
        for name, metrics, style in sets:
            table = bands(metrics, metric, within=RANGES.get(metric) if row == 0 else None)
            for j, firm in enumerate(firms):
                mine = table[table["firm"] == firm]
                label = f"{firm} {name}".strip()
                ax.plot(mine["period"], mine["mean"], color=colour(j), ls=style, label=label)
                ax.fill_between(
                    mine["period"], mine["low"], mine["high"], color=colour(j), alpha=0.15
                )
        if row == 1:
            ax.axhline(0, color="black", lw=0.6)

    def title(label: str, row: int) -> str:
        return label if row == 0 else f"{label}{colon(language)}{text('difference', language)}"

    heading = seeds_used(a, language)
    return line_grid(BAND_METRICS, language, draw, rows=2, title=title, heading=heading)


def outcomes(a: pd.DataFrame, b: pd.DataFrame, diff: pd.DataFrame, language: Language) -> str:
    """Final cumulative profit and market share per firm in A, in B and B − A: mean [95%
    interval] across seeds, as Markdown, under the seeds used."""
    rows = [
        seeds_used(a, language),
        "",
        f"| {text('firm', language)} | {text('final', language)} | A | B | "
        f"{text('difference', language)} |",
        "|---|---|---|---|---|",
    ]
    last = [frame[frame["period"] == frame["period"].max()] for frame in (a, b, diff)]
    for firm in dict.fromkeys(a["firm"]):
        for key, fmt in OUTCOMES:
            cells = []
            for frame in last:
                mean, low, high = mean_interval(frame.loc[frame["firm"] == firm, key])
                cells.append(f"{fmt.format(mean)} [{fmt.format(low)}, {fmt.format(high)}]")
            rows.append(f"| {firm} | {text(key, language)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
