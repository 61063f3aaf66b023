"""Each event type does what docs/scenarios.md says, in the periods it says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.model import Market
from sim.scenarios import ScenarioError, validate

from conftest import market_spec


def market(*events: dict, periods: int = 12, count: int = 2000, seed: int = 3) -> Market:
    scenario = market_spec(
        {
            "periods": periods,
            "customers": {"count": count},
            "firms": [
                {"name": "A", "strategy": {"name": "static"}, "position": 0.2},
                {"name": "B", "strategy": {"name": "customer_centric"}, "position": 0.6},
            ],
            "events": list(events),
        }
    )
    return Market(scenario, rng=seed).run()


def series(m: Market, firm: str, metric: str) -> pd.Series:
    df = m.firm_metrics()
    return df[df.firm == firm].set_index("period")[metric]


def test_new_entrant_is_absent_until_it_enters():
    m = market({"kind": "new_entrant", "period": 5, "firm": "B"})
    customers, costs = series(m, "B", "customers"), series(m, "B", "costs")
    assert (customers.loc[:4] == 0).all() and (costs.loc[:4] == 0).all()
    assert customers.loc[5] > 0 and costs.loc[5] > 0
    # before entry the incumbent has the market to itself
    assert (series(m, "A", "market_share").loc[:4] == 1.0).all()


def test_price_war_cuts_the_price_for_its_duration_only():
    base = series(market(), "A", "price")
    war = series(
        market({"kind": "price_war", "period": 4, "duration": 3, "firm": "A", "cut": 0.25}),
        "A",
        "price",
    )
    np.testing.assert_allclose(war.loc[4:6], base.loc[4:6] * 0.75)
    np.testing.assert_allclose(war.loc[[1, 2, 3, 7, 8]], base.loc[[1, 2, 3, 7, 8]])


def test_recession_lowers_purchases_while_it_lasts():
    m = market({"kind": "recession", "period": 5, "duration": 4, "purchase_rate": 0.5})
    occasions = m.market_metrics().set_index("period")["occasions"]
    ratio = occasions.loc[5:8].mean() / occasions.loc[[1, 2, 3, 4, 9, 10, 11, 12]].mean()
    assert 0.4 < ratio < 0.6  # Poisson occasions at half the rate


def test_service_outage_brings_complaints():
    calm = market(periods=8)
    outage = market({"kind": "service_outage", "period": 4, "duration": 3, "firm": "B"}, periods=8)
    assert (
        series(outage, "B", "complaints").loc[4:6].sum()
        > 3 * series(calm, "B", "complaints").loc[4:6].sum()
    )
    assert (series(outage, "A", "complaints") == series(calm, "A", "complaints")).loc[:3].all()


def test_crm_launch_builds_profiles_and_costs_money():
    before = market(periods=8)
    launch = market(
        {"kind": "crm_launch", "period": 5, "firm": "A", "accuracy": 0.4, "running_cost": 1.0},
        periods=8,
    )
    knowledge = series(launch, "A", "mean_knowledge")
    # profiles of at least 0.4, less one month's decay (0.01) for those who do not buy that month
    assert knowledge.loc[4] < 0.2 and knowledge.loc[5] >= 0.4 * (1 - 0.01)
    extra = series(launch, "A", "cost_crm") - series(before, "A", "cost_crm")
    assert (extra.loc[:4] == 0).all()
    np.testing.assert_allclose(extra.loc[5:], 1.0 * 2000)


def test_scandal_hits_image_trust_and_share():
    """Image drops by image_loss; over 6 seeds every run loses share in the scandal month and
    the mean loss is at least 4 points (observed about 5 ± 0.4 points)."""
    event = {"kind": "scandal", "period": 4, "firm": "B", "image_loss": 8.0, "trust_loss": 0.5}
    losses = []
    for seed in range(6):
        calm, scandal = market(periods=5, seed=seed), market(event, periods=5, seed=seed)
        image_drop = series(calm, "B", "image").loc[4] - series(scandal, "B", "image").loc[4]
        assert image_drop == pytest.approx(8.0 * (1 - 0.05))  # lost before this month's decay
        share = (series(m, "B", "market_share").loc[4] for m in (calm, scandal))
        losses.append(next(share) - next(share))
    assert min(losses) > 0 and np.mean(losses) >= 0.04, losses


def test_sudden_homogenisation_closes_the_product_gap():
    m = market({"kind": "homogenisation", "period": 3, "strength": 0.5}, periods=3)
    scenario = market_spec(
        {
            "firms": [
                {"name": "A", "strategy": {"name": "static"}, "value": {"product": 60.0}},
                {"name": "B", "strategy": {"name": "static"}, "value": {"product": 100.0}},
            ],
            "periods": 3,
            "events": [{"kind": "homogenisation", "period": 3, "strength": 0.5}],
        }
    )
    products = (
        Market(scenario, rng=0)
        .run()
        .firm_metrics()
        .pivot(index="period", columns="firm", values="product")
    )
    assert products.loc[2, "A"] == 60.0 and products.loc[3, "A"] == 80.0
    assert len(m.firm_metrics()) == 6


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"kind": "scandal", "period": 2, "firm": "Nobody"}, "names firm 'Nobody'"),
        ({"kind": "earthquake", "period": 2}, "events[0]"),
        ({"kind": "recession", "period": 0}, "events[0].recession.period"),
    ],
)
def test_bad_events_are_named(event, message):
    document = {"firms": [{"name": "A", "strategy": {"name": "static"}}], "events": [event]}
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        validate(document, "test.toml")
