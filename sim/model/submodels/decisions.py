"""S2 Firms decide: every strategy sees last period's market and returns a decision."""

from __future__ import annotations

from sim.model.events import Conditions
from sim.model.firms import Firm
from sim.schema import Economics
from sim.strategies import Decision, MarketView, RivalView, Strategy


def decide_all(
    firms: list[Firm],
    period: int,
    conditions: Conditions,
    economics: Economics,
    seconds: float | None = None,
) -> list[Decision]:
    """Each present firm's strategy decides from what it can see of last period (rivals' prices,
    products and shares, taken before anyone moves); events adjust the decisions
    (:meth:`~sim.model.events.Conditions.adjust`); then all take effect. A firm not yet in the
    market keeps its initial offer and spends nothing. ``seconds`` limits each decision."""
    present = conditions.present
    views = [
        MarketView(
            period,
            tuple(
                RivalView(r.name, r.price, float(r.value.product), float(r.books.market_share))
                for r in firms
                if r is not firm and present[r.index]
            ),
        )
        for firm in firms
    ]
    decisions = [
        conditions.adjust(firm.index, firm.decide(view, seconds))
        if present[firm.index]
        else Strategy.base_decision(firm)
        for firm, view in zip(firms, views, strict=True)
    ]
    for firm, decision in zip(firms, decisions, strict=True):
        if present[firm.index]:
            firm.apply(decision, economics)
    return decisions
