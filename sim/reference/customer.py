"""The reference engine's customers: one Mesa agent each, with a relationship per firm.

Every method is one submodel of docs/model.md (S3, S5–S11), written for one customer as a
textbook tells it; :mod:`sim.reference.market` runs them customer by customer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mesa
import numpy as np

from sim.model.equations import (
    circular_distance,
    delivered_value,
    failure_probability,
    satisfaction_response,
    shortfall_weight,
)
from sim.model.population import Stage, Traits
from sim.model.submodels.relationships import attachment
from sim.strategies import Decision


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
    delighted: bool = False  # realised value above the desired level
    inadequate: bool = False  # realised value below the adequate level


@dataclass(slots=True)
class Relationship:
    """One customer's relationship with one firm: one cell of
    :class:`sim.model.population.Relationships` and of
    :class:`sim.model.lifetime_value.LifetimeValues`."""

    aware: bool
    satisfaction: float = 0.0  # in (−1, 1), recent experience
    trust: float = 0.0  # in [−1, 1], slow; negative = grudge
    stage: Stage = Stage.PROSPECT
    purchases: int = 0  # purchases from the firm, ever
    last_purchase: int = -1  # period of the last purchase, −1 = never
    knowledge: float = 0.0  # accuracy of the firm's profile of the customer, [0, 1]
    margin_rate: float = 0.0  # smoothed $ margin per period
    cumulative_margin: float = 0.0  # $ margin the firm earned on the customer, ever
    cumulative_revenue: float = 0.0  # $ the customer spent with the firm, ever
    cost_to_serve: float = 0.0  # $ the firm spent on the customer (acquisition, contacts, …)
    attachment: float = 0.0  # in [0, 1], built by delight
    recommendations: int = 0  # times the customer praised the firm
    lifetime_value: float = 0.0  # the firm's estimate of the customer's lifetime value ($)
    retention_estimate: float = 0.5  # the firm's estimate of the customer's retention chance
    # This period only:
    was_active: bool = False  # a live relationship at the end of the last period
    is_active: bool = False  # a live relationship after this period's purchases
    offer: Offer | None = None
    at_store: bool = False  # this period's offer is taken at my home store (channel)
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

    ``relationships[j]`` is the relationship with firm ``j`` (the firm's ``index``); ``model``
    is the :class:`~sim.reference.market.ReferenceMarket` the customer belongs to.
    """

    def __init__(self, model: mesa.Model, index: int, traits: Traits) -> None:
        super().__init__(model)
        spec = model.spec
        self.index = index  # row in the trait arrays and in the social network
        self.segment = int(traits.segment[index])
        self.value_weights = traits.value_weights[index].tolist()  # product, service, …
        self.cost_sensitivities = traits.cost_sensitivities[index].tolist()  # money, time, …
        self.purchase_rate = float(traits.purchase_rate[index])
        self.basket = float(traits.basket[index])
        self.dropout = float(traits.dropout[index])
        self.taste = float(traits.taste[index])
        self.misfit_sensitivity = float(traits.misfit_sensitivity[index])
        self.expectation = float(traits.expectation[index])  # my offset until period 1
        self.in_category = True
        self.leaving = False  # left the category after a purchase this period (S6)
        segment_taste = spec.customers.segments[self.segment].taste
        self.segment_distance = float(circular_distance(self.taste, segment_taste))
        present = model.conditions.present  # a firm that enters later is unknown at first
        self.relationships = [
            Relationship(aware=bool(model.rng.random() < firm.initial_awareness * present[j]))
            for j, firm in enumerate(spec.firms)
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
        know, choice = self.model.spec.knowledge, self.model.spec.choice
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
            product = firm.value.product - self.misfit_sensitivity * distance
            service = d.service + (d.tier_service if self in top_tiers[firm.index] else 0.0)
            # Price: repeat and loyal customers get the loyalty discount, prospects and lapsed
            # customers the first-purchase discount, first-time customers pay the list price.
            member = rel.stage in (Stage.REPEAT, Stage.LOYAL)
            newcomer = rel.stage in (Stage.PROSPECT, Stage.LAPSED)
            paid = d.price * (
                1.0 - d.loyalty_discount * member - d.first_purchase_discount * newcomer
            )
            convenience = 1.0 - know.convenience * profile  # a profile saves time and energy
            costs = firm.costs
            delivered = float(
                delivered_value(
                    [product, service, d.personnel, firm.value.image],
                    [paid, costs.time * convenience, costs.energy * convenience, costs.psychic],
                    self.value_weights,
                    sensitivities,
                )
            )
            relationship = (
                choice.trust_weight * rel.trust + choice.attachment_value * rel.attachment
            )
            if self.last_firm == firm.index:  # switching away costs something
                lock_in = choice.loyalty_lockin * d.loyalty_discount * d.price * member
                relationship += choice.switching_cost + lock_in
            utility = delivered + relationship if rel.aware else -math.inf
            rel.offer = Offer(delivered, paid, service, firm.unit_cost(service=service), utility)

    def form_expectation(self) -> None:
        """Period 1: my expectation starts at the best offer I know of (of any firm in the
        market if I know of none) plus my own offset."""
        present = self.model.conditions.present
        offers = [rel.offer.delivered_value for rel in self.relationships if rel.aware]
        if not offers:
            offers = [
                rel.offer.delivered_value for j, rel in enumerate(self.relationships) if present[j]
            ]
        self.expectation += max(offers)

    # --- S6 Purchase occasions and choice -------------------------------------------------

    def shop(self) -> None:
        """On each of my Poisson(purchase_rate) occasions, take the option (a firm, or buying
        nothing) with the highest utility + its own Gumbel(0, noise) draw. After each purchase
        I leave the category with chance dropout, and shop no more."""
        rng, choice = self.model.rng, self.model.spec.choice
        self.bought = []
        rate = self.purchase_rate * self.model.conditions.purchase_rate  # lower in a recession
        planned = int(rng.poisson(rate)) if self.in_category else 0
        offers = [rel.offer for rel in self.relationships]
        self.occasions = 0  # the occasions I shop on: none after I leave
        for _ in range(planned):
            self.occasions += 1
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
            if rng.random() < self.dropout:
                self.leaving = True
                break

    # --- S7 Experience --------------------------------------------------------------------

    def experience(self) -> None:
        """Each purchase: realised value = delivered value − loss if the service fails + noise;
        satisfaction responds to realised − expected, with the zone of tolerance between my
        adequate and desired levels; attachment to the firm softens a shortfall. Then my
        expectation adapts and drifts."""
        rng, x = self.model.rng, self.model.spec.experience
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
            gap = realised - self.expectation
            attached = self.relationships[purchase.firm].attachment
            weight = shortfall_weight(x.loss_aversion, x.forgiveness, attached)
            purchase.satisfaction = float(
                satisfaction_response(
                    gap, x.adequate_gap, x.desired_gap, x.slope_inside, x.slope_outside, weight
                )
            )
            purchase.delighted = gap > x.desired_gap
            purchase.inadequate = gap < -x.adequate_gap
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
        rng, x = self.model.rng, self.model.spec.experience
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
                    rel.cost_to_serve += self.model.spec.economics.complaint_cost
                    rel.satisfaction = x.recovery_satisfaction
                    rel.trust = min(1.0, rel.trust + x.recovery_trust)
                else:
                    rel.satisfaction = max(-1.0, rel.satisfaction - x.unhandled_penalty)

    # --- S9 Relationships -----------------------------------------------------------------

    def update_relationships(self, decisions: list[Decision]) -> None:
        """Trust follows satisfaction, attachment grows with delight and breaks below the
        adequate level, firms' profiles of me learn, counters and stages move; if I left the
        category while shopping, I am gone for good."""
        model = self.model
        x, know = model.spec.experience, model.spec.knowledge
        for j, (rel, d) in enumerate(zip(self.relationships, decisions, strict=True)):
            mine = self.purchases_from(j)
            count = len(mine)
            delights = sum(p.delighted for p in mine)
            letdowns = sum(p.inadequate for p in mine)
            rel.attachment = float(attachment(rel.attachment, delights, letdowns, x))
            if count:
                model.cohorts.record(model.period, np.array([rel.last_purchase]), np.array([j]))
                rel.trust += x.trust_rate * (rel.satisfaction - rel.trust)
                rel.trust -= x.inadequate_trust_loss * letdowns
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
            elif rel.purchases >= x.loyal_purchases and (
                rel.trust >= x.loyal_trust or rel.attachment >= x.loyal_attachment
            ):
                rel.stage = Stage.LOYAL
            else:
                rel.stage = Stage.REPEAT
        if self.bought:
            self.last_firm = self.bought[-1].firm
        if self.leaving:
            self.in_category = False
            self.leaving = False

    # --- S10 Word of mouth ----------------------------------------------------------------

    def talk(self) -> None:
        """Decide, firm by firm, whether to recommend it (satisfied; the more attached, the more
        often) or warn about it (dissatisfied); one draw per firm decides."""
        rng, w = self.model.rng, self.model.spec.word_of_mouth
        for rel in self.relationships:
            u = rng.random()
            chance = w.talk_positive + w.talk_attached * rel.attachment
            rel.praises = rel.is_active and rel.satisfaction > w.positive_threshold and u < chance
            rel.recommendations += rel.praises
            rel.warns = (
                rel.is_active and rel.satisfaction < w.negative_threshold and u < w.talk_negative
            )

    def listen(self, praise: list[float], warning: list[float]) -> None:
        """Hearing about a firm may make me aware of it; my trust moves with what I hear."""
        rng, w = self.model.rng, self.model.spec.word_of_mouth
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
            rel.cumulative_revenue += rel.spend
            rel.cumulative_margin += rel.margin
            rel.margin_rate += margin_smoothing * (rel.margin - rel.margin_rate)
