"""What a strategy is: the decision it returns, what it may see, and its base class.

A strategy is a small class with a ``Params`` schema and one method, ``decide``, that returns a
:class:`Decision` from what the firm can see of itself (:class:`FirmView`) and of the market
(:class:`MarketView`). Decisions are checked every period; a value out of range stops the run
with a message naming the firm, the strategy, the field and the allowed range
(:class:`StrategyError`).
"""

from __future__ import annotations

import math
import numbers
import traceback
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from sim.errors import InputError
from sim.schema import Firm as FirmSpec
from sim.schema import FirmBooks, NonMoneyCosts, ValueLevels

Personalisation = Literal["none", "segment", "individual"]


class StrategyError(InputError):
    """A strategy is unknown, badly configured, or returned an invalid decision."""

    def _render_traceback_(self) -> list[str]:
        """In IPython: the message and, when a strategy's own code failed (its error is the
        cause), that error's traceback, down to the line of the policy that raised it."""
        cause = self.__cause__
        frames = traceback.format_exception(cause) if cause is not None else []
        return [*"".join(frames).splitlines(), *super()._render_traceback_()]


@dataclass(frozen=True)
class Decision:
    """What a firm does in one period. Budgets are $ per customer in the market per period."""

    price: float  # list price, $ per basket (> 0)
    service: float  # service value delivered, $ per basket (≥ 0)
    personnel: float  # personnel value delivered, $ per basket (≥ 0)
    advertising: float = 0.0  # $ per capita: awareness and image
    rd: float = 0.0  # $ per capita: raises product value by rd × rd_efficiency
    quality_cut: float = 0.0  # $ of product value removed this period (cheapening)
    crm: float = 0.0  # $ per capita: speeds up learning of customer profiles
    research: float = 0.0  # $ per capita: market research for segment-level tailoring
    personalisation: Personalisation = "none"
    complaint_handling: float = 0.0  # share of complaints handled well, [0, 1]
    loyalty_discount: float = 0.0  # price cut for repeat and loyal customers, [0, 0.9]
    first_purchase_discount: float = 0.0  # price cut for prospects and lapsed customers, [0, 0.9]
    retention_share: float = 0.0  # share of own customers contacted to retain them, [0, 1]
    tier_share: float = 0.0  # share of own customers (top by lifetime value) in the top tier
    tier_service: float = 0.0  # extra service $ per basket for the top tier (≥ 0)

    BOUNDS: ClassVar[dict[str, tuple[float, float]]] = {
        "price": (1e-9, 1e9),
        "service": (0.0, 1e6),
        "personnel": (0.0, 1e6),
        "advertising": (0.0, 1e6),
        "rd": (0.0, 1e6),
        "quality_cut": (0.0, 1e6),
        "crm": (0.0, 1e6),
        "research": (0.0, 1e6),
        "complaint_handling": (0.0, 1.0),
        "loyalty_discount": (0.0, 0.9),
        "first_purchase_discount": (0.0, 0.9),
        "retention_share": (0.0, 1.0),
        "tier_share": (0.0, 1.0),
        "tier_service": (0.0, 1e6),
    }

    def problems(self) -> list[str]:
        """Every field that is missing, not a finite number, or out of its range."""
        found = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "personalisation":
                if value not in ("none", "segment", "individual"):
                    found.append(f"personalisation={value!r} (allowed: none, segment, individual)")
                continue
            low, high = self.BOUNDS[f.name]
            number = isinstance(value, numbers.Real) and not isinstance(value, bool)
            ok = number and math.isfinite(value) and low <= float(value) <= high
            if not ok:
                found.append(f"{f.name}={value!r} (allowed: a number from {low:g} to {high:g})")
        return found


@dataclass(frozen=True)
class RivalView:
    """What a firm can see of a rival: its public price, product and last market share."""

    name: str
    price: float
    product: float
    market_share: float


@dataclass(frozen=True)
class MarketView:
    """What a firm can see of the market when it decides."""

    period: int
    rivals: tuple[RivalView, ...]


class FirmView(Protocol):
    """What a strategy may read of its own firm (read-only: change it through the decision)."""

    @property
    def name(self) -> str:
        """The firm's name."""

    @property
    def spec(self) -> FirmSpec:
        """The firm's scenario entry: its initial offer, costs and strategy."""

    @property
    def price(self) -> float:
        """Current list price ($ per basket)."""

    @property
    def value(self) -> ValueLevels:
        """Current offer levels ($ per basket): product, service, personnel, image."""

    @property
    def costs(self) -> NonMoneyCosts:
        """Non-money costs of buying from the firm ($ per basket): time, energy, psychic."""

    @property
    def books(self) -> FirmBooks:
        """Last period's results (all zero before the first period)."""

    @property
    def share_history(self) -> Sequence[float]:
        """Market share, one entry per period so far."""

    @property
    def equity_history(self) -> Sequence[float]:
        """Customer equity ($), one entry per period so far."""

    def unit_cost(
        self,
        product: float | None = None,
        service: float | None = None,
        personnel: float | None = None,
    ) -> float:
        """Variable cost of one basket ($) at the current offer, or at the levels given."""


class StrategyParams(BaseModel):
    """Base for strategy parameters: unknown keys, values of another type (a string or a bool
    for a number) and infinite or NaN numbers are errors, from a scenario file or from Python."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Strategy(ABC):
    """Base class: one instance per firm, so a strategy may keep memory between periods.

    ``name`` is what results call the strategy (default: the class's own name, not its
    parent's); ``Params`` its parameters' schema.
    """

    name: ClassVar[str]
    Params: ClassVar[type[StrategyParams]] = StrategyParams

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__

    def __init__(self, params: StrategyParams | None = None) -> None:
        self.params = params if params is not None else self.Params()

    @abstractmethod
    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        """Return this period's decision from what the firm can see."""

    @staticmethod
    def base_decision(firm: FirmView, **changes: object) -> Decision:
        """The firm's initial offer with no programmes, changed by ``changes``."""
        spec = firm.spec
        base = Decision(
            price=spec.price, service=spec.value.service, personnel=spec.value.personnel
        )
        return replace(base, **changes)
