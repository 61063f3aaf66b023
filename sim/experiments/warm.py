"""Loaded by the fork server that worker processes start from
(:func:`sim.experiments.executors.worker_context`): one tiny market run, so that the engine's
compiled loops are loaded once, before the workers are forked, instead of once in every worker
(about 0.5 s each). Only a speed-up: if the run fails, each worker loads them itself (a fork
server that failed here would fail every run)."""

from contextlib import suppress

from sim.model import Market
from sim.scenarios import load

with suppress(Exception):
    Market(load("flagship", ["customers.count=50"]).spec, rng=0, record_transactions=False).run(3)
