"""The social network word of mouth travels over, and the exposure it produces."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

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
    """Row-normalised adjacency: ``exposure(x)[i]`` is the mean of x over i's contacts.

    ``small_world`` is a Watts-Strogatz graph drawn from the model's generator
    (:func:`small_world`), ``fully_mixed`` makes everyone everyone's contact (the Bass model's
    assumption), ``none`` silences word of mouth.
    """

    def __init__(self, spec: Network, n: int, rng: np.random.Generator) -> None:
        self.kind = spec.kind
        self.matrix: sp.csr_array | None = None
        if spec.kind == "small_world":
            adjacency = small_world(n, spec.degree, spec.rewiring, rng)
            degree = np.asarray(adjacency.sum(axis=1)).ravel()
            self.matrix = compact(sp.diags_array(1.0 / np.maximum(degree, 1.0)) @ adjacency)
            self.degree = degree.astype(np.intp)
            self.shares = share_table(int(self.degree.max(initial=0)))

    def exposure(self, talk: NDArray[np.float64]) -> NDArray[np.float64]:
        """Share of each customer's contacts saying something, per column ((N, K) → (N, K))."""
        if self.kind == "none":
            return np.zeros_like(talk)
        if self.kind == "fully_mixed":
            return np.broadcast_to(talk.mean(axis=0), talk.shape).copy()
        return self.matrix @ talk

    def exposure_to_talkers(self, talk: NDArray[np.bool_]) -> NDArray[np.float64]:
        """:meth:`exposure` of 0/1 talk, bit for bit, counted from the few who talk.

        Row i of the matrix holds 1/d_i for each of i's d_i contacts, and the product adds
        them up one by one, so the share of i's contacts saying something is the sum of m
        terms 1/d_i, where m is how many of them talk: ``shares[d_i, m]``. The network is
        undirected, so i's talking contacts are found as the contacts of those who talk.
        """
        if self.kind != "small_world":
            return self.exposure(talk.astype(float))
        n, k = talk.shape
        talker, column = np.divmod(np.flatnonzero(talk), k)
        indptr, indices = self.matrix.indptr, self.matrix.indices
        start, count = indptr.take(talker), self.degree.take(talker)
        first = np.cumsum(count) - count  # where each talker's contacts start in the list
        entry = np.arange(count.sum()) + np.repeat(start - first, count)
        listener = indices.take(entry).astype(np.intp)
        heard = listener * k + np.repeat(column, count)  # cells (listener, column)
        talking = np.bincount(heard, minlength=n * k)
        cells = np.flatnonzero(talking > 0)  # the rest hear nobody: 0
        exposure = np.zeros(n * k)
        row = self.degree.take(cells // k) * self.shares.shape[1]
        np.put(exposure, cells, self.shares.take(row + talking.take(cells)))
        return exposure.reshape(n, k)


def compact(matrix: sp.csr_array) -> sp.csr_array:
    """``matrix`` with 32-bit column indices and row pointers where they fit (scipy builds
    64-bit ones from 64-bit coordinates): 44 MB less at a million customers, the same products
    bit for bit."""
    if matrix.nnz < np.iinfo(np.int32).max:
        matrix.indices = matrix.indices.astype(np.int32)
        matrix.indptr = matrix.indptr.astype(np.int32)
    return matrix


def share_table(most: int) -> NDArray[np.float64]:
    """shares[d, m]: 1/d (1 for d = 0) added up m times in order, m ≤ d ≤ ``most``; the share
    of a customer's d contacts that m make up, as the sparse product rounds it."""
    shares = np.zeros((most + 1, most + 1))
    step = 1.0 / np.maximum(np.arange(most + 1), 1.0)
    for m in range(1, most + 1):
        shares[:, m] = shares[:, m - 1] + step
    return shares
