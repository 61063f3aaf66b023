"""``crmsim discover``: scenario discovery. The policy runs at Latin-hypercube points of the
uncertainties (each over the study's seeds); a point *fails* where the mean of the first
outcome is below ``[discover] below``. PRIM (the EMA Workbench's) then finds the box of
uncertainty ranges in which failures concentrate:

- coverage = failures inside the box / all failures (how much of the problem it explains);
- density = failures inside the box / points inside the box (how sure a failure is there).

Of PRIM's peeling trajectory, the box kept is the one with the largest coverage among those
with density ≥ ``threshold`` (the densest if none reaches it).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.reporting.render import Block
from sim.studies.figures import prim_box
from sim.studies.files import StudyError
from sim.studies.report import figure, write_report
from sim.studies.runner import StudyRun
from sim.studies.spec import Uncertainty


def latin_hypercube(uncertainties: list[Uncertainty], n: int, seed: int) -> pd.DataFrame:
    """``n`` points, one column per uncertainty key: a Latin hypercube of probabilities (seeded)
    turned into values by each uncertainty's quantile function (uniform over a range)."""
    unit = qmc.LatinHypercube(d=len(uncertainties), rng=np.random.default_rng(seed)).random(n)
    return pd.DataFrame({u.key: u.ppf(unit[:, i]) for i, u in enumerate(uncertainties)})


def find_box(
    x: pd.DataFrame, failed: np.ndarray, uncertainties: list[Uncertainty], threshold: float
) -> tuple[pd.DataFrame, pd.Series]:
    """PRIM's box for the failures: one row per uncertainty (its range, the box's range,
    whether the box restricts it) and the box's coverage, density, mass and point counts."""
    with warnings.catch_warnings():  # the Workbench's own notices, not ours to act on
        warnings.filterwarnings("ignore", module="ema_workbench")
        from ema_workbench.analysis import prim

        box = prim.Prim(x.copy(), np.asarray(failed, dtype=bool)).find_box()
    path = box.peeling_trajectory
    dense = path[path["density"] >= threshold]
    chosen = dense["coverage"].iloc[::-1].idxmax() if len(dense) else path["density"].idxmax()
    limits = box.box_lims[chosen]
    initial = box.box_lims[0]
    rows = []
    for u in uncertainties:  # an unrestricted side is the uncertainty's whole range
        least, most = u.bounds
        low = limits[u.key].iloc[0] if limits[u.key].iloc[0] > initial[u.key].iloc[0] else least
        high = limits[u.key].iloc[1] if limits[u.key].iloc[1] < initial[u.key].iloc[1] else most
        rows.append(
            {
                "uncertainty": u.key,
                "range_low": least,
                "range_high": most,
                "box_low": float(low),
                "box_high": float(high),
                "restricted": bool(low != least or high != most),
            }
        )
    stats = path.loc[chosen, ["coverage", "density", "mass"]].astype(float)
    inside = round(float(stats["mass"]) * len(x))
    stats = pd.concat(
        [stats, pd.Series({"points": len(x), "failures": int(np.sum(failed)), "inside": inside})]
    )
    return pd.DataFrame(rows), stats


def run_discover(run: StudyRun) -> tuple[Path, pd.DataFrame]:
    """Sample, run, find the box; write points.csv, box.csv, box.png and the report; return
    (report.html, the box table)."""
    study = run.loaded.study
    settings = study.discover
    if settings is None or not study.uncertainties:
        raise StudyError(
            f"{run.loaded.path}: discover needs [[uncertainties]] (ranges or distributions) and "
            "a [discover] section saying when the policy fails (below = a value of the first "
            "outcome)"
        )
    x = latin_hypercube(study.uncertainties, settings.samples, study.first_seed)
    points = run.evaluate("points", x)
    points["failed"] = points[study.outcome] < settings.below
    run.write_table("points.csv", points)
    if not points["failed"].any() or points["failed"].all():
        y = points[study.outcome]
        raise StudyError(
            f"{run.loaded.path}: the policy fails at {int(points['failed'].sum())} of "
            f"{len(points)} points ({study.outcome} below {settings.below}); PRIM needs both "
            f"failures and successes. {study.outcome} ranges from {y.min():,.0f} to "
            f"{y.max():,.0f} over these points: set [discover] below inside that range, or "
            "widen the uncertainties, and run it again with another --out "
            f"({run.out / 'points.csv'} keeps these runs)"
        )
    limits, stats = find_box(
        x, points["failed"].to_numpy(), study.uncertainties, settings.threshold
    )
    run.write_table("box.csv", limits)
    run.write_table("box_stats.csv", stats.to_frame().T)
    text = (
        f"{len(points)} Latin-hypercube points × {study.seeds} seeds; the policy fails where its "
        f"mean {study.outcome} is below {settings.below}: at {int(stats['failures'])} points. "
        f"The box covers {stats['coverage']:.0%} of the failures (coverage) and "
        f"{stats['density']:.0%} of the points in it fail (density); it holds "
        f"{stats['mass']:.0%} of all points."
    )
    blocks = [
        Block("text", text),
        figure(run, prim_box(limits), "box.png", "The PRIM box"),
        Block("table", limits.set_index("uncertainty")),
    ]
    return write_report(run, "scenario discovery", blocks), limits
