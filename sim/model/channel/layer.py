"""The channel layer of a market: retailers (Mesa agents) between firms and customers.

:class:`ChannelLayer` holds every customer's home store, the contracts and the partnerships, and
runs the channel's part of each period at its place in the ODD order (docs/model.md, section
7, "Channel"): shelf presence (S3), offers through stores (S5), the stores' cut (S6), and
settlement, partnerships and the books (S11). A market builds one only when it has retailers.
"""

from __future__ import annotations

from dataclasses import replace

import mesa
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.model.channel.events import defect, war_rebates
from sim.model.channel.partnership import (
    SHARED_MANAGEMENT,
    Partnerships,
    support_level,
    update_partnerships,
)
from sim.model.channel.policies import ChannelPolicies
from sim.model.channel.routing import retail_service, through_stores
from sim.model.channel.settlement import (
    ChannelTake,
    Payments,
    StoreSales,
    payments,
    store_sales,
    won_at_stores,
)
from sim.model.channel.stores import home_stores, shelf_presence
from sim.model.channel.terms import contract_terms, initial_carrying
from sim.model.population import Relationships
from sim.model.submodels.choice import Purchases
from sim.model.submodels.offers import Offers
from sim.schema import RETAILER_METRICS, Channel, ChannelBooks, RetailerBooks
from sim.schema import Retailer as RetailerSpec


class Store(mesa.Agent):
    """A retailer: a Mesa agent that sells the brands it carries and keeps books.

    Attributes:
        index: row of this retailer in the channel's (K, F) arrays.
        spec: its scenario entry; ``name`` its name.
        layer: the channel layer, which keeps every store's books as arrays.
    """

    def __init__(
        self, model: mesa.Model, index: int, spec: RetailerSpec, layer: ChannelLayer
    ) -> None:
        super().__init__(model)
        self.index = index
        self.spec = spec
        self.name = spec.name
        self.layer = layer

    @property
    def books(self) -> RetailerBooks:
        """Its :class:`~sim.schema.RetailerBooks` for the latest period (zeros before any)."""
        if not self.layer.store_rows:
            return RetailerBooks()
        latest = self.layer.store_rows[-1]
        return RetailerBooks(**{name: latest[name][self.index].item() for name in RETAILER_METRICS})


class ChannelLayer:
    """Retailers, each customer's home store, the contracts and the partnerships of a market.

    Args:
        model: the market (the stores are its agents).
        channel: the scenario's channel section, with at least one retailer.
        names: the firms' names, in the market's order.
        n: number of customers.
        rng: the market's generator (draws each customer's location once, here).
    """

    def __init__(
        self,
        model: mesa.Model,
        channel: Channel,
        names: list[str],
        n: int,
        rng: np.random.Generator,
    ) -> None:
        self.spec = channel
        self.names = names
        self.contracts = contract_terms(channel, names)  # as the scenario writes them
        self.terms = self.contracts  # this period's: the policies', with any rebate war
        self.policies = ChannelPolicies(model.spec.firms)
        self.partners = Partnerships.start(initial_carrying(channel, names))
        self.stores = [Store(model, k, r, self) for k, r in enumerate(channel.retailers)]
        self.overhead = np.array([r.overhead for r in channel.retailers])
        self.store_rows: list[dict[str, NDArray]] = []  # per period: RETAILER_METRICS arrays
        where = np.array([r.location for r in channel.retailers])
        self.home = home_stores(rng.random(n), where)
        self.swing = np.array([r.service for r in channel.retailers])
        self.store = np.zeros((n, len(names)), dtype=bool)  # offers taken at the store
        self.sales: StoreSales | None = None
        self.take: ChannelTake | None = None
        self.rows: list[dict[str, object]] = []

    def begin(self, period: int) -> None:
        """S0: the channel's events (retailers that defect now, rebate wars under way) and the
        firms' channel policies, which set this period's terms from what they see."""
        events = self.spec.events
        defect(self.partners, events, [store.name for store in self.stores], self.names, period)
        terms = self.contracts
        if self.policies:
            sold = np.zeros(self.partners.effort.shape) if self.sales is None else self.sales.units
            terms = self.policies.set_terms(terms, self.partners, sold, period)
        extra = war_rebates(events, self.names, period)
        self.terms = replace(terms, rebate=terms.rebate + extra)

    @property
    def k(self) -> int:
        """Number of retailers."""
        return len(self.stores)

    def shelf_presence(
        self, relations: Relationships, present: NDArray[np.bool_], rng: np.random.Generator
    ) -> None:
        """S3: each store's customers hear of the brands it pushes."""
        p = self.partners
        brands = p.carries.sum(axis=1, keepdims=True)
        push = self.spec.shelf_awareness * brands * p.effort
        shelf_presence(relations, self.home, push, present, rng)

    def route(self, offers: Offers, weights: NDArray[np.float64]) -> Offers:
        """S5: the offers as customers can take them, directly or at their home store."""
        p, ch = self.partners, self.spec
        support = ch.support_service * support_level(self.terms, ch)
        data = ch.data_service * (self.terms.share_data[None, :] & (p.stage >= SHARED_MANAGEMENT))
        extra = retail_service(self.swing, p.effort, p.carries, support, data)
        routed, self.store = through_stores(
            offers, weights, self.home, extra, p.carries, self.terms.direct
        )
        return routed

    def sell(self, purchases: Purchases) -> Purchases:
        """S6: the stores keep their margin of each sale made there."""
        purchases, self.sales = store_sales(
            purchases, self.store, self.home, self.terms.margin, self.k
        )
        return purchases

    def settle(
        self, purchases: Purchases, active_before: NDArray[np.bool_], active: NDArray[np.bool_]
    ) -> ChannelTake:
        """S11: what each firm pays its retailers this period (for the firm's books)."""
        assert self.sales is not None
        won = won_at_stores(
            active & ~active_before, self.store, purchases.count > 0, self.home, self.k
        )
        paid = payments(self.sales, won, self.partners.carries, self.terms)
        self.take = ChannelTake(self.sales.margin.sum(axis=0), paid)
        return self.take

    def close(self, purchases: Purchases, period: int) -> None:
        """S11: partnerships move, and the stores and the firms' channels keep their books."""
        assert self.sales is not None and self.take is not None
        sales, paid = self.sales, self.take.paid
        earned = sales.margin + paid.rebates + paid.bonuses
        update_partnerships(self.partners, earned, self.terms, self.spec)
        self.record_stores(sales, paid, earned, period)
        self.record_firms(purchases, sales, paid, period)

    def record_stores(
        self, sales: StoreSales, paid: Payments, earned: NDArray, period: int
    ) -> None:
        """Each retailer's books for the period, as (K,) arrays (sums over brands). Kept here
        rather than collected store by store: 100 stores' reporters cost more than the rest of
        the channel layer."""
        p = self.partners
        brands = p.carries.sum(axis=1)
        income = earned.sum(axis=1)
        profit = income - self.overhead
        with np.errstate(invalid="ignore"):  # NaN for a store that carries nothing
            stage = np.where(p.carries, p.stage, 0).sum(axis=1) / brands
            satisfaction = np.where(p.carries, p.satisfaction, 0.0).sum(axis=1) / brands
        before = self.store_rows[-1]["cumulative_profit"] if self.store_rows else 0.0
        self.store_rows.append(
            {
                "period": np.full(self.k, period),
                "units": sales.units.sum(axis=1),
                "sales": sales.sales.sum(axis=1),
                "margin": sales.margin.sum(axis=1),
                "rebates": paid.rebates.sum(axis=1),
                "bonuses": paid.bonuses.sum(axis=1),
                "income": income,
                "overhead": self.overhead,
                "profit": profit,
                "cumulative_profit": before + profit,
                "brands": brands,
                "mean_stage": stage,
                "mean_satisfaction": satisfaction,
            }
        )

    def record_firms(
        self,
        purchases: Purchases,
        sales: StoreSales,
        paid: Payments,
        period: int,
    ) -> None:
        """Each firm's books by channel for the period (a row of :meth:`frame`)."""
        f = self.store.shape[1]
        way = purchases.firm * 2 + sales.at_store  # (firm, 0 direct / 1 at a store)

        def per_way(values: NDArray | None) -> NDArray[np.float64]:
            """(F, 2): the sums of ``values`` (None: counts) directly and at the stores."""
            return np.bincount(way, values, minlength=2 * f).astype(float).reshape(f, 2)

        direct_units = per_way(None)[:, 0]
        direct = per_way(purchases.revenue)[:, 0]
        margin = per_way(purchases.margin)  # at the stores already net of the stores' cut
        direct_margin, store_margin = margin[:, 0], margin[:, 1]
        store_sales = sales.sales.sum(axis=0)
        cut = sales.margin.sum(axis=0)
        rebates, bonuses = paid.rebates.sum(axis=0), paid.bonuses.sum(axis=0)
        support = paid.support.sum(axis=0)
        spent = rebates + bonuses + support
        p = self.partners
        for j in range(f):
            carried = p.carries[:, j]
            books = ChannelBooks(
                direct_units=int(direct_units[j]),
                store_units=int(sales.units[:, j].sum()),
                direct_revenue=float(direct[j]),
                store_sales=float(store_sales[j]),
                retailer_margin=float(cut[j]),
                rebates=float(rebates[j]),
                bonuses=float(bonuses[j]),
                support=float(support[j]),
                revenue=float(direct[j] + store_sales[j] - cut[j] - spent[j]),
                direct_contribution=float(direct_margin[j]),
                store_contribution=float(store_margin[j] - spent[j]),
                retailers=int(carried.sum()),
                mean_effort=float(p.effort[carried, j].mean()) if carried.any() else 0.0,
                mean_stage=float(p.stage[carried, j].mean()) if carried.any() else 0.0,
            )
            self.rows.append({"period": period, "firm": j} | books.__dict__)

    def retailer_frame(self) -> pd.DataFrame:
        """One row per period and retailer: every field of :class:`~sim.schema.RetailerBooks`."""
        names = [store.name for store in self.stores]
        columns = ["period", *RETAILER_METRICS]
        return pd.concat(
            [
                pd.DataFrame({"period": row["period"], "retailer": names}).join(
                    pd.DataFrame({name: row[name] for name in columns[1:]})
                )
                for row in self.store_rows
            ],
            ignore_index=True,
        )

    def frame(self) -> pd.DataFrame:
        """One row per period and firm: every field of :class:`~sim.schema.ChannelBooks`."""
        df = pd.DataFrame(self.rows)
        df["firm"] = [self.names[j] for j in df["firm"]]
        return df
