"""A team's seat in the market: a strategy that plays the decisions the team made.

The game's market names it by import path (:data:`TEAM_STRATEGY`), so a market built from the
game's scenario is an ordinary :class:`sim.model.Market`; the game hands each seat its decisions
period by period (:meth:`TeamSeat.plan`) before the market runs them.
"""

from __future__ import annotations

from sim.strategies import Decision, FirmView, MarketView, Strategy, StrategyError

TEAM_STRATEGY = "sim.apps.game.seat:TeamSeat"


class TeamSeat(Strategy):
    """Plays the decision planned for each period; a period without one is an error."""

    name = "team"

    def __init__(self, params: object = None) -> None:
        super().__init__(params)  # type: ignore[arg-type]
        self.planned: dict[int, Decision] = {}

    def plan(self, periods: range, decision: Decision) -> None:
        """Play ``decision`` in each of ``periods``."""
        for period in periods:
            self.planned[period] = decision

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        try:
            return self.planned[market.period]
        except KeyError:
            raise StrategyError(f"no team decision for period {market.period}") from None
