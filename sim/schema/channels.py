"""The channel: retailers between firms and customers (B2B2C), each firm's contract with them,
and the mechanics of the partnership. Optional: a market without a ``[channel]`` section (or
with no retailers) is a market in which every firm sells directly."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.schema.base import Strict

ChannelMode = Literal["direct", "retail", "both"]
STAGES = ("interest", "support", "dependence", "shared_management", "alignment")


class Retailer(Strict):
    """One retailer (store): where it is, how much its service swings, which brands it carries."""

    name: str
    location: float = Field(0.0, ge=0, lt=1, description="place on the circle of geography")
    service: float = Field(
        10.0, ge=0, le=10_000, description="$ per basket its effort adds to or takes from service"
    )
    overhead: float = Field(0.0, ge=0, le=1e9, description="the store's own $ per period")
    carries: list[str] = Field(default_factory=list, max_length=20)


class Contract(Strict):
    """How one firm sells (``mode``) and what it gives every retailer that carries it."""

    firm: str
    mode: ChannelMode = "both"
    margin: float = Field(0.25, ge=0, lt=1, description="retailer's share of the price paid")
    rebate: float = Field(0.0, ge=0, le=10_000, description="$ per unit above the threshold")
    rebate_threshold: int = Field(
        0, ge=0, le=1_000_000, description="units per retailer per period before rebates"
    )
    development_bonus: float = Field(
        0.0, ge=0, le=1e6, description="$ per customer won for the brand through the retailer"
    )
    support: float = Field(
        0.0, ge=0, le=1e6, description="$ per retailer per period: training, co-marketing"
    )
    share_data: bool = False


class RetailerDefects(Strict):
    """In period ``period`` store ``retailer`` drops brand ``firm`` and puts the effort it gave it
    behind ``rival`` (which it starts carrying if it did not)."""

    kind: Literal["retailer_defects"]
    period: int = Field(ge=1, le=100_000)
    retailer: str
    firm: str
    rival: str


class RebateWar(Strict):
    """From period ``period``, for ``duration`` periods, every firm in ``firms`` raises its rebate
    by ``step`` $ per unit each period (step, 2·step, …); then the contracts' rebates return."""

    kind: Literal["rebate_war"]
    period: int = Field(ge=1, le=100_000)
    duration: int = Field(6, ge=1, le=10_000, description="periods the war lasts")
    firms: list[str] = Field(min_length=1, max_length=20)
    step: float = Field(1.0, ge=0, le=10_000, description="$ per unit added each period")


ChannelEvent = Annotated[RetailerDefects | RebateWar, Field(discriminator="kind")]


class TransactionalPolicy(Strict):
    """Push volume with rebates: after a period in which the firm's units sold at the stores fell
    by more than ``tolerance`` of the period before, raise the rebate by ``rebate_step`` (up to
    ``max_rebate``); otherwise relax it by a step back toward the contract's rebate. Margin,
    threshold, bonus, support and data: the contract's."""

    name: Literal["transactional"]
    rebate_step: float = Field(1.0, ge=0, le=10_000, description="$ per unit per period")
    tolerance: float = Field(
        0.1, ge=0, le=1, description="share by which units may fall before the rebate rises"
    )
    max_rebate: float = Field(20.0, ge=0, le=10_000, description="$ per unit, the highest rebate")


class PartnershipPolicy(Strict):
    """Build partnerships: support every store at the contract's level until the partnership
    (mean stage over the stores that carry the brand) reaches ``taper_at``, then keep
    ``mature_support`` of it; share customer data (``share_data``); co-plan with stores at shared
    management or beyond by adding ``co_planning_bonus`` to the development bonus. Margin,
    rebate and threshold: the contract's."""

    name: Literal["partnership"]
    taper_at: Literal["interest", "support", "dependence", "shared_management", "alignment"] = (
        Field("dependence", description="stage from which support tapers")
    )
    mature_support: float = Field(
        0.5, ge=0, le=1, description="share of the contract's support kept from taper_at on"
    )
    share_data: bool = True
    co_planning_bonus: float = Field(
        0.0, ge=0, le=1e6, description="$ per customer won added from shared management on"
    )


ChannelPolicySpec = Annotated[TransactionalPolicy | PartnershipPolicy, Field(discriminator="name")]
CHANNEL_POLICIES = ("transactional", "partnership")


class Channel(Strict):
    """Retailers, contracts, and how retailers spend effort and how partnerships move."""

    retailers: list[Retailer] = Field(default_factory=list, max_length=1000)
    contracts: list[Contract] = Field(default_factory=list, max_length=20)
    events: list[ChannelEvent] = Field(default_factory=list, max_length=1000)
    shelf_awareness: float = Field(
        0.05, ge=0, le=1, description="chance per period a home-store customer hears of a brand"
    )
    support_service: float = Field(
        5.0, ge=0, le=10_000, description="$ of service that full support (training) adds"
    )
    support_full: float = Field(
        100.0, gt=0, le=1e6, description="$ per retailer per period for full training"
    )
    data_service: float = Field(
        5.0, ge=0, le=10_000, description="$ of service shared data add from shared management on"
    )
    effort_adaptation: float = Field(
        0.2, ge=0, le=1, description="share of the gap to the target effort closed per period"
    )
    effort_elasticity: float = Field(
        0.5, ge=0, le=5, description="elasticity of the effort target to a brand's income"
    )
    stage_weight: float = Field(
        0.5, ge=0, le=10, description="extra weight of a brand's income per partnership stage"
    )
    income_smoothing: float = Field(0.3, gt=0, le=1, description="weight of this period's income")
    expectation_adaptation: float = Field(
        0.1, ge=0, le=1, description="share of the gap to income closed by expected income"
    )
    satisfaction_weight: float = Field(
        0.3, gt=0, le=1, description="weight of this period's feeling in satisfaction"
    )
    support_satisfaction: float = Field(
        0.3, ge=0, le=1, description="satisfaction that full support and shared data add"
    )
    advance_at: float = Field(0.1, ge=-1, le=1, description="satisfaction to move a stage up")
    stage_periods: int = Field(
        3, ge=1, le=1000, description="periods at advance_at or above to move a stage up"
    )
    retreat_at: float = Field(-0.2, ge=-1, le=1, description="satisfaction below which it falls")
    drop_at: float = Field(
        -0.4, ge=-1, le=1, description="satisfaction below which a retailer at interest drops"
    )
    dependence_share: float = Field(
        0.3, ge=0, le=1, description="share of the retailer's income from a brand for dependence"
    )

    @model_validator(mode="after")
    def _names_are_unique(self) -> Channel:
        names = [r.name for r in self.retailers]
        if len(set(names)) != len(names):
            raise ValueError(f"channel.retailers: names must be unique, got {names}")
        firms = [c.firm for c in self.contracts]
        if len(set(firms)) != len(firms):
            raise ValueError(f"channel.contracts: one contract per firm, got {firms}")
        return self

    def contract(self, firm: str) -> Contract | None:
        """The firm's contract, or None (the firm sells directly)."""
        return next((c for c in self.contracts if c.firm == firm), None)

    def sells_through(self, firm: str) -> bool:
        """Whether the firm sells through retailers at all (mode retail or both)."""
        contract = self.contract(firm)
        return contract is not None and contract.mode != "direct"

    def carried(self, retailer: Retailer, firm: str) -> bool:
        """Whether ``retailer`` carries ``firm`` at the start: it sells through retailers and the
        retailer lists it (an empty list: every such firm)."""
        listed = not retailer.carries or firm in retailer.carries
        return listed and self.sells_through(firm)

    def check_firms(self, names: list[str]) -> None:
        """Every contract and every ``carries`` entry names a firm; every firm that sells only
        through retailers is carried by one. Raises ValueError with the offending key."""
        for i, contract in enumerate(self.contracts):
            if contract.firm not in names:
                raise ValueError(
                    f"channel.contracts[{i}] names firm {contract.firm!r}; "
                    f"firms are: {', '.join(names)}"
                )
        for retailer in self.retailers:
            unknown = [f for f in retailer.carries if f not in names]
            if unknown:
                raise ValueError(
                    f"channel.retailers ({retailer.name}).carries names {unknown}; "
                    f"firms are: {', '.join(names)}"
                )
        stores = [r.name for r in self.retailers]
        for i, event in enumerate(self.events):
            if isinstance(event, RetailerDefects) and event.retailer not in stores:
                raise ValueError(
                    f"channel.events[{i}] (retailer_defects) names retailer {event.retailer!r}; "
                    f"retailers are: {', '.join(stores) or 'none'}"
                )
            brands = (
                [event.firm, event.rival] if isinstance(event, RetailerDefects) else event.firms
            )
            for firm in brands:
                if not self.sells_through(firm):
                    raise ValueError(
                        f"channel.events[{i}] ({event.kind}) names {firm!r}, which does not sell "
                        "through retailers: give it a contract with mode 'retail' or 'both'"
                    )
        for contract in self.contracts:
            if contract.mode == "retail" and not any(
                self.carried(r, contract.firm) for r in self.retailers
            ):
                raise ValueError(
                    f"channel.contracts: {contract.firm} sells only through retailers "
                    "(mode = 'retail') but no retailer carries it; add a retailer or use "
                    "mode 'both' or 'direct'"
                )
