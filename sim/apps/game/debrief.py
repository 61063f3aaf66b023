"""The debrief: luck and skill apart, and each team's path against the built-in strategies.

For each team, (a) the same decisions of every team replayed over other seeds: where the game's
result falls in that spread says how much of it was luck; (b) each built-in strategy played in
the team's place, in the same market from the same seed, the other teams' decisions unchanged:
did the team beat the textbook orientations? Replays run in any ``concurrent.futures``
executor (default: in this process); each is a :class:`~sim.apps.game.rules.GameRules` and the
stored decisions, so they cross to other processes as plain data.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.apps.game.game import MEASURES, Game, measure_label
from sim.apps.game.replay import GameMarket
from sim.apps.game.rules import GameRules, seat_name
from sim.apps.game.seat import TEAM_STRATEGY
from sim.apps.game.tables import kind_of, shown
from sim.apps.web.i18n import Language, text
from sim.strategies import BUILTIN

SEEDS = 30
Played = Sequence[dict[int, dict[str, object]]]


def final_books(
    rules: GameRules, played: Played, shocks: Sequence[dict[str, object]]
) -> pd.DataFrame:
    """Every seat's books after the played rounds (one row per seat; the MEASURES)."""
    market = GameMarket(rules, shocks)
    teams = {
        seat for seat in range(rules.teams) if rules.spec.firms[seat].strategy.name == TEAM_STRATEGY
    }
    for decisions in played:
        market.play({seat: d for seat, d in decisions.items() if seat in teams})
    books = market.firm_metrics()
    last = books[books["period"] == books["period"].max()]
    return last.set_index("seat")[list(MEASURES)]


def with_seed(rules: GameRules, seed: int) -> GameRules:
    """The same game from another seed."""
    return rules.model_copy(update={"seed": seed})


def with_strategy(rules: GameRules, seat: int, strategy: str) -> GameRules:
    """The same game with a built-in strategy in a team's seat."""
    document = rules.spec.model_dump(mode="json")
    document["firms"][seat]["strategy"] = {"name": strategy}
    return rules.model_copy(update={"spec": type(rules.spec).model_validate(document)})


@dataclass(frozen=True)
class Debrief:
    """The game's results and its counterfactuals, by team.

    Attributes:
        actual: each seat's final books in the game (rows: seats; columns: MEASURES).
        seeds: the same decisions over other seeds (rows: seed × seat).
        strategies: a built-in strategy in a team's place (rows: seat × strategy).
    """

    rules: GameRules
    actual: pd.DataFrame
    seeds: pd.DataFrame
    strategies: pd.DataFrame

    def luck(self, measure: str = "cumulative_profit", language: Language = "en") -> pd.DataFrame:
        """Per team (named in ``language``): the game's result, the mean and 5–95% range over
        seeds, and the share of seeds in which the same decisions did worse (its luck
        percentile)."""
        rows = []
        for seat in range(self.rules.teams):
            spread = self.seeds.loc[self.seeds["seat"] == seat, measure].to_numpy()
            value = float(self.actual.loc[seat, measure])
            rows.append(
                {
                    "team": seat_name(seat, self.rules, language),
                    "game": value,
                    "mean over seeds": float(spread.mean()),
                    "5%": float(np.quantile(spread, 0.05)),
                    "95%": float(np.quantile(spread, 0.95)),
                    "luck percentile": float((spread < value).mean() * 100),
                }
            )
        return pd.DataFrame(rows)

    def versus_strategies(
        self, measure: str = "cumulative_profit", language: Language = "en"
    ) -> pd.DataFrame:
        """Per team (named in ``language``): its result and each built-in strategy's in its
        place (columns)."""
        table = self.strategies.pivot(index="seat", columns="strategy", values=measure)
        table.insert(0, "team's own path", self.actual.loc[table.index, measure])
        table.index = [seat_name(s, self.rules, language) for s in table.index]
        return table


def debrief(
    game: Game,
    seeds: int = SEEDS,
    strategies: Sequence[str] = BUILTIN,
    executor: Executor | None = None,
) -> Debrief:
    """Replay the game over ``seeds`` other seeds and with each strategy in each team's place."""
    rules, played, shocks = game.rules, game.store.played(), game.store.shocks()
    other_seeds = [(rules.seed + 1 + k) % 2**63 for k in range(seeds)]
    variants = [with_seed(rules, s) for s in other_seeds]
    places = [(seat, name) for seat in range(rules.teams) for name in strategies]
    variants += [with_strategy(rules, seat, name) for seat, name in places]
    run = executor.map if executor else map
    books = list(run(final_books, variants, [played] * len(variants), [shocks] * len(variants)))
    spread = pd.concat(
        [b.reset_index().assign(seed=s) for b, s in zip(books, other_seeds, strict=False)]
    )
    instead = pd.DataFrame(
        [
            {"seat": seat, "strategy": name} | books[seeds + i].loc[seat].to_dict()
            for i, (seat, name) in enumerate(places)
        ]
    )
    return Debrief(rules, final_books(rules, played, shocks), spread, instead)


def debrief_html(result: Debrief, title: str, language: Language = "en") -> str:
    """The debrief as one self-contained HTML page, its words in ``language``."""
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
        "td,th{padding:.2em .6em;text-align:right}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    seeds = result.seeds["seed"].nunique()
    for measure in MEASURES:
        label = measure_label(measure, language)
        luck = result.luck(measure, language)
        versus = result.versus_strategies(measure, language)
        parts += [
            f"<h2>{text('game_luck', language).format(label=label)}</h2>",
            f"<p>{text('game_luck_note', language).format(seeds=seeds)}</p>",
            shown(luck, language, kind_of(measure)).to_html(index=False),
            f"<h2>{text('game_textbook', language).format(label=label)}</h2>",
            f"<p>{text('game_textbook_note', language)}</p>",
            shown(versus, language, kind_of(measure), index=True).to_html(index=False),
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


DEBRIEF_FILE = "debrief.html"  # in the game folder; the instructor page links to it


def write_debrief(
    game: Game, seeds: int = SEEDS, executor: Executor | None = None, language: Language = "en"
) -> tuple[Debrief, Path]:
    """Run the debrief and write its page (in ``language``) into the game's folder; the result
    and the path."""
    result = debrief(game, seeds, executor=executor)
    path = game.folder / DEBRIEF_FILE
    title = f"{text('game_debrief_title', language)}: {game.rules.scenario}"
    path.write_text(debrief_html(result, title, language), encoding="utf-8")
    return result, path
