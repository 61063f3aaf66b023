"""The market: a Mesa model in which customers choose firms by customer delivered value.

:class:`Market` builds the market from a :class:`~sim.schema.MarketSpec` (setup, docs/model.md
section 5), runs one period as the submodels of docs/model.md in ODD order (:meth:`Market.step`)
and returns the results. Customers live in numpy arrays (:mod:`sim.model.population`); firms are
Mesa agents (:mod:`sim.model.firms`); each submodel is a module of :mod:`sim.model.submodels`.
"""

from __future__ import annotations

from functools import cache

import mesa
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from sim.model.books import RepeatCohorts, book_reporters, keep_books, ratio
from sim.model.channel import ChannelLayer
from sim.model.channel.results import ChannelResults
from sim.model.events import Timeline
from sim.model.firms import Firm
from sim.model.lifetime_value import LifetimeValues
from sim.model.network import SocialNetwork
from sim.model.population import Relationships, Traits, draw_traits
from sim.model.submodels.advertising import advertise
from sim.model.submodels.choice import choose, shopping_occasions
from sim.model.submodels.complaints import handle_complaints
from sim.model.submodels.decisions import decide_all
from sim.model.submodels.experience import experience, felt_by_pair, form_expectations
from sim.model.submodels.homogenisation import converge, homogenise
from sim.model.submodels.offers import Offers, personalised_offers
from sim.model.submodels.relationships import update_relationships
from sim.model.submodels.retention import contact_for_retention
from sim.model.submodels.word_of_mouth import word_of_mouth
from sim.model.transaction_log import TransactionLog
from sim.schema import (
    FIRM_METRICS,
    MARKET_METRICS,
    MarketBooks,
    MarketSpec,
)
from sim.strategies import build_strategy


@cache
def blas() -> ThreadpoolController:
    """The process's BLAS libraries (found once, when the first market steps)."""
    return ThreadpoolController()


class Market(ChannelResults, mesa.Model):
    """A market of customers and firms, built from a validated :class:`~sim.schema.MarketSpec`.

    Args:
        spec: the market to simulate (``sim.scenarios.load(name).spec``).
        rng: seed (int) or numpy Generator; fixes the run bit for bit.
        record_transactions: keep the transaction log (customer, firm, period, amount).
        decision_seconds: time limit on each strategy's decision (s); None: no limit.

    Run it with ``market.run()`` (all ``spec.periods``) or ``market.run_for(n)``; read results
    with :meth:`firm_metrics`, :meth:`market_metrics`, :meth:`transactions` or the Mesa
    ``datacollector``. (Mesa's own ``scenario`` attribute and keyword are left to Mesa.)
    """

    def __init__(
        self,
        spec: MarketSpec,
        *,
        rng: int | np.random.Generator | None = None,
        record_transactions: bool = True,
        decision_seconds: float | None = None,
    ) -> None:
        super().__init__(rng=rng)
        self.spec = spec
        self.decision_seconds = decision_seconds
        self.customers: Traits = draw_traits(spec, self.rng)
        self.network = SocialNetwork(spec.customers.network, self.customers.count, self.rng)
        self.firms: list[Firm] = [
            Firm(self, j, firm, build_strategy(firm.strategy.name, firm.strategy.params))
            for j, firm in enumerate(spec.firms)
        ]
        n, f = self.customers.count, len(self.firms)
        self.relations = Relationships(n, f)
        self.timeline = Timeline(spec.events, [firm.name for firm in spec.firms])
        self.conditions = self.timeline.conditions(1)
        awareness = np.array([firm.initial_awareness for firm in spec.firms])
        self.relations.aware[:] = self.rng.random((n, f)) < awareness * self.conditions.present
        self.lifetime = LifetimeValues(n, f)
        self.cohorts = RepeatCohorts(f, spec.experience.lapse_periods)
        self.period = 0
        self.books = MarketBooks(
            mean_expectation=float(self.customers.expectation.mean()), in_category=n
        )
        names = [firm.name for firm in spec.firms]
        self.log = TransactionLog(names) if record_transactions else None
        reporters: dict[type[mesa.Agent], dict] = {
            Firm: {"firm": "name", "strategy": "strategy_name"} | book_reporters(FIRM_METRICS)
        }
        self.channel: ChannelLayer | None = None  # only with retailers: no draw, no change
        if spec.channel is not None and spec.channel.retailers:
            self.channel = ChannelLayer(self, spec.channel, names, n, self.rng)
        self.datacollector = mesa.DataCollector(
            model_reporters=book_reporters(MARKET_METRICS), agenttype_reporters=reporters
        )

    # --- running --------------------------------------------------------------------------

    def run(self, periods: int | None = None) -> Market:
        """Run ``periods`` periods (default: the scenario's) and return self."""
        self.run_for(self.spec.periods if periods is None else periods)
        return self

    def step(self) -> None:
        """One period: the submodels in ODD order (docs/model.md, Process overview).

        BLAS runs on one thread meanwhile: the engine's matrix products are skinny ((N, 4) @
        (4, F), row sums), which a second BLAS thread slows down (~20× at 100,000 customers
        when the other core is busy); the results are the same bit for bit.
        """
        with blas().limit(limits=1, user_api="blas"):
            self.run_submodels()

    def run_submodels(self) -> None:
        """The body of :meth:`step`."""
        self.period = p = round(self.time)
        spec, c, r, rng = self.spec, self.customers, self.relations, self.rng
        active_before = r.active(p - 1, spec.experience.lapse_periods)
        self.conditions = self.timeline.conditions(p)  # S0 events
        self.timeline.fire(self, p)
        channel = self.channel
        if channel is not None:  # S0 the channel's events
            channel.begin(p)
        homogenise(self.firms, self.conditions.present, spec.homogenisation, p)  # S1
        decisions = decide_all(  # S2
            self.firms, p, self.conditions, spec.economics, self.decision_seconds
        )
        advertise(r, decisions, spec.economics, rng)  # S3
        if channel is not None:  # S3 shelf presence
            channel.shelf_presence(r, self.conditions.present, rng)
        contacts = contact_for_retention(  # S4
            r, self.lifetime, decisions, active_before, spec.economics
        )
        # S6's first draw, made before S5 (which draws nothing) so that offers are made only
        # to the customers who shop (the stores route everyone's).
        occasions = shopping_occasions(c, self.conditions, rng)
        shoppers = np.flatnonzero(occasions)

        def offers_to(to: NDArray[np.intp] | None) -> Offers:  # S5
            return personalised_offers(
                c,
                r,
                self.firms,
                decisions,
                self.lifetime,
                active_before,
                self.conditions,
                spec,
                to,
            )

        offers = offers_to(None if p == 1 or channel is not None else shoppers)
        if channel is not None:  # S5 offers through the stores
            offers = channel.route(offers, c.value_weights)
        if p == 1:  # expectations start where the market is: everyone's offers
            form_expectations(c, offers, r.aware, self.conditions.present)
            if channel is None:  # then the shoppers' rows of them, as in later periods
                del offers  # (first: five (N, F) arrays, the largest of the run)
                offers = offers_to(shoppers)
        purchases = choose(  # S6
            c, offers, spec.choice, self.conditions, rng, occasions, shoppers
        )
        if channel is not None:  # S6 the stores' cut
            purchases = channel.sell(purchases)
        felt = experience(c, r, purchases, offers, spec.experience, self.conditions, rng)  # S7
        del offers  # five (N, F) arrays: freed before the later submodels' temporaries
        by_pair = felt_by_pair(purchases, felt)
        del felt
        complaints, recoveries = handle_complaints(  # S8
            r, by_pair, decisions, spec.experience, spec.economics.complaint_cost, rng
        )
        bought = by_pair.pairs  # as i·F + j
        self.cohorts.record(p, r.last_purchase.ravel()[bought], bought % r.f)
        del bought
        active = update_relationships(  # S9
            c, r, purchases, by_pair, decisions, p, spec.experience, spec.knowledge
        )
        del by_pair
        word_of_mouth(r, self.network, active, spec.word_of_mouth, rng)  # S10
        if self.log is not None:  # S11 books
            self.log.record(p, purchases.customer, purchases.firm, purchases.revenue)
        counts = {"contacts": contacts, "complaints": complaints, "recoveries": recoveries}
        keep_books(
            self.firms,
            r,
            self.lifetime,
            self.cohorts,
            purchases,
            decisions,
            active_before,
            active,
            counts,
            spec.economics,
            self.conditions.present,
            p,
            None if channel is None else channel.settle(purchases, active_before, active),
        )
        if channel is not None:  # S11 partnerships and the channel's books
            channel.close(purchases, p)
        sold = len(purchases.firm)
        self.books = MarketBooks(
            period=p,
            occasions=purchases.occasions,
            outside_share=ratio(purchases.occasions - sold, purchases.occasions),
            mean_expectation=float(c.expectation.mean()),
            in_category=int(c.in_category.sum()),
        )
        self.datacollector.collect(self)

    # --- what events do to customers (sim.model.events.EventTarget) -------------------------

    def converge(self, rate: float) -> None:
        """Products grow alike by ``rate`` (S1, :mod:`~sim.model.submodels.homogenisation`)."""
        converge(self.firms, self.conditions.present, rate)

    def announce(self, j: int, share: float) -> None:
        """Firm j enters: each customer hears of it with probability ``share``."""
        self.relations.aware[:, j] = self.rng.random(self.relations.n) < share

    def build_profiles(self, j: int, accuracy: float) -> None:
        """Firm j's records of past buyers become profiles of at least ``accuracy``."""
        r = self.relations
        known = r.purchases[:, j] > 0
        r.knowledge[known, j] = np.maximum(r.knowledge[known, j], accuracy)

    def lose_trust(self, j: int, loss: float) -> None:
        """Every customer's trust in firm j falls by ``loss`` (not below −1)."""
        r = self.relations
        r.trust[:, j] = np.maximum(-1.0, r.trust[:, j] - loss)

    # --- results --------------------------------------------------------------------------

    def firm_metrics(self) -> pd.DataFrame:
        """One row per period and firm: every field of :class:`~sim.schema.FirmBooks`."""
        df = self.datacollector.get_agenttype_vars_dataframe(Firm).reset_index()
        df = df.rename(columns={"Step": "period"}).drop(columns="AgentID")
        df["period"] = df["period"].round().astype(int)
        return df

    def market_metrics(self) -> pd.DataFrame:
        """One row per period: every field of :class:`~sim.schema.MarketBooks`."""
        return self.datacollector.get_model_vars_dataframe()

    def transactions(self) -> pd.DataFrame:
        """The transaction log: one row per purchase (customer, firm, period, amount in $)."""
        if self.log is None:
            raise RuntimeError("this market was created with record_transactions=False")
        return self.log.frame()
