"""Reading many runs: statistics across seeds (:mod:`~sim.analysis.statistics`) and the
diffusion curves the model is validated against (:mod:`~sim.analysis.diffusion`)."""

from sim.analysis.statistics import (
    bands,
    by_period,
    compare,
    compare_variants,
    mean_interval,
    outcome_table,
)

__all__ = ["bands", "by_period", "compare", "compare_variants", "mean_interval", "outcome_table"]
