"""The game's market, rebuilt from its rules, shocks and the decisions of each round.

A :class:`GameMarket` is an ordinary :class:`sim.model.Market` whose team firms play the
decisions handed to them (:class:`~sim.apps.game.seat.TeamSeat`). Playing the stored rounds one
after another from the same seed gives the same market bit for bit as the uninterrupted game did
(``tests/game/test_replay.py``): nothing but the decisions and the seed reaches the model.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pandas as pd

from sim.apps.game.decisions import from_record, studies_of, to_record
from sim.apps.game.research import cost, report
from sim.apps.game.rules import GameRules
from sim.apps.game.seat import TeamSeat
from sim.model import Market
from sim.schema import FIRM_METRICS, MarketSpec

Records = dict[int, dict[str, object]]  # seat → a stored decision (with its studies)


def game_spec(rules: GameRules, shocks: Sequence[dict[str, object]]) -> MarketSpec:
    """The rules' market with the scheduled shocks added to its events."""
    if not shocks:
        return rules.spec
    document = rules.spec.model_dump(mode="json")
    document["events"] = [*document["events"], *shocks]
    return MarketSpec.model_validate(document)


class GameMarket:
    """The market of a game, played round by round.

    Attributes:
        market: the model; ``market.firms[seat]`` is the seat's firm.
        reports: reports computed from this round's state, keyed with the round they show
            (emptied when a round is played), so that pages polling every few seconds do not
            recompute them.
        round: rounds played so far.
        decisions: every firm's decision in every period played, as the market applied it
            (after events), one row per period and seat.
        research: the reports of the studies each seat bought, by round (round → seat →
            reports), drawn when the round had been played.
        charges: what the studies cost, $ per period, by (period, seat).
    """

    def __init__(self, rules: GameRules, shocks: Sequence[dict[str, object]] = ()) -> None:
        self.rules = rules
        self.market = Market(game_spec(rules, shocks), rng=rules.seed)
        self.round = 0
        self.decisions: list[dict[str, object]] = []
        self.research: dict[int, dict[int, list[dict[str, object]]]] = {}
        self.charges: dict[tuple[int, int], float] = {}
        self._metrics: tuple[int, pd.DataFrame] | None = None  # firm_metrics() of a round
        self._metrics_lock = threading.Lock()
        self.reports: dict[object, object] = {}  # what pages show of this round, by key
        self.reports_lock = threading.Lock()  # held while a report is computed

    def seat(self, seat: int) -> TeamSeat:
        """The strategy of a team's firm."""
        strategy = self.market.firms[seat].strategy
        assert isinstance(strategy, TeamSeat), f"seat {seat} is a bot"
        return strategy

    def play(self, records: Records) -> None:
        """Play the next round with each team seat's stored decision (bots, and strategies put
        in a team's place, decide for themselves); charge and draw the studies bought."""
        round_ = self.round + 1
        periods = self.rules.round_periods(round_)
        customers = self.market.customers.count
        for seat, record in records.items():
            self.seat(seat).plan(periods, from_record(record))
            price = cost(studies_of(record), self.rules.research_prices)
            self.charges |= {(p, seat): price * customers for p in periods if price}
        self.reports.clear()
        for period in periods:
            self.market.run_for(1)
            for firm in self.market.firms:
                applied = firm.decision
                row = {"round": round_, "period": period, "seat": firm.index}
                self.decisions.append(row | (to_record(applied) if applied else {}))
        self.research[round_] = {
            seat: [report(self.market, seat, s, self.rules.seed, round_) for s in bought]
            for seat, record in records.items()
            if (bought := studies_of(record))
        }
        self.round = round_

    def firm_metrics(self) -> pd.DataFrame:
        """One row per period and firm (:meth:`sim.model.Market.firm_metrics`), with the seat."""
        if not self.round:  # nothing collected yet
            columns = ["period", "seat", "firm", "strategy", *FIRM_METRICS, "cost_studies"]
            return pd.DataFrame(columns=columns)
        with self._metrics_lock:  # once a round, by one thread, not once per poll
            if self._metrics is None or self._metrics[0] != self.round:
                metrics = self.market.firm_metrics()
                seats = {firm.name: firm.index for firm in self.market.firms}
                metrics.insert(1, "seat", metrics["firm"].map(seats))
                self._metrics = (self.round, charged(metrics, self.charges))
            return self._metrics[1].copy()


def charged(metrics: pd.DataFrame, charges: dict[tuple[int, int], float]) -> pd.DataFrame:
    """The books with the studies' cost (``cost_studies``, $) in costs, profit and cumulative
    profit."""
    keys = zip(metrics["period"], metrics["seat"], strict=True)
    studies = pd.Series([charges.get(k, 0.0) for k in keys], index=metrics.index)
    metrics["cost_studies"] = studies
    metrics["costs"] += studies
    metrics["profit"] -= studies
    metrics["cumulative_profit"] -= studies.groupby(metrics["seat"]).cumsum()
    return metrics


def replay(
    rules: GameRules,
    played: Sequence[dict[int, dict[str, object]]],
    shocks: Sequence[dict[str, object]] = (),
) -> GameMarket:
    """The market after the stored rounds, rebuilt from the seed."""
    game = GameMarket(rules, shocks)
    for decisions in played:
        game.play(decisions)
    return game
