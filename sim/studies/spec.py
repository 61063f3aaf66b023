"""What a study file says (docs/stress-testing.md): the policy and the firm it replaces, the
uncertainties, rivals and shocks, the levers, the outcomes, the seeds, and each command's
settings. Types are exact and unknown keys are errors, as in scenario files."""

from __future__ import annotations

from typing import Any, Literal, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from scipy import stats

# Outcomes of one run and firm (columns of sim.experiments.summarise_run) a study may analyse.
Outcome = Literal[
    "cumulative_profit",
    "total_revenue",
    "final_customers",
    "final_market_share",
    "mean_market_share",
    "mean_retention_rate",
    "final_satisfaction",
    "final_customer_equity",
    "top20_profit_share",
    "share_of_wallet",
    "complaints",
    "recoveries",
    "final_loyal_customers",
    "final_knowledge",
]


class Section(BaseModel):
    """Base of every study section: unknown keys are errors, types are exact."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Policy(Section):
    """The strategy under test and the firm whose strategy it replaces."""

    firm: str
    strategy: str = Field(
        description="built-in name, 'package.module:Class' or 'file.py:Class' (beside the study)"
    )
    params: dict[str, Any] = Field(default_factory=dict)


class Range(Section):
    """A range of numbers: ``low``..``high``; whole numbers when both are written as integers."""

    low: float | int
    high: float | int
    levels: int = Field(3, ge=2, le=50, description="grid points from low to high (stress)")

    @model_validator(mode="after")
    def ordered(self) -> Self:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    @property
    def integer(self) -> bool:
        """Whether the values are whole numbers (both ends written as integers)."""
        return isinstance(self.low, int) and isinstance(self.high, int)

    def grid(self) -> list[float | int]:
        """``levels`` evenly spaced values from low to high (distinct ones only)."""
        return even_grid(self.low, self.high, self.levels, self.integer)


def as_value(x: float, integer: bool) -> float | int:
    """``x`` as a scenario takes it: rounded to a whole number if ``integer``, else a float."""
    return round(float(x)) if integer else float(x)


def even_grid(low: float, high: float, levels: int, integer: bool) -> list[float | int]:
    """``levels`` evenly spaced values from ``low`` to ``high`` (distinct ones only)."""
    points = (low + i / (levels - 1) * (high - low) for i in range(levels))
    return list(dict.fromkeys(as_value(x, integer) for x in points))


Distribution = Literal["uniform", "normal", "triangular", "lognormal", "choice"]

# The keys each kind of uncertainty needs besides ``key`` (None: a plain range); every kind but
# a choice also takes ``levels``.
NEEDS: dict[str | None, tuple[str, ...]] = {
    None: ("low", "high"),
    "uniform": ("low", "high"),
    "normal": ("mean", "sd", "low", "high"),  # truncated to low..high
    "triangular": ("low", "mode", "high"),
    "lognormal": ("mu", "sigma", "low", "high"),  # ln(value) ~ N(mu, sigma), truncated
    "choice": ("values",),
}


class Uncertainty(Section):
    """A scenario key (``--set`` key path) whose true value nobody knows: a range (low..high),
    or a probability distribution over one (docs/stress-testing.md, "Uncertainties").

    Values are whole numbers when the bounds (a choice: all its values) are written as integers.
    """

    key: str
    distribution: Distribution | None = None  # None: a range, spanned end to end by stress
    low: float | int | None = None
    high: float | int | None = None
    levels: int = Field(3, ge=2, le=50, description="grid points for stress")
    mean: float | int | None = None
    sd: float | int | None = Field(None, gt=0)
    mode: float | int | None = None
    mu: float | int | None = None
    sigma: float | int | None = Field(None, gt=0)
    values: list[float | int] | None = Field(None, min_length=2)

    @model_validator(mode="after")
    def complete(self) -> Self:
        kind = self.distribution
        needs = NEEDS[kind]
        takes = needs if kind == "choice" else (*needs, "levels")
        given = self.model_fields_set - {"key", "distribution"}
        missing = [k for k in needs if k not in given]
        extra = sorted(given - set(takes))
        if missing or extra:
            what = f"distribution {kind!r}" if kind else "a range (no distribution)"
            wrong = (f"missing {', '.join(missing)}" if missing else "") + (
                f"{'; ' if missing else ''}{', '.join(extra)} not allowed" if extra else ""
            )
            raise ValueError(
                f"{what} takes {', '.join(takes)} ({wrong}); distribution is one of "
                "'uniform', 'normal', 'triangular', 'lognormal', 'choice', or none for a range"
            )
        if kind == "choice":
            if len(set(self.values)) < len(self.values):
                raise ValueError(f"values {self.values} repeat a value; give each once")
            return self
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if kind == "triangular" and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode ({self.mode}) must be from low ({self.low}) to high")
        if kind == "lognormal" and self.low <= 0:
            raise ValueError(f"a lognormal value is > 0: low ({self.low}) must be above 0")
        return self

    @property
    def integer(self) -> bool:
        """Whether the values are whole numbers."""
        ends = self.values if self.distribution == "choice" else (self.low, self.high)
        return all(isinstance(v, int) for v in ends)

    @property
    def bounds(self) -> tuple[float | int, float | int]:
        """The least and greatest value it may take."""
        if self.distribution == "choice":
            return min(self.values), max(self.values)
        return self.low, self.high

    def actual(self, x: float) -> float | int:
        """A value ``x`` as a scenario takes it (rounded for whole numbers)."""
        return as_value(x, self.integer)

    def ppf(self, p: np.ndarray) -> np.ndarray:
        """The values at cumulative probabilities ``p`` ∈ [0, 1] (the quantile function; a
        range is uniform); a sample of uniform ``p`` is a sample of the uncertainty."""
        p = np.asarray(p, dtype=float)
        kind, low, high = self.distribution, self.low, self.high
        if kind is None or kind == "uniform":
            return low + p * (high - low)
        if kind == "normal":
            a, b = (low - self.mean) / self.sd, (high - self.mean) / self.sd
            return stats.truncnorm.ppf(p, a, b, loc=self.mean, scale=self.sd)
        if kind == "triangular":
            c = (self.mode - low) / (high - low)
            return stats.triang.ppf(p, c, loc=low, scale=high - low)
        if kind == "lognormal":
            ends = stats.norm.cdf((np.log([low, high]) - self.mu) / self.sigma)
            z = stats.norm.ppf(ends[0] + p * (ends[1] - ends[0]))
            return np.clip(np.exp(self.mu + self.sigma * z), low, high)
        ordered = np.sort(np.asarray(self.values, dtype=float))
        return ordered[np.minimum((p * len(ordered)).astype(int), len(ordered) - 1)]

    def grid(self) -> list[float | int]:
        """The values stress tries: a range's ``levels`` values evenly spaced from low to high;
        a choice's values; a distribution's quantiles at the middles of ``levels`` equally
        likely slices, (i + ½) / levels, so that every cell is as likely as any other."""
        if self.distribution == "choice":
            return [self.actual(v) for v in self.values]
        if self.distribution is None:
            return even_grid(self.low, self.high, self.levels, self.integer)
        middles = self.ppf((np.arange(self.levels) + 0.5) / self.levels)
        return list(dict.fromkeys(self.actual(v) for v in middles))

    def extremes(self) -> list[float | int]:
        """The values a study file check tries: the bounds, or every value of a choice."""
        if self.distribution == "choice":
            return [self.actual(v) for v in self.values]
        return [self.actual(v) for v in self.bounds]

    def describe(self) -> str:
        """How reports show it, e.g. ``normal(mean 20, sd 5) on 5 to 40``."""
        kind = self.distribution
        if kind == "choice":
            return "one of " + ", ".join(f"{v:g}" for v in self.values)
        span = f"{self.low:g} to {self.high:g}"
        shape = {k: getattr(self, k) for k in NEEDS[kind] if k not in ("low", "high")}
        inner = ", ".join(f"{k} {v:g}" for k, v in shape.items())
        return f"{kind}({inner}) on {span}" if kind else span


class Lever(Range):
    """A parameter of the policy's strategy that ``crmsim tune`` sets."""

    param: str


class Rival(Section):
    """A rival firm whose strategy is uncertain: each of ``strategies`` is a case."""

    firm: str
    strategies: list[str] = Field(min_length=1)


class Shock(Section):
    """A shock event (a scenario event without its period) tried at each of ``periods``."""

    label: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    event: dict[str, Any]
    periods: list[int] = Field(min_length=1)


class Stress(Section):
    """``crmsim stress``: the policy and each benchmark in every cell."""

    benchmarks: list[str] | None = None  # default: every built-in strategy but the policy


class Sensitivity(Section):
    """``crmsim sensitivity``: Morris screening and Sobol indices of the first outcome."""

    methods: list[Literal["morris", "sobol"]] = Field(["morris", "sobol"], min_length=1)
    trajectories: int = Field(10, ge=2, le=10_000, description="Morris trajectories")
    morris_levels: int = Field(4, ge=2, le=20, description="Morris grid levels")
    samples: int = Field(64, ge=4, le=1_000_000, description="Sobol base samples (power of 2)")
    resamples: int = Field(1000, ge=100, le=100_000, description="bootstrap resamples for CIs")

    @field_validator("samples")
    @classmethod
    def power_of_two(cls, samples: int) -> int:
        if samples & (samples - 1):
            raise ValueError("must be a power of 2, e.g. 64 or 128")
        return samples


class Discover(Section):
    """``crmsim discover``: the policy fails where its first outcome is below ``below``."""

    samples: int = Field(200, ge=10, le=1_000_000, description="Latin hypercube points")
    below: float
    threshold: float = Field(0.8, gt=0, le=1, description="least density of a PRIM box")


class Breakeven(Section):
    """``crmsim breakeven``: where the preferred strategy flips as ``parameter`` moves."""

    parameter: str | None = None  # a scenario key; --parameter overrides it
    values: list[float | int] | None = Field(None, min_length=2)
    range: Range | None = None
    against: list[str] | None = None  # default: the stress benchmarks
    bootstrap: int = Field(1000, ge=100, le=100_000, description="resamples of the seeds")

    @model_validator(mode="after")
    def one_grid(self) -> Self:
        if (self.values is None) == (self.range is None):
            raise ValueError("give either values = [...] or range = {low, high, levels}")
        return self

    def grid(self) -> list[float | int]:
        """The parameter's values, in order."""
        return sorted(self.values) if self.values is not None else self.range.grid()


class Tune(Section):
    """``crmsim tune``: Optuna over the levers for a risk measure of the first outcome."""

    trials: int = Field(20, ge=1, le=100_000)
    batch: int = Field(4, ge=1, le=1000, description="trials run at the same time")
    measure: Literal["mean", "percentile"] = "mean"
    percentile: float = Field(5.0, gt=0, lt=100, description="with measure = 'percentile'")
    holdout_seeds: int = Field(10, ge=1, le=1_000_000, description="fresh seeds for the check")


class Study(Section):
    """A study file."""

    title: str = ""
    scenario: str = Field(description="shipped scenario name or .toml path (beside the study)")
    set: list[str] = Field(default_factory=list, description="--set overrides of the scenario")
    periods: int | None = Field(None, ge=1, le=100_000)
    seeds: int = Field(5, ge=1, le=1_000_000)
    first_seed: int = Field(0, ge=0, le=2**62)
    outcomes: list[Outcome] = Field(["cumulative_profit"], min_length=1)
    policy: Policy
    uncertainties: list[Uncertainty] = Field(default_factory=list)
    rivals: list[Rival] = Field(default_factory=list)
    shocks: list[Shock] = Field(default_factory=list)
    levers: list[Lever] = Field(default_factory=list)
    stress: Stress = Stress()
    sensitivity: Sensitivity = Sensitivity()
    discover: Discover | None = None
    breakeven: Breakeven | None = None
    tune: Tune = Tune()

    @property
    def outcome(self) -> str:
        """The outcome the analyses rank, search and tune on: the first listed."""
        return self.outcomes[0]

    def seed_list(self, count: int | None = None, after: int = 0) -> list[int]:
        """``count`` seeds (default ``seeds``) from ``first_seed + after`` on."""
        start = self.first_seed + after
        return list(range(start, start + (self.seeds if count is None else count)))
