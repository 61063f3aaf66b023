"""S3 Advertising: unaware customers may learn of the firms that advertise."""

from __future__ import annotations

import numpy as np

from sim.model.population import Relationships
from sim.schema import Economics
from sim.strategies import Decision


def advertise(
    relations: Relationships,
    decisions: list[Decision],
    economics: Economics,
    rng: np.random.Generator,
) -> None:
    """Unaware customers learn of firm j with probability 1 − exp(−ad_effectiveness × ad_j)."""
    ads = np.array([d.advertising for d in decisions])
    reach = 1.0 - np.exp(-economics.ad_effectiveness * ads)
    relations.aware |= rng.random(relations.aware.shape) < reach
