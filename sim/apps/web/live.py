"""A market running in one browser session, and what its charts read each period.

:class:`LiveMarket` steps a :class:`~sim.model.Market` and keeps, per period, the numbers the
charts plot, read from the firms' own books (the values Mesa's DataCollector records, so the
plotted numbers are the model's metrics). Snapshots of the customers (lifecycle stages,
satisfaction) are computed from the customers' arrays when drawn.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.errors import InputError
from sim.model import Market
from sim.scenarios import Scenario

SERIES = ("market_share", "cumulative_profit", "retention_rate", "mean_satisfaction")
SERIES += ("customer_equity",)  # the per-firm time series the run view plots
STAGES = 5  # prospect, first-time, repeat, loyal, lapsed (sim.model.population.Stage)


@dataclass
class History:
    """Per period and firm: the plotted metrics and each offer's place on the perceptual map."""

    periods: list[int] = field(default_factory=list)
    series: dict[str, list[list[float]]] = field(default_factory=lambda: {k: [] for k in SERIES})
    value: list[list[float]] = field(default_factory=list)  # total customer value ($/basket)
    cost: list[list[float]] = field(default_factory=list)  # total customer cost ($/basket)

    def record(self, market: Market) -> None:
        """Append the period just run."""
        self.periods.append(market.period)
        for key, rows in self.series.items():
            rows.append([float(getattr(firm.books, key)) for firm in market.firms])
        self.value.append([float(sum(astuple(firm.value))) for firm in market.firms])
        self.cost.append([firm.price + firm.costs.total() for firm in market.firms])

    def array(self, key: str, firms: int) -> NDArray[np.float64]:
        """One series as a (periods, firms) array (perceptual map: "value" or "cost")."""
        rows = getattr(self, key) if key in ("value", "cost") else self.series[key]
        return np.array(rows, dtype=float).reshape(len(self.periods), firms)


class LiveMarket:
    """One seeded market, stepped period by period, with the history its charts plot."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.market = Market(scenario.spec, rng=seed)
        self.history = History()
        self.failure: InputError | None = None  # why a period failed: the market stops there

    @property
    def firms(self) -> list[str]:
        """The firms' names, in the scenario's order."""
        return [firm.name for firm in self.market.firms]

    @property
    def period(self) -> int:
        """Periods run so far."""
        return len(self.history.periods)

    @property
    def finished(self) -> bool:
        """All of the scenario's periods have run."""
        return self.period >= self.scenario.spec.periods

    def step(self) -> None:
        """Run one period (nothing once finished); a failing strategy raises StrategyError, and
        the market stays at the last period it finished: every later step raises it again (a
        period half run is never run on or counted)."""
        if self.failure is not None:
            raise self.failure
        if not self.finished:
            try:
                self.market.step()
            except InputError as exc:
                self.failure = exc
                raise
            self.history.record(self.market)

    def lifecycle(self) -> NDArray[np.int64]:
        """(firms, stages): customers in each lifecycle stage with each firm."""
        stage = self.market.relations.stage
        return np.stack([np.bincount(stage[:, j], minlength=STAGES) for j in range(stage.shape[1])])

    def satisfaction(self) -> list[NDArray[np.float64]]:
        """Per firm: the satisfaction of its active customers, in (−1, 1)."""
        r, spec = self.market.relations, self.scenario.spec
        active = r.active(self.period, spec.experience.lapse_periods)
        return [r.satisfaction[active[:, j], j] for j in range(r.f)]

    def loyal_to(self) -> NDArray[np.int64]:
        """Per customer: the firm it is loyal to (the lowest index if several), −1 if none."""
        loyal = self.market.relations.stage == 3
        return np.where(loyal.any(axis=1), loyal.argmax(axis=1), -1)
