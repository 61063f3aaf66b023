"""The market of :mod:`sim.model`, written agent by agent: the reference implementation.

:class:`sim.model.Market` keeps its customers in numpy arrays and runs each submodel as a handful
of array operations: fast, but not easy to read. :class:`ReferenceMarket` runs *the same model*
the way a textbook tells it. Every customer is a Mesa agent (:class:`Customer`) holding its own
traits and one :class:`Relationship` with each firm as plain Python numbers, and every submodel is
a loop over customers. It shares everything else with the fast engine: the equations
(:mod:`sim.value`), the firms and their strategies (:mod:`sim.agents`, :mod:`sim.strategies`),
the trait draws (:func:`sim.customers.draw_traits`), the social network
(:class:`sim.network.SocialNetwork`) and the metrics (:data:`sim.metrics.FIRM_METRICS`,
:data:`sim.metrics.MARKET_METRICS`), reported by :meth:`ReferenceMarket.firm_metrics` and
:meth:`ReferenceMarket.market_metrics` in the same shape as the fast engine's.

One period runs the submodels of docs/model.md in this order (S0–S11)::

    events → homogenise → firms decide → advertise → retention contacts → personalised offers
    → purchase occasions and choice → experience → complaints → relationships
    → word of mouth → books

The scenario's events act through the same :class:`sim.events.Timeline` (the conditions in force
each period); their one-off effects are written out here, customer by customer
(:meth:`ReferenceMarket.fire_events`).

Customers do not affect each other between S3 and S9 (only through word of mouth, S10), so the
order in which they are visited in those loops does not matter.

The two engines draw their random numbers in a different order, so one seed does not give the
same run in both: they agree *in distribution* over seeds (``tests/test_reference.py`` checks
it). The reference engine is tens of times slower (``benchmarks/engine_speed.py``): read it,
use it to check the fast engine, and run experiments with :class:`sim.model.Market`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd

from sim.agents import Firm, converge, decide_all, homogenise
from sim.config import CrmLaunch, NewEntrant, ProductConvergence, Scandal, Scenario
from sim.customers import Stage, Traits, draw_traits
from sim.events import Timeline
from sim.metrics import FIRM_METRICS, MARKET_METRICS, ratio, top_share
from sim.network import SocialNetwork
from sim.strategies import Decision, build_strategy
from sim.value import (
    circular_distance,
    clv_margin_multiple,
    delivered_value,
    failure_probability,
    satisfaction_response,
)


@dataclass(slots=True)
class Offer:
    """A firm's offer as personalised for one customer this period (S5)."""

    delivered_value: float  # total customer value − total customer cost ($ per basket)
    price: float  # price paid after loyalty and first-purchase discounts
    service: float  # service value, with the top tier's extra
    unit_cost: float  # the firm's variable cost per basket
    utility: float  # delivered value + relationship value; −inf if the customer is unaware


@dataclass(slots=True)
class Purchase:
    """One purchase made this period (S6), with how it felt (S7)."""

    firm: int
    revenue: float
    margin: float
    satisfaction: float = 0.0


@dataclass(slots=True)
class Relationship:
    """One customer's relationship with one firm (one cell of :class:`sim.customers.Relationships`
    and of the fast engine's lifetime-value arrays)."""

    aware: bool
    satisfaction: float = 0.0  # in (−1, 1), recent experience
    trust: float = 0.0  # in [−1, 1], slow; negative = grudge
    stage: Stage = Stage.PROSPECT
    purchases: int = 0  # purchases from the firm, ever
    last_purchase: int = -1  # period of the last purchase, −1 = never
    knowledge: float = 0.0  # accuracy of the firm's profile of the customer, [0, 1]
    margin_rate: float = 0.0  # smoothed $ margin per period
    cumulative_margin: float = 0.0  # $ margin the firm earned on the customer, ever
    lifetime_value: float = 0.0  # the firm's estimate of the customer's lifetime value ($)
    retention_estimate: float = 0.5  # the firm's estimate of the customer's retention chance
    # This period only:
    was_active: bool = False  # a live relationship at the end of the last period
    is_active: bool = False  # a live relationship after this period's purchases
    offer: Offer | None = None
    complained: bool = False
    recovered: bool = False
    praises: bool = False
    warns: bool = False
    spend: float = 0.0
    margin: float = 0.0

    def active(self, period: int, lapse_periods: int) -> bool:
        """A live relationship: a purchase within the last ``lapse_periods`` periods."""
        return self.last_purchase >= 0 and self.last_purchase > period - lapse_periods


class Customer(mesa.Agent):
    """One customer: its traits, its relationship with each firm, and what it does in a period.

    ``relationships[j]`` is the relationship with firm ``j`` (the firm's ``index``).
    """

    model: ReferenceMarket

    def __init__(self, model: ReferenceMarket, index: int, traits: Traits) -> None:
        super().__init__(model)
        scenario = model.config
        self.index = index  # row in the trait arrays and in the social network
        self.segment = int(traits.segment[index])
        self.value_weights = traits.value_weights[index].tolist()  # product, service, …
        self.cost_sensitivities = traits.cost_sensitivities[index].tolist()  # money, time, …
        self.purchase_rate = float(traits.purchase_rate[index])
        self.basket = float(traits.basket[index])
        self.dropout = float(traits.dropout[index])
        self.taste = float(traits.taste[index])
        self.misfit_sensitivity = float(traits.misfit_sensitivity[index])
        self.expectation = float(traits.expectation[index])
        self.in_category = True
        segment_taste = scenario.customers.segments[self.segment].taste
        self.segment_distance = float(circular_distance(self.taste, segment_taste))
        present = model.conditions.present  # a firm that enters later is unknown at first
        self.relationships = [
            Relationship(aware=bool(model.rng.random() < firm.initial_awareness * present[j]))
            for j, firm in enumerate(scenario.firms)
        ]
        self.last_firm = -1  # firm of the last purchase, −1 = none
        self.contacts: list[Customer] = []  # neighbours on a small-world network
        self.occasions = 0  # purchase occasions this period
        self.bought: list[Purchase] = []  # this period's purchases, in order

    def purchases_from(self, firm: int) -> list[Purchase]:
        """This period's purchases from one firm."""
        return [p for p in self.bought if p.firm == firm]

    # --- S3 Advertising -------------------------------------------------------------------

    def see_advertising(self, reach: list[float]) -> None:
        """Learn of firm j with probability reach[j] = 1 − exp(−ad_effectiveness × ad_j)."""
        for relationship, chance in zip(self.relationships, reach, strict=True):
            if self.model.rng.random() < chance:
                relationship.aware = True

    # --- S5 Personalised offers -----------------------------------------------------------

    def receive_offers(self, decisions: list[Decision], top_tiers: list[set[Customer]]) -> None:
        """Work out the delivered value and utility of every firm's offer as made to me."""
        know, choice = self.model.config.knowledge, self.model.config.choice
        money, *other_costs = self.cost_sensitivities
        # a recession makes money weigh more
        sensitivities = [money * self.model.conditions.money_sensitivity, *other_costs]
        for firm, d, rel in zip(self.model.firms, decisions, self.relationships, strict=True):
            # Fit: distance from my ideal variant to the variant offered to me. Market research
            # tailors it to my segment's average taste; a profile of me tailors it to me.
            distance = float(circular_distance(self.taste, firm.position))
            if d.personalisation == "segment":
                research = min(1.0, d.research / know.research_full_cost)
                distance -= research * max(distance - self.segment_distance, 0.0)
            profile = rel.knowledge if d.personalisation == "individual" else 0.0
            distance *= 1.0 - know.personalisation_fit * profile
            product = firm.value[0] - self.misfit_sensitivity * distance
            service = d.service + (d.tier_service if self in top_tiers[firm.index] else 0.0)
            # Price: repeat and loyal customers get the loyalty discount, prospects and lapsed
            # customers the first-purchase discount, first-time customers pay the list price.
            member = rel.stage in (Stage.REPEAT, Stage.LOYAL)
            newcomer = rel.stage in (Stage.PROSPECT, Stage.LAPSED)
            paid = d.price * (
                1.0 - d.loyalty_discount * member - d.first_purchase_discount * newcomer
            )
            convenience = 1.0 - know.convenience * profile  # a profile saves time and energy
            time_cost, energy_cost, psychic_cost = firm.nonmoney_costs
            delivered = float(
                delivered_value(
                    [product, service, d.personnel, firm.value[3]],
                    [paid, time_cost * convenience, energy_cost * convenience, psychic_cost],
                    self.value_weights,
                    sensitivities,
                )
            )
            relationship = choice.trust_weight * rel.trust
            if self.last_firm == firm.index:  # switching away costs something
                lock_in = choice.loyalty_lockin * d.loyalty_discount * d.price * member
                relationship += choice.switching_cost + lock_in
            utility = delivered + relationship if rel.aware else -math.inf
            rel.offer = Offer(delivered, paid, service, firm.unit_cost(service=service), utility)

    # --- S6 Purchase occasions and choice -------------------------------------------------

    def shop(self) -> None:
        """On each of my Poisson(purchase_rate) occasions, take the option (a firm, or buying
        nothing) with the highest utility + its own Gumbel(0, noise) draw."""
        rng, choice = self.model.rng, self.model.config.choice
        self.bought = []
        rate = self.purchase_rate * self.model.conditions.purchase_rate  # lower in a recession
        self.occasions = int(rng.poisson(rate)) if self.in_category else 0
        offers = [rel.offer for rel in self.relationships]
        for _ in range(self.occasions):
            utilities = [offer.utility for offer in offers] + [choice.outside_value]
            noise = rng.gumbel(0.0, choice.noise, len(utilities))
            scores = [u + e for u, e in zip(utilities, noise, strict=True)]
            best = scores.index(max(scores))
            if best == len(offers):  # the outside option: buy nothing this time
                continue
            offer = offers[best]
            revenue = self.basket * offer.price
            margin = revenue - self.basket * offer.unit_cost
            self.bought.append(Purchase(best, revenue, margin))

    # --- S7 Experience --------------------------------------------------------------------

    def experience(self) -> None:
        """Each purchase: realised value = delivered value − loss if the service fails + noise;
        satisfaction responds to realised − expected. Then my expectation adapts and drifts."""
        rng, x = self.model.rng, self.model.config.experience
        outage = self.model.conditions.failure_floor  # per firm: failure chance at least this
        realised_values = []
        for purchase in self.bought:
            offer = self.relationships[purchase.firm].offer
            chance = failure_probability(offer.service, x.failure_base, x.failure_service_scale)
            failed = rng.random() < max(float(chance), outage[purchase.firm])
            realised = (
                offer.delivered_value
                - x.failure_loss * failed
                + rng.normal(0.0, x.performance_noise)
            )
            purchase.satisfaction = float(
                satisfaction_response(
                    realised - self.expectation,
                    x.tolerance_zone,
                    x.slope_inside,
                    x.slope_outside,
                    x.loss_aversion,
                )
            )
            realised_values.append(realised)
        if realised_values:
            gap = sum(realised_values) / len(realised_values) - self.expectation
            self.expectation += (x.expectation_up if gap > 0 else x.expectation_down) * gap
        if self.in_category:
            self.expectation += x.expectation_drift

    # --- S8 Satisfaction and complaints ---------------------------------------------------

    def complain(self, decisions: list[Decision]) -> None:
        """Satisfaction with each firm I bought from moves towards how its purchases felt; if they
        felt bad I may complain, and the firm may recover me."""
        rng, x = self.model.rng, self.model.config.experience
        for j, rel in enumerate(self.relationships):
            rel.complained = rel.recovered = False
            felt = [p.satisfaction for p in self.purchases_from(j)]
            if not felt:
                continue
            mean_felt = sum(felt) / len(felt)
            rho = x.satisfaction_memory
            rel.satisfaction = (1 - rho) * rel.satisfaction + rho * mean_felt
            if mean_felt < x.complaint_threshold and rng.random() < x.complaint_probability:
                rel.complained = True
                if rng.random() < decisions[j].complaint_handling:
                    rel.recovered = True
                    rel.satisfaction = x.recovery_satisfaction
                    rel.trust = min(1.0, rel.trust + x.recovery_trust)
                else:
                    rel.satisfaction = max(-1.0, rel.satisfaction - x.unhandled_penalty)

    # --- S9 Relationships -----------------------------------------------------------------

    def update_relationships(self, decisions: list[Decision]) -> None:
        """Trust follows satisfaction, firms' profiles of me learn, counters and stages move;
        after buying I may leave the category for good."""
        model = self.model
        x, know = model.config.experience, model.config.knowledge
        for j, (rel, d) in enumerate(zip(self.relationships, decisions, strict=True)):
            count = len(self.purchases_from(j))
            if count:
                rel.trust += x.trust_rate * (rel.satisfaction - rel.trust)
                crm = min(1.0, d.crm / know.crm_full_cost)
                learn = min(1.0, know.base_rate + know.crm_rate * crm)
                rel.knowledge = 1.0 - (1.0 - rel.knowledge) * (1.0 - learn) ** count
                rel.purchases += count
                rel.last_purchase = model.period
            else:
                rel.trust *= 1 - x.trust_decay
                rel.knowledge *= 1 - know.decay
            rel.trust = min(1.0, max(-1.0, rel.trust))
            rel.is_active = rel.active(model.period, x.lapse_periods)
            if rel.purchases == 0:
                rel.stage = Stage.PROSPECT
            elif not rel.is_active:
                rel.stage = Stage.LAPSED
            elif rel.purchases == 1:
                rel.stage = Stage.FIRST_TIME
            elif rel.purchases >= x.loyal_purchases and rel.trust >= x.loyal_trust:
                rel.stage = Stage.LOYAL
            else:
                rel.stage = Stage.REPEAT
        if self.bought:
            self.last_firm = self.bought[-1].firm
            leave = 1.0 - (1.0 - self.dropout) ** len(self.bought)
            if model.rng.random() < leave:
                self.in_category = False

    # --- S10 Word of mouth ----------------------------------------------------------------

    def talk(self) -> None:
        """Decide, firm by firm, whether to recommend it (satisfied) or warn about it
        (dissatisfied); one draw per firm decides."""
        rng, w = self.model.rng, self.model.config.word_of_mouth
        for rel in self.relationships:
            u = rng.random()
            rel.praises = (
                rel.is_active and rel.satisfaction > w.positive_threshold and u < w.talk_positive
            )
            rel.warns = (
                rel.is_active and rel.satisfaction < w.negative_threshold and u < w.talk_negative
            )

    def listen(self, praise: list[float], warning: list[float]) -> None:
        """Hearing about a firm may make me aware of it; my trust moves with what I hear."""
        rng, w = self.model.rng, self.model.config.word_of_mouth
        for rel, good, bad in zip(self.relationships, praise, warning, strict=True):
            if rng.random() < 1.0 - math.exp(-w.awareness * (good + bad)):
                rel.aware = True
            rel.trust = min(1.0, max(-1.0, rel.trust + w.attitude * (good - bad)))

    # --- S11 Books (this customer's side) -------------------------------------------------

    def settle_accounts(self, margin_smoothing: float) -> None:
        """What I spent at each firm this period, and the margin it made on me."""
        for j, rel in enumerate(self.relationships):
            mine = self.purchases_from(j)
            rel.spend = sum(p.revenue for p in mine)
            rel.margin = sum(p.margin for p in mine)
            rel.cumulative_margin += rel.margin
            rel.margin_rate += margin_smoothing * (rel.margin - rel.margin_rate)


class ReferenceMarket(mesa.Model):
    """The model of :class:`sim.model.Market` with one Mesa agent per customer.

    Args:
        scenario: the market to simulate.
        rng: seed (int) or numpy Generator; fixes the run bit for bit (a different run from
            :class:`~sim.model.Market` with the same seed, with the same distribution).

    Run it with ``market.run()`` or ``market.run_for(n)``; read results with
    :meth:`firm_metrics` and :meth:`market_metrics` (the same columns as the fast engine's).
    """

    def __init__(self, scenario: Scenario, *, rng: int | np.random.Generator | None = None) -> None:
        super().__init__(rng=rng)
        self.config = scenario
        traits = draw_traits(scenario, self.rng)
        self.network = SocialNetwork(scenario.customers.network, traits.count, self.rng)
        self.firms: list[Firm] = [
            Firm(self, j, spec, build_strategy(spec.strategy.name, spec.strategy.params))
            for j, spec in enumerate(scenario.firms)
        ]
        self.timeline = Timeline(scenario.events, [spec.name for spec in scenario.firms])
        self.conditions = self.timeline.conditions(1)
        self.customers = [Customer(self, i, traits) for i in range(traits.count)]
        if self.network.kind == "small_world":  # contacts: the non-zero entries of row i
            matrix = self.network.matrix
            for customer in self.customers:
                row = slice(matrix.indptr[customer.index], matrix.indptr[customer.index + 1])
                customer.contacts = [self.customers[k] for k in matrix.indices[row]]
        self.period = 0
        self.occasions = 0
        self.outside_share = 0.0
        self.mean_expectation = sum(c.expectation for c in self.customers) / len(self.customers)
        self.in_category = len(self.customers)
        self.datacollector = mesa.DataCollector(
            model_reporters={m: m for m in MARKET_METRICS},
            agenttype_reporters={
                Firm: {"firm": "name", "strategy": "strategy_name"} | {m: m for m in FIRM_METRICS}
            },
        )

    # --- running --------------------------------------------------------------------------

    def run(self, periods: int | None = None) -> ReferenceMarket:
        """Run ``periods`` periods (default: the scenario's) and return self."""
        self.run_for(self.config.periods if periods is None else periods)
        return self

    def step(self) -> None:
        """One period: the submodels in ODD order (docs/model.md, Process overview)."""
        self.period = round(self.time)
        lapse = self.config.experience.lapse_periods
        for customer in self.customers:
            for rel in customer.relationships:
                rel.was_active = rel.active(self.period - 1, lapse)
        self.conditions = self.timeline.conditions(self.period)  # S0
        self.fire_events()
        self.homogenise()  # S1
        decisions = self.firms_decide()  # S2
        reach = [
            1.0 - math.exp(-self.config.economics.ad_effectiveness * d.advertising)
            for d in decisions
        ]
        for customer in self.customers:  # S3
            customer.see_advertising(reach)
        contacts = self.contact_for_retention(decisions)  # S4
        top_tiers = self.top_tiers(decisions)
        for customer in self.customers:  # S5
            customer.receive_offers(decisions, top_tiers)
        for customer in self.customers:  # S6
            customer.shop()
        for customer in self.customers:  # S7
            customer.experience()
        for customer in self.customers:  # S8
            customer.complain(decisions)
        for customer in self.customers:  # S9
            customer.update_relationships(decisions)
        self.word_of_mouth()  # S10
        self.keep_books(decisions, contacts)  # S11
        self.datacollector.collect(self)

    # --- firm-level submodels -------------------------------------------------------------

    def fire_events(self) -> None:
        """S0: the one-off effects of the events that start this period."""
        firm_index = self.timeline.index  # firm name → index
        for event in self.config.events:
            if event.period != self.period:
                continue
            match event:
                case ProductConvergence():  # a sudden catch-up
                    self.converge(event.strength)
                case NewEntrant():  # the entrant's launch: some customers hear of it at once
                    j = firm_index[event.firm]
                    share = self.config.firms[j].initial_awareness
                    for customer in self.customers:
                        customer.relationships[j].aware = bool(self.rng.random() < share)
                case CrmLaunch():  # records of past buyers become profiles
                    j = firm_index[event.firm]
                    for customer in self.customers:
                        rel = customer.relationships[j]
                        if rel.purchases > 0:
                            rel.knowledge = max(rel.knowledge, event.accuracy)
                case Scandal():
                    firm = self.firms[firm_index[event.firm]]
                    firm.value[3] = max(0.0, firm.value[3] - event.image_loss)
                    for customer in self.customers:
                        rel = customer.relationships[firm.index]
                        rel.trust = max(-1.0, rel.trust - event.trust_loss)

    def homogenise(self) -> None:
        """S1: products grow alike as a trend: firm-level, shared with the fast engine
        (:func:`sim.agents.homogenise`)."""
        homogenise(self.firms, self.conditions.present, self.config.homogenisation, self.period)

    def converge(self, rate: float) -> None:
        """Products grow alike by ``rate``: firm-level, shared with the fast engine
        (:func:`sim.agents.converge`)."""
        converge(self.firms, self.conditions.present, rate)

    def firms_decide(self) -> list[Decision]:
        """S2: firms decide simultaneously from last period's view: firm-level, shared with the
        fast engine (:func:`sim.agents.decide_all`)."""
        return decide_all(self.firms, self.period, self.conditions, self.config.economics)

    def contact_for_retention(self, decisions: list[Decision]) -> list[int]:
        """S4: each firm contacts the retention_share of its customers with the most lifetime
        value at risk (lifetime value × (1 − retention estimate)); a contact adds trust.
        Returns the number of contacts per firm."""
        boost = self.config.economics.retention_trust
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
        forward = self.config.word_of_mouth.forward_negative
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
        """S11: revenue, costs by kind, profit, lifetime values and the period's metrics."""
        econ = self.config.economics
        n = len(self.customers)
        for customer in self.customers:
            customer.settle_accounts(econ.margin_smoothing)
        bought = [p for c in self.customers for p in c.bought]
        self.occasions = sum(c.occasions for c in self.customers)
        self.outside_share = ratio(self.occasions - len(bought), self.occasions)
        self.mean_expectation = sum(c.expectation for c in self.customers) / n
        self.in_category = sum(c.in_category for c in self.customers)
        for j, (firm, d) in enumerate(zip(self.firms, decisions, strict=True)):
            pairs = [(c, c.relationships[j]) for c in self.customers]
            before = sum(rel.was_active for _, rel in pairs)
            retained = sum(rel.was_active and rel.is_active for _, rel in pairs)
            won = sum(rel.is_active and not rel.was_active for _, rel in pairs)
            self.estimate_lifetime_values(j, retained, before)
            own = [(c, rel) for c, rel in pairs if rel.is_active]  # the firm's customers now
            sales = [p for p in bought if p.firm == j]
            revenue = sum(p.revenue for p in sales)
            wallet_here = sum(rel.spend for _, rel in own)
            wallet_all = sum(r.spend for c, _ in own for r in c.relationships)
            costs = {
                "cost_goods": revenue - sum(p.margin for p in sales),
                "cost_advertising": d.advertising * n,
                "cost_rd": d.rd * n,
                "cost_crm": d.crm * n,
                "cost_research": d.research * n,
                "cost_acquisition": econ.acquisition_cost * won,
                "cost_retention": econ.retention_cost * contacts[j],
                "cost_complaints": econ.complaint_cost * sum(rel.recovered for _, rel in pairs),
                "cost_overhead": firm.spec.overhead * n * self.conditions.present[j],
            }
            total = sum(costs.values())
            profit = revenue - total
            firm.record(
                {
                    "customers": len(own),
                    "new_customers": won,
                    "retained_customers": retained,
                    "lost_customers": before - retained,
                    "retention_rate": ratio(retained, before),
                    "purchases": len(sales),
                    "market_share": ratio(len(sales), len(bought)),
                    "occasion_share": ratio(len(sales), self.occasions),
                    "share_of_wallet": ratio(wallet_here, wallet_all),
                    "revenue": float(revenue),
                    **{k: float(v) for k, v in costs.items()},
                    "costs": float(total),
                    "profit": float(profit),
                    "cumulative_profit": firm.cumulative_profit + profit,
                    "mean_satisfaction": ratio(sum(rel.satisfaction for _, rel in own), len(own)),
                    "complaints": sum(rel.complained for _, rel in pairs),
                    "recoveries": sum(rel.recovered for _, rel in pairs),
                    "retention_contacts": contacts[j],
                    "customer_equity": float(sum(rel.lifetime_value for _, rel in own)),
                    "top20_profit_share": top_share(
                        np.array([rel.cumulative_margin for _, rel in pairs])
                    ),
                    "loyal_customers": sum(rel.stage == Stage.LOYAL for _, rel in pairs),
                    "mean_knowledge": ratio(sum(rel.knowledge for _, rel in own), len(own)),
                    "price": float(d.price),
                    "product": float(firm.value[0]),
                    "service": float(firm.value[1]),
                    "personnel": float(firm.value[2]),
                    "image": float(firm.value[3]),
                }
            )

    def estimate_lifetime_values(self, j: int, retained: int, before: int) -> None:
        """Firm j's view of each customer: its retention rate this period, moved by the
        customer's trust as far as its profile (knowledge) lets it see; lifetime value =
        margin rate × r̂ / (1 + i − r̂)."""
        firm_rate = retained / before if before else 0.5
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
                rel.retention_estimate, self.config.economics.discount_rate
            )
            rel.lifetime_value = rel.margin_rate * float(multiple)

    # --- results --------------------------------------------------------------------------

    def firm_metrics(self) -> pd.DataFrame:
        """One row per period and firm: every metric in :data:`sim.metrics.FIRM_METRICS`."""
        df = self.datacollector.get_agenttype_vars_dataframe(Firm).reset_index()
        df = df.rename(columns={"Step": "period"}).drop(columns="AgentID")
        df["period"] = df["period"].round().astype(int)
        return df

    def market_metrics(self) -> pd.DataFrame:
        """One row per period: every metric in :data:`sim.metrics.MARKET_METRICS`."""
        return self.datacollector.get_model_vars_dataframe()
