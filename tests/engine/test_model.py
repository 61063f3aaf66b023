"""The market model (sim.model): determinism, accounting invariants, the choice step against the
logit formula, expectations, dropout, and what happens when a strategy misbehaves."""

from __future__ import annotations

import copy
import hashlib
import subprocess
import sys
import textwrap
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.model import Market
from sim.model.books import concentration, top_share
from sim.model.equations import circular_distance, delivered_value, logit_shares
from sim.model.submodels.choice import choose, option_at, shop, shopping_occasions
from sim.scenarios import load
from sim.schema import COST_KINDS, FIRM_METRICS, MARKET_METRICS, MarketSpec
from sim.strategies import Decision, Strategy, StrategyError, register

from conftest import ROOT, market_decisions, market_offers, market_spec

MINIMAL = {
    "periods": 12,
    "customers": {"count": 2000},
    "firms": [
        {"name": "A", "strategy": {"name": "static"}},
        {"name": "B", "strategy": {"name": "customer_centric"}},
    ],
}


def minimal(**changes) -> MarketSpec:
    return market_spec({**copy.deepcopy(MINIMAL), **changes})


def metrics_hash(market: Market) -> str:
    return hashlib.sha256(market.firm_metrics().to_csv(index=False).encode()).hexdigest()


# --- determinism ----------------------------------------------------------------------------


def test_same_seed_gives_identical_results():
    sc = minimal()
    a, b = Market(sc, rng=42).run(), Market(sc, rng=42).run()
    pd.testing.assert_frame_equal(a.firm_metrics(), b.firm_metrics(), check_exact=True)
    pd.testing.assert_frame_equal(a.market_metrics(), b.market_metrics(), check_exact=True)
    pd.testing.assert_frame_equal(a.transactions(), b.transactions(), check_exact=True)
    assert len(a.transactions()) > 1000


def test_same_seed_gives_identical_results_in_a_separate_process():
    script = textwrap.dedent(
        f"""
        import hashlib
        from sim.model import Market
        from sim.schema import MarketSpec
        market = Market(MarketSpec.model_validate({MINIMAL!r}), rng=42).run()
        csv = market.firm_metrics().to_csv(index=False)
        print(hashlib.sha256(csv.encode()).hexdigest())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == metrics_hash(Market(minimal(), rng=42).run())


def test_different_seeds_give_different_results():
    sc = minimal()
    a, b = Market(sc, rng=1).run(), Market(sc, rng=2).run()
    assert metrics_hash(a) != metrics_hash(b)
    ra = a.firm_metrics()["revenue"].to_numpy()
    rb = b.firm_metrics()["revenue"].to_numpy()
    assert not np.array_equal(ra, rb)
    assert not a.transactions()["amount"].equals(b.transactions()["amount"])


def test_seed_accepts_a_generator():
    sc = minimal(periods=3)
    a = Market(sc, rng=np.random.default_rng(5)).run()
    b = Market(sc, rng=np.random.default_rng(5)).run()
    pd.testing.assert_frame_equal(a.firm_metrics(), b.firm_metrics(), check_exact=True)


def test_runs_with_neighbouring_seeds_are_independent():
    """Criterion: over seeds 0..19 the final market share of the customer-centric firm takes 20
    distinct values, and the lag-1 Pearson correlation between the outcomes of seeds s and s+1 has
    |r| < 0.6 (for 19 independent pairs |r| ≥ 0.6 has p ≈ 0.007), as does the rank correlation of
    outcome with seed number (no drift with the seed)."""
    sc = minimal(periods=6, customers={"count": 1000})
    shares = []
    for seed in range(20):
        fm = Market(sc, rng=seed).run().firm_metrics()
        shares.append(fm.query("firm == 'B' and period == 6")["market_share"].item())
    shares = np.array(shares)
    assert len(np.unique(shares)) == 20
    assert shares.std() > 0.005  # seeds really change the outcome, not just its last digits
    r_lag = np.corrcoef(shares[:-1], shares[1:])[0, 1]
    assert abs(r_lag) < 0.6, r_lag
    rho = stats.spearmanr(np.arange(20), shares).statistic
    assert abs(rho) < 0.6, rho


# --- invariants -----------------------------------------------------------------------------


def rich_scenario() -> MarketSpec:
    """Every strategy, two segments (one with dropout), short lapse so customers are lost."""
    doc = load("flagship", ["customers.count=3000", "periods=24"]).spec.model_dump()
    doc["experience"]["lapse_periods"] = 2
    doc["customers"]["segments"][0]["dropout"] = {"a": 1.0, "b": 40.0}
    doc["firms"] += [
        {"name": "PushCo", "strategy": {"name": "sales_push"}, "position": 0.8},
        {"name": "CheapCo", "strategy": {"name": "competitor_centric"}, "position": 0.3},
        {"name": "StaticCo", "strategy": {"name": "static"}, "position": 0.6},
    ]
    return market_spec(doc)


@pytest.fixture(scope="module")
def rich() -> Market:
    return Market(rich_scenario(), rng=11).run()


def test_results_have_every_metric_for_every_period_and_firm(rich):
    fm, mm = rich.firm_metrics(), rich.market_metrics()
    assert set(FIRM_METRICS) <= set(fm.columns)
    assert set(MARKET_METRICS) <= set(mm.columns)
    assert len(fm) == 24 * 6 and len(mm) == 24
    assert sorted(fm["period"].unique()) == list(range(1, 25))
    assert mm["period"].tolist() == list(range(1, 25))
    assert fm.groupby("period")["firm"].nunique().eq(6).all()


def test_retention_follows_each_cohort_in_the_transaction_log(rich):
    """Cohort retention, recomputed from the transaction log: of the pairs that bought in period
    t − L, those who bought from the same firm again within L periods are retained at t, the rest
    lost; before t = L + 1 no cohort has closed (NaN rate, no counts)."""
    lapse = rich.spec.experience.lapse_periods
    log = rich.transactions()[["customer", "firm", "period"]].drop_duplicates()
    fm = rich.firm_metrics().set_index(["firm", "period"])
    bought = {(f, t): set(g["customer"]) for (f, t), g in log.groupby(["firm", "period"])}
    for firm in fm.index.levels[0]:
        for t in range(1, rich.spec.periods + 1):
            row = fm.loc[(firm, t)]
            cohort = bought.get((firm, t - lapse), set())
            again = set().union(
                *(bought.get((firm, t - lapse + k), set()) for k in range(1, lapse + 1))
            )
            assert row["retained_customers"] == len(cohort & again), (firm, t)
            assert row["lost_customers"] == len(cohort - again), (firm, t)
            if cohort:
                assert row["retention_rate"] == pytest.approx(len(cohort & again) / len(cohort))
            else:
                assert np.isnan(row["retention_rate"]), (firm, t)
    assert fm["lost_customers"].sum() > 0 and fm["retained_customers"].sum() > 0


def test_active_customers_flow(rich):
    """Active customers now = active before + won − those whose last purchase fell out of the
    lapse window; new customers are never negative."""
    lapse = rich.spec.experience.lapse_periods
    log = rich.transactions()[["customer", "firm", "period"]].drop_duplicates()
    fm = rich.firm_metrics().set_index(["firm", "period"])
    for (firm, t), row in fm.iterrows():
        window = log[(log.firm == firm) & (log.period > t - lapse) & (log.period <= t)]
        assert row["customers"] == window["customer"].nunique(), (firm, t)
    assert (fm["new_customers"] >= 0).all() and fm["new_customers"].sum() > 0


def test_shares_add_up(rich):
    fm, mm = rich.firm_metrics(), rich.market_metrics().set_index("period")
    occasion = fm.groupby("period")["occasion_share"].sum()
    np.testing.assert_allclose(occasion + mm["outside_share"], 1.0, rtol=0, atol=1e-9)
    bought = fm.groupby("period")["purchases"].sum()
    assert (bought > 0).all()
    np.testing.assert_allclose(fm.groupby("period")["market_share"].sum(), 1.0, atol=1e-9)
    np.testing.assert_allclose(
        fm["occasion_share"] * fm["period"].map(mm["occasions"]), fm["purchases"], rtol=1e-9
    )


def test_books_balance(rich):
    fm = rich.firm_metrics()
    scale = fm[["revenue", "costs"]].abs().max(axis=1).clip(lower=1.0)
    assert ((fm["revenue"] - fm["costs"] - fm["profit"]).abs() <= 1e-6 * scale).all()
    assert ((fm[list(COST_KINDS)].sum(axis=1) - fm["costs"]).abs() <= 1e-6 * scale).all()
    for firm, g in fm.groupby("firm"):
        g = g.sort_values("period")
        np.testing.assert_allclose(
            g["cumulative_profit"], g["profit"].cumsum(), rtol=1e-9, err_msg=firm
        )
    # Every cost kind is exercised by some firm in this market.
    spent = fm[list(COST_KINDS)].sum()
    assert (spent > 0).all(), spent[spent <= 0]


def test_transactions_sum_to_revenue(rich):
    tx = rich.transactions()
    fm = rich.firm_metrics().set_index(["period", "firm"])
    per = tx.groupby(["period", "firm"])["amount"].sum()
    revenue = fm["revenue"]
    np.testing.assert_allclose(per.reindex(revenue.index, fill_value=0.0), revenue, rtol=1e-9)
    counts = tx.groupby(["period", "firm"]).size()
    np.testing.assert_array_equal(counts.reindex(revenue.index, fill_value=0), fm["purchases"])
    assert (tx["amount"] > 0).all()
    assert tx["customer"].between(0, 2999).all()


def test_metrics_stay_in_range(rich):
    fm, mm = rich.firm_metrics(), rich.market_metrics()
    n = rich.spec.customers.count
    assert fm["customers"].between(0, n).all() and (fm["customers"].max() > 0)
    for col in ("market_share", "share_of_wallet", "occasion_share", "unprofitable_share"):
        values = fm[col].dropna()
        assert len(values) > 0.8 * len(fm), col
        assert values.between(0.0, 1.0).all(), col
    lapse = rich.spec.experience.lapse_periods  # cohort retention is known from t = L + 1
    retention = fm.loc[fm["period"] > lapse, "retention_rate"].dropna()
    assert len(retention) > 0.8 * (fm["period"] > lapse).sum()
    assert retention.between(0.0, 1.0).all() and retention.nunique() > 10
    assert fm.loc[fm["period"] <= lapse, "retention_rate"].isna().all()
    sales = fm["top20_sales_share"].dropna()
    assert len(sales) > 0.8 * len(fm)
    assert sales.between(0.2, 1.0).all(), sales.min()
    profit = fm["top20_profit_share"].dropna()  # above 1 when the rest lose money (whale curve)
    assert (profit >= 0.2).all() and profit.max() > 1.0
    assert mm["outside_share"].between(0, 1).all()
    assert mm["in_category"].between(0, n).all()
    assert fm["mean_knowledge"].dropna().between(0, 1).all()
    assert fm["mean_satisfaction"].dropna().between(-1, 1).all()
    assert (fm["recoveries"] <= fm["complaints"]).all()
    assert (fm["loyal_customers"] <= fm["customers"]).all()


def test_top_share_is_the_pareto_share():
    values = np.r_[np.full(20, 4.0), np.full(80, 0.25)]
    assert top_share(values) == pytest.approx(80.0 / 100.0, rel=1e-12)
    assert np.isnan(top_share(np.array([-1.0, 0.0])))  # no positive total: no share
    assert top_share(np.array([3.0])) == 1.0


def test_top_share_of_profit_exceeds_one_when_the_rest_lose_money():
    """The whale curve: the top 20% earn 150% of the profit when the other 80% lose 50%."""
    values = np.r_[np.full(20, 7.5), np.full(80, -0.625)]
    assert top_share(values) == pytest.approx(150.0 / 100.0, rel=1e-12)


def test_top_share_does_not_depend_on_the_order_partition_leaves_the_top_values_in(monkeypatch):
    """numpy's partition may order the values on either side of the k-th differently from one
    version to the next; the share's bits must not follow (tests/data/flagship_fingerprint.csv)."""
    values = np.random.default_rng(3).lognormal(0.0, 2.0, 5_001) - 2.0
    values[:40] = values[40:80]  # ties around the k-th value as well
    expected = top_share(values)
    partition = np.partition

    def shuffled(a: np.ndarray, kth: int) -> np.ndarray:
        out = partition(a, kth)
        rng = np.random.default_rng(kth)
        out[:kth], out[kth + 1 :] = rng.permutation(out[:kth]), rng.permutation(out[kth + 1 :])
        return out

    monkeypatch.setattr(np, "partition", shuffled)
    assert top_share(values) == expected  # bit for bit
    top = np.sort(values)[-1001:]  # the top 20%: ceil(0.2 · 5,001) values
    assert expected == pytest.approx(top.sum() / values.sum(), rel=1e-12)


def test_concentration_counts_only_customers_served():
    """Per firm (a column each), over the customers the firm has served."""
    revenue = np.array([0.0, 100.0, 10.0, 10.0, 10.0, 10.0])  # customer 0 never bought
    margin = np.array([0.0, 70.0, 6.0, 1.0, 8.0, 5.0])
    cost = np.array([50.0, 10.0, 1.0, 6.0, 3.0, 0.0])  # profit −50, 60, 5, −5, 5, 5
    other = np.r_[0.0, 0.0, 1.0, 0.0, 0.0, 0.0]  # firm 2 served customer 2 only, at a loss
    first, second = concentration(
        np.column_stack([revenue, other]),
        np.column_stack([margin, other]),
        np.column_stack([cost, 2 * other]),
    )
    assert first.top20_sales == pytest.approx(100 / 140)  # top 1 of 5 served
    assert first.top20_profit == pytest.approx(60 / 70)
    assert first.unprofitable == pytest.approx(1 / 5)
    assert second.top20_sales == 1.0 and np.isnan(second.top20_profit)  # profit −1: no share
    assert second.unprofitable == 1.0


def test_top_share_of_equal_values_is_never_below_the_fraction():
    for n in range(1, 60):
        assert top_share(np.ones(n)) >= 0.2 - 1e-12, n


def test_invariants_hold_with_market_wide_word_of_mouth_and_no_network():
    for kind in ("fully_mixed", "none"):
        sc = minimal(periods=8, customers={"count": 1000, "network": {"kind": kind}})
        fm = Market(sc, rng=3).run().firm_metrics()
        assert fm["customers"].between(0, 1000).all() and fm["new_customers"].sum() > 0
        np.testing.assert_allclose(fm.groupby("period")["market_share"].sum(), 1.0, atol=1e-9)


# --- the choice step against the logit formula ---------------------------------------------


def choice_market(seed: int = 7) -> Market:
    sc = market_spec(
        {
            "periods": 1,
            "customers": {
                "count": 5000,
                "network": {"kind": "none"},
                "segments": [
                    {"name": "a", "share": 0.5, "purchase_rate": 5.0, "taste": 0.2},
                    {"name": "b", "share": 0.5, "purchase_rate": 5.0, "taste": 0.7},
                ],
            },
            "choice": {"trust_weight": 0.0, "switching_cost": 0.0, "outside_value": 5.0},
            "firms": [
                {
                    "name": name,
                    "strategy": {"name": "static"},
                    "price": price,
                    "position": position,
                    "initial_awareness": 1.0,
                }
                for name, price, position in (("A", 100, 0.2), ("B", 95, 0.5), ("C", 110, 0.7))
            ],
        }
    )
    market = Market(sc, rng=seed)
    market.period = 1
    return market


def test_offers_are_kotler_delivered_value_without_relationships():
    market = choice_market()
    decisions = market_decisions(market)
    active = market.relations.active(0, market.spec.experience.lapse_periods)
    assert not active.any()
    offers = market_offers(market, decisions, active)
    c = market.customers
    for j, firm in enumerate(market.firms):
        misfit = c.misfit_sensitivity * circular_distance(c.taste, firm.position)
        v, k = firm.value, firm.costs
        levels = np.column_stack(
            [v.product - misfit] + [np.full(c.count, x) for x in (v.service, v.personnel, v.image)]
        )
        costs = np.column_stack(
            [np.full(c.count, firm.price)]
            + [np.full(c.count, x) for x in (k.time, k.energy, k.psychic)]
        )
        expected = delivered_value(levels, costs, c.value_weights, c.cost_sensitivities)
        np.testing.assert_allclose(offers.delivered_value[:, j], expected, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(offers.utility[:, j], expected, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(offers.price[:, j], firm.price)


def test_occasions_are_poisson_by_inversion_and_above_the_limit_by_numpy():
    """Occasions per customer follow Poisson(rate · the period's multiplier): Pearson chi-square
    over the counts 0…K (K pooling the tail) at rates 0.05, 1, 4 and 25 (inverted) and 60 (numpy's
    draw), 40,000 customers each, p > 0.001; a rate 3% higher is rejected at 4 (p < 1e-6), so
    the test has power; customers out of the category get 0."""
    rates = np.repeat([0.05, 1.0, 4.0, 25.0, 60.0], 40_000)
    everyone = np.ones(rates.size, bool)
    c = SimpleNamespace(purchase_rate=rates, in_category=everyone, count=rates.size)
    drawn = shopping_occasions(c, SimpleNamespace(purchase_rate=1.0), np.random.default_rng(11))

    def p_value(counts: np.ndarray, rate: float) -> float:
        top = int(stats.poisson.ppf(0.999, rate))
        observed = np.bincount(np.minimum(counts, top), minlength=top + 1)
        expected = stats.poisson.pmf(np.arange(top + 1), rate) * counts.size
        expected[-1] = stats.poisson.sf(top - 1, rate) * counts.size
        return stats.chisquare(observed, expected).pvalue

    for rate in (0.05, 1.0, 4.0, 25.0, 60.0):
        assert p_value(drawn[rates == rate], rate) > 0.001, rate
    assert p_value(drawn[rates == 4.0], 4.12) < 1e-6
    c.in_category[::2] = False
    c.purchase_rate = np.full(rates.size, 50.0)
    again = shopping_occasions(c, SimpleNamespace(purchase_rate=1.0), np.random.default_rng(2))
    assert (again[::2] == 0).all() and again[1::2].min() > 20


def shop_alone(occasions: int, utility: np.ndarray, dropout: float, seed: int = 0):
    """:func:`shop` for one customer (outside value 23, noise 5, basket 1, price 10, unit cost
    4): (occasions kept, firms bought from, revenue, margin, purchases per firm, leaving)."""
    one, edges = np.zeros(1, dtype=np.intp), np.array([0, 1])
    price, cost = np.full((1, 3), 10.0), np.full((1, 3), 4.0)
    customer, firm = np.empty(occasions, np.int64), np.empty(occasions, np.int64)
    revenue, margin = np.empty(occasions), np.empty(occasions)
    count, leaving = np.zeros((1, 3), np.int32), np.zeros(1, np.bool_)
    kept, sold = shop(
        0, 1, np.random.default_rng(seed), edges, np.zeros(1, np.int64), one,
        np.array([occasions]), utility, one, 23.0, 5.0, np.array([dropout]), np.ones(1), price,
        cost, customer, firm, revenue, margin, count, leaving,
    )  # fmt: skip
    assert (customer[:sold] == 0).all()
    return (
        kept,
        firm[:sold].tolist(),
        revenue[:sold].tolist(),
        margin[:sold].tolist(),
        count.tolist(),
        bool(leaving[0]),
    )


def test_each_occasion_takes_the_option_its_uniform_draw_falls_on():
    """One uniform number per occasion is inverted through the logit shares' distribution
    function (firms in order, the outside option last): numbers inside each option's interval
    pick it, the last number still inside an interval picks it, and an unknown firm (utility
    −inf) has an empty interval."""
    utility = np.array([20.0, -np.inf, 26.0])
    shares = logit_shares(np.append(utility, 23.0), 5.0)
    running = np.cumsum(np.exp((np.append(utility, 23.0) - 26.0) / 5.0))
    total = running[-1]
    np.testing.assert_allclose(running / total, np.cumsum(shares))
    edges = running / total
    middles = (np.append(0.0, edges[:-1]) + edges) / 2
    assert [option_at(running, u * total) for u in middles] == [0, 2, 2, 3]
    assert option_at(running, np.nextafter(running[0], 0.0)) == 0
    assert option_at(running, np.nextafter(running[2], 0.0)) == 2
    assert option_at(running, running[2]) == 3


def test_a_shopper_leaves_after_a_purchase_with_its_dropout_chance():
    """With dropout 1 a customer leaves after its first purchase and its later occasions do not
    happen; with dropout 0 every occasion happens; a customer who buys from firm 2 (utility 60,
    far above the rest) pays price 10 with margin 6."""
    utility = np.array([[20.0, -np.inf, 60.0]])
    kept, firms, revenue, margin, count, leaving = shop_alone(5, utility, 1.0)
    assert (kept, firms, revenue, margin, count, leaving) == (
        1, [2], [10.0], [6.0], [[0, 0, 1]], True,
    )  # fmt: skip
    kept, firms, _, _, count, leaving = shop_alone(5, utility, 0.0)
    assert (kept, firms, count, leaving) == (5, [2] * 5, [[0, 0, 5]], False)


def test_purchases_before_leaving_are_geometric():
    """After each purchase a customer leaves with chance p: over 20,000 customers with 40
    occasions each and a sure choice, purchases before leaving have the Geometric(p) mean 1/p
    (p = 0.25: 4, within 3 standard errors) and Pr(1 purchase) = p within 3 standard errors."""
    n, p = 20_000, 0.25
    utility = np.tile([20.0, -np.inf, 60.0], (n, 1))
    who = np.arange(n, dtype=np.intp)
    edges = np.array([0, n])
    occasions = np.full(n, 40)
    out = [np.empty(40 * n, np.int64), np.empty(40 * n, np.int64)]
    money = [np.empty(40 * n), np.empty(40 * n)]
    count, leaving = np.zeros((n, 3), np.int32), np.zeros(n, np.bool_)
    shop(
        0, n, np.random.default_rng(3), edges, np.zeros(1, np.int64), who, occasions, utility,
        who, 23.0, 5.0, np.full(n, p), np.ones(n), np.full((n, 3), 10.0), np.full((n, 3), 4.0),
        *out, *money, count, leaving,
    )  # fmt: skip
    bought = count[:, 2]
    assert leaving.mean() > 0.999
    assert abs(bought.mean() - 1 / p) < 3 * np.sqrt((1 - p) / p**2 / n)
    assert abs((bought == 1).mean() - p) < 3 * np.sqrt(p * (1 - p) / n)


def logit_cells(market: Market, noise_factor: float = 1.0):
    """Observed and expected choices, in cells of (decile of P(A)) × (A, B, C, outside)."""
    decisions = market_decisions(market)
    active = market.relations.active(0, market.spec.experience.lapse_periods)
    offers = market_offers(market, decisions, active)
    ch = market.spec.choice
    options = np.column_stack([offers.utility, np.full(market.customers.count, ch.outside_value)])
    p = logit_shares(options, ch.noise * noise_factor)
    # choose() first draws each customer's Poisson number of occasions; replay that draw.
    occasions = shopping_occasions(market.customers, market.conditions, copy.deepcopy(market.rng))
    purchases = choose(market.customers, offers, market.spec.choice, market.conditions, market.rng)
    assert purchases.occasions == occasions.sum() >= 20_000
    bought = purchases.count
    assert (bought.sum(axis=1) <= occasions).all()  # the replay matches customer by customer
    observed = np.column_stack([bought, occasions - bought.sum(axis=1)])
    expected = occasions[:, None] * p
    group = np.digitize(p[:, 0], np.quantile(p[:, 0], np.linspace(0.1, 0.9, 9)))
    obs = np.array([observed[group == g].sum(axis=0) for g in range(10)]).ravel()
    exp = np.array([expected[group == g].sum(axis=0) for g in range(10)]).ravel()
    sparse = exp < 5  # pool the rare cells into one, as the chi-square approximation needs
    if sparse.any():
        obs = np.append(obs[~sparse], obs[sparse].sum())
        exp = np.append(exp[~sparse], exp[sparse].sum())
    return obs, exp


def test_choices_follow_the_logit_probabilities():
    """Chi-square goodness of fit over 40 cells (10 groups of customers by P(A) × 3 firms +
    outside; cells expecting < 5 choices pooled), ≥20,000 occasions: p > 0.001. The same counts
    against probabilities computed with a noise scale 1.3× too large must be rejected
    (p < 1e-6), so the test has power."""
    obs, exp = logit_cells(choice_market(7))
    assert exp.min() >= 5 and len(exp) >= 35  # chi-square approximation is sound
    assert obs.sum() == pytest.approx(exp.sum(), rel=1e-9)
    # Each group's total is fixed by its occasions: 10 constraints, so ddof = 10 − 1.
    assert stats.chisquare(obs, exp, ddof=9).pvalue > 0.001
    obs_wrong, exp_wrong = logit_cells(choice_market(7), noise_factor=1.3)
    assert stats.chisquare(obs_wrong, exp_wrong, ddof=9).pvalue < 1e-6


def test_unaware_customers_never_choose_the_firm():
    market = choice_market(3)
    market.relations.aware[:2500, 0] = False  # first half never heard of A
    decisions = market_decisions(market)
    active = market.relations.active(0, market.spec.experience.lapse_periods)
    offers = market_offers(market, decisions, active)
    assert np.isneginf(offers.utility[:2500, 0]).all()
    purchases = choose(market.customers, offers, market.spec.choice, market.conditions, market.rng)
    assert purchases.count[:2500, 0].sum() == 0
    assert purchases.count[2500:, 0].sum() > 1000


# --- satisfaction and expectations ---------------------------------------------------------


def test_expectations_drift_exactly_when_they_do_not_adapt():
    sc = minimal(
        experience={"expectation_up": 0.0, "expectation_down": 0.0, "expectation_drift": 1.5}
    )
    e = Market(sc, rng=4).run().market_metrics()["mean_expectation"].to_numpy()
    np.testing.assert_allclose(np.diff(e), 1.5, rtol=1e-9)


def test_expectations_start_at_the_best_known_offer_plus_own_offset(monkeypatch):
    """Period 1: E_i = offset_i (segment shift + normal(0, dispersion), drawn at setup) + the
    delivered value of the best offer customer i knows of (of any firm present if none)."""
    import sim.model.market as market_module

    seen = []  # (offers, awareness when they were made) of each period
    real = market_module.personalised_offers

    def record(customers, relations, *rest):
        seen.append((real(customers, relations, *rest), relations.aware.copy()))
        return seen[-1][0]

    monkeypatch.setattr(market_module, "personalised_offers", record)
    sc = minimal(
        experience={"expectation_up": 0.0, "expectation_down": 0.0, "expectation_drift": 0.0},
        customers={
            "count": 2000,
            "segments": [
                {
                    "name": "all",
                    "share": 1.0,
                    "expectation_shift": 7.0,
                    "expectation_dispersion": 4.0,
                }
            ],
        },
    )
    market = Market(sc, rng=8)
    offset = market.customers.expectation.copy()
    market.step()
    offers, aware = seen[0]
    value = np.where(aware, offers.delivered_value, -np.inf).max(axis=1)
    value = np.where(aware.any(axis=1), value, offers.delivered_value.max(axis=1))
    np.testing.assert_allclose(market.customers.expectation, offset + value, rtol=1e-12)
    assert offset.mean() == pytest.approx(7.0, abs=0.3) and offset.std() == pytest.approx(
        4.0, rel=0.06
    )
    assert (~aware.all(axis=1)).any()  # some customers know only some firms


def test_mean_expectation_rises_over_time_with_positive_drift():
    runs = {}
    for drift in (0.0, 1.0):
        sc = minimal(periods=18, experience={"expectation_drift": drift})
        runs[drift] = Market(sc, rng=9).run()
    e = runs[1.0].market_metrics()["mean_expectation"].to_numpy()
    assert np.all(np.diff(e) > 0), e
    assert e[-1] - e[0] > 10  # ≥ 17 periods × $1 of drift, partly offset by adaptation
    # Expectations also adapt to experience; drift adds to that, and the gap keeps growing.
    flat = runs[0.0].market_metrics()["mean_expectation"].to_numpy()
    gap = e - flat
    assert gap[-1] > 5 and gap[-1] > gap[5] > gap[0] > 0, gap


def test_rising_expectations_erode_satisfaction():
    sc = minimal(periods=18, experience={"expectation_drift": 3.0})
    fm = Market(sc, rng=9).run().firm_metrics()
    sat = fm.pivot(index="period", columns="firm", values="mean_satisfaction")
    assert (sat.iloc[-3:].mean() < sat.iloc[:3].mean() - 0.2).all(), sat
    complaints = fm.groupby("period")["complaints"].sum()
    assert complaints.iloc[-3:].sum() > 2 * complaints.iloc[:3].sum()


# --- dropout --------------------------------------------------------------------------------


def test_dropout_shrinks_the_category():
    sc = minimal(
        customers={
            "count": 2000,
            "segments": [{"name": "all", "share": 1.0, "dropout": {"a": 1.0, "b": 9.0}}],
        },
        experience={"expectation_up": 0.0, "expectation_down": 0.0, "expectation_drift": 1.0},
    )
    market = Market(sc, rng=5)
    left_in, expectations = [], []
    for _ in range(sc.periods):
        market.step()
        left_in.append(market.customers.in_category.copy())
        expectations.append(market.customers.expectation.copy())
    mm = market.market_metrics()
    inside = mm["in_category"].to_numpy()
    assert np.all(np.diff(inside) <= 0)
    assert inside[-1] < 0.8 * 2000
    np.testing.assert_array_equal(inside, [x.sum() for x in left_in])
    # Nobody buys after leaving the category.
    tx = market.transactions()
    for t, mask in enumerate(left_in[:-1], start=1):
        gone = np.flatnonzero(~mask)
        assert not tx[(tx["period"] > t) & tx["customer"].isin(gone)].shape[0], t
    # Expectations drift only while a customer is in the category (here they do not adapt).
    in_at_start = np.vstack(left_in[:-1])
    expected = expectations[0] + 1.0 * in_at_start.sum(axis=0)
    np.testing.assert_allclose(market.customers.expectation, expected, rtol=1e-9)
    assert (expected - expectations[0]).min() < sc.periods - 1  # some left before the end


def test_dropout_ends_shopping_inside_the_period():
    """A customer who leaves after a purchase buys nothing more that period: the number of
    purchases before leaving is geometric, so with dropout p the buyers who leave in a period
    made on average fewer purchases than a full period's, and each leaver's last purchase is
    the period's last. Checked against BG/NBD's rule: P(leave after a purchase) = p."""
    p = 0.2
    sc = minimal(
        periods=6,
        customers={
            "count": 4000,
            "segments": [
                {
                    "name": "all",
                    "share": 1.0,
                    "purchase_rate": 4.0,
                    "dropout": {"a": 200.0, "b": 800.0},
                }
            ],
        },
    )
    market = Market(sc, rng=6)
    purchases = leavers = 0
    for _ in range(sc.periods):
        was_in = market.customers.in_category.copy()
        market.step()
        left = was_in & ~market.customers.in_category
        tx = market.transactions()
        now = tx[tx["period"] == market.period]
        purchases += len(now)
        leavers += left.sum()
    # Each purchase ends the customer's stay with chance p (Beta(200, 800): p ≈ 0.2 ± 0.013).
    assert leavers / purchases == pytest.approx(p, abs=0.015)


def test_without_dropout_everyone_stays():
    mm = Market(minimal(), rng=5).run().market_metrics()
    assert (mm["in_category"] == 2000).all()


# --- misbehaving strategies -----------------------------------------------------------------


class _Bad(Strategy):
    """Misbehaves from period ``from_period`` on, in the way named by ``mode``."""

    name = "test_bad"
    mode = "negative_price"
    from_period = 1

    def decide(self, firm, market):
        good = self.base_decision(firm)
        if market.period < self.from_period:
            return good
        match self.mode:
            case "negative_price":
                return replace(good, price=-1.0)
            case "nan_price":
                return replace(good, price=float("nan"))
            case "handling":
                return replace(good, complaint_handling=1.5)
            case "personalisation":
                return replace(good, personalisation="everyone")
            case "raise":
                raise ZeroDivisionError("boom")
            case "none":
                return None
        raise AssertionError(self.mode)


@pytest.fixture
def bad_strategy(strategy_registry):
    def make(mode: str, from_period: int = 1) -> MarketSpec:
        cls = type(
            f"Bad_{mode}",
            (_Bad,),
            {"name": f"test_bad_{mode}", "mode": mode, "from_period": from_period},
        )
        register(cls)
        return market_spec(
            {
                "periods": 5,
                "customers": {"count": 200},
                "firms": [
                    {"name": "Good", "strategy": {"name": "static"}},
                    {"name": "Rogue", "strategy": {"name": cls.name}},
                ],
            }
        )

    return make


@pytest.mark.parametrize(
    ("mode", "field"),
    [
        ("negative_price", "price=-1.0"),
        ("nan_price", "price=nan"),
        ("handling", "complaint_handling=1.5"),
        ("personalisation", "personalisation='everyone'"),
        ("raise", "ZeroDivisionError: boom"),
        ("none", "returned NoneType"),
    ],
)
def test_bad_strategy_output_stops_the_run_with_a_clear_message(bad_strategy, mode, field):
    sc = bad_strategy(mode, from_period=3)
    market = Market(sc, rng=0)
    with pytest.raises(StrategyError) as info:
        market.run()
    message = str(info.value)
    assert "'Rogue'" in message and f"'test_bad_{mode}'" in message, message
    assert field in message, message
    assert "period 3" in message, message
    assert market.period == 3  # it stopped where it went wrong
    assert len(market.firm_metrics()) == 2 * 2  # periods 1-2 were recorded


def test_bad_decision_message_states_the_allowed_range(bad_strategy):
    with pytest.raises(StrategyError, match=r"price=-1\.0 \(allowed: a number from 1e-09 to"):
        Market(bad_strategy("negative_price"), rng=0).run()


def test_decision_problems_lists_every_bad_field():
    d = Decision(price=0.0, service=-1.0, personnel=5.0, loyalty_discount=0.95)
    problems = d.problems()
    assert [p.split("=")[0] for p in problems] == ["price", "service", "loyalty_discount"]
    assert Decision(price=10.0, service=0.0, personnel=0.0).problems() == []
    assert Decision(price=float("inf"), service=0.0, personnel=0.0).problems()
