"""S0 The event timeline: shocks that change the market mid-run (docs/scenarios.md, "Events").

Lasting events (price war, recession, service outage) and states that begin at a period (a new
entrant is present, a CRM system runs) bend the market through :class:`Conditions`, which the
submodels read each period. One-off events (a sudden product catch-up, an entrant's launch
publicity, the profiles a CRM launch builds from old records, a scandal) change the market's state
once, in :meth:`Timeline.fire`. Both engines share this module: each implements the
customer-side effects (:class:`EventTarget`) in its own way, array or agent by agent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from sim.model.firms import Firm
from sim.schema import (
    AnyEvent,
    CrmLaunch,
    NewEntrant,
    PriceWar,
    ProductConvergence,
    Recession,
    Scandal,
    ServiceOutage,
)
from sim.strategies import Decision


@dataclass(frozen=True)
class Conditions:
    """How the events in force bend the market in one period (arrays have one entry per firm)."""

    present: NDArray[np.bool_]  # the firm is in the market
    price_cut: NDArray[np.float64]  # fraction taken off the firm's price
    failure_floor: NDArray[np.float64]  # minimum chance that a purchase fails
    crm_cost: NDArray[np.float64]  # $ per capita of a launched CRM system, 0 if none
    purchase_rate: float  # multiplier on every customer's purchase rate
    money_sensitivity: float  # multiplier on every customer's sensitivity to money

    def adjust(self, j: int, decision: Decision) -> Decision:
        """Firm j's decision as the events let it stand: price cut, launched CRM system."""
        if self.price_cut[j]:
            decision = replace(decision, price=decision.price * (1.0 - self.price_cut[j]))
        if self.crm_cost[j]:
            decision = replace(
                decision, crm=decision.crm + self.crm_cost[j], personalisation="individual"
            )
        return decision


class EventTarget(Protocol):
    """What an engine offers the events: its firms and the customer-side one-off effects."""

    firms: list[Firm]

    def converge(self, rate: float) -> None:
        """Products grow alike by ``rate`` (S1)."""

    def announce(self, j: int, share: float) -> None:
        """Firm j enters: each customer hears of it with probability ``share``."""

    def build_profiles(self, j: int, accuracy: float) -> None:
        """Firm j's records of past buyers become profiles of at least ``accuracy``."""

    def lose_trust(self, j: int, loss: float) -> None:
        """Every customer's trust in firm j falls by ``loss`` (not below −1)."""


class Timeline:
    """A scenario's events, in force by period."""

    def __init__(self, events: list[AnyEvent], firm_names: list[str]) -> None:
        self.events = events
        self.index = {name: j for j, name in enumerate(firm_names)}

    def conditions(self, period: int) -> Conditions:
        """The conditions in force in ``period``."""
        f = len(self.index)
        present = np.ones(f, dtype=bool)
        price_cut, failure_floor, crm_cost = np.zeros(f), np.zeros(f), np.zeros(f)
        purchase_rate = money_sensitivity = 1.0
        for e in self.events:
            lasting = getattr(e, "duration", None)
            on = e.period <= period < e.period + lasting if lasting else False
            match e:
                case NewEntrant():
                    present[self.index[e.firm]] = period >= e.period
                case CrmLaunch() if period >= e.period:
                    crm_cost[self.index[e.firm]] += e.running_cost
                case PriceWar() if on:
                    j = self.index[e.firm]
                    price_cut[j] = 1.0 - (1.0 - price_cut[j]) * (1.0 - e.cut)
                case ServiceOutage() if on:
                    j = self.index[e.firm]
                    failure_floor[j] = max(failure_floor[j], e.failure_probability)
                case Recession() if on:
                    purchase_rate *= e.purchase_rate
                    money_sensitivity *= e.money_sensitivity
        return Conditions(
            present, price_cut, failure_floor, crm_cost, purchase_rate, money_sensitivity
        )

    def fire(self, market: EventTarget, period: int) -> None:
        """Apply the one-off effects of the events that start in ``period``."""
        for e in self.events:
            if e.period != period:
                continue
            match e:
                case ProductConvergence():  # a sudden catch-up
                    market.converge(e.strength)
                case NewEntrant():  # the entrant's launch: some customers hear of it at once
                    j = self.index[e.firm]
                    market.announce(j, market.firms[j].spec.initial_awareness)
                case CrmLaunch():  # records of past buyers become profiles
                    market.build_profiles(self.index[e.firm], e.accuracy)
                case Scandal():
                    firm = market.firms[self.index[e.firm]]
                    firm.value = replace(
                        firm.value, image=max(0.0, firm.value.image - e.image_loss)
                    )
                    market.lose_trust(firm.index, e.trust_loss)
