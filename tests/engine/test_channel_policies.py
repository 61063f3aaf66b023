"""Channel policies (#17): a transactional policy pushes volume with rebates, a partnership
policy supports, shares data and co-plans; each sets its firm's terms every period from what it
sees, in both engines, beside any customer strategy; bad input names the key and the allowed
values."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import InputError
from sim.model import Market
from sim.reference import ReferenceMarket
from sim.scenarios import load, validate
from sim.schema import PartnershipPolicy, TransactionalPolicy
from sim.strategies.channel import ChannelView, ContractTerms, Partnership, Transactional

CONTRACT = ContractTerms(
    margin=0.15, rebate=3.0, threshold=5.0, bonus=5.0, support=100.0, share_data=False
)


def view(units: float, stage: int = 0, stores: int = 4) -> ChannelView:
    """What a firm sees when its ``stores`` stores sold ``units`` in all, all at ``stage``."""
    return ChannelView(
        period=2,
        contract=CONTRACT,
        stage=np.full(stores, stage),
        satisfaction=np.zeros(stores),
        units=np.full(stores, units / stores),
    )


def test_a_transactional_policy_raises_its_rebate_when_sales_fall_and_relaxes_it_after():
    policy = Transactional(
        TransactionalPolicy(name="transactional", rebate_step=2.0, max_rebate=6.0)
    )
    rebates = [policy.terms(view(units)).rebate for units in (100, 80, 60, 40, 39, 39, 60)]
    # falls of 20%, 25%, 33% raise it by $2 up to the cap $6; a 2.5% dip (< 10%) relaxes it
    assert rebates == [3.0, 5.0, 6.0, 6.0, 4.0, 3.0, 3.0]
    terms = policy.terms(view(10))
    assert (terms.margin, terms.support, terms.bonus) == (0.15, 100.0, 5.0)  # the contract's


def test_a_partnership_policy_shares_data_tapers_support_and_co_plans_as_stages_rise():
    policy = Partnership(
        PartnershipPolicy(name="partnership", mature_support=0.25, co_planning_bonus=7.0)
    )
    early, dependent, shared = (policy.terms(view(50, stage)) for stage in (1, 2, 3))
    assert (early.support, early.share_data, early.bonus) == (100.0, True, 5.0)
    assert (dependent.support, dependent.bonus) == (25.0, 5.0)  # tapers at dependence
    assert (shared.support, shared.bonus) == (25.0, 12.0)  # co-planning from shared management
    assert shared.rebate == 3.0 and shared.margin == 0.15  # the contract's


STORES = [{"name": f"S{k}", "location": k / 4} for k in range(4)]


def market_spec(policies: tuple[object, object], customers: int = 1500, periods: int = 24):
    """The flagship, in which its first two firms sell only through four stores with the given
    policies; ProductCo keeps its product-centric strategy, CustomerCo its customer-centric one."""
    data = load("flagship", [f"customers.count={customers}", f"periods={periods}"]).spec
    data = data.model_dump(mode="json")
    for firm, policy in zip(data["firms"][:2], policies, strict=True):
        if policy is not None:
            firm["channel_policy"] = policy
    data["channel"] = {
        "retailers": STORES,
        "contracts": [
            {"firm": "ProductCo", "mode": "retail", "margin": 0.2, "rebate": 4.0},
            {
                "firm": "CustomerCo",
                "mode": "retail",
                "margin": 0.2,
                "support": 200.0,
                "development_bonus": 5.0,
            },
        ],
    }
    return validate(data, "channel policies")


@pytest.mark.parametrize("engine", [Market, ReferenceMarket], ids=["vectorised", "reference"])
def test_policies_set_the_terms_each_period_in_both_engines(engine):
    periods = 24 if engine is Market else 12
    spec = market_spec(
        ({"name": "transactional", "rebate_step": 1.0, "max_rebate": 9.0}, "partnership"),
        customers=1500 if engine is Market else 300,
        periods=periods,
    )
    assert [f.strategy.name for f in spec.firms[:2]] == ["product_centric", "customer_centric"]
    market = engine(spec, rng=3).run()
    cm = market.channel_metrics().set_index(["period", "firm"])
    per_store = cm["support"] / cm["retailers"]
    partner = per_store.xs("CustomerCo", level="firm")
    # the contract's $200 a store until the partnerships reach dependence, then half
    assert partner.iloc[0] == 200.0 and set(partner.round(6)) <= {200.0, 100.0}
    stages = cm["mean_stage"].xs("CustomerCo", level="firm")
    assert ((partner == 100.0) == (stages.shift(1) >= 2)).iloc[1:].all()
    assert market.channel.terms.share_data.tolist()[:2] == [False, True]  # the policy shares
    # the transactional firm's rebate moves between the contract's $4 and its cap $9
    assert 4.0 <= market.channel.terms.rebate[0] <= 9.0


def test_without_a_policy_the_contract_holds_every_period():
    spec = market_spec((None, None), customers=600, periods=8)
    market = Market(spec, rng=1).run()
    cm = market.channel_metrics()
    support = cm[cm["firm"] == "CustomerCo"]
    assert (support["support"] == 200.0 * support["retailers"]).all()
    assert market.channel.terms.rebate.tolist()[:2] == [4.0, 0.0]


def test_a_transactional_policy_escalates_rebates_while_its_stores_drop_it():
    spec = load("channel_partnership", ["customers.count=1500", "periods=24"]).spec
    market = Market(spec, rng=0, record_transactions=False)
    rebates = []
    for _ in range(spec.periods):
        market.run_for(1)
        rebates.append(float(market.channel.terms.rebate[0]))
    cm = market.channel_metrics()
    assert cm[cm["firm"] == "Pusher"]["retailers"].iloc[-1] < 20  # stores drop the pusher
    assert min(rebates) == 3.0 and max(rebates) > 3.0  # above the contract's $3 a unit
    assert max(rebates) <= 20.0  # the policy's cap


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("firms[0].channel_policy=rebates", "'transactional', 'partnership'"),
        ("firms[1].channel_policy.mature_support=2", "firms[1].channel_policy.partnership"),
        ("firms[1].channel_policy.taper_at=never", "'dependence'"),
    ],
)
def test_bad_channel_policy_input_is_a_clear_error(setting, says):
    with pytest.raises(InputError) as caught:
        load("channel_partnership", [setting])
    message = str(caught.value)
    assert "channel_partnership.toml" in message and says in message, message
    assert "Traceback" not in message


def test_a_policy_for_a_firm_that_sells_through_no_retailer_is_refused():
    with pytest.raises(InputError) as caught:
        load("flagship", ["firms[0].channel_policy=partnership"])
    assert "firms[0].channel_policy (partnership): ProductCo sells through no retailer" in str(
        caught.value
    )
