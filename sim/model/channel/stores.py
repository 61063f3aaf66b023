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
    the unit circle of geography (a tie goes to the first retailer listed)."""
    distance = circular_distance(locations[:, None], store_locations[None, :])
    return np.argmin(distance, axis=1)


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
    chance = np.minimum(push[home], 1.0) * present
    relations.aware |= rng.random(chance.shape) < chance
