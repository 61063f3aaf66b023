"""Reports of experiments and sweeps: the blocks of one results folder, rendered to
``report.md`` and ``report.html`` (:mod:`~sim.reporting.render`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.errors import InputError
from sim.experiments.folders import locked, verified
from sim.experiments.sweep import verified_sweep
from sim.i18n import Language, check_language
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
from sim.reporting.style import firm_colours
from sim.reporting.tables import (
    comparisons_text,
    lead_changes,
    outcomes_frame,
    variant_comparisons,
    variants_frame,
)
from sim.reporting.words import word
from sim.scenarios import validate
from sim.schema import INFO_SECTIONS


def representative_run(manifest: dict) -> Market:
    """The experiment's first seed, re-run (bit for bit the same) for customer-level pictures."""
    spec = validate(manifest["scenario_document"], "manifest.json")
    return Market(spec, rng=manifest["seeds"][0], record_transactions=False).run(
        manifest["periods"]
    )


def experiment_blocks(
    out: Path, metrics: pd.DataFrame, summary: pd.DataFrame, lang: Language = "en"
) -> list[Block]:
    """The report of one experiment folder (firms that never entered the market, absent from the
    summary, are left out of the charts too; every firm keeps its scenario colour)."""
    metrics = metrics[metrics["firm"].isin(summary["firm"].unique())]
    manifest = json.loads((out / "manifest.json").read_text())
    market = representative_run(manifest)
    info, english = market.spec.info.text(lang), market.spec.info  # a text missing: English
    seed = manifest["seeds"][0]
    colours = firm_colours([f.name for f in market.spec.firms])

    def figure(fig: Figure, name: str, caption: str) -> Block:
        return Block("figure", save_figure(fig, out / name), word(caption, lang))

    runs, periods = summary["seed"].nunique(), int(metrics["period"].max())
    blocks = [
        Block("heading", info.title or english.title or manifest["scenario"]),
        Block(
            "text",
            word(
                "scenario_line",
                lang,
                name=manifest["scenario"],
                hash=manifest["scenario_hash"],
                runs=runs,
                periods=periods,
            ),
        ),
        figure(plot_over_time(metrics, lang=lang, colours=colours), "over_time.png", "over_time"),
        Block("heading", word("outcomes", lang)),
        Block("table", outcomes_frame(summary, lang)),
        figure(plot_strategy_comparison(summary, lang, colours), "comparison.png", "comparison"),
        Block("text", word("paired", lang) + "\n\n" + comparisons_text(summary, lang=lang)),
        Block("text", word("lead", lang) + lead_changes(metrics, lang=lang)),
        figure(
            plot_outcome_distributions(summary, lang, colours),
            "distributions.png",
            "distributions",
        ),
        Block("heading", word("inside_run", lang, seed=seed)),
        figure(plot_customer_value(market, lang, colours), "customer_value.png", "customer_value"),
        figure(plot_relationships(market, lang, colours), "relationships.png", "relationships"),
        figure(
            plot_perceptual_map(metrics, market, lang, colours),
            "perceptual_map.png",
            "perceptual_map",
        ),
        Block("heading", word("about", lang)),
    ]
    for section in INFO_SECTIONS:
        text = getattr(info, section).strip() or getattr(english, section).strip()
        if text:
            blocks.append(Block("text", f"**{word(section, lang).upper()}**\n\n{text}"))
    blocks += [
        Block("heading", word("manifest", lang)),
        Block("code", json.dumps(manifest, indent=2, ensure_ascii=False)),
    ]
    return blocks


def sweep_blocks(
    out: Path, summary: pd.DataFrame, title: str, lang: Language = "en"
) -> list[Block]:
    """The report of a sweep or comparison folder."""
    plan = json.loads((out / "sweep.json").read_text())
    plan = plan.get("variants", plan)  # crmsim 0.1 wrote the variants alone
    settings = "\n".join(f"- `{label}`: {json.dumps(s)}" for label, s in plan.items())
    seeds = summary["seed"].nunique()
    blocks = [
        Block("heading", title),
        Block(
            "text", word("sweep_line", lang, variants=len(plan), seeds=seeds) + "\n\n" + settings
        ),
        Block(
            "figure",
            save_figure(plot_variants(summary, lang=lang), out / "variants.png"),
            word("cumulative_profit", lang),
        ),
        Block("table", variants_frame(summary, lang)),
    ]
    paired = variant_comparisons(summary, lang=lang)
    if paired:
        blocks.append(Block("text", word("variants_paired", lang) + "\n\n" + paired))
    return blocks


def write_report(out: Path, metrics: pd.DataFrame, summary: pd.DataFrame, lang: str = "en") -> Path:
    """Write report.md, report.html and the PNGs of an experiment folder, in ``lang`` ("en" or
    "zh"); return report.html."""
    language = check_language(lang)
    blocks = experiment_blocks(out, metrics, summary, language)
    render_markdown(blocks, out)
    return render_html(blocks, out, language)


def write_sweep_report(out: Path, summary: pd.DataFrame, title: str, lang: str = "en") -> Path:
    """Write report.md, report.html and variants.png of a sweep folder, in ``lang`` ("en" or
    "zh"); return report.html."""
    language = check_language(lang)
    blocks = sweep_blocks(out, summary, title, language)
    render_markdown(blocks, out)
    return render_html(blocks, out, language)


SUMMARY_COLUMNS = {"scenario", "firm", "seed", "strategy", "cumulative_profit"}


def report_folder(folder: Path, lang: str = "en") -> Path:
    """Rewrite the report of a finished results folder of ``crmsim run``, ``sweep`` or
    ``compare``, in ``lang``, holding its lock; return report.html. A folder that is not one,
    or whose files are missing, damaged or not as crmsim wrote them (checked against the
    checksums of its manifests), gets an InputError that says so and what to run."""
    if not folder.is_dir():
        what = "a file" if folder.exists() else "no such folder"
        raise InputError(
            f"{folder}: {what}; give the output folder of 'crmsim run', 'sweep' or 'compare' "
            "(it holds summary.csv)"
        )
    if not any((folder / name).is_file() for name in ("manifest.json", "sweep.json")):
        raise InputError(
            f"{folder}: not a results folder of 'crmsim run', 'sweep' or 'compare' (it has no "
            "manifest.json or sweep.json); give the folder such a command wrote (its --out)"
        )
    with locked(folder):  # no command writes into it meanwhile
        sweep = (folder / "sweep.json").is_file()
        plan = verified_sweep(folder) if sweep else verified(folder)
        summary = read_table(folder / "summary.csv", pd.read_csv)
        needed = SUMMARY_COLUMNS | ({"variant"} if sweep else set())
        if not needed <= set(summary.columns) or summary.empty:
            raise ResultsError(folder / "summary.csv", f"it lacks rows or columns {sorted(needed)}")
        if sweep:
            title = plan.get("title") or f"{summary['scenario'].iloc[0]}: {word('variant', lang)}"
            return write_sweep_report(folder, summary, title, lang)
        metrics = read_table(folder / "metrics.parquet", pd.read_parquet)
        return write_report(folder, metrics, summary, lang)


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
