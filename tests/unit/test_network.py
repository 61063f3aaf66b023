"""The small-world network: the same graph statistics as networkx's Watts-Strogatz generator."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path

from sim.model.network import SocialNetwork, small_world
from sim.schema import Network


@pytest.mark.parametrize(("degree", "rewiring"), [(10, 0.1), (4, 0.3), (6, 0.0), (8, 1.0)])
def test_small_world_matches_networkx(degree, rewiring):
    """Mean degree within 1%, clustering and mean path length within 5% of networkx's, averaged
    over 5 graphs of 1,000 nodes each (both are random; the tolerance covers that)."""
    ours, theirs = [], []
    for seed in range(5):
        g = nx.from_scipy_sparse_array(
            small_world(1000, degree, rewiring, np.random.default_rng(seed))
        )
        h = nx.watts_strogatz_graph(1000, degree, rewiring, seed=seed)
        for graph, out in ((g, ours), (h, theirs)):
            hops = shortest_path(nx.to_scipy_sparse_array(graph), unweighted=True)
            out.append(
                (
                    2 * graph.number_of_edges() / 1000,
                    nx.average_clustering(graph),
                    hops[np.isfinite(hops) & (hops > 0)].mean(),
                )
            )
    (d1, c1, l1), (d2, c2, l2) = np.mean(ours, axis=0), np.mean(theirs, axis=0)
    assert d1 == pytest.approx(d2, rel=0.01)
    assert c1 == pytest.approx(c2, rel=0.05, abs=0.005)
    assert l1 == pytest.approx(l2, rel=0.05)


def test_small_world_is_symmetric_simple_and_seeded():
    a = small_world(500, 10, 0.2, np.random.default_rng(7))
    assert (a != a.T).nnz == 0
    assert a.diagonal().sum() == 0 and set(np.unique(a.data)) == {1.0}
    b = small_world(500, 10, 0.2, np.random.default_rng(7))
    assert (a != b).nnz == 0


def test_exposure_is_the_mean_over_contacts():
    net = SocialNetwork(
        Network(kind="small_world", degree=4, rewiring=0.0), 10, np.random.default_rng(0)
    )
    talk = np.zeros((10, 1))
    talk[[1, 2]] = 1.0  # customer 0's ring neighbours are 1, 2, 8, 9
    assert net.exposure(talk)[0, 0] == pytest.approx(0.5)
    mixed = SocialNetwork(Network(kind="fully_mixed"), 10, np.random.default_rng(0))
    assert np.allclose(mixed.exposure(talk), 0.2)
    silent = SocialNetwork(Network(kind="none"), 10, np.random.default_rng(0))
    assert not silent.exposure(talk).any()


@pytest.mark.parametrize(("degree", "rewiring"), [(10, 0.1), (2, 1.0), (40, 0.5)])
def test_exposures_are_the_row_normalised_sparse_product_bit_for_bit(degree, rewiring):
    """The compiled mean over contacts equals scipy's single-precision product of the
    row-normalised adjacency (contacts in the network's order) exactly, every bit: of 0/1
    talk, from a column of silence to one where everyone talks, and of levels (the second hop),
    with odd and even numbers of columns, some negative; for the other kinds of network 0/1
    talk is heard as its levels."""
    net = SocialNetwork(
        Network(kind="small_world", degree=degree, rewiring=rewiring),
        3000,
        np.random.default_rng(degree),
    )
    contacts = net.adjacency()
    assert not contacts.has_sorted_indices  # each row from the highest contact down
    rows = np.repeat(np.arange(3000), np.diff(net.indptr))
    normalised = sp.csr_array((net.share[rows], net.indices, net.indptr), shape=(3000, 3000))
    assert np.allclose(normalised.sum(axis=1), 1.0)
    rng = np.random.default_rng(5)
    talk = rng.random((3000, 6)) < np.array([0.0, 0.01, 0.05, 0.2, 0.5, 1.0])
    exact = normalised @ talk.astype(np.float32)
    fast = net.exposure(talk)
    assert fast.dtype == exact.dtype and np.array_equal(fast, exact)
    assert not exact[:, 0].any() and np.allclose(exact[:, 5], 1.0)  # (not == 1: rounding)
    assert len(np.unique(exact[:, 3])) > 5  # many different shares: every sum is exercised
    for columns in (1, 2, 3):
        heard = rng.normal(size=(3000, columns)) * (rng.random((3000, columns)) < 0.3)
        heard = heard.astype(np.float32)
        assert np.array_equal(net.exposure(heard), normalised @ heard)
    for kind in ("fully_mixed", "none"):
        other = SocialNetwork(Network(kind=kind), 3000, np.random.default_rng(0))
        assert np.array_equal(other.exposure(talk), other.exposure(talk.astype(np.float32)))
