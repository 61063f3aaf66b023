"""The model's headline findings, checked over several seeds with a stated statistical criterion.

Criterion: the paired (same seed) difference in cumulative profit has a 95% t-interval that
excludes zero in the claimed direction. Runs use 3,000 customers: budgets are per capita, so
results do not depend on market size beyond sampling noise.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.analysis import by_period, compare
from sim.experiments import replicate as replicate_runs
from sim.scenarios import load

from conftest import shared_cache

# one process: the runs its tests share are computed once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("findings")]

SEEDS = range(8)
CUSTOMERS = "customers.count=3000"


@shared_cache
def replicate(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-period metrics and per-run summary of a shipped scenario over SEEDS."""
    scenario = load(name, [CUSTOMERS]).spec
    return replicate_runs(scenario, SEEDS)


@pytest.fixture(scope="module")
def flagship() -> tuple[pd.DataFrame, pd.DataFrame]:
    return replicate("flagship")


def test_customer_centric_wins_when_products_grow_alike(flagship):
    _, summary = flagship
    result = compare(summary, "cumulative_profit", "CustomerCo", "ProductCo")
    assert result["distinguishable"] and result["difference"] > 0, result


def test_product_centric_leads_first_and_is_overtaken_between_months_20_and_45(flagship):
    metrics, _ = flagship
    profit = by_period(metrics, "cumulative_profit")
    ahead = profit["CustomerCo"] > profit["ProductCo"]
    assert not ahead.loc[6:15].any(), "ProductCo should lead in months 6-15"
    overtaken = ahead.loc[ahead.index.max() :: -1].idxmin() + 1  # first month of the final lead
    assert 20 <= overtaken <= 45, overtaken
    assert ahead.loc[overtaken:].all()


def test_customer_centric_retains_better_in_the_flagship(flagship):
    _, summary = flagship
    result = compare(summary, "mean_retention_rate", "CustomerCo", "ProductCo")
    assert result["distinguishable"] and result["difference"] > 0, result


def test_product_centric_wins_when_products_stay_different():
    _, summary = replicate("differentiated")
    result = compare(summary, "cumulative_profit", "ProductCo", "CustomerCo")
    assert result["distinguishable"] and result["difference"] > 0, result


LESSONS = {
    # scenario: (firm that earns more cumulative profit and retains better, the other firm)
    "retention_economics": ("Keeper", "Hunter"),
    "core_customers": ("Tiered", "Flat"),
    "complaints_recovery": ("Listener", "Deaf"),
    "word_of_mouth": ("Quiet", "Loud"),
    "price_war": ("CustomerCo", "RivalA"),
    "loyalty_programme": ("Member", "NoCard"),
}


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_each_teaching_scenario_shows_its_lesson(name):
    winner, other = LESSONS[name]
    _, summary = replicate(name)
    for metric in ("cumulative_profit", "mean_retention_rate"):
        result = compare(summary, metric, winner, other)
        assert result["distinguishable"] and result["difference"] > 0, (metric, result)
