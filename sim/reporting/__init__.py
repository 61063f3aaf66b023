"""Reports: figures (:mod:`~sim.reporting.figures`, drawn as :mod:`~sim.reporting.style` says),
tables and sentences (:mod:`~sim.reporting.tables`), and the report of a results folder
(:mod:`~sim.reporting.report`, rendered by :mod:`~sim.reporting.render`); in English or Chinese
(``lang``, words in :mod:`~sim.reporting.words`)."""

from sim.reporting.figures import (
    draw_bands,
    plot_customer_value,
    plot_loyalty,
    plot_outcome_distributions,
    plot_over_time,
    plot_perceptual_map,
    plot_relationships,
    plot_strategy_comparison,
    plot_variants,
    save_figure,
)
from sim.reporting.report import write_report, write_sweep_report
from sim.reporting.style import firm_colours
from sim.reporting.tables import comparison_line, format_interval, outcomes_frame, variants_frame

__all__ = [
    "comparison_line",
    "draw_bands",
    "firm_colours",
    "format_interval",
    "outcomes_frame",
    "plot_customer_value",
    "plot_loyalty",
    "plot_outcome_distributions",
    "plot_over_time",
    "plot_perceptual_map",
    "plot_relationships",
    "plot_strategy_comparison",
    "plot_variants",
    "save_figure",
    "variants_frame",
    "write_report",
    "write_sweep_report",
]
