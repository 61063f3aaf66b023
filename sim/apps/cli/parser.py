"""The ``crmsim`` command line's arguments: one sub-command per action, with examples."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sim.apps.cli.arguments import (
    first_seed,
    iso_date,
    language,
    last_seed_problem,
    output_folder,
    period_count,
    period_days,
    port_number,
    positive_float,
    positive_int,
    research_price,
    seed_count,
    seed_number,
    whole_number,
    worker_count,
)
from sim.apps.cli.course import add_course_commands
from sim.calibration.csv_layout import CsvLayout
from sim.schema import MONTH_DAYS
from sim.strategies import BUILTIN

if TYPE_CHECKING:  # for annotations only: pandas is imported when a date is parsed
    pass

EXAMPLES = {
    "list": "examples:\n  crmsim list",
    "show": "examples:\n  crmsim show flagship\n  crmsim show flagship --lang zh",
    "validate": "examples:\n  crmsim validate scenarios/*.toml my_market.toml",
    "run": """examples:
  crmsim run flagship --seeds 30 --out results/flagship
  crmsim run flagship --lang zh        # the report and its figures in Chinese (中文)
  crmsim run flagship --seeds 5 --periods 24 --set homogenisation.rate=0
  crmsim run my_market.toml --set 'firms[1].strategy.crm=3.0' --workers 2""",
    "compare": """examples:
  crmsim compare flagship --firm CustomerCo --strategies customer_centric,product_centric,static
  crmsim compare flagship --rotate --seeds 20      # every firm plays every strategy
  crmsim compare flagship --rotate --scheduler tcp://10.0.0.5:8786   # on a Dask cluster""",
    "sweep": """examples:
  crmsim sweep flagship --grid homogenisation.rate=0,0.05,0.15 --seeds 10
  crmsim sweep flagship --grid economics.acquisition_cost=10,50,100 \\
                        --grid economics.retention_cost=5,10 --seeds 5
  crmsim sweep flagship --grid homogenisation.rate=0,0.1 --dask-workers 2  # local Dask""",
    "report": """examples:
  crmsim report results/flagship            # an experiment folder of 'crmsim run'
  crmsim report results/flagship-sweep      # a folder of 'crmsim sweep' or 'crmsim compare'
  crmsim report results/flagship --lang zh  # rewrite it in Chinese (中文)""",
    "calibrate": """examples:
  crmsim calibrate sales.csv --out calibrated          # columns customer_id, date, amount
  crmsim calibrate orders.csv --customer-column client --date-column day \\
      --amount-column total --date-format %d/%m/%Y --calibration-end 2024-06-30 \\
      --holdout-end 2024-12-31 --period-days 7 --out calibrated
  crmsim run calibrated/scenario.toml --seeds 10       # simulate the calibrated customers""",
    "app": """examples:
  crmsim app                                  # the flagship market, at http://127.0.0.1:8765/
  crmsim app price_war --port 9000
  crmsim app my_market.toml --host 0.0.0.0    # reachable from the classroom's network""",
    "game": """examples:
  crmsim game new flagship --teams 4 --rounds 8 --periods-per-round 3 --deadline 15 --bots 1
  crmsim game new flagship --teams 4 --rounds 8 --periods-per-round 3 \\
                  --research-price survey=0.5 --research-price churn_clv=1.5   # dearer studies
  crmsim game serve games/flagship --host 0.0.0.0     # team and instructor pages
  crmsim game submit games/flagship --code TEAM_CODE decision.toml
  crmsim game advance games/flagship --key INSTRUCTOR_KEY
  crmsim game export games/flagship --key INSTRUCTOR_KEY --out grades.csv
  crmsim game debrief games/flagship --key INSTRUCTOR_KEY   # writes games/flagship/debrief.html""",
}


def add_language(parser: argparse.ArgumentParser) -> None:
    """--lang: the language of the report and its figures, en (English) or zh (中文)."""
    what = "language of the report and its figures: en (English, default) or zh (中文)"
    parser.add_argument("--lang", type=language, default="en", metavar="{en,zh}", help=what)


DECISION_SECONDS = 60.0  # a strategy that takes longer to decide is stopped


def add_run_options(parser: argparse.ArgumentParser, default_seeds: int) -> None:
    """Options shared by run, compare and sweep."""
    parser.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    parser.add_argument(
        "--seeds",
        type=seed_count,
        default=default_seeds,
        help=f"replications per variant (default {default_seeds})",
    )
    parser.add_argument("--first-seed", type=first_seed, default=0, help="first seed (default 0)")
    parser.add_argument(
        "--periods", type=period_count, help="periods per run (default: scenario's)"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override one scenario key, e.g. homogenisation.rate=0 (repeatable)",
    )
    parser.add_argument(
        "--out", type=output_folder, help="output folder (default results/<scenario>…)"
    )
    add_language(parser)
    add_where_options(parser)
    add_decision_limit_and_quiet(parser)


def add_where_options(parser: argparse.ArgumentParser) -> None:
    """Where the runs go (one of): --workers, --dask-workers, --scheduler."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=worker_count, help="local worker processes (default: all cores)"
    )
    where.add_argument(
        "--dask-workers", type=worker_count, metavar="N", help="start a local Dask cluster"
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="an existing Dask scheduler, tcp://HOST:PORT"
    )


def add_decision_limit_and_quiet(parser: argparse.ArgumentParser) -> None:
    """--decision-seconds and --quiet, as every command that runs markets takes them."""
    parser.add_argument(
        "--decision-seconds",
        type=positive_float,
        default=DECISION_SECONDS,
        metavar="S",
        help=f"time limit on each strategy decision (default {DECISION_SECONDS:g} s)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the report's path")


STUDY_COMMANDS = {
    "stress": "Stress-test a policy: every cell of uncertainties × rivals × shocks, against the "
    "benchmark strategies; outcome distributions and regret.",
    "sensitivity": "Which uncertainties decide the outcome: Morris screening and Sobol indices "
    "(SALib), with 95% confidence intervals.",
    "discover": "Scenario discovery: the ranges of the uncertainties in which the policy fails "
    "(PRIM), with coverage and density.",
    "breakeven": "The value of a scenario key at which the preferred strategy flips, with its "
    "95% interval.",
    "tune": "Tune the policy's levers (Optuna) for a risk measure; re-check the best on fresh "
    "seeds.",
}

STUDY_EXAMPLES = """examples:
  crmsim {name} studies/loyalty_stress.toml
  crmsim {name} studies/loyalty_stress.toml --dask-workers 2          # a local Dask cluster
  crmsim {name} my_study.toml --scheduler tcp://10.0.0.5:8786 --out results/my-study"""


STUDY_EXTRA_EXAMPLES = {
    "breakeven": "\n  crmsim breakeven studies/loyalty_stress.toml "
    "--parameter economics.acquisition_cost"
}


def add_study_commands(sub: argparse._SubParsersAction) -> None:
    """Add the study sub-commands to the ``crmsim`` parser's sub-parsers."""
    for name, help_text in STUDY_COMMANDS.items():
        parser = sub.add_parser(
            name,
            help=help_text.replace("%", "%%"),  # argparse %-formats the list's help texts
            description=help_text,
            epilog=STUDY_EXAMPLES.format(name=name) + STUDY_EXTRA_EXAMPLES.get(name, ""),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument("study", help="a study file (.toml; docs/stress-testing.md)")
        parser.add_argument(
            "--out", type=output_folder, help=f"output folder (default results/<study>-{name})"
        )
        add_where_options(parser)
        add_decision_limit_and_quiet(parser)
        if name == "breakeven":
            parser.add_argument(
                "--parameter", metavar="KEY", help="scenario key (default: the study's)"
            )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's arguments; an argument the command does not take is reported with that
    command's usage (argparse's own message shows the top-level usage, which lists no options)."""
    args, extra = build_parser().parse_known_args(argv)
    if extra:
        args.command_parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if hasattr(args, "first_seed") and hasattr(args, "seeds"):
        problem = last_seed_problem(args.first_seed, args.seeds)
        if problem:
            args.command_parser.error(problem)
    return args


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
            help=help_text.replace("%", "%%"),  # argparse %-formats the list's help texts
            description=help_text,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    command("list", "List the shipped scenarios with their titles.")
    show = command("show", "Print a scenario's documentation (its Info tab) and settings.")
    show.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    show.add_argument(
        "--lang",
        type=language,
        default="en",
        metavar="{en,zh}",
        help="language of the Info text: en (English, default) or zh (中文)",
    )
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
    add_language(report)
    app = command("app", "Start the browser app (set up, run, steer and compare markets).")
    app.add_argument("scenario", nargs="?", help="scenario to open (default: flagship)")
    app.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    app.add_argument("--port", type=port_number, default=8765, help="port (default 8765)")
    calibrate = command(
        "calibrate",
        "Fit purchase rates, dropout and spend (BG/NBD, Gamma-Gamma) to a transaction CSV; "
        "write a scenario fragment and a fit report.",
    )
    calibrate.add_argument("transactions", type=Path, help="CSV file, one line per purchase")
    calibrate.add_argument("--out", type=output_folder, default="calibrated", help="output folder")
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
        type=period_days,
        default=MONTH_DAYS,
        help=f"days in one model period (default {MONTH_DAYS:g}, a month)",
    )
    calibrate.add_argument(
        "--seed", type=seed_number, default=0, help="seed of the holdout simulation"
    )
    calibrate.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    add_study_commands(sub)
    add_course_commands(sub)
    add_game_commands(command("game", "The classroom game: teams run rival firms, round by round."))
    for each in sub.choices.values():  # so that parse() reports with the command's own usage
        each.set_defaults(command_parser=each)
    return parser


def add_game_commands(game: argparse.ArgumentParser) -> None:
    """``crmsim game new|submit|advance|export|serve`` (docs/game.md)."""
    actions = game.add_subparsers(dest="game_command", required=True, metavar="ACTION")
    new = actions.add_parser("new", help="create a game folder; print join codes and the key")
    new.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    new.add_argument("--teams", type=positive_int, required=True, help="student teams")
    new.add_argument("--rounds", type=positive_int, required=True, help="decision rounds")
    new.add_argument(
        "--periods-per-round", type=positive_int, required=True, help="model periods per round"
    )
    new.add_argument("--deadline", type=positive_float, metavar="MIN", help="minutes per round")
    new.add_argument("--bots", type=whole_number, default=0, help="seats played by strategies")
    new.add_argument("--budget", type=positive_float, default=8.0, help="$ per capita per period")
    new.add_argument(
        "--research-price",
        type=research_price,
        action="append",
        default=[],
        metavar="STUDY=DOLLARS",
        help="a study's price, $ per capita per period, from 0 to the budget (repeatable; "
        "studies not named keep their default price, docs/game.md)",
    )
    new.add_argument("--seed", type=seed_number, help="the market's seed (default: random)")
    new.add_argument("--out", type=output_folder, help="game folder (default games/<scenario>)")
    submit = actions.add_parser("submit", help="submit a team's decision file (TOML)")
    submit.add_argument("game", type=Path, help="the game folder")
    submit.add_argument("--code", required=True, help="the team's join code")
    submit.add_argument("file", type=Path, help="decision file: price = 95.0, crm = 2.0, …")
    for name, text in (
        ("advance", "close the open round and play it"),
        ("export", "write every decision and result as CSV"),
        ("debrief", "replay each team's path over seeds and against the built-in strategies"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("game", type=Path, help="the game folder")
        action.add_argument("--key", required=True, help="the instructor key")
    actions.choices["export"].add_argument("--out", type=Path, help="CSV file (default in game)")
    debrief = actions.choices["debrief"]
    debrief.add_argument("--seeds", type=seed_count, default=30, help="seeds (default 30)")
    debrief.add_argument("--workers", type=worker_count, help="processes (default: this one)")
    serve = actions.add_parser("serve", help="serve the team and instructor pages")
    serve.add_argument("game", type=Path, help="the game folder")
    serve.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8770, help="port (default 8770)")
