"""S5 Personalised offers: the delivered value of every firm's offer as made to every customer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.model.equations import circular_distance
from sim.model.events import Conditions
from sim.model.firms import Firm
from sim.model.lifetime_value import LifetimeValues
from sim.model.population import Relationships, Stage, Traits
from sim.model.submodels.retention import most_valuable
from sim.schema import ENERGY, MONEY, PRODUCT, SERVICE, TIME, MarketSpec
from sim.strategies import Decision


@dataclass
class Offers:
    """Each customer's personalised offer from each firm, as (M, F) arrays: one row per customer
    (M = N), or only for the customers who shop this period (``row`` says which row is whose)."""

    delivered_value: NDArray[np.float64]  # Σ w·value − Σ c·cost ($ per basket)
    price: NDArray[np.float64]  # price paid after loyalty and first-purchase discounts
    service: NDArray[np.float64]  # service value, with the top tier's extra
    unit_cost: NDArray[np.float64]  # firm's variable cost per basket
    utility: NDArray[np.float64]  # delivered value + relationship value; −inf if unaware
    row: NDArray[np.intp] | None = None  # (N,) each customer's row (−1: none); None: row i = i

    def at(self, customers: NDArray[np.intp]) -> NDArray[np.intp]:
        """The rows that hold the offers made to ``customers`` (customer indices)."""
        return customers if self.row is None else self.row[customers]


def personalised_offers(
    customers: Traits,
    relations: Relationships,
    firms: list[Firm],
    decisions: list[Decision],
    lifetime: LifetimeValues,
    active: NDArray[np.bool_],
    conditions: Conditions,
    spec: MarketSpec,
    shoppers: NDArray[np.intp] | None = None,
) -> Offers:
    """Delivered value of every firm's offer as personalised for every customer (or only for
    ``shoppers``, customer indices in ascending order: the same numbers, row by row): fit to the
    customer's taste (tailored by research or a profile), top-tier service, discounts, and the
    convenience a profile brings; utility adds trust, attachment and the cost of switching."""
    c, r = customers, relations
    m = c.count if shoppers is None else shoppers.size

    def mine(values: NDArray) -> NDArray:
        """The rows of a per-customer array that offers are made to (take: ~10× faster than
        fancy indexing for (N, K) arrays)."""
        return values if shoppers is None else values.take(shoppers, axis=0)

    know = spec.knowledge
    price = np.array([d.price for d in decisions])
    product = np.array([f.value.product for f in firms])
    personnel = np.array([d.personnel for d in decisions])
    image = np.array([f.value.image for f in firms])
    time_cost = np.array([f.costs.time for f in firms])
    energy_cost = np.array([f.costs.energy for f in firms])
    psychic_cost = np.array([f.costs.psychic for f in firms])
    position = np.array([f.position for f in firms])
    individual = np.array([d.personalisation == "individual" for d in decisions])
    research = np.array([min(1.0, d.research / know.research_full_cost) for d in decisions])
    segment_fit = research * np.array([d.personalisation == "segment" for d in decisions])
    # Each (M, F) step below writes into an array it owns (out=, in place) so that only a few
    # such arrays are alive at once; every operation is the one the formula names, so the
    # numbers are the same bit for bit as the formula written out (docs/performance.md).
    # Fit: distance from the customer's ideal variant to the variant offered to them.
    distance = circular_distance(mine(c.taste)[:, None], position[None, :])
    scratch = np.subtract(distance, mine(c.segment_distance)[:, None])
    np.maximum(scratch, 0.0, out=scratch)
    scratch *= segment_fit
    distance -= scratch  # tailored to the segment by research
    profile = mine(r.knowledge) * individual
    np.multiply(profile, know.personalisation_fit, out=scratch)
    np.subtract(1.0, scratch, out=scratch)
    distance *= scratch  # tailored to the customer by a profile
    misfit = distance
    misfit *= mine(c.misfit_sensitivity)[:, None]
    # Top tier (客户经理制): the tier_share most valuable active customers get extra service.
    row = None
    if shoppers is not None:  # each customer's row, −1 for those who do not shop
        row = np.full(c.count, -1, dtype=np.intp)
        row[shoppers] = np.arange(m)
    tier_extra = np.zeros((m, len(decisions)))
    for j, d in enumerate(decisions):
        tier = most_valuable(lifetime.value[:, j], active[:, j], d.tier_share)
        if row is not None:
            tier = row[tier]
            tier = tier[tier >= 0]
        tier_extra[tier, j] = d.tier_service
    listed_service = np.array([d.service for d in decisions])
    service = listed_service + tier_extra
    stage = mine(r.stage)
    member = (stage == Stage.REPEAT) | (stage == Stage.LOYAL)
    newcomer = (stage == Stage.PROSPECT) | (stage == Stage.LAPSED)
    loyalty = np.array([d.loyalty_discount for d in decisions])
    welcome = np.array([d.first_purchase_discount for d in decisions])
    discount = loyalty * member  # + welcome × newcomer
    discount += np.multiply(welcome, newcomer, out=scratch)
    paid = np.subtract(1.0, discount, out=scratch) * price
    money = conditions.money_sensitivity
    # Σ_k w_ik·value_kj and Σ_l s_il·cost_lj of the standard offers (two matrix products, over
    # all customers even when few shop: BLAS may round a row differently in a product over
    # other rows), then what personalisation, tiers and discounts change for each customer.
    standard = np.array([product, listed_service, personnel, image])
    list_costs = np.array([money * price, time_cost, energy_cost, psychic_cost])
    delivered = mine(c.value_weights @ standard)  # total value, then − total cost below
    total_cost = mine(c.cost_sensitivities @ list_costs)
    w, s = mine(c.value_weights), mine(c.cost_sensitivities)
    misfit *= w[:, PRODUCT, None]
    delivered -= misfit
    delivered += np.multiply(w[:, SERVICE, None], tier_extra, out=scratch)
    np.multiply(s[:, MONEY, None], money * price, out=scratch)
    scratch *= discount
    total_cost -= scratch  # the discounts
    np.multiply(s[:, TIME, None], time_cost, out=scratch)
    scratch += np.multiply(s[:, ENERGY, None], energy_cost, out=discount)
    scratch *= np.multiply(profile, know.convenience, out=profile)
    total_cost -= scratch  # the time and energy a profile saves
    delivered -= total_cost
    ch = spec.choice
    incumbent = mine(r.last_firm)[:, None] == np.arange(len(firms))[None, :]
    lock_in = np.multiply(ch.loyalty_lockin * loyalty * price, member, out=scratch)
    lock_in += ch.switching_cost
    lock_in *= incumbent
    utility = np.multiply(mine(r.trust), ch.trust_weight, out=total_cost)  # relationship value
    utility += np.multiply(mine(r.attachment), ch.attachment_value, out=discount)
    utility += lock_in
    utility += delivered
    np.copyto(utility, -np.inf, where=~mine(r.aware))
    rates = [f.spec.unit_cost_rates for f in firms]
    product_rate = np.array([rate.product for rate in rates])
    service_rate = np.array([rate.service for rate in rates])
    personnel_rate = np.array([rate.personnel for rate in rates])
    unit_cost = np.multiply(service_rate, service)
    np.add(product_rate * product, unit_cost, out=unit_cost)
    unit_cost += personnel_rate * personnel
    return Offers(delivered, paid, service, unit_cost, utility, row)
