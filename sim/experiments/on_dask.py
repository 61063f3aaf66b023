"""What every Dask worker is told before it runs markets (sent by import path: a worker imports
this module, it needs no state of the process that sent it)."""

from __future__ import annotations

from distributed import WorkerPlugin

from sim.model.blocks import use_threads


class OneThreadPerRun(WorkerPlugin):
    """A worker's threads each run a market at once, so a big market's blocks
    (:mod:`sim.model.blocks`) take one thread each, as in a process pool of as many workers as
    cores; a worker that joins the cluster later gets it too."""

    name = "crmsim-one-thread-per-run"

    def setup(self, worker: object) -> None:
        use_threads(1)
