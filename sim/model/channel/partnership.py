"""The partnership between each retailer and each brand it carries: income, satisfaction with
the brand, the stage of the relationship (interest → support → dependence → shared management →
alignment), dropping a brand, and the effort the retailer puts behind each brand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.model.channel.terms import Terms
from sim.schema import STAGES, Channel

SHARED_MANAGEMENT = STAGES.index("shared_management")


@dataclass
class Partnerships:
    """The state of every retailer–brand relationship, as (K, F) arrays."""

    carries: NDArray[np.bool_]  # the retailer carries the brand
    effort: NDArray[np.float64]  # share of the retailer's effort behind the brand (Σ_j = 1)
    stage: NDArray[np.int64]  # index in STAGES
    satisfaction: NDArray[np.float64]  # the retailer's satisfaction with the brand, (−1, 1)
    progress: NDArray[np.int64]  # periods in a row at advance_at or above
    income: NDArray[np.float64]  # smoothed $ per period the brand earns the retailer
    expected: NDArray[np.float64]  # $ per period the retailer expects (NaN before any)

    @classmethod
    def start(cls, carries: NDArray[np.bool_]) -> Partnerships:
        """Every carried brand at the interest stage with an even share of effort."""
        shape = carries.shape
        return cls(
            carries=carries.copy(),
            effort=even_effort(carries),
            stage=np.zeros(shape, dtype=np.int64),
            satisfaction=np.zeros(shape),
            progress=np.zeros(shape, dtype=np.int64),
            income=np.zeros(shape),
            expected=np.full(shape, np.nan),
        )


def even_effort(carries: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Effort split evenly over the brands each retailer carries (rows of zeros stay zero)."""
    brands = carries.sum(axis=1, keepdims=True)
    return np.where(carries, 1.0 / np.maximum(brands, 1), 0.0)


def support_level(terms: Terms, channel: Channel) -> NDArray[np.float64]:
    """(F,) each firm's support as a share of full support, [0, 1]."""
    return np.minimum(terms.support / channel.support_full, 1.0)


def update_partnerships(
    state: Partnerships, earned: NDArray[np.float64], terms: Terms, channel: Channel
) -> NDArray[np.bool_]:
    """One period of every partnership, given ``earned`` (K, F): $ each brand earned each
    retailer this period (margin, rebates, bonuses). Returns the (K, F) brands dropped now.

    Satisfaction moves toward the feeling tanh((earned − expected) / expected) plus what support
    and shared data add; expectations adapt to income. A stage is climbed after stage_periods
    periods at advance_at or above, if the stage's condition holds (support: the firm supports;
    dependence: the brand brings dependence_share of the retailer's income; shared management:
    the firm shares data); below retreat_at a stage is lost; below drop_at at the interest stage
    the brand is dropped. Effort moves toward shares
    ∝ (income + $1)^effort_elasticity × (1 + stage_weight·stage)."""
    s, ch, carried = state, channel, state.carries
    s.expected = np.where(np.isnan(s.expected), earned, s.expected)
    surprise = np.tanh((earned - s.expected) / np.maximum(s.expected, 1.0))
    backing = ch.support_satisfaction * (support_level(terms, ch) + terms.share_data) / 2
    feeling = surprise + backing[None, :]
    s.satisfaction = np.where(
        carried, s.satisfaction + ch.satisfaction_weight * (feeling - s.satisfaction), 0.0
    )
    s.expected += ch.expectation_adaptation * (earned - s.expected)
    s.income += ch.income_smoothing * (earned - s.income)
    share = s.income / np.maximum(s.income.sum(axis=1, keepdims=True), 1e-12)
    s.progress = np.where(carried & (s.satisfaction >= ch.advance_at), s.progress + 1, 0)
    allowed = np.select(
        [s.stage == 0, s.stage == 1, s.stage == 2, s.stage == 3],
        [
            np.broadcast_to(terms.support > 0, s.stage.shape),
            share >= ch.dependence_share,
            np.broadcast_to(terms.share_data, s.stage.shape),
            np.ones(s.stage.shape, dtype=bool),
        ],
        default=False,
    )
    climb = carried & (s.progress >= ch.stage_periods) & allowed
    fall = carried & (s.satisfaction < ch.retreat_at) & (s.stage > 0)
    dropped = carried & (s.satisfaction < ch.drop_at) & (s.stage == 0)
    s.stage = s.stage + climb - fall
    s.progress = np.where(climb | fall, 0, s.progress)
    s.carries = carried & ~dropped
    pull = (s.income + 1.0) ** ch.effort_elasticity
    weight = np.where(s.carries, pull * (1.0 + ch.stage_weight * s.stage), 0.0)
    target = weight / np.maximum(weight.sum(axis=1, keepdims=True), 1e-12)
    effort = np.where(s.carries, s.effort + ch.effort_adaptation * (target - s.effort), 0.0)
    s.effort = effort / np.maximum(effort.sum(axis=1, keepdims=True), 1e-12)
    return dropped
