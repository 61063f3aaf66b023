"""The study sub-commands: ``crmsim stress|sensitivity|discover|breakeven|tune STUDY``
(docs/stress-testing.md), on the local process pool, a local Dask cluster or a Dask scheduler."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from sim.apps.cli.commands import command_line, where


def run_study(args: argparse.Namespace, work: Callable[[Any], tuple[Path, Any]]) -> int:
    """Load the study, run ``work`` on it with a progress bar, print its table and report."""
    from sim.studies import StudyRun, load_study

    loaded = load_study(args.study)
    extra = {"parameter": args.parameter} if getattr(args, "parameter", None) else {}
    run = StudyRun(
        loaded,
        args.command,
        args.out or Path("results") / f"{loaded.path.stem}-{args.command}",
        where(args),
        command_line(),
        args.decision_seconds,
        extra=extra,
    )
    label = f"{loaded.path.stem}: {args.command} runs"
    # shown after a second: a bad input is refused before that, without an empty bar above it
    with tqdm(total=0, desc=label, unit="run", disable=args.quiet, delay=1.0) as bar:
        run.progress = bar
        with run.open():
            report, table = work(run)
    if args.quiet:
        print(report)
        return 0
    print(f"\n{loaded.study.title or loaded.path.stem}: {args.command}\n")
    print(table.infer_objects().to_string(index=False, float_format=readable, na_rep="—"))
    print(f"\nreport: {report}  (also report.md; tables *.csv in {run.out})")
    return 0


def readable(x: float) -> str:
    """A number in a study's table as a person reads it: whole above 100 (594.618234 → 595),
    3 significant digits below (a missing one is printed as "—": a break-even that never
    flips)."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def cmd_stress(args: argparse.Namespace) -> int:
    """``crmsim stress``."""
    from sim.studies.stress import run_stress

    return run_study(args, run_stress)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """``crmsim sensitivity``."""
    from sim.studies.sensitivity import run_sensitivity

    return run_study(args, run_sensitivity)


def cmd_discover(args: argparse.Namespace) -> int:
    """``crmsim discover``."""
    from sim.studies.discover import run_discover

    return run_study(args, run_discover)


def cmd_breakeven(args: argparse.Namespace) -> int:
    """``crmsim breakeven``."""
    from sim.studies.breakeven import run_breakeven

    return run_study(args, run_breakeven)


def cmd_tune(args: argparse.Namespace) -> int:
    """``crmsim tune``."""
    from sim.studies.tune import run_tune

    return run_study(args, run_tune)
