"""Where customers shop: each customer's home store, and the shelf presence that makes the
customers of a store aware of the brands it pushes (S3, after advertising)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.equations import circular_distance
from sim.model.population import Relationships


def home_stores(
    locations: NDArray[np.float64], store_locations: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Each customer's home store: the retailer nearest to where the customer lives, both on
    the unit circle of geography (a tie goes to the first retailer listed). The nearest store is
    one of the two that enclose the customer in the stores' order along the circle, so each
    customer compares two distances, not K (N log K, not N × K)."""
    k = len(store_locations)
    order = np.argsort(store_locations, kind="stable")  # equal places: first listed first
    ordered = store_locations[order]
    first = order.copy()  # for each place, the first retailer listed there
    for i in range(1, k):
        if ordered[i] == ordered[i - 1]:
            first[i] = first[i - 1]
    after = np.searchsorted(ordered, locations) % k  # next place along the circle
    before = (after - 1) % k
    after = np.searchsorted(ordered, ordered[after])  # the first place of its group
    near_after = circular_distance(locations, ordered[after])
    near_before = circular_distance(locations, ordered[before])
    a, b = first[after], first[before]
    closer = (near_after < near_before) | ((near_after == near_before) & (a < b))
    return np.where(closer, a, b)


def shelf_presence(
    relations: Relationships,
    home: NDArray[np.int64],
    push: NDArray[np.float64],
    present: NDArray[np.bool_],
    rng: np.random.Generator,
) -> None:
    """Customers hear of the brands their home store pushes: customer i becomes aware of brand j
    with chance min(1, ``push``[home_i, j]), where push = shelf_awareness × effort × brands
    carried (shelf_awareness at an even split of effort; 0 for a brand not carried)."""
    chance = (np.minimum(push, 1.0) * present).take(home, axis=0)  # (K, F), then per customer
    relations.aware |= rng.random(chance.shape) < chance
