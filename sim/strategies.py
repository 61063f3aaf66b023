"""Strategies: how a firm spends and prices each period.

A strategy is a small class with a ``Params`` schema and one method, ``decide``, that returns a
:class:`Decision` from what the firm can see. Write your own by subclassing :class:`Strategy`::

    from sim.strategies import Strategy, StrategyParams, register

    @register
    class Discounter(Strategy):
        '''Cost-plus with a thin margin and heavy advertising.'''
        name = "discounter"

        class Params(StrategyParams):
            markup: float = 0.15

        def decide(self, firm, market):
            return self.base_decision(firm, price=firm.unit_cost() * (1 + self.params.markup),
                                      advertising=3.0)

A scenario can also name a class by import path: ``strategy = {name = "mypkg.mod:Discounter"}``.
Decisions are checked every period; a value out of range stops the run with a message naming the
firm, the strategy, the field and the allowed range (:class:`StrategyError`).
"""

from __future__ import annotations

import importlib
import math
import numbers
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import InputError

if TYPE_CHECKING:
    from sim.agents import Firm

Personalisation = Literal["none", "segment", "individual"]


class StrategyError(InputError):
    """A strategy is unknown, badly configured, or returned an invalid decision."""


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


class StrategyParams(BaseModel):
    """Base for strategy parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Strategy(ABC):
    """Base class: one instance per firm, so a strategy may keep memory between periods."""

    name: ClassVar[str]
    Params: ClassVar[type[StrategyParams]] = StrategyParams

    def __init__(self, params: StrategyParams | None = None) -> None:
        self.params = params if params is not None else self.Params()

    @abstractmethod
    def decide(self, firm: Firm, market: MarketView) -> Decision:
        """Return this period's decision. ``firm`` is read-only: change it through the decision."""

    @staticmethod
    def base_decision(firm: Firm, **changes: object) -> Decision:
        """The firm's initial offer with no programmes, changed by ``changes``."""
        spec = firm.spec
        base = Decision(
            price=spec.price, service=spec.value.service, personnel=spec.value.personnel
        )
        return replace(base, **changes)


STRATEGIES: dict[str, type[Strategy]] = {}


def register[S: type[Strategy]](cls: S) -> S:
    """Class decorator: make a strategy available by its ``name`` in scenario files."""
    STRATEGIES[cls.name] = cls
    return cls


def strategy_class(name: str) -> type[Strategy]:
    """The strategy registered as ``name``, or imported from ``"package.module:Class"``."""
    if name in STRATEGIES:
        return STRATEGIES[name]
    if ":" in name:
        module_name, _, attr = name.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise StrategyError(f"cannot import strategy {name!r}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, Strategy)):
            raise StrategyError(f"{name!r} is not a subclass of sim.strategies.Strategy")
        return cls
    allowed = ", ".join(sorted(STRATEGIES))
    raise StrategyError(f"unknown strategy {name!r}; allowed: {allowed}, or 'package.module:Class'")


def resolve_params(name: str, params: dict[str, object]) -> StrategyParams:
    """Validate ``params`` against the named strategy's schema."""
    cls = strategy_class(name)
    try:
        return cls.Params.model_validate(params)
    except ValidationError as exc:
        allowed = ", ".join(cls.Params.model_fields) or "none"
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise StrategyError(
            f"bad parameters for strategy {name!r}: {details} (parameters: {allowed})"
        ) from None


def build_strategy(name: str, params: dict[str, object]) -> Strategy:
    """An instance of the named strategy with validated parameters."""
    return strategy_class(name)(resolve_params(name, params))


# --- Built-in strategies ----------------------------------------------------------------------


@register
class Static(Strategy):
    """A fixed offer: the initial price, service and personnel, a fixed advertising budget."""

    name = "static"

    class Params(StrategyParams):
        advertising: float = Field(0.5, ge=0, description="$ per capita per period")
        complaint_handling: float = Field(0.0, ge=0, le=1)

    def decide(self, firm: Firm, market: MarketView) -> Decision:
        p = self.params
        return self.base_decision(
            firm, advertising=p.advertising, complaint_handling=p.complaint_handling
        )


@register
class ProductCentric(Strategy):
    """以产品为中心: better product, one offer for all, push for volume, judged by market share.

    Rule: price = unit cost × (1 + markup); spend ``rd`` on product quality every period;
    advertise ``advertising``, raised by ``push`` (a fraction) after a period in which market
    share fell and relaxed back towards the base otherwise; minimal complaint handling; no
    customer profiles, no retention programme.
    """

    name = "product_centric"

    class Params(StrategyParams):
        markup: float = Field(0.45, ge=0, le=10)
        rd: float = Field(1.0, ge=0, description="$ per capita per period on product quality")
        advertising: float = Field(1.5, ge=0, description="base $ per capita per period")
        push: float = Field(0.2, ge=0, le=5, description="advertising raise when share falls")
        max_advertising: float = Field(4.0, ge=0)
        complaint_handling: float = Field(0.2, ge=0, le=1)

    def __init__(self, params: StrategyParams | None = None) -> None:
        super().__init__(params)
        self.advertising = self.params.advertising

    def decide(self, firm: Firm, market: MarketView) -> Decision:
        p = self.params
        shares = firm.share_history
        if len(shares) >= 2 and shares[-1] < shares[-2]:
            self.advertising = min(p.max_advertising, self.advertising * (1 + p.push))
        else:
            self.advertising += 0.5 * (p.advertising - self.advertising)
        return self.base_decision(
            firm,
            price=firm.unit_cost() * (1 + p.markup),
            rd=p.rd,
            advertising=self.advertising,
            complaint_handling=p.complaint_handling,
        )


@register
class CustomerCentric(Strategy):
    """以客户为中心: know each customer, personalise, serve, recover, retain by lifetime value.

    Rule: invest ``crm`` in customer profiles and personalise each offer to the profile; deliver
    ``service_boost`` and ``personnel_boost`` above the initial offer; handle ``complaint_handling``
    of complaints well; contact the ``retention_share`` of own customers with the highest
    lifetime value × churn risk (raised by ``retention_step`` after a period in which customer
    equity fell, up to ``max_retention_share``, relaxed otherwise); give the top ``tier_share`` by
    lifetime value ``tier_service`` extra service (客户经理制); reward repeat customers with
    ``loyalty_discount``; price = unit cost × (1 + markup). Judged by customer equity.
    """

    name = "customer_centric"

    class Params(StrategyParams):
        markup: float = Field(0.45, ge=0, le=10)
        crm: float = Field(1.5, ge=0, description="$ per capita per period on CRM")
        service_boost: float = Field(10.0, ge=0, description="extra service $ per basket")
        personnel_boost: float = Field(5.0, ge=0, description="extra personnel $ per basket")
        advertising: float = Field(0.5, ge=0)
        complaint_handling: float = Field(0.9, ge=0, le=1)
        retention_share: float = Field(0.1, ge=0, le=1)
        retention_step: float = Field(0.02, ge=0, le=1)
        max_retention_share: float = Field(0.3, ge=0, le=1)
        tier_share: float = Field(0.2, ge=0, le=1)
        tier_service: float = Field(10.0, ge=0)
        loyalty_discount: float = Field(0.05, ge=0, le=0.9)

    def __init__(self, params: StrategyParams | None = None) -> None:
        super().__init__(params)
        self.retention_share = self.params.retention_share

    def decide(self, firm: Firm, market: MarketView) -> Decision:
        p = self.params
        equity = firm.equity_history
        if len(equity) >= 2 and equity[-1] < equity[-2]:
            self.retention_share = min(
                p.max_retention_share, self.retention_share + p.retention_step
            )
        else:
            self.retention_share += 0.5 * (p.retention_share - self.retention_share)
        service = firm.spec.value.service + p.service_boost
        personnel = firm.spec.value.personnel + p.personnel_boost
        return self.base_decision(
            firm,
            price=firm.unit_cost(service=service, personnel=personnel) * (1 + p.markup),
            service=service,
            personnel=personnel,
            advertising=p.advertising,
            crm=p.crm,
            personalisation="individual",
            complaint_handling=p.complaint_handling,
            retention_share=self.retention_share,
            tier_share=p.tier_share,
            tier_service=p.tier_service,
            loyalty_discount=p.loyalty_discount,
        )


@register
class MarketOriented(Strategy):
    """Market-oriented: study the market by research (以小代大), tailor offers to segments.

    Rule: spend ``research`` on market research, which tailors the product to each segment's
    average taste (no individual knowledge); add ``service_boost``; price between cost-plus and
    the rivals' mean price (``price_matching`` is the weight on the rivals' mean); moderate
    advertising and complaint handling.
    """

    name = "market_oriented"

    class Params(StrategyParams):
        markup: float = Field(0.45, ge=0, le=10)
        research: float = Field(0.5, ge=0, description="$ per capita per period")
        service_boost: float = Field(5.0, ge=0)
        advertising: float = Field(1.0, ge=0)
        price_matching: float = Field(0.5, ge=0, le=1)
        complaint_handling: float = Field(0.5, ge=0, le=1)

    def decide(self, firm: Firm, market: MarketView) -> Decision:
        p = self.params
        service = firm.spec.value.service + p.service_boost
        cost_plus = firm.unit_cost(service=service) * (1 + p.markup)
        rivals = [r.price for r in market.rivals]
        reference = sum(rivals) / len(rivals) if rivals else cost_plus
        return self.base_decision(
            firm,
            price=(1 - p.price_matching) * cost_plus + p.price_matching * reference,
            service=service,
            advertising=p.advertising,
            research=p.research,
            personalisation="segment",
            complaint_handling=p.complaint_handling,
        )


@register
class SalesPush(Strategy):
    """推销观念: promotion and discounts to win new customers; service trimmed to pay for it.

    Rule: heavy ``advertising``; ``first_purchase_discount`` for prospects and lapsed customers;
    service reduced by ``service_cut``; thin ``markup``; little complaint handling.
    """

    name = "sales_push"

    class Params(StrategyParams):
        markup: float = Field(0.3, ge=0, le=10)
        advertising: float = Field(3.0, ge=0)
        first_purchase_discount: float = Field(0.2, ge=0, le=0.9)
        service_cut: float = Field(5.0, ge=0)
        complaint_handling: float = Field(0.1, ge=0, le=1)

    def decide(self, firm: Firm, market: MarketView) -> Decision:
        p = self.params
        service = max(0.0, firm.spec.value.service - p.service_cut)
        return self.base_decision(
            firm,
            price=firm.unit_cost(service=service) * (1 + p.markup),
            service=service,
            advertising=p.advertising,
            first_purchase_discount=p.first_purchase_discount,
            complaint_handling=p.complaint_handling,
        )


@register
class CompetitorCentric(Strategy):
    """以竞争者为中心: match or undercut the cheapest rival; cut quality when margins vanish.

    Rule: price = cheapest rival's price × (1 − undercut), but never below unit cost ×
    (1 + min_margin); when that floor binds, cut product value by ``quality_cut`` $ a period to
    lower unit cost — the price war that degrades quality.
    """

    name = "competitor_centric"

    class Params(StrategyParams):
        undercut: float = Field(0.03, ge=0, le=0.9)
        min_margin: float = Field(0.05, ge=-0.5, le=10)
        quality_cut: float = Field(1.0, ge=0)
        min_product: float = Field(20.0, ge=0, description="product value it will not go below")
        advertising: float = Field(1.0, ge=0)
        complaint_handling: float = Field(0.2, ge=0, le=1)

    def decide(self, firm: Firm, market: MarketView) -> Decision:
        p = self.params
        floor = firm.unit_cost() * (1 + p.min_margin)
        rivals = [r.price for r in market.rivals]
        target = min(rivals) * (1 - p.undercut) if rivals else floor
        cut = (
            p.quality_cut
            if target < floor and firm.value[0] - p.quality_cut >= p.min_product
            else 0
        )
        return self.base_decision(
            firm,
            price=max(target, floor),
            quality_cut=cut,
            advertising=p.advertising,
            complaint_handling=p.complaint_handling,
        )
