"""S11 Books: revenue, costs by kind, profit, lifetime values and the period's metrics.

:func:`draw_up` turns what an engine counted for one firm (:class:`FirmTotals`) into its
:class:`~sim.schema.FirmBooks`; both engines use it, so every metric is defined once.
:func:`keep_books` is the vectorised engine's counting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.model.accounts import Accounts, Terms, served_accounts, settle_accounts
from sim.model.blocks import bounds, for_each, run_blocks
from sim.model.channel.settlement import ChannelTake
from sim.model.firms import Firm
from sim.model.lifetime_value import LifetimeValues
from sim.model.population import Relationships, Stage
from sim.model.submodels.choice import Purchases
from sim.schema import Economics, FirmBooks
from sim.strategies import Decision


def read_books(owner: Any, name: str) -> float:
    """One entry of the books of a firm or a market (its ``books`` attribute)."""
    return getattr(owner.books, name)


def book_reporters(names: tuple[str, ...]) -> dict[str, partial]:
    """Mesa DataCollector reporters, one per name, that read it from an object's ``books``."""
    return {name: partial(read_books, name=name) for name in names}


def top_share(values: NDArray[np.float64], fraction: float = 0.2) -> float:
    """Share of the total of ``values`` held by the top ``fraction`` of them (the 80/20 rule).

    Values may be negative (customer profit): the share then exceeds 1 when the rest together
    lose money (the whale curve). NaN when the total is not positive.
    """
    total = values.sum()
    if values.size == 0 or total <= 0:
        return float("nan")
    k = max(1, math.ceil(fraction * values.size))
    kth = np.partition(values, values.size - k)[values.size - k]  # the k-th largest value
    above = values[values > kth]  # in the values' own order: the sum's bits depend on no
    top = above.sum() + (k - above.size) * kth  # sorting algorithm (numpy's partition varies)
    return float(top / total)


@dataclass(frozen=True)
class Concentration:
    """How one firm's sales and profit are spread over the customers it has ever served."""

    top20_sales: float  # share of revenue from the top 20% of customers by revenue
    top20_profit: float  # share of customer profit from the top 20% by profit (can exceed 1)
    unprofitable: float  # share of customers whose profit so far is negative


def concentration(
    revenue: NDArray[np.float64], margin: NDArray[np.float64], cost: NDArray[np.float64]
) -> list[Concentration]:
    """Each firm's concentration over the customers it has served (``revenue`` > 0), from each
    pair's cumulative revenue, margin and cost to serve ($, (N, F): a column per firm);
    customer profit = margin − cost to serve."""
    kept, profit, start = served_accounts(revenue, margin, cost)

    def spread(j: int) -> Concentration:  # the firms at once in a big market
        served = profit[start[j] : start[j + 1]]
        return Concentration(
            top20_sales=top_share(kept[start[j] : start[j + 1]]),
            top20_profit=top_share(served),
            unprofitable=np.count_nonzero(served < 0) / served.size if served.size else math.nan,
        )

    return for_each(spread, range(start.size - 1), revenue.shape[0])


class RepeatCohorts:
    """Retention by cohort: each period's buyers of each firm, and how many of them buy from
    the same firm again within ``lapse`` periods. A cohort's rate is known ``lapse`` periods on."""

    def __init__(self, f: int, lapse: int) -> None:
        self.f, self.lapse = f, lapse
        self.buyers: dict[int, NDArray[np.int64]] = {}
        self.repeat: dict[int, NDArray[np.int64]] = {}

    def record(self, period: int, previous: NDArray[np.int64], firm: NDArray[np.int64]) -> None:
        """Buying pairs of this period (all at once, or a few at a time): for each, the period
        of its previous purchase (−1 = none) and the firm."""
        zero = np.zeros(self.f, dtype=np.int64)
        self.buyers[period] = self.buyers.get(period, zero) + np.bincount(firm, minlength=self.f)
        self.repeat.setdefault(period, zero.copy())
        back = (previous >= 0) & (period - previous <= self.lapse)
        ago = (period - previous[back]) * self.f + firm[back]  # (periods ago, firm), flat
        repeats = np.bincount(ago, minlength=(self.lapse + 1) * self.f).reshape(-1, self.f)
        for periods_ago in np.flatnonzero(repeats.any(axis=1)):
            self.repeat[period - int(periods_ago)] += repeats[periods_ago]

    def complete(self, period: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Buyers and repeat buyers of the cohort whose window closes this period (period − lapse);
        zeros before any has closed."""
        cohort = period - self.lapse
        zero = np.zeros(self.f, dtype=np.int64)
        return self.buyers.get(cohort, zero), self.repeat.get(cohort, zero)

    def retention_estimate(self, period: int) -> NDArray[np.float64]:
        """Each firm's best estimate of per-period retention: the L-period repeat rate R of the
        latest closed cohort (before one has closed: the first cohort's repeats so far), as the
        per-period rate that compounds to it, R^(1/L); 0.5 where there is no cohort yet."""
        cohort = max(period - self.lapse, min(self.buyers, default=period))
        buyers = self.buyers.get(cohort, np.zeros(self.f, dtype=np.int64))
        repeat = self.repeat.get(cohort, np.zeros(self.f, dtype=np.int64))
        rate = repeat / np.maximum(buyers, 1)
        return np.where(buyers > 0, rate ** (1.0 / self.lapse), 0.5)


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, or NaN when the denominator is 0."""
    return float(numerator / denominator) if denominator else float("nan")


@dataclass(frozen=True)
class FirmTotals:
    """What an engine counts for one firm in one period, before the books are drawn up."""

    customers: int  # active relationships after this period's purchases
    cohort: int  # buyers in period t − lapse_periods (the cohort whose window closes now)
    repeat: int  # of them, those who bought from the firm again within lapse_periods
    won: int  # active now, not at the end of the previous period
    purchases: int
    revenue: float  # $
    cost_goods: float  # $: revenue − margin of the baskets sold
    wallet_here: float  # $ the firm's active customers spent with it
    wallet_all: float  # $ they spent in the category
    satisfaction: float  # Σ satisfaction over active customers
    equity: float  # Σ estimated lifetime value over active customers ($)
    knowledge: float  # Σ profile accuracy over active customers
    complaints: int
    recoveries: int
    contacts: int  # retention contacts
    loyal: int  # pairs in the LOYAL stage
    concentration: Concentration  # of sales and customer profit, so far


def draw_up(
    firm: Firm,
    decision: Decision,
    totals: FirmTotals,
    sold: int,
    occasions: int,
    economics: Economics,
    n: int,
    present: bool,
) -> FirmBooks:
    """One firm's books for the period: costs by kind, profit and every metric.
    ``sold`` is all firms' purchases, ``occasions`` all purchase occasions, ``n`` customers."""
    t, d = totals, decision
    costs = {
        "cost_goods": t.cost_goods,
        "cost_advertising": d.advertising * n,
        "cost_rd": d.rd * n,
        "cost_crm": d.crm * n,
        "cost_research": d.research * n,
        "cost_acquisition": economics.acquisition_cost * t.won,
        "cost_retention": economics.retention_cost * t.contacts,
        "cost_complaints": economics.complaint_cost * t.recoveries,
        "cost_overhead": firm.spec.overhead * n * present,
    }
    total = float(sum(costs.values()))
    profit = float(t.revenue) - total
    return FirmBooks(
        customers=int(t.customers),
        new_customers=int(t.won),
        retained_customers=int(t.repeat),
        lost_customers=int(t.cohort - t.repeat),
        retention_rate=ratio(t.repeat, t.cohort),
        purchases=int(t.purchases),
        market_share=ratio(t.purchases, sold),
        occasion_share=ratio(t.purchases, occasions),
        share_of_wallet=ratio(t.wallet_here, t.wallet_all),
        revenue=float(t.revenue),
        **{k: float(v) for k, v in costs.items()},
        costs=total,
        profit=profit,
        cumulative_profit=firm.books.cumulative_profit + profit,
        mean_satisfaction=ratio(t.satisfaction, t.customers),
        complaints=int(t.complaints),
        recoveries=int(t.recoveries),
        retention_contacts=int(t.contacts),
        customer_equity=float(t.equity),
        top20_sales_share=t.concentration.top20_sales,
        top20_profit_share=t.concentration.top20_profit,
        unprofitable_share=t.concentration.unprofitable,
        loyal_customers=int(t.loyal),
        mean_knowledge=ratio(t.knowledge, t.customers),
        price=float(d.price),
        product=float(firm.value.product),
        service=float(firm.value.service),
        personnel=float(firm.value.personnel),
        image=float(firm.value.image),
        in_market=bool(present),
    )


def keep_books(
    firms: list[Firm],
    relations: Relationships,
    lifetime: LifetimeValues,
    cohorts: RepeatCohorts,
    purchases: Purchases,
    decisions: list[Decision],
    active_before: NDArray[np.bool_],
    active: NDArray[np.bool_],
    counts: dict[str, NDArray[np.int64]],
    economics: Economics,
    present: NDArray[np.bool_],
    period: int,
    channel: ChannelTake | None = None,
) -> None:
    """Settle the customers' accounts (spend, margin, the acquisition cost of each customer won),
    re-estimate lifetime values and record every firm's books. ``counts`` holds this period's
    per-firm ``contacts``, ``complaints`` and ``recoveries``; ``channel`` what retailers take of
    each firm's revenue (the purchases' margins are then already net of the stores' cut)."""
    r, f = relations, relations.f
    settled = run_blocks(
        settle_accounts,
        bounds(r.n),
        purchases.customer,
        purchases.firm,
        purchases.revenue,
        purchases.margin,
        active,
        active_before,
        r.stage,
        int(Stage.LOYAL),
        Terms(
            economics.margin_smoothing,
            economics.acquisition_cost,
            np.clip(cohorts.retention_estimate(period), 0.01, 0.99),
            economics.discount_rate,
        ),
        Accounts(
            r.spend,
            r.cumulative_revenue,
            r.cumulative_margin,
            r.margin_rate,
            r.cost_to_serve,
            r.trust,
            r.knowledge,
            r.satisfaction,
            lifetime.retention,
            lifetime.value,
        ),
    )
    # the blocks' counts and sums, added block after block
    won, customers, loyal = sum(counts for counts, _ in settled)
    wallet_here, satisfaction, equity, knowledge, wallet_all = sum(sums for _, sums in settled)
    cohort, repeat = cohorts.complete(period)
    sold = np.bincount(purchases.firm, minlength=f)
    revenue = np.bincount(purchases.firm, purchases.revenue, minlength=f).astype(float)
    goods = revenue - np.bincount(purchases.firm, purchases.margin, minlength=f)
    if channel is not None:
        goods -= channel.margin
        revenue -= channel.deduction()
    spreads = concentration(r.cumulative_revenue, r.cumulative_margin, r.cost_to_serve)
    for j, (firm, d) in enumerate(zip(firms, decisions, strict=True)):
        totals = FirmTotals(
            customers=customers[j],
            cohort=cohort[j],
            repeat=repeat[j],
            won=won[j],
            purchases=sold[j],
            revenue=revenue[j],
            cost_goods=goods[j],
            wallet_here=wallet_here[j],
            wallet_all=wallet_all[j],
            satisfaction=satisfaction[j],
            equity=equity[j],
            knowledge=knowledge[j],
            complaints=counts["complaints"][j],
            recoveries=counts["recoveries"][j],
            contacts=counts["contacts"][j],
            loyal=loyal[j],
            concentration=spreads[j],
        )
        books = draw_up(
            firm, d, totals, sold.sum(), purchases.occasions, economics, r.n, present[j]
        )
        firm.record(books)
