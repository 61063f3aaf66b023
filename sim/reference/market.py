"""The market of :mod:`sim.model`, written agent by agent: the reference implementation.

:class:`sim.model.Market` keeps its customers in numpy arrays and runs each submodel as a handful
of array operations: fast, but not easy to read. :class:`ReferenceMarket` runs *the same model*
the way a textbook tells it. Every customer is a Mesa agent
(:class:`~sim.reference.customer.Customer`) holding its own traits and one relationship with each
firm as plain Python numbers, and every submodel is a loop over customers. It shares everything
else with the fast engine: the equations (:mod:`sim.model.equations`), the firms and their
strategies (:mod:`sim.model.firms`, :mod:`sim.strategies`), the trait draws
(:func:`sim.model.population.draw_traits`), the social network
(:class:`sim.model.network.SocialNetwork`), the event timeline (:mod:`sim.model.events`) and
the books (:func:`sim.model.books.draw_up`), reported by :meth:`ReferenceMarket.firm_metrics`
and :meth:`ReferenceMarket.market_metrics` in the same shape as the fast engine's.

One period runs the submodels of docs/model.md in this order (S0–S11)::

    events → homogenise → firms decide → advertise → retention contacts → personalised offers
    → purchase occasions and choice → experience → complaints → relationships
    → word of mouth → books

Customers do not affect each other between S3 and S9 (only through word of mouth, S10), so the
order in which they are visited in those loops does not matter.

The two engines draw their random numbers in a different order, so one seed does not give the
same run in both: they agree *in distribution* over seeds (``tests/engine/test_reference.py``
checks it). The reference engine is tens of times slower (``benchmarks/engine_speed.py``): read
it, use it to check the fast engine, and run experiments with :class:`sim.model.Market`.
"""

from __future__ import annotations

import math

import mesa
import numpy as np
import pandas as pd

from sim.model.books import (
    FirmTotals,
    RepeatCohorts,
    book_reporters,
    concentration,
    draw_up,
    ratio,
)
from sim.model.channel.results import ChannelResults
from sim.model.equations import clv_margin_multiple
from sim.model.events import Timeline
from sim.model.firms import Firm
from sim.model.network import SocialNetwork
from sim.model.population import Stage, draw_traits
from sim.model.submodels.decisions import decide_all
from sim.model.submodels.homogenisation import converge, homogenise
from sim.reference.channel import ReferenceChannel
from sim.reference.customer import Customer
from sim.schema import FIRM_METRICS, MARKET_METRICS, MarketBooks, MarketSpec
from sim.strategies import Decision, build_strategy


class ReferenceMarket(ChannelResults, mesa.Model):
    """The model of :class:`sim.model.Market` with one Mesa agent per customer.

    Args:
        spec: the market to simulate.
        rng: seed (int) or numpy Generator; fixes the run bit for bit (a different run from
            :class:`~sim.model.Market` with the same seed, with the same distribution).

    Run it with ``market.run()`` or ``market.run_for(n)``; read results with
    :meth:`firm_metrics` and :meth:`market_metrics` (the same columns as the fast engine's).
    """

    def __init__(self, spec: MarketSpec, *, rng: int | np.random.Generator | None = None) -> None:
        super().__init__(rng=rng)
        self.spec = spec
        traits = draw_traits(spec, self.rng)
        self.network = SocialNetwork(spec.customers.network, traits.count, self.rng)
        self.firms: list[Firm] = [
            Firm(self, j, firm, build_strategy(firm.strategy.name, firm.strategy.params))
            for j, firm in enumerate(spec.firms)
        ]
        self.timeline = Timeline(spec.events, [firm.name for firm in spec.firms])
        self.conditions = self.timeline.conditions(1)
        self.customers = [Customer(self, i, traits) for i in range(traits.count)]
        if self.network.kind == "small_world":  # contacts: customer i's entries of the lists
            indptr, indices = self.network.indptr, self.network.indices
            for customer in self.customers:
                row = slice(indptr[customer.index], indptr[customer.index + 1])
                customer.contacts = [self.customers[k] for k in indices[row]]
        self.cohorts = RepeatCohorts(len(self.firms), spec.experience.lapse_periods)
        self.period = 0
        self.books = MarketBooks(
            mean_expectation=sum(c.expectation for c in self.customers) / len(self.customers),
            in_category=len(self.customers),
        )
        reporters: dict[type[mesa.Agent], dict] = {
            Firm: {"firm": "name", "strategy": "strategy_name"} | book_reporters(FIRM_METRICS)
        }
        self.channel: ReferenceChannel | None = None  # only with retailers
        if spec.channel is not None and spec.channel.retailers:
            names = [firm.name for firm in spec.firms]
            self.channel = ReferenceChannel(self, spec.channel, names, self.customers, self.rng)
        self.datacollector = mesa.DataCollector(
            model_reporters=book_reporters(MARKET_METRICS), agenttype_reporters=reporters
        )

    # --- running --------------------------------------------------------------------------

    def run(self, periods: int | None = None) -> ReferenceMarket:
        """Run ``periods`` periods (default: the scenario's) and return self."""
        self.run_for(self.spec.periods if periods is None else periods)
        return self

    def step(self) -> None:
        """One period: the submodels in ODD order (docs/model.md, Process overview)."""
        self.period = round(self.time)
        lapse = self.spec.experience.lapse_periods
        for customer in self.customers:
            for rel in customer.relationships:
                rel.was_active = rel.active(self.period - 1, lapse)
        self.conditions = self.timeline.conditions(self.period)  # S0
        self.timeline.fire(self, self.period)
        channel = self.channel
        if channel is not None:  # S0 the channel's events
            channel.begin(self.period)
        homogenise(  # S1: firm-level, shared with the fast engine
            self.firms, self.conditions.present, self.spec.homogenisation, self.period
        )
        decisions = decide_all(  # S2: firm-level, shared with the fast engine
            self.firms, self.period, self.conditions, self.spec.economics
        )
        reach = [
            1.0 - math.exp(-self.spec.economics.ad_effectiveness * d.advertising) for d in decisions
        ]
        for customer in self.customers:  # S3
            customer.see_advertising(reach)
        if channel is not None:  # S3 shelf presence
            channel.see_shelves(list(self.conditions.present))
        contacts = self.contact_for_retention(decisions)  # S4
        top_tiers = self.top_tiers(decisions)
        for customer in self.customers:  # S5
            customer.receive_offers(decisions, top_tiers)
        if channel is not None:  # S5 offers through the stores
            channel.take_offers()
        if self.period == 1:  # expectations start where the market is
            for customer in self.customers:
                customer.form_expectation()
        for customer in self.customers:  # S6
            customer.shop()
        if channel is not None:  # S6 the stores' cut
            channel.cut_sales()
        for customer in self.customers:  # S7
            customer.experience()
        for customer in self.customers:  # S8
            customer.complain(decisions)
        for customer in self.customers:  # S9
            customer.update_relationships(decisions)
        self.word_of_mouth()  # S10
        self.keep_books(decisions, contacts)  # S11
        if channel is not None:  # S11 partnerships and the channel's books
            occasions = sum(c.occasions for c in self.customers)
            channel.close(channel.purchases(occasions), self.period)
        self.datacollector.collect(self)

    # --- what events do to customers (sim.model.events.EventTarget) -------------------------

    def converge(self, rate: float) -> None:
        """Products grow alike by ``rate``: firm-level, shared with the fast engine
        (:func:`sim.model.submodels.homogenisation.converge`)."""
        converge(self.firms, self.conditions.present, rate)

    def announce(self, j: int, share: float) -> None:
        """Firm j enters: each customer hears of it with probability ``share``."""
        for customer in self.customers:
            customer.relationships[j].aware = bool(self.rng.random() < share)

    def build_profiles(self, j: int, accuracy: float) -> None:
        """Firm j's records of its past buyers become profiles of at least ``accuracy``."""
        for customer in self.customers:
            rel = customer.relationships[j]
            if rel.purchases > 0:
                rel.knowledge = max(rel.knowledge, accuracy)

    def lose_trust(self, j: int, loss: float) -> None:
        """Every customer's trust in firm j falls by ``loss`` (not below −1)."""
        for customer in self.customers:
            rel = customer.relationships[j]
            rel.trust = max(-1.0, rel.trust - loss)

    # --- firm-level submodels -------------------------------------------------------------

    def contact_for_retention(self, decisions: list[Decision]) -> list[int]:
        """S4: each firm contacts the retention_share of its customers with the most lifetime
        value at risk (lifetime value × (1 − retention estimate)); a contact adds trust and
        costs retention_cost, charged to the customer's cost to serve.
        Returns the number of contacts per firm."""
        boost = self.spec.economics.retention_trust
        contacts = []
        for j, d in enumerate(decisions):
            own = [c for c in self.customers if c.relationships[j].was_active]
            at_risk = [
                c.relationships[j].lifetime_value * (1.0 - c.relationships[j].retention_estimate)
                for c in own
            ]
            chosen = self.top(own, at_risk, d.retention_share)
            for customer in chosen:
                rel = customer.relationships[j]
                rel.trust = min(1.0, rel.trust + boost)
                rel.cost_to_serve += self.spec.economics.retention_cost
            contacts.append(len(chosen))
        return contacts

    def top_tiers(self, decisions: list[Decision]) -> list[set[Customer]]:
        """S5 (客户经理制): each firm's top tier, the tier_share of its customers with the highest
        lifetime value; they get tier_service extra service."""
        tiers = []
        for j, d in enumerate(decisions):
            own = [c for c in self.customers if c.relationships[j].was_active]
            value = [c.relationships[j].lifetime_value for c in own]
            tiers.append(set(self.top(own, value, d.tier_share)))
        return tiers

    @staticmethod
    def top(customers: list[Customer], scores: list[float], share: float) -> list[Customer]:
        """The round(share × len(customers)) customers with the highest scores."""
        k = round(share * len(customers))
        ranked = sorted(zip(customers, scores, strict=True), key=lambda cs: cs[1], reverse=True)
        return [customer for customer, _ in ranked[:k]]

    def word_of_mouth(self) -> None:
        """S10: active customers praise or warn; listeners hear the share of their contacts who
        talk, warnings travel one more hop, and what they hear moves awareness and trust."""
        forward = self.spec.word_of_mouth.forward_negative
        for customer in self.customers:
            customer.talk()
        praising = [[float(rel.praises) for rel in c.relationships] for c in self.customers]
        warning = [[float(rel.warns) for rel in c.relationships] for c in self.customers]
        heard_praise = self.hear(praising)
        heard_warning = self.hear(warning)
        passed_on = self.hear(heard_warning)  # warnings travel a second hop
        for customer, good, direct, indirect in zip(
            self.customers, heard_praise, heard_warning, passed_on, strict=True
        ):
            bad = [d + forward * i for d, i in zip(direct, indirect, strict=True)]
            customer.listen(good, bad)

    def hear(self, said: list[list[float]]) -> list[list[float]]:
        """For every customer and firm, the mean of ``said`` (one list per customer, one number
        per firm) over the customer's contacts: neighbours on a small-world network, everybody
        (themselves included) when fully mixed, nobody when there is no network."""
        firms = range(len(self.firms))
        if self.network.kind == "none":
            return [[0.0 for _ in firms] for _ in self.customers]
        if self.network.kind == "fully_mixed":
            mean = [sum(row[j] for row in said) / len(said) for j in firms]
            return [list(mean) for _ in self.customers]
        heard = []
        for customer in self.customers:
            if not customer.contacts:  # nobody to hear from
                heard.append([0.0 for _ in firms])
                continue
            rows = [said[contact.index] for contact in customer.contacts]
            about_each_firm = zip(*rows, strict=True)  # columns: one per firm
            heard.append([sum(talk) / len(customer.contacts) for talk in about_each_firm])
        return heard

    def keep_books(self, decisions: list[Decision], contacts: list[int]) -> None:
        """S11: revenue, costs by kind, profit, lifetime values and the period's metrics; each
        customer won is charged the acquisition cost."""
        econ = self.spec.economics
        n = len(self.customers)
        for customer in self.customers:
            customer.settle_accounts(econ.margin_smoothing)
        take = None if self.channel is None else self.channel.settle_with_firms()
        bought = [p for c in self.customers for p in c.bought]
        occasions = sum(c.occasions for c in self.customers)
        cohort, repeat = self.cohorts.complete(self.period)
        firm_rates = self.cohorts.retention_estimate(self.period)
        for j, (firm, d) in enumerate(zip(self.firms, decisions, strict=True)):
            pairs = [(c, c.relationships[j]) for c in self.customers]
            won = 0
            for _, rel in pairs:
                if rel.is_active and not rel.was_active:
                    rel.cost_to_serve += econ.acquisition_cost
                    won += 1
            self.estimate_lifetime_values(j, float(firm_rates[j]))
            own = [(c, rel) for c, rel in pairs if rel.is_active]  # the firm's customers now
            sales = [p for p in bought if p.firm == j]
            revenue = sum(p.revenue for p in sales)
            cost_goods = revenue - sum(p.margin for p in sales)
            if take is not None:  # the stores' cut and the channel payments
                cost_goods -= float(take.margin[j])
                revenue -= float(take.deduction()[j])
            totals = FirmTotals(
                customers=len(own),
                cohort=int(cohort[j]),
                repeat=int(repeat[j]),
                won=won,
                purchases=len(sales),
                revenue=revenue,
                cost_goods=cost_goods,
                wallet_here=sum(rel.spend for _, rel in own),
                wallet_all=sum(r.spend for c, _ in own for r in c.relationships),
                satisfaction=sum(rel.satisfaction for _, rel in own),
                equity=sum(rel.lifetime_value for _, rel in own),
                knowledge=sum(rel.knowledge for _, rel in own),
                complaints=sum(rel.complained for _, rel in pairs),
                recoveries=sum(rel.recovered for _, rel in pairs),
                contacts=contacts[j],
                loyal=sum(rel.stage == Stage.LOYAL for _, rel in pairs),
                concentration=concentration(
                    np.array([[rel.cumulative_revenue] for _, rel in pairs]),
                    np.array([[rel.cumulative_margin] for _, rel in pairs]),
                    np.array([[rel.cost_to_serve] for _, rel in pairs]),
                )[0],
            )
            present = self.conditions.present[j]
            firm.record(draw_up(firm, d, totals, len(bought), occasions, econ, n, present))
        self.books = MarketBooks(
            period=self.period,
            occasions=occasions,
            outside_share=ratio(occasions - len(bought), occasions),
            mean_expectation=sum(c.expectation for c in self.customers) / n,
            in_category=sum(c.in_category for c in self.customers),
        )

    def estimate_lifetime_values(self, j: int, firm_rate: float) -> None:
        """Firm j's view of each customer: its per-period retention estimate from its cohorts,
        moved by the customer's trust as far as its profile (knowledge) lets it see; lifetime
        value = margin rate × r̂ / (1 + i − r̂)."""
        firm_rate = min(0.99, max(0.01, firm_rate))
        for customer in self.customers:
            rel = customer.relationships[j]
            if rel.trust >= 0:
                signal = firm_rate + rel.trust * (1 - firm_rate)
            else:
                signal = firm_rate * (1 + rel.trust)
            estimate = firm_rate + rel.knowledge * (signal - firm_rate)
            rel.retention_estimate = min(0.99, max(0.0, estimate))
            multiple = clv_margin_multiple(
                rel.retention_estimate, self.spec.economics.discount_rate
            )
            rel.lifetime_value = rel.margin_rate * float(multiple)

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
