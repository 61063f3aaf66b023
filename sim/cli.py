"""The ``crmsim`` command line: list, show, validate, run, compare and sweep scenarios; report;
calibrate a customer segment from transaction data.

Exit codes: 0 success, 2 bad input (a scenario file, flag, strategy or transaction file: any
:class:`sim.errors.InputError`), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from sim import scenario as scenarios
from sim.config import INFO_SECTIONS, MONTH_DAYS
from sim.csv_layout import CsvLayout
from sim.errors import InputError
from sim.strategies import STRATEGIES

if TYPE_CHECKING:  # the commands import what they need, so that list/show/validate start fast
    import pandas as pd

    from sim.sweep import Sweep

BAD_INPUT = 2
INTERRUPTED = 130

EXAMPLES = {
    "list": "examples:\n  crmsim list",
    "show": "examples:\n  crmsim show flagship",
    "validate": "examples:\n  crmsim validate scenarios/*.toml my_market.toml",
    "run": """examples:
  crmsim run flagship --seeds 30 --out results/flagship
  crmsim run flagship --seeds 5 --periods 24 --set homogenisation.rate=0
  crmsim run my_market.toml --set 'firms[1].strategy.crm=3.0' --workers 2""",
    "compare": """examples:
  crmsim compare flagship --firm CustomerCo --strategies customer_centric,product_centric,static
  crmsim compare flagship --rotate --seeds 20      # every firm plays every strategy""",
    "sweep": """examples:
  crmsim sweep flagship --grid homogenisation.rate=0,0.05,0.15 --seeds 10
  crmsim sweep flagship --grid economics.acquisition_cost=10,50,100 \\
                        --grid economics.retention_cost=5,10 --seeds 5""",
    "report": """examples:
  crmsim report results/flagship            # an experiment folder of 'crmsim run'
  crmsim report results/flagship-sweep      # a folder of 'crmsim sweep' or 'crmsim compare'""",
    "calibrate": """examples:
  crmsim calibrate sales.csv --out calibrated          # columns customer_id, date, amount
  crmsim calibrate orders.csv --customer-column client --date-column day \\
      --amount-column total --date-format %d/%m/%Y --calibration-end 2024-06-30 \\
      --holdout-end 2024-12-31 --period-days 7 --out calibrated
  crmsim run calibrated/scenario.toml --seeds 10       # simulate the calibrated customers""",
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


def add_run_options(parser: argparse.ArgumentParser, default_seeds: int) -> None:
    """Options shared by run, compare and sweep."""
    parser.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    parser.add_argument(
        "--seeds",
        type=positive_int,
        default=default_seeds,
        help=f"replications per variant (default {default_seeds})",
    )
    parser.add_argument("--first-seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument(
        "--periods", type=positive_int, help="periods per run (default: scenario's)"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override one scenario key, e.g. homogenisation.rate=0 (repeatable)",
    )
    parser.add_argument("--out", type=Path, help="output folder (default results/<scenario>…)")
    parser.add_argument(
        "--workers", type=positive_int, help="worker processes (default: all cores)"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the report's path")


def positive_float(text: str) -> float:
    """argparse type: a number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not allowed; use a number > 0")
    return value


def iso_date(text: str) -> pd.Timestamp:
    """argparse type: a date YYYY-MM-DD."""
    import pandas as pd

    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


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
    run = command("run", "Run seeded replications of a scenario; write results and a report.")
    add_run_options(run, default_seeds=10)
    compare = command(
        "compare", "Run the same market with firms swapping strategies, and compare them."
    )
    add_run_options(compare, default_seeds=10)
    how = compare.add_mutually_exclusive_group(required=True)
    how.add_argument("--firm", help="the firm whose strategy changes (with --strategies)")
    how.add_argument("--rotate", action="store_true", help="rotate all firms' strategies")
    compare.add_argument(
        "--strategies", help=f"comma-separated strategies for --firm ({', '.join(STRATEGIES)})"
    )
    sweep = command("sweep", "Run a grid of parameter values over seeds, and compare them.")
    add_run_options(sweep, default_seeds=5)
    sweep.add_argument(
        "--grid",
        action="append",
        required=True,
        metavar="KEY.PATH=V1,V2,…",
        help="values of one scenario key to sweep (repeatable: the grid is their product)",
    )
    report = command("report", "(Re)write the report of a finished results folder.")
    report.add_argument("folder", type=Path, help="an output folder of run, compare or sweep")
    calibrate = command(
        "calibrate",
        "Fit purchase rates, dropout and spend (BG/NBD, Gamma-Gamma) to a transaction CSV; "
        "write a scenario fragment and a fit report.",
    )
    calibrate.add_argument("transactions", type=Path, help="CSV file, one line per purchase")
    calibrate.add_argument("--out", type=Path, default=Path("calibrated"), help="output folder")
    layout = CsvLayout()
    for key, default in layout.columns().items():
        calibrate.add_argument(
            f"--{key}-column", default=default, help=f"column of the {key} (default {default})"
        )
    calibrate.add_argument(
        "--date-format", help="strftime format of the dates, e.g. %%Y%%m%%d (default: inferred)"
    )
    calibrate.add_argument(
        "--calibration-end", type=iso_date, help="last day of the fit (default: mid-data)"
    )
    calibrate.add_argument(
        "--holdout-end", type=iso_date, help="last day of the holdout (default: last purchase)"
    )
    calibrate.add_argument(
        "--period-days",
        type=positive_float,
        default=MONTH_DAYS,
        help=f"days in one model period (default {MONTH_DAYS:g}, a month)",
    )
    calibrate.add_argument("--seed", type=int, default=0, help="seed of the holdout simulation")
    return parser


def cmd_list(args: argparse.Namespace) -> int:
    """Print each shipped scenario with its title."""
    for name in scenarios.available():
        print(f"{name:24s} {scenarios.load(name).scenario.info.title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the Info sections and the firms of a scenario."""
    loaded = scenarios.load(args.scenario)
    sc = loaded.scenario
    print(f"{loaded.name}: {sc.info.title}  (hash {loaded.hash})\n")
    for field in INFO_SECTIONS:
        text = getattr(sc.info, field).strip()
        if text:
            print(field.replace("_", " ").upper())
            print(text + "\n")
    print(f"{sc.customers.count} customers, {sc.periods} periods, firms:")
    for firm in sc.firms:
        print(f"  {firm.name:14s} {firm.strategy.name:20s} price {firm.price:g}")
    for event in sc.events:
        print(f"  event: {event.kind} in period {event.period}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate each file; report every bad one; exit 2 if any is bad."""
    bad = 0
    for name in args.files:
        try:
            loaded = scenarios.load(name)
        except InputError as exc:
            bad += 1
            print(exc, file=sys.stderr)
        else:
            print(f"{name}: valid (hash {loaded.hash})")
    return BAD_INPUT if bad else 0


def progress(total: int, label: str, quiet: bool) -> tqdm:
    """A progress bar on stderr (silent with --quiet or when there is nothing to do)."""
    return tqdm(total=total, desc=label, unit="run", disable=quiet or total == 0)


def finish(args: argparse.Namespace, report: Path, table: pd.DataFrame, title: str) -> int:
    """Print the outcome table and where the results are (only the report with --quiet)."""
    if args.quiet:
        print(report)
        return 0
    print(f"\n{title}: mean [95% interval] across runs\n")
    print(table.to_string())
    out = report.parent
    print(f"\nreport:  {report}  (also report.md)\nsummary: {out / 'summary.csv'}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run replications, write results and report, print the outcome table."""
    from sim.experiment import Experiment, command_line, run_experiment, seed_list
    from sim.report import outcomes_frame, write_report

    loaded = scenarios.load(args.scenario, args.overrides)
    out = args.out or Path("results") / loaded.name
    experiment = Experiment(
        loaded, seed_list(args.seeds, args.first_seed), out, args.periods, command_line()
    )
    with progress(len(experiment.pending()), f"{loaded.name}: runs", args.quiet) as bar:
        metrics, summary = run_experiment(
            experiment, workers=args.workers, on_done=lambda _: bar.update()
        )
    report = write_report(out, metrics, summary)
    return finish(args, report, outcomes_frame(summary), loaded.scenario.info.title or loaded.name)


def run_sweep(args: argparse.Namespace, sweep: Sweep, title: str) -> int:
    """Run a sweep or comparison with a progress bar; write and print its report."""
    from sim.report import variants_frame, write_sweep_report

    experiments = sweep.experiments()
    todo = sum(len(e.pending()) for e in experiments)
    with progress(todo, f"{sweep.scenario}: runs", args.quiet) as bar:
        _, summary = sweep.run(
            workers=args.workers, on_done=lambda *_: bar.update(), experiments=experiments
        )
    report = write_sweep_report(sweep.out, summary, title)
    return finish(args, report, variants_frame(summary), title)


def cmd_compare(args: argparse.Namespace) -> int:
    """Same market, firms swapping strategies."""
    from sim.experiment import command_line, seed_list
    from sim.sweep import Sweep, rotation_variants, strategy_variants

    base = scenarios.load(args.scenario, args.overrides)
    if args.rotate:
        variants = rotation_variants(base)
    elif not args.strategies:
        raise scenarios.ScenarioError(
            "--firm needs --strategies, e.g. --strategies static,sales_push"
        )
    else:
        variants = strategy_variants(base, args.firm, args.strategies.split(","))
    sweep = Sweep(
        args.scenario,
        variants,
        seed_list(args.seeds, args.first_seed),
        args.out or Path("results") / f"{base.name}-compare",
        args.overrides,
        args.periods,
        command_line(),
    )
    return run_sweep(args, sweep, f"{base.scenario.info.title or base.name}: strategies compared")


def cmd_sweep(args: argparse.Namespace) -> int:
    """A grid over scenario keys."""
    from sim.experiment import command_line, seed_list
    from sim.sweep import Sweep, grid_variants, parse_grid

    base = scenarios.load(args.scenario, args.overrides)
    grid = parse_grid(args.grid)
    sweep = Sweep(
        args.scenario,
        grid_variants(grid),
        seed_list(args.seeds, args.first_seed),
        args.out or Path("results") / f"{base.name}-sweep",
        args.overrides,
        args.periods,
        command_line(),
    )
    return run_sweep(
        args, sweep, f"{base.scenario.info.title or base.name}: sweep of " + ", ".join(grid)
    )


def cmd_report(args: argparse.Namespace) -> int:
    """Rewrite the report of a results folder."""
    import pandas as pd

    from sim.experiment import ExperimentError
    from sim.report import write_report, write_sweep_report

    folder: Path = args.folder
    summary_file = folder / "summary.csv"
    if not summary_file.is_file():
        raise ExperimentError(
            f"{folder}: not a finished results folder (no summary.csv; 'crmsim run', "
            "'compare' or 'sweep' write one)"
        )
    summary = pd.read_csv(summary_file)
    if (folder / "sweep.json").is_file():
        report = write_sweep_report(folder, summary, f"{summary['scenario'].iloc[0]}: variants")
    else:
        report = write_report(folder, pd.read_parquet(folder / "metrics.parquet"), summary)
    print(report)
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit, write the scenario fragment and the report, print where they are."""
    from sim.calibrate import calibrate, write_outputs
    from sim.transaction_log import read_transactions

    layout = CsvLayout(args.customer_column, args.date_column, args.amount_column, args.date_format)
    transactions = read_transactions(args.transactions, layout)
    result = calibrate(
        transactions,
        str(args.transactions),
        args.calibration_end,
        args.holdout_end,
        args.period_days,
        args.seed,
    )
    paths = write_outputs(result, args.out)
    print(f"scenario fragment: {paths['scenario.toml']}\nreport: {paths['report.md']}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": cmd_list,
    "show": cmd_show,
    "validate": cmd_validate,
    "run": cmd_run,
    "compare": cmd_compare,
    "sweep": cmd_sweep,
    "report": cmd_report,
    "calibrate": cmd_calibrate,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``crmsim`` command."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"crmsim {args.command}: {exc}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print(
            "\ninterrupted: finished runs are saved; run the same command again to resume.",
            file=sys.stderr,
        )
        return INTERRUPTED
    except (OSError, json.JSONDecodeError) as exc:
        print(f"crmsim {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
