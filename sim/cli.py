"""The ``crmsim`` command line: list, show, validate and run scenarios; report on results.

Exit codes: 0 success, 2 bad input (scenario file, flag, strategy), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from sim import scenario as scenarios
from sim.analysis import outcome_table
from sim.experiment import Experiment, ExperimentError, command_line, run_experiment, seed_list
from sim.report import OUTCOMES, format_interval, write_report
from sim.strategies import StrategyError

BAD_INPUT = 2
INTERRUPTED = 130

EXAMPLES = {
    "run": """examples:
  crmsim run flagship --seeds 30 --out results/flagship
  crmsim run flagship --seeds 5 --periods 24 --set homogenisation.rate=0
  crmsim run my_market.toml --set 'firms[1].strategy.crm=3.0' --workers 2""",
    "show": "examples:\n  crmsim show flagship",
    "validate": "examples:\n  crmsim validate scenarios/*.toml my_market.toml",
    "list": "examples:\n  crmsim list",
    "report": "examples:\n  crmsim report results/flagship",
}


def positive_int(text: str) -> int:
    """argparse type: an integer ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed; use a whole number ≥ 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per action."""
    parser = argparse.ArgumentParser(
        prog="crmsim",
        description="Agent-based market simulation: why customer-centric firms win or lose.",
        epilog="Run 'crmsim COMMAND --help' for a command's options and examples.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    command("list", "List the shipped scenarios with their titles.")
    show = command("show", "Print a scenario's documentation (its Info tab) and settings.")
    show.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    validate = command("validate", "Check scenario files without running them.")
    validate.add_argument("files", nargs="+", help="scenario names or .toml files")

    run = command("run", "Run seeded replications of a scenario and write results and a report.")
    run.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    run.add_argument("--seeds", type=positive_int, default=10, help="replications (default 10)")
    run.add_argument("--first-seed", type=int, default=0, help="seed of the first run (default 0)")
    run.add_argument("--periods", type=positive_int, help="periods per run (default: scenario's)")
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override one scenario key, e.g. homogenisation.rate=0 (repeatable)",
    )
    run.add_argument("--out", type=Path, help="output folder (default results/<scenario>)")
    run.add_argument("--workers", type=positive_int, help="worker processes (default: all cores)")
    run.add_argument("--quiet", action="store_true", help="print only the report's path")

    report = command("report", "(Re)write the report of a finished results folder.")
    report.add_argument("folder", type=Path, help="an output folder of 'crmsim run'")
    return parser


def cmd_list(args: argparse.Namespace) -> int:
    """Print each shipped scenario with its title."""
    for name in scenarios.available():
        title = scenarios.load(name).scenario.info.title
        print(f"{name:24s} {title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the Info sections and the firms of a scenario."""
    loaded = scenarios.load(args.scenario)
    sc = loaded.scenario
    print(f"{loaded.name}: {sc.info.title}  (hash {loaded.hash})\n")
    for field in (
        "what_is_it",
        "how_it_works",
        "how_to_use_it",
        "things_to_notice",
        "things_to_try",
        "extending_the_model",
    ):
        text = getattr(sc.info, field).strip()
        if text:
            print(field.replace("_", " ").upper())
            print(text + "\n")
    print(f"{sc.customers.count} customers, {sc.periods} periods, firms:")
    for firm in sc.firms:
        print(f"  {firm.name:14s} {firm.strategy.name:20s} price {firm.price:g}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate each file; report every bad one; exit 2 if any is bad."""
    bad = 0
    for name in args.files:
        try:
            loaded = scenarios.load(name)
        except (scenarios.ScenarioError, StrategyError) as exc:
            bad += 1
            print(exc, file=sys.stderr)
        else:
            print(f"{name}: valid (hash {loaded.hash})")
    return BAD_INPUT if bad else 0


def outcomes_text(summary: pd.DataFrame) -> str:
    """The outcome table for a terminal."""
    table = outcome_table(summary, OUTCOMES)
    shown = table[["strategy"]].copy()
    for label in OUTCOMES.values():
        shown[label] = table[label].map(format_interval)
    return shown.to_string()


def cmd_run(args: argparse.Namespace) -> int:
    """Run replications, write results and report, print the outcome table."""
    loaded = scenarios.load(args.scenario, args.overrides)
    out = args.out or Path("results") / loaded.name
    experiment = Experiment(
        loaded, seed_list(args.seeds, args.first_seed), out, args.periods, command_line()
    )
    todo = len(experiment.pending())
    bar = tqdm(total=todo, desc=f"{loaded.name}: runs", unit="run", disable=args.quiet or todo == 0)
    try:
        metrics, summary = run_experiment(
            experiment, workers=args.workers, on_done=lambda _: bar.update()
        )
    finally:
        bar.close()
    report = write_report(out, metrics, summary, loaded.scenario.info.title or loaded.name)
    if args.quiet:
        print(report)
        return 0
    print(
        f"\n{loaded.scenario.info.title or loaded.name}: {len(experiment.seeds)} runs, "
        "mean [95% interval]\n"
    )
    print(outcomes_text(summary))
    print(
        f"\nreport:  {report}\nfigure:  {out / 'over_time.png'}\n"
        f"summary: {out / 'summary.csv'}\nmetrics: {out / 'metrics.parquet'}"
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Rewrite report.md and the figure from a results folder."""
    metrics_file = args.folder / "metrics.parquet"
    summary_file = args.folder / "summary.csv"
    if not (metrics_file.is_file() and summary_file.is_file()):
        raise ExperimentError(
            f"{args.folder}: not a finished results folder (needs metrics.parquet and "
            "summary.csv, written by 'crmsim run')"
        )
    summary = pd.read_csv(summary_file)
    report = write_report(
        args.folder, pd.read_parquet(metrics_file), summary, str(summary["scenario"].iloc[0])
    )
    print(report)
    return 0


COMMANDS = {
    "list": cmd_list,
    "show": cmd_show,
    "validate": cmd_validate,
    "run": cmd_run,
    "report": cmd_report,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``crmsim`` command."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (scenarios.ScenarioError, StrategyError, ExperimentError) as exc:
        print(f"crmsim {args.command}: {exc}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print(
            "\ninterrupted: finished runs are saved; run the same command again to resume.",
            file=sys.stderr,
        )
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
