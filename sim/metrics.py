"""Names and definitions of what the model reports each period, per firm and for the market."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

COST_KINDS = (
    "cost_goods",  # variable cost of baskets sold (product, service, personnel value delivered)
    "cost_advertising",
    "cost_rd",
    "cost_crm",
    "cost_research",
    "cost_acquisition",  # acquisition_cost × customers won
    "cost_retention",  # retention_cost × retention contacts
    "cost_complaints",  # complaint_cost × complaints handled
    "cost_overhead",
)

FIRM_METRICS = (
    "customers",  # active relationships: a purchase within the last lapse_periods periods
    "new_customers",
    "retained_customers",
    "lost_customers",
    "retention_rate",  # retained / customers at the end of the previous period
    "purchases",  # purchase occasions won this period
    "market_share",  # purchases / all purchases in the category
    "occasion_share",  # purchases / all purchase occasions (with the outside option)
    "share_of_wallet",  # own customers' spend here / their spend in the category (客户占有率)
    "revenue",
    *COST_KINDS,
    "costs",
    "profit",
    "cumulative_profit",
    "mean_satisfaction",  # over active customers
    "complaints",
    "recoveries",  # complaints handled well
    "retention_contacts",
    "customer_equity",  # Σ estimated lifetime value over active customers
    "top20_profit_share",  # share of cumulative margin from the top 20% of customers
    "loyal_customers",
    "mean_knowledge",  # profile accuracy over active customers
    "price",
    "product",
    "service",
    "personnel",
    "image",
)

MARKET_METRICS = (
    "period",
    "occasions",
    "outside_share",  # occasions on which nobody bought
    "mean_expectation",
    "in_category",  # customers who have not dropped out
)


def top_share(values: NDArray[np.float64], fraction: float = 0.2) -> float:
    """Share of the total of positive ``values`` held by the top ``fraction`` of them (Pareto)."""
    values = values[values > 0]
    if values.size == 0:
        return float("nan")
    k = max(1, math.ceil(fraction * values.size))
    top = np.partition(values, values.size - k)[values.size - k :]
    return float(top.sum() / values.sum())


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, or NaN when the denominator is 0."""
    return float(numerator / denominator) if denominator else float("nan")
