"""Where a study's runs go: the local process pool (default), a local Dask cluster of N
workers, or an existing Dask scheduler. Workers find strategies by import path; a policy named
by file is sent to every Dask worker (``Client.upload_file``)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError


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
        """How the report names it."""
        if self.scheduler:
            return f"Dask scheduler {self.scheduler}"
        if self.dask_workers:
            return f"local Dask cluster of {self.dask_workers} workers"
        return "local process pool"


@contextmanager
def executor(
    where: Where, policy_file: Path | None = None
) -> Iterator[tuple[Executor | None, int | None]]:
    """(executor, its worker count): (None, --workers) means the default process pool of
    :func:`sim.experiments.run_experiments`. A Dask cluster started here ends on exit."""
    if not (where.scheduler or where.dask_workers):
        yield None, where.workers
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(
            "Dask is not installed: pip install 'crmsim[study]' (or run without --scheduler "
            "and --dask-workers, on the local process pool)"
        ) from None
    cluster = None
    try:
        if where.scheduler:
            client = Client(where.scheduler, timeout=10)
        else:
            cluster = LocalCluster(
                n_workers=where.dask_workers,
                threads_per_worker=1,
                dashboard_address=":0",
                silence_logs=40,  # logging.ERROR
            )
            client = Client(cluster)
    except (OSError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler {where.scheduler}: {exc}. Start one (dask "
            "scheduler; dask worker ADDRESS) or give its address as tcp://HOST:PORT"
        ) from None
    try:
        if policy_file is not None:
            client.upload_file(str(policy_file))
        threads = sum(client.nthreads().values()) or 1
        yield client.get_executor(), threads
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
