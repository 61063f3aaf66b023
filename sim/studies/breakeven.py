"""``crmsim breakeven``: the value of one scenario key at which the preferred strategy flips.

At each value v of the key, the policy and each rival strategy (for the same firm) run over
the study's seeds. The policy's advantage is ``d(v) = mean_y(policy, v) − max_s mean_y(s, v)``
(s over the rivals); the break-even point is where d changes sign, by linear interpolation
between the two grid values around it (the first such change). Its 95% interval comes from
resampling the seeds with replacement (the same resampled seeds for every value and strategy,
as the runs share them) and finding the flip again in each resample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments import Variant
from sim.experiments.sweep import slug
from sim.reporting.render import Block
from sim.scenarios import ScenarioError, load
from sim.studies.figures import breakeven_curve
from sim.studies.files import StudyError
from sim.studies.report import figure, write_report
from sim.studies.runner import StudyRun
from sim.studies.stress import POLICY


def first_flip(values: np.ndarray, advantage: np.ndarray) -> float:
    """Where ``advantage`` (over increasing ``values``) first changes sign, interpolated
    linearly; NaN if it never does."""
    sign = np.sign(advantage)
    for i in range(len(values) - 1):
        if sign[i] == 0:
            return float(values[i])
        if sign[i] != sign[i + 1]:
            a, b = advantage[i], advantage[i + 1]
            return float(values[i] + (values[i + 1] - values[i]) * a / (a - b))
    return float(values[-1]) if sign[-1] == 0 else float("nan")


def advantage(cube: np.ndarray) -> np.ndarray:
    """The policy's advantage per value from means over seeds: ``cube`` is (values,
    strategies, seeds), the policy first."""
    means = cube.mean(axis=2)
    return means[:, 0] - means[:, 1:].max(axis=1)


def flip_interval(runs: pd.DataFrame, outcome: str, resamples: int, seed: int) -> pd.Series:
    """The break-even point of ``runs`` (columns value, plays, seed and the outcome; ``plays``
    is "policy" or a rival) with its 95% bootstrap interval over seeds, the share of resamples
    in which it flips at all, and which strategy is preferred below and above it."""
    cube_frame = runs.pivot_table(index=["value", "plays"], columns="seed", values=outcome)
    values = np.sort(runs["value"].unique())
    plays = [POLICY] + [p for p in dict.fromkeys(runs["plays"]) if p != POLICY]
    cube = np.stack([cube_frame.loc[v].loc[plays].to_numpy() for v in values])
    flip = first_flip(values, advantage(cube))
    rng = np.random.default_rng(seed)
    n = cube.shape[2]
    flips = np.array(
        [first_flip(values, advantage(cube[:, :, rng.integers(0, n, n)])) for _ in range(resamples)]
    )
    found = flips[np.isfinite(flips)]
    low, high = np.percentile(found, [2.5, 97.5]) if len(found) else (np.nan, np.nan)
    means = cube.mean(axis=2)
    return pd.Series(
        {
            "flip": flip,
            "low": float(low),
            "high": float(high),
            "flips_in_share_of_resamples": len(found) / resamples,
            "preferred_at_lowest": plays[int(np.argmax(means[0]))],
            "preferred_at_highest": plays[int(np.argmax(means[-1]))],
        }
    )


def verdict(flip: pd.Series, parameter: str, grid: Sequence[float]) -> str:
    """The break-even in words: where the preferred strategy changes, or that it does not
    within the grid (a NaN flip), with how often the resamples of the seeds flip."""
    share = f"{flip['flips_in_share_of_resamples']:.0%} of the resamples of the seeds"
    if math.isnan(flip["flip"]):
        return (
            f"**No flip between {parameter} = {grid[0]:g} and {grid[-1]:g}**: "
            f"{flip['preferred_at_lowest']} is preferred at both ends and the advantage never "
            f"changes sign; {share} flip somewhere in the range (low and high are their 2.5th "
            "and 97.5th percentiles). Extend the values to look further."
        )
    return (
        f"**{flip['preferred_at_lowest']} is preferred below {parameter} = {flip['flip']:.4g}, "
        f"{flip['preferred_at_highest']} above it** (95% interval {flip['low']:.4g} to "
        f"{flip['high']:.4g}; {share} flip within the range)."
    )


def run_breakeven(run: StudyRun) -> tuple[Path, pd.DataFrame]:
    """Run the policy and its rivals along the parameter; write curve.csv, breakeven.csv,
    breakeven.png and the report; return (report.html, the break-even table)."""
    loaded, study = run.loaded, run.loaded.study
    settings = study.breakeven
    parameter = run.extra.get("parameter") or (settings.parameter if settings else None)
    if settings is None or parameter is None:
        raise StudyError(
            f"{loaded.path}: breakeven needs a [breakeven] section with values = [...] or "
            "range = {low, high, levels}, and a parameter (parameter = KEY, or --parameter KEY)"
        )
    grid = settings.grid()
    try:
        for value in (grid[0], grid[-1]):
            load(loaded.scenario, study.set, {parameter: value})
    except ScenarioError as exc:
        raise StudyError(f"--parameter / breakeven.parameter {parameter}: {exc}") from None
    rivals = settings.against if settings.against is not None else loaded.benchmarks()
    strategies = {POLICY: loaded.policy_setting()}
    strategies |= {slug(s): loaded.strategy_setting(s) for s in rivals}
    variants, plan = [], []
    for k, value in enumerate(grid):
        for plays, setting in strategies.items():
            variants.append(Variant(f"v{k:03d}-{plays}", setting | {parameter: value}))
            plan.append({"variant": variants[-1].label, "value": value, "plays": plays})
    runs = pd.DataFrame(plan).merge(run.run("grid", variants, study.seed_list()), on="variant")
    run.write_table("runs.csv", runs)
    curve = runs.groupby(["value", "plays"], sort=False)[study.outcome].agg(["mean", "std"])
    curve = curve.reset_index().assign(outcome=study.outcome)
    run.write_table("curve.csv", curve)
    flip = flip_interval(runs, study.outcome, settings.bootstrap, study.first_seed)
    table = flip.to_frame().T.assign(parameter=parameter, outcome=study.outcome)
    run.write_table("breakeven.csv", table)
    text = (
        f"{parameter} at {len(grid)} values × {len(strategies)} strategies × {study.seeds} "
        f"seeds. The policy's advantage is its mean {study.outcome} minus the best rival's; "
        "the break-even point is where it changes sign (linear interpolation), with a 95% "
        f"interval from {settings.bootstrap} resamples of the seeds."
    )
    blocks = [
        Block("text", text),
        Block("text", verdict(flip, parameter, grid)),
        Block("table", table.set_index("parameter")),
        figure(run, breakeven_curve(curve, parameter, flip), "breakeven.png", "Break-even"),
        Block("table", curve.set_index(["value", "plays"])),
    ]
    return write_report(run, f"break-even of {parameter}", blocks), table
