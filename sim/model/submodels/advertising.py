"""S3 Advertising: unaware customers may learn of the firms that advertise."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, run_drawing_blocks
from sim.model.population import Relationships
from sim.schema import Economics
from sim.strategies import Decision


def advertise(
    relations: Relationships,
    decisions: list[Decision],
    economics: Economics,
    rng: np.random.Generator,
) -> None:
    """Unaware customers learn of firm j with probability 1 − exp(−ad_effectiveness × ad_j):
    one uniform draw per pair not yet aware, from its block's own generator."""
    ads = np.array([d.advertising for d in decisions])
    reach = 1.0 - np.exp(-economics.ad_effectiveness * ads)
    run_drawing_blocks(learn_of_firms, bounds(relations.n), rng, reach, relations.aware)


@njit(cache=True, nogil=True)
def learn_of_firms(
    start: int,
    stop: int,
    generator: np.random.Generator,
    reach: NDArray[np.float64],
    aware: NDArray[np.bool_],
) -> None:
    """Each pair of customers ``start`` to ``stop`` not yet aware (row-major order) takes the
    next uniform number of the block's ``generator`` and becomes aware of firm j if it is below
    reach[j]; in place."""
    f = aware.shape[1]
    for i in range(start, stop):
        for j in range(f):
            if not aware[i, j]:
                aware[i, j] = generator.random() < reach[j]
