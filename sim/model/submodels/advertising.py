"""S3 Advertising: unaware customers may learn of the firms that advertise."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

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
    one uniform draw per pair not yet aware."""
    ads = np.array([d.advertising for d in decisions])
    reach = 1.0 - np.exp(-economics.ad_effectiveness * ads)
    aware = relations.aware
    learn_of_firms(rng.random(aware.size - np.count_nonzero(aware)), reach, aware)


@njit(cache=True)
def learn_of_firms(
    draws: NDArray[np.float64], reach: NDArray[np.float64], aware: NDArray[np.bool_]
) -> None:
    """Each pair not yet aware (row-major order) takes the next of ``draws`` and becomes aware
    of firm j if it is below reach[j]; in place."""
    n, f = aware.shape
    k = 0
    for i in range(n):
        for j in range(f):
            if not aware[i, j]:
                aware[i, j] = draws[k] < reach[j]
                k += 1
