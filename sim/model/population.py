"""Customers as numpy arrays: traits drawn per segment, and their relationships with firms.

Customers are not Mesa agents: a market holds thousands to a million of them, so their state lives
in arrays owned by the model (one row per customer, one column per firm) and a period is a handful
of vectorised operations. :mod:`sim.reference` is the per-agent version of the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from sim.model.equations import circular_distance
from sim.schema import COST_COMPONENTS, VALUE_COMPONENTS, MarketSpec, Segment


class Stage(IntEnum):
    """Lifecycle stage of one customer with one firm (潜在客户 → 新客户 → … → 老客户)."""

    PROSPECT = 0
    FIRST_TIME = 1
    REPEAT = 2
    LOYAL = 3
    LAPSED = 4


def lognormal_with_mean(
    rng: np.random.Generator, mean: NDArray[np.float64], cv: float, size: int
) -> NDArray[np.float64]:
    """Positive draws with the given mean(s) and coefficient of variation (lognormal)."""
    mean = np.asarray(mean, dtype=float)
    if cv == 0:
        return np.broadcast_to(mean, (size, *mean.shape)).copy()
    sigma2 = np.log1p(cv**2)
    return mean * rng.lognormal(-sigma2 / 2, np.sqrt(sigma2), size=(size, *mean.shape))


@dataclass
class Traits:
    """What customers bring to the market (fixed for the run, except expectation).

    ``expectation`` holds each customer's own offset from the market (segment
    ``expectation_shift`` + normal(0, ``expectation_dispersion``)) until period 1, when the best
    offer the customer knows of is added to it
    (:func:`~sim.model.submodels.experience.form_expectations`).
    """

    segment: NDArray[np.int16]
    value_weights: NDArray[np.float64]  # (N, 4): product, service, personnel, image
    cost_sensitivities: NDArray[np.float64]  # (N, 4): money, time, energy, psychic
    purchase_rate: NDArray[np.float64]  # purchase occasions per period (gamma across customers)
    basket: NDArray[np.float64]  # baskets per purchase (gamma across customers)
    dropout: NDArray[np.float64]  # chance of leaving the category after a purchase
    taste: NDArray[np.float64]  # ideal product variant on the unit circle
    misfit_sensitivity: NDArray[np.float64]  # $ lost per unit of taste distance
    expectation: NDArray[np.float64]  # expected delivered value ($), adapts; see below
    in_category: NDArray[np.bool_]  # False once the customer has dropped out
    segment_distance: NDArray[np.float64]  # taste distance to the segment's average taste

    @property
    def count(self) -> int:
        """Number of customers."""
        return len(self.segment)


def segment_sizes(segments: list[Segment], n: int) -> list[int]:
    """Split n customers over segments by share, largest remainders first (sizes sum to n)."""
    raw = np.array([s.share for s in segments]) * n
    sizes = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - sizes))[: n - sizes.sum()]:
        sizes[i] += 1
    return sizes.tolist()


def draw_traits(spec: MarketSpec, rng: np.random.Generator) -> Traits:
    """Draw every customer's traits from its segment's distributions."""
    n = spec.customers.count
    parts: dict[str, list[NDArray]] = {k: [] for k in Traits.__dataclass_fields__}
    del parts["segment_distance"]  # follows from taste and segment, below
    for index, (seg, size) in enumerate(
        zip(spec.customers.segments, segment_sizes(spec.customers.segments, n), strict=True)
    ):
        weights = np.array([getattr(seg.value_weights, k) for k in VALUE_COMPONENTS])
        sens = np.array([getattr(seg.cost_sensitivities, k) for k in COST_COMPONENTS])
        parts["segment"].append(np.full(size, index, dtype=np.int16))
        parts["value_weights"].append(
            lognormal_with_mean(rng, weights, seg.weight_dispersion, size)
        )
        parts["cost_sensitivities"].append(
            lognormal_with_mean(rng, sens, seg.weight_dispersion, size)
        )
        parts["purchase_rate"].append(
            rng.gamma(seg.purchase_rate_shape, seg.purchase_rate / seg.purchase_rate_shape, size)
        )
        parts["basket"].append(
            rng.gamma(seg.basket_shape, seg.basket_mean / seg.basket_shape, size)
        )
        parts["dropout"].append(
            rng.beta(seg.dropout.a, seg.dropout.b, size) if seg.dropout else np.zeros(size)
        )
        parts["taste"].append((seg.taste + rng.normal(0.0, seg.taste_spread, size)) % 1.0)
        parts["misfit_sensitivity"].append(np.full(size, seg.misfit_sensitivity))
        parts["expectation"].append(
            seg.expectation_shift + rng.normal(0.0, seg.expectation_dispersion, size)
        )
        parts["in_category"].append(np.ones(size, dtype=bool))
    drawn = {k: np.concatenate(v) for k, v in parts.items()}
    centre = np.array([s.taste for s in spec.customers.segments])[drawn["segment"]]
    return Traits(**drawn, segment_distance=circular_distance(drawn["taste"], centre))


@dataclass
class Relationships:
    """The state of every customer-firm pair, as (N, F) arrays."""

    n: int
    f: int
    aware: NDArray[np.bool_] = field(init=False)
    satisfaction: NDArray[np.float64] = field(init=False)  # in (−1, 1), recent experience
    trust: NDArray[np.float64] = field(init=False)  # in [−1, 1], slow; negative = grudge
    stage: NDArray[np.int8] = field(init=False)
    purchases: NDArray[np.int32] = field(init=False)  # purchase occasions with this firm, ever
    last_purchase: NDArray[np.int32] = field(init=False)  # period of last purchase, −1 = never
    knowledge: NDArray[np.float64] = field(init=False)  # the firm's profile accuracy in [0, 1]
    margin_rate: NDArray[np.float64] = field(init=False)  # smoothed $ margin per period
    cumulative_margin: NDArray[np.float64] = field(init=False)  # $ margin earned, ever
    spend: NDArray[np.float64] = field(init=False)  # $ spent this period
    cumulative_revenue: NDArray[np.float64] = field(init=False)  # $ spent with the firm, ever
    cost_to_serve: NDArray[np.float64] = field(init=False)  # $ the firm spent on the customer
    attachment: NDArray[np.float64] = field(init=False)  # in [0, 1], built by delight
    recommendations: NDArray[np.int32] = field(init=False)  # times the customer praised the firm
    last_firm: NDArray[np.int16] = field(init=False)  # (N,) firm of the last purchase, −1 = none

    def __post_init__(self) -> None:
        shape = (self.n, self.f)
        self.aware = np.zeros(shape, dtype=bool)
        self.satisfaction = np.zeros(shape)
        self.trust = np.zeros(shape)
        self.stage = np.zeros(shape, dtype=np.int8)
        self.purchases = np.zeros(shape, dtype=np.int32)
        self.last_purchase = np.full(shape, -1, dtype=np.int32)
        self.knowledge = np.zeros(shape)
        self.margin_rate = np.zeros(shape)
        self.cumulative_margin = np.zeros(shape)
        self.spend = np.zeros(shape)
        self.cumulative_revenue = np.zeros(shape)
        self.cost_to_serve = np.zeros(shape)
        self.attachment = np.zeros(shape)
        self.recommendations = np.zeros(shape, dtype=np.int32)
        self.last_firm = np.full(self.n, -1, dtype=np.int16)

    def customer_profit(self) -> NDArray[np.float64]:
        """Each customer's profit to each firm so far: margin earned − cost to serve ($)."""
        return self.cumulative_margin - self.cost_to_serve

    def active(self, period: int, lapse_periods: int) -> NDArray[np.bool_]:
        """Pairs with a live relationship: a purchase within the last ``lapse_periods`` periods."""
        return (self.last_purchase >= 0) & (self.last_purchase > period - lapse_periods)
