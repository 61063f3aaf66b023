"""What the channel reports each period: each retailer's books, and each firm's books by
channel. Money in $ per period, counts in baskets or customers."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class RetailerBooks:
    """One retailer's results for one period (all brands)."""

    units: float = 0.0  # baskets sold
    sales: float = 0.0  # $ customers paid at the store
    margin: float = 0.0  # $ kept of the sales (the contracts' margins)
    rebates: float = 0.0  # $ of volume rebates received
    bonuses: float = 0.0  # $ of development bonuses received
    income: float = 0.0  # margin + rebates + bonuses
    overhead: float = 0.0  # the store's own costs
    profit: float = 0.0  # income − overhead
    cumulative_profit: float = 0.0
    brands: int = 0  # brands carried at the end of the period
    mean_stage: float = 0.0  # mean partnership stage over the brands carried (0 = interest)
    mean_satisfaction: float = 0.0  # mean satisfaction with the brands carried, (−1, 1)


@dataclass(frozen=True)
class ChannelBooks:
    """One firm's results by channel for one period. revenue = direct_revenue + store_sales −
    retailer_margin − rebates − bonuses − support (the firm's revenue in FirmBooks)."""

    direct_units: int = 0
    store_units: int = 0
    direct_revenue: float = 0.0  # $ customers paid the firm directly
    store_sales: float = 0.0  # $ customers paid for the brand at stores
    retailer_margin: float = 0.0  # $ the stores kept of it
    rebates: float = 0.0  # $ of volume rebates paid
    bonuses: float = 0.0  # $ of development bonuses paid
    support: float = 0.0  # $ of support (training, co-marketing)
    revenue: float = 0.0  # the firm's revenue, all channels
    direct_contribution: float = 0.0  # direct revenue − cost of the goods sold directly
    store_contribution: float = 0.0  # store sales − margin − rebates − bonuses − support − goods
    retailers: int = 0  # retailers carrying the brand at the end of the period
    mean_effort: float = 0.0  # mean share of effort behind the brand where carried
    mean_stage: float = 0.0  # mean partnership stage where carried


RETAILER_METRICS = tuple(f.name for f in fields(RetailerBooks))
CHANNEL_METRICS = tuple(f.name for f in fields(ChannelBooks))
