"""S4 Retention contacts: firms contact the customers with most lifetime value at risk."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.blocks import for_each
from sim.model.lifetime_value import LifetimeValues
from sim.model.population import Relationships
from sim.schema import Economics
from sim.strategies import Decision


def most_valuable(
    candidates: NDArray[np.intp], score: NDArray[np.float64], share: float
) -> NDArray[np.intp]:
    """The ``share`` of ``candidates`` (customer indices) with the highest ``score`` (one per
    candidate)."""
    k = round(share * candidates.size)
    if k == 0:
        return candidates[:0]
    if k >= candidates.size:
        return candidates
    part = np.argpartition(score, candidates.size - k)[candidates.size - k :]
    return candidates[part]


def contact_for_retention(
    relations: Relationships,
    lifetime: LifetimeValues,
    decisions: list[Decision],
    active: NDArray[np.bool_],
    economics: Economics,
) -> NDArray[np.int64]:
    """Each firm contacts the retention_share of its active customers with the highest lifetime
    value × churn risk; a contact adds ``retention_trust`` to trust (at most 1) and costs
    ``retention_cost`` ($), charged to the customer's cost to serve.
    Returns the number of contacts per firm."""
    boost, r = economics.retention_trust, relations

    def contact(j: int) -> int:
        candidates = np.flatnonzero(active[:, j])
        at_risk = lifetime.value[candidates, j] * (1.0 - lifetime.retention[candidates, j])
        chosen = most_valuable(candidates, at_risk, decisions[j].retention_share)
        r.trust[chosen, j] = np.minimum(1.0, r.trust[chosen, j] + boost)
        r.cost_to_serve[chosen, j] += economics.retention_cost
        return chosen.size

    # the firms at once in a big market: each reads and writes its own column
    return np.array(for_each(contact, range(len(decisions)), r.n), dtype=np.int64)
