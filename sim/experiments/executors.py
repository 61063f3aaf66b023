"""Running many markets: the pending runs of experiments on any ``concurrent.futures`` executor,
each stored as soon as it finishes; where they run (:class:`Where`): the local process pool, a
local Dask cluster of N workers, or an existing Dask scheduler (:func:`open_executor`).

Runs are submitted a few at a time (never the whole queue at once), travel to the workers with
every strategy named by import path, and are stored by this process alone, which holds each
results folder's lock while it runs. Worker processes of the default pool end when this process
ends, however it ends, and note where they are (seed, firm, period) so that a worker that dies
inside a strategy can be traced.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import select
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path

import pandas as pd

from sim.errors import InputError
from sim.experiments.folders import Experiment, ExperimentError, locked
from sim.experiments.runs import portable, simulate
from sim.model.blocks import threads, use_threads
from sim.model.firms import decision_watch
from sim.schema import MarketSpec
from sim.strategies import portable_name

IN_FLIGHT_PER_WORKER = 2  # runs queued per worker at any moment
SCHEDULER_TIMEOUT = 10  # seconds to reach a Dask scheduler (--scheduler) before giving up
LOCAL_DASK_CONFIG = {  # a local cluster's own housekeeping, made rare: on a machine whose every
    # core runs a market, Dask's 10 ms profiler and 20 ms ticks took ~15% of the runs' time
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
RECORD_BYTES = 512  # one worker's note of where it is, overwritten in place
INSTALLED = {"site-packages", "dist-packages"}  # folders of installed packages
_record: int | None = None  # this worker's note file (a file descriptor), set by start_worker


class ClusterError(InputError):
    """A Dask scheduler that cannot be reached, or Dask missing."""


@dataclass(frozen=True)
class Where:
    """Where runs go: ``scheduler`` (a Dask address), ``dask_workers`` (a local Dask cluster)
    or neither (a process pool of ``workers`` processes, default all cores)."""

    scheduler: str | None = None
    dask_workers: int | None = None
    workers: int | None = None

    @property
    def label(self) -> str:
        """How reports name it."""
        if self.scheduler:
            return f"Dask scheduler {self.scheduler}"
        if self.dask_workers:
            return f"local Dask cluster of {self.dask_workers} workers"
        return "local process pool"


def strategy_files(names: Iterable[str]) -> list[Path]:
    """The files a Dask worker must be sent to import the strategies ``names``: each strategy's
    module when it is a single file outside the installed packages (``my_policy.py`` beside a
    script or study). Built-ins and installed packages need nothing sent."""
    found: dict[Path, None] = {}
    for name in names:
        module, sep, _ = portable_name(name).partition(":")
        if not sep or "." in module:
            continue
        file = getattr(importlib.import_module(module), "__file__", None)
        path = Path(file).resolve() if file else None
        if path and path.suffix == ".py" and not INSTALLED & set(path.parts):
            found[path] = None
    return list(found)


@contextmanager
def open_executor(
    where: Where, files: Iterable[Path] = ()
) -> Iterator[tuple[Executor | None, int | None]]:
    """(executor, its worker count) for :func:`run_experiments`: (None, ``where.workers``) means
    its default process pool; for Dask, the client's executor and its worker threads, each
    worker sent ``files`` (:func:`strategy_files`, ``Client.upload_file``) and told to run a
    market's blocks on one thread (:class:`~sim.experiments.on_dask.OneThreadPerRun`). A Dask
    cluster started here ends on exit."""
    if not (where.scheduler or where.dask_workers):
        yield None, where.workers
        return
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(
            "Dask is not installed: pip install 'crmsim[study]' (or run without --scheduler "
            "and --dask-workers, on the local process pool)"
        ) from None
    cluster = None
    try:
        if where.scheduler:
            client = Client(where.scheduler, timeout=SCHEDULER_TIMEOUT)
        else:
            with dask.config.set(LOCAL_DASK_CONFIG):
                cluster = LocalCluster(
                    n_workers=where.dask_workers,
                    threads_per_worker=1,
                    dashboard_address=":0",
                    silence_logs=50,  # logging.CRITICAL: a failed run is reported here, once
                )
                client = Client(cluster)
    except (OSError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler {where.scheduler}: {exc}. Start one (dask "
            "scheduler; dask worker ADDRESS) or give its address as tcp://HOST:PORT"
        ) from None
    try:
        from sim.experiments.on_dask import OneThreadPerRun

        client.register_plugin(OneThreadPerRun())
        for file in files:
            client.upload_file(str(file))
        worker_threads = sum(client.nthreads().values()) or 1
        yield client.get_executor(), worker_threads
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def worker_context() -> BaseContext:
    """How worker processes start: forked from a fork server, a single-threaded process that has
    imported the engine and loaded its compiled loops once (:mod:`sim.experiments.warm`;
    Python 3.14's default on Linux; a fresh interpreter per worker where there is no fork
    server). Forking the calling process itself would copy locks that
    its other threads hold at that moment (a web server's, a notebook's, an earlier pool's
    manager thread): a worker could wait on one of them forever."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sim.experiments.runs", "sim.experiments.warm"])
    return context


def start_worker(command: int, notes: str, thread_count: int) -> None:
    """Worker initialiser: end this worker as soon as the ``command`` process is gone, so that a
    killed command leaves no process behind; keep a note of where this worker is in the folder
    ``notes`` (one file per worker, named by its process id); split a big market's loops over
    at most ``thread_count`` threads (the workers share the cores). Signals are the command's
    business: a worker ignores Ctrl-C and ends quietly on SIGTERM."""
    global _record
    use_threads(thread_count)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _record = os.open(Path(notes) / str(os.getpid()), os.O_CREAT | os.O_WRONLY, 0o600)
    except FileNotFoundError:  # started as the command ended (it stops its pool on an error
        os._exit(0)  # and removes the notes folder): no run will come, nothing to report
    threading.Thread(
        target=exit_after, args=(command,), daemon=True, name="exit-with-command"
    ).start()


def exit_after(command: int) -> None:
    """End this process once process ``command`` has ended. (A worker started by the fork server
    is not the command's child, and the fork server lives as long as its workers do, so neither
    the parent's id nor the parent's end tells.) Waits on a Linux process descriptor; elsewhere
    asks every second whether the process still exists."""
    try:
        handle = os.pidfd_open(command)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd_open (not Linux, or a kernel before 5.3)
        while process_exists(command):
            time.sleep(1.0)
    else:
        select.select([handle], [], [])  # readable once the process has ended
    os._exit(1)


def process_exists(pid: int) -> bool:
    """Whether a process with this id exists (one that has ended but not been reaped counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, under another user
        return True
    return True


def process_pool(workers: int, notes: Path) -> ProcessPoolExecutor:
    """The default executor: ``workers`` processes that end with us, note where they are and
    share the cores."""
    return ProcessPoolExecutor(
        workers,
        mp_context=worker_context(),
        initializer=start_worker,
        initargs=(os.getpid(), str(notes), max(1, threads() // workers)),
    )


def simulate_noted(
    spec: MarketSpec,
    seed: int,
    periods: int | None,
    decision_seconds: float | None,
    experiment: int = 0,
) -> pd.DataFrame:
    """:func:`~sim.experiments.runs.simulate`, noting each decision of run (``experiment``,
    ``seed``) in this worker's note file (when the worker was started by :func:`start_worker`)."""
    record = _record

    def note(where: str) -> None:
        text = f"{experiment} {seed} {where}".encode()[:RECORD_BYTES]
        os.pwrite(record, text.ljust(RECORD_BYTES), 0)

    token = decision_watch.set(note if record is not None else None)
    try:
        return simulate(spec, seed, periods, decision_seconds)
    finally:
        decision_watch.reset(token)


def last_notes(notes: Path | None) -> dict[tuple[int, int], str]:
    """(experiment, seed) → the last note of the worker that ran it: "firm …, period …: deciding"
    or "…: decided"."""
    found = {}
    for path in notes.iterdir() if notes else ():
        fields = path.read_bytes().decode(errors="replace").strip().split(" ", 2)
        if len(fields) == 3:  # a worker that has not yet decided anything wrote nothing
            found[int(fields[0]), int(fields[1])] = fields[2]
    return found


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes now, without waiting for their runs."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def run_experiment(
    experiment: Experiment,
    executor: Executor | None = None,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
    decision_seconds: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every pending seed, storing each run as it finishes; return (metrics, summary).

    ``executor`` may be any ``concurrent.futures.Executor`` (a Dask ``Client.get_executor()``
    works too); by default a process pool with ``workers`` processes (default: all cores).
    ``on_done(seed)`` is called after each stored run (for progress bars);
    ``decision_seconds`` limits how long a strategy may take to decide.
    """
    done = (lambda _, seed: on_done(seed)) if on_done else None
    return run_experiments([experiment], executor, workers, done, decision_seconds)[0]


def run_experiments(
    experiments: Sequence[Experiment],
    executor: Executor | None = None,
    workers: int | None = None,
    on_done: Callable[[Experiment, int], None] | None = None,
    decision_seconds: float | None = None,
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """Run the pending seeds of several experiments on one executor (as :func:`run_experiment`);
    return each experiment's (metrics, summary).

    Strategies are checked for other processes before anything is written; each experiment's
    folder is locked while it runs; damaged run files are redone."""
    specs = [portable(e.loaded.spec) for e in experiments]
    with ExitStack() as folders:
        for experiment in experiments:
            folders.enter_context(locked(experiment.out))
            experiment.prepare()
        jobs = ((k, seed) for k, e in enumerate(experiments) for seed in e.pending())
        own = executor is None
        count = workers or os.cpu_count() or 1
        notes = Path(folders.enter_context(tempfile.TemporaryDirectory())) if own else None
        pool = process_pool(count, notes) if own else executor
        limit = IN_FLIGHT_PER_WORKER * count
        try:
            for k, seed, result in completed(
                pool, jobs, specs, experiments, limit, decision_seconds, notes
            ):
                experiments[k].store(seed, result)
                if on_done:
                    on_done(experiments[k], seed)
        except BaseException:
            if own:
                stop_workers(pool)
            raise
        if own:
            pool.shutdown()
        return [e.collect() for e in experiments]


def completed(
    pool: Executor,
    jobs: Iterator[tuple[int, int]],
    specs: list,
    experiments: Sequence[Experiment],
    limit: int,
    decision_seconds: float | None,
    notes: Path | None,
) -> Iterator[tuple[int, int, pd.DataFrame]]:
    """(experiment index, seed, metrics) of each run as it finishes, keeping at most ``limit``
    runs submitted and not yet finished; ``notes``: the workers' note folder, if they keep one."""
    running: dict[Future, tuple[int, int]] = {}

    def submit_more() -> None:
        for k, seed in jobs:
            periods = experiments[k].periods
            future = pool.submit(simulate_noted, specs[k], seed, periods, decision_seconds, k)
            running[future] = (k, seed)
            if len(running) >= limit:
                return

    submit_more()
    while running:
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda f: f.exception() is not None):  # keep successes
            k, seed = running.pop(future)
            try:
                result = future.result()
            except lost_worker_errors():
                seen = last_notes(notes)
                lost = "; ".join(
                    f"{experiments[j].out} seed {s}"
                    + (f" (last: {seen[j, s]})" if (j, s) in seen else "")
                    for j, s in [(k, seed), *running.values()]
                )
                raise ExperimentError(
                    f"a worker process died while running {lost}. A strategy may have ended its "
                    "process (os._exit, a signal, a crash) or the machine ran out of memory. "
                    "Finished runs are saved; fix the cause and run the same command again to "
                    "resume."
                ) from None
            yield k, seed, result
        submit_more()


def lost_worker_errors() -> tuple[type[Exception], ...]:
    """What a run's future raises when its worker process died: the process pool's
    BrokenProcessPool, and Dask's KilledWorker (after Dask's own retries) if Dask is in use."""
    dask = sys.modules.get("distributed")
    return (BrokenProcessPool, dask.KilledWorker) if dask else (BrokenProcessPool,)


def seed_list(count: int, first: int = 0) -> list[int]:
    """Seeds first, first+1, …: each fixes one run; numpy's SeedSequence keeps them independent."""
    return list(range(first, first + count))
