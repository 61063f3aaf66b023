"""Firms: their initial offer, cost structure and strategy."""

from __future__ import annotations

from typing import Any

from pydantic import (
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from sim.schema.base import Strict
from sim.schema.channels import ChannelPolicySpec


class ValueComponents(Strict):
    """Kotler's four components of total customer value ($ of perceived worth per basket)."""

    product: float = Field(80.0, ge=0, le=10_000)
    service: float = Field(20.0, ge=0, le=10_000)
    personnel: float = Field(10.0, ge=0, le=10_000)
    image: float = Field(10.0, ge=0, le=10_000)


class NonMonetaryCosts(Strict):
    """The non-money parts of total customer cost ($-equivalent per basket)."""

    time: float = Field(5.0, ge=0, le=10_000)
    energy: float = Field(3.0, ge=0, le=10_000)
    psychic: float = Field(2.0, ge=0, le=10_000)


class UnitCostRates(Strict):
    """$ of variable cost per $ of each value component delivered in a basket."""

    product: float = Field(0.4, ge=0, le=100)
    service: float = Field(0.5, ge=0, le=100)
    personnel: float = Field(0.5, ge=0, le=100)


class StrategySpec(Strict):
    """A strategy by built-in name or import path (``package.module:Class``), with its parameters.

    The schema only records them: :func:`sim.scenarios.validate` checks the name and the
    parameters against the strategy's own schema, and so does building a market.
    """

    model_config = ConfigDict(extra="allow")

    name: str

    @property
    def params(self) -> dict[str, object]:
        """The strategy's parameters: every key but ``name``."""
        return dict(self.model_extra or {})


class Firm(Strict):
    """One firm: its initial offer, cost structure and strategy."""

    name: str
    strategy: StrategySpec
    price: float = Field(100.0, gt=0, le=1e7, description="list price ($ per basket)")
    value: ValueComponents = ValueComponents()
    costs: NonMonetaryCosts = NonMonetaryCosts()
    position: float = Field(0.0, ge=0, lt=1, description="product variant on the taste circle")
    unit_cost_rates: UnitCostRates = UnitCostRates()
    overhead: float = Field(1.0, ge=0, le=1e6, description="fixed $ per capita per period")
    initial_awareness: float = Field(0.5, ge=0, le=1, description="share of customers aware at t=0")
    channel_policy: ChannelPolicySpec | None = None  # sets its channel contract each period

    @field_validator("channel_policy", mode="before")
    @classmethod
    def _policy_by_name(cls, value: object) -> object:
        """``channel_policy = "partnership"`` is short for ``{ name = "partnership" }``."""
        return {"name": value} if isinstance(value, str) else value

    @model_serializer(mode="wrap")
    def _no_policy_key_without_a_policy(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        """A firm without a channel policy dumps (and hashes) as before the key existed."""
        data = handler(self)
        if self.channel_policy is None:
            data.pop("channel_policy", None)
        return data
