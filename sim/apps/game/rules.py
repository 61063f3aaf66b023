"""What a game is: its market, its seats (teams and bots), its rounds and budget.

A game is this configuration plus the decisions of each round (:mod:`sim.apps.game.store`): the
market is rebuilt from them by replay (:mod:`sim.apps.game.replay`). Seats are the market's firms in
order: teams first, then bots. Firms beyond the scenario's own are copies of its firms, in turn
(``ProductCo 2``, …), each at its original's place on the taste circle.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from sim.apps.game.decisions import BUDGET_FIELDS
from sim.apps.game.research import PRICES, price_problem
from sim.apps.game.seat import TEAM_STRATEGY
from sim.apps.web.i18n import Language, strategy_name, text
from sim.errors import InputError
from sim.scenarios import load
from sim.schema import MarketSpec
from sim.strategies import BUILTIN, StrategyError, strategy_class

MAX_SEATS = 20  # the most firms a market has (sim.schema.MarketSpec)
FLAGS = {"deadline_minutes": "--deadline"}  # a setting whose flag is not its name, dashed


class RulesError(InputError):
    """Settings a game cannot be played with (study prices the budget cannot pay)."""


class GameRules(BaseModel):
    """A game's settings. Budgets are $ per capita per period; times in minutes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str = Field(description="the scenario's name or file, as given")
    spec: MarketSpec = Field(description="the scenario's market (its periods are the game's)")
    seed: int = Field(ge=0, le=2**63 - 1)
    teams: int = Field(ge=1, le=MAX_SEATS)
    bots: tuple[str, ...] = Field(default=(), description="built-in strategy of each bot seat")
    rounds: int = Field(ge=1, le=1000)
    periods_per_round: int = Field(ge=1, le=120)
    deadline_minutes: float | None = Field(default=None, gt=0, le=7 * 24 * 60)
    budget: float = Field(default=8.0, gt=0, le=80, description="cap on " + "+".join(BUDGET_FIELDS))
    research_prices: dict[str, float] = Field(
        default_factory=lambda: dict(PRICES),
        description="price of each study, $ per capita per period of the round (from the budget)",
    )

    @model_validator(mode="after")
    def _fits(self) -> GameRules:
        if self.teams + len(self.bots) > MAX_SEATS:
            raise ValueError(
                f"{self.teams} teams + {len(self.bots)} bots = {self.teams + len(self.bots)} "
                f"seats; a market has at most {MAX_SEATS} firms"
            )
        return self

    @model_validator(mode="after")
    def _priced(self) -> GameRules:
        problem = price_problem(self.research_prices, self.budget)
        if problem:
            raise ValueError(f"research_prices: {problem}")
        return self

    @property
    def seats(self) -> int:
        """Teams and bots."""
        return self.teams + len(self.bots)

    def round_periods(self, round_: int) -> range:
        """The model periods of round ``round_`` (rounds and periods count from 1)."""
        first = (round_ - 1) * self.periods_per_round + 1
        return range(first, first + self.periods_per_round)


def seat_name(seat: int, rules: GameRules, language: Language = "en") -> str:
    """``Team 3`` or ``Bot 1 (static)`` (``第3队``, ``机器人1（固定报价（生产观念））``); seats
    count from 0."""
    if seat < rules.teams:
        return text("game_team", language).format(n=seat + 1)
    strategy = strategy_name(rules.bots[seat - rules.teams], language)
    return text("game_bot", language).format(n=seat - rules.teams + 1, strategy=strategy)


def game_market(base: MarketSpec, teams: int, bots: tuple[str, ...], rounds: int, periods: int):
    """The game's market: the scenario's, with one firm per seat and rounds × periods periods;
    team firms play :data:`~sim.apps.game.seat.TEAM_STRATEGY`, bot firms their built-in strategy."""
    for name in bots:
        if name not in BUILTIN:
            raise StrategyError(f"unknown bot strategy {name!r}; allowed: {', '.join(BUILTIN)}")
        strategy_class(name)
    document = base.model_dump(mode="json")
    originals = document["firms"]
    firms = []
    for seat, strategy in enumerate([TEAM_STRATEGY] * teams + list(bots)):
        firm = dict(originals[seat % len(originals)])
        copy = seat // len(originals)
        if copy:
            firm["name"] = f"{firm['name']} {copy + 1}"
        firm["strategy"] = {"name": strategy}
        firms.append(firm)
    document.update(firms=firms, periods=rounds * periods)
    return MarketSpec.model_validate(document)


def new_rules(
    scenario: str,
    *,
    teams: int,
    rounds: int,
    periods_per_round: int,
    seed: int,
    bots: int = 0,
    deadline_minutes: float | None = None,
    budget: float = 8.0,
    research_prices: dict[str, float] | None = None,
) -> GameRules:
    """The rules of a new game on a scenario; bots play the scenario firms' own strategies where
    they are built-in, else the built-in strategies in turn."""
    base = load(scenario).spec
    if teams + bots > MAX_SEATS:
        raise StrategyError(
            f"--teams {teams} + --bots {bots} = {teams + bots} seats; a market has at most "
            f"{MAX_SEATS} firms (run a larger class as several games)"
        )
    prices = PRICES | (research_prices or {})
    problem = price_problem(prices, budget)
    if problem:
        raise RulesError(
            f"--research-price / --budget: {problem}; set a study's price with --research-price "
            "STUDY=DOLLARS"
        )
    bot_names = []
    for k in range(bots):
        own = base.firms[(teams + k) % len(base.firms)].strategy.name
        bot_names.append(own if own in BUILTIN else BUILTIN[k % len(BUILTIN)])
    spec = game_market(base, teams, tuple(bot_names), rounds, periods_per_round)
    try:
        return GameRules(
            scenario=scenario,
            spec=spec,
            seed=seed,
            teams=teams,
            bots=tuple(bot_names),
            rounds=rounds,
            periods_per_round=periods_per_round,
            deadline_minutes=deadline_minutes,
            budget=budget,
            research_prices=prices,
        )
    except ValidationError as exc:  # a setting out of its range (Field bounds above)
        raise RulesError("; ".join(map(setting_problem, exc.errors()))) from None


def setting_problem(error: ErrorDetails) -> str:
    """One setting's problem, named by its ``crmsim game new`` flag: ``--rounds 2000: …``."""
    field = str(error["loc"][0]) if error["loc"] else ""
    flag = FLAGS.get(field, "--" + field.replace("_", "-")) if field else "the game's rules"
    value = f" {error['input']!r}" if field else ""
    return f"{flag}{value}: {error['msg']}"
