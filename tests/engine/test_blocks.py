"""Compiled loops split into blocks of customers on threads (sim.model.blocks) give the same
numbers, bit for bit, whatever the number of threads (the blocks, and the random streams of the
blocks that draw their own, are fixed by the number of customers); markets stepping at once in
several threads (the app's sessions) share the threads safely."""

from __future__ import annotations

import multiprocessing
import threading

import numpy as np
import pytest

import sim.model.blocks as blocks
from sim.model import Market
from sim.scenarios import load


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch):
    """Blocks of 300 customers or more (a 3,000-customer market: 8 blocks), on 4 threads."""
    monkeypatch.setattr(blocks, "MIN_BLOCK", 300)
    before = blocks.threads()
    blocks.use_threads(4)
    yield
    blocks.use_threads(before)


def final_state(scenario: str, seed: int) -> dict[str, np.ndarray]:
    """Every relationship array and every firm's metrics after 18 periods at 3,000 customers."""
    market = Market(load(scenario, ["customers.count=3000", "periods=18"]).spec, rng=seed)
    market.run_for(18)
    state = {k: v.copy() for k, v in vars(market.relations).items() if isinstance(v, np.ndarray)}
    metrics = market.firm_metrics().select_dtypes("number")
    return state | {f"metric {name}": column.to_numpy() for name, column in metrics.items()}


def assert_same_bits(one: dict[str, np.ndarray], other: dict[str, np.ndarray]) -> None:
    assert one.keys() == other.keys()
    for name in one:
        assert one[name].dtype == other[name].dtype, name
        assert one[name].tobytes() == other[name].tobytes(), name


@pytest.mark.parametrize("scenario", ["flagship", "word_of_mouth"])
def test_a_run_is_the_same_on_any_number_of_threads(scenario, monkeypatch):
    monkeypatch.setattr(blocks, "MIN_BLOCK", 300)
    before = blocks.threads()
    try:
        blocks.use_threads(1)
        alone = final_state(scenario, seed=3)
        for threads in (2, 3):
            blocks.use_threads(threads)
            assert_same_bits(final_state(scenario, seed=3), alone)
    finally:
        blocks.use_threads(before)


def test_markets_stepping_in_several_threads_at_once_give_their_own_numbers(small_blocks):
    alone = {seed: final_state("flagship", seed) for seed in (1, 2)}
    together: dict[int, dict[str, np.ndarray]] = {}
    runs = [
        threading.Thread(target=lambda s=seed: together.__setitem__(s, final_state("flagship", s)))
        for seed in (1, 2)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    for seed in (1, 2):
        assert_same_bits(together[seed], alone[seed])


def test_blocks_cover_the_customers_once_each_of_the_minimum_size_or_more(small_blocks):
    assert blocks.bounds(599).tolist() == [0, 599]  # too small to split: one block
    assert blocks.bounds(700).tolist() == [0, 350, 700]
    edges = blocks.bounds(100_003)
    assert edges[0] == 0 and edges[-1] == 100_003 and edges.size == blocks.MAX_BLOCKS + 1
    assert np.diff(edges).min() >= 300
    blocks.use_threads(1)
    assert blocks.bounds(100_003).tolist() == edges.tolist()  # not the threads: the customers


def test_block_results_come_back_in_block_order(small_blocks):
    edges = blocks.bounds(1200)
    assert blocks.run_blocks(lambda start, stop, k: (start, stop, k), edges, 7) == [
        (0, 300, 7),
        (300, 600, 7),
        (600, 900, 7),
        (900, 1200, 7),
    ]


def test_threads_must_be_at_least_one():
    with pytest.raises(ValueError, match="at least 1"):
        blocks.use_threads(0)


def test_for_each_runs_the_firms_on_the_threads_in_a_big_market_only(small_blocks):
    def where(j: int) -> tuple[int, str]:
        return j, threading.current_thread().name

    small = blocks.for_each(where, range(3), customers=599)
    big = blocks.for_each(where, range(3), customers=600)
    assert [j for j, _ in small] == [j for j, _ in big] == [0, 1, 2]
    assert {name for _, name in small} == {threading.current_thread().name}
    assert all(name.startswith("crmsim-block") for _, name in big)


def doubled_in_a_big_market() -> list[int]:
    return blocks.for_each(lambda j: 2 * j, range(3), customers=600)


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_child_forked_after_the_threads_started_starts_its_own(small_blocks):
    blocks.use_threads(2)
    assert doubled_in_a_big_market() == [0, 2, 4]  # both of the parent's threads are running
    with multiprocessing.get_context("fork").Pool(1) as child:
        assert child.apply_async(doubled_in_a_big_market).get(timeout=30) == [0, 2, 4]
