"""S11 Books, pair by pair: each customer-firm pair's accounts settled and its lifetime value
re-estimated in one compiled pass, and the accounts of the customers each firm has served.

The loops take each product and sum in the order numpy's array passes took them (docs/model.md,
S11), so the numbers are the formulas' bit for bit (tests/engine/test_speed.py).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, run_blocks
from sim.model.lifetime_value import compiled_lifetime_estimate

# numba caches each compiled loop by its own file, with the compiled functions it calls built in:
# after changing lifetime_estimate or margin_multiple, run `make clean-compiled`.


class Terms(NamedTuple):
    """The period's settlement terms."""

    smoothing: float  # margin_smoothing, [0, 1]
    acquisition_cost: float  # $ charged to the cost to serve of each pair won
    firm_rate: NDArray[np.float64]  # (F,) each firm's retention estimate, [0.01, 0.99]
    discount_rate: float  # per period


class Accounts(NamedTuple):
    """The (N, F) arrays the settlement reads and writes (in place)."""

    spend: NDArray[np.float64]  # $ this period (written)
    cumulative_revenue: NDArray[np.float64]  # $ (updated)
    cumulative_margin: NDArray[np.float64]  # $ (updated)
    margin_rate: NDArray[np.float64]  # $ per period, smoothed (updated)
    cost_to_serve: NDArray[np.float64]  # $ (updated)
    trust: NDArray[np.float64]  # [−1, 1] (read)
    knowledge: NDArray[np.float64]  # [0, 1] (read)
    satisfaction: NDArray[np.float64]  # (−1, 1) (read)
    retention: NDArray[np.float64]  # the firm's estimate r̂, [0, 0.99] (written)
    value: NDArray[np.float64]  # the firm's estimate of lifetime value, $ (written)


@njit(cache=True, nogil=True)
def settle_accounts(
    start: int,
    stop: int,
    customer: NDArray[np.int64],
    firm: NDArray[np.int64],
    revenue: NDArray[np.float64],
    margin: NDArray[np.float64],
    active: NDArray[np.bool_],
    active_before: NDArray[np.bool_],
    stage: NDArray[np.int8],
    loyal_stage: int,
    terms: Terms,
    accounts: Accounts,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The accounts of every pair of customers ``start`` to ``stop`` after this period's
    purchases (``customer``, ``firm``, ``revenue``,
    ``margin``: one per purchase, grouped by customer in order, as ``Purchases`` keeps them), in
    place: spend (the pair's purchases added up in order, from 0), cumulative revenue and
    margin, the smoothed margin rate (rate + smoothing·(margin − rate)), the acquisition cost of
    a pair active now and not before, and the lifetime value estimate
    (:func:`~sim.model.lifetime_value.lifetime_estimate`).

    Returns per firm the counts (customers won, active customers, pairs at ``loyal_stage``) and
    the sums over these active customers of spend, satisfaction, lifetime value, knowledge and
    spend at all firms (each added in customer order).
    """
    a, t = accounts, terms
    f = a.spend.shape[1]
    counts, sums = np.zeros((3, f), np.int64), np.zeros((5, f))
    spent, earned = np.zeros(f), np.zeros(f)  # this customer's, per firm
    p = np.searchsorted(customer, start)  # the customer's first purchase
    for i in range(start, stop):
        for j in range(f):
            spent[j] = earned[j] = 0.0
        while p < customer.size and customer[p] == i:
            spent[firm[p]] += revenue[p]
            earned[firm[p]] += margin[p]
            p += 1
        wallet = 0.0  # the customer's spend at all firms
        for j in range(f):
            wallet += spent[j]
        for j in range(f):
            a.spend[i, j] = spent[j]
            a.cumulative_revenue[i, j] += spent[j]
            a.cumulative_margin[i, j] += earned[j]
            change = earned[j] - a.margin_rate[i, j]
            change *= t.smoothing
            a.margin_rate[i, j] += change
            a.retention[i, j], a.value[i, j] = compiled_lifetime_estimate(
                a.trust[i, j],
                a.knowledge[i, j],
                a.margin_rate[i, j],
                t.firm_rate[j],
                t.discount_rate,
            )
            if active[i, j]:
                counts[1, j] += 1
                if not active_before[i, j]:
                    a.cost_to_serve[i, j] += t.acquisition_cost
                    counts[0, j] += 1
            counts[2, j] += stage[i, j] == loyal_stage
            weight = 1.0 if active[i, j] else 0.0
            sums[0, j] += spent[j] * weight
            sums[1, j] += a.satisfaction[i, j] * weight
            sums[2, j] += a.value[i, j] * weight
            sums[3, j] += a.knowledge[i, j] * weight
            sums[4, j] += wallet * weight
    return counts, sums


def served_accounts(
    revenue: NDArray[np.float64], margin: NDArray[np.float64], cost: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """The revenue and the profit (margin − cost) of each firm's customers with revenue > 0, in
    customer order, firm after firm: firm j's are at ``start[j]:start[j + 1]``. Counted and
    copied block by block (sim.model.blocks), each block from where the blocks before it end."""
    edges = bounds(revenue.shape[0])
    served = np.array(run_blocks(count_served, edges, revenue))  # (blocks, F)
    start = np.concatenate([[0], np.cumsum(served.sum(axis=0))])
    at = start[:-1] + np.cumsum(served, axis=0) - served  # (blocks, F): each block's first place
    kept, profit = np.empty(start[-1]), np.empty(start[-1])
    run_blocks(copy_served, edges, edges, at, revenue, margin, cost, kept, profit)
    return kept, profit, start


@njit(cache=True, nogil=True)
def count_served(start: int, stop: int, revenue: NDArray[np.float64]) -> NDArray[np.int64]:
    """How many of customers ``start`` to ``stop`` each firm has served (revenue > 0)."""
    served = np.zeros(revenue.shape[1], dtype=np.int64)
    for i in range(start, stop):
        for j in range(revenue.shape[1]):
            served[j] += revenue[i, j] > 0
    return served


@njit(cache=True, nogil=True)
def copy_served(
    start: int,
    stop: int,
    edges: NDArray[np.int64],
    at: NDArray[np.int64],
    revenue: NDArray[np.float64],
    margin: NDArray[np.float64],
    cost: NDArray[np.float64],
    kept: NDArray[np.float64],
    profit: NDArray[np.float64],
) -> None:
    """Customers ``start`` to ``stop`` that firm j served, in order, from ``kept[at[b, j]]`` and
    ``profit[at[b, j]]`` on (b: the block of ``edges`` that starts at ``start``)."""
    place = at[np.searchsorted(edges, start)].copy()
    for i in range(start, stop):
        for j in range(revenue.shape[1]):
            if revenue[i, j] > 0:
                kept[place[j]], profit[place[j]] = revenue[i, j], margin[i, j] - cost[i, j]
                place[j] += 1
