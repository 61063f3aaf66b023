"""The ``crmsim`` command line's arguments: one sub-command per action, with examples."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sim.calibration.csv_layout import CsvLayout
from sim.schema import MONTH_DAYS
from sim.strategies import BUILTIN

if TYPE_CHECKING:  # for annotations only: pandas is imported when a date is parsed
    import pandas as pd

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
        "--strategies", help=f"comma-separated strategies for --firm ({', '.join(BUILTIN)})"
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
