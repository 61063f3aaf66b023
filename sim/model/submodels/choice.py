"""S6 Purchase occasions and choice: customers shop and choose by random utility."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, firsts, joined, run_blocks
from sim.model.events import Conditions
from sim.model.population import Traits
from sim.model.submodels.offers import Offers
from sim.schema import Choice


@dataclass
class Purchases:
    """This period's purchases, one entry per purchase, grouped by customer in order."""

    customer: NDArray[np.int64]
    firm: NDArray[np.int64]
    revenue: NDArray[np.float64]
    margin: NDArray[np.float64]
    occasions: int  # all occasions, including those on which nobody bought
    count: NDArray[np.int32]  # (N, F) purchases per customer-firm pair this period
    leaving: NDArray[np.bool_]  # (N,) customers who leave the category after this period


def purchases_before_leaving(
    dropout: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.float64]:
    """Number of purchases after which each customer leaves: after every purchase a customer
    leaves with chance ``dropout``, so the number is geometric (1, 2, …); inf where dropout = 0."""
    limit = np.full(dropout.size, np.inf)
    leaves = dropout > 0
    limit[leaves] = rng.geometric(dropout[leaves])
    return limit


def shopping_occasions(
    customers: Traits, conditions: Conditions, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Each customer's purchase occasions this period, ~ Poisson(purchase_rate); 0 once out of
    the category. One uniform draw per customer, inverted through the Poisson distribution
    function (:func:`poisson_by_inversion`); customers with a rate above
    ``INVERSION_LIMIT`` (rare) take numpy's Poisson draw instead, after the others."""
    c = customers
    rate = c.purchase_rate * conditions.purchase_rate
    occasions = np.zeros(c.count, dtype=np.int64)
    draws = rng.random(c.count)
    run_blocks(poisson_by_inversion, bounds(c.count), draws, rate, c.in_category, occasions)
    high = np.flatnonzero(occasions < 0)
    occasions[high] = rng.poisson(rate[high])
    return occasions


INVERSION_LIMIT = 30.0  # occasions per period; exp(−rate) stays far from underflow below it


@njit(cache=True, nogil=True)
def poisson_by_inversion(
    start: int,
    stop: int,
    draws: NDArray[np.float64],
    rate: NDArray[np.float64],
    in_category: NDArray[np.bool_],
    k: NDArray[np.int64],
) -> None:
    """Customers ``start`` to ``stop``: k[i] += the smallest k whose Poisson(rate) distribution
    function exceeds the customer's uniform draw (k starts at 0; stays 0 out of the category;
    −1 where rate > INVERSION_LIMIT, left to the caller)."""
    for i in range(start, stop):
        if not in_category[i]:
            continue
        if rate[i] > INVERSION_LIMIT:
            k[i] = -1
            continue
        term = np.exp(-rate[i])  # Pr(k = 0), then Pr(k = 1), …
        below = term
        while draws[i] >= below and term > 0.0:
            k[i] += 1
            term *= rate[i] / k[i]
            below += term


def choose(
    customers: Traits,
    offers: Offers,
    choice: Choice,
    conditions: Conditions,
    rng: np.random.Generator,
    occasions: NDArray[np.int64] | None = None,
) -> Purchases:
    """Purchase occasions (:func:`shopping_occasions`, drawn here unless given); on each the
    customer takes an option with its multinomial-logit probability (utility over noise, the
    outside option worth outside_value), drawn with one uniform number per occasion. After each
    purchase the customer may leave the category (chance dropout): its later occasions this
    period do not happen. ``offers`` must hold a row for every customer with an occasion."""
    c = customers
    if occasions is None:
        occasions = shopping_occasions(c, conditions, rng)
    draws = rng.random(int(occasions.sum()))
    shoppers = np.flatnonzero(occasions)
    limit = np.full(c.count, np.inf)
    limit[shoppers] = purchases_before_leaving(c.dropout[shoppers], rng)
    row = np.arange(c.count) if offers.row is None else offers.row
    f = offers.utility.shape[1]
    m = draws.size  # at most one purchase per occasion
    customer, firm = np.empty(m, np.int64), np.empty(m, np.int64)
    revenue, margin = np.empty(m), np.empty(m)
    count, leaving = np.zeros((c.count, f), np.int32), np.zeros(c.count, np.bool_)
    edges = bounds(shoppers.size)
    first = firsts(edges, counts=occasions[shoppers])  # each block's first draw
    done = run_blocks(
        shop, edges, edges, first, shoppers, occasions, draws, offers.utility, row,
        choice.outside_value, choice.noise, limit, c.basket, offers.price, offers.unit_cost,
        customer, firm, revenue, margin, count, leaving,
    )  # fmt: skip
    kept = sum(happened for happened, _ in done)
    sold = [bought for _, bought in done]
    return Purchases(
        *(joined(a, first, sold) for a in (customer, firm, revenue, margin)),
        kept,
        count,
        leaving,
    )


@njit(cache=True, nogil=True)
def shop(
    start: int,
    stop: int,
    edges: NDArray[np.int64],
    first: NDArray[np.int64],
    shoppers: NDArray[np.intp],
    occasions: NDArray[np.int64],
    draws: NDArray[np.float64],
    utility: NDArray[np.float64],
    row: NDArray[np.intp],
    outside_value: float,
    noise: float,
    limit: NDArray[np.float64],
    basket: NDArray[np.float64],
    price: NDArray[np.float64],
    unit_cost: NDArray[np.float64],
    customer: NDArray[np.int64],
    firm: NDArray[np.int64],
    revenue: NDArray[np.float64],
    margin: NDArray[np.float64],
    count: NDArray[np.int32],
    leaving: NDArray[np.bool_],
) -> tuple[int, int]:
    """Every occasion of shoppers ``start`` to ``stop`` in turn (``shoppers`` ascending,
    ``draws``: one uniform number in [0, 1) per occasion, in that order, this block's from
    ``first[b]`` on, block b starting at ``edges[b]``): the logit weights exp((U − max U)/noise) of
    the customer's options (firms, then the outside option) are computed once, and each
    occasion takes the first option whose running sum of weights exceeds draw × their total
    (the inverse of the logit shares' distribution function); once a customer has made
    ``limit`` purchases it leaves and its later occasions do not happen. Writes customer, firm,
    revenue and margin of each purchase from the block's first draw on, purchases per pair and
    who leaves; returns the occasions that happened and the purchases made."""
    f = utility.shape[1]
    running = np.empty(f + 1)  # the customer's running sum of logit weights
    k = base = first[np.searchsorted(edges, start)]  # the block's first draw
    kept = sold = 0
    for s in range(start, stop):
        i = shoppers[s]
        r = row[i]
        top = outside_value
        for j in range(f):
            top = max(top, utility[r, j])
        total = 0.0
        for j in range(f):  # exp(−inf) = 0: a firm the customer does not know
            total += np.exp((utility[r, j] - top) / noise)
            running[j] = total
        total += np.exp((outside_value - top) / noise)
        running[f] = total
        before = 0  # the customer's purchases so far
        for _ in range(occasions[i]):
            u = draws[k] * total
            k += 1
            if before >= limit[i]:
                continue  # left after an earlier purchase this period
            kept += 1
            pick = 0
            while pick < f and running[pick] <= u:
                pick += 1
            if pick == f:
                continue  # the outside option
            before += 1
            at = base + sold
            customer[at], firm[at] = i, pick
            revenue[at] = basket[i] * price[r, pick]
            margin[at] = revenue[at] - basket[i] * unit_cost[r, pick]
            count[i, pick] += 1
            leaving[i] = before == limit[i]
            sold += 1
    return kept, sold
