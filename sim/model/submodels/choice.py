"""S6 Purchase occasions and choice: customers shop and choose by random utility."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

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
    occasions = poisson_by_inversion(rng.random(c.count), rate, c.in_category)
    high = np.flatnonzero(occasions < 0)
    occasions[high] = rng.poisson(rate[high])
    return occasions


INVERSION_LIMIT = 30.0  # occasions per period; exp(−rate) stays far from underflow below it


@njit(cache=True)
def poisson_by_inversion(
    draws: NDArray[np.float64], rate: NDArray[np.float64], in_category: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """The smallest k whose Poisson(rate) distribution function exceeds the customer's uniform
    draw (0 out of the category; −1 where rate > INVERSION_LIMIT, left to the caller)."""
    k = np.zeros(draws.size, dtype=np.int64)
    for i in range(draws.size):
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
    return k


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
    kept, sold, customer, firm, revenue, margin, count, leaving = shop(
        shoppers,
        occasions,
        draws,
        offers.utility,
        row,
        choice.outside_value,
        choice.noise,
        limit,
        c.basket,
        offers.price,
        offers.unit_cost,
    )
    return Purchases(
        customer[:sold], firm[:sold], revenue[:sold], margin[:sold], kept, count, leaving
    )


@njit(cache=True)
def shop(
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
) -> tuple[int, int, NDArray, NDArray, NDArray, NDArray, NDArray, NDArray]:
    """Every occasion of every shopper in turn (``shoppers`` ascending, ``draws``: one uniform
    number in [0, 1) per occasion, in that order): the logit weights exp((U − max U)/noise) of
    the customer's options (firms, then the outside option) are computed once, and each
    occasion takes the first option whose running sum of weights exceeds draw × their total
    (the inverse of the logit shares' distribution function); once a customer has made
    ``limit`` purchases it leaves and its later occasions do not happen. Returns the occasions
    that happened, the purchases (count, then customer, firm, revenue and margin of each, in
    arrays longer than that count), purchases per pair and who leaves."""
    n, f = limit.size, utility.shape[1]
    customer = np.empty(draws.size, dtype=np.int64)
    firm = np.empty(draws.size, dtype=np.int64)
    revenue = np.empty(draws.size)
    margin = np.empty(draws.size)
    count = np.zeros((n, f), dtype=np.int32)
    leaving = np.zeros(n, dtype=np.bool_)
    running = np.empty(f + 1)  # the customer's running sum of logit weights
    kept = sold = k = 0
    for i in shoppers:
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
            customer[sold], firm[sold] = i, pick
            revenue[sold] = basket[i] * price[r, pick]
            margin[sold] = revenue[sold] - basket[i] * unit_cost[r, pick]
            count[i, pick] += 1
            leaving[i] = before == limit[i]
            sold += 1
    return kept, sold, customer, firm, revenue, margin, count, leaving
