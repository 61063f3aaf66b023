"""Every decision and result of a game as one table (CSV), for grading.

One row per period played and seat: the round, the seat's name, the decision the market applied
(after events) and the firm's books (:class:`~sim.schema.FirmBooks`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.apps.game.decisions import studies_of
from sim.apps.game.game import Game
from sim.apps.game.rules import seat_name


def game_table(game: Game) -> pd.DataFrame:
    """The game's id (``game``), decisions (prefixed ``decision_``; ``decision_studies``: the
    research the seat bought with its decision for the round, names separated by spaces) and
    books of every seat in every period played."""
    market = game.market()
    decisions = pd.DataFrame(market.decisions)
    if decisions.empty:
        return decisions
    decisions = decisions.rename(
        columns={
            c: f"decision_{c}" for c in decisions.columns if c not in ("round", "period", "seat")
        }
    )
    bought = game.store.played()  # each closed round's decisions, with the studies bought
    decisions.insert(
        decisions.columns.get_loc("decision_price"),
        "decision_studies",
        [
            " ".join(studies_of(bought[r - 1].get(seat, {})))
            for r, seat in zip(decisions["round"], decisions["seat"], strict=True)
        ],
    )
    table = decisions.merge(market.firm_metrics(), on=["period", "seat"], validate="one_to_one")
    table.insert(3, "team", table["seat"].map(lambda s: seat_name(s, game.rules)))
    table.insert(0, "game", game.id)  # which game: every game has a Team 1
    return table


def export_csv(game: Game, path: Path) -> int:
    """Write :func:`game_table` to ``path``; the number of rows."""
    table = game_table(game)
    table.to_csv(path, index=False)
    return len(table)
