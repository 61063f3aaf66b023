"""What a market is: the scenario schema, every parameter with its default, unit and range.

A market is a validated :class:`MarketSpec`; scenario files (``scenarios/*.toml``, read by
:mod:`sim.scenarios`) are TOML documents of the same shape. Unknown keys are errors, so a typo
never passes silently. Money is in dollars ($) per basket, per customer or per period as each
field says; "per capita" budgets are dollars per customer in the market per period, so results do
not depend on how many customers a run simulates. Every field is described in ``docs/model.md``
(Details, "Parameters").

This package is the leaf of ``sim``: it imports nothing else of it.
"""

from sim.schema.base import INFO_SECTIONS, LANGUAGES, MONTH_DAYS, Info, InfoText, Strict
from sim.schema.books import COST_KINDS, FIRM_METRICS, MARKET_METRICS, FirmBooks, MarketBooks
from sim.schema.channel_books import (
    CHANNEL_METRICS,
    RETAILER_METRICS,
    ChannelBooks,
    RetailerBooks,
)
from sim.schema.channels import (
    CHANNEL_POLICIES,
    STAGES,
    Channel,
    ChannelEvent,
    ChannelMode,
    ChannelPolicySpec,
    Contract,
    PartnershipPolicy,
    RebateWar,
    Retailer,
    RetailerDefects,
    TransactionalPolicy,
)
from sim.schema.components import (
    COST_COMPONENTS,
    ENERGY,
    IMAGE,
    MONEY,
    PERSONNEL,
    PRODUCT,
    PSYCHIC,
    SERVICE,
    TIME,
    VALUE_COMPONENTS,
    NonMoneyCosts,
    ValueLevels,
)
from sim.schema.customers import (
    BetaDistribution,
    Customers,
    Network,
    Segment,
    Sensitivities,
    Weights,
)
from sim.schema.events import (
    AnyEvent,
    CrmLaunch,
    Event,
    LastingEvent,
    NewEntrant,
    PriceWar,
    ProductConvergence,
    Recession,
    Scandal,
    ServiceOutage,
)
from sim.schema.firms import Firm, NonMonetaryCosts, StrategySpec, UnitCostRates, ValueComponents
from sim.schema.market import MAX_PERIODS, MarketSpec
from sim.schema.mechanics import (
    Choice,
    Economics,
    Experience,
    Homogenisation,
    Knowledge,
    WordOfMouth,
)

__all__ = [
    "CHANNEL_METRICS",
    "CHANNEL_POLICIES",
    "COST_COMPONENTS",
    "COST_KINDS",
    "ENERGY",
    "FIRM_METRICS",
    "IMAGE",
    "INFO_SECTIONS",
    "LANGUAGES",
    "MARKET_METRICS",
    "MAX_PERIODS",
    "MONEY",
    "MONTH_DAYS",
    "PERSONNEL",
    "PRODUCT",
    "PSYCHIC",
    "RETAILER_METRICS",
    "SERVICE",
    "STAGES",
    "TIME",
    "VALUE_COMPONENTS",
    "AnyEvent",
    "BetaDistribution",
    "Channel",
    "ChannelBooks",
    "ChannelEvent",
    "ChannelMode",
    "ChannelPolicySpec",
    "Choice",
    "Contract",
    "CrmLaunch",
    "Customers",
    "Economics",
    "Event",
    "Experience",
    "Firm",
    "FirmBooks",
    "Homogenisation",
    "Info",
    "InfoText",
    "Knowledge",
    "LastingEvent",
    "MarketBooks",
    "MarketSpec",
    "Network",
    "NewEntrant",
    "NonMonetaryCosts",
    "NonMoneyCosts",
    "PartnershipPolicy",
    "PriceWar",
    "ProductConvergence",
    "RebateWar",
    "Recession",
    "Retailer",
    "RetailerBooks",
    "RetailerDefects",
    "Scandal",
    "Segment",
    "Sensitivities",
    "ServiceOutage",
    "StrategySpec",
    "Strict",
    "TransactionalPolicy",
    "UnitCostRates",
    "ValueComponents",
    "ValueLevels",
    "Weights",
    "WordOfMouth",
]
