"""Results folders: where an experiment's runs, manifest and summary live on disk, and what
makes a folder valid (docs/results.md).

Output folder layout::

    manifest.json          scenario text and hash, seeds, package versions, command, and the
                           sha256 of every finished run file
    runs/seed=<s>.parquet  per-period metrics of one run (firms × periods), written atomically;
                           its ``experiment`` column names the experiment it belongs to
    metrics.parquet        all runs' per-period metrics together
    summary.csv            one row per run and firm

A run's file is written (to a temporary name, then renamed) as soon as the run finishes, so an
interrupted experiment loses nothing it finished; re-running the same command resumes it,
redoing any run file that is damaged and refusing a folder that holds another experiment's runs.
One command at a time writes to a folder (:func:`locked`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from sim.errors import InputError
from sim.experiments.runs import summarise_run
from sim.scenarios import Scenario

PACKAGES = (
    "crmsim",
    "mesa",
    "numpy",
    "numba",
    "pandas",
    "pyarrow",
    "scipy",
    "networkx",
    "pydantic",
)
TABLES = ("metrics.parquet", "summary.csv")  # made from the run files by collect()
LOCK_FILE = ".lock"
# what marks a folder as crmsim's: an experiment's, a sweep's or a study's (sim.studies) files
RESULTS_MARKS = {LOCK_FILE, "manifest.json", "runs", "sweep.json", "variants", "study.json"}
MANIFEST_SECONDS = 2.0  # while runs finish, the manifest's checksums are written this often


class ExperimentError(InputError):
    """An output folder that belongs to a different experiment, or similar misuse."""


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Versions of Python and of the packages a result depends on (and of ``extra`` ones)."""
    return dict(looked_up_versions(extra))


@functools.cache
def looked_up_versions(extra: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`package_versions`, looked up once per process (~17 ms a time: reading every
    installed distribution's metadata; a study records them ~100 times)."""
    found = {"python": platform.python_version()}
    for name in (*PACKAGES, *extra):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return tuple(found.items())


def locked(out: Path) -> FileLock:
    """The acquired exclusive lock of ``out`` (release it with ``with``), or an ExperimentError if
    another command holds it. The operating system releases it when the process ends, however it
    ends, so a crashed command never blocks the next one. A folder that holds files but none of
    crmsim's is refused: the results' files (summary.csv, report.md, …) would replace any of the
    same names."""
    found = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    if found and not RESULTS_MARKS & set(found):
        shown = ", ".join(found[:4]) + (", …" if len(found) > 4 else "")
        raise ExperimentError(
            f"{out} already holds files that crmsim did not write ({shown}); results go into a "
            "folder of their own (summary.csv, report.md, … would replace files of the same "
            "names): choose a new or empty --out folder"
        )
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out / LOCK_FILE, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise ExperimentError(
            f"{out} is being written by another crmsim command right now (it holds "
            f"{out / LOCK_FILE}); wait for it to finish, or choose another --out folder"
        ) from None
    return lock


def fingerprint(scenario_hash: str, periods: int) -> str:
    """An experiment's identity (hex, 16 digits): runs of the same market over the same periods
    with the same seed are the same run."""
    return hashlib.sha256(f"{scenario_hash}:{int(periods)}".encode()).hexdigest()[:16]


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_json(path: Path) -> dict:
    """A JSON object from a file, or {} if it is missing or not a JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class Experiment:
    """Replications of one scenario over seeds, written to ``out``."""

    loaded: Scenario
    seeds: Sequence[int]
    out: Path
    periods: int | None = None
    command: str = ""
    checksums: dict[str, str] = field(default_factory=dict)  # run file name → sha256
    tables: dict[str, str] = field(default_factory=dict)  # TABLES → sha256, once collected
    redone: list[str] = field(default_factory=list)  # run files found damaged or changed
    written: float = 0.0  # time.monotonic() of the last manifest write

    def __post_init__(self) -> None:
        if not self.seeds:
            raise ExperimentError(
                f"{self.out}: no seed given; give at least 1, and 2 or more for an interval"
            )

    @property
    def runs_dir(self) -> Path:
        """Folder of the per-run Parquet files."""
        return self.out / "runs"

    @property
    def run_periods(self) -> int:
        """Periods of every run."""
        return self.periods or self.loaded.spec.periods

    @property
    def fingerprint(self) -> str:
        """What makes two runs of the same seed interchangeable: the market and its periods."""
        return fingerprint(self.loaded.hash, self.run_periods)

    def run_file(self, seed: int) -> Path:
        """Where the run with this seed is stored."""
        return self.runs_dir / f"seed={seed}.parquet"

    def pending(self) -> list[int]:
        """Seeds whose run file does not exist yet."""
        done = {p.name for p in self.runs_dir.glob("*.parquet")} if self.runs_dir.is_dir() else ()
        return [s for s in self.seeds if f"seed={s}.parquet" not in done]

    def manifest(self) -> dict[str, object]:
        """What fixes this experiment's results, and the checksum of every finished run."""
        return {
            "kind": "experiment",
            "experiment": self.fingerprint,
            "scenario": self.loaded.name,
            "scenario_file": str(self.loaded.path) if self.loaded.path else None,
            "scenario_hash": self.loaded.hash,
            "scenario_document": json.loads(self.loaded.text),
            "periods": self.run_periods,
            "seeds": list(self.seeds),
            "versions": package_versions(),
            "command": self.command,
            "runs": dict(sorted(self.checksums.items())),
            "tables": self.tables,
        }

    def prepare(self) -> None:
        """Create the folder and manifest, keeping the runs already finished and removing damaged
        run files (to be redone); refuse a folder of another kind or of another experiment. Call
        it while holding the folder's lock."""
        if (self.out / "sweep.json").exists():
            raise ExperimentError(
                f"{self.out} is the folder of a sweep or comparison ('crmsim sweep' or "
                "'crmsim compare'); choose another --out folder for 'crmsim run'"
            )
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        theirs = read_json(self.out / "manifest.json")
        if "experiment" not in theirs and {"scenario_hash", "periods"} <= theirs.keys():
            theirs["experiment"] = fingerprint(theirs["scenario_hash"], theirs["periods"])  # 0.1
        if theirs.get("experiment", self.fingerprint) != self.fingerprint and any(
            self.runs_dir.glob("*.parquet")
        ):
            raise self.foreign(
                f"scenario hash {theirs.get('scenario_hash')}, {theirs.get('periods')} periods"
            )
        for leftover in [*self.out.glob(".*.tmp"), *self.runs_dir.glob(".*.tmp")]:
            leftover.unlink()  # half-written by a command that died (this one holds the lock)
        known = theirs.get("runs") if isinstance(theirs.get("runs"), dict) else {}
        for path in sorted(self.runs_dir.glob("*.parquet")):
            recorded = known.get(path.name)
            if recorded is not None and recorded == sha256(path):
                self.checksums[path.name] = recorded
            elif recorded is None and self.belongs_here(path):  # finished after the last write
                self.checksums[path.name] = sha256(path)
            else:  # damaged, or changed since it was written: its seed is run again
                self.redone.append(path.name)
                path.unlink()
        if self.checksums:
            self.check_versions(theirs.get("versions"))
        self.write_manifest()

    def check_versions(self, theirs: object) -> None:
        """Refuse to add runs to runs made with other versions of the packages (a result that
        mixed them could not be made again)."""
        ours = package_versions()
        if not isinstance(theirs, dict):
            return
        differ = [
            f"{k} {theirs[k]} (now {ours[k]})" for k in ours if k in theirs and theirs[k] != ours[k]
        ]
        if differ:
            raise ExperimentError(
                f"{self.out} holds {len(self.checksums)} runs made with other versions: "
                f"{', '.join(differ)}; a result mixing them could not be made again. Choose "
                "another --out folder, or delete that one to run every seed with these versions"
            )

    def belongs_here(self, path: Path) -> bool:
        """Whether a run file without a known checksum is a readable run of this experiment:
        False if it cannot be read (damaged); an ExperimentError if it is another one's run."""
        try:
            frame = pd.read_parquet(path)
            if "experiment" not in frame:  # written by crmsim 0.1
                frame["experiment"] = fingerprint(
                    frame["scenario_hash"].iloc[0], frame["period"].max()
                )
        except Exception:  # any damage: truncated, not Parquet, missing columns
            return False
        owners = set(frame["experiment"].unique())
        if owners != {self.fingerprint}:
            raise self.foreign(f"{path.name} belongs to experiment {', '.join(map(str, owners))}")
        return path.name == f"seed={frame['seed'].iloc[0]}.parquet" and int(
            frame["period"].max()
        ) == int(self.run_periods)

    def foreign(self, what: str) -> ExperimentError:
        """The error for a folder that holds another experiment's runs."""
        return ExperimentError(
            f"{self.out} holds runs of another experiment ({what}; this one is scenario hash "
            f"{self.loaded.hash}, {self.run_periods} periods, experiment {self.fingerprint}). "
            "Choose another --out folder or delete that one."
        )

    def write_manifest(self, unless_within: float = 0.0) -> None:
        """Write manifest.json (atomically), unless it was written less than ``unless_within``
        seconds ago (a run file whose checksum is not recorded yet is checked by reading it)."""
        if time.monotonic() - self.written < unless_within:
            return
        write_atomically(self.out / "manifest.json", json.dumps(self.manifest(), indent=2).encode())
        self.written = time.monotonic()

    def store(self, seed: int, metrics: pd.DataFrame) -> None:
        """Write one run's metrics, marked with the scenario hash and the experiment, atomically;
        record its checksum in the manifest."""
        metrics = metrics.assign(scenario_hash=self.loaded.hash, experiment=self.fingerprint)
        path = self.run_file(seed)
        write_atomically(path, metrics.to_parquet(index=False))
        self.checksums[path.name] = sha256(path)
        self.write_manifest(unless_within=MANIFEST_SECONDS)

    def collect(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Read every finished run; write metrics.parquet and summary.csv, then the manifest
        (with every run's checksum and the tables'); return both."""
        frames = [pd.read_parquet(self.run_file(s)) for s in self.seeds]
        metrics = pd.concat(frames, ignore_index=True)
        summary = pd.concat([summarise_run(f) for f in frames], ignore_index=True)
        summary.insert(0, "scenario", self.loaded.name)
        summary.insert(1, "scenario_hash", self.loaded.hash)
        for name, ver in package_versions().items():
            summary[f"version_{name}"] = ver
        for name, data in zip(
            TABLES,
            (metrics.to_parquet(index=False), summary.to_csv(index=False).encode()),
            strict=True,
        ):
            write_atomically(self.out / name, data)
            self.tables[name] = hashlib.sha256(data).hexdigest()
        self.write_manifest()
        return metrics, summary


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def verified(folder: Path) -> dict:
    """The manifest of a finished experiment folder, after checking every file it records: each
    run file and table (metrics.parquet, summary.csv) must be there with the checksum recorded
    when crmsim wrote it. An ExperimentError names the first that is missing or changed."""
    where = folder / "manifest.json"
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else "not readable JSON"
        raise damaged(where, reason) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("runs"), dict):
        raise damaged(where, "not the manifest of a crmsim run")
    seeds = manifest.get("seeds", [])
    recorded = {f"runs/{name}": sha for name, sha in manifest["runs"].items()}
    recorded |= manifest.get("tables") or {}
    for seed in seeds:
        if f"runs/seed={seed}.parquet" not in recorded:
            raise damaged(folder / "runs" / f"seed={seed}.parquet", "its run did not finish")
    for name, checksum in sorted(recorded.items()):
        path = folder / name
        if not path.is_file():
            raise damaged(path, "no such file")
        if sha256(path) != checksum:
            raise damaged(
                path, "changed since crmsim wrote it: its sha256 is not the one in manifest.json"
            )
    return manifest


def damaged(path: Path, why: str) -> ExperimentError:
    """The error for a results file that is missing or not as crmsim wrote it."""
    return ExperimentError(
        f"{path}: {why}. Run the command that made the folder again: it redoes every run that is "
        "missing, damaged or changed, and rewrites the tables and the report from the runs"
    )
