"""Each built-in strategy does what its docstring says; strategies are found by name, by
register() and by import path; bad names and parameters are refused with the allowed list."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from sim.model import Market
from sim.model.equations import circular_distance
from sim.scenarios import ScenarioError, validate
from sim.schema import MarketSpec
from sim.strategies import (
    BUILTIN,
    Decision,
    FirmView,
    MarketView,
    Strategy,
    StrategyError,
    StrategyParams,
    build_strategy,
    register,
    registered,
    resolve_params,
    strategy_class,
)

from conftest import market_offers, market_spec

BUILT_IN = (
    "competitor_centric",
    "customer_centric",
    "market_oriented",
    "product_centric",
    "sales_push",
    "static",
)


def document(*firms: dict, periods: int = 12, count: int = 2000, **extra) -> dict:
    return {"periods": periods, "customers": {"count": count}, "firms": list(firms), **extra}


def scenario(*firms: dict, periods: int = 12, count: int = 2000, **extra) -> MarketSpec:
    return market_spec(document(*firms, periods=periods, count=count, **extra))


def firm(name: str, strategy: str, **kw) -> dict:
    params = kw.pop("params", {})
    return {"name": name, "strategy": {"name": strategy, **params}, **kw}


def run_with_decisions(sc: MarketSpec, seed: int = 0) -> tuple[Market, dict[str, list[Decision]]]:
    """Run step by step, keeping every firm's decision of every period."""
    market = Market(sc, rng=seed)
    decisions: dict[str, list[Decision]] = {f.name: [] for f in market.firms}
    for _ in range(sc.periods):
        market.step()
        for f in market.firms:
            decisions[f.name].append(f.decision)
    return market, decisions


def series(market: Market, name: str, metric: str) -> np.ndarray:
    fm = market.firm_metrics()
    return fm[fm["firm"] == name].sort_values("period")[metric].to_numpy()


# --- static ---------------------------------------------------------------------------------


def test_static_keeps_its_initial_offer():
    sc = scenario(
        firm("S", "static", price=123.0, value={"service": 17.0, "personnel": 4.0}),
        firm("P", "product_centric"),
    )
    market, decisions = run_with_decisions(sc)
    for d in decisions["S"]:
        assert (d.price, d.service, d.personnel) == (123.0, 17.0, 4.0)
        assert d.advertising == 0.5 and d.rd == d.crm == d.research == 0.0
        assert d.personalisation == "none" and d.loyalty_discount == 0.0
    assert (series(market, "S", "price") == 123.0).all()
    assert (series(market, "S", "product") == 80.0).all()  # no R&D, no homogenisation


# --- product-centric ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def product_vs_customer() -> tuple[Market, dict[str, list[Decision]]]:
    sc = scenario(
        firm("P", "product_centric", position=0.1),
        firm("C", "customer_centric", position=0.6),
        periods=18,
        count=3000,
        # Rising expectations make customers complain, so complaint handling is exercised.
        experience={"expectation_drift": 1.0},
    )
    return run_with_decisions(sc, seed=2)


def test_product_centric_prices_cost_plus_and_invests_in_product(product_vs_customer):
    market, decisions = product_vs_customer
    product = series(market, "P", "product")
    before = np.r_[80.0, product[:-1]]  # product value when each decision was taken
    unit_cost = 0.4 * before + 0.5 * 20.0 + 0.5 * 10.0
    prices = [d.price for d in decisions["P"]]
    np.testing.assert_allclose(prices, unit_cost * 1.45, rtol=1e-12)
    np.testing.assert_allclose(np.diff(np.r_[80.0, product]), 1.0 * 0.5, rtol=1e-12)  # rd × eff.
    assert product[-1] == pytest.approx(80.0 + 18 * 0.5)
    for d in decisions["P"]:
        assert d.rd == 1.0 and d.crm == 0.0 and d.research == 0.0
        assert d.personalisation == "none" and d.retention_share == 0.0
        assert d.complaint_handling == 0.2
    np.testing.assert_allclose(series(market, "P", "cost_rd"), 1.0 * 3000)
    assert (series(market, "P", "cost_crm") == 0).all()
    assert (series(market, "P", "retention_contacts") == 0).all()


def test_product_centric_pushes_advertising_when_share_falls(product_vs_customer):
    market, decisions = product_vs_customer
    shares = market.firms[0].share_history
    adverts = [d.advertising for d in decisions["P"]]
    assert adverts[0] == pytest.approx(1.5)
    pushed = 0
    for t in range(1, len(adverts)):
        seen = shares[:t]  # the shares known when period t + 1 decided
        if len(seen) >= 2 and seen[-1] < seen[-2]:
            expected = min(4.0, adverts[t - 1] * 1.2)
            pushed += 1
        else:
            expected = adverts[t - 1] + 0.5 * (1.5 - adverts[t - 1])
        assert adverts[t] == pytest.approx(expected, rel=1e-12), t
    assert pushed > 0  # the rule was exercised (its share falls against CustomerCo)
    assert max(adverts) > 1.5


# --- customer-centric -----------------------------------------------------------------------


def test_customer_centric_programmes(product_vs_customer):
    market, decisions = product_vs_customer
    for d in decisions["C"]:
        assert d.personalisation == "individual"
        assert d.crm == 1.5 > 0
        assert d.complaint_handling == 0.9
        assert (d.service, d.personnel) == (30.0, 15.0)  # spec + service and personnel boosts
        assert d.price == pytest.approx((0.4 * 80.0 + 0.5 * 30.0 + 0.5 * 15.0) * 1.45)
        assert d.loyalty_discount == 0.05 and d.tier_share == 0.2 and d.tier_service == 10.0
        assert 0.1 * 0.5**20 <= d.retention_share <= 0.3
    assert series(market, "C", "retention_contacts")[1:].min() > 0


def test_customer_centric_raises_retention_when_equity_falls(product_vs_customer):
    market, decisions = product_vs_customer
    equity = market.firms[1].equity_history
    shares = [d.retention_share for d in decisions["C"]]
    for t in range(1, len(shares)):
        seen = equity[:t]
        if len(seen) >= 2 and seen[-1] < seen[-2]:
            expected = min(0.3, shares[t - 1] + 0.02)
        else:
            expected = shares[t - 1] + 0.5 * (0.1 - shares[t - 1])
        assert shares[t] == pytest.approx(expected, rel=1e-12), t


def test_customer_centric_learns_its_customers(product_vs_customer):
    market, _ = product_vs_customer
    mine = series(market, "C", "mean_knowledge")
    theirs = series(market, "P", "mean_knowledge")
    assert mine[-1] > mine[0] + 0.2  # profiles grow with purchases and CRM
    assert (mine[2:] > theirs[2:] + 0.1).all(), (mine, theirs)
    assert theirs[-1] < 0.3  # base rate only, no CRM


def test_customer_centric_recovers_more_complaints(product_vs_customer):
    """Complaints handled well are Binomial(complaints, handling): CustomerCo's ratio is within
    4 standard errors of 0.9, ProductCo's within 4 of 0.2, and CustomerCo's is higher."""
    market, _ = product_vs_customer
    ratio = {}
    for name, handling in (("C", 0.9), ("P", 0.2)):
        complaints = series(market, name, "complaints").sum()
        recoveries = series(market, name, "recoveries").sum()
        assert complaints >= 50, (name, complaints)
        ratio[name] = recoveries / complaints
        se = np.sqrt(handling * (1 - handling) / complaints)
        assert abs(ratio[name] - handling) < 4 * se, (name, ratio[name])
    assert ratio["C"] > ratio["P"] + 0.4


# --- market-oriented ------------------------------------------------------------------------


def test_market_oriented_tailors_to_segments_and_prices_between_cost_and_rivals():
    sc = market_spec(
        {
            "periods": 6,
            "customers": {
                "count": 2000,
                "segments": [
                    {"name": "a", "share": 0.5, "taste": 0.1},
                    {"name": "b", "share": 0.5, "taste": 0.7},
                ],
            },
            "firms": [
                firm("S1", "static", price=90.0),
                firm("S2", "static", price=130.0),
                firm("M", "market_oriented", position=0.5),
            ],
        }
    )
    market, decisions = run_with_decisions(sc)
    cost_plus = (0.4 * 80.0 + 0.5 * 25.0 + 0.5 * 10.0) * 1.45
    for d in decisions["M"]:
        assert d.personalisation == "segment" and d.research == 0.5
        assert d.service == 25.0 and d.advertising == 1.0 and d.complaint_handling == 0.5
        assert d.price == pytest.approx(0.5 * cost_plus + 0.5 * (90.0 + 130.0) / 2, rel=1e-12)
    np.testing.assert_allclose(series(market, "M", "cost_research"), 0.5 * 2000)
    # Full research budget: each customer is offered their segment's average variant when that
    # is closer than the firm's own position (no individual knowledge is used).
    offers = market_offers(
        market,
        [f.decision for f in market.firms],
        market.relations.active(market.period, sc.experience.lapse_periods),
    )
    c = market.customers
    centre = np.array([0.1, 0.7])[c.segment]
    distance = np.minimum(circular_distance(c.taste, 0.5), circular_distance(c.taste, centre))
    w, s = c.value_weights, c.cost_sensitivities
    m = market.firms[2]
    paid = offers.price[:, 2]
    expected = (
        w[:, 0] * (m.value.product - c.misfit_sensitivity * distance)
        + w[:, 1] * offers.service[:, 2]
        + w[:, 2] * m.value.personnel
        + w[:, 3] * m.value.image
        - (s[:, 0] * paid + s[:, 1] * 5.0 + s[:, 2] * 3.0 + s[:, 3] * 2.0)
    )
    np.testing.assert_allclose(offers.delivered_value[:, 2], expected, rtol=1e-9, atol=1e-9)


# --- sales push -----------------------------------------------------------------------------


def test_sales_push_discounts_newcomers_and_outspends_on_advertising():
    sc = scenario(
        firm("Push", "sales_push"),
        firm("Prod", "product_centric"),
        firm("Cust", "customer_centric"),
        firm("Mkt", "market_oriented"),
        firm("Comp", "competitor_centric"),
        firm("Stat", "static"),
        periods=8,
        experience={"lapse_periods": 2},
    )
    market, decisions = run_with_decisions(sc)
    for t, d in enumerate(decisions["Push"]):
        assert d.first_purchase_discount == 0.2 > 0
        assert d.service == 15.0  # initial 20 − service_cut 5
        assert d.price == pytest.approx((0.4 * 80.0 + 0.5 * 15.0 + 0.5 * 10.0) * 1.3)
        # product_centric escalates from its base (1.5) when its share falls, so compare bases
        rivals = [
            decisions[name][t].advertising for name in decisions if name not in ("Push", "Prod")
        ]
        assert d.advertising == 3.0 > max(rivals)
        assert decisions["Prod"][0].advertising == 1.5
    # Prospects and lapsed customers (no purchase here in the last lapse_periods = 2 periods)
    # pay price × (1 − 0.2) per basket; everyone else pays the list price.
    tx = market.transactions()
    tx = tx[tx["firm"] == "Push"]
    last: dict[int, int] = {}
    kinds = {"prospect": 0, "lapsed": 0, "member": 0}
    for period, group in tx.groupby("period"):
        price = decisions["Push"][period - 1].price
        unit = group["amount"].to_numpy() / market.customers.basket[group["customer"].to_numpy()]
        for customer, paid in zip(group["customer"], unit, strict=True):
            before = last.get(customer)
            kind = "prospect" if before is None else "lapsed" if before <= period - 3 else "member"
            kinds[kind] += 1
            discount = 0.0 if kind == "member" else 0.2
            assert paid == pytest.approx(price * (1 - discount), rel=1e-12), (period, kind)
        for customer in group["customer"]:
            last[customer] = period
    assert min(kinds.values()) >= 20, kinds  # every case was exercised


# --- competitor-centric ---------------------------------------------------------------------


def test_competitor_centric_undercuts_the_cheapest_rival():
    sc = scenario(
        firm("R1", "static", price=90.0),
        firm("R2", "static", price=120.0),
        firm("C", "competitor_centric"),
        periods=8,
    )
    market, decisions = run_with_decisions(sc)
    for d in decisions["C"]:
        assert d.price == pytest.approx(90.0 * 0.97, rel=1e-12)
        assert d.price <= 90.0
        assert d.quality_cut == 0.0
    assert (series(market, "C", "product") == 80.0).all()


def test_competitor_centric_cuts_quality_when_its_floor_binds():
    sc = scenario(
        firm("Cheap", "static", price=30.0),
        firm("C", "competitor_centric", params={"min_product": 74.0}),
        periods=10,
    )
    market, decisions = run_with_decisions(sc)
    product = series(market, "C", "product")
    np.testing.assert_allclose(product, [79, 78, 77, 76, 75, 74, 74, 74, 74, 74])
    before = np.r_[80.0, product[:-1]]
    floor = (0.4 * before + 0.5 * 20.0 + 0.5 * 10.0) * 1.05
    np.testing.assert_allclose([d.price for d in decisions["C"]], floor, rtol=1e-12)
    # The floor keeps it above the rival; the cuts lower its price period after period.
    assert all(d.price > 30.0 for d in decisions["C"])
    assert np.all(np.diff(floor[:6]) < 0)
    assert [d.quality_cut for d in decisions["C"]] == [1.0] * 6 + [0.0] * 4


def test_competitor_centric_price_never_above_the_cheapest_rivals_last_price():
    """Against rivals whose prices move (product-centric R&D raises its cost-plus price), the
    competitor-centric firm prices at or below the cheapest rival's last price while above its
    floor."""
    sc = scenario(
        firm("R", "product_centric"),
        firm("C", "competitor_centric"),
        periods=10,
    )
    _, decisions = run_with_decisions(sc)
    rival_last = [100.0] + [d.price for d in decisions["R"][:-1]]
    for t, d in enumerate(decisions["C"]):
        assert d.price <= rival_last[t] + 1e-9, t


def test_firms_start_with_their_initial_price_visible():
    """Before period 1 a firm's public price is the scenario's price (what rivals see)."""
    market = Market(scenario(firm("A", "static", price=90.0), firm("B", "static")), rng=0)
    assert [f.price for f in market.firms] == [90.0, 100.0]


def test_competitor_centric_sees_rivals_initial_price_in_period_1():
    """Deciding first in period 1, it should undercut the rival's initial (list) price."""
    sc = scenario(firm("C", "competitor_centric"), firm("R", "static", price=90.0), periods=1)
    _, decisions = run_with_decisions(sc)
    assert decisions["C"][0].price == pytest.approx(90.0 * 0.97)
    assert decisions["C"][0].quality_cut == 0.0


def test_decisions_use_rivals_last_period_prices_whatever_the_firm_order():
    """Firms decide simultaneously: a rival's price seen in period t is its price of t − 1, so
    the order of firms in the scenario does not change what anyone sees."""
    sc = scenario(
        firm("R", "product_centric"),
        firm("C", "competitor_centric", params={"undercut": 0.0}),
        periods=5,
    )
    _, decisions = run_with_decisions(sc)
    rival_last = [100.0] + [d.price for d in decisions["R"][:-1]]
    np.testing.assert_allclose([d.price for d in decisions["C"]][1:], rival_last[1:], rtol=1e-12)


# --- finding and configuring strategies -----------------------------------------------------


def test_every_built_in_strategy_is_registered_and_documented():
    assert set(BUILT_IN) <= set(registered())
    assert sorted(BUILTIN) == sorted(BUILT_IN)
    for name in BUILT_IN:
        cls = strategy_class(name)
        assert cls.name == name and (cls.__doc__ or "").strip()
        assert isinstance(build_strategy(name, {}), cls)


def test_unknown_strategy_name_lists_the_allowed_names():
    with pytest.raises(StrategyError) as info:
        build_strategy("greedy", {})
    message = str(info.value)
    assert "unknown strategy 'greedy'" in message
    for name in BUILT_IN:
        assert name in message
    assert "package.module:Class" in message
    # A scenario file is refused when it is validated (the schema only records the name) ...
    greedy = document(firm("A", "greedy"))
    with pytest.raises(
        ScenarioError, match=r"firms\[0\]\.strategy: unknown strategy 'greedy'; allowed: "
    ):
        validate(greedy, "test.toml")
    # ... and a market built from an unchecked spec refuses it too.
    with pytest.raises(StrategyError, match="unknown strategy 'greedy'; allowed: "):
        Market(MarketSpec.model_validate(greedy))


def test_unknown_or_bad_parameters_list_the_allowed_parameters():
    with pytest.raises(StrategyError) as info:
        resolve_params("customer_centric", {"retention_budget": 3})
    message = str(info.value)
    assert "retention_budget: unknown parameter" in message and "'customer_centric'" in message
    for param in ("crm", "complaint_handling", "retention_share", "tier_share", "markup"):
        assert param in message
    with pytest.raises(StrategyError, match=r"markup.*\(parameters: markup, rd, advertising"):
        resolve_params("product_centric", {"markup": -1})
    budget = document(firm("A", "customer_centric", params={"retention_budget": 3}))
    refused = r"firms\[0\]\.strategy: bad parameters for strategy 'customer_centric'"
    with pytest.raises(ScenarioError, match=refused + ".*retention_budget"):
        validate(budget, "test.toml")
    with pytest.raises(StrategyError, match="retention_budget"):
        Market(MarketSpec.model_validate(budget))
    assert resolve_params("static", {"advertising": 2.0}).advertising == 2.0


@pytest.mark.parametrize("value", ["0.5", True, float("nan"), float("inf"), None])
def test_parameters_are_strict_from_python_too(value):
    params = strategy_class("customer_centric").Params
    with pytest.raises(ValidationError):
        params(retention_share=value)
    assert params(retention_share=0.5).retention_share == 0.5
    assert params(crm=2).crm == 2.0  # an integer is a number


def test_a_strategy_without_a_name_is_called_by_its_class_name():
    class Plain(Strategy):
        def decide(self, firm: FirmView, market: MarketView) -> Decision:
            return self.base_decision(firm)

    class Heir(strategy_class("customer_centric")):
        pass

    assert Plain.name == "Plain" and Heir.name == "Heir"
    assert strategy_class("customer_centric").name == "customer_centric"


class Discounter(Strategy):
    """Cost-plus with a thin margin and heavy advertising."""

    name = "test_discounter"

    class Params(StrategyParams):
        markup: float = 0.15

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        return self.base_decision(
            firm, price=firm.unit_cost() * (1 + self.params.markup), advertising=3.0
        )


@pytest.fixture
def discounter(strategy_registry):
    register(Discounter)
    return Discounter


def test_custom_strategy_by_register(discounter):
    assert strategy_class("test_discounter") is Discounter
    sc = scenario(firm("D", "test_discounter", params={"markup": 0.1}), firm("S", "static"))
    market, decisions = run_with_decisions(sc)
    assert all(d.price == pytest.approx(47.0 * 1.1) for d in decisions["D"])
    assert series(market, "D", "purchases").sum() > 0
    with pytest.raises(ScenarioError, match="markup"):
        scenario(firm("D", "test_discounter", params={"markup": "lots"}))


def test_custom_strategy_by_import_path(tmp_path, monkeypatch):
    module = tmp_path / "crmsim_test_strategies_mod.py"
    module.write_text(
        textwrap.dedent(
            """
            from sim.strategies import Strategy, StrategyParams

            class Premium(Strategy):
                name = "premium"

                class Params(StrategyParams):
                    price: float = 150.0

                def decide(self, firm, market):
                    return self.base_decision(firm, price=self.params.price, service=40.0)

            not_a_strategy = 3
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    path = "crmsim_test_strategies_mod:Premium"
    sc = scenario(firm("P", path, params={"price": 140.0}), firm("S", "static"), periods=3)
    market, decisions = run_with_decisions(sc)
    assert [(d.price, d.service) for d in decisions["P"]] == [(140.0, 40.0)] * 3
    assert (series(market, "P", "price") == 140.0).all()
    # The scenario names the strategy by its path; results name it by the class's ``name``.
    assert market.spec.firms[0].strategy.name == path
    assert market.firms[0].strategy_name == "premium"
    assert (series(market, "P", "strategy") == "premium").all()
    with pytest.raises(StrategyError, match="price"):
        resolve_params(path, {"price": "high"})
    with pytest.raises(StrategyError, match="cannot import strategy 'no_such_module_xyz:X'"):
        strategy_class("no_such_module_xyz:X")
    with pytest.raises(StrategyError, match="has no attribute 'Missing'; its strategies: Premium"):
        strategy_class("crmsim_test_strategies_mod:Missing")
    with pytest.raises(StrategyError, match=r"not a subclass of sim\.strategies\.Strategy"):
        strategy_class("crmsim_test_strategies_mod:not_a_strategy")


def test_each_firm_has_its_own_strategy_instance():
    """Strategies keep memory between periods, so two firms must not share one object."""
    sc = scenario(firm("P1", "product_centric"), firm("P2", "product_centric"), periods=2)
    market = Market(sc, rng=0)
    assert market.firms[0].strategy is not market.firms[1].strategy
    assert market.firms[0].strategy.params == market.firms[1].strategy.params


def test_strategy_memory_does_not_leak_between_markets():
    sc = scenario(firm("P", "product_centric"), firm("C", "customer_centric"), periods=6)
    a = Market(sc, rng=3).run().firm_metrics()
    Market(sc, rng=99).run()
    b = Market(sc, rng=3).run().firm_metrics()
    pd.testing.assert_frame_equal(a, b, check_exact=True)
