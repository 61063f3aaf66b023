"""Report figures read at a glance in both languages: every axes is labelled, money is in $,
$k or $M with no "1e6" offset, legends sit outside the data, each firm keeps one colour in every
figure, and Chinese figures draw every glyph (matplotlib warns "Glyph … missing from font"
otherwise; here that warning is an error)."""

from __future__ import annotations

import io
import warnings

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure

from sim.experiments.runs import replicate
from sim.model import Market
from sim.reporting import (
    plot_customer_value,
    plot_outcome_distributions,
    plot_over_time,
    plot_perceptual_map,
    plot_relationships,
    plot_strategy_comparison,
    plot_variants,
)
from sim.reporting.style import Money, firm_colours
from sim.scenarios import load

SETTINGS = ["customers.count=300", "periods=8"]


@pytest.fixture(scope="module")
def runs():
    """Three seeded runs of a small flagship market, and the first one's market."""
    spec = load("flagship", SETTINGS).spec
    metrics, summary = replicate(spec, [0, 1, 2])
    market = Market(spec, rng=0, record_transactions=False).run()
    return spec, metrics, summary, market


def report_figures(runs, lang: str) -> dict[str, Figure]:
    """The figures of an experiment's report, drawn as the report draws them, except that the
    summary lists the firms in reverse order (the colours must follow the firm, not the row)."""
    spec, metrics, summary, market = runs
    colours = firm_colours([f.name for f in spec.firms])
    reversed_summary = summary.iloc[::-1]
    variants = summary.assign(variant="a")
    return {
        "over_time": plot_over_time(metrics, lang=lang, colours=colours),
        "comparison": plot_strategy_comparison(reversed_summary, lang, colours),
        "distributions": plot_outcome_distributions(reversed_summary, lang, colours),
        "customer_value": plot_customer_value(market, lang, colours),
        "relationships": plot_relationships(market, lang, colours),
        "perceptual_map": plot_perceptual_map(metrics, market, lang, colours),
        "variants": plot_variants(variants, lang=lang, colours=colours),
    }


def drawn(fig: Figure) -> Figure:
    """``fig`` rendered to PNG (as save_figure does), with every warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(fig)
        fig.savefig(io.BytesIO(), format="png", dpi=60)
    return fig


@pytest.fixture(scope="module")
def figures(runs) -> dict[str, dict[str, Figure]]:
    """language → the report's figures, drawn (a missing glyph fails here)."""
    return {
        lang: {name: drawn(fig) for name, fig in report_figures(runs, lang).items()}
        for lang in ("en", "zh")
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_are_labelled_without_offsets_or_missing_glyphs(figures, lang):
    chinese = 0
    for name, fig in figures[lang].items():
        texts = [fig._suptitle.get_text() if fig._suptitle else ""]
        for ax in fig.axes:
            assert ax.get_xlabel() and ax.get_ylabel(), f"{name}: an axes without a label"
            texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
            for axis in (ax.xaxis, ax.yaxis):
                assert axis.get_offset_text().get_text() == "", f"{name}: offset text"
                labels = [t.get_text() for t in axis.get_ticklabels()]
                assert not any("e+" in t or "1e" in t for t in labels), (name, labels)
        chinese += any(any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts)
    assert chinese == (len(figures[lang]) if lang == "zh" else 0)


def test_profit_axes_are_in_dollars_with_a_unit(figures):
    profit = figures["en"]["comparison"].axes[0]
    assert isinstance(profit.yaxis.get_major_formatter(), Money)
    labels = [t.get_text() for t in profit.get_yticklabels()]
    assert all(t.lstrip("−").startswith("$") for t in labels)
    assert any(t.endswith(("k", "M")) for t in labels)  # profits of $10,000s: in $k


def test_money_ticks_pick_one_unit_and_enough_digits():
    money = Money()
    assert money.format_ticks([0, 500_000, 1e6, 1.5e6]) == ["$0", "$0.5M", "$1.0M", "$1.5M"]
    assert money.format_ticks([-20_000, -10_000, 0, 10_000]) == ["−$20k", "−$10k", "$0", "$10k"]
    assert money.format_ticks([87.5, 90, 92.5]) == ["$87.5", "$90.0", "$92.5"]
    assert money.format_ticks([0, 250_000, 500_000]) == ["$0", "$250k", "$500k"]


def test_legends_do_not_cover_the_data(figures):
    checked = 0
    for name, fig in figures["zh"].items():
        renderer = fig.canvas.get_renderer()
        legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
        for legend in legends:
            checked += 1
            box = legend.get_window_extent(renderer)
            for ax in fig.axes:
                assert not box.overlaps(ax.get_window_extent(renderer)), f"{name}: legend on data"
    assert checked >= 6  # every figure but the two with the firms on their x axis


def colours_of_firms(fig: Figure, firms: list[str]) -> dict[str, set[str]]:
    """Every colour a figure draws each firm in: lines, dots, error bars and histograms labelled
    with the firm (alone or as "firm (strategy)"), and bars under a tick labelled with it."""
    found: dict[str, set[str]] = {f: set() for f in firms}
    for ax in fig.axes:
        artists = [(a.get_label(), a.get_color()) for a in ax.get_lines()]
        artists += [
            (c.get_label(), c.get_facecolor()[0]) for c in ax.collections if c.get_label() in found
        ]
        artists += [(p.get_label(), p.get_edgecolor()) for p in ax.patches if p.get_label()]
        artists += [
            (c.get_label(), c.lines[0].get_color())
            for c in ax.containers
            if isinstance(c, ErrorbarContainer) and c.lines[0] is not None
        ]
        ticks = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]
        if set(ticks) <= set(firms) and len(ax.patches) == len(ticks):  # one bar per firm
            artists += [(t, p.get_facecolor()) for t, p in zip(ticks, ax.patches, strict=True)]
        for label, colour in artists:
            firm = label.split(" (")[0]
            if firm in found:
                found[firm].add(to_hex(colour, keep_alpha=False))
    return found


def test_each_firm_has_one_colour_in_every_figure(runs, figures):
    firms = [f.name for f in runs[0].firms]
    seen: dict[str, set[str]] = {f: set() for f in firms}
    for name, fig in figures["en"].items():
        for firm, colours in colours_of_firms(fig, firms).items():
            assert colours, f"{name}: {firm} not drawn"
            seen[firm] |= colours
    assert all(len(c) == 1 for c in seen.values()), seen
    assert len({c.pop() for c in seen.values()}) == len(firms)  # and firms differ
