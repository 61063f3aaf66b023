"""What several test folders share: where the repository and the test data are, building a
market from a plain dict, running single submodels on a market's state, a strategy registry
that a test may add to without leaking, a local Dask cluster, and a cache of expensive runs that
the test processes of one run share.

Test files import the plain names (``from conftest import ROOT, market_spec``): pytest's default
"prepend" import mode puts this folder on ``sys.path`` before any test module is imported.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from filelock import FileLock

import sim.strategies.registry
from sim.model import Market
from sim.model.submodels.decisions import decide_all
from sim.model.submodels.offers import Offers, personalised_offers
from sim.scenarios import validate
from sim.schema import MarketSpec
from sim.strategies import Decision

ROOT = Path(__file__).resolve().parent.parent  # the repository
DATA = ROOT / "tests" / "data"  # test data (tests/data/README.md)


def market_spec(document: dict[str, Any]) -> MarketSpec:
    """A market from a scenario document given as a dict, checked as a scenario file is
    (:func:`sim.scenarios.validate`: the schema, then each strategy's name and parameters)."""
    return validate(document, "test document")


def market_decisions(market: Market) -> list[Decision]:
    """S2 on the market's current state: every firm decides (and the decisions take effect)."""
    return decide_all(market.firms, market.period, market.conditions, market.spec.economics)


def market_offers(
    market: Market,
    decisions: list[Decision],
    active: np.ndarray,
    shoppers: np.ndarray | None = None,
) -> Offers:
    """S5 on the market's current state: every firm's personalised offer to every customer (or
    to the ``shoppers`` only), given the firms' ``decisions`` and the (N, F) pairs with an
    ``active`` relationship."""
    return personalised_offers(
        market.customers,
        market.relations,
        market.firms,
        decisions,
        market.lifetime,
        active,
        market.conditions,
        market.spec,
        shoppers,
    )


@pytest.fixture
def strategy_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, type]:
    """The strategy registry (name → class), as a copy that is thrown away after the test:
    strategies a test registers are gone for the next one."""
    copy = dict(sim.strategies.registry._REGISTERED)
    monkeypatch.setattr(sim.strategies.registry, "_REGISTERED", copy)
    return copy


@pytest.fixture(scope="session")
def scheduler():
    """The address of a local Dask cluster of two one-thread worker processes (one per test
    process; mark the tests that use it ``xdist_group("dask")`` so that they share it)."""
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=":0", silence_logs=40
    ) as cluster:
        yield cluster.scheduler_address


UNGROUPED = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup`` (``make test``), tests whose ``xdist_group`` mark is ignored
    fail at once: pytest 9.2 silently breaks the marks (pytest-xdist issue #1386), and then the
    expensive shared set-ups (the wheel, the browser, the Dask cluster, the CDNOW fit) would be
    built once per worker instead of once per run."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            item.stash[UNGROUPED] = (
                f"pytest {pytest.__version__} with pytest-xdist ignores xdist_group marks "
                "(pytest-xdist issue #1386): install the versions pyproject.toml pins "
                "(pip install -e '.[dev]')."
            )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a test whose group is ignored before its set-up runs (see above)."""
    if UNGROUPED in item.stash:
        pytest.fail(item.stash[UNGROUPED], pytrace=False)


SHARED_RUNS = "CRMSIM_TEST_SHARED_RUNS"  # the run's folder of shared results (environment)


def shared_cache[T](function: Callable[..., T]) -> Callable[..., T]:
    """:func:`functools.cache` shared by the test processes of one run (pytest-xdist's workers):
    the first process that needs a result computes it, holding a file lock, and writes it to the
    run's folder; the others wait and read it. Arguments must have a stable ``repr`` and results
    must pickle; the folder is removed when the run ends."""

    @functools.cache
    @functools.wraps(function)
    def cached(*args: Any, **kwargs: Any) -> T:
        folder = os.environ.get(SHARED_RUNS)
        if not folder:
            return function(*args, **kwargs)
        name = f"{function.__module__}.{function.__qualname__}{args!r}{sorted(kwargs.items())!r}"
        path = Path(folder) / f"{hashlib.sha256(name.encode()).hexdigest()[:24]}.pickle"
        with FileLock(f"{path}.lock"):
            if path.exists():
                return pickle.loads(path.read_bytes())
            value = function(*args, **kwargs)
            path.write_bytes(pickle.dumps(value))
            return value

    return cached


def pytest_configure(config: pytest.Config) -> None:
    """The controlling process makes the run's folder of shared results; workers inherit it."""
    if not hasattr(config, "workerinput"):
        os.environ[SHARED_RUNS] = tempfile.mkdtemp(prefix="crmsim-test-runs-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ.pop(SHARED_RUNS, ""), ignore_errors=True)
