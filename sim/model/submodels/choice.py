"""S6 Purchase occasions and choice: customers shop and choose by random utility."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, firsts, joined, run_drawing_blocks
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


def shopping_occasions(
    customers: Traits, conditions: Conditions, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Each customer's purchase occasions this period, ~ Poisson(purchase_rate); 0 once out of
    the category. One uniform number per customer in the category, from its block's own
    generator, inverted through the Poisson distribution function (:func:`poisson_by_inversion`);
    customers with a rate above ``INVERSION_LIMIT`` (rare) take numpy's Poisson draw instead,
    after the others."""
    c = customers
    rate = c.purchase_rate * conditions.purchase_rate
    occasions = np.zeros(c.count, dtype=np.int64)
    run_drawing_blocks(poisson_by_inversion, bounds(c.count), rng, rate, c.in_category, occasions)
    high = np.flatnonzero(occasions < 0)
    occasions[high] = rng.poisson(rate[high])
    return occasions


INVERSION_LIMIT = 30.0  # occasions per period; exp(−rate) stays far from underflow below it


@njit(cache=True, nogil=True)
def poisson_by_inversion(
    start: int,
    stop: int,
    generator: np.random.Generator,
    rate: NDArray[np.float64],
    in_category: NDArray[np.bool_],
    k: NDArray[np.int64],
) -> None:
    """Customers ``start`` to ``stop``: k[i] += the smallest k whose Poisson(rate) distribution
    function exceeds a uniform number of the block's ``generator`` (k starts at 0; stays 0 out
    of the category; −1 where rate > INVERSION_LIMIT, left to the caller)."""
    for i in range(start, stop):
        if not in_category[i]:
            continue
        if rate[i] > INVERSION_LIMIT:
            k[i] = -1
            continue
        u = generator.random()
        term = np.exp(-rate[i])  # Pr(k = 0), then Pr(k = 1), …
        below = term
        while u >= below and term > 0.0:
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
    shoppers: NDArray[np.intp] | None = None,
) -> Purchases:
    """Purchase occasions (:func:`shopping_occasions`, drawn here unless given); on each the
    customer takes an option with its multinomial-logit probability (utility over noise, the
    outside option worth outside_value), drawn with one uniform number per occasion. After each
    purchase the customer may leave the category (chance dropout, one more uniform number): its
    later occasions this period do not happen. The numbers come from each block's own generator.
    ``offers`` must hold a row for every customer with an occasion; ``shoppers`` are those
    customers, ascending (found here unless given)."""
    c = customers
    if occasions is None:
        occasions = shopping_occasions(c, conditions, rng)
    if shoppers is None:
        shoppers = np.flatnonzero(occasions)
    row = np.arange(c.count) if offers.row is None else offers.row
    f = offers.utility.shape[1]
    m = int(occasions.sum())  # at most one purchase per occasion
    customer, firm = np.empty(m, np.int64), np.empty(m, np.int64)
    revenue, margin = np.empty(m), np.empty(m)
    count, leaving = np.zeros((c.count, f), np.int32), np.zeros(c.count, np.bool_)
    edges = bounds(shoppers.size)
    first = firsts(edges, occasions[shoppers])  # each block's first occasion
    done = run_drawing_blocks(
        shop, edges, rng, edges, first, shoppers, occasions, offers.utility, row,
        choice.outside_value, choice.noise, c.dropout, c.basket, offers.price, offers.unit_cost,
        customer, firm, revenue, margin, count, leaving,
    )  # fmt: skip
    kept = sum(happened for happened, _ in done)
    sold = [bought for _, bought in done]
    return Purchases(
        *joined((customer, firm, revenue, margin), first, sold),
        kept,
        count,
        leaving,
    )


@njit(cache=True, nogil=True)
def shop(
    start: int,
    stop: int,
    generator: np.random.Generator,
    edges: NDArray[np.int64],
    first: NDArray[np.int64],
    shoppers: NDArray[np.intp],
    occasions: NDArray[np.int64],
    utility: NDArray[np.float64],
    row: NDArray[np.intp],
    outside_value: float,
    noise: float,
    dropout: NDArray[np.float64],
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
    """Every occasion of shoppers ``start`` to ``stop`` in turn (``shoppers`` ascending): the
    logit weights exp((U − max U)/noise) of the customer's options (firms, then the outside
    option) are computed once, and each occasion takes the option that a uniform number of the
    block's ``generator`` falls on (:func:`option_at`). After each purchase the customer leaves
    with chance dropout (one more uniform number) and its later occasions do not happen. Writes
    customer, firm, revenue and margin of each purchase from the block's first occasion on
    (block b, starting at shopper ``edges[b]``, at ``first[b]``), purchases per pair and who
    leaves; returns the occasions that happened and the purchases made."""
    f = utility.shape[1]
    running = np.empty(f + 1)  # the customer's running sum of logit weights
    base = first[np.searchsorted(edges, start)]  # where the block's purchases go
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
        for _ in range(occasions[i]):
            kept += 1
            pick = option_at(running, generator.random() * total)
            if pick == f:
                continue  # the outside option
            at = base + sold
            customer[at], firm[at] = i, pick
            revenue[at] = basket[i] * price[r, pick]
            margin[at] = revenue[at] - basket[i] * unit_cost[r, pick]
            count[i, pick] += 1
            sold += 1
            if dropout[i] > 0.0 and generator.random() < dropout[i]:
                leaving[i] = True
                break  # left: the later occasions this period do not happen
    return kept, sold


@njit(cache=True, nogil=True)
def option_at(running: NDArray[np.float64], u: float) -> int:
    """The first option whose running sum of logit weights exceeds ``u`` (a uniform number
    times their total): the inverse of the logit shares' distribution function."""
    pick = 0
    while pick < running.size - 1 and running[pick] <= u:
        pick += 1
    return pick
