"""The market: a Mesa model in which customers choose firms by customer delivered value.

One period (a month) runs the submodels of docs/model.md in this order::

    events → homogenise → firms decide → advertise → retention contacts → personalised offers
    → purchase occasions and choice → experience → complaints → relationships
    → word of mouth → books

Customers live in numpy arrays (:mod:`sim.customers`); firms are Mesa agents (:mod:`sim.agents`).
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.agents import Firm, converge, decide_all, homogenise
from sim.config import Scenario
from sim.customers import Relationships, Stage, Traits, draw_traits
from sim.events import Timeline
from sim.metrics import FIRM_METRICS, MARKET_METRICS, ratio, top_share
from sim.network import SocialNetwork
from sim.strategies import Decision, build_strategy
from sim.value import (
    circular_distance,
    clv_margin_multiple,
    failure_probability,
    gumbel_noise,
    satisfaction_response,
)


def per_firm(mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Number of True entries in each firm's column of an (N, F) mask.

    (Column by column: numpy reduces an (N, F) array along axis 0 one short row at a time.)
    """
    return np.array([np.count_nonzero(mask[:, j]) for j in range(mask.shape[1])])


def per_customer(values: NDArray) -> NDArray[np.float64]:
    """Row sums of an (N, F) array, as one matrix-vector product."""
    return values @ np.ones(values.shape[1])


@dataclass
class Offers:
    """Each customer's personalised offer from each firm, as (N, F) arrays."""

    delivered_value: NDArray[np.float64]  # Σ w·value − Σ c·cost ($ per basket)
    price: NDArray[np.float64]  # price paid after loyalty and first-purchase discounts
    service: NDArray[np.float64]  # service value, with the top tier's extra
    unit_cost: NDArray[np.float64]  # firm's variable cost per basket
    utility: NDArray[np.float64]  # delivered value + relationship value; −inf if unaware


@dataclass
class Purchases:
    """This period's purchases, one entry per purchase."""

    customer: NDArray[np.int64]
    firm: NDArray[np.int64]
    revenue: NDArray[np.float64]
    margin: NDArray[np.float64]
    occasions: int  # all occasions, including those on which nobody bought
    count: NDArray[np.int64]  # (N, F) purchases per customer-firm pair this period

    def per_pair(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Sum ``values`` (one per purchase) over each customer-firm pair: (N, F)."""
        n, f = self.count.shape
        pair = self.customer * f + self.firm
        return np.bincount(pair, values, minlength=n * f).astype(float).reshape(n, f)


class Market(mesa.Model):
    """A market of customers and firms, built from a validated :class:`~sim.config.Scenario`.

    Args:
        scenario: the market to simulate.
        rng: seed (int) or numpy Generator; fixes the run bit for bit.
        record_transactions: keep the transaction log (customer, firm, period, amount).

    Run it with ``market.run()`` (all ``scenario.periods``) or ``market.run_for(n)``; read
    results with :meth:`firm_metrics`, :meth:`market_metrics`, :meth:`transactions` or the Mesa
    ``datacollector``.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        rng: int | np.random.Generator | None = None,
        record_transactions: bool = True,
    ) -> None:
        super().__init__(rng=rng)
        self.config = scenario
        self.record_transactions = record_transactions
        self.customers: Traits = draw_traits(scenario, self.rng)
        self.network = SocialNetwork(scenario.customers.network, self.customers.count, self.rng)
        self.firms: list[Firm] = [
            Firm(self, j, spec, build_strategy(spec.strategy.name, spec.strategy.params))
            for j, spec in enumerate(scenario.firms)
        ]
        n, f = self.customers.count, len(self.firms)
        self.relations = Relationships(n, f)
        self.timeline = Timeline(scenario.events, [spec.name for spec in scenario.firms])
        self.conditions = self.timeline.conditions(1)
        awareness = np.array([spec.initial_awareness for spec in scenario.firms])
        self.relations.aware[:] = self.rng.random((n, f)) < awareness * self.conditions.present
        segment_taste = np.array([s.taste for s in scenario.customers.segments])
        self.segment_distance = circular_distance(
            self.customers.taste, segment_taste[self.customers.segment]
        )[:, None]  # each customer's distance to their segment's average taste
        self.lifetime_value = np.zeros((n, f))
        self.retention_estimate = np.full((n, f), 0.5)
        self.period = 0
        self.occasions = 0
        self.outside_share = 0.0
        self.mean_expectation = float(self.customers.expectation.mean())
        self.in_category = n
        self._transaction_log: list[tuple[int, NDArray, NDArray, NDArray]] = []
        self.datacollector = mesa.DataCollector(
            model_reporters={m: m for m in MARKET_METRICS},
            agent_reporters={"firm": "name", "strategy": "strategy_name"}
            | {m: m for m in FIRM_METRICS},
        )

    # --- running --------------------------------------------------------------------------

    def run(self, periods: int | None = None) -> Market:
        """Run ``periods`` periods (default: the scenario's) and return self."""
        self.run_for(self.config.periods if periods is None else periods)
        return self

    def step(self) -> None:
        """One period: the submodels in ODD order (docs/model.md, Process overview)."""
        self.period = round(self.time)
        active_before = self.relations.active(self.period - 1, self.config.experience.lapse_periods)
        self.conditions = self.timeline.conditions(self.period)
        self.timeline.fire(self, self.period)
        self.homogenise()
        decisions = self.firms_decide()
        self.advertise(decisions)
        contacts = self.contact_for_retention(decisions, active_before)
        offers = self.personalised_offers(decisions, active_before)
        purchases = self.choose(offers)
        satisfaction = self.experience(purchases, offers)
        complaints, recoveries = self.handle_complaints(purchases, satisfaction, decisions)
        active = self.update_relationships(purchases, decisions)
        self.word_of_mouth(active)
        self.keep_books(
            purchases, decisions, active_before, active, contacts, complaints, recoveries
        )
        self.datacollector.collect(self)

    # --- submodels ------------------------------------------------------------------------

    def homogenise(self) -> None:
        """Products grow alike as a trend (:func:`sim.agents.homogenise`)."""
        homogenise(self.firms, self.conditions.present, self.config.homogenisation, self.period)

    def converge(self, rate: float) -> None:
        """Products grow alike by ``rate`` (:func:`sim.agents.converge`)."""
        converge(self.firms, self.conditions.present, rate)

    def firms_decide(self) -> list[Decision]:
        """Firms decide simultaneously from last period's view (:func:`sim.agents.decide_all`)."""
        return decide_all(self.firms, self.period, self.conditions, self.config.economics)

    def advertise(self, decisions: list[Decision]) -> None:
        """Unaware customers learn of firm j with probability 1 − exp(−ad_effectiveness × ad_j)."""
        ads = np.array([d.advertising for d in decisions])
        reach = 1.0 - np.exp(-self.config.economics.ad_effectiveness * ads)
        self.relations.aware |= self.rng.random(self.relations.aware.shape) < reach

    def contact_for_retention(
        self, decisions: list[Decision], active: NDArray[np.bool_]
    ) -> NDArray[np.int64]:
        """Each firm contacts the retention_share of its customers with the highest lifetime
        value × churn risk; a contact adds ``retention_trust`` to trust.
        Returns the number of contacts per firm."""
        boost = self.config.economics.retention_trust
        contacts = np.zeros(len(self.firms), dtype=np.int64)
        for j, d in enumerate(decisions):
            score = self.lifetime_value[:, j] * (1.0 - self.retention_estimate[:, j])
            chosen = self._top(score, active[:, j], d.retention_share)
            self.relations.trust[chosen, j] = np.minimum(
                1.0, self.relations.trust[chosen, j] + boost
            )
            contacts[j] = chosen.size
        return contacts

    def personalised_offers(self, decisions: list[Decision], active: NDArray[np.bool_]) -> Offers:
        """Delivered value of every firm's offer as personalised for every customer."""
        c, r, cfg = self.customers, self.relations, self.config
        know = cfg.knowledge
        price = np.array([d.price for d in decisions])
        product = np.array([f.value[0] for f in self.firms])
        personnel = np.array([d.personnel for d in decisions])
        image = np.array([f.value[3] for f in self.firms])
        time_cost, energy_cost, psychic_cost = np.array([f.nonmoney_costs for f in self.firms]).T
        position = np.array([f.position for f in self.firms])
        individual = np.array([d.personalisation == "individual" for d in decisions])
        segment_fit = np.array(
            [
                min(1.0, d.research / know.research_full_cost)
                if d.personalisation == "segment"
                else 0.0
                for d in decisions
            ]
        )
        # Fit: distance from the customer's ideal variant to the variant offered to them.
        distance = circular_distance(c.taste[:, None], position[None, :])
        distance = distance - segment_fit * np.maximum(distance - self.segment_distance, 0.0)
        profile = r.knowledge * individual
        distance = distance * (1.0 - know.personalisation_fit * profile)
        misfit = c.misfit_sensitivity[:, None] * distance
        # Top tier (客户经理制): the tier_share most valuable active customers get extra service.
        tier_extra = np.zeros((c.count, len(decisions)))
        for j, d in enumerate(decisions):
            tier = self._top(self.lifetime_value[:, j], active[:, j], d.tier_share)
            tier_extra[tier, j] = d.tier_service
        listed_service = np.array([d.service for d in decisions])
        service = listed_service + tier_extra
        member = (r.stage == Stage.REPEAT) | (r.stage == Stage.LOYAL)
        newcomer = (r.stage == Stage.PROSPECT) | (r.stage == Stage.LAPSED)
        loyalty = np.array([d.loyalty_discount for d in decisions])
        welcome = np.array([d.first_purchase_discount for d in decisions])
        discount = loyalty * member + welcome * newcomer
        paid = price * (1.0 - discount)
        money = self.conditions.money_sensitivity
        w, s = c.value_weights, c.cost_sensitivities
        # Σ_k w_ik·value_kj and Σ_l s_il·cost_lj of the standard offers (two matrix products),
        # then what personalisation, tiers and discounts change for each customer.
        standard = np.array([product, listed_service, personnel, image])
        total_value = w @ standard - w[:, 0:1] * misfit + w[:, 1:2] * tier_extra
        list_costs = np.array([money * price, time_cost, energy_cost, psychic_cost])
        total_cost = (
            s @ list_costs
            - s[:, 0:1] * (money * price) * discount
            - (s[:, 1:2] * time_cost + s[:, 2:3] * energy_cost) * (know.convenience * profile)
        )
        delivered = total_value - total_cost
        ch = cfg.choice
        incumbent = r.last_firm[:, None] == np.arange(len(self.firms))[None, :]
        lock_in = ch.switching_cost + ch.loyalty_lockin * loyalty * price * member
        relationship = ch.trust_weight * r.trust + incumbent * lock_in
        utility = np.where(r.aware, delivered + relationship, -np.inf)
        rates = np.array([f.unit_cost_rates for f in self.firms])
        unit_cost = rates[:, 0] * product + rates[:, 1] * service + rates[:, 2] * personnel
        return Offers(delivered, paid, service, unit_cost, utility)

    def choose(self, offers: Offers) -> Purchases:
        """Purchase occasions ~ Poisson(purchase_rate); on each the customer takes the option with
        the highest utility + Gumbel(0, noise) noise, the outside option worth outside_value."""
        c, ch = self.customers, self.config.choice
        rate = c.purchase_rate * self.conditions.purchase_rate
        occasions = self.rng.poisson(rate) * c.in_category
        who = np.repeat(np.arange(c.count), occasions)
        f = len(self.firms)
        options = np.empty((who.size, f + 1))
        options[:, :f] = offers.utility[who]
        options[:, f] = ch.outside_value
        options += gumbel_noise(self.rng, ch.noise, options.shape)
        pick = np.argmax(options, axis=1)
        bought = pick < f
        customer, firm = who[bought], pick[bought]
        basket = c.basket[customer]
        revenue = basket * offers.price[customer, firm]
        margin = revenue - basket * offers.unit_cost[customer, firm]
        count = np.bincount(customer * f + firm, minlength=c.count * f).reshape(c.count, f)
        return Purchases(customer, firm, revenue, margin, who.size, count)

    def experience(self, purchases: Purchases, offers: Offers) -> NDArray[np.float64]:
        """Realised value = offered delivered value − failure_loss on a service failure + noise;
        satisfaction = response(realised − expectation); expectations adapt and drift upward.
        Returns the satisfaction of each purchase."""
        c, x = self.customers, self.config.experience
        i, j = purchases.customer, purchases.firm
        failed = self.rng.random(i.size) < np.maximum(
            failure_probability(offers.service[i, j], x.failure_base, x.failure_service_scale),
            self.conditions.failure_floor[j],
        )
        realised = (
            offers.delivered_value[i, j]
            - x.failure_loss * failed
            + self.rng.normal(0.0, x.performance_noise, i.size)
        )
        satisfaction = satisfaction_response(
            realised - c.expectation[i],
            x.tolerance_zone,
            x.slope_inside,
            x.slope_outside,
            x.loss_aversion,
        )
        count = np.bincount(i, minlength=c.count)
        mean_realised = np.bincount(i, realised, minlength=c.count) / np.maximum(count, 1)
        gap = mean_realised - c.expectation
        rate = np.where(gap > 0, x.expectation_up, x.expectation_down) * (count > 0)
        c.expectation += rate * gap + x.expectation_drift * c.in_category
        return satisfaction

    def handle_complaints(
        self, purchases: Purchases, satisfaction: NDArray[np.float64], decisions: list[Decision]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Satisfaction follows this period's experience (``satisfaction``: one per purchase);
        dissatisfied buyers may complain, and a complaint handled well (chance =
        complaint_handling) recovers them. Returns per-firm complaints and recoveries."""
        r, x = self.relations, self.config.experience
        f = r.f
        count = purchases.count
        felt = purchases.per_pair(satisfaction)
        bought = count > 0
        felt = np.divide(felt, count, out=np.zeros_like(felt), where=bought)
        rho = x.satisfaction_memory
        r.satisfaction = np.where(bought, (1 - rho) * r.satisfaction + rho * felt, r.satisfaction)
        unhappy = np.flatnonzero(bought & (felt < x.complaint_threshold))  # pairs, as i·F + j
        complains = unhappy[self.rng.random(unhappy.size) < x.complaint_probability]
        handling = np.array([d.complaint_handling for d in decisions])
        handled = self.rng.random(complains.size) < handling[complains % f]
        recovered = np.divmod(complains[handled], f)
        ignored = np.divmod(complains[~handled], f)
        r.satisfaction[recovered] = x.recovery_satisfaction
        r.trust[recovered] = np.minimum(1.0, r.trust[recovered] + x.recovery_trust)
        r.satisfaction[ignored] = np.maximum(-1.0, r.satisfaction[ignored] - x.unhandled_penalty)
        return np.bincount(complains % f, minlength=f), np.bincount(recovered[1], minlength=f)

    def update_relationships(
        self, purchases: Purchases, decisions: list[Decision]
    ) -> NDArray[np.bool_]:
        """Trust follows satisfaction; profiles learn; stages move; some buyers leave.
        Returns the pairs with an active relationship after this period's purchases."""
        c, r, cfg = self.customers, self.relations, self.config
        x, know = cfg.experience, cfg.knowledge
        count = purchases.count
        bought = count > 0
        r.trust = np.where(
            bought,
            r.trust + x.trust_rate * (r.satisfaction - r.trust),
            r.trust * (1 - x.trust_decay),
        )
        np.clip(r.trust, -1.0, 1.0, out=r.trust)
        crm = np.array([min(1.0, d.crm / know.crm_full_cost) for d in decisions])
        learn = np.minimum(1.0, know.base_rate + know.crm_rate * crm)
        r.knowledge = np.where(
            bought,
            1.0 - (1.0 - r.knowledge) * (1.0 - learn) ** count,
            r.knowledge * (1 - know.decay),
        )
        r.purchases += count
        r.last_purchase[bought] = self.period
        # Each buyer's last purchase of the period: purchases come grouped by customer, in order.
        who = purchases.customer
        latest = np.flatnonzero(np.append(who[1:] != who[:-1], True)) if who.size else who
        r.last_firm[who[latest]] = purchases.firm[latest]
        active = r.active(self.period, x.lapse_periods)
        r.stage = self.stages(active)
        leave = self.rng.random(c.count) < 1.0 - (1.0 - c.dropout) ** per_customer(count)
        c.in_category &= ~leave
        return active

    def stages(self, active: NDArray[np.bool_]) -> NDArray[np.int8]:
        """Lifecycle stage of every pair, from purchases, recency (``active``) and trust."""
        r, x = self.relations, self.config.experience
        loyal = (r.purchases >= x.loyal_purchases) & (r.trust >= x.loyal_trust)
        code = np.int8  # the first condition that holds decides the stage
        return np.where(
            r.purchases == 0,
            code(Stage.PROSPECT),
            np.where(
                ~active,
                code(Stage.LAPSED),
                np.where(
                    r.purchases == 1,
                    code(Stage.FIRST_TIME),
                    np.where(loyal, code(Stage.LOYAL), code(Stage.REPEAT)),
                ),
            ),
        )

    def word_of_mouth(self, active: NDArray[np.bool_]) -> None:
        """Satisfied customers recommend, dissatisfied ones warn (more often, and warnings travel a
        second hop); listeners become aware and their trust moves with what they hear."""
        r, w = self.relations, self.config.word_of_mouth
        talk = self.rng.random(r.satisfaction.shape)
        praise = active & (r.satisfaction > w.positive_threshold) & (talk < w.talk_positive)
        warn = active & (r.satisfaction < w.negative_threshold) & (talk < w.talk_negative)
        f = r.f
        heard_praise, heard_warning = np.hsplit(
            self.network.exposure(np.hstack([praise, warn]).astype(float)), [f]
        )
        heard_warning = heard_warning + w.forward_negative * self.network.exposure(heard_warning)
        heard = heard_praise + heard_warning
        r.aware |= self.rng.random(heard.shape) < 1.0 - np.exp(-w.awareness * heard)
        r.trust = np.clip(r.trust + w.attitude * (heard_praise - heard_warning), -1.0, 1.0)

    def keep_books(
        self,
        purchases: Purchases,
        decisions: list[Decision],
        active_before: NDArray[np.bool_],
        active: NDArray[np.bool_],
        contacts: NDArray[np.int64],
        complaints: NDArray[np.int64],
        recoveries: NDArray[np.int64],
    ) -> None:
        """Revenue, costs by kind, profit, lifetime values and the period's metrics per firm."""
        c, r, cfg = self.customers, self.relations, self.config
        econ, n, f = cfg.economics, r.n, r.f
        spend = purchases.per_pair(purchases.revenue)
        margin = purchases.per_pair(purchases.margin)
        r.spend = spend
        if self.record_transactions:
            self._transaction_log.append(
                (self.period, purchases.customer, purchases.firm, purchases.revenue)
            )
        r.cumulative_margin += margin
        r.margin_rate += econ.margin_smoothing * (margin - r.margin_rate)
        retained = per_firm(active & active_before)
        before = per_firm(active_before)
        won = per_firm(active & ~active_before)
        sold = np.bincount(purchases.firm, minlength=f)
        revenue = np.bincount(purchases.firm, purchases.revenue, minlength=f).astype(float)
        goods = revenue - np.bincount(purchases.firm, purchases.margin, minlength=f)
        self._estimate_lifetime_values(retained, before)
        customers = per_firm(active)

        weight = active.astype(float)

        def over_customers(values: NDArray[np.float64]) -> NDArray[np.float64]:
            """Column sums of ``values`` over each firm's active customers."""
            return np.einsum("nf,nf->f", values, weight)

        wallet_here = over_customers(spend)
        wallet_all = per_customer(spend) @ weight
        satisfaction = over_customers(r.satisfaction)
        equity = over_customers(self.lifetime_value)
        knowledge = over_customers(r.knowledge)
        loyal = per_firm(r.stage == Stage.LOYAL)
        self.occasions = purchases.occasions
        self.outside_share = ratio(purchases.occasions - sold.sum(), purchases.occasions)
        self.mean_expectation = float(c.expectation.mean())
        self.in_category = int(c.in_category.sum())
        for j, (firm, d) in enumerate(zip(self.firms, decisions, strict=True)):
            costs = {
                "cost_goods": goods[j],
                "cost_advertising": d.advertising * n,
                "cost_rd": d.rd * n,
                "cost_crm": d.crm * n,
                "cost_research": d.research * n,
                "cost_acquisition": econ.acquisition_cost * won[j],
                "cost_retention": econ.retention_cost * contacts[j],
                "cost_complaints": econ.complaint_cost * recoveries[j],
                "cost_overhead": firm.spec.overhead * n * self.conditions.present[j],
            }
            total = float(sum(costs.values()))
            profit = float(revenue[j]) - total
            firm.record(
                {
                    "customers": int(customers[j]),
                    "new_customers": int(won[j]),
                    "retained_customers": int(retained[j]),
                    "lost_customers": int(before[j] - retained[j]),
                    "retention_rate": ratio(retained[j], before[j]),
                    "purchases": int(sold[j]),
                    "market_share": ratio(sold[j], sold.sum()),
                    "occasion_share": ratio(sold[j], purchases.occasions),
                    "share_of_wallet": ratio(wallet_here[j], wallet_all[j]),
                    "revenue": float(revenue[j]),
                    **{k: float(v) for k, v in costs.items()},
                    "costs": total,
                    "profit": profit,
                    "cumulative_profit": firm.cumulative_profit + profit,
                    "mean_satisfaction": ratio(satisfaction[j], customers[j]),
                    "complaints": int(complaints[j]),
                    "recoveries": int(recoveries[j]),
                    "retention_contacts": int(contacts[j]),
                    "customer_equity": float(equity[j]),
                    "top20_profit_share": top_share(r.cumulative_margin[:, j]),
                    "loyal_customers": int(loyal[j]),
                    "mean_knowledge": ratio(knowledge[j], customers[j]),
                    "price": float(d.price),
                    "product": float(firm.value[0]),
                    "service": float(firm.value[1]),
                    "personnel": float(firm.value[2]),
                    "image": float(firm.value[3]),
                }
            )

    # --- helpers --------------------------------------------------------------------------

    def _estimate_lifetime_values(
        self, retained: NDArray[np.int64], before: NDArray[np.int64]
    ) -> None:
        """The firm's view of each customer: retention r̂ = firm rate moved by trust as far as
        the profile (knowledge) lets it see; lifetime value = margin rate × r̂ / (1 + i − r̂)."""
        r = self.relations
        firm_rate = np.where(before > 0, retained / np.maximum(before, 1), 0.5)
        firm_rate = np.clip(firm_rate, 0.01, 0.99)
        # signal − firm rate: trust t moves the rate t of the way to 1 (t ≥ 0) or to 0 (t < 0)
        shift = r.trust * np.where(r.trust >= 0, 1 - firm_rate, firm_rate)
        estimate = firm_rate + r.knowledge * shift
        self.retention_estimate = np.clip(estimate, 0.0, 0.99)
        self.lifetime_value = r.margin_rate * clv_margin_multiple(
            self.retention_estimate, self.config.economics.discount_rate
        )

    @staticmethod
    def _top(score: NDArray[np.float64], eligible: NDArray[np.bool_], share: float) -> NDArray:
        """Indices of the ``share`` of eligible customers with the highest score."""
        candidates = np.flatnonzero(eligible)
        k = round(share * candidates.size)
        if k == 0:
            return candidates[:0]
        if k >= candidates.size:
            return candidates
        part = np.argpartition(score[candidates], candidates.size - k)[candidates.size - k :]
        return candidates[part]

    # --- results --------------------------------------------------------------------------

    def firm_metrics(self) -> pd.DataFrame:
        """One row per period and firm: every metric in :data:`sim.metrics.FIRM_METRICS`."""
        df = self.datacollector.get_agent_vars_dataframe().reset_index()
        df = df.rename(columns={"Step": "period"}).drop(columns="AgentID")
        df["period"] = df["period"].round().astype(int)
        return df

    def market_metrics(self) -> pd.DataFrame:
        """One row per period: every metric in :data:`sim.metrics.MARKET_METRICS`."""
        return self.datacollector.get_model_vars_dataframe()

    def transactions(self) -> pd.DataFrame:
        """The transaction log: one row per purchase (customer, firm, period, amount in $)."""
        if not self.record_transactions:
            raise RuntimeError("this market was created with record_transactions=False")
        names = np.array([f.name for f in self.firms])
        frames = [
            pd.DataFrame(
                {"customer": cust, "firm": names[firm], "period": period, "amount": amount}
            )
            for period, cust, firm, amount in self._transaction_log
        ]
        if not frames:
            return pd.DataFrame(columns=["customer", "firm", "period", "amount"])
        return pd.concat(frames, ignore_index=True)
