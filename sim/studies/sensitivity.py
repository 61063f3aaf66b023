"""``crmsim sensitivity``: which uncertainties decide the first outcome, by Morris screening
(elementary effects: μ*, σ) and Sobol indices (first order S1, total ST), both from SALib with
bootstrap 95% confidence intervals. Each sample point is run over the study's seeds; the model
output is the mean outcome over them (the same seeds at every point).

Distributions: SALib samples ranges, uniform, triangular and truncated normal uncertainties
itself (its problem's ``dists``); a choice or a truncated lognormal, which SALib lacks, is
sampled as a probability (uniform on [0, 1]) and turned into a value by the uncertainty's
quantile function. Either way the indices are unchanged (Morris reads only which input moved
and which way; Sobol only the outputs)."""

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


def salib_distribution(u: Uncertainty) -> tuple[str, list[float]] | None:
    """SALib's name and ``bounds`` entry of the uncertainty's distribution; None if SALib has
    none like it (a choice, a truncated lognormal, a triangle peaking at its high end)."""
    low, high = (float(b) for b in u.bounds)
    if u.distribution in (None, "uniform"):
        return "unif", [low, high]
    if u.distribution == "normal":
        return "truncnorm", [low, high, float(u.mean), float(u.sd)]
    if u.distribution == "triangular" and u.mode < high:  # SALib's peak is in [0, 1)
        return "triang", [low, high, (u.mode - low) / (high - low)]
    return None


def problem(uncertainties: list[Uncertainty]) -> dict[str, Any]:
    """SALib's problem: the uncertainties' keys, ``bounds`` and ``dists`` (unif over [0, 1]:
    a probability, for those SALib cannot sample; :func:`values` turns it into a value)."""
    found = [salib_distribution(u) or ("unif", [0.0, 1.0]) for u in uncertainties]
    return {
        "num_vars": len(uncertainties),
        "names": [u.key for u in uncertainties],
        "bounds": [bounds for _, bounds in found],
        "dists": [dist for dist, _ in found],
    }


def values(uncertainties: list[Uncertainty], x: np.ndarray) -> pd.DataFrame:
    """SALib's sample points ``x`` as the uncertainties' values, one column per key."""
    return pd.DataFrame(
        {
            u.key: x[:, i] if salib_distribution(u) else u.ppf(x[:, i])
            for i, u in enumerate(uncertainties)
        }
    )


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


def inert_note(table: pd.DataFrame, method: str, outcome: str, periods: int) -> list[Block]:
    """A warning for the uncertainties whose index is exactly 0: moving them changed ``outcome``
    in no run at all, which is more often a setting that cannot act within the periods run than
    a finding ([] when there are none)."""
    inert = table.loc[table[COLUMNS[method][0][0]] == 0, "uncertainty"].tolist()
    if not inert:
        return []
    names = ", ".join(f"`{name}`" for name in inert)
    return [
        Block(
            "text",
            f"**{names} changed {outcome} in no run at all** (every run gave the same value "
            f"whatever its value). Check that it can act within the {periods} periods run: "
            "homogenisation, an event or an entrant that begins later does nothing.",
        )
    ]


def run_sensitivity(run: StudyRun) -> tuple[Path, pd.DataFrame]:
    """Sample, run and analyse each of the study's methods; write <method>.csv,
    <method>_points.csv, <method>.png and the report; return (report.html, the last table)."""
    study = run.loaded.study
    if not study.uncertainties:
        raise StudyError(
            f"{run.loaded.path}: sensitivity needs [[uncertainties]] (ranges or distributions)"
        )
    space = problem(study.uncertainties)
    blocks: list[Block] = []
    table = pd.DataFrame()
    for method in study.sensitivity.methods:
        x = sample(method, space, study.sensitivity, study.first_seed)
        points = run.evaluate(method, values(study.uncertainties, x))
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
            *inert_note(
                table, method, study.outcome, study.periods or run.loaded.base.spec.periods
            ),
        ]
    text = (
        "Morris μ* is the mean absolute elementary effect of moving one uncertainty by a grid "
        "step (in outcome units; σ large means interactions or non-linearity). Sobol S1 is the "
        "share of the outcome's variance due to one uncertainty alone, ST including all its "
        "interactions. Intervals are 95% bootstrap intervals (docs/stress-testing.md)."
    )
    return write_report(run, "sensitivity", [Block("text", text), *blocks]), table
