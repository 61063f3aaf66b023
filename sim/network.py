"""The social network word of mouth travels over, and the exposure it produces."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from sim.config import Network


class SocialNetwork:
    """Row-normalised adjacency: ``exposure(x)[i]`` is the mean of x over i's contacts.

    ``small_world`` is a Watts-Strogatz graph (seeded from the model's generator), ``fully_mixed``
    makes everyone everyone's contact (the Bass model's assumption), ``none`` silences
    word of mouth.
    """

    def __init__(self, spec: Network, n: int, rng: np.random.Generator) -> None:
        self.kind = spec.kind
        self.matrix: sp.csr_array | None = None
        if spec.kind == "small_world":
            seed = int(rng.integers(2**31 - 1))
            k = min(spec.degree, n - 1 - (n - 1) % 2)
            graph = nx.watts_strogatz_graph(n, k, spec.rewiring, seed=seed)
            adjacency = nx.to_scipy_sparse_array(graph, format="csr", dtype=float)
            degree = np.asarray(adjacency.sum(axis=1)).ravel()
            self.matrix = sp.diags_array(1.0 / np.maximum(degree, 1.0)) @ adjacency

    def exposure(self, talk: NDArray[np.float64]) -> NDArray[np.float64]:
        """Share of each customer's contacts saying something, per column ((N, K) → (N, K))."""
        if self.kind == "none":
            return np.zeros_like(talk)
        if self.kind == "fully_mixed":
            return np.broadcast_to(talk.mean(axis=0), talk.shape).copy()
        return self.matrix @ talk
