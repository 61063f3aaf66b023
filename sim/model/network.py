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
            self.matrix = sp.diags_array(1.0 / np.maximum(degree, 1.0)) @ adjacency

    def exposure(self, talk: NDArray[np.float64]) -> NDArray[np.float64]:
        """Share of each customer's contacts saying something, per column ((N, K) → (N, K))."""
        if self.kind == "none":
            return np.zeros_like(talk)
        if self.kind == "fully_mixed":
            return np.broadcast_to(talk.mean(axis=0), talk.shape).copy()
        return self.matrix @ talk
