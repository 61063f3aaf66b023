"""The reference engine's channel layer agrees in distribution with the fast engine's: at 400
customers, 4 stores and 8 periods, Welch t-tests over seeds do not tell the engines apart on
store sales, direct sales, the stores' margin, bonuses and profit; the same test tells apart a
market whose retail margin differs (negative control)."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from sim.model import Market
from sim.reference import ReferenceMarket
from sim.scenarios import load, validate

from conftest import shared_cache

ALPHA = 0.001
OUTCOMES = ("store_units", "direct_units", "retailer_margin", "bonuses", "profit")
STORES = [{"name": f"S{k}", "location": k / 4} for k in range(4)]

# one process: the runs its tests share are computed once
pytestmark = pytest.mark.xdist_group("channel_reference")


def spec(margin: float = 0.25):
    data = load("flagship", ["customers.count=400", "periods=8"]).spec.model_dump(mode="json")
    data["channel"] = {
        "retailers": STORES,
        "contracts": [
            {
                "firm": "ProductCo",
                "mode": "both",
                "margin": 0.2,
                "rebate": 4.0,
                "rebate_threshold": 5,
            },
            {
                "firm": "CustomerCo",
                "mode": "retail",
                "margin": margin,
                "support": 150.0,
                "share_data": True,
                "development_bonus": 8.0,
            },
        ],
    }
    return validate(data, "channel agreement")


@shared_cache
def sample(engine: str, seeds: tuple[int, ...], margin: float = 0.25) -> pd.DataFrame:
    """Per seed and firm: the run's channel totals and total profit."""
    rows = []
    for seed in seeds:
        if engine == "reference":
            market = ReferenceMarket(spec(margin), rng=seed).run()
        else:
            market = Market(spec(margin), rng=seed, record_transactions=False).run()
        totals = market.channel_metrics().groupby("firm")[list(OUTCOMES[:-1])].sum()
        totals["profit"] = market.firm_metrics().groupby("firm")["profit"].sum()
        rows.append(totals.assign(seed=seed))
    return pd.concat(rows)


def smallest_p(reference: pd.DataFrame, vectorised: pd.DataFrame) -> float:
    """The smallest Welch t-test p-value over firms and outcomes that vary."""
    ps = []
    for firm in ("ProductCo", "CustomerCo"):
        for outcome in OUTCOMES:
            a, b = reference.loc[firm, outcome], vectorised.loc[firm, outcome]
            if a.std() > 0 or b.std() > 0:
                ps.append(stats.ttest_ind(a, b, equal_var=False).pvalue)
    return min(ps)


@pytest.mark.slow
def test_the_reference_channel_agrees_in_distribution_with_the_fast_engine():
    reference = sample("reference", tuple(range(8)))
    vectorised = sample("vectorised", tuple(range(1000, 1024)))
    assert (reference.loc["CustomerCo", "direct_units"] == 0).all()  # retail only, both engines
    assert (reference.loc["MarketCo", "store_units"] == 0).all()
    assert smallest_p(reference, vectorised) > ALPHA


@pytest.mark.slow
def test_the_agreement_test_tells_a_different_retail_margin_apart():
    reference = sample("reference", tuple(range(8)))
    other = sample("vectorised", tuple(range(1000, 1024)), margin=0.4)
    assert smallest_p(reference, other) < ALPHA
