"""Per-customer compiled loops on all the machine's cores: customers split into blocks.

A compiled loop that releases the GIL (``nogil=True``) and works on customers ``start`` to
``stop`` runs block by block on a pool of threads (:func:`run_blocks`). Each block writes only
its own customers' rows, and where a loop writes one entry per occasion or purchase, it starts
from an offset counted before it runs (:func:`firsts`). The blocks depend on the number of
customers only, never on the number of threads, so a run is the same, bit for bit, on any
machine (tests/engine/test_blocks.py). Sums over customers (the books' totals, word of mouth's two
halves in sim.model.network) are added block by block, and a loop that draws its own random
numbers gives each block its own stream (:func:`run_drawing_blocks`), so the split (fixed by
the number of customers) is part of what a seed means.
Markets under ``2 · MIN_BLOCK`` customers are one block, run in the calling thread: there a
thread costs more than it saves.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

MIN_BLOCK = 50_000  # customers: a block's loop takes ~1 ms at the least, a thread ~0.05 ms
MAX_BLOCKS = 8  # enough to keep 8 cores busy, and to even out blocks that take longer

_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()  # markets may step in several threads (the app's sessions)


def _forget_pool() -> None:
    """In a child made by fork: the parent's threads are not there, so start afresh."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):  # POSIX; Windows has no fork
    os.register_at_fork(after_in_child=_forget_pool)


def use_threads(count: int) -> None:
    """Run blocks on at most ``count`` threads (≥ 1) from now on in this process, before any
    market steps; a process pool's workers call it so that its processes share the cores
    rather than each taking all of them."""
    global _threads, _pool
    if count < 1:
        raise ValueError(f"threads must be at least 1, got {count}")
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown()
            _pool = None
        _threads = count


def threads() -> int:
    """How many threads blocks run on in this process (the cores it may use, unless set)."""
    return _threads or 1


def bounds(n: int) -> NDArray[np.int64]:
    """Where the blocks of ``n`` customers start and stop: block b is customers
    ``bounds[b]`` to ``bounds[b + 1]``; up to ``MAX_BLOCKS`` blocks of ``MIN_BLOCK`` or more
    (read-only: the same array for the same ``n``, as each period asks a dozen times)."""
    return _bounds(n, MIN_BLOCK, MAX_BLOCKS)


@cache
def _bounds(n: int, min_block: int, max_blocks: int) -> NDArray[np.int64]:
    count = max(1, min(max_blocks, n // min_block))
    edges = np.linspace(0, n, count + 1).astype(np.int64)
    edges.flags.writeable = False
    return edges


def pool() -> ThreadPoolExecutor:
    """This process's threads for blocks (started on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(threads(), thread_name_prefix="crmsim-block")
        return _pool


def run_blocks(kernel: Callable[..., Any], edges: NDArray[np.int64], *args: Any) -> list[Any]:
    """``kernel(start, stop, *args)`` for every block of ``edges`` (:func:`bounds`), at once on
    threads when there are several; the results in block order."""
    return _in_blocks(kernel, edges, [args] * (edges.size - 1))


def _in_blocks(
    kernel: Callable[..., Any], edges: NDArray[np.int64], block_args: list[tuple[Any, ...]]
) -> list[Any]:
    """``kernel(start, stop, *block_args[b])`` for every block b of ``edges``: in the calling
    thread when there is one block, else at once on the threads; the results in block order."""
    spans = [(int(a), int(b)) for a, b in pairwise(edges)]
    if len(spans) == 1:
        return [kernel(*spans[0], *block_args[0])]
    workers = pool()
    jobs = [
        workers.submit(kernel, a, b, *rest) for (a, b), rest in zip(spans, block_args, strict=True)
    ]
    return [job.result() for job in jobs]


def firsts(edges: NDArray[np.int64], counts: NDArray) -> NDArray[np.int64]:
    """Where each block's share of something starts (its customers' purchase occasions, say),
    from how many each customer has (``counts``, one number per customer): the running total
    over the blocks before it."""
    per_block = np.add.reduceat(counts, edges[:-1]) if counts.size else [0]
    return np.concatenate([[0], np.cumsum(per_block)[:-1]]).astype(np.int64)


def joined(
    arrays: Sequence[NDArray], starts: NDArray[np.int64], lengths: list[int]
) -> list[NDArray]:
    """For each array, the parts ``array[start:start + length]`` that the blocks wrote, one
    after the other (copied at once on the threads when there are several blocks)."""
    if len(lengths) == 1:
        return [array[starts[0] : starts[0] + lengths[0]] for array in arrays]
    places = np.concatenate([[0], np.cumsum(lengths)])
    out = [np.empty(places[-1], array.dtype) for array in arrays]

    def copy(part: tuple[int, int]) -> None:  # numpy lets go of the GIL while it copies
        k, b = part
        out[k][places[b] : places[b + 1]] = arrays[k][starts[b] : starts[b] + lengths[b]]

    _at_once(copy, [(k, b) for k in range(len(arrays)) for b in range(len(lengths))])
    return out


def for_each[T, R](function: Callable[[T], R], items: Sequence[T], customers: int) -> list[R]:
    """``function(item)`` for every item (a firm, say), at once on the threads when the market
    has ``2 · MIN_BLOCK`` customers or more (numpy lets go of the GIL in its array passes:
    partitions, masks, gathers); the results in order. The calls must be independent: each
    reads what the others do not write."""
    if bounds(customers).size == 2 or len(items) < 2:  # one block: a small market
        return [function(item) for item in items]
    return _at_once(function, items)


def _at_once[T, R](function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``function(item)`` for every item, all submitted to the threads at once; the results in
    order."""
    return [job.result() for job in [pool().submit(function, item) for item in items]]


def run_drawing_blocks(
    kernel: Callable[..., Any], edges: NDArray[np.int64], rng: np.random.Generator, *args: Any
) -> list[Any]:
    """:func:`run_blocks` for a loop that draws its own random numbers:
    ``kernel(start, stop, generator, *args)``, each block with its own generator, spawned from
    ``rng`` (``Generator.spawn``: independent streams, one per block in block order). A block's
    draws then depend on its customers only, and the blocks draw on their cores at once."""
    return _in_blocks(kernel, edges, [(g, *args) for g in rng.spawn(edges.size - 1)])
