"""The social network word of mouth travels over, and the exposure it produces."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, run_blocks
from sim.schema import Network


def small_world(n: int, degree: int, rewiring: float, rng: np.random.Generator) -> sp.csr_array:
    """Watts-Strogatz small-world graph as a symmetric 0/1 adjacency matrix.

    A ring lattice in which every customer knows the ``degree / 2`` next customers on each side;
    each lattice edge's far end is then moved, with probability ``rewiring``, to a customer drawn
    uniformly (never the customer itself). The same algorithm as ``networkx.watts_strogatz_graph``
    (tests/unit/test_network.py checks degree, clustering and path length against it), written
    with arrays because networkx needs ~20 s and several GB for a million customers.
    """
    half = min(degree, n - 1 - (n - 1) % 2) // 2
    source = np.repeat(np.arange(n), half)
    target = (source + np.tile(np.arange(1, half + 1), n)) % n
    moved = rng.random(source.size) < rewiring
    new = rng.integers(0, n - 1, np.count_nonzero(moved))
    target[moved] = new + (new >= source[moved])  # skip the customer itself
    rows, cols = np.concatenate([source, target]), np.concatenate([target, source])
    adjacency = sp.coo_array((np.ones(rows.size), (rows, cols)), shape=(n, n)).tocsr()
    adjacency.data[:] = 1.0  # a rewired edge that lands on an existing one counts once
    return adjacency


class SocialNetwork:
    """Who hears whom: ``exposure(x)[i]`` is the mean of x over i's contacts.

    ``small_world`` is a Watts-Strogatz graph drawn from the model's generator
    (:func:`small_world`), kept as contact lists: customer i's contacts are
    ``indices[indptr[i]:indptr[i + 1]]`` (CSR layout, unsigned 32-bit: compiled loops index
    them without checking for negative indices), and each counts ``share[i]`` = 1/degree
    of i's mean. ``fully_mixed`` makes everyone everyone's contact (the Bass model's
    assumption), ``none`` silences word of mouth.
    """

    def __init__(self, spec: Network, n: int, rng: np.random.Generator) -> None:
        self.kind = spec.kind
        self.n = n
        if spec.kind == "small_world":
            adjacency = small_world(n, spec.degree, spec.rewiring, rng)
            indptr, degree = adjacency.indptr, np.diff(adjacency.indptr)
            # Each row from its highest contact down: the order the means have always been
            # added up in (scipy's diag @ csr product reversed the rows), so results are unchanged.
            last = np.repeat(indptr[1:] - 1 + indptr[:-1], degree) - np.arange(indptr[-1])
            self.indptr = indptr.astype(np.uint32)  # N·degree ≤ 10⁹ < 2³² (schema limits)
            self.indices = adjacency.indices[last].astype(np.uint32)
            self.share = (1.0 / np.maximum(degree, 1.0)).astype(np.float32)

    def adjacency(self) -> sp.csr_array | None:
        """The 0/1 contact matrix, or None when there is no graph (for drawing and checks)."""
        if self.kind != "small_world":
            return None
        ones = np.ones(self.indices.size, dtype=np.int8)
        return sp.csr_array((ones, self.indices, self.indptr), shape=(self.n, self.n))

    def exposure(
        self, talk: NDArray[np.float32] | NDArray[np.bool_], first: int = 0
    ) -> NDArray[np.float32]:
        """Share of each customer's contacts saying something, per column of ``talk`` from column
        ``first`` on ((N, K) → (N, K − first), single precision: shares need no more, and half the
        bytes make the network's scattered reads and writes about twice as fast at a million
        customers); ``talk`` is 0/1 (bool) or a level."""
        shape = (self.n, talk.shape[1] - first)
        if self.kind == "none":
            return np.zeros(shape, dtype=np.float32)
        if self.kind == "fully_mixed":
            mean = talk[:, first:].mean(axis=0, dtype=np.float64).astype(np.float32)
            return np.broadcast_to(mean, shape).copy()
        # The talkers in two halves, each adding into its own copy, when the market is big
        # enough to split (sim.model.blocks): two cores then share the work; the second half's
        # copy is then added into the first's, block by block (the first half's terms, then the
        # second's).
        edges = bounds(self.n)  # (read-only; halves is a writable array at every size, so that
        # the loop below has one compiled version)
        halves = np.array([0, self.n // 2, self.n] if edges.size > 2 else edges)
        out = np.zeros((halves.size - 1, *shape), dtype=np.float32)
        run_blocks(
            mean_over_contacts, halves, halves, self.indptr, self.indices, self.share, talk,
            first, out,
        )  # fmt: skip
        if out.shape[0] == 2:
            run_blocks(add_second_half, edges, out)
        return out[0]


@njit(cache=True, nogil=True)
def mean_over_contacts(
    start: int,
    stop: int,
    edges: NDArray[np.int64],
    indptr: NDArray[np.uint32],
    indices: NDArray[np.uint32],
    share: NDArray[np.float32],
    talk: NDArray[np.float32] | NDArray[np.bool_],
    first: int,
    out: NDArray[np.float32],
) -> None:
    """out[b, i, c] = Σ share[i]·talk[j, first + c] over i's contacts j from ``start`` to
    ``stop`` (b: the block of ``edges`` that starts at ``start``), added from 0 in i's list
    order (highest contact first), in single precision: the row-normalised sparse product, as
    far as these talkers go.

    Computed from the talkers: each customer j who says something (talk ≠ 0; few, usually) adds
    its term to each of its contacts i (the network is undirected), taking j from the highest
    down, so each sum gets its terms in list order; the silent add exactly 0 and are skipped.
    """
    k = out.shape[2]
    mine = out[np.searchsorted(edges, start)]
    for j in range(stop - 1, start - 1, -1):
        for c in range(k):
            said = talk[j, first + c]
            if said != 0:
                for e in range(indptr[j], indptr[j + 1]):
                    i = indices[e]
                    mine[i, c] += share[i] * said


@njit(cache=True, nogil=True)
def add_second_half(start: int, stop: int, out: NDArray[np.float32]) -> None:
    """out[0, i] += out[1, i] for customers ``start`` to ``stop`` (single precision)."""
    for i in range(start, stop):
        for c in range(out.shape[2]):
            out[0, i, c] += out[1, i, c]
