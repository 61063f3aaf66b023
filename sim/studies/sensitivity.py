"""``crmsim sensitivity``: which uncertainties decide the first outcome, by Morris screening
(elementary effects: μ*, σ) and Sobol indices (first order S1, total ST), both from SALib with
bootstrap 95% confidence intervals. Each sample point is run over the study's seeds; the model
output is the mean outcome over them (the same seeds at every point)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim.reporting.render import Block
from sim.studies.figures import index_bars
from sim.studies.files import StudyError
from sim.studies.report import figure, write_report
from sim.studies.runner import StudyRun
from sim.studies.spec import Sensitivity, Uncertainty

Method = Literal["morris", "sobol"]
COLUMNS = {  # SALib's result keys per method: (index, CI half-width), ranking key first
    "morris": [("mu_star", "mu_star_conf"), ("sigma", None)],
    "sobol": [("ST", "ST_conf"), ("S1", "S1_conf")],
}


def problem(uncertainties: list[Uncertainty]) -> dict[str, Any]:
    """SALib's problem: the uncertainties' keys and ranges."""
    return {
        "num_vars": len(uncertainties),
        "names": [u.key for u in uncertainties],
        "bounds": [[float(u.low), float(u.high)] for u in uncertainties],
    }


def sample(method: Method, space: dict[str, Any], settings: Sensitivity, seed: int) -> np.ndarray:
    """The sample points (rows) of ``method``: Morris trajectories or Sobol's (Saltelli) design
    without second-order terms, N × (D + 2) rows."""
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(
            space, settings.trajectories, num_levels=settings.morris_levels, seed=seed
        )
    from SALib.sample import sobol

    return sobol.sample(space, settings.samples, calc_second_order=False, seed=seed)


def analyse(
    method: Method,
    space: dict[str, Any],
    x: np.ndarray,
    y: np.ndarray,
    settings: Sensitivity,
    seed: int,
) -> pd.DataFrame:
    """One row per uncertainty with the method's indices and their 95% CI half-widths, ranked
    (Morris by μ*, Sobol by ST), most influential first."""
    if method == "morris":
        from SALib.analyze import morris

        found = morris.analyze(
            space,
            x,
            y,
            num_resamples=settings.resamples,
            conf_level=0.95,
            num_levels=settings.morris_levels,
            seed=seed,
        )
    else:
        from SALib.analyze import sobol

        found = sobol.analyze(
            space,
            y,
            calc_second_order=False,
            num_resamples=settings.resamples,
            conf_level=0.95,
            seed=seed,
        )
    table = pd.DataFrame({"uncertainty": space["names"]})
    for value, conf in COLUMNS[method]:
        table[value] = np.asarray(found[value], dtype=float)
        if conf:
            table[conf] = np.asarray(found[conf], dtype=float)
    return table.sort_values(COLUMNS[method][0][0], ascending=False, ignore_index=True)


def run_sensitivity(run: StudyRun) -> tuple[Path, pd.DataFrame]:
    """Sample, run and analyse each of the study's methods; write <method>.csv,
    <method>_points.csv, <method>.png and the report; return (report.html, the last table)."""
    study = run.loaded.study
    if not study.uncertainties:
        raise StudyError(f"{run.loaded.path}: sensitivity needs [[uncertainties]] with ranges")
    space = problem(study.uncertainties)
    blocks: list[Block] = []
    table = pd.DataFrame()
    for method in study.sensitivity.methods:
        x = sample(method, space, study.sensitivity, study.first_seed)
        points = run.evaluate(method, pd.DataFrame(x, columns=space["names"]))
        run.write_table(f"{method}_points.csv", points)
        y = points[study.outcome].to_numpy()
        table = analyse(method, space, x, y, study.sensitivity, study.first_seed)
        run.write_table(f"{method}.csv", table)
        bars = [(v, c) for v, c in COLUMNS[method] if c]
        title = f"{method.capitalize()}: {study.outcome} ({len(x)} points × {study.seeds} seeds)"
        blocks += [
            Block("heading", title),
            figure(run, index_bars(table, bars, title), f"{method}.png", title),
            Block("table", table.set_index("uncertainty")),
        ]
    text = (
        "Morris μ* is the mean absolute elementary effect of moving one uncertainty by a grid "
        "step (in outcome units; σ large means interactions or non-linearity). Sobol S1 is the "
        "share of the outcome's variance due to one uncertainty alone, ST including all its "
        "interactions. Intervals are 95% bootstrap intervals (docs/studies.md)."
    )
    return write_report(run, "sensitivity", [Block("text", text), *blocks]), table
