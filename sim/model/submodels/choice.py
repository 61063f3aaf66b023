"""S6 Purchase occasions and choice: customers shop and choose by random utility."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.equations import gumbel_noise
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
    the category."""
    c = customers
    return rng.poisson(c.purchase_rate * conditions.purchase_rate) * c.in_category


def choose(
    customers: Traits,
    offers: Offers,
    choice: Choice,
    conditions: Conditions,
    rng: np.random.Generator,
    occasions: NDArray[np.int64] | None = None,
) -> Purchases:
    """Purchase occasions (:func:`shopping_occasions`, drawn here unless given); on each the
    customer takes the option with the highest utility + Gumbel(0, noise) noise, the outside
    option worth outside_value. After each purchase the customer may leave the category (chance
    dropout): its later occasions this period do not happen. ``offers`` must hold a row for
    every customer with an occasion."""
    c = customers
    if occasions is None:
        occasions = shopping_occasions(c, conditions, rng)
    who = np.repeat(np.arange(c.count), occasions)
    f = offers.utility.shape[1]
    noise = gumbel_noise(rng, choice.noise, (who.size, f + 1))
    shoppers = np.flatnonzero(occasions)
    limit = np.full(c.count, np.inf)
    limit[shoppers] = purchases_before_leaving(c.dropout[shoppers], rng)
    row = np.arange(c.count) if offers.row is None else offers.row
    kept, sold, customer, firm, revenue, margin, count, leaving = shop(
        who,
        noise,
        offers.utility,
        row,
        choice.outside_value,
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
    who: NDArray[np.intp],
    noise: NDArray[np.float64],
    utility: NDArray[np.float64],
    row: NDArray[np.intp],
    outside_value: float,
    limit: NDArray[np.float64],
    basket: NDArray[np.float64],
    price: NDArray[np.float64],
    unit_cost: NDArray[np.float64],
) -> tuple[int, int, NDArray, NDArray, NDArray, NDArray, NDArray, NDArray]:
    """Every occasion in turn (``who``: the customer of each, grouped by customer): the option
    with the highest utility + noise (``noise``: one Gumbel draw per occasion and option, the
    outside option last) is taken, the first of equals; once a customer has made ``limit``
    purchases it leaves and its later occasions do not happen. Returns the occasions that
    happened, the purchases (count, then customer, firm, revenue and margin of each, in
    arrays longer than that count), purchases per pair and who leaves."""
    n, f = limit.size, utility.shape[1]
    customer = np.empty(who.size, dtype=np.int64)
    firm = np.empty(who.size, dtype=np.int64)
    revenue = np.empty(who.size)
    margin = np.empty(who.size)
    count = np.zeros((n, f), dtype=np.int32)
    leaving = np.zeros(n, dtype=np.bool_)
    kept = sold = before = 0  # before: the customer's purchases before this occasion
    for k in range(who.size):
        i = who[k]
        if k == 0 or i != who[k - 1]:
            before = 0
        if before >= limit[i]:
            continue  # left after an earlier purchase this period
        kept += 1
        pick, best = f, noise[k, f] + outside_value
        for j in range(f - 1, -1, -1):  # backwards, so that the first of equals wins
            value = noise[k, j] + utility[row[i], j]
            if value >= best:
                pick, best = j, value
        if pick == f:
            continue
        before += 1
        customer[sold], firm[sold] = i, pick
        revenue[sold] = basket[i] * price[row[i], pick]
        margin[sold] = revenue[sold] - basket[i] * unit_cost[row[i], pick]
        count[i, pick] += 1
        leaving[i] = before == limit[i]
        sold += 1
    return kept, sold, customer, firm, revenue, margin, count, leaving
