"""Firms: Mesa agents that hold an offer, follow a strategy and keep books."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.config import Economics, Homogenisation
from sim.config import Firm as FirmSpec
from sim.metrics import FIRM_METRICS
from sim.strategies import Decision, MarketView, RivalView, Strategy, StrategyError

if TYPE_CHECKING:
    from sim.events import Conditions
    from sim.model import Market


class Firm(mesa.Agent):
    """A firm in the market.

    Attributes:
        index: column of this firm in the customer-relationship arrays.
        value: current offer levels ($ per basket): product, service, personnel, image.
        nonmoney_costs: non-money customer costs ($ per basket): time, energy, psychic.
        price: current list price ($ per basket).
        decision: this period's :class:`~sim.strategies.Decision`.
        share_history, equity_history: market share and customer equity, one entry a period.
        One attribute per name in :data:`sim.metrics.FIRM_METRICS` holds last period's books.
    """

    model: Market

    def __init__(self, model: Market, index: int, spec: FirmSpec, strategy: Strategy) -> None:
        super().__init__(model)
        for metric in FIRM_METRICS:  # last period's books; set before the offer so "price" holds
            setattr(self, metric, 0.0)
        self.index = index
        self.spec = spec
        self.name = spec.name
        self.strategy = strategy
        self.strategy_name = spec.strategy.name
        v = spec.value
        self.value = np.array([v.product, v.service, v.personnel, v.image], dtype=float)
        self.nonmoney_costs = np.array(
            [spec.costs.time, spec.costs.energy, spec.costs.psychic], dtype=float
        )
        self.position = spec.position
        self.price = spec.price
        rates = spec.unit_cost_rates
        self.unit_cost_rates = np.array([rates.product, rates.service, rates.personnel])
        self.decision: Decision | None = None
        self.share_history: list[float] = []
        self.equity_history: list[float] = []

    def unit_cost(
        self,
        product: float | None = None,
        service: float | None = None,
        personnel: float | None = None,
    ) -> float:
        """Variable cost of one basket ($): cost rates × product, service and personnel value."""
        levels = np.array(
            [
                self.value[0] if product is None else product,
                self.value[1] if service is None else service,
                self.value[2] if personnel is None else personnel,
            ]
        )
        return float(self.unit_cost_rates @ levels)

    def decide(self, market: MarketView) -> Decision:
        """Ask the strategy for this period's decision and check it; raise StrategyError if bad."""
        where = f"firm {self.name!r} (strategy {self.strategy_name!r}), period {market.period}"
        try:
            decision = self.strategy.decide(self, market)
        except StrategyError:
            raise
        except Exception as exc:  # a user's policy may fail in any way: report, don't crash
            raise StrategyError(f"{where}: decide() raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(decision, Decision):
            raise StrategyError(
                f"{where}: decide() returned {type(decision).__name__}; "
                "it must return a sim.strategies.Decision"
            )
        problems = decision.problems()
        if problems:
            raise StrategyError(f"{where}: invalid decision: " + "; ".join(problems))
        return decision

    def apply(self, decision: Decision, economics: Economics) -> None:
        """Put a decision into effect: price, service and personnel now; product and image move.

        product += rd × rd_efficiency − quality_cut (never below 0);
        image = image × (1 − image_decay) + advertising × image_per_ad.
        """
        self.decision = decision
        self.price = decision.price
        self.value[0] = max(
            0.0, self.value[0] + decision.rd * economics.rd_efficiency - decision.quality_cut
        )
        self.value[1] = decision.service
        self.value[2] = decision.personnel
        self.value[3] = (
            self.value[3] * (1 - economics.image_decay)
            + decision.advertising * economics.image_per_ad
        )

    def record(self, metrics: dict[str, float]) -> None:
        """Store one period's books as attributes (read by Mesa's DataCollector)."""
        for name, value in metrics.items():
            setattr(self, name, value)
        self.share_history.append(metrics["market_share"])
        self.equity_history.append(metrics["customer_equity"])


def converge(firms: list[Firm], present: np.ndarray, rate: float) -> None:
    """Products grow alike: each present firm's product value closes ``rate`` of its gap to the
    best product, and its position moves ``rate`` of the way to the firms' circular mean position
    (positions spread evenly round the circle have no mean and stay)."""
    firms = [firm for firm in firms if present[firm.index]]
    best = max(firm.value[0] for firm in firms)
    mean = np.exp(2j * np.pi * np.array([firm.position for firm in firms])).mean()
    centre = (np.angle(mean) / (2 * np.pi)) % 1.0
    for firm in firms:
        firm.value[0] += rate * (best - firm.value[0])
        if abs(mean) > 1e-9:
            gap = (centre - firm.position + 0.5) % 1.0 - 0.5
            firm.position = (firm.position + rate * gap) % 1.0


def homogenise(firms: list[Firm], present: np.ndarray, spec: Homogenisation, period: int) -> None:
    """Products grow alike as a trend: from ``spec.start`` on, :func:`converge` by ``spec.rate``
    every period."""
    if spec.rate > 0 and period >= spec.start:
        converge(firms, present, spec.rate)


def decide_all(
    firms: list[Firm], period: int, conditions: Conditions, economics: Economics
) -> list[Decision]:
    """Each present firm's strategy decides from what it can see of last period (rivals' prices,
    products and shares, taken before anyone moves); events adjust the decisions
    (:meth:`~sim.events.Conditions.adjust`); then all take effect. A firm not yet in the market
    keeps its initial offer and spends nothing."""
    present = conditions.present
    views = [
        MarketView(
            period,
            tuple(
                RivalView(r.name, r.price, float(r.value[0]), float(r.market_share))
                for r in firms
                if r is not firm and present[r.index]
            ),
        )
        for firm in firms
    ]
    decisions = [
        conditions.adjust(firm.index, firm.decide(view))
        if present[firm.index]
        else Strategy.base_decision(firm)
        for firm, view in zip(firms, views, strict=True)
    ]
    for firm, decision in zip(firms, decisions, strict=True):
        if present[firm.index]:
            firm.apply(decision, economics)
    return decisions
