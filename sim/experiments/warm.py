"""Loaded by the fork server that worker processes start from
(:func:`sim.experiments.executors.worker_context`): the engine's compiled loops are loaded once,
before the workers are forked, instead of once in every worker (about 0.5 s each)."""

from contextlib import suppress

from sim.model import Market
from sim.scenarios import load


def load_compiled_loops() -> None:
    """Run a tiny market, which loads every compiled loop of the engine. Only a speed-up: if the
    run fails, each worker loads them itself (a fork server that failed here would fail every
    run)."""
    with suppress(Exception):
        spec = load("flagship", ["customers.count=50"]).spec
        Market(spec, rng=0, record_transactions=False).run(3)


load_compiled_loops()
