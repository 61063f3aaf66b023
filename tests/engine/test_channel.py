"""The channel layer (#17): retailers between firms and customers. Without retailers nothing
changes; with them every store sale is counted once, the books balance for firms and stores,
and each mechanism (shelf presence, service through stores, stages, effort, dropping) does what
docs/model.md section 7 "Channel" says."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from sim.errors import InputError
from sim.model import Market
from sim.model.channel.partnership import Partnerships, update_partnerships
from sim.model.channel.routing import retail_service, through_stores
from sim.model.channel.stores import home_stores, shelf_presence
from sim.model.channel.terms import contract_terms
from sim.model.equations import circular_distance
from sim.model.population import Relationships
from sim.model.submodels.offers import Offers
from sim.reference import ReferenceMarket
from sim.scenarios import load, validate
from sim.scenarios.loader import spec_hash
from sim.schema import COST_KINDS, Channel

OTHER_COSTS = [k for k in COST_KINDS if k != "cost_goods"]


def flagship(periods: int = 6, count: int = 2000, channel: dict | None = None):
    """A short flagship market, with ``channel`` as its [channel] section if given."""
    document = load("flagship", [f"customers.count={count}", f"periods={periods}"]).spec
    data = document.model_dump(mode="json")
    if channel is not None:
        data["channel"] = channel
    return validate(data, "test flagship")


STORES = [{"name": f"S{k}", "location": k / 8, "overhead": 500.0} for k in range(8)]
CONTRACTS = [
    {"firm": "ProductCo", "mode": "both", "margin": 0.2, "rebate": 4.0, "rebate_threshold": 5},
    {
        "firm": "CustomerCo",
        "mode": "retail",
        "margin": 0.25,
        "support": 150.0,
        "share_data": True,
        "development_bonus": 8.0,
    },
]


@pytest.fixture(scope="module")
def channel_market() -> Market:
    spec = flagship(periods=12, channel={"retailers": STORES, "contracts": CONTRACTS})
    return Market(spec, rng=5).run()


# --- no retailers: nothing changes --------------------------------------------------------------


@pytest.mark.parametrize(
    "channel",
    [{}, {"contracts": [{"firm": "ProductCo", "mode": "both", "rebate": 9.0}]}],
    ids=["empty", "contracts-without-retailers"],
)
def test_a_channel_section_without_retailers_changes_no_number_and_draws_nothing(channel):
    plain = Market(flagship(), rng=11).run()
    with_section = Market(flagship(channel=channel), rng=11).run()
    assert with_section.channel is None
    pd.testing.assert_frame_equal(with_section.firm_metrics(), plain.firm_metrics())
    pd.testing.assert_frame_equal(with_section.market_metrics(), plain.market_metrics())
    pd.testing.assert_frame_equal(with_section.transactions(), plain.transactions())
    # the same random numbers were drawn: the generators are in the same state
    assert with_section.rng.random() == plain.rng.random()


def test_a_market_without_a_channel_dumps_and_hashes_as_before():
    spec = flagship()
    assert "channel" not in spec.model_dump()
    assert spec_hash(spec) != spec_hash(flagship(channel={}))


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "says"),
    [
        ({"contracts": [{"firm": "Nobody"}]}, "channel.contracts[0] names firm 'Nobody'"),
        ({"retailers": [{"name": "A", "carries": ["Nobody"]}]}, "carries names ['Nobody']"),
        ({"contracts": [{"firm": "ProductCo", "mode": "retail"}]}, "no retailer carries it"),
        ({"retailers": [{"name": "A"}, {"name": "A"}]}, "names must be unique"),
        ({"contracts": [{"firm": "ProductCo", "mode": "shop"}]}, "'direct', 'retail' or 'both'"),
    ],
)
def test_bad_channel_input_is_a_clear_error(channel, says):
    with pytest.raises(InputError, match=None) as caught:
        flagship(channel=channel)
    assert says in str(caught.value)


def test_the_reference_engine_keeps_the_same_channel_books_balanced():
    spec = flagship(periods=4, count=300, channel={"retailers": STORES[:3], "contracts": CONTRACTS})
    market = ReferenceMarket(spec, rng=0).run()
    fm = market.firm_metrics().set_index(["period", "firm"])
    cm = market.channel_metrics().set_index(["period", "firm"])
    rm = market.retailer_metrics()
    assert (cm["direct_units"] + cm["store_units"] == fm["purchases"]).all()
    assert (rm.groupby("period")["units"].sum() == cm.groupby("period")["store_units"].sum()).all()
    np.testing.assert_allclose(cm["revenue"], fm["revenue"], rtol=1e-12, atol=1e-6)
    assert cm["store_units"].sum() > 100 and cm["bonuses"].sum() > 0


# --- invariants ---------------------------------------------------------------------------------


def test_units_through_retailers_are_the_customers_purchases_at_them(channel_market):
    fm = channel_market.firm_metrics().set_index(["period", "firm"])
    cm = channel_market.channel_metrics().set_index(["period", "firm"])
    rm = channel_market.retailer_metrics()
    assert (cm["direct_units"] + cm["store_units"] == fm["purchases"]).all()
    per_period = cm.groupby("period")["store_units"].sum()
    assert (rm.groupby("period")["units"].sum() == per_period).all()
    assert per_period.min() > 100  # the stores do sell
    assert (cm.xs("CustomerCo", level="firm")["direct_units"] == 0).all()  # retail only
    assert (cm.xs("MarketCo", level="firm")["store_units"] == 0).all()  # no contract: direct
    both = cm.xs("ProductCo", level="firm")  # both ways: at the store unless it serves worse
    assert both["direct_units"].iloc[0] == 0 and both["direct_units"].sum() > 1000
    assert (both["store_units"].iloc[:5] > 0).all()  # until its stores drop it


def test_the_books_balance_for_every_firm_and_every_store(channel_market):
    fm = channel_market.firm_metrics().set_index(["period", "firm"])
    cm = channel_market.channel_metrics().set_index(["period", "firm"])
    rm = channel_market.retailer_metrics()
    scale = fm["revenue"].abs().max()
    np.testing.assert_allclose(cm["revenue"], fm["revenue"], rtol=1e-12, atol=1e-9 * scale)
    np.testing.assert_allclose(fm[list(COST_KINDS)].sum(axis=1), fm["costs"], atol=1e-6)
    by_channel = cm["direct_contribution"] + cm["store_contribution"]
    np.testing.assert_allclose(
        by_channel - fm[OTHER_COSTS].sum(axis=1), fm["profit"], atol=1e-6 * scale
    )
    # the stores: income = margin + rebates + bonuses; profit = income − overhead
    np.testing.assert_allclose(rm["income"], rm["margin"] + rm["rebates"] + rm["bonuses"])
    np.testing.assert_allclose(rm["profit"], rm["income"] - rm["overhead"])
    assert (rm.groupby("retailer")["profit"].sum() > 0).all()
    # the market: what customers paid = firms' revenue + stores' income + support
    paid = channel_market.transactions().groupby("period")["amount"].sum()
    kept = (
        fm.groupby("period")["revenue"].sum()
        + rm.groupby("period")["income"].sum()
        + cm.groupby("period")["support"].sum()
    )
    np.testing.assert_allclose(kept.to_numpy(), paid.to_numpy(), rtol=1e-10)
    # the stores' side of each kind of payment is the firms' side
    for kind in ("margin", "rebates", "bonuses"):
        firm_side = cm.groupby("period")["retailer_margin" if kind == "margin" else kind].sum()
        np.testing.assert_allclose(rm.groupby("period")[kind].sum(), firm_side, atol=1e-6)
    assert cm["rebates"].sum() > 0 and cm["bonuses"].sum() > 0 and cm["support"].sum() > 0


def test_customer_profit_less_uncharged_costs_and_channel_payments_is_firm_profit(
    channel_market,
):
    fm = channel_market.firm_metrics()
    cm = channel_market.channel_metrics()
    profit = channel_market.relations.customer_profit().sum(axis=0)
    unallocated = ["cost_advertising", "cost_rd", "cost_crm", "cost_research", "cost_overhead"]
    for j, firm in enumerate(channel_market.firms):
        rows, channel = fm[fm["firm"] == firm.name], cm[cm["firm"] == firm.name]
        paid = channel[["rebates", "bonuses", "support"]].to_numpy().sum()
        expected = rows["cumulative_profit"].iloc[-1]
        got = profit[j] - rows[unallocated].to_numpy().sum() - paid
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-6), firm.name


# --- mechanisms ---------------------------------------------------------------------------------


def test_home_stores_are_the_nearest_on_the_circle():
    home = home_stores(np.array([0.05, 0.3, 0.95, 0.6]), np.array([0.0, 0.25, 0.5]))
    assert home.tolist() == [0, 1, 0, 2]


def test_home_stores_agree_with_comparing_every_store_ties_and_shared_places_included():
    rng = np.random.default_rng(0)
    for _ in range(200):
        stores = np.floor(rng.random(rng.integers(1, 30)) * 100) / 100  # shared places too
        people = np.concatenate([rng.random(300), stores, np.floor(rng.random(100) * 100) / 100])
        distance = circular_distance(people[:, None], stores[None, :])
        assert (home_stores(people, stores) == np.argmin(distance, axis=1)).all()


def test_shelf_presence_makes_a_store_s_customers_aware_of_the_brands_it_pushes():
    r = Relationships(4000, 2)
    home = np.repeat([0, 1], 2000)
    push = np.array([[0.3, 0.0], [1.0, 0.1]])  # store 0 does not carry brand 1
    shelf_presence(r, home, push, np.array([True, True]), np.random.default_rng(0))
    aware = [r.aware[home == k].mean(axis=0) for k in (0, 1)]
    assert aware[0][0] == pytest.approx(0.3, abs=0.03) and aware[0][1] == 0
    assert aware[1][0] == 1.0 and aware[1][1] == pytest.approx(0.1, abs=0.02)
    absent = Relationships(100, 2)
    shelf_presence(
        absent, np.zeros(100, int), push, np.array([False, True]), np.random.default_rng(1)
    )
    assert not absent.aware[:, 0].any()  # a firm not yet in the market is not heard of


def test_store_effort_adds_to_or_takes_from_the_service_of_each_brand():
    carries = np.array([[True, True, False]])
    even = retail_service(np.array([10.0]), np.array([[0.5, 0.5, 0.0]]), carries, np.zeros(3), 0.0)
    assert even.tolist() == [[0.0, 0.0, 0.0]]
    pushed = retail_service(
        np.array([10.0]), np.array([[0.8, 0.2, 0.0]]), carries, np.array([2.0, 0.0, 9.0]), 0.0
    )
    assert pushed[0] == pytest.approx([10 * 0.6 + 2, 10 * -0.6, 0.0])


def test_customers_take_each_brand_the_better_way_they_can_reach_it():
    n = 3
    offers = Offers(
        delivered_value=np.zeros((n, 3)),
        price=np.full((n, 3), 50.0),
        service=np.full((n, 3), 4.0),
        unit_cost=np.ones((n, 3)),
        utility=np.array([[1.0, 2.0, 3.0], [1.0, 2.0, -np.inf], [1.0, 2.0, 3.0]]),
    )
    weights = np.zeros((n, 4))
    weights[:, 1] = 0.5  # the service weight
    home = np.array([0, 0, 1])
    extra = np.array([[6.0, -10.0, 0.0], [0.0, 0.0, 0.0]])
    carries = np.array([[True, True, False], [False, True, True]])
    direct = np.array([True, True, False])  # firm 2 sells only through stores
    routed, store = through_stores(offers, weights, home, extra, carries, direct)
    # store 0: brand 0 is better there (+3), brand 1 is worse there (service floored at 0)
    assert store[0].tolist() == [True, False, False]
    assert routed.utility[0].tolist() == [4.0, 2.0, -np.inf]  # brand 2 not reachable
    assert routed.service[0, 0] == 10.0 and routed.service[0, 1] == 4.0
    assert routed.utility[1, 2] == -np.inf  # unaware stays unaware
    # store 1 sells brand 1 at no extra service (a tie goes to the store) and brand 2 (retail only)
    assert store[2].tolist() == [False, True, True] and routed.utility[2].tolist() == [1, 2, 3]


def partnership_run(contract: dict, earned: np.ndarray, periods: int) -> Partnerships:
    """``periods`` periods of one store that carries two brands (A under ``contract``, B with
    no contract terms), earning ``earned`` ($ per period for A and B)."""
    channel = Channel(
        retailers=[{"name": "S"}],
        contracts=[{"firm": "A", **contract}, {"firm": "B"}],
    )
    terms = contract_terms(channel, ["A", "B"])
    state = Partnerships.start(np.array([[True, True]]))
    for _ in range(periods):
        update_partnerships(state, earned[None, :].copy(), terms, channel)
    return state


def test_support_and_shared_data_climb_the_partnership_to_alignment():
    supported = partnership_run(
        {"support": 100.0, "share_data": True}, np.array([500.0, 500.0]), 40
    )
    assert supported.stage[0].tolist() == [4, 0]  # B: no support, stays at interest
    assert supported.satisfaction[0, 0] > 0.25 > abs(supported.satisfaction[0, 1])
    no_data = partnership_run({"support": 100.0}, np.array([500.0, 500.0]), 40)
    assert no_data.stage[0, 0] == 2  # dependence; shared management needs shared data
    small = partnership_run({"support": 100.0, "share_data": True}, np.array([50.0, 950.0]), 40)
    assert small.stage[0, 0] == 1  # 5% of the store's income: no dependence


def test_effort_follows_income_and_the_partnership_stage():
    rich = partnership_run({}, np.array([900.0, 100.0]), 30)
    root = np.sqrt([901.0, 101.0])  # effort_elasticity 0.5: ∝ √(income + $1)
    assert rich.effort[0, 0] == pytest.approx(root[0] / root.sum(), abs=0.01)
    partner = partnership_run({"support": 100.0, "share_data": True}, np.array([500.0, 500.0]), 40)
    assert partner.effort[0, 0] == pytest.approx(3 / 4, abs=0.02)  # stage 4, weight 1 + 0.5·4
    np.testing.assert_allclose(partner.effort.sum(axis=1), 1.0)


def test_a_store_drops_a_brand_whose_income_collapses_at_the_interest_stage():
    channel = Channel(retailers=[{"name": "S"}], contracts=[{"firm": "A"}, {"firm": "B"}])
    terms = contract_terms(channel, ["A", "B"])
    state = Partnerships.start(np.array([[True, True]]))
    dropped_at = None
    for t in range(30):
        earned = np.array([[1000.0 if t < 5 else 10.0, 500.0]])
        if update_partnerships(state, earned, terms, channel)[0, 0]:
            dropped_at = t
    assert dropped_at is not None and dropped_at >= 5
    assert state.carries[0].tolist() == [False, True]
    assert state.effort[0].tolist() == [0.0, 1.0]


# --- the channel's events -----------------------------------------------------------------------


def test_a_retailer_that_defects_drops_the_brand_and_pushes_the_rival():
    events = [
        {
            "kind": "retailer_defects",
            "period": 3,
            "retailer": "S0",
            "firm": "ProductCo",
            "rival": "CustomerCo",
        }
    ]
    spec = flagship(channel={"retailers": STORES, "contracts": CONTRACTS, "events": events})
    market = Market(spec, rng=5)
    market.run_for(2)
    before = market.channel.partners.effort[0].copy()
    assert market.channel.partners.carries[0, 0]
    market.run_for(1)
    p = market.channel.partners
    assert not p.carries[0, 0] and p.carries[0, 1]
    assert p.effort[0, 0] == 0.0 and p.effort[0, 1] >= before[0] + before[1] - 0.25
    rows = market.retailer_metrics()
    assert rows[(rows["retailer"] == "S0") & (rows["period"] == 3)]["brands"].item() == 1


def test_a_rebate_war_escalates_the_rebates_and_then_ends():
    war = {"kind": "rebate_war", "period": 2, "duration": 3, "firms": ["ProductCo"], "step": 2.0}
    contracts = [{**CONTRACTS[0], "rebate": 1.0, "rebate_threshold": 0}, CONTRACTS[1]]
    spec = flagship(channel={"retailers": STORES, "contracts": contracts, "events": [war]})
    cm = Market(spec, rng=8).run().channel_metrics()
    pc = cm[cm["firm"] == "ProductCo"].set_index("period")
    assert (pc["store_units"] > 0).all()  # a rebate per unit in every period
    per_unit = (pc["rebates"] / pc["store_units"]).round(9).tolist()
    assert per_unit == [1.0, 3.0, 5.0, 7.0, 1.0, 1.0]  # +2, +4, +6 in periods 2-4


def test_channel_events_must_name_known_stores_and_channel_firms():
    bad = {
        "kind": "retailer_defects",
        "period": 2,
        "retailer": "Nowhere",
        "firm": "ProductCo",
        "rival": "CustomerCo",
    }
    with pytest.raises(InputError, match="names retailer 'Nowhere'"):
        flagship(channel={"retailers": STORES, "contracts": CONTRACTS, "events": [bad]})
    war = {"kind": "rebate_war", "period": 2, "firms": ["MarketCo"]}
    with pytest.raises(InputError, match="'MarketCo', which does not sell through retailers"):
        flagship(channel={"retailers": STORES, "contracts": CONTRACTS, "events": [war]})


def test_shared_data_add_service_only_from_the_shared_management_stage():
    spec = flagship(periods=2, count=200, channel={"retailers": STORES, "contracts": CONTRACTS})
    layer = Market(spec, rng=0).channel
    n, f = 200, 3
    offers = Offers(*(np.zeros((n, f)) for _ in range(5)))
    support = spec.channel.support_service * min(1.0, 150.0 / spec.channel.support_full)
    for stage, data in ((2, 0.0), (3, spec.channel.data_service)):
        layer.partners.stage[:] = stage
        routed = layer.route(copy.deepcopy(offers), np.ones((n, 4)))  # routes in place
        # CustomerCo (retail only, shares data): even effort, so support + data only
        np.testing.assert_allclose(routed.service[:, 1], support + data)
        assert (routed.service[:, 0] == 0.0).all()  # ProductCo shares no data, no support


def test_a_customer_at_a_store_that_pushes_a_brand_sees_more_of_its_service_value():
    """Customer value seen through the channel: store S0 puts 90% of its effort behind
    ProductCo (swing $10: +$8 of service), S1 splits evenly (+$0); the offers' service value and
    delivered value at S0 rise by $8 and w_service × $8 for ProductCo and fall for CustomerCo."""
    contracts = [
        {"firm": "ProductCo", "mode": "retail", "margin": 0.2},
        {"firm": "CustomerCo", "mode": "retail", "margin": 0.2},
    ]
    stores = [{"name": "S0", "location": 0.0}, {"name": "S1", "location": 0.5}]
    spec = flagship(periods=1, count=600, channel={"retailers": stores, "contracts": contracts})
    market = Market(spec, rng=2)
    layer = market.channel
    layer.partners.effort[0, :2] = [0.9, 0.1]
    seen: list[tuple[Offers, Offers]] = []
    route = layer.route

    def recorded(offers: Offers, weights: np.ndarray) -> Offers:
        seen.append((copy.deepcopy(offers), route(offers, weights)))
        return seen[-1][1]

    layer.route = recorded
    market.run_for(1)
    (before, after) = seen[0]
    extra = after.service[:, :2] - before.service[:, :2]
    at_s0, at_s1 = layer.home == 0, layer.home == 1
    assert at_s0.sum() > 200 and at_s1.sum() > 200
    # service $20 a basket directly: $28 at S0 for ProductCo, $12 for CustomerCo; $20 at S1
    np.testing.assert_allclose(extra[at_s0], np.tile([8.0, -8.0], (at_s0.sum(), 1)))
    np.testing.assert_allclose(extra[at_s1], 0.0)
    w = market.customers.value_weights[:, 1]
    gain = after.delivered_value[:, 0] - before.delivered_value[:, 0]
    np.testing.assert_allclose(gain[at_s0], 8.0 * w[at_s0])
    assert (after.delivered_value[at_s0, 0] > before.delivered_value[at_s0, 0]).all()
