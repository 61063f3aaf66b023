"""The firms' estimate of each customer's lifetime value (客户生命周期价值), updated in S11 and
read by retention contacts (S4) and top tiers (S5)."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.equations import clv_margin_multiple
from sim.model.population import Relationships

compiled_clv_margin_multiple = njit(cache=True)(clv_margin_multiple)


class LifetimeValues:
    """Each firm's view of each customer, as (N, F) arrays.

    Attributes:
        value: estimated lifetime value ($): margin rate × r̂ / (1 + i − r̂).
        retention: estimated chance r̂ that the customer stays, [0, 0.99].
    """

    def __init__(self, n: int, f: int) -> None:
        self.value = np.zeros((n, f))
        self.retention = np.full((n, f), 0.5)

    def estimate(
        self,
        relations: Relationships,
        firm_rate: NDArray[np.float64],
        discount_rate: float,
    ) -> None:
        """r̂ = the firm's per-period retention estimate (from its cohorts,
        :meth:`~sim.model.books.RepeatCohorts.retention_estimate`), moved by the customer's trust
        as far as the profile (knowledge) lets the firm see; lifetime value =
        margin rate × r̂ / (1 + i − r̂)."""
        estimate_lifetime_values(
            np.clip(firm_rate, 0.01, 0.99),
            discount_rate,
            relations.trust,
            relations.knowledge,
            relations.margin_rate,
            self.retention,
            self.value,
        )


@njit(cache=True)
def estimate_lifetime_values(
    firm_rate: NDArray[np.float64],
    discount_rate: float,
    trust: NDArray[np.float64],
    knowledge: NDArray[np.float64],
    margin_rate: NDArray[np.float64],
    retention: NDArray[np.float64],
    value: NDArray[np.float64],
) -> None:
    """:meth:`LifetimeValues.estimate` pair by pair, into ``retention`` and ``value``: trust t
    moves the firm's rate r t of the way to 1 (t ≥ 0) or to 0 (t < 0), as far as the profile
    lets the firm see; value = margin rate × :func:`~sim.model.equations.clv_margin_multiple`.
    (Each product and sum in the order numpy's in-place passes took them: bit for bit.)"""
    n, f = trust.shape
    for i in range(n):
        for j in range(f):
            t = trust[i, j]
            shift = (1 - firm_rate[j] if t >= 0 else firm_rate[j]) * t * knowledge[i, j]
            r = min(max(shift + firm_rate[j], 0.0), 0.99)
            retention[i, j] = r
            value[i, j] = compiled_clv_margin_multiple(r, discount_rate) * margin_rate[i, j]
