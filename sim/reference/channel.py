"""The channel layer of the reference engine, customer by customer.

What customers do with stores is written here as loops over customers and their purchases:
shelf presence, taking an offer at the home store, the store's cut of each sale, the customers
a store wins. What retailers and firms do among themselves (the contracts, the channel's events,
the payments, the partnerships, the books) is retailer-level and shared with the fast engine,
as the firms' books are (:class:`sim.model.channel.ChannelLayer`, which this class extends).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from sim.model.channel import ChannelLayer
from sim.model.channel.partnership import SHARED_MANAGEMENT, support_level
from sim.model.channel.settlement import ChannelTake, StoreSales, payments
from sim.model.submodels.choice import Purchases
from sim.reference.customer import Customer
from sim.schema import SERVICE, Channel


class ReferenceChannel(ChannelLayer):
    """Retailers between firms and the reference engine's customers (docs/model.md, section 7,
    "Channel"); each customer's home store is ``customer.home``."""

    def __init__(
        self,
        model: mesa.Model,
        channel: Channel,
        names: list[str],
        customers: list[Customer],
        rng: np.random.Generator,
    ) -> None:
        super().__init__(model, channel, names, len(customers), rng)
        self.customers = customers
        self.rng = rng
        for customer in customers:
            customer.home = int(self.home[customer.index])

    def see_shelves(self, present: list[bool]) -> None:
        """S3: I hear of a present brand my store carries with chance
        min(1, shelf_awareness × brands it carries × its effort share for the brand)."""
        p, rng = self.partners, self.rng
        for customer in self.customers:
            k = customer.home
            brands = int(p.carries[k].sum())
            for j, rel in enumerate(customer.relationships):
                if p.carries[k, j] and present[j]:
                    push = self.spec.shelf_awareness * brands * p.effort[k, j]
                    if rng.random() < min(1.0, push):
                        rel.aware = True

    def take_offers(self) -> None:
        """S5: for each brand, I take the offer at my store if my store carries it and the
        firm does not sell directly, or the store serves at least as well; a brand I can reach
        neither way is out of my reach."""
        p, ch, terms = self.partners, self.spec, self.terms
        support = ch.support_service * support_level(terms, ch)
        for customer in self.customers:
            k = customer.home
            brands = int(p.carries[k].sum())
            for j, rel in enumerate(customer.relationships):
                offer = rel.offer
                rel.at_store = False
                if not p.carries[k, j]:
                    if not terms.direct[j]:
                        offer.utility = -math.inf
                    continue
                extra = self.swing[k] * (brands * p.effort[k, j] - 1.0) + support[j]
                if terms.share_data[j] and p.stage[k, j] >= SHARED_MANAGEMENT:
                    extra += ch.data_service
                service = max(0.0, offer.service + extra)
                gain = customer.value_weights[SERVICE] * (service - offer.service)
                if terms.direct[j] and gain < 0:
                    continue  # better directly
                rel.at_store = True
                offer.delivered_value += gain
                offer.service = service
                offer.utility += gain

    def cut_sales(self) -> None:
        """S6: my store keeps its margin of each purchase I made there."""
        f, k = len(self.names), self.k
        units, sales, margin = np.zeros((k, f)), np.zeros((k, f)), np.zeros((k, f))
        for customer in self.customers:
            for purchase in customer.bought:
                if customer.relationships[purchase.firm].at_store:
                    cut = purchase.revenue * self.terms.margin[purchase.firm]
                    purchase.margin -= cut
                    units[customer.home, purchase.firm] += 1
                    sales[customer.home, purchase.firm] += purchase.revenue
                    margin[customer.home, purchase.firm] += cut
        self.sales = StoreSales(units, sales, margin, self.at_store_flags())

    def at_store_flags(self) -> np.ndarray:
        """Whether each purchase of this period (customer by customer, in order) was made at a
        store."""
        return np.array(
            [c.relationships[p.firm].at_store for c in self.customers for p in c.bought],
            dtype=bool,
        )

    def settle_with_firms(self) -> ChannelTake:
        """S11: what each firm pays its retailers; a customer won this period (active now, not
        before) who bought the brand at its store earns the store the development bonus."""
        won = np.zeros_like(self.partners.effort)
        for customer in self.customers:
            for j, rel in enumerate(customer.relationships):
                if rel.is_active and not rel.was_active and rel.at_store and rel.spend > 0:
                    won[customer.home, j] += 1
        assert self.sales is not None
        paid = payments(self.sales, won, self.partners.carries, self.terms)
        self.take = ChannelTake(self.sales.margin.sum(axis=0), paid)
        return self.take

    def purchases(self, occasions: int) -> Purchases:
        """This period's purchases as arrays, in customer order, for the channel's books (which
        read customer, firm, revenue and margin; ``count`` and ``leaving`` stay zero)."""
        bought = [(c.index, p) for c in self.customers for p in c.bought]
        f = len(self.names)
        return Purchases(
            customer=np.array([i for i, _ in bought], dtype=np.int64),
            firm=np.array([p.firm for _, p in bought], dtype=np.int64),
            revenue=np.array([p.revenue for _, p in bought], dtype=float),
            margin=np.array([p.margin for _, p in bought], dtype=float),
            occasions=occasions,
            count=np.zeros((len(self.customers), f), dtype=np.int32),
            leaving=np.zeros(len(self.customers), dtype=bool),
        )
