"""S4 Retention contacts: firms contact the customers with most lifetime value at risk."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.lifetime_value import LifetimeValues
from sim.model.population import Relationships
from sim.schema import Economics
from sim.strategies import Decision


def most_valuable(score: NDArray[np.float64], eligible: NDArray[np.bool_], share: float) -> NDArray:
    """Indices of the ``share`` of eligible customers with the highest score."""
    candidates = np.flatnonzero(eligible)
    k = round(share * candidates.size)
    if k == 0:
        return candidates[:0]
    if k >= candidates.size:
        return candidates
    part = np.argpartition(score[candidates], candidates.size - k)[candidates.size - k :]
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
    boost = economics.retention_trust
    contacts = np.zeros(len(decisions), dtype=np.int64)
    for j, d in enumerate(decisions):
        score = lifetime.value[:, j] * (1.0 - lifetime.retention[:, j])
        chosen = most_valuable(score, active[:, j], d.retention_share)
        relations.trust[chosen, j] = np.minimum(1.0, relations.trust[chosen, j] + boost)
        relations.cost_to_serve[chosen, j] += economics.retention_cost
        contacts[j] = chosen.size
    return contacts
