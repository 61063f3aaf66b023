"""The model's equations (sim.model.equations): worked examples, exact formulas and shape
properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.equations import (
    circular_distance,
    clv_margin_multiple,
    delivered_value,
    failure_probability,
    logit_shares,
    satisfaction_response,
    shortfall_weight,
    total_cost,
    total_value,
)
from sim.schema import Experience

# --- Kotler's delivered value ---------------------------------------------------------------


def test_caterpillar_golden_example():
    """Kotler's Caterpillar tractor ($ thousands): product value 90 (the price of an equivalent
    competitor's tractor) + 7 (durability) + 6 (reliability) = 103, service value 5 (service)
    + 2 (parts warranty) = 7, personnel 0, image 0: 110 of value against a price of 100 → 10
    of delivered value."""
    value = [90.0 + 7.0 + 6.0, 5.0 + 2.0, 0.0, 0.0]
    cost = [100.0, 0.0, 0.0, 0.0]
    assert total_value(value) == pytest.approx(110.0, abs=1e-12)
    assert total_cost(cost) == pytest.approx(100.0, abs=1e-12)
    assert delivered_value(value, cost) == pytest.approx(10.0, abs=1e-12)
    assert value == [103.0, 7.0, 0.0, 0.0]  # the split used in docs, notebook 02 and session 02
    # The docstring's own form of the example.
    assert delivered_value([103, 7, 0, 0], [100, 0, 0, 0]) == pytest.approx(10.0)


def test_weights_and_sensitivities_multiply_each_component():
    levels = np.array([80.0, 20.0, 10.0, 10.0])
    weights = np.array([1.0, 1.5, 0.5, 2.0])
    costs = np.array([100.0, 5.0, 3.0, 2.0])
    sens = np.array([1.3, 1.0, 2.0, 0.0])
    assert total_value(levels, weights) == pytest.approx(80 + 30 + 5 + 20)
    assert total_cost(costs, sens) == pytest.approx(130 + 5 + 6 + 0)
    assert delivered_value(levels, costs, weights, sens) == pytest.approx(135 - 141)


def test_delivered_value_is_vectorised_over_customers():
    rng = np.random.default_rng(3)
    levels = rng.uniform(0, 100, (50, 4))
    costs = rng.uniform(0, 100, (50, 4))
    w = rng.uniform(0, 2, (50, 4))
    out = delivered_value(levels, costs, w, 1.0)
    assert out.shape == (50,)
    expected = [sum(w[i] * levels[i]) - sum(costs[i]) for i in range(50)]
    np.testing.assert_allclose(out, expected, rtol=1e-12)


# --- lifetime value -------------------------------------------------------------------------


def test_clv_margin_multiple_textbook_value():
    assert clv_margin_multiple(0.8, 0.10) == pytest.approx(0.8 / 0.3, abs=1e-12)
    assert clv_margin_multiple(0.8, 0.10) == pytest.approx(2.6667, abs=1e-4)
    # lists and arrays alike, as the course's examples write them
    assert np.allclose(clv_margin_multiple([0.8, 0.5], 0.10), [0.8 / 0.3, 0.5 / 0.6])


def test_clv_margin_multiple_formula_and_monotonicity():
    r = np.linspace(0.0, 0.99, 100)
    m = clv_margin_multiple(r, 0.01)
    np.testing.assert_allclose(m, r / (1.01 - r), rtol=1e-12)
    assert m[0] == 0.0
    assert np.all(np.diff(m) > 0)  # more retention, more lifetime value


# --- logit ----------------------------------------------------------------------------------


def test_logit_shares_match_formula_and_sum_to_one():
    rng = np.random.default_rng(0)
    u = rng.normal(0, 30, (200, 5))
    for mu in (0.5, 10.0, 100.0):
        p = logit_shares(u, mu)
        expected = np.exp(u / mu) / np.exp(u / mu).sum(axis=1, keepdims=True)
        np.testing.assert_allclose(p, expected, rtol=1e-9, atol=1e-300)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_logit_shares_minus_infinity_gets_probability_zero():
    p = logit_shares([10.0, -np.inf, 0.0, -np.inf], 10.0)
    assert p[1] == 0.0 and p[3] == 0.0
    assert p.sum() == pytest.approx(1.0, abs=1e-15)
    assert p[0] == pytest.approx(math.e / (math.e + 1.0), rel=1e-12)


def test_logit_shares_survive_huge_utilities():
    """Subtracting the max keeps exp() from overflowing."""
    p = logit_shares([1e6, 1e6 - 10.0], 10.0)
    assert np.all(np.isfinite(p))
    assert p[0] == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-12)


def test_logit_shares_equal_utilities_split_evenly():
    np.testing.assert_allclose(logit_shares(np.full(4, 7.0), 3.0), 0.25, rtol=1e-12)


# --- satisfaction ---------------------------------------------------------------------------

X = Experience()  # shipped defaults: adequate 6 below, desired 6 above, inside 0.01, outside 0.06
LAM = X.loss_aversion
PARAMS = (X.adequate_gap, X.desired_gap, X.slope_inside, X.slope_outside, LAM)


def s(d, weight=LAM):
    return satisfaction_response(d, *PARAMS[:4], weight)


def test_satisfaction_inside_zone_is_small_and_shallow():
    low, high, inside, _, lam = PARAMS
    up, down = np.linspace(0.0, high, 101), np.linspace(0.0, low, 101)
    # Surpluses up to the desired level: at most slope_inside per $.
    np.testing.assert_allclose(s(up), np.tanh(inside * up), rtol=1e-12)
    # Shortfalls down to the adequate level count loss_aversion times (documented).
    np.testing.assert_allclose(s(-down), np.tanh(-lam * inside * down), rtol=1e-12)
    assert abs(float(s(high))) <= 0.06 + 1e-12  # small: 6% of the scale at the desired level


def test_zone_runs_from_adequate_to_desired_level():
    """An asymmetric zone: the kink sits at −adequate_gap below and +desired_gap above."""
    low, high, inside, outside = 10.0, 3.0, 0.01, 0.06

    def f(d):
        return float(satisfaction_response(d, low, high, inside, outside, 1.0))

    assert f(high + 1) - f(high) > 3 * (f(high) - f(high - 1))  # steeper past desired
    assert f(-low + 1) - f(-low) < (f(-low) - f(-low - 1)) / 3  # steeper below adequate
    assert f(-5.0) == pytest.approx(math.tanh(-5.0 * inside), rel=1e-12)  # −5 still inside


def test_satisfaction_steeper_outside_the_zone():
    h = 0.5
    for sign, edge in ((1.0, PARAMS[1]), (-1.0, PARAMS[0])):
        inside_slope = abs(float(s(sign * (edge - h)) - s(sign * (edge - 2 * h)))) / h
        outside_slope = abs(float(s(sign * (edge + 2 * h)) - s(sign * (edge + h)))) / h
        assert outside_slope > 3 * inside_slope, sign  # 0.06 vs 0.01 per $ before tanh bends


def test_satisfaction_is_loss_averse_beyond_the_zone():
    x = np.linspace(PARAMS[0] + 0.1, 100.0, 200)
    assert np.all(s(-x) < -s(x))
    # Close to the origin of tanh the ratio is the loss-aversion factor.
    assert float(-s(-7.0) / s(7.0)) == pytest.approx(LAM, rel=0.02)


def test_satisfaction_zero_at_zero_and_exact_piecewise_form():
    assert float(s(0.0)) == 0.0
    low, high, inside, outside, lam = PARAMS
    assert float(s(16.0)) == pytest.approx(
        math.tanh(inside * high + outside * (16.0 - high)), rel=1e-12
    )
    assert float(s(-16.0)) == pytest.approx(
        -math.tanh(lam * (inside * low + outside * (16.0 - low))), rel=1e-12
    )


def test_shortfall_weight_attachment_forgives():
    """Full attachment forgives ``forgiveness`` of the loss aversion, never below 1 (a shortfall
    never counts less than a surplus); weights work element-wise per purchase."""
    assert float(shortfall_weight(2.0, 0.5, 0.0)) == 2.0
    assert float(shortfall_weight(2.0, 0.5, 1.0)) == 1.0
    assert float(shortfall_weight(3.0, 0.25, 0.4)) == pytest.approx(3.0 * 0.9)
    assert float(shortfall_weight(1.5, 1.0, 1.0)) == 1.0  # floored at 1
    w = shortfall_weight(2.0, 0.5, np.array([0.0, 1.0]))
    v = satisfaction_response(np.array([-20.0, -20.0]), 6.0, 6.0, 0.01, 0.06, w)
    assert v[0] < v[1] < 0  # the attached customer is hurt less by the same shortfall
    assert float(s(20.0, w[0])) == float(s(20.0, w[1]))  # surpluses are not affected


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
params = st.tuples(
    st.floats(0.0, 50.0),  # adequate gap
    st.floats(0.0, 50.0),  # desired gap
    st.floats(0.0, 0.1),  # slope inside
    st.floats(0.0, 0.5),  # slope outside
    st.floats(1.0, 5.0),  # shortfall weight
)


@settings(max_examples=300, deadline=None, database=None)
@given(a=finite, b=finite, p=params)
def test_satisfaction_is_monotone_increasing(a, b, p):
    lo, hi = min(a, b), max(a, b)
    assert satisfaction_response(lo, *p) <= satisfaction_response(hi, *p)


@settings(max_examples=300, deadline=None, database=None)
@given(d=finite, p=params)
def test_satisfaction_is_bounded(d, p):
    v = float(satisfaction_response(d, *p))
    assert -1.0 <= v <= 1.0  # tanh rounds to exactly ±1 in float64 for huge gaps
    if abs(d) <= 20:  # arguments below ~18.7: strictly inside the open interval
        assert -1.0 < v < 1.0
    assert np.sign(v) == np.sign(d) or v == 0.0


@settings(max_examples=200, deadline=None, database=None)
@given(d=st.floats(-100, 100), e=st.floats(0.01, 10))
def test_satisfaction_strictly_increasing_with_default_slopes(d, e):
    """With non-zero slopes and moderate gaps the response is strictly increasing."""
    assert s(d) < s(d + e)


# --- taste circle ---------------------------------------------------------------------------


unit = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)


@settings(max_examples=300, deadline=None, database=None)
@given(a=unit, b=unit)
def test_circular_distance_range_and_symmetry(a, b):
    d = float(circular_distance(a, b))
    assert 0.0 <= d <= 0.5
    assert d == pytest.approx(float(circular_distance(b, a)), abs=1e-12)
    assert float(circular_distance(a, a)) == 0.0
    assert d == pytest.approx(float(circular_distance(a + 1.0, b)), abs=1e-9)  # period 1


def test_circular_distance_wraps_around():
    assert float(circular_distance(0.05, 0.95)) == pytest.approx(0.1, abs=1e-12)
    assert float(circular_distance(0.95, 0.05)) == pytest.approx(0.1, abs=1e-12)
    assert float(circular_distance(0.0, 0.5)) == pytest.approx(0.5, abs=1e-12)
    assert float(circular_distance(0.2, 0.6)) == pytest.approx(0.4, abs=1e-12)
    assert float(circular_distance(0.1, 0.7)) == pytest.approx(0.4, abs=1e-12)
    np.testing.assert_allclose(
        circular_distance(np.array([0.0, 0.25, 0.9]), 0.0), [0.0, 0.25, 0.1], atol=1e-12
    )


def test_failure_probability_decays_with_service():
    assert float(failure_probability(0.0, 0.3, 15.0)) == pytest.approx(0.3)
    assert float(failure_probability(15.0, 0.3, 15.0)) == pytest.approx(0.3 / math.e)
    assert np.all(np.diff(failure_probability(np.linspace(0, 100, 50), 0.3, 15.0)) < 0)
