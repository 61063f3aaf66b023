"""What each ``crmsim`` sub-command does. Each imports what it needs when it runs, so that
``crmsim list`` and ``validate`` start without pandas, matplotlib or Mesa (``show`` runs month 1
of the market, for the prices firms charge)."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from sim.errors import InputError
from sim.scenarios import ScenarioError, available, load, warnings_for
from sim.schema import INFO_SECTIONS

if TYPE_CHECKING:  # for annotations only: the commands import what they need when they run
    from concurrent.futures import Executor

    import pandas as pd

    from sim.experiments.executors import Where
    from sim.experiments.folders import Experiment
    from sim.experiments.sweep import Sweep
    from sim.schema import MarketSpec

BAD_INPUT = 2
ZH_HEADINGS = {  # the Info sections' headings in Chinese (crmsim show --lang zh)
    "what_is_it": "这是什么",
    "how_it_works": "工作原理",
    "how_to_use_it": "如何使用",
    "things_to_notice": "值得注意",
    "things_to_try": "可以尝试",
    "extending_the_model": "扩展模型",
}


def command_line(argv: Iterable[str] | None = None) -> str:
    """The command as typed, for the manifest."""
    return shlex.join(["crmsim", *(sys.argv[1:] if argv is None else argv)])


def cmd_list(args: argparse.Namespace) -> int:
    """Print each shipped scenario with its title."""
    for name in available():
        print(f"{name:24s} {load(name).spec.info.title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the Info sections (in ``--lang``), the firms and the prices they charge in month 1."""
    loaded = load(args.scenario)
    sc = loaded.spec
    info = sc.info.text(args.lang)
    print(f"{loaded.name}: {info.title}  (hash {loaded.hash})\n")
    for field in INFO_SECTIONS:
        text = getattr(info, field).strip()
        if text:
            heading = field.replace("_", " ").upper()
            print(f"{heading} · {ZH_HEADINGS[field]}" if args.lang == "zh" else heading)
            print(text + "\n")
    print(f"{sc.customers.count} customers, {sc.periods} periods, firms:")
    offers = month_one_offers(sc)
    for firm, offer in zip(sc.firms, offers, strict=True):
        print(f"  {firm.name:14s} {firm.strategy.name:20s} starting price ${firm.price:g}")
        print(f"  {'':14s} month 1: {offer}")
    for event in sc.events:
        print(f"  event: {event.kind} in period {event.period}")
    return 0


def month_one_offers(spec: MarketSpec) -> list[str]:
    """Per firm, the prices ($ per basket) it charges in month 1, after its strategy's first
    decision (and the events of month 1): list price, and the discounted prices for new or
    lapsed customers and for repeat customers; "not in the market" for a firm that enters
    later. One seeded month of the market (seed 0) is run to get them."""
    from sim.model import Market

    market = Market(spec, rng=0, record_transactions=False).run(1)
    present = market.conditions.present
    offers = []
    for firm in market.firms:
        if not present[firm.index]:
            offers.append("not in the market")
            continue
        d = firm.decision
        parts = [f"list price ${d.price:,.2f}"]
        for share, who in (
            (d.first_purchase_discount, "new and lapsed customers"),
            (d.loyalty_discount, "repeat customers"),
        ):
            if share > 0:
                parts.append(f"${d.price * (1 - share):,.2f} to {who} ({share:.0%} off)")
        offers.append("; ".join(parts))
    return offers


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate each file; report every bad one; exit 2 if any is bad."""
    bad = 0
    for name in args.files:
        try:
            loaded = load(name)
        except InputError as exc:
            bad += 1
            print(exc, file=sys.stderr)
        else:
            print(f"{name}: valid (hash {loaded.hash})")
            warn(warnings_for(loaded.spec), f"{name}: ")
    return BAD_INPUT if bad else 0


CUSTOMER_PERIODS_PER_SECOND = 1.0e6  # per worker, a cautious reading of docs/performance.md
BYTES_PER_FIRM_PERIOD = 600  # a run file's size per firm and period (Parquet, 45 columns)
ANNOUNCE_SECONDS = 180  # runs expected to take longer are announced before they start


def where(args: argparse.Namespace) -> Where:
    """Where the command's runs go: --scheduler, --dask-workers or --workers."""
    from sim.experiments.executors import Where

    return Where(args.scheduler, args.dask_workers, args.workers)


@contextmanager
def executor(
    args: argparse.Namespace, experiments: list[Experiment]
) -> Iterator[tuple[Executor | None, int | None]]:
    """The executor the options choose (:func:`sim.experiments.executors.open_executor`), its
    Dask workers sent the files of the experiments' strategies; announces the work first."""
    from sim.experiments.executors import open_executor, strategy_files

    names = [f.strategy.name for e in experiments for f in e.loaded.spec.firms]
    with open_executor(where(args), strategy_files(names)) as (pool, workers):
        announce(args, experiments, workers)
        yield pool, workers


def announce(args: argparse.Namespace, experiments: list[Experiment], workers: int | None) -> None:
    """Before a long command starts: warn about more local workers than cores, and print the
    estimated time and disk space of runs expected to take more than a few minutes on
    ``workers`` workers (default: the local process pool's)."""
    runs = [(e, len(e.pending())) for e in experiments]  # pending: one listing of runs/
    kept = sum(len(e.seeds) - n for e, n in runs)
    if kept and not args.quiet:
        total = sum(len(e.seeds) for e in experiments)
        print(f"resuming: {kept} of {total} runs are already finished there", file=sys.stderr)
    cores = os.cpu_count() or 1
    local = not (args.scheduler or args.dask_workers)
    workers = workers or cores
    if local and workers > cores:
        print(
            f"warning: --workers {workers} is more than this machine's {cores} cores; runs "
            "will not go faster and use more memory",
            file=sys.stderr,
        )
    usable = min(workers, cores) if local else workers
    work = sum(n * e.loaded.spec.customers.count * e.run_periods for e, n in runs)
    seconds = work / CUSTOMER_PERIODS_PER_SECOND / usable
    size = sum(n * len(e.loaded.spec.firms) * e.run_periods for e, n in runs)
    if seconds > ANNOUNCE_SECONDS and not args.quiet:
        print(
            f"{sum(n for _, n in runs)} runs to do: about {seconds / 60:,.0f} minutes on "
            f"{usable} workers and {size * BYTES_PER_FIRM_PERIOD / 1e6:,.0f} MB of "
            "results (Ctrl-C stops; the same command resumes)",
            file=sys.stderr,
        )


def redone(experiments: Iterable[Experiment]) -> list[str]:
    """A line for each run file that was found damaged or changed since crmsim wrote it, and
    was therefore run again."""
    return [
        f"warning: {e.runs_dir / name} was damaged or changed since crmsim wrote it; its run was "
        "done again"
        for e in experiments
        for name in e.redone
    ]


def warn(lines: Iterable[str], prefix: str = "") -> None:
    """Print each warning once, on stderr."""
    for line in dict.fromkeys(lines):
        print(f"{prefix}{line}", file=sys.stderr)


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
    from sim.experiments import Experiment, run_experiment, seed_list
    from sim.reporting import outcomes_frame, write_report

    loaded = load(args.scenario, args.overrides)
    out = args.out or Path("results") / loaded.name
    experiment = Experiment(
        loaded, seed_list(args.seeds, args.first_seed), out, args.periods, command_line()
    )
    warn(warnings_for(loaded.spec, args.periods))
    with (
        executor(args, [experiment]) as (pool, workers),
        progress(len(experiment.pending()), f"{loaded.name}: runs", args.quiet) as bar,
    ):
        metrics, summary = run_experiment(
            experiment,
            pool,
            workers,
            on_done=lambda _: bar.update(),
            decision_seconds=args.decision_seconds,
        )
    warn(redone([experiment]))
    report = write_report(out, metrics, summary, args.lang)
    table = outcomes_frame(summary, args.lang)
    return finish(args, report, table, loaded.spec.info.title or loaded.name)


def run_sweep(args: argparse.Namespace, sweep: Sweep) -> int:
    """Run a sweep or comparison with a progress bar; write and print its report."""
    from sim.reporting import variants_frame, write_sweep_report

    experiments = sweep.experiments()
    warn(line for e in experiments for line in warnings_for(e.loaded.spec, e.periods))
    todo = sum(len(e.pending()) for e in experiments)
    with (
        executor(args, experiments) as (pool, workers),
        progress(todo, f"{sweep.scenario}: runs", args.quiet) as bar,
    ):
        _, summary = sweep.run(
            pool,
            workers,
            on_done=lambda *_: bar.update(),
            experiments=experiments,
            decision_seconds=args.decision_seconds,
        )
    warn(redone(experiments))
    report = write_sweep_report(sweep.out, summary, sweep.title, args.lang)
    return finish(args, report, variants_frame(summary, args.lang), sweep.title)


def cmd_compare(args: argparse.Namespace) -> int:
    """Same market, firms swapping strategies."""
    from sim.experiments import Sweep, rotation_variants, seed_list, strategy_variants

    base = load(args.scenario, args.overrides)
    if args.rotate and args.strategies:
        raise ScenarioError(
            "--rotate rotates the scenario's own strategies; --strategies goes "
            "with --firm FIRM (give one or the other)"
        )
    if args.rotate:
        variants = rotation_variants(base)
    elif not args.strategies:
        raise ScenarioError("--firm needs --strategies, e.g. --strategies static,sales_push")
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
        kind="compare",
        title=f"{base.spec.info.title or base.name}: strategies compared",
    )
    return run_sweep(args, sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    """A grid over scenario keys."""
    from sim.experiments import Sweep, grid_variants, parse_grid, seed_list

    base = load(args.scenario, args.overrides)
    grid = parse_grid(args.grid)
    sweep = Sweep(
        args.scenario,
        grid_variants(grid),
        seed_list(args.seeds, args.first_seed),
        args.out or Path("results") / f"{base.name}-sweep",
        args.overrides,
        args.periods,
        command_line(),
        title=f"{base.spec.info.title or base.name}: sweep of " + ", ".join(grid),
    )
    return run_sweep(args, sweep)


def cmd_report(args: argparse.Namespace) -> int:
    """Rewrite the report of a results folder."""
    from sim.reporting.report import report_folder

    print(report_folder(args.folder, args.lang))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit, write the scenario fragment and the report, print where they are."""
    from sim.calibration.calibrate import calibrate
    from sim.calibration.csv_layout import CsvLayout
    from sim.calibration.report import write_outputs
    from sim.calibration.transactions import read_transactions

    started = time.perf_counter()

    def stage(what: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f} s] {what}", file=sys.stderr, flush=True)

    layout = CsvLayout(args.customer_column, args.date_column, args.amount_column, args.date_format)
    size = args.transactions.stat().st_size if args.transactions.is_file() else 0
    stage(f"reading {args.transactions} ({size / 1e6:,.1f} MB)")
    transactions = read_transactions(args.transactions, layout)
    result = calibrate(
        transactions,
        str(args.transactions),
        args.calibration_end,
        args.holdout_end,
        args.period_days,
        args.seed,
        stage,
    )
    stage("writing the scenario fragment and the report")
    paths = write_outputs(result, args.out)
    stage("done")
    print(f"scenario fragment: {paths['scenario.toml']}\nreport: {paths['report.md']}")
    return 0


def app_extra_missing(command: str, what: str, exc: ImportError) -> int:
    """Say that ``what`` needs the app extra (``exc``: the failed import); exit code 1."""
    print(
        f"crmsim {command}: {what} needs crmsim's app extra ({exc.name} is not installed): "
        "pip install 'crmsim[app]'",
        file=sys.stderr,
    )
    return 1


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the browser app until interrupted."""
    try:
        from sim.apps.web.server import serve
    except ImportError as exc:
        return app_extra_missing("app", "the browser app", exc)
    serve(args.scenario, args.host, args.port)
    return 0
