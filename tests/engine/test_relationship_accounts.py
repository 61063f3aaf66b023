"""Model 1.1's relationship accounts: cost to serve and customer profit, attachment, cohorts."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import Market
from sim.model.books import RepeatCohorts
from sim.model.submodels.relationships import attachment
from sim.reference import ReferenceMarket
from sim.scenarios import load
from sim.schema import Experience

UNALLOCATED = ("cost_advertising", "cost_rd", "cost_crm", "cost_research", "cost_overhead")


def small_flagship(periods: int = 18, count: int = 600):
    return load("flagship", [f"customers.count={count}", f"periods={periods}"]).spec


def customer_profit(market) -> np.ndarray:
    """(N, F) customer profit from either engine."""
    if isinstance(market, Market):
        return market.relations.customer_profit()
    return np.array(
        [[r.cumulative_margin - r.cost_to_serve for r in c.relationships] for c in market.customers]
    )


@pytest.mark.parametrize("engine", [Market, ReferenceMarket], ids=["vectorised", "reference"])
def test_customer_profit_less_uncharged_costs_is_firm_profit(engine):
    """Σ_i customer profit − the costs charged to no customer = the firm's cumulative profit
    (docs/model.md, S11; with retailers, tests/engine/test_channel.py)."""
    market = engine(small_flagship(), rng=2).run()
    fm = market.firm_metrics()
    profit = customer_profit(market).sum(axis=0)
    for j, firm in enumerate(market.firms):
        rows = fm[fm["firm"] == firm.name]
        unallocated = rows[list(UNALLOCATED)].to_numpy().sum()
        total = rows["cumulative_profit"].iloc[-1]
        assert profit[j] - unallocated == pytest.approx(total, rel=1e-9, abs=1e-6), firm.name
        charged = rows[["cost_acquisition", "cost_retention", "cost_complaints"]].to_numpy().sum()
        assert charged > 0, firm.name


def test_cost_to_serve_charges_every_kind():
    """Acquisition (each customer won), retention contacts and handled complaints all land on
    individual customers: the per-customer charges add up to the booked costs."""
    market = Market(small_flagship(), rng=4).run()
    fm = market.firm_metrics()
    booked = fm.groupby("firm")[["cost_acquisition", "cost_retention", "cost_complaints"]].sum()
    charged = market.relations.cost_to_serve.sum(axis=0)
    for j, firm in enumerate(market.firms):
        assert charged[j] == pytest.approx(booked.loc[firm.name].sum(), rel=1e-12)
    assert (booked > 0).to_numpy().sum() >= 7  # CustomerCo's contacts and complaints included


def test_some_customers_are_unprofitable_and_the_top_earn_most():
    fm = Market(small_flagship(periods=36, count=2000), rng=1).run().firm_metrics()
    last = fm[fm["period"] == 36].set_index("firm")
    assert (last["unprofitable_share"] > 0.1).all()
    assert (last["top20_sales_share"] > 0.5).all()  # CDNOW heterogeneity: unequal spend
    assert (last["top20_profit_share"] > last["top20_sales_share"]).all()


def test_attachment_grows_with_delight_and_breaks_below_adequate():
    x = Experience(attachment_gain=0.3, attachment_decay=0.05, inadequate_attachment_loss=0.5)
    assert attachment(0.0, 1, 0, x) == pytest.approx(0.3)
    assert attachment(0.5, 2, 0, x) == pytest.approx(1 - 0.525 * 0.7**2)
    assert attachment(0.8, 0, 0, x) == pytest.approx(0.76)  # fades
    assert attachment(0.8, 0, 1, x) == pytest.approx(0.38)  # an inadequate purchase breaks half
    held = np.array([[0.0, 0.4], [0.9, 1.0]])
    after = attachment(held, np.array([[3, 0], [0, 1]]), np.array([[0, 1], [0, 0]]), x)
    assert ((after >= 0) & (after <= 1)).all()


def test_delight_attaches_customers_in_a_run():
    market = Market(small_flagship(), rng=3).run()
    r = market.relations
    bought = r.purchases > 0
    assert r.attachment[bought].max() > 0.5 and r.attachment[~bought].max() == 0.0
    assert r.recommendations.sum() > 0 and r.recommendations[~bought].sum() == 0


def test_cohorts_count_repeat_buying_within_the_window():
    cohorts = RepeatCohorts(f=2, lapse=2)
    cohorts.record(1, np.array([-1, -1, -1]), np.array([0, 0, 1]))  # three first purchases
    cohorts.record(2, np.array([1]), np.array([0]))  # one of firm 0's comes back in 1 period
    cohorts.record(3, np.array([-1]), np.array([1]))
    cohorts.record(4, np.array([1, 2]), np.array([1, 0]))  # 3 periods later: too late
    assert [a.tolist() for a in cohorts.complete(2)] == [[0, 0], [0, 0]]  # nothing closed yet
    assert [a.tolist() for a in cohorts.complete(3)] == [[2, 1], [1, 0]]
    assert [a.tolist() for a in cohorts.complete(4)] == [[1, 0], [1, 0]]
    estimate = cohorts.retention_estimate(3)
    assert estimate == pytest.approx([0.5**0.5, 0.0])
    early = RepeatCohorts(f=2, lapse=2)
    early.record(1, np.array([-1, -1]), np.array([0, 0]))
    assert early.retention_estimate(1).tolist() == [0.0, 0.5]  # nobody back yet; no data: 0.5
