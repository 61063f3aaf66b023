"""``crmsim stress``: the policy and every benchmark strategy in each cell of the battery
(uncertainty grid × rivals' strategies × shocks), over the study's seeds; outcome
distributions and regret (docs/stress-testing.md).

Regret of strategy s in cell c, for outcome y (higher is better), on the mean over seeds:
``regret(s, c) = max_{s'} mean_y(s', c) − mean_y(s, c)`` (s' over the policy and the
benchmarks), so regret ≥ 0, and 0 for the best strategy of the cell.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import Variant
from sim.experiments.sweep import slug
from sim.reporting.render import Block
from sim.studies.figures import regret_heatmap
from sim.studies.files import LoadedStudy
from sim.studies.report import figure, write_report
from sim.studies.runner import StudyRun

POLICY = "policy"  # how tables name the strategy under test


@dataclass(frozen=True)
class Cell:
    """One market condition: a label, what the tables show, and the scenario settings."""

    label: str
    shown: dict[str, Any]
    settings: dict[str, Any]


def cells(loaded: LoadedStudy) -> list[Cell]:
    """Every combination of the uncertainties' grids, the rivals' strategies and the shocks
    (none, or one shock at one of its periods)."""
    study = loaded.study
    axes: list[list[tuple[dict, dict]]] = []
    for u in study.uncertainties:
        axes.append([({u.key: v}, {u.key: v}) for v in u.grid()])
    for rival in study.rivals:
        j = [f.name for f in loaded.base.spec.firms].index(rival.firm)
        axes.append(
            [
                ({f"rival {rival.firm}": s}, {f"firms[{j}].strategy": {"name": s}})
                for s in rival.strategies
            ]
        )
    if study.shocks:
        shocks = [({"shock": "none"}, {})]
        for i, shock in enumerate(study.shocks):
            shocks += [
                ({"shock": f"{shock.label}@{p}"}, loaded.event_setting(i, p)) for p in shock.periods
            ]
        axes.append(shocks)
    found = []
    for k, combo in enumerate(itertools.product(*axes)):
        shown = {key: v for part, _ in combo for key, v in part.items()}
        settings = {key: v for _, part in combo for key, v in part.items()}
        found.append(Cell(f"c{k:03d}", shown, settings))
    return found


def strategies(loaded: LoadedStudy) -> dict[str, dict]:
    """Label → setting of the policy and each benchmark strategy, policy first."""
    found = {POLICY: loaded.policy_setting()}
    for name in loaded.benchmarks():
        found[slug(name)] = loaded.strategy_setting(name)
    return found


def variants(loaded: LoadedStudy) -> tuple[list[Variant], pd.DataFrame]:
    """The battery's variants (cell × strategy) and a table of them (variant, cell, strategy
    label, and the cell's conditions)."""
    rows, found = [], []
    for cell in cells(loaded):
        for label, setting in strategies(loaded).items():
            name = f"{cell.label}-{label}"
            found.append(Variant(name, setting | cell.settings))  # cells may set its keys
            rows.append({"variant": name, "cell": cell.label, "plays": label} | cell.shown)
    return found, pd.DataFrame(rows)


def regret_table(runs: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per cell and strategy (``plays``): mean, 5th percentile and worst of ``outcome`` over
    seeds, and regret (best mean in the cell − this mean)."""
    grouped = runs.groupby(["cell", "plays"], sort=False)[outcome]
    table = grouped.agg(
        mean="mean", p5=lambda y: float(np.percentile(y, 5)), worst="min"
    ).reset_index()
    table["regret"] = table.groupby("cell")["mean"].transform("max") - table["mean"]
    table.insert(2, "outcome", outcome)
    return table


def distribution_table(runs: pd.DataFrame, regret: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per strategy, over every cell and seed: mean, 5th percentile, worst case of ``outcome``;
    mean and maximum regret over cells; the share of cells in which it is best."""
    by = runs.groupby("plays", sort=False)[outcome]
    table = by.agg(mean="mean", p5=lambda y: float(np.percentile(y, 5)), worst="min")
    reg = regret.groupby("plays", sort=False)["regret"]
    table["mean_regret"] = reg.mean()
    table["max_regret"] = reg.max()
    table["best_in_share_of_cells"] = reg.apply(lambda r: float((r == 0).mean()))
    return table.reset_index().assign(outcome=outcome)


def run_stress(run: StudyRun) -> tuple[Path, pd.DataFrame]:
    """Run the battery; write runs.csv, regret.csv, distribution.csv, regret.png and the
    report; return (report.html, the distribution table)."""
    study = run.loaded.study
    found, plan = variants(run.loaded)
    runs = plan.merge(run.run("battery", found, study.seed_list()), on="variant")
    run.write_table("runs.csv", runs)
    regret = pd.concat([regret_table(runs, y) for y in study.outcomes], ignore_index=True)
    spread = pd.concat(
        [distribution_table(runs, regret[regret["outcome"] == y], y) for y in study.outcomes],
        ignore_index=True,
    )
    run.write_table("regret.csv", regret)
    run.write_table("distribution.csv", spread)
    main = regret[regret["outcome"] == study.outcome]
    n_cells = plan["cell"].nunique()
    report = write_report(
        run,
        "stress test",
        [
            Block(
                "text",
                f"{n_cells} cells × {plan['plays'].nunique()} strategies × {study.seeds} seeds. "
                "Regret of a strategy in a cell is the best mean outcome in that cell minus its "
                "own mean (0 for the best; docs/stress-testing.md).",
            ),
            figure(run, regret_heatmap(main, plan), "regret.png", f"Regret ({study.outcome})"),
            Block("heading", "Outcome distributions over all cells and seeds"),
            Block("table", spread.set_index(["outcome", "plays"])),
            Block("heading", "Each cell"),
            Block(
                "table",
                main.merge(
                    plan.drop(columns="variant").drop_duplicates(["cell", "plays"]),
                    on=["cell", "plays"],
                ).set_index(["cell", "plays"]),
            ),
        ],
    )
    return report, spread
