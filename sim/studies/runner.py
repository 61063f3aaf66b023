"""A study's results folder and its runs: ``study.json`` (what fixes the results), one sweep
folder per batch of variants (sim.experiments.Sweep: runs stored as they finish, resumed when
the command runs again), on the executor the command chose.

Output folder layout::

    study.json         kind, the study and its hash, scenario hash, seeds, package versions
    <batch>/           a sweep folder (sweep.json, variants/<label>/runs/seed=<s>.parquet, …)
    *.csv, *.png       the command's tables and figures
    report.html/.md    the report
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments import ExperimentError, Sweep, Variant, package_versions, write_atomically
from sim.experiments.executors import Where, open_executor, strategy_files
from sim.experiments.folders import locked, read_json
from sim.studies.files import LoadedStudy

STUDY_PACKAGES = ("dask", "distributed", "salib", "optuna", "ema_workbench", "matplotlib")


def study_versions() -> dict[str, str]:
    """Versions of Python, of crmsim's packages and of the study libraries."""
    return package_versions(STUDY_PACKAGES)


def described(manifest: dict) -> str:
    """A study folder's manifest (study.json) in words: 'crmsim breakeven of study 1a2b…
    (parameter economics.retention_cost)'."""
    settings = manifest.get("settings") or {}
    extra = ", ".join(f"{k} {v}" for k, v in settings.items())
    return f"crmsim {manifest.get('kind')} of study {manifest.get('study_hash')}" + (
        f" ({extra})" if extra else ""
    )


@dataclass
class StudyRun:
    """One command's work on a study, written to ``out``; use it inside ``with run.open():``."""

    loaded: LoadedStudy
    kind: str  # the command: stress, sensitivity, discover, breakeven, tune
    out: Path
    where: Where = field(default_factory=Where)
    command: str = ""
    decision_seconds: float | None = None
    progress: Any = None  # a tqdm bar (its total grows as batches are planned) or None
    extra: dict[str, Any] = field(default_factory=dict)  # command settings in study.json
    pool: tuple[Any, int | None] = field(default=(None, None), init=False)  # while open
    started: bool = field(default=False, init=False)  # a batch of runs was begun

    def manifest(self) -> dict[str, Any]:
        """study.json: what fixes this folder's results."""
        study = self.loaded.study
        return {
            "kind": self.kind,
            "study_hash": self.loaded.hash,
            "study_file": str(self.loaded.path),
            "study": study.model_dump(mode="json"),
            "scenario_hash": self.loaded.base.hash,
            "policy": self.loaded.policy,
            "seeds": study.seed_list(),
            "settings": self.extra,
            "versions": study_versions(),
            "where": self.where.label,
            "command": self.command,
        }

    @contextmanager
    def open(self) -> Iterator[StudyRun]:
        """Lock the folder, refuse one of another study or command, write study.json and
        start the executor (a Dask cluster started here ends with the block). A new folder's
        study.json is taken back when the block fails before any run (bad settings of the
        command), so that the corrected command may use the folder."""
        with ExitStack() as stack:
            stack.enter_context(locked(self.out))
            theirs = read_json(self.out / "study.json")
            mine = self.manifest()
            same = {k: theirs.get(k) for k in ("kind", "study_hash", "settings")}
            if theirs and same != {k: mine[k] for k in same}:
                raise ExperimentError(
                    f"{self.out} holds the results of {described(theirs)}; this is "
                    f"{described(mine)}. Choose another --out folder or delete that one."
                )
            write_atomically(self.out / "study.json", json.dumps(mine, indent=2).encode())
            try:
                files = strategy_files(self.loaded.strategy_names())
                self.pool = stack.enter_context(open_executor(self.where, files))
                yield self
            except BaseException:
                if not (theirs or self.started):
                    (self.out / "study.json").unlink(missing_ok=True)
                raise

    def run(self, batch: str, variants: Sequence[Variant], seeds: Sequence[int]) -> pd.DataFrame:
        """Run every variant over ``seeds`` in the sweep folder ``batch`` (resuming it);
        return the policy firm's row of each run (summary columns, ``variant``)."""
        study = self.loaded.study
        self.started = True
        sweep = Sweep(
            self.loaded.scenario,
            variants,
            seeds,
            self.out / batch,
            study.set,
            study.periods,
            self.command,
            kind=f"{self.kind} batch",
        )
        experiments = sweep.experiments()
        if self.progress is not None:
            self.progress.total = (self.progress.total or 0) + sum(
                len(e.pending()) for e in experiments
            )
            self.progress.refresh()
        pool, workers = self.pool
        _, summary = sweep.run(
            pool,
            workers,
            (lambda *_: self.progress.update()) if self.progress is not None else None,
            experiments,
            self.decision_seconds,
        )
        firm = self.loaded.base.spec.firms[self.loaded.firm].name
        columns = ["variant", "seed", "strategy", *study.outcomes]
        return summary.loc[summary["firm"] == firm, columns].reset_index(drop=True)

    def evaluate(self, batch: str, points: pd.DataFrame) -> pd.DataFrame:
        """Run the policy at each point (one row per point, one column per uncertainty key,
        values in the key's units) over the study's seeds; return one row per point with its
        values and the mean of each outcome over the seeds."""
        study = self.loaded.study
        by_key = {u.key: u for u in study.uncertainties}
        labels = [f"p{k:05d}" for k in range(len(points))]
        found = [
            Variant(
                label,
                self.loaded.policy_setting()
                | {key: by_key[key].actual(value) for key, value in row.items()},
            )
            for label, row in zip(labels, points.to_dict("records"), strict=True)
        ]
        runs = self.run(batch, found, study.seed_list())
        means = runs.groupby("variant")[list(study.outcomes)].mean()
        return points.assign(variant=labels).join(means, on="variant")

    def write_table(self, name: str, table: pd.DataFrame) -> Path:
        """Write one of the command's tables as CSV (atomically); return its path."""
        path = self.out / name
        write_atomically(path, table.to_csv(index=False).encode())
        return path
