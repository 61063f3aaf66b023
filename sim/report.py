"""Reports of experiments and sweeps: figures readable at a glance, tables with intervals.

A report is a list of blocks (heading, text, figure, table, code) rendered twice: to
``report.md`` with PNGs beside it, and to a single self-contained ``report.html`` with the
figures embedded. The ``plot_*`` functions return matplotlib Figures (shown inline in a notebook,
written with :func:`save_figure`); :func:`draw_bands` draws one metric on an axes of your own.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis import bands, by_period, compare, mean_interval, outcome_table
from sim.config import INFO_SECTIONS
from sim.customers import Stage
from sim.model import Market
from sim.scenario import validate

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


@dataclass(frozen=True)
class Block:
    """One piece of a report: kind is heading, text, figure, table or code."""

    kind: str
    content: object
    caption: str = ""


# --- figures ------------------------------------------------------------------------------


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
    """Lorenz/Pareto curve of customer value (cumulative margin) per firm in one run."""
    fig = Figure(figsize=(5.2, 4.4), layout="tight")
    ax = fig.subplots()
    margins = market.relations.cumulative_margin
    for firm in market.firms:
        value = np.sort(margins[:, firm.index][margins[:, firm.index] > 0])[::-1]
        if value.size == 0:
            continue
        customers = np.arange(1, value.size + 1) / value.size
        ax.plot(customers, np.cumsum(value) / value.sum(), label=firm.name, color=f"C{firm.index}")
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="equal value")
    ax.axvline(0.2, color="grey", linewidth=0.8)
    ax.set_xlabel("share of customers (most valuable first)")
    ax.set_ylabel("share of cumulative margin")
    ax.set_title("Who brings the profit (80/20)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def plot_relationships(market: Market) -> Figure:
    """Satisfaction of each firm's active customers, and every customer's lifecycle stage."""
    r = market.relations
    active = r.active(market.period, market.config.experience.lapse_periods)
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
    nonmoney = {f.name: float(f.nonmoney_costs.sum()) for f in market.firms}
    parts = ["product", "service", "personnel", "image"]
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


# --- tables and text -----------------------------------------------------------------------


def format_interval(value: tuple[float, float, float]) -> str:
    """'mean [low, high]' with sensible precision."""
    mean, low, high = value
    digits = 0 if abs(mean) >= 100 else 3
    return f"{mean:,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def outcomes_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """Per firm: strategy and each outcome as 'mean [low, high]' across runs."""
    table = outcome_table(summary, OUTCOMES)
    shown = table[["strategy"]].copy()
    for label in OUTCOMES.values():
        shown[label] = table[label].map(format_interval)
    return shown.rename_axis("firm")


def comparison_line(result: dict[str, float]) -> str:
    """A :func:`~sim.analysis.compare` result in words: 'difference [low, high] over N runs:
    distinguishable from noise' (or not)."""
    digits = 0 if abs(result["difference"]) >= 100 else 3
    mean, low, high = (f"{result[k]:,.{digits}f}" for k in ("difference", "low", "high"))
    verdict = "distinguishable" if result["distinguishable"] else "NOT distinguishable"
    return f"{mean} [{low}, {high}] over {result['runs']} runs: {verdict} from noise"


def comparisons_text(summary: pd.DataFrame, metric: str = "cumulative_profit") -> str:
    """Every pair of firms compared on ``metric`` within the same runs, in plain words."""
    lines = []
    for a, b in itertools.combinations(summary["firm"].unique(), 2):
        c = compare(summary, metric, a, b)
        leader = f"; {a if c['difference'] > 0 else b} is ahead" if c["distinguishable"] else ""
        lines.append(
            f"- {a} − {b}: {comparison_line(c)}{leader} (effect size d = "
            f"{c['effect_size']:.2f}, p = {c['p_value']:.2g})."
        )
    return "\n".join(lines)


def lead_changes(metrics: pd.DataFrame, metric: str = "cumulative_profit") -> str:
    """Which firm leads in mean ``metric`` from which period on."""
    leader = by_period(metrics, metric).idxmax(axis=1)
    changes = leader[leader != leader.shift()]
    return ", ".join(f"{firm} from period {period}" for period, firm in changes.items()) + "."


def variants_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """Per variant and firm: cumulative profit, retention and share as 'mean [low, high]'."""
    columns = {
        k: OUTCOMES[k] for k in ("cumulative_profit", "mean_retention_rate", "mean_market_share")
    }
    rows = []
    for (variant, firm), group in summary.groupby(["variant", "firm"], sort=False):
        row = {"variant": variant, "firm": firm, "strategy": group["strategy"].iloc[0]}
        row |= {label: format_interval(mean_interval(group[c])) for c, label in columns.items()}
        rows.append(row)
    return pd.DataFrame(rows).set_index(["variant", "firm"])


# --- assembling and rendering ---------------------------------------------------------------


def representative_run(manifest: dict) -> Market:
    """The experiment's first seed, re-run (bit for bit the same) for customer-level pictures."""
    scenario = validate(manifest["scenario_document"], "manifest.json")
    return Market(scenario, rng=manifest["seeds"][0], record_transactions=False).run(
        manifest["periods"]
    )


def experiment_blocks(out: Path, metrics: pd.DataFrame, summary: pd.DataFrame) -> list[Block]:
    """The report of one experiment folder."""
    manifest = json.loads((out / "manifest.json").read_text())
    market = representative_run(manifest)
    info = market.config.info
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
            "Lorenz curve of customer value",
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


def render_markdown(blocks: list[Block], out: Path) -> Path:
    """report.md, with figures as relative links."""
    parts = []
    for b in blocks:
        match b.kind:
            case "heading":
                parts.append(("# " if not parts else "## ") + str(b.content))
            case "text":
                parts.append(str(b.content))
            case "figure":
                parts.append(f"![{b.caption}]({Path(b.content).name})")
            case "table":
                parts.append(b.content.to_markdown())
            case "code":
                parts.append(f"```\n{b.content}\n```")
    path = out / "report.md"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


def _inline_markdown(text: str) -> str:
    """Escape text and render the little Markdown the report uses: **bold**, `code`, lists."""
    out = []
    for paragraph in text.split("\n\n"):
        escaped = html.escape(paragraph)
        for marker, tag in (("**", "strong"), ("`", "code")):
            pieces = escaped.split(marker)
            escaped = "".join(f"<{tag}>{p}</{tag}>" if i % 2 else p for i, p in enumerate(pieces))
        lines = escaped.splitlines()
        if lines and all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return "\n".join(out)


def render_html(blocks: list[Block], out: Path) -> Path:
    """report.html: one self-contained file, figures embedded."""
    body = []
    for b in blocks:
        match b.kind:
            case "heading":
                level = 1 if not body else 2
                body.append(f"<h{level}>{html.escape(str(b.content))}</h{level}>")
            case "text":
                body.append(_inline_markdown(str(b.content)))
            case "figure":
                data = base64.b64encode(Path(b.content).read_bytes()).decode()
                body.append(
                    f'<figure><img alt="{html.escape(b.caption)}" '
                    f'src="data:image/png;base64,{data}"><figcaption>'
                    f"{html.escape(b.caption)}</figcaption></figure>"
                )
            case "table":
                body.append(b.content.to_html(classes="outcomes", border=0))
            case "code":
                body.append(f"<pre>{html.escape(str(b.content))}</pre>")
    title = html.escape(str(blocks[0].content))
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
        "line-height:1.45}img{max-width:100%}table{border-collapse:collapse;font-size:90%}"
        "td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}"
        "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:80%}"
        "figcaption{color:#555;font-size:90%}"
    )
    page = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>"
    )
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


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
