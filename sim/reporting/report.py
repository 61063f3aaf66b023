"""Reports of experiments and sweeps: the blocks of one results folder, rendered to
``report.md`` and ``report.html`` (:mod:`~sim.reporting.render`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim.errors import InputError
from sim.model import Market
from sim.reporting.figures import (
    plot_customer_value,
    plot_outcome_distributions,
    plot_over_time,
    plot_perceptual_map,
    plot_relationships,
    plot_strategy_comparison,
    plot_variants,
    save_figure,
)
from sim.reporting.render import Block, render_html, render_markdown
from sim.reporting.tables import comparisons_text, lead_changes, outcomes_frame, variants_frame
from sim.scenarios import validate
from sim.schema import INFO_SECTIONS


def representative_run(manifest: dict) -> Market:
    """The experiment's first seed, re-run (bit for bit the same) for customer-level pictures."""
    spec = validate(manifest["scenario_document"], "manifest.json")
    return Market(spec, rng=manifest["seeds"][0], record_transactions=False).run(
        manifest["periods"]
    )


def experiment_blocks(out: Path, metrics: pd.DataFrame, summary: pd.DataFrame) -> list[Block]:
    """The report of one experiment folder (firms that never entered the market, absent from the
    summary, are left out of the charts too)."""
    metrics = metrics[metrics["firm"].isin(summary["firm"].unique())]
    manifest = json.loads((out / "manifest.json").read_text())
    market = representative_run(manifest)
    info = market.spec.info
    seed = manifest["seeds"][0]
    blocks = [
        Block("heading", info.title or manifest["scenario"]),
        Block(
            "text",
            f"Scenario `{manifest['scenario']}` (hash {manifest['scenario_hash']}): "
            f"{summary['seed'].nunique()} seeded runs of {int(metrics['period'].max())} "
            "periods. Values are means with 95% confidence intervals across runs.",
        ),
        Block(
            "figure",
            save_figure(plot_over_time(metrics), out / "over_time.png"),
            "Metrics over time",
        ),
        Block("heading", "Outcomes"),
        Block("table", outcomes_frame(summary)),
        Block(
            "figure",
            save_figure(plot_strategy_comparison(summary), out / "comparison.png"),
            "Strategy comparison",
        ),
        Block(
            "text",
            "Cumulative profit, firm against firm (paired by seed):\n\n"
            + comparisons_text(summary),
        ),
        Block("text", "Lead in mean cumulative profit: " + lead_changes(metrics)),
        Block(
            "figure",
            save_figure(plot_outcome_distributions(summary), out / "distributions.png"),
            "Final outcomes, run by run",
        ),
        Block("heading", f"Inside one run (seed {seed})"),
        Block(
            "figure",
            save_figure(plot_customer_value(market), out / "customer_value.png"),
            "Who brings the sales and who brings the profit (80/20 and the whale curve)",
        ),
        Block(
            "figure",
            save_figure(plot_relationships(market), out / "relationships.png"),
            "Satisfaction and lifecycle stages",
        ),
        Block(
            "figure",
            save_figure(plot_perceptual_map(metrics, market), out / "perceptual_map.png"),
            "Perceptual map",
        ),
        Block("heading", "About the scenario"),
    ]
    for section in INFO_SECTIONS:
        text = getattr(info, section).strip()
        if text:
            blocks.append(Block("text", f"**{section.replace('_', ' ').upper()}**\n\n{text}"))
    blocks += [Block("heading", "Manifest"), Block("code", json.dumps(manifest, indent=2))]
    return blocks


def sweep_blocks(out: Path, summary: pd.DataFrame, title: str) -> list[Block]:
    """The report of a sweep or comparison folder."""
    plan = json.loads((out / "sweep.json").read_text())
    plan = plan.get("variants", plan)  # crmsim 0.1 wrote the variants alone
    settings = "\n".join(f"- `{label}`: {json.dumps(s)}" for label, s in plan.items())
    return [
        Block("heading", title),
        Block(
            "text",
            f"{len(plan)} variants × {summary['seed'].nunique()} seeds. Values are "
            "means with 95% confidence intervals across runs; each variant's own report is "
            "in variants/<variant>/.\n\n" + settings,
        ),
        Block(
            "figure", save_figure(plot_variants(summary), out / "variants.png"), "Cumulative profit"
        ),
        Block("table", variants_frame(summary)),
    ]


def write_report(out: Path, metrics: pd.DataFrame, summary: pd.DataFrame) -> Path:
    """Write report.md, report.html and the PNGs of an experiment folder; return report.html."""
    blocks = experiment_blocks(out, metrics, summary)
    render_markdown(blocks, out)
    return render_html(blocks, out)


def write_sweep_report(out: Path, summary: pd.DataFrame, title: str) -> Path:
    """Write report.md, report.html and variants.png of a sweep folder; return report.html."""
    blocks = sweep_blocks(out, summary, title)
    render_markdown(blocks, out)
    return render_html(blocks, out)


SUMMARY_COLUMNS = {"scenario", "firm", "seed", "strategy", "cumulative_profit"}


def report_folder(folder: Path) -> Path:
    """Rewrite the report of a finished results folder of ``crmsim run``, ``sweep`` or
    ``compare``; return report.html. A folder that is not one, or whose results are damaged,
    gets an InputError that says so (and what to run to rewrite it)."""
    sweep = (folder / "sweep.json").is_file()
    summary = read_table(folder / "summary.csv", pd.read_csv)
    needed = SUMMARY_COLUMNS | ({"variant"} if sweep else set())
    if not needed <= set(summary.columns) or summary.empty:
        raise ResultsError(folder / "summary.csv", f"it lacks rows or columns {sorted(needed)}")
    if sweep:
        return write_sweep_report(folder, summary, f"{summary['scenario'].iloc[0]}: variants")
    metrics = read_table(folder / "metrics.parquet", pd.read_parquet)
    return write_report(folder, metrics, summary)


class ResultsError(InputError):
    """A results file that is missing, damaged or not crmsim's."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(
            f"{path}: not a readable crmsim results file ({why}). Run the command that made "
            "the folder again: it redoes what is missing or damaged and rewrites the report."
        )


def read_table(path: Path, reader: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """A results table, or a ResultsError naming the file and what is wrong with it."""
    if not path.is_file():
        raise ResultsError(path, "no such file")
    try:
        return reader(path)
    except Exception as exc:  # any damage: empty, truncated, not CSV or Parquet
        raise ResultsError(path, f"{type(exc).__name__}: {str(exc)[:200]}") from None
