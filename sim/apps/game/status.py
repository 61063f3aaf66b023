"""What each side sees, as plain data (JSON for the endpoints, the same for the pages).

A team sees its own firm only: its books over time, its customers by lifecycle stage and segment,
the distribution of their lifetime values, its decision for the open round and the game's
ranges and budget, and the shocks announced. The instructor sees who has submitted, the round,
the lock, the shocks, the leaderboard.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from sim.apps.game.decisions import RANGES, from_record, studies_of
from sim.apps.game.game import Game
from sim.apps.game.replay import GameMarket
from sim.apps.game.research import STUDIES
from sim.apps.game.rules import seat_name
from sim.apps.game.store import Status

STAGES = ("prospect", "new", "repeat", "loyal", "lapsed")  # sim.model.population.Stage
REPORTED = (  # the books a team's results table shows, in order
    "period",
    "customers",
    "new_customers",
    "lost_customers",
    "retention_rate",
    "market_share",
    "revenue",
    "costs",
    "cost_studies",
    "profit",
    "cumulative_profit",
    "customer_equity",
    "mean_satisfaction",
    "complaints",
    "recoveries",
    "price",
)
CLV_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)


def round_status(game: Game, status: Status | None = None) -> dict[str, object]:
    """The round, the lock and the deadline (seconds since the epoch, or None)."""
    status = status or game.store.status()
    minutes = game.rules.deadline_minutes
    return {
        "round": status.played + 1,
        "rounds": game.rules.rounds,
        "over": status.played >= game.rules.rounds,
        "locked": status.locked,
        "deadline": status.opened_at + 60 * minutes if minutes else None,
    }


def announced(game: Game) -> list[dict[str, object]]:
    """The shocks the instructor has scheduled, in order, each with the round it starts in:
    teams are told of a shock as soon as it is scheduled (it starts with the open round)."""
    per_round = game.rules.periods_per_round
    return [
        shock | {"round": (int(shock["period"]) - 1) // per_round + 1}  # type: ignore[call-overload]
        for shock in game.store.shocks()
    ]


def customers_report(game_market: GameMarket, seat: int) -> dict[str, object]:
    """The seat's customers: counts by lifecycle stage × segment, and lifetime-value quantiles
    and their sum ($, over its active customers: the sum is the books' customer equity)."""
    market = game_market.market
    stage = market.relations.stage[:, seat]
    segment = market.customers.segment
    names = [s.name for s in market.spec.customers.segments]
    table = {
        names[k]: np.bincount(stage[segment == k], minlength=len(STAGES)).tolist()
        for k in range(len(names))
    }
    lapse = market.spec.experience.lapse_periods
    active = market.relations.active(market.period, lapse)[:, seat]
    values = market.lifetime.value[active, seat]
    quantiles = np.quantile(values, CLV_QUANTILES).tolist() if values.size else []
    return {
        "stages": list(STAGES),
        "by_segment": table,
        "clv_quantiles": dict(zip(map(str, CLV_QUANTILES), quantiles, strict=False)),
        "clv_total": float(market.firms[seat].books.customer_equity),
    }


def team_status(game: Game, seat: int) -> dict[str, object]:
    """Everything a team sees: its own firm, never another's. Built once for each state of the
    game (round, lock, the team's latest submission) and then served from memory; while a round
    is being played a poll gets the last view, marked ``playing``, instead of waiting."""
    status = game.store.status()
    mine = game.store.submissions(status.played + 1).get(seat)
    shocks = announced(game)
    key = (status.played, status.locked, mine.key if mine else None, len(shocks))
    cached = game.views.get(("team", seat))
    if cached and cached[0] == key:
        return cached[1]
    market = game.market_if_ready(wait=cached is None)
    reports = firm_reports(game, seat, market, wait=cached is None) if market else None
    if reports is None:  # a round is being played or reported: what the page showed, marked so
        return cached[1] | {"playing": True}  # type: ignore[index]
    decision = from_record(mine.decision) if mine else game.played_decision(seat)
    view = (
        round_status(game, status)
        | {
            "team": seat_name(seat, game.rules),
            "firm": game.rules.spec.firms[seat].name,
            "submitted": mine is not None,
            "decision": asdict(decision),
            "studies": studies_of(mine.decision) if mine else [],
            "budget": game.rules.budget,
            "ranges": {k: [low, high, unit] for k, (low, high, unit) in RANGES.items()},
            "research_prices": game.rules.research_prices,
            "research_catalogue": {k: list(v) for k, v in STUDIES.items()},
            "shocks": shocks,
            "playing": False,
        }
        | reports
    )
    game.views[("team", seat)] = (key, view)
    return view


def firm_reports(
    game: Game, seat: int, market: GameMarket | None = None, wait: bool = True
) -> dict[str, object] | None:
    """The seat's results, customers and research reports (newest round first). Computed for
    every team at once, once a round: the polls that follow a round all ask together; one
    computes, the others wait for it or, without ``wait``, get None."""
    market = market or game.market()
    key = ("teams", market.round)  # a report begun as a round is played is never shown after it
    if key in market.reports:
        return market.reports[key][seat]  # type: ignore[index]
    if not market.reports_lock.acquire(blocking=wait):
        return None
    try:
        if key not in market.reports:
            metrics = market.firm_metrics()
            metrics = metrics.loc[metrics["seat"] < game.rules.teams, ["seat", *REPORTED]]
            metrics = metrics.astype(object).where(metrics.notna(), None)  # JSON has no NaN
            results: dict[int, list[dict[str, object]]] = {}
            for row in metrics.to_dict("records"):  # one pass: pandas per seat costs 10 ms each
                results.setdefault(row.pop("seat"), []).append(row)
            market.reports[key] = {
                s: {
                    "results": results.get(s, []),
                    "customers": customers_report(market, s),
                    "research": [
                        {"round": r, "reports": bought[s]}
                        for r, bought in sorted(market.research.items(), reverse=True)
                        if s in bought
                    ],
                }
                for s in range(game.rules.teams)
            }
        return market.reports[key][seat]  # type: ignore[index]
    finally:
        market.reports_lock.release()


def instructor_status(game: Game, measure: str) -> dict[str, object]:
    """Who has submitted, the round, and the leaderboard on ``measure`` (built once for each
    state of the game, as :func:`team_status`)."""
    status = game.store.status()
    sent = set(game.store.submissions(status.played + 1))
    shocks = announced(game)
    key = (status.played, status.locked, frozenset(sent), len(shocks))
    cached = game.views.get(("instructor", measure))
    if cached and cached[0] == key:
        return cached[1]
    if cached and game.market_if_ready() is None:
        return cached[1] | {"playing": True}
    board = game.leaderboard(measure)
    view = round_status(game, status) | {
        "teams": [
            {"seat": s, "team": seat_name(s, game.rules), "submitted": s in sent}
            for s in range(game.rules.teams)
        ],
        "measure": measure,
        "shocks": shocks,
        "leaderboard": [
            {
                "seat": int(row.seat),
                "team": seat_name(int(row.seat), game.rules),
                "firm": row.firm,
                "value": row[measure],
            }
            for _, row in board.iterrows()
        ],
        "playing": False,
    }
    game.views[("instructor", measure)] = (key, view)
    return view
