"""The firms' estimate of each customer's lifetime value (客户生命周期价值), updated in S11 and
read by retention contacts (S4) and top tiers (S5)."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.model.equations import margin_multiple

# numba caches by file, with the compiled functions called built in: after changing
# margin_multiple (equations.py), run `make clean-compiled`.
compiled_margin_multiple = njit(cache=True)(margin_multiple)


class LifetimeValues:
    """Each firm's view of each customer, as (N, F) arrays, re-estimated every period
    (:func:`lifetime_estimate`, in the books' pass).

    Attributes:
        value: estimated lifetime value ($): margin rate × r̂ / (1 + i − r̂).
        retention: estimated chance r̂ that the customer stays, [0, 0.99].
    """

    def __init__(self, n: int, f: int) -> None:
        self.value = np.zeros((n, f))
        self.retention = np.full((n, f), 0.5)


def lifetime_estimate(
    trust: float, knowledge: float, margin_rate: float, firm_rate: float, discount_rate: float
) -> tuple[float, float]:
    """One pair's retention estimate r̂ and lifetime value ($): the firm's per-period retention
    estimate ``firm_rate`` (from its cohorts, in [0.01, 0.99]) moved by the customer's trust t —
    t of the way to 1 (t ≥ 0) or to 0 (t < 0) — as far as the profile (``knowledge``) lets the
    firm see, clipped to [0, 0.99]; lifetime value = margin rate × r̂ / (1 + i − r̂).
    Plain arithmetic, compiled for the books' pass."""
    shift = ((1 - firm_rate) if trust >= 0 else firm_rate) * trust * knowledge
    retention = min(max(shift + firm_rate, 0.0), 0.99)
    return retention, compiled_margin_multiple(retention, discount_rate) * margin_rate


compiled_lifetime_estimate = njit(cache=True)(lifetime_estimate)
