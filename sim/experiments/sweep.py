"""Parameter sweeps and strategy comparisons: many variants of one scenario, each over seeds.

Output folder layout::

    sweep.json                the kind (sweep or compare), the report's title, the variants
                              (label → settings: key path → value), seeds, periods (null: the
                              scenario's), command, package versions and summary.csv's sha256
    variants/<label>/         one experiment folder per variant (see sim.experiments.folders)
    summary.csv               every variant's summary, with one column per swept key

Each variant resumes on its own, so an interrupted sweep re-run with the same command redoes
nothing it finished.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.executors import run_experiments
from sim.experiments.folders import (
    Experiment,
    ExperimentError,
    damaged,
    locked,
    package_versions,
    read_json,
    sha256,
    verified,
    write_atomically,
)
from sim.scenarios import Scenario, ScenarioError, load, parse_value


@dataclass(frozen=True)
class Variant:
    """One point of a sweep: a label (its folder name) and the keys it sets."""

    label: str
    settings: Mapping[str, Any] = field(default_factory=dict)


def parse_grid(entries: Sequence[str]) -> dict[str, list[Any]]:
    """``["a.b=1,2,3", "c=true,false"]`` → {"a.b": [1, 2, 3], "c": [True, False]} (TOML values)."""
    grid: dict[str, list[Any]] = {}
    for entry in entries:
        key, sep, raw = entry.partition("=")
        values = parse_value(f"[{raw}]") if sep else None
        if not key.strip() or not values:
            raise ScenarioError(
                f"--grid {entry!r}: expected key.path=value1,value2,… (values as in TOML)"
            )
        if not isinstance(values, list):  # not TOML: parse_value gave the text back
            raise ScenarioError(
                f"--grid {entry!r}: {raw.strip()!r} is not a list of TOML values; write numbers "
                'as 0.1 or 12, true/false, text in double quotes ("static") and tables as '
                '{name = "static"}, e.g. --grid \'firms[0].strategy.name="static","sales_push"\''
            )
        key = key.strip()
        if key in grid:
            raise ScenarioError(
                f"--grid {key} is given twice; put all its values in one --grid {key}=v1,v2,…"
            )
        repeated = [v for i, v in enumerate(values) if v in values[:i]]
        if repeated:
            raise ScenarioError(
                f"--grid {entry!r}: the value {repeated[0]!r} appears twice; each value once"
            )
        grid[key] = values
    return grid


def slug(text: str) -> str:
    """A folder-safe version of a label."""
    return re.sub(r"[^A-Za-z0-9_.=-]+", "_", text).strip("_")[:80]


def grid_variants(grid: Mapping[str, Sequence[Any]]) -> list[Variant]:
    """Every combination of the grid's values (cartesian product), labelled key=value,…"""
    keys = list(grid)
    return [
        Variant(
            slug(",".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in zip(keys, combo, strict=True))),
            dict(zip(keys, combo, strict=True)),
        )
        for combo in itertools.product(*(grid[k] for k in keys))
    ]


def strategy_variants(base: Scenario, firm: str, strategies: Sequence[str]) -> list[Variant]:
    """The same market with ``firm`` following each of ``strategies`` (default parameters)."""
    names = [f.name for f in base.spec.firms]
    if firm not in names:
        raise ScenarioError(f"--firm {firm!r}: no such firm; firms are: {', '.join(names)}")
    index = names.index(firm)
    if not all(s.strip() for s in strategies):
        raise ScenarioError(
            f"--strategies {','.join(strategies)!r}: an empty name; give comma-separated "
            "strategies, e.g. --strategies static,sales_push"
        )
    repeated = [s for i, s in enumerate(strategies) if s in strategies[:i]]
    if repeated:
        raise ScenarioError(f"--strategies: {repeated[0]!r} appears twice; name each strategy once")
    return [Variant(slug(s), {f"firms[{index}].strategy": {"name": s}}) for s in strategies]


def rotation_variants(base: Scenario) -> list[Variant]:
    """The same market with the firms' strategies rotated: each firm plays each strategy once,
    so a strategy's result is not an accident of the offer or position it started with."""
    specs = [f.strategy.model_dump() for f in base.spec.firms]
    variants = []
    for shift in range(len(specs)):
        rotated = specs[-shift:] + specs[:-shift] if shift else specs
        variants.append(
            Variant(
                f"rotation{shift}",
                {f"firms[{i}].strategy": spec for i, spec in enumerate(rotated)},
            )
        )
    return variants


@dataclass
class Sweep:
    """Variants of one scenario, each replicated over the same seeds, under ``out``."""

    scenario: str
    variants: Sequence[Variant]
    seeds: Sequence[int]
    out: Path
    overrides: Sequence[str] = ()
    periods: int | None = None
    command: str = ""
    kind: str = "sweep"  # or "compare": what sweep.json says the folder holds
    title: str = ""  # the report's title (crmsim report writes it again)

    def plan(self) -> dict[str, Any]:
        """What makes the folder this sweep's: its kind and variants (label → settings)."""
        return {"kind": self.kind, "variants": {v.label: dict(v.settings) for v in self.variants}}

    def write_plan(self, summary: bytes | None = None) -> None:
        """Write sweep.json: the plan, the title, the seeds, periods, command and package
        versions (each variant's manifest has them too) and, once written, summary.csv's
        sha256."""
        tables = {"summary.csv": hashlib.sha256(summary).hexdigest()} if summary else {}
        document = self.plan() | {
            "title": self.title,
            "seeds": list(self.seeds),
            "periods": self.periods,
            "command": self.command,
            "versions": package_versions(),
            "tables": tables,
        }
        write_atomically(self.out / "sweep.json", json.dumps(document, indent=2).encode())

    def experiments(self) -> list[Experiment]:
        """One experiment per variant (validates every variant before anything runs)."""
        labels = [v.label for v in self.variants]
        clash = [label for i, label in enumerate(labels) if label in labels[:i]]
        if clash:
            raise ScenarioError(
                f"two variants would share the folder variants/{clash[0]}; give distinct values"
            )
        return [
            Experiment(
                load(self.scenario, self.overrides, v.settings),
                self.seeds,
                self.out / "variants" / v.label,
                self.periods,
                self.command,
            )
            for v in self.variants
        ]

    def run(
        self,
        executor: Executor | None = None,
        workers: int | None = None,
        on_done: Callable[[Experiment, int], None] | None = None,
        experiments: list[Experiment] | None = None,
        decision_seconds: float | None = None,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Run every variant; write sweep.json and the combined summary.csv; return the
        combined (metrics, summary) with a ``variant`` column and one column per swept key."""
        experiments = experiments or self.experiments()
        with locked(self.out):
            self.check_folder()
            self.write_plan()
            results = run_experiments(experiments, executor, workers, on_done, decision_seconds)
        metrics, summaries = [], []
        for variant, (m, s) in zip(self.variants, results, strict=True):
            labels = {"variant": variant.label} | {
                k: json.dumps(v) if isinstance(v, dict | list) else v
                for k, v in variant.settings.items()
            }
            metrics.append(m.assign(**labels))
            summaries.append(s.assign(**labels))
        summary = pd.concat(summaries, ignore_index=True)
        table = summary.to_csv(index=False).encode()
        with locked(self.out):
            write_atomically(self.out / "summary.csv", table)
            self.write_plan(table)
        return pd.concat(metrics, ignore_index=True), summary

    def check_folder(self) -> None:
        """Refuse a folder of another kind: a run's, or another sweep's or comparison's."""
        if (self.out / "manifest.json").exists():
            raise ExperimentError(
                f"{self.out} is the folder of 'crmsim run'; choose another --out folder for "
                f"'crmsim {self.kind}'"
            )
        theirs = read_json(self.out / "sweep.json")
        if theirs and "kind" not in theirs:  # written by crmsim 0.1: the variants alone
            theirs = {"kind": self.kind, "variants": theirs}
        theirs = {key: theirs[key] for key in ("kind", "variants") if key in theirs}
        if theirs and theirs != json.loads(json.dumps(self.plan())):
            what = theirs.get("kind", "sweep")
            raise ExperimentError(
                f"{self.out} holds another {what} (its variants: "
                f"{', '.join(theirs.get('variants', theirs))}); choose another --out folder or "
                "delete that one"
            )


def verified_sweep(folder: Path) -> dict[str, Any]:
    """sweep.json of a finished sweep or comparison folder, after checking every variant's
    folder (:func:`~sim.experiments.folders.verified`) and the combined summary.csv against the
    checksums recorded when crmsim wrote them; an ExperimentError names the first that is not."""
    plan = read_json(folder / "sweep.json")
    variants = plan.get("variants", plan if "kind" not in plan else None)  # 0.1: variants alone
    if not isinstance(variants, dict) or not variants:
        raise damaged(folder / "sweep.json", "not the plan of a crmsim sweep or comparison")
    for label in variants:
        verified(folder / "variants" / label)
    recorded = (plan.get("tables") or {}).get("summary.csv")
    summary = folder / "summary.csv"
    if recorded and summary.is_file() and sha256(summary) != recorded:
        raise damaged(
            summary, "changed since crmsim wrote it: its sha256 is not the one in sweep.json"
        )
    return plan
