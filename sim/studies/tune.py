"""``crmsim tune``: Optuna (TPE, seeded) over the policy's levers for a risk measure of the first
outcome over the study's seeds: the mean, or a low percentile (5th: "what a bad year looks
like"). Trials run ``batch`` at a time on the executor; the best setting and the policy's own
setting are then re-run on fresh (held-out) seeds, so the reported gain is not the luck of the
seeds it was chosen on.

Resuming: the sampler is seeded, so the same study asks the same trials in the same order;
trials whose runs are on disk are read back, not run again.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import Variant
from sim.reporting.render import Block
from sim.strategies import resolve_params
from sim.studies.figures import tuning_history
from sim.studies.files import StudyError
from sim.studies.report import figure, write_report
from sim.studies.runner import StudyRun
from sim.studies.spec import Lever, Tune


def risk(values: np.ndarray | pd.Series, tune: Tune) -> float:
    """The risk measure of a setting's outcomes over seeds: their mean or their
    ``tune.percentile``-th percentile (linear interpolation)."""
    if tune.measure == "mean":
        return float(np.mean(values))
    return float(np.percentile(values, tune.percentile))


def measure_name(tune: Tune) -> str:
    """How tables name the risk measure, e.g. ``p5`` or ``mean``."""
    return "mean" if tune.measure == "mean" else f"p{tune.percentile:g}"


def suggest(trial: Any, lever: Lever) -> float | int:
    """The trial's value of one lever (whole numbers for a whole-number range)."""
    if lever.integer:
        return trial.suggest_int(lever.param, int(lever.low), int(lever.high))
    return trial.suggest_float(lever.param, float(lever.low), float(lever.high))


def run_tune(run: StudyRun) -> tuple[Path, pd.DataFrame]:
    """Tune, then check on held-out seeds; write trials.csv, holdout.csv, tuning.png and the
    report; return (report.html, the hold-out table)."""
    import optuna

    study, tune = run.loaded.study, run.loaded.study.tune
    if not study.levers:
        raise StudyError(f"{run.loaded.path}: tune needs [[levers]] (policy parameters)")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    search = optuna.create_study(
        direction="maximize", sampler=optuna.samplers.TPESampler(seed=study.first_seed)
    )
    name, rows = measure_name(tune), []
    for batch in range(math.ceil(tune.trials / tune.batch)):
        size = min(tune.batch, tune.trials - batch * tune.batch)
        trials = [search.ask() for _ in range(size)]
        levers = [{lever.param: suggest(t, lever) for lever in study.levers} for t in trials]
        variants = [
            Variant(f"trial{t.number:04d}", run.loaded.policy_setting(values))
            for t, values in zip(trials, levers, strict=True)
        ]
        runs = run.run(f"trials/batch{batch:03d}", variants, study.seed_list())
        for trial, values, variant in zip(trials, levers, variants, strict=True):
            outcomes = runs.loc[runs["variant"] == variant.label, study.outcome]
            search.tell(trial, risk(outcomes, tune))
            rows.append({"trial": trial.number, **values, "value": risk(outcomes, tune)})
    trials_table = pd.DataFrame(rows)
    run.write_table("trials.csv", trials_table)
    best = search.best_trial.params
    held_out = study.seed_list(tune.holdout_seeds, after=study.seeds)
    check = run.run(
        "holdout",
        [
            Variant("tuned", run.loaded.policy_setting(best)),
            Variant("policy", run.loaded.policy_setting()),
        ],
        held_out,
    )
    holdout = (
        check.groupby("variant", sort=False)[study.outcome]
        .agg(**{name: lambda y: risk(y, tune), "mean": "mean", "worst": "min"})
        .reset_index()
    )
    holdout.insert(1, "tuning_value", [search.best_value, np.nan])
    own = resolve_params(run.loaded.policy, study.policy.params)
    for param in best:
        holdout[param] = [best[param], getattr(own, param)]
    run.write_table("holdout.csv", holdout)
    text = (
        f"{len(rows)} trials (TPE, seed {study.first_seed}), each over {study.seeds} seeds; risk "
        f"measure: {name} of {study.outcome}. The best setting and the policy's own were re-run "
        f"on {len(held_out)} fresh seeds ({held_out[0]}–{held_out[-1]}): `tuning_value` is the "
        "best trial's measure on the tuning seeds, the other columns are on the fresh ones."
    )
    blocks = [
        Block("text", text),
        Block("table", holdout.set_index("variant")),
        figure(run, tuning_history(trials_table, name), "tuning.png", f"{name} per trial"),
        Block("heading", "Trials"),
        Block("table", trials_table.set_index("trial")),
    ]
    return write_report(run, "tuning", blocks), holdout
