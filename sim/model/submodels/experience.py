"""S7 Experience: realised value, satisfaction per purchase, and expectations that adapt."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, joined, run_blocks, run_drawing_blocks
from sim.model.equations import failure_probability, satisfaction_response, shortfall_weight
from sim.model.events import Conditions
from sim.model.population import Relationships, Traits
from sim.model.submodels.choice import Purchases
from sim.model.submodels.offers import Offers
from sim.schema import Experience


@dataclass
class Felt:
    """How each of this period's purchases felt (one entry per purchase, in purchase order)."""

    satisfaction: NDArray[np.float64]  # in (−1, 1)
    delighted: NDArray[np.bool_]  # realised value above the desired level
    inadequate: NDArray[np.bool_]  # realised value below the adequate level


def known_offers_value(
    offers: Offers, aware: NDArray[np.bool_], present: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Delivered value of the best offer each customer knows of ($); for a customer who knows of
    no firm, the best offer of the firms in the market. Firm by firm: no (N, F) temporaries."""
    value = offers.delivered_value
    known, market = np.full(value.shape[0], -np.inf), np.full(value.shape[0], -np.inf)
    for j in range(value.shape[1]):
        np.maximum(known, np.where(aware[:, j], value[:, j], -np.inf), out=known)
        if present[j]:
            np.maximum(market, value[:, j], out=market)
    return np.where(aware.any(axis=1), known, market)


def form_expectations(
    customers: Traits, offers: Offers, aware: NDArray[np.bool_], present: NDArray[np.bool_]
) -> None:
    """Period 1: each customer's expectation starts at the best offer it knows of plus its own
    offset (segment expectation_shift + normal(0, expectation_dispersion), drawn at setup)."""
    customers.expectation += known_offers_value(offers, aware, present)


def experience(
    customers: Traits,
    relations: Relationships,
    purchases: Purchases,
    offers: Offers,
    x: Experience,
    conditions: Conditions,
    rng: np.random.Generator,
) -> Felt:
    """Realised value = offered delivered value − failure_loss on a service failure + noise;
    satisfaction = response(realised − expectation) with the zone of tolerance between the adequate
    and desired levels and shortfalls weighed less by attached customers; expectations adapt and
    drift upward. Returns how each purchase felt."""
    c = customers
    m = purchases.customer.size
    satisfaction = np.empty(m)
    delighted, inadequate = np.empty(m, np.bool_), np.empty(m, np.bool_)
    run_drawing_blocks(
        feel, bounds(c.count), rng, x.performance_noise, purchases.customer, purchases.firm,
        np.arange(c.count) if offers.row is None else offers.row,
        offers.delivered_value, offers.service, conditions.failure_floor, relations.attachment,
        c.in_category, c.expectation, x.failure_base, x.failure_service_scale, x.failure_loss,
        x.loss_aversion, x.forgiveness, x.adequate_gap, x.desired_gap, x.slope_inside,
        x.slope_outside, x.expectation_up, x.expectation_down, x.expectation_drift,
        satisfaction, delighted, inadequate,
    )  # fmt: skip
    return Felt(satisfaction, delighted, inadequate)


@njit(cache=True, nogil=True)
def feel(
    start: int,
    stop: int,
    generator: np.random.Generator,
    performance_noise: float,
    customer: NDArray[np.int64],
    firm: NDArray[np.int64],
    row: NDArray[np.intp],
    delivered_value: NDArray[np.float64],
    service: NDArray[np.float64],
    failure_floor: NDArray[np.float64],
    attachment: NDArray[np.float64],
    in_category: NDArray[np.bool_],
    expectation: NDArray[np.float64],
    failure_base: float,
    failure_service_scale: float,
    failure_loss: float,
    loss_aversion: float,
    forgiveness: float,
    adequate_gap: float,
    desired_gap: float,
    slope_inside: float,
    slope_outside: float,
    expectation_up: float,
    expectation_down: float,
    expectation_drift: float,
    satisfaction: NDArray[np.float64],
    delighted: NDArray[np.bool_],
    inadequate: NDArray[np.bool_],
) -> None:
    """S7 for customers ``start`` to ``stop`` in turn (purchases grouped by customer, in order):
    each purchase's realised value (a service failure if a uniform draw < chance, then a normal
    performance noise of sd ``performance_noise`` $: both drawn from the block's ``generator``,
    in that order, purchase after purchase), satisfaction, delight and letdown against the
    expectation held at the start of the period (written into the last three arrays); then the
    customer's expectation adapts to the mean realised value of its purchases (expectation_up or
    _down of the gap) and drifts, in place."""
    m = customer.size
    p = np.searchsorted(customer, start)  # the customer's first purchase
    for i in range(start, stop):
        expected = expectation[i]
        bought, realised_sum = 0, 0.0
        while p < m and customer[p] == i:
            j, k = firm[p], row[i]
            chance = failure_probability(service[k, j], failure_base, failure_service_scale)
            failed = generator.random() < max(chance, failure_floor[j])
            noise = generator.normal(0.0, performance_noise)
            realised = delivered_value[k, j] - (failure_loss if failed else 0.0) + noise
            d = realised - expected
            weight = shortfall_weight(loss_aversion, forgiveness, attachment[i, j])
            satisfaction[p] = satisfaction_response(
                d, adequate_gap, desired_gap, slope_inside, slope_outside, weight
            )
            delighted[p], inadequate[p] = d > desired_gap, d < -adequate_gap
            bought += 1
            realised_sum += realised
            p += 1
        step = expectation_drift if in_category[i] else 0.0
        if bought:
            gap = realised_sum / bought - expected
            step += (expectation_up if gap > 0 else expectation_down) * gap
        expectation[i] = expected + step


@dataclass
class FeltByPair:
    """This period's purchases added up per customer-firm pair that bought (pairs ascending)."""

    pairs: NDArray[np.intp]  # flat i·F + j, ascending
    times: NDArray[np.int64]  # purchases of the pair
    satisfaction: NDArray[np.float64]  # Σ satisfaction of its purchases
    delights: NDArray[np.float64]  # purchases above the desired level
    letdowns: NDArray[np.float64]  # purchases below the adequate level


def felt_by_pair(purchases: Purchases, felt: Felt) -> FeltByPair:
    """:class:`FeltByPair` of this period's purchases: each pair's values added in purchase
    order, from 0 (as numpy's bincount adds them)."""
    customer = purchases.customer
    m, f = customer.size, purchases.count.shape[1]
    out = (np.empty(m, np.intp), np.empty(m, np.int64), np.empty(m), np.empty(m), np.empty(m))
    edges = bounds(purchases.count.shape[0])
    first = np.searchsorted(customer, edges[:-1])  # each block's first purchase
    pairs = run_blocks(
        add_up_by_pair, edges, customer, purchases.firm, f, felt.satisfaction, felt.delighted,
        felt.inadequate, *out,
    )  # fmt: skip
    return FeltByPair(*joined(out, first, pairs))


@njit(cache=True, nogil=True)
def add_up_by_pair(
    start: int,
    stop: int,
    customer: NDArray[np.int64],
    firm: NDArray[np.int64],
    f: int,
    satisfaction: NDArray[np.float64],
    delighted: NDArray[np.bool_],
    inadequate: NDArray[np.bool_],
    pairs: NDArray[np.intp],
    times: NDArray[np.int64],
    total: NDArray[np.float64],
    delights: NDArray[np.float64],
    letdowns: NDArray[np.float64],
) -> int:
    """:func:`felt_by_pair` for customers ``start`` to ``stop``, in one pass over their purchases
    (grouped by customer, in order), written from their first purchase's place on; returns how
    many pairs bought."""
    m = customer.size
    p = base = np.searchsorted(customer, start)
    k = base  # pairs that bought ≤ purchases: this block's pairs fit in its purchases' places
    count, summed = np.zeros(f, np.int64), np.zeros((3, f))  # this customer's, per firm
    while p < m and customer[p] < stop:
        i = customer[p]
        for j in range(f):
            count[j] = 0
            summed[0, j] = summed[1, j] = summed[2, j] = 0.0
        while p < m and customer[p] == i:
            j = firm[p]
            count[j] += 1
            summed[0, j] += satisfaction[p]
            summed[1, j] += 1.0 if delighted[p] else 0.0
            summed[2, j] += 1.0 if inadequate[p] else 0.0
            p += 1
        for j in range(f):
            if count[j]:
                pairs[k], times[k] = i * f + j, count[j]
                total[k], delights[k], letdowns[k] = summed[0, j], summed[1, j], summed[2, j]
                k += 1
    return k - base
