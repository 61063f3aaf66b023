"""Results folders: where an experiment's runs, manifest and summary live on disk.

Output folder layout::

    manifest.json        scenario text and hash, seeds, package versions, command
    runs/seed=<s>.parquet  per-period metrics of one run (firms × periods), written atomically
    metrics.parquet      all runs' per-period metrics together
    summary.csv          one row per run and firm

A run's file is written (to a temporary name, then renamed) as soon as the run finishes, so an
interrupted experiment loses nothing it finished; re-running the same command resumes it.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from sim.errors import InputError
from sim.experiments.runs import summarise_run
from sim.scenarios import Scenario

PACKAGES = ("crmsim", "mesa", "numpy", "pandas", "scipy", "networkx", "pydantic")


class ExperimentError(InputError):
    """An output folder that belongs to a different experiment, or similar misuse."""


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages a result depends on."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@dataclass
class Experiment:
    """Replications of one scenario over seeds, written to ``out``."""

    loaded: Scenario
    seeds: Sequence[int]
    out: Path
    periods: int | None = None
    command: str = ""

    @property
    def runs_dir(self) -> Path:
        """Folder of the per-run Parquet files."""
        return self.out / "runs"

    def run_file(self, seed: int) -> Path:
        """Where the run with this seed is stored."""
        return self.runs_dir / f"seed={seed}.parquet"

    def pending(self) -> list[int]:
        """Seeds whose run file does not exist yet."""
        return [s for s in self.seeds if not self.run_file(s).exists()]

    def manifest(self) -> dict[str, object]:
        """What fixes this experiment's results."""
        return {
            "scenario": self.loaded.name,
            "scenario_file": str(self.loaded.path) if self.loaded.path else None,
            "scenario_hash": self.loaded.hash,
            "scenario_document": json.loads(self.loaded.text),
            "periods": self.periods or self.loaded.spec.periods,
            "seeds": list(self.seeds),
            "versions": package_versions(),
            "command": self.command,
        }

    def prepare(self) -> None:
        """Create the folder and manifest; refuse a folder holding another experiment's runs."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        path = self.out / "manifest.json"
        mine = self.manifest()
        if path.exists():
            try:
                theirs = json.loads(path.read_text())
            except json.JSONDecodeError:
                theirs = {}
            same = (theirs.get("scenario_hash"), theirs.get("periods")) == (
                mine["scenario_hash"],
                mine["periods"],
            )
            if not same and any(self.runs_dir.iterdir()):
                raise ExperimentError(
                    f"{self.out} holds runs of another experiment (scenario hash "
                    f"{theirs.get('scenario_hash')}, {theirs.get('periods')} periods; this one is "
                    f"{mine['scenario_hash']}, {mine['periods']} periods). Choose another --out "
                    "folder or delete that one."
                )
        write_atomically(path, json.dumps(mine, indent=2).encode())

    def store(self, seed: int, metrics: pd.DataFrame) -> None:
        """Write one run's metrics (with the scenario hash) atomically."""
        metrics = metrics.assign(scenario_hash=self.loaded.hash)
        write_atomically(self.run_file(seed), metrics.to_parquet(index=False))

    def collect(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Read every finished run; write metrics.parquet and summary.csv; return both."""
        frames = [pd.read_parquet(self.run_file(s)) for s in self.seeds]
        metrics = pd.concat(frames, ignore_index=True)
        summary = pd.concat([summarise_run(f) for f in frames], ignore_index=True)
        summary.insert(0, "scenario", self.loaded.name)
        summary.insert(1, "scenario_hash", self.loaded.hash)
        for name, ver in package_versions().items():
            summary[f"version_{name}"] = ver
        write_atomically(self.out / "metrics.parquet", metrics.to_parquet(index=False))
        write_atomically(self.out / "summary.csv", summary.to_csv(index=False).encode())
        return metrics, summary


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
