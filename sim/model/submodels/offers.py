"""S5 Personalised offers: the delivered value of every firm's offer as made to every customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, for_each, run_blocks
from sim.model.events import Conditions
from sim.model.firms import Firm
from sim.model.lifetime_value import LifetimeValues
from sim.model.population import Relationships, Stage, Traits
from sim.model.submodels.retention import most_valuable
from sim.schema import ENERGY, MONEY, PRODUCT, SERVICE, TIME, MarketSpec
from sim.strategies import Decision

# Stage codes and the schema's column indices (PRODUCT, MONEY, …) are compiled into this module's
# loops, which numba caches by this file: after changing them elsewhere, run `make clean-compiled`.
PROSPECT, REPEAT, LOYAL, LAPSED = map(
    int, (Stage.PROSPECT, Stage.REPEAT, Stage.LOYAL, Stage.LAPSED)
)


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


class FirmTerms(NamedTuple):
    """What each firm offers this period (arrays: one entry per firm) and the market's
    constants, as :func:`offer_terms` reads them."""

    position: NDArray[np.float64]  # x_j, on the taste circle
    segment_fit: NDArray[np.float64]  # σ_j: research's share of the way to the segment's taste
    individual: NDArray[np.float64]  # 1.0 if the firm personalises by profile, else 0.0
    personalisation_fit: float
    convenience: float
    price: NDArray[np.float64]  # p_j, list price
    listed_service: NDArray[np.float64]  # service_j
    loyalty: NDArray[np.float64]  # ℓ_j, loyalty discount
    welcome: NDArray[np.float64]  # φ_j, first-purchase discount
    money_price: NDArray[np.float64]  # m(t)·p_j
    time_cost: NDArray[np.float64]  # τ_j
    energy_cost: NDArray[np.float64]  # ε_j
    lock_in: NDArray[np.float64]  # loyalty_lockin·ℓ_j·p_j
    switching_cost: float
    trust_weight: float
    attachment_value: float
    product_cost: NDArray[np.float64]  # product cost rate · P_j
    service_rate: NDArray[np.float64]  # service cost rate
    personnel_cost: NDArray[np.float64]  # personnel cost rate · N_j


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
    # Top tier (客户经理制): the tier_share most valuable active customers get extra service.
    row = None
    rows = np.arange(c.count) if shoppers is None else shoppers
    if shoppers is not None:  # each customer's row, −1 for those who do not shop
        row = np.full(c.count, -1, dtype=np.intp)
        row[shoppers] = np.arange(m)
    tier_extra = np.zeros((m, len(decisions)))

    def top_tier(j: int) -> None:  # firm j's column (the firms at once in a big market)
        candidates = np.flatnonzero(active[:, j])
        tier = most_valuable(candidates, lifetime.value[candidates, j], decisions[j].tier_share)
        if row is not None:
            tier = row[tier]
            tier = tier[tier >= 0]
        tier_extra[tier, j] = decisions[j].tier_service

    for_each(top_tier, range(len(decisions)), c.count)
    listed_service = np.array([d.service for d in decisions])
    money = conditions.money_sensitivity
    loyalty = np.array([d.loyalty_discount for d in decisions])
    # the standard offers' values and costs, (4, F); offer_terms weighs them for each customer
    standard = np.array([product, listed_service, personnel, image])
    list_costs = np.array([money * price, time_cost, energy_cost, psychic_cost])
    rates = [f.spec.unit_cost_rates for f in firms]
    ch = spec.choice
    terms = FirmTerms(
        position=position,
        segment_fit=segment_fit,
        individual=individual.astype(float),
        personalisation_fit=know.personalisation_fit,
        convenience=know.convenience,
        price=price,
        listed_service=listed_service,
        loyalty=loyalty,
        welcome=np.array([d.first_purchase_discount for d in decisions]),
        money_price=money * price,
        time_cost=time_cost,
        energy_cost=energy_cost,
        lock_in=ch.loyalty_lockin * loyalty * price,
        switching_cost=ch.switching_cost,
        trust_weight=ch.trust_weight,
        attachment_value=ch.attachment_value,
        product_cost=np.array([rate.product for rate in rates]) * product,
        service_rate=np.array([rate.service for rate in rates]),
        personnel_cost=np.array([rate.personnel for rate in rates]) * personnel,
    )
    delivered, utility, paid, service, unit_cost = (np.empty((m, len(firms))) for _ in range(5))
    run_blocks(
        offer_terms, bounds(m), rows, c.taste, c.segment_distance, c.misfit_sensitivity,
        c.value_weights, c.cost_sensitivities, r.knowledge, r.stage, r.last_firm, r.trust,
        r.attachment, r.aware, tier_extra, standard, list_costs, terms, delivered, utility, paid,
        service, unit_cost,
    )  # fmt: skip
    return Offers(delivered, paid, service, unit_cost, utility, row)


@njit(cache=True, nogil=True)
def offer_terms(
    start: int,
    stop: int,
    rows: NDArray[np.intp],
    taste: NDArray[np.float64],
    segment_distance: NDArray[np.float64],
    misfit_sensitivity: NDArray[np.float64],
    w: NDArray[np.float64],
    s: NDArray[np.float64],
    knowledge: NDArray[np.float64],
    stage: NDArray[np.int8],
    last_firm: NDArray[np.int16],
    trust: NDArray[np.float64],
    attachment: NDArray[np.float64],
    aware: NDArray[np.bool_],
    tier_extra: NDArray[np.float64],
    standard: NDArray[np.float64],
    list_costs: NDArray[np.float64],
    t: FirmTerms,
    delivered: NDArray[np.float64],
    utility: NDArray[np.float64],
    paid: NDArray[np.float64],
    service: NDArray[np.float64],
    unit_cost: NDArray[np.float64],
) -> None:
    """For rows k from ``start`` to ``stop``: the offer firm j makes to the customer of row k
    (customer ``rows[k]``), written into row
    k of ``delivered``, ``utility``, ``paid``, ``service`` and ``unit_cost``: the customer's
    weights (``w``, ``s``) applied to the standard offers' values and costs (``standard``,
    ``list_costs``: (4, F)), then what personalisation, tiers and discounts change. Each line is
    one step of docs/model.md's S5."""
    for k in range(start, stop):
        i = rows[k]
        for j in range(delivered.shape[1]):
            # fit: the distance from the customer's ideal to the variant offered (dist, d', d'';
            # dist as equations.circular_distance)
            d = abs(taste[i] % 1.0 - t.position[j] % 1.0)
            d = min(d, 1.0 - d)
            d -= max(d - segment_distance[i], 0.0) * t.segment_fit[j]  # research: the segment
            profile = knowledge[i, j] * t.individual[j]  # π_ij
            d *= 1.0 - profile * t.personalisation_fit  # a profile: the customer
            misfit = d * misfit_sensitivity[i]
            # service with the top tier's extra; the price paid after discounts
            extra = tier_extra[k, j]
            service[k, j] = t.listed_service[j] + extra
            member = 1.0 if stage[i, j] == REPEAT or stage[i, j] == LOYAL else 0.0
            newcomer = 1.0 if stage[i, j] == PROSPECT or stage[i, j] == LAPSED else 0.0
            discount = t.loyalty[j] * member + t.welcome[j] * newcomer
            paid[k, j] = (1.0 - discount) * t.price[j]
            # total customer value and cost as this customer sees them
            value, cost = 0.0, 0.0  # Σ_k w_ik·value_kj and Σ_l s_il·cost_lj, standard offer
            for c in range(4):
                value += w[i, c] * standard[c, j]
                cost += s[i, c] * list_costs[c, j]
            value += w[i, SERVICE] * extra - misfit * w[i, PRODUCT]
            cost -= s[i, MONEY] * t.money_price[j] * discount
            saved = s[i, TIME] * t.time_cost[j] + s[i, ENERGY] * t.energy_cost[j]
            cost -= saved * (profile * t.convenience)  # the time and energy a profile saves
            value -= cost
            delivered[k, j] = value
            # utility: delivered value + relationship value; −inf if unaware
            lock_in = (t.lock_in[j] * member + t.switching_cost) * (
                1.0 if last_firm[i] == j else 0.0
            )
            relation = trust[i, j] * t.trust_weight + attachment[i, j] * t.attachment_value
            relation += lock_in
            utility[k, j] = relation + value if aware[i, j] else -np.inf
            unit_cost[k, j] = t.product_cost[j] + t.service_rate[j] * service[k, j]
            unit_cost[k, j] += t.personnel_cost[j]
