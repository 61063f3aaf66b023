"""The firms' estimate of each customer's lifetime value (客户生命周期价值), updated in S11 and
read by retention contacts (S4) and top tiers (S5)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.equations import clv_margin_multiple
from sim.model.population import Relationships


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
        r = relations
        firm_rate = np.clip(firm_rate, 0.01, 0.99)
        # signal − firm rate: trust t moves the rate t of the way to 1 (t ≥ 0) or to 0 (t < 0);
        # in place, each product and sum the formula's (a·b = b·a and a + b = b + a exactly)
        estimate = self.retention  # last period's, overwritten
        np.copyto(estimate, np.where(r.trust >= 0, 1 - firm_rate, firm_rate))
        estimate *= r.trust  # the shift
        estimate *= r.knowledge
        estimate += firm_rate
        np.clip(estimate, 0.0, 0.99, out=estimate)
        value = clv_margin_multiple(estimate, discount_rate, out=self.value)  # last period's
        value *= r.margin_rate
