"""The model's equations as plain, vectorised functions (one per sentence of docs/model.md).

Each function works on scalars and on numpy arrays alike, so the same line serves a worked
example in class and a population of a million customers. The formulas applied to each purchase
are numpy ufuncs compiled by numba (``vectorize``), which the compiled loops of the submodels call
one value at a time; their arguments are positional.
"""

from __future__ import annotations

import numpy as np
from numba import vectorize
from numpy.typing import ArrayLike, NDArray


def total_value(levels: ArrayLike, weights: ArrayLike = 1.0) -> NDArray[np.float64]:
    """Total customer value: Σ_k weight_k × level_k over the last axis ($).

    ``levels`` are the product, service, personnel and image values of an offer ($);
    ``weights`` the importance a customer gives each (1 = par).
    """
    return np.sum(np.asarray(weights, dtype=float) * np.asarray(levels, dtype=float), axis=-1)


def total_cost(levels: ArrayLike, sensitivities: ArrayLike = 1.0) -> NDArray[np.float64]:
    """Total customer cost: Σ_l sensitivity_l × cost_l over money, time, energy, psychic ($)."""
    return np.sum(np.asarray(sensitivities, dtype=float) * np.asarray(levels, dtype=float), axis=-1)


def delivered_value(
    value_levels: ArrayLike,
    cost_levels: ArrayLike,
    value_weights: ArrayLike = 1.0,
    cost_sensitivities: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """Kotler's customer delivered value = total customer value − total customer cost ($).

    Kotler's Caterpillar tractor ($k): product value 90 (an equivalent competitor's tractor) + 7
    (durability) + 6 (reliability) = 103, service value 5 (service) + 2 (parts warranty) = 7,
    personnel 0, image 0: ``delivered_value([103, 7, 0, 0], [100, 0, 0, 0])`` is 110 − 100 = 10.
    """
    return total_value(value_levels, value_weights) - total_cost(cost_levels, cost_sensitivities)


def logit_shares(utilities: ArrayLike, noise: float) -> NDArray[np.float64]:
    """Multinomial-logit choice probabilities over the last axis: exp(U/μ) / Σ exp(U/μ).

    This is the exact probability that option j has the largest U_j + ε_j when the ε are
    independent Gumbel(0, μ) draws, which is how :func:`sim.model.submodels.choice.choose`
    samples choices.
    Options with U = −inf (not known to the customer) get probability 0.
    """
    u = np.asarray(utilities, dtype=float) / noise
    u = u - np.max(u, axis=-1, keepdims=True)
    e = np.exp(u)
    return e / np.sum(e, axis=-1, keepdims=True)


@vectorize(["float64(float64, float64, float64, float64, float64, float64)"], cache=True)
def satisfaction_response(
    disconfirmation: float,
    adequate_gap: float,
    desired_gap: float,
    slope_inside: float,
    slope_outside: float,
    shortfall_weight: float,
) -> float:
    """Satisfaction in (−1, 1) from disconfirmation d = realised − expected value ($).

    The zone of tolerance runs from the adequate level (d = −adequate_gap) to the desired level
    (d = +desired_gap). Inside it the response is shallow (slope_inside per $); beyond either end
    each further $ counts slope_outside. Shortfalls (d < 0) count ``shortfall_weight`` times as
    much as surpluses (:func:`shortfall_weight`). tanh keeps the result in (−1, 1).
    """
    d = disconfirmation
    inside = min(max(d, -adequate_gap), desired_gap)
    beyond = d - inside
    weight = shortfall_weight if d < 0 else 1.0
    return np.tanh(weight * (slope_inside * inside + slope_outside * beyond))


@vectorize(["float64(float64, float64, float64)"], cache=True)
def shortfall_weight(loss_aversion: float, forgiveness: float, attachment: float) -> float:
    """How many times a $ of shortfall weighs against a $ of surplus: loss_aversion, of which an
    attached customer forgives forgiveness × attachment (attachment in [0, 1]); never below 1."""
    return max(1.0, loss_aversion * (1.0 - forgiveness * attachment))


def clv_margin_multiple(retention: ArrayLike, discount_rate: float) -> NDArray[np.float64]:
    """Lifetime value per $ of periodic margin: r / (1 + i − r) (Gupta & Lehmann 2003).

    For r = 0.8 and i = 0.10 the multiple is 2.67: a customer worth $100 a period is worth $267.
    """
    return margin_multiple(np.asarray(retention, dtype=float), discount_rate)


def margin_multiple(
    retention: float | NDArray[np.float64], discount_rate: float
) -> float | NDArray[np.float64]:
    """:func:`clv_margin_multiple` of a float or an array, as plain arithmetic (compiled loops
    call it)."""
    return retention / (1.0 + discount_rate - retention)


def circular_distance(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Distance between two points on the unit-circumference taste circle, in [0, 0.5]."""
    d = np.abs(np.asarray(a, dtype=float) % 1.0 - np.asarray(b, dtype=float) % 1.0)  # < 1
    return np.minimum(d, 1.0 - d)


@vectorize(["float64(float64, float64, float64)"], cache=True)
def failure_probability(service: float, base: float, scale: float) -> float:
    """Chance that a purchase goes wrong: base × exp(−service / scale)."""
    return base * np.exp(-service / scale)
