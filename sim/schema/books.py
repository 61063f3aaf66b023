"""What the model reports each period: every firm's books and the market's totals.

The fields are declared here, once, with their units; both engines fill them
(:func:`sim.model.books.draw_up`) and Mesa's DataCollector reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class FirmBooks:
    """One firm's results for one period. Money in $, counts in customers or purchases."""

    customers: int = 0  # active relationships: a purchase within the last lapse_periods periods
    new_customers: int = 0  # active now, not at the end of the previous period
    retained_customers: int = 0  # buyers of period t − lapse_periods who bought again within it
    lost_customers: int = 0  # buyers of period t − lapse_periods who did not
    retention_rate: float = 0.0  # retained / buyers of period t − lapse_periods (NaN before)
    purchases: int = 0  # purchase occasions won this period
    market_share: float = 0.0  # purchases / all purchases in the category
    occasion_share: float = 0.0  # purchases / all purchase occasions (with the outside option)
    share_of_wallet: float = 0.0  # own customers' spend here / their spend in the category
    revenue: float = 0.0
    cost_goods: float = 0.0  # variable cost of baskets sold (product, service, personnel)
    cost_advertising: float = 0.0
    cost_rd: float = 0.0
    cost_crm: float = 0.0
    cost_research: float = 0.0
    cost_acquisition: float = 0.0  # acquisition_cost × customers won
    cost_retention: float = 0.0  # retention_cost × retention contacts
    cost_complaints: float = 0.0  # complaint_cost × complaints handled well
    cost_overhead: float = 0.0
    costs: float = 0.0
    profit: float = 0.0
    cumulative_profit: float = 0.0
    mean_satisfaction: float = 0.0  # over active customers, in (−1, 1)
    complaints: int = 0
    recoveries: int = 0  # complaints handled well
    retention_contacts: int = 0
    customer_equity: float = 0.0  # Σ estimated lifetime value over active customers
    top20_sales_share: float = 0.0  # share of revenue so far from the top 20% of customers
    top20_profit_share: float = 0.0  # share of customer profit from the top 20% (can exceed 1)
    unprofitable_share: float = 0.0  # share of customers served whose profit so far is < 0
    loyal_customers: int = 0
    mean_knowledge: float = 0.0  # profile accuracy over active customers, [0, 1]
    price: float = 0.0  # list price charged ($ per basket)
    product: float = 0.0  # offer levels at the end of the period ($ per basket)
    service: float = 0.0
    personnel: float = 0.0
    image: float = 0.0
    in_market: bool = True  # the firm was in the market (False before a new entrant enters)


@dataclass(frozen=True)
class MarketBooks:
    """The whole market's results for one period."""

    period: int = 0
    occasions: int = 0  # purchase occasions, including those on which nobody bought
    outside_share: float = 0.0  # occasions on which nobody bought
    mean_expectation: float = 0.0  # customers' mean expected delivered value ($)
    in_category: int = 0  # customers who have not dropped out


FIRM_METRICS = tuple(f.name for f in fields(FirmBooks))
MARKET_METRICS = tuple(f.name for f in fields(MarketBooks))
COST_KINDS = tuple(name for name in FIRM_METRICS if name.startswith("cost_"))
