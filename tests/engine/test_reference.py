"""The per-agent reference engine (sim.reference) against the vectorised engine (sim.model).

Both engines implement the same model but draw their random numbers in a different order, so
they are compared in two ways:

* **Exactly**, where no randomness is involved: the same seed gives the same customers and
  network, the personalised offers (S5) computed from the same state are equal, and word-of-mouth
  exposure (S10) equals the network's.
* **In distribution** over seeds, on the flagship scenario reduced to 400 customers and 24
  periods, and on a variant that exercises the code paths the flagship does not (no
  homogenisation, first-purchase discounts, quality cuts, dropout, fully mixed word of mouth,
  and one event of each kind: new entrant, price war, recession, CRM launch, service outage,
  scandal, sudden product convergence).
  The reference engine runs ``REFERENCE_SEEDS`` seeds, the vectorised engine
  ``VECTORISED_SEEDS`` other seeds (disjoint, so the two samples are independent; the fast
  engine is cheap, so it gets more). For every firm and each of three outcomes (final market
  share, mean retention rate over the run, cumulative profit) a two-sample Welch t-test
  (equal means) and a two-sample Kolmogorov–Smirnov test (equal distributions) must both give
  p > ``ALPHA`` = 0.001.

  Bonferroni: a scenario makes 3 firms × 3 outcomes × 2 tests = 18 comparisons, so if the engines
  agree the chance that it fails anyway is at most 18 × 0.001 = 1.8% (3.6% for both scenarios).
  The seeds are fixed, so the test is deterministic: that risk was taken once, when the seeds
  were chosen, and it is not a flaky test.

  Power (the negative control): the same comparison, with the same samples of the reference
  engine, detects the vectorised engine run with a 30% larger choice noise (choice.noise 13
  instead of 10): 2 pairs at p < 0.001 (Welch 4e-4, KS 2e-5). The noisier sample is the fast
  engine's, so the control costs no reference runs of its own; the noisier runs on the
  reference side instead gave 1 pair (Welch 2e-4). With the vectorised engine as a stand-in
  on both sides (20 against 60 seeds), 30% more noise was detected with 7 of 8 sets of seeds,
  20% more with 3 of 8. Offline checks with more power found no difference beyond chance
  either: flagship at 2,000 customers with 40 seeds per engine, the variant at 1,000 customers
  (2 × 40 seeds) and at 400 customers (300 seeds), on ~15 outcomes per firm (customers, equity,
  satisfaction, knowledge, complaints, loyalty, …); nor did one-period checks from a shared state
  (the vectorised engine's state at periods 3–19 copied into the reference engine, 600–1,500
  single steps each, 80 aggregates per step: the 511 p-values are uniform, KS p = 0.37).

Runtime: the reference engine takes ~1–3 s per run here (40 runs), the vectorised engine
~0.2 s (180 runs); runs go to a 2-process pool, nearly all of the time in the comparisons in
distribution (marked ``slow``).
"""

from __future__ import annotations

import copy
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.model import Market
from sim.model.population import Stage
from sim.reference import ReferenceMarket
from sim.reference.customer import Customer
from sim.scenarios import load
from sim.schema import FIRM_METRICS, MARKET_METRICS
from sim.strategies import Decision

from conftest import market_offers, shared_cache

ALPHA = 0.001
CUSTOMERS, PERIODS = 400, 24
REFERENCE_SEEDS = tuple(range(20))
VECTORISED_SEEDS = tuple(range(10_000, 10_060))
OUTCOMES = ("final_market_share", "mean_retention_rate", "cumulative_profit")

FLAGSHIP: tuple[str, ...] = ()
VARIANT = (  # the paths the flagship does not take
    "homogenisation.rate=0",
    'firms[0].strategy={name="sales_push"}',  # first-purchase discounts, service cut
    'firms[2].strategy={name="competitor_centric", min_margin=0.5}',  # cuts quality every period
    "customers.segments[0].dropout={a=2.0, b=40.0}",
    'customers.network.kind="fully_mixed"',
    "events=["  # one of each kind
    '{kind="new_entrant", period=4, firm="MarketCo"},'
    '{kind="price_war", period=8, duration=4, firm="ProductCo", cut=0.2},'
    '{kind="recession", period=10, duration=6},'
    '{kind="crm_launch", period=12, firm="ProductCo"},'
    '{kind="service_outage", period=14, duration=3, firm="CustomerCo"},'
    '{kind="scandal", period=18, firm="CustomerCo"},'
    '{kind="homogenisation", period=20}]',
)
NOISIER = ("choice.noise=13",)  # negative control: 30% more noise than the flagship's 10

# one process: the runs its tests share are computed once
pytestmark = pytest.mark.xdist_group("reference")


def scenario(overrides: tuple[str, ...], customers: int = CUSTOMERS, periods: int = PERIODS):
    """The flagship scenario with fewer customers and periods, and ``overrides``."""
    return load("flagship", [f"customers.count={customers}", f"periods={periods}", *overrides]).spec


def outcomes(engine: str, overrides: tuple[str, ...], seed: int) -> pd.DataFrame:
    """One run's outcomes per firm (raises on any DeprecationWarning, also in a worker)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        if engine == "reference":
            market = ReferenceMarket(scenario(overrides), rng=seed).run()
        else:
            market = Market(scenario(overrides), rng=seed, record_transactions=False).run()
    by_firm = market.firm_metrics().sort_values("period").groupby("firm", sort=False)
    return pd.DataFrame(
        {
            "seed": seed,
            "final_market_share": by_firm["market_share"].last(),
            "mean_retention_rate": by_firm["retention_rate"].mean(),
            "cumulative_profit": by_firm["cumulative_profit"].last(),
        }
    )


@shared_cache
def sample(engine: str, overrides: tuple[str, ...], seeds: tuple[int, ...]) -> pd.DataFrame:
    """Outcomes of one run per seed, run on two processes."""
    workers = min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        runs = pool.map(outcomes, [engine] * len(seeds), [overrides] * len(seeds), seeds)
        return pd.concat(list(runs))


def p_values(reference: pd.DataFrame, vectorised: pd.DataFrame) -> pd.DataFrame:
    """Welch t-test and Kolmogorov–Smirnov p-values per firm and outcome."""
    rows = []
    for firm in vectorised.index.unique():
        for outcome in OUTCOMES:
            a, b = reference.loc[firm, outcome], vectorised.loc[firm, outcome]
            rows.append(
                {
                    "firm": firm,
                    "outcome": outcome,
                    "reference_mean": a.mean(),
                    "vectorised_mean": b.mean(),
                    "welch_p": stats.ttest_ind(a, b, equal_var=False).pvalue,
                    "ks_p": stats.ks_2samp(a, b).pvalue,
                }
            )
    return pd.DataFrame(rows)


# --- in distribution --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("overrides", [FLAGSHIP, VARIANT], ids=["flagship", "variant"])
def test_engines_agree_in_distribution(overrides):
    table = p_values(
        sample("reference", overrides, REFERENCE_SEEDS),
        sample("vectorised", overrides, VECTORISED_SEEDS),
    )
    worst = table[["welch_p", "ks_p"]].min(axis=1)
    assert (worst > ALPHA).all(), f"the engines differ:\n{table.to_string()}"


@pytest.mark.slow
def test_the_comparison_detects_a_different_choice_noise():
    """Negative control: the test has power against a moderate change in the model (the
    reference engine's flagship sample against the fast engine with 30% more choice noise)."""
    table = p_values(
        sample("reference", FLAGSHIP, REFERENCE_SEEDS),
        sample("vectorised", NOISIER, VECTORISED_SEEDS),
    )
    assert (table["welch_p"] < ALPHA).any(), f"not detected:\n{table.to_string()}"


# --- exactly ----------------------------------------------------------------------------------


class Probe(ReferenceMarket):
    """A reference market that keeps the state the personalised offers (S5) are made from."""

    def top_tiers(self, decisions: list[Decision]) -> list[set[Customer]]:
        tiers = super().top_tiers(decisions)
        self.offer_state = [
            ([copy.copy(rel) for rel in c.relationships], c.last_firm) for c in self.customers
        ]
        return tiers


def test_same_seed_gives_the_same_customers_and_network_in_both_engines():
    sc = scenario(FLAGSHIP, customers=300, periods=1)
    ref, vec = ReferenceMarket(sc, rng=5), Market(sc, rng=5)
    traits = vec.customers
    for name in ("value_weights", "cost_sensitivities"):
        assert np.array_equal([getattr(c, name) for c in ref.customers], getattr(traits, name))
    for name in ("segment", "purchase_rate", "basket", "dropout", "taste", "expectation"):
        assert np.array_equal([getattr(c, name) for c in ref.customers], getattr(traits, name))
    assert (ref.network.adjacency() != vec.network.adjacency()).nnz == 0
    aware = [[rel.aware for rel in c.relationships] for c in ref.customers]
    assert np.array_equal(aware, vec.relations.aware)


@pytest.mark.parametrize("overrides", [FLAGSHIP, VARIANT], ids=["flagship", "variant"])
def test_offers_equal_the_vectorised_offers_for_the_same_state(overrides):
    # period 14: flagship products converging, variant in a recession after a CRM launch
    sc = scenario(overrides, customers=400, periods=14)
    ref = Probe(sc, rng=3).run()
    state = ref.offer_state
    vec = Market(sc, rng=3)  # the same customers (previous test); state copied from ref below
    vec.conditions = ref.conditions
    r = vec.relations
    r.aware = np.array([[rel.aware for rel in rels] for rels, _ in state])
    r.trust = np.array([[rel.trust for rel in rels] for rels, _ in state])
    r.knowledge = np.array([[rel.knowledge for rel in rels] for rels, _ in state])
    r.attachment = np.array([[rel.attachment for rel in rels] for rels, _ in state])
    r.stage = np.array([[rel.stage for rel in rels] for rels, _ in state], dtype=np.int8)
    r.last_firm = np.array([last for _, last in state], dtype=np.int16)
    vec.lifetime.value = np.array([[rel.lifetime_value for rel in rels] for rels, _ in state])
    for theirs, mine in zip(ref.firms, vec.firms, strict=True):
        mine.value, mine.position, mine.price = replace(theirs.value), theirs.position, theirs.price
    active = np.array([[rel.was_active for rel in rels] for rels, _ in state])
    members = (r.stage == Stage.REPEAT) | (r.stage == Stage.LOYAL)  # loyalty discount, lock-in
    assert active.any(axis=0).all() and members.any() and (r.stage == Stage.LAPSED).any()
    assert (r.attachment > 0.1).any()  # delight has attached some customers
    offers = market_offers(vec, [f.decision for f in ref.firms], active)
    for field in ("delivered_value", "price", "service", "unit_cost", "utility"):
        expected = [[getattr(rel.offer, field) for rel in c.relationships] for c in ref.customers]
        np.testing.assert_allclose(getattr(offers, field), expected, rtol=1e-12, atol=1e-9)
    assert np.isinf(offers.utility).any() and (offers.service > 30).any()  # unaware; top tier


def test_firms_follow_the_same_path_through_the_events_in_both_engines():
    """In the variant no strategy's offer depends on random outcomes, so events (S0), imitation
    (S1) and decisions (S2) must give the same prices, products and budgets in every period."""
    sc = scenario(VARIANT, customers=100)
    firm_side = ["period", "firm", "price", "product", "service", "personnel", "image"]
    firm_side += ["cost_advertising", "cost_rd", "cost_crm", "cost_research", "cost_overhead"]
    ref = ReferenceMarket(sc, rng=1).run().firm_metrics()[firm_side]
    vec = Market(sc, rng=2).run().firm_metrics()[firm_side]
    pd.testing.assert_frame_equal(ref, vec, check_exact=True)
    assert vec["product"].nunique() > 5 and (vec["cost_overhead"] == 0).any()  # cuts; entrant


@pytest.mark.parametrize("kind", ["small_world", "fully_mixed", "none"])
def test_word_of_mouth_exposure_equals_the_networks(kind):
    market = ReferenceMarket(scenario((f'customers.network.kind="{kind}"',), customers=60), rng=1)
    said = np.random.default_rng(2).random((60, 3))
    heard = market.hear(said.tolist())
    # the network's exposures are single precision: 24 bits, a relative error below 1e-6
    np.testing.assert_allclose(heard, market.network.exposure(said), rtol=1e-6, atol=1e-7)


def test_reference_runs_are_reproducible_and_report_like_the_vectorised_engine():
    sc = scenario(VARIANT, customers=120, periods=6)
    a, b = ReferenceMarket(sc, rng=9).run(), ReferenceMarket(sc, rng=9).run()
    pd.testing.assert_frame_equal(a.firm_metrics(), b.firm_metrics(), check_exact=True)
    vec = Market(sc, rng=9).run()
    assert list(a.firm_metrics().columns) == ["period", "firm", "strategy", *FIRM_METRICS]
    pd.testing.assert_series_equal(a.firm_metrics().dtypes, vec.firm_metrics().dtypes)
    assert list(a.market_metrics().columns) == list(MARKET_METRICS)
    assert a.firm_metrics()["period"].tolist() == vec.firm_metrics()["period"].tolist()
