"""The customer population: segments, their distributions, and the social network."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.schema.base import Strict


class Weights(Strict):
    """Mean importance a segment gives each value component (dimensionless multiplier, 1 = par)."""

    product: float = Field(1.0, ge=0, le=10)
    service: float = Field(1.0, ge=0, le=10)
    personnel: float = Field(1.0, ge=0, le=10)
    image: float = Field(1.0, ge=0, le=10)


class Sensitivities(Strict):
    """Mean sensitivity a segment has to each cost component (dimensionless multiplier)."""

    money: float = Field(1.0, ge=0, le=10)
    time: float = Field(1.0, ge=0, le=10)
    energy: float = Field(1.0, ge=0, le=10)
    psychic: float = Field(1.0, ge=0, le=10)


class BetaDistribution(Strict):
    """Beta(a, b) distribution of a probability across customers."""

    a: float = Field(gt=0, le=1000)
    b: float = Field(gt=0, le=1000)


class Segment(Strict):
    """A group of customers whose parameters are drawn from the same distributions."""

    name: str
    share: float = Field(gt=0, le=1, description="fraction of all customers in this segment")
    value_weights: Weights = Weights()
    cost_sensitivities: Sensitivities = Sensitivities()
    weight_dispersion: float = Field(
        0.3, ge=0, le=2, description="coefficient of variation of each weight and sensitivity"
    )
    purchase_rate: float = Field(1.0, gt=0, le=100, description="mean purchase occasions/period")
    purchase_rate_shape: float = Field(
        2.0, gt=0, le=1000, description="gamma shape r of purchase rates (small = heterogeneous)"
    )
    basket_mean: float = Field(1.0, gt=0, le=1000, description="mean baskets bought per purchase")
    basket_shape: float = Field(
        4.0, gt=0, le=1000, description="gamma shape of baskets per purchase (spend heterogeneity)"
    )
    dropout: BetaDistribution | None = Field(
        None, description="Beta-distributed chance of leaving the category after each purchase"
    )
    taste: float = Field(0.0, ge=0, lt=1, description="centre of ideal product variants (circle)")
    taste_spread: float = Field(0.15, ge=0, le=0.5, description="sd of ideal variants (circle)")
    misfit_sensitivity: float = Field(
        25.0, ge=0, le=10_000, description="$ of product value lost per unit of taste distance"
    )
    expectation_shift: float = Field(
        0.0,
        ge=-1000,
        le=1000,
        description="$ added to the best known offer's delivered value to start expectations",
    )
    expectation_dispersion: float = Field(
        5.0, ge=0, le=1000, description="sd across customers of the starting expectation ($)"
    )


class Network(Strict):
    """Who talks to whom: the social network word of mouth travels over."""

    kind: Literal["small_world", "fully_mixed", "none"] = "small_world"
    degree: int = Field(10, ge=2, le=200, description="neighbours per customer (even)")
    rewiring: float = Field(0.1, ge=0, le=1, description="Watts-Strogatz rewiring probability")

    @model_validator(mode="after")
    def _even_degree(self) -> Network:
        if self.degree % 2:
            raise ValueError(
                f"degree must be even (a ring lattice has k/2 each side), got {self.degree}"
            )
        return self


class Customers(Strict):
    """The customer population."""

    count: int = Field(10_000, ge=10, le=5_000_000)
    segments: list[Segment] = Field(default_factory=lambda: [Segment(name="all", share=1.0)])
    network: Network = Network()

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Customers:
        total = sum(s.share for s in self.segments)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"segment shares must sum to 1, they sum to {total:.6g}")
        names = [s.name for s in self.segments]
        if len(set(names)) != len(names):
            raise ValueError(f"segment names must be unique, got {names}")
        return self
