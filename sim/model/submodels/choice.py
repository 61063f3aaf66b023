"""S6 Purchase occasions and choice: customers shop and choose by random utility."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
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
    count: NDArray[np.int64]  # (N, F) purchases per customer-firm pair this period
    leaving: NDArray[np.bool_]  # (N,) customers who leave the category after this period

    def per_pair(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Sum ``values`` (one per purchase) over each customer-firm pair: (N, F)."""
        n, f = self.count.shape
        pair = self.customer * f + self.firm
        return np.bincount(pair, values, minlength=n * f).astype(float, copy=False).reshape(n, f)

    @cached_property
    def pairs(self) -> NDArray[np.intp]:
        """The pairs that bought this period, as flat indices i·F + j, ascending."""
        return np.flatnonzero(self.count)

    @cached_property
    def slot(self) -> NDArray[np.intp]:
        """Each purchase's place in :attr:`pairs`."""
        n, f = self.count.shape
        place = np.zeros(n * f, dtype=np.intp)
        place[self.pairs] = np.arange(self.pairs.size)
        return place.take(self.customer * f + self.firm)

    def over_pairs(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """:meth:`per_pair` at :attr:`pairs` only: the same sums, bit for bit (each pair's
        values added in purchase order, from 0)."""
        return np.bincount(self.slot, values, minlength=self.pairs.size).astype(float, copy=False)


def purchases_before_leaving(
    dropout: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.float64]:
    """Number of purchases after which each customer leaves: after every purchase a customer
    leaves with chance ``dropout``, so the number is geometric (1, 2, …); inf where dropout = 0."""
    limit = np.full(dropout.size, np.inf)
    leaves = dropout > 0
    limit[leaves] = rng.geometric(dropout[leaves])
    return limit


def prior_purchases(who: NDArray[np.int64], bought: NDArray[np.bool_]) -> NDArray[np.int64]:
    """For each occasion (grouped by customer, in order), the customer's purchases before it."""
    done = np.cumsum(bought) - bought
    first = np.flatnonzero(np.r_[True, who[1:] != who[:-1]]) if who.size else who
    starts = np.repeat(done[first], np.diff(np.r_[first, who.size]))
    return done - starts


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
    options = gumbel_noise(rng, choice.noise, (who.size, f + 1))  # + utility, in place
    options[:, :f] += offers.utility.take(offers.at(who), axis=0)
    options[:, f] += choice.outside_value
    pick = np.argmax(options, axis=1)
    shoppers = np.flatnonzero(occasions)
    limit = np.full(c.count, np.inf)
    limit[shoppers] = purchases_before_leaving(c.dropout[shoppers], rng)
    before = prior_purchases(who, pick < f)
    still_in = before < limit[who]
    who, pick, before = who[still_in], pick[still_in], before[still_in]
    bought = pick < f
    leaving = np.zeros(c.count, dtype=bool)
    leaving[who[bought & (before + 1 == limit[who])]] = True
    customer, firm = who[bought], pick[bought]
    basket = c.basket[customer]
    at = offers.at(customer)
    revenue = basket * offers.price[at, firm]
    margin = revenue - basket * offers.unit_cost[at, firm]
    count = np.bincount(customer * f + firm, minlength=c.count * f).reshape(c.count, f)
    return Purchases(customer, firm, revenue, margin, who.size, count, leaving)
