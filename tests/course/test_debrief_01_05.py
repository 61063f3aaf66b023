"""The expected findings of the instructor debriefs of course sessions 01-05, checked.

Each test's docstring quotes the debrief sentence it checks (course/instructor/NN-*.md).

Criterion, unless a test says otherwise: over the 10 seeds 0-9 at 3,000 customers, the 95%
t-interval of the mean paired difference (same seed) lies on the claimed side of zero — between
two firms in the same runs (sim.analysis.compare), or between two variants of a scenario for the
same firm (the seed fixes the customers, so variants are paired too). A claimed level ("about
0.8") is checked by its 95% interval lying inside a stated band. Budgets are per capita, so the
debriefs' numbers do not depend on market size beyond sampling noise.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from sim import Market
from sim.analysis import compare, compare_variants, mean_interval
from sim.analysis.loyalty import loyalty_by_satisfaction
from sim.model.equations import clv_margin_multiple, satisfaction_response, shortfall_weight
from sim.scenarios import load

from conftest import shared_cache
from course_claims import CUSTOMERS, INSTRUCTOR, SEEDS, check_citations, metrics, path, summary

# one process: the runs its tests share are computed once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("debrief_01_05")]

DEBRIEFS = sorted(INSTRUCTOR.glob("0[1-5]-*.md"))


def ahead(name: str, metric: str, a: str, b: str, *settings: str) -> dict[str, float]:
    """Paired comparison firm a − firm b on a summary column."""
    return compare(summary(name, *settings), metric, a, b)


def change(name: str, settings: tuple[str, ...], firm: str, metric: str) -> dict[str, float]:
    """Variant − base scenario for one firm, paired by seed (sim.analysis.compare_variants)."""
    return compare_variants(summary(name, *settings), summary(name), metric, firm)


def per_seed(name: str, metric: str, *settings: str) -> pd.DataFrame:
    """A summary column: one row per seed, one column per firm."""
    return summary(name, *settings).pivot(index="seed", columns="firm", values=metric)


def tier_advantage(*settings: str) -> pd.Series:
    """Tiered's cumulative profit / Flat's, per seed, in core_customers."""
    profit = per_seed("core_customers", "cumulative_profit", *settings)
    return profit["Tiered"] / profit["Flat"]


def at_period(name: str, metric: str, period: int, *settings: str) -> pd.DataFrame:
    """A firm metric in one period: one row per seed, one column per firm."""
    m = metrics(name, *settings)
    return m[m["period"] == period].pivot(index="seed", columns="firm", values=metric)


def final_expectation(*settings: str) -> pd.Series:
    """The market's mean expectation in the flagship's last month (60), per seed."""
    m = metrics("flagship", *settings)
    last = m[m["period"] == 60].drop_duplicates("seed")
    return last.set_index("seed")["market_mean_expectation"]


def last_crossing(a: pd.Series, b: pd.Series) -> int:
    """First period from which a > b holds until the end (1 if always)."""
    above = (a > b).to_numpy()
    assert above[-1], "a must end ahead of b"
    behind = np.flatnonzero(~above)
    return int(a.index[behind[-1] + 1]) if behind.size else int(a.index[0])


def above(interval: tuple[float, ...] | dict[str, float], bound: float = 0.0) -> bool:
    """The whole 95% interval (mean_interval tuple or compare dict) lies above ``bound``."""
    low = interval["low"] if isinstance(interval, dict) else interval[1]
    return bool(low > bound)


def below(interval: tuple[float, ...] | dict[str, float], bound: float = 0.0) -> bool:
    """The whole 95% interval lies below ``bound``."""
    high = interval["high"] if isinstance(interval, dict) else interval[2]
    return bool(high < bound)


def within(interval: tuple[float, ...] | dict[str, float], low: float, high: float) -> bool:
    """The whole 95% interval lies inside [low, high]."""
    ends = (interval["low"], interval["high"]) if isinstance(interval, dict) else interval[1:]
    return bool(low <= ends[0] and ends[1] <= high)


# --- Session 01: orientations (flagship, differentiated) -----------------------------------------


def test_s01_product_centric_leads_the_first_year():
    """“At month 12 ProductCo has earned about $150,000 and CustomerCo about $62,000; in month 6
    ProductCo makes the most purchases (48%, CustomerCo 41%).”"""
    month12 = at_period("flagship", "cumulative_profit", 12)
    assert above(mean_interval(month12["ProductCo"] - month12["CustomerCo"]), 50_000)
    assert within(mean_interval(month12["CustomerCo"]), 30_000, 90_000)
    share = path("flagship", "market_share").loc[6]
    assert share.idxmax() == "ProductCo" and share["ProductCo"] > 0.45, share


def test_s01_customer_centric_overtakes_around_month_21_and_ends_far_ahead():
    """“CustomerCo takes the lead for good around month 21 (between 15 and 27) and ends five
    years about $1.2 million ahead of ProductCo. At month 60 CustomerCo makes 73% of purchases,
    ProductCo 21%; ProductCo's profit hardly grows after month 20; MarketCo loses money
    throughout.”"""
    profit = path("flagship", "cumulative_profit")
    assert 15 <= last_crossing(profit["CustomerCo"], profit["ProductCo"]) <= 27
    result = ahead("flagship", "cumulative_profit", "CustomerCo", "ProductCo")
    assert within(result, 900_000, 1_500_000), result
    share = path("flagship", "market_share").loc[60]
    assert share["CustomerCo"] > 0.65 and share["ProductCo"] < 0.3, share
    assert profit.loc[60, "ProductCo"] - profit.loc[20, "ProductCo"] < 50_000
    assert (profit["MarketCo"] < 0).all()


def test_s01_products_grow_alike():
    """“ProductCo's product lead over CustomerCo is about $25 per basket at month 11 and about
    $3 at month 60.”"""
    gap = path("flagship", "product")
    gap = gap["ProductCo"] - gap["CustomerCo"]
    assert gap.loc[11] > 20 and gap.loc[60] < 5, gap.loc[[11, 60]]


def test_s01_customer_centric_retains_better():
    """“Of the customers who buy from CustomerCo in a month, about 93% buy from it again within
    six months; of ProductCo's, about 85%.”"""
    result = ahead("flagship", "mean_retention_rate", "CustomerCo", "ProductCo")
    assert within(result, 0.06, 0.10), result


def test_s01_product_centric_wins_when_products_stay_different():
    """“In differentiated ProductCo ends about $1.0 million ahead of CustomerCo.”"""
    result = ahead("differentiated", "cumulative_profit", "ProductCo", "CustomerCo")
    assert within(result, 700_000, 1_300_000), result


def test_s01_the_tipping_point_lies_between_rates_002_and_005():
    """“At homogenisation.rate = 0.02 ProductCo clearly wins (by about $0.34 million); at 0.05
    CustomerCo already wins (by about $0.41 million): the tie lies in between.”"""
    slow = ahead(
        "flagship", "cumulative_profit", "ProductCo", "CustomerCo", "homogenisation.rate=0.02"
    )
    assert within(slow, 100_000, 600_000), slow
    faster = ahead(
        "flagship", "cumulative_profit", "CustomerCo", "ProductCo", "homogenisation.rate=0.05"
    )
    assert within(faster, 100_000, 600_000), faster


def test_s01_late_homogenisation_leaves_the_two_tied_at_five_years():
    """“If products start to grow alike only at month 36, the two firms are tied after five
    years (about $0.83 and $0.84 million; the difference within $0.15 million).”"""
    result = ahead(
        "flagship", "cumulative_profit", "ProductCo", "CustomerCo", "homogenisation.start=36"
    )
    assert within(result, -150_000, 150_000), result


def test_s01_late_homogenisation_only_delays_the_crossing():
    """“Over ten years (periods = 120) with imitation from month 36, CustomerCo takes the lead
    for good around month 60 (between 50 and 70) and ends about $2.4 million ahead.”"""
    late = ("homogenisation.start=36", "periods=120")
    profit = path("flagship", "cumulative_profit", *late)
    assert 50 <= last_crossing(profit["CustomerCo"], profit["ProductCo"]) <= 70
    result = ahead("flagship", "cumulative_profit", "CustomerCo", "ProductCo", *late)
    assert within(result, 1_900_000, 2_900_000), result


def test_s01_selling_orientation_buys_share_not_profit():
    """“With the selling concept (sales_push) in MarketCo's place, the third firm's mean market
    share jumps from about 7% to about 35%, yet it still loses money (about −$0.21 million) and
    CustomerCo still earns the most.”"""
    push = 'firms[2].strategy={name = "sales_push"}'
    assert above(change("flagship", (push,), "MarketCo", "mean_market_share"), 0.2)
    third = summary("flagship", push)
    assert below(mean_interval(third.loc[third["firm"] == "MarketCo", "cumulative_profit"]))
    for rival in ("ProductCo", "MarketCo"):
        assert above(ahead("flagship", "cumulative_profit", "CustomerCo", rival, push))


def test_s01_a_customer_centric_productco_ends_ahead():
    """“With the built-in customer_centric strategy in ProductCo's place, ProductCo earns about
    $1.09 million over five years (test band $0.9–1.3 million) and CustomerCo about $0.37 million:
    ProductCo ends about $0.72 million ahead.”"""
    switch = 'firms[0].strategy={name = "customer_centric"}'
    profit = per_seed("flagship", "cumulative_profit", switch)
    assert within(mean_interval(profit["ProductCo"]), 900_000, 1_300_000)
    assert within(mean_interval(profit["CustomerCo"]), 250_000, 550_000)
    assert within(
        ahead("flagship", "cumulative_profit", "ProductCo", "CustomerCo", switch), 500_000, 900_000
    )


# --- Session 02: delivered value (flagship levers) -----------------------------------------------


def test_s02_the_best_standard_offer_does_not_win():
    """“At par weights ProductCo's standard offer delivers the most value, at month 1 ($52.6
    against CustomerCo's $45.6 and MarketCo's $28.9) and at month 60 (about $69 against $59 and
    $58), yet CustomerCo wins the market.”"""
    scenario = load("flagship", [CUSTOMERS]).spec
    nonmoney = {f.name: f.costs.time + f.costs.energy + f.costs.psychic for f in scenario.firms}
    m = metrics("flagship")
    offers = m.groupby(["period", "firm"])[["product", "service", "personnel", "image", "price"]]
    offers = offers.mean()
    value = offers.drop(columns="price").sum(axis=1) - offers["price"]
    value -= [nonmoney[firm] for _, firm in value.index]
    assert np.allclose(
        value.loc[1][["ProductCo", "CustomerCo", "MarketCo"]], [52.6, 45.6, 28.9], atol=0.1
    )
    assert value.loc[(60, "ProductCo")] > value.loc[(60, "CustomerCo")] + 5
    assert above(ahead("flagship", "cumulative_profit", "CustomerCo", "ProductCo"))


def test_s02_time_cost_drives_customers_away():
    """“Raising ProductCo's time cost from $5 to $15 a basket cuts its mean market share by
    about 17 points and its five-year profit by about $0.63 million; CustomerCo gains about 13
    points (test: more than 9) and about $0.40 million.”"""
    lever = ("firms[0].costs.time=15",)
    assert below(change("flagship", lever, "ProductCo", "mean_market_share"), -0.12)
    assert below(change("flagship", lever, "ProductCo", "cumulative_profit"), -500_000)
    assert above(change("flagship", lever, "CustomerCo", "mean_market_share"), 0.09)
    assert above(change("flagship", lever, "CustomerCo", "cumulative_profit"), 300_000)


def test_s02_a_dollar_of_psychic_cost_weighs_like_a_dollar_of_time_cost():
    """“Adding $10 of psychic cost instead of $10 of time cost has almost the same effect on
    ProductCo's share (within 3 points); its profit falls by about $0.61 million.”"""

    def share(*settings: str) -> pd.Series:
        s = summary("flagship", *settings)
        return s[s["firm"] == "ProductCo"].set_index("seed")["mean_market_share"]

    diff = share("firms[0].costs.time=15") - share("firms[0].costs.psychic=12")
    assert within(mean_interval(diff), -0.03, 0.03)
    lever = ("firms[0].costs.psychic=12",)
    assert below(change("flagship", lever, "ProductCo", "cumulative_profit"), -500_000)


def test_s02_convenience_is_part_of_the_customer_centric_edge():
    """“Without the convenience that profiles bring (knowledge.convenience = 0) CustomerCo's
    mean market share falls by about 6.4 points and its profit by about $0.24 million; ProductCo
    and MarketCo gain share.”"""
    lever = ("knowledge.convenience=0",)
    assert below(change("flagship", lever, "CustomerCo", "mean_market_share"), -0.02)
    assert below(change("flagship", lever, "CustomerCo", "cumulative_profit"), -100_000)
    for rival in ("ProductCo", "MarketCo"):
        assert above(change("flagship", lever, rival, "mean_market_share")), rival


def test_s02_a_price_cut_buys_share_but_not_profit():
    """“Cutting CustomerCo's markup from 45% to 25% raises its mean market share by about 19
    points but lowers its five-year profit by about $0.89 million.”"""
    lever = ("firms[1].strategy.markup=0.25",)
    assert above(change("flagship", lever, "CustomerCo", "mean_market_share"), 0.15)
    assert below(change("flagship", lever, "CustomerCo", "cumulative_profit"), -400_000)


def test_s02_service_and_personnel_are_part_of_the_value():
    """“Without its extra service and personnel (boosts 0) CustomerCo loses about 17 points of
    mean market share and about $0.74 million of profit, although its price is about $11 lower.”"""
    lever = ("firms[1].strategy.service_boost=0", "firms[1].strategy.personnel_boost=0")
    assert below(change("flagship", lever, "CustomerCo", "mean_market_share"), -0.10)
    assert below(change("flagship", lever, "CustomerCo", "cumulative_profit"), -500_000)
    cheaper = at_period("flagship", "price", 60, *lever) - at_period("flagship", "price", 60)
    assert below(mean_interval(cheaper["CustomerCo"]), -5)


# --- Session 03: satisfaction (flagship, [experience] levers) ------------------------------------


def test_s03_the_two_level_zone_and_loss_aversion_shape_the_response():
    """“With the defaults a surplus of $6 (the desired level) gives satisfaction 0.06, a surplus of
    $10 gives 0.29, a shortfall of $10 gives −0.54 — or −0.29 for a fully attached customer, who
    forgives half of the loss aversion.”"""
    ex = load("flagship").spec.experience
    shape = (ex.adequate_gap, ex.desired_gap, ex.slope_inside, ex.slope_outside)
    plain = shortfall_weight(ex.loss_aversion, ex.forgiveness, 0.0)
    attached = shortfall_weight(ex.loss_aversion, ex.forgiveness, 1.0)
    got = [
        satisfaction_response(6, *shape, plain),
        satisfaction_response(10, *shape, plain),
        satisfaction_response(-10, *shape, plain),
        satisfaction_response(-10, *shape, attached),
    ]
    assert np.allclose(got, [0.06, 0.29, -0.54, -0.29], atol=0.005), got


def test_s03_expectations_start_at_the_market_and_rise():
    """“The market's mean expectation starts at about $43 in month 1 (the best offer each customer
    knows of) and rises to about $46 by month 12 and about $58 by month 60.”"""
    m = metrics("flagship").drop_duplicates(["seed", "period"]).set_index(["period", "seed"])
    e = m["market_mean_expectation"]
    assert within(mean_interval(e.loc[1]), 40, 46)
    assert within(mean_interval(e.loc[12]), 43, 49)
    assert within(mean_interval(e.loc[60]), 55, 61)


def test_s03_satisfaction_starts_near_zero_and_complaints_do_not_rise():
    """“Satisfaction starts near zero, not high: in month 1 every firm's mean lies between −0.3 and
    +0.1. From month 3 to month 60 it falls a little for every firm. Complaints per month fall,
    from about 96 in month 1 to about 63 in month 60.”"""
    first = at_period("flagship", "mean_satisfaction", 1)
    for firm in first.columns:
        assert within(mean_interval(first[firm]), -0.3, 0.1), firm
    early, late = (at_period("flagship", "mean_satisfaction", p) for p in (3, 60))
    for firm in early.columns:
        assert below(mean_interval(late[firm] - early[firm])), firm
    complaints = metrics("flagship").groupby(["period", "seed"])["complaints"].sum()
    assert below(mean_interval(complaints.loc[60] / complaints.loc[1]), 1.0)


def test_s03_asymmetric_adaptation_not_the_drift_keeps_satisfaction_down():
    """“Without the drift (expectation_drift = 0) expectations end only about $1.7 lower. With
    symmetric adaptation (expectation_up = 0.1, as fast as down) they end about $3.5 lower,
    complaints fall by about 39% and every firm's customers end more satisfied (final
    satisfaction higher by 0.13 to 0.18).”"""
    no_drift = final_expectation("experience.expectation_drift=0") - final_expectation()
    assert within(mean_interval(no_drift), -3, 0)
    symmetric = ("experience.expectation_up=0.1",)
    lower = final_expectation(*symmetric) - final_expectation()
    assert below(mean_interval(lower - no_drift))
    base = summary("flagship").groupby("seed")["complaints"].sum()
    fewer = summary("flagship", *symmetric).groupby("seed")["complaints"].sum()
    assert within(mean_interval(fewer / base - 1), -0.5, -0.28)
    for firm in ("ProductCo", "CustomerCo", "MarketCo"):
        assert above(change("flagship", symmetric, firm, "final_satisfaction"), 0.05), firm


def test_s03_the_adequate_level_governs_complaints():
    """“Lowering the adequate level (adequate_gap $6 → $12) cuts complaints by about 43%;
    removing the zone (both gaps 0) raises them by about 76%. Who wins does not change.”"""

    def total(*settings: str) -> pd.Series:
        return summary("flagship", *settings).groupby("seed")["complaints"].sum()

    base = total()
    wider = ("experience.adequate_gap=12",)
    none = ("experience.adequate_gap=0", "experience.desired_gap=0")
    assert within(mean_interval(total(*wider) / base - 1), -0.55, -0.33)
    assert within(mean_interval(total(*none) / base - 1), 0.55, 0.95)
    for zone in (wider, none):
        assert above(ahead("flagship", "cumulative_profit", "CustomerCo", "ProductCo", *zone))


def test_s03_a_higher_desired_level_makes_delight_rarer():
    """“Raising the desired level (desired_gap $6 → $12) makes delight rarer: complaints rise by
    about 9% (fewer attached customers forgive a shortfall) and ProductCo earns about $66,000
    less.”"""
    lever = ("experience.desired_gap=12",)
    base = summary("flagship").groupby("seed")["complaints"].sum()
    more = summary("flagship", *lever).groupby("seed")["complaints"].sum()
    assert within(mean_interval(more / base - 1), 0.03, 0.16)
    assert below(change("flagship", lever, "ProductCo", "cumulative_profit"))


def test_s03_faster_rising_expectations_mean_more_complaints():
    """“With expectation_drift = 0.2 (four times the default) complaints rise by about 18%,
    every firm ends with less satisfied customers, and expectations end about $5 higher (about
    $62.8).”"""
    lever = ("experience.expectation_drift=0.2",)
    base = summary("flagship").groupby("seed")["complaints"].sum()
    more = summary("flagship", *lever).groupby("seed")["complaints"].sum()
    assert within(mean_interval(more / base - 1), 0.08, 0.28)
    for firm in ("ProductCo", "CustomerCo", "MarketCo"):
        assert below(change("flagship", lever, firm, "final_satisfaction")), firm
    assert within(mean_interval(final_expectation(*lever) - final_expectation()), 3.5, 6.5)


def test_s03_without_loss_aversion_complaints_fall_by_a_fifth():
    """“With loss_aversion = 1 (shortfalls count no more than surpluses) complaints fall by
    about 22%.”"""
    base = summary("flagship").groupby("seed")["complaints"].sum()
    even = summary("flagship", "experience.loss_aversion=1").groupby("seed")["complaints"].sum()
    assert within(mean_interval(even / base - 1), -0.3, -0.12)


def test_s03_losing_service_hurts_more_than_gaining_it_helps():
    """“Taking $10 of service away from CustomerCo costs it about 10 points of mean market
    share; adding $10 wins only about 4 (the loss exceeds the gain by more than 2 points).”"""

    def share(*settings: str) -> pd.Series:
        s = summary("flagship", *settings)
        return s[s["firm"] == "CustomerCo"].set_index("seed")["mean_market_share"]

    base = share()
    loss = base - share("firms[1].strategy.service_boost=0")
    gain = share("firms[1].strategy.service_boost=20") - base
    assert above(mean_interval(gain)) and above(mean_interval(loss - gain), 0.02)


def test_s03_more_service_pays_for_customer_centric():
    """“Adding $10 of service (service_boost 20) raises CustomerCo's five-year profit by about
    $0.30 million.”"""
    lever = ("firms[1].strategy.service_boost=20",)
    assert within(change("flagship", lever, "CustomerCo", "cumulative_profit"), 150_000, 450_000)


NO_ATTACHMENT = (
    "choice.attachment_value=0",
    "word_of_mouth.talk_attached=0",
    "experience.forgiveness=0",
)


@shared_cache
def loyalty(*settings: str) -> pd.DataFrame:
    """sim.analysis.loyalty.loyalty_by_satisfaction in the flagship market, one table per seed
    (column ``seed``)."""
    spec = load("flagship", [CUSTOMERS, *settings]).spec
    tables = [loyalty_by_satisfaction(spec, [seed]).assign(seed=seed) for seed in SEEDS]
    return pd.concat(tables, ignore_index=True)


def loyalty_between(low: float, high: float, *settings: str) -> pd.DataFrame:
    """Per seed, the purchases after which satisfaction lay in (low, high]: the share of
    category re-buyers who defected, and the share of buyers who recommended the firm."""
    t = loyalty(*settings)
    left, right = (np.array([getattr(b, end) for b in t["bin"]]) for end in ("left", "right"))
    t = t[(left >= low - 1e-9) & (right <= high)]
    shoppers = t["purchases"] * t["shopped"]
    per_seed = (
        pd.DataFrame(
            {
                "shoppers": shoppers,
                "defected": shoppers * t["defect"],
                "purchases": t["purchases"],
                "recommended": t["purchases"] * t["recommend"],
                "seed": t["seed"],
            }
        )
        .groupby("seed")
        .sum()
    )
    return pd.DataFrame(
        {
            "defect": per_seed["defected"] / per_seed["shoppers"],
            "recommend": per_seed["recommended"] / per_seed["purchases"],
        }
    )


def test_s03_loyalty_against_satisfaction_is_not_a_straight_line():
    """“Of the buyers who shop in the category again within six months, 32% of the most
    dissatisfied (satisfaction −0.8 or less) defect to another firm, 8% of the neutral (−0.2 to
    0) and 4% of the satisfied (0 to 0.2); the highly satisfied (above 0.4) defect about as often
    (3.2%, within 2 points). Recommendation rises steeply only at the top: 4% of the satisfied
    recommend the firm, 17% at 0.2 to 0.4, 64% above 0.4.”"""
    bottom, neutral, satisfied, middle, top = (
        loyalty_between(low, high)
        for low, high in ((-1.01, -0.8), (-0.2, 0), (0, 0.2), (0.2, 0.4), (0.4, 1))
    )
    assert above(mean_interval(bottom["defect"] - neutral["defect"]), 0.15)
    assert above(mean_interval(neutral["defect"] - satisfied["defect"]), 0.02)
    assert within(mean_interval(satisfied["defect"] - top["defect"]), -0.02, 0.02)
    assert above(mean_interval(middle["recommend"] - satisfied["recommend"]), 0.1)
    assert above(mean_interval(top["recommend"] - middle["recommend"]), 0.3)


def test_s03_attachment_binds_the_highly_satisfied():
    """“Without attachment (attachment_value, talk_attached and forgiveness 0), the highly
    satisfied (above 0.4) recommend the firm about half as often (31% instead of 64%) and
    defect more often (5.3% instead of 3.2%). Market totals hardly move: ProductCo earns about
    $87,000 less, CustomerCo's profit does not change measurably.”"""
    attached, plain = loyalty_between(0.4, 1), loyalty_between(0.4, 1, *NO_ATTACHMENT)
    assert within(mean_interval(attached["recommend"] - plain["recommend"]), 0.2, 0.45)
    assert above(mean_interval(plain["defect"] - attached["defect"]))
    assert below(change("flagship", NO_ATTACHMENT, "ProductCo", "cumulative_profit"))
    customer_co = change("flagship", NO_ATTACHMENT, "CustomerCo", "cumulative_profit")
    assert within(customer_co, -100_000, 100_000), customer_co


# --- Session 04: lifecycle and retention (retention_economics) -----------------------------------


def test_s04_keeper_retains_better():
    """“Of Keeper's buyers in a month, about 90% buy from it again within three months; of
    Hunter's, about 76%.”"""
    result = ahead("retention_economics", "mean_retention_rate", "Keeper", "Hunter")
    assert within(result, 0.11, 0.17), result


def test_s04_retention_is_measured_on_closed_cohorts():
    """“The retention rate of month t is known only once the cohort of month t − 3 has had its
    three months: it is undefined (NaN) in months 1–3 and defined from month 4 on.”"""
    m = metrics("retention_economics")
    lapse = load("retention_economics").spec.experience.lapse_periods
    early = m[m["period"] <= lapse]["retention_rate"]
    later = m[m["period"] > lapse]["retention_rate"]
    assert lapse == 3 and early.isna().all() and later.notna().all()
    assert later.between(0, 1).all()


def test_s04_hunter_wins_and_pays_for_far_more_customers():
    """“Over four years Hunter wins about 8,940 customers in a market of 3,000 households,
    Keeper about 3,960; at $50 each, Hunter pays about $447,000 for acquisitions (plus $432,000
    of advertising), Keeper about $198,000 (plus about $42,000 for handling complaints).”"""
    totals = (
        metrics("retention_economics")
        .groupby(["seed", "firm"])[
            ["new_customers", "cost_acquisition", "cost_advertising", "cost_complaints"]
        ]
        .sum()
    )
    won = totals["new_customers"].unstack("firm")
    assert above(mean_interval(won["Hunter"] - won["Keeper"]), 4_000)
    assert within(mean_interval(won["Hunter"]), 7_500, 10_500)
    assert within(mean_interval(won["Keeper"]), 3_300, 4_600)
    assert np.allclose(totals["cost_acquisition"], 50.0 * totals["new_customers"])
    hunter, keeper = (totals.xs(firm, level="firm") for firm in ("Hunter", "Keeper"))
    assert np.allclose(hunter["cost_advertising"], 3.0 * 3000 * 48)
    assert within(mean_interval(keeper["cost_complaints"]), 30_000, 55_000)


def test_s04_keeper_earns_more_from_the_first_month():
    """“Keeper earns about $1.65 million over four years, Hunter about $0.23 million, and Keeper
    is ahead in cumulative profit in every month.”"""
    result = ahead("retention_economics", "cumulative_profit", "Keeper", "Hunter")
    assert within(result, 1_100_000, 1_700_000), result
    profit = path("retention_economics", "cumulative_profit")
    assert (profit["Keeper"] > profit["Hunter"]).all()


def test_s04_hunters_monthly_profit_shrinks_while_keepers_grows():
    """“Hunter's monthly profit is high early (about $10,800 in month 6), drops to about
    $2,800 in month 12 and recovers only partly: at month 48 (about $8,700) it is no higher than
    in month 6 (the interval of month 48 − month 6 lies below +$2,000); Keeper's grows from about
    $29,000 to about $35,000.”"""
    early, dip, late = (at_period("retention_economics", "profit", p) for p in (6, 12, 48))
    assert below(mean_interval(dip["Hunter"] - early["Hunter"]), -4_000)
    assert below(mean_interval(late["Hunter"] - early["Hunter"]), 2_000)
    assert above(mean_interval(late["Keeper"] - early["Keeper"]), 2_000)


def test_s04_keeper_passes_hunter_in_market_share_around_month_5():
    """“Hunter takes about 73% of purchases in month 1; Keeper passes it around month 5
    (between 3 and 8) and ends with about 59%.”"""
    share = path("retention_economics", "market_share")
    assert share.loc[1, "Hunter"] > 0.65
    assert 3 <= last_crossing(share["Keeper"], share["Hunter"]) <= 8
    assert 0.53 < share.iloc[-1]["Keeper"] < 0.65


def test_s04_many_customers_is_not_good_customers():
    """“Hunter ends with more active customers (about 1,300 against 950) but its customers buy
    only about 41% of their purchases there (share of wallet; Keeper's 70%).”"""
    assert above(ahead("retention_economics", "final_customers", "Hunter", "Keeper"), 200)
    assert above(ahead("retention_economics", "share_of_wallet", "Keeper", "Hunter"), 0.2)


def test_s04_few_customers_become_loyal():
    """“Few customers become loyal, and discounts attach more of them than service does: at the
    end Hunter has about 92 LOYAL customers and Keeper about 44 (Hunter +49 [41, 56]; test
    bands: Hunter 70–115, Keeper 30–60).”"""
    s = summary("retention_economics").set_index("firm")["final_loyal_customers"]
    assert within(mean_interval(s.loc["Keeper"]), 30, 60)
    assert within(mean_interval(s.loc["Hunter"]), 70, 115)
    assert above(ahead("retention_economics", "final_loyal_customers", "Hunter", "Keeper"), 30)


def lead(*settings: str) -> pd.Series:
    """Keeper's cumulative profit − Hunter's, per seed, in retention_economics."""
    profit = per_seed("retention_economics", "cumulative_profit", *settings)
    return profit["Keeper"] - profit["Hunter"]


def test_s04_reversing_the_5_to_1_rule_halves_the_lead():
    """“With acquisition at $10 and a retention contact at $50, Keeper still earns more (about
    $1.41 million against $0.58 million), but its lead shrinks by about $0.6 million.”"""
    lever = ("economics.acquisition_cost=10", "economics.retention_cost=50")
    assert above(ahead("retention_economics", "cumulative_profit", "Keeper", "Hunter", *lever))
    assert below(mean_interval(lead(*lever) - lead()), -400_000)


def test_s04_cheap_acquisition_alone_does_not_flip_it():
    """“With only acquisition cheap ($10), Keeper still earns more (about $1.80 million against
    $0.58 million).”"""
    lever = ("economics.acquisition_cost=10",)
    assert above(ahead("retention_economics", "cumulative_profit", "Keeper", "Hunter", *lever))


def test_s04_without_its_retention_tools_keeper_loses_much_of_its_edge():
    """“Without loyalty discount and complaint handling Keeper's retention falls to about 0.86
    (Hunter's rises to 0.81), and its profit lead shrinks by about $0.59 million, to about
    $0.83 million.”"""
    lever = ("firms[1].strategy.loyalty_discount=0", "firms[1].strategy.complaint_handling=0.1")
    gap = ahead("retention_economics", "mean_retention_rate", "Keeper", "Hunter", *lever)
    assert within(gap, 0.03, 0.08), gap
    assert below(mean_interval(lead(*lever) - lead()), -400_000)
    assert above(mean_interval(lead(*lever)))


def test_s04_retention_contacts_defend_the_base():
    """“Without retention contacts Keeper earns about $66,000 less (it saves about $99,000 of
    contacts and loses more in sales), while Hunter earns about $0.16 million more.”"""
    lever = ("firms[1].strategy.retention_share=0", "firms[1].strategy.max_retention_share=0")
    keeper = change("retention_economics", lever, "Keeper", "cumulative_profit")
    assert within(keeper, -100_000, -10_000), keeper
    assert above(change("retention_economics", lever, "Hunter", "cumulative_profit"), 80_000)
    contacts = metrics("retention_economics").groupby(["seed", "firm"])["cost_retention"].sum()
    assert within(mean_interval(contacts.xs("Keeper", level="firm")), 80_000, 120_000)


def test_s04_fickle_customers_narrow_the_gap_but_keeper_still_earns_more():
    """“With no switching cost and little weight on trust, the retention gap narrows from about
    0.14 to about 0.084, Keeper ends with about 54% of purchases, and it still earns about
    $0.9 million more.”"""
    fickle = ("choice.switching_cost=0", "choice.trust_weight=5")
    gap = ahead("retention_economics", "mean_retention_rate", "Keeper", "Hunter", *fickle)
    assert within(gap, 0.06, 0.11), gap
    shares = per_seed("retention_economics", "final_market_share", *fickle)
    assert within(mean_interval(shares["Keeper"]), 0.5, 0.6)
    assert above(ahead("retention_economics", "cumulative_profit", "Keeper", "Hunter", *fickle))


def test_s04_what_helps_and_what_hurts_hunter():
    """“Each alone raises Hunter's profit: keeping its service (service_cut 0, about +$0.31
    million), a 10% instead of a 25% first-purchase discount (about +$0.15 million), handling
    complaints well (0.9, about +$0.09 million). Cutting its advertising to $1 costs it about
    $0.38 million. A copy of Keeper's strategy ties with Keeper (within $0.15 million); keeping
    service and handling complaints well together still leaves Hunter about $0.76 million
    behind.”"""
    helps = {
        "firms[0].strategy.service_cut=0": (180_000, 400_000),
        "firms[0].strategy.first_purchase_discount=0.1": (60_000, 220_000),
        "firms[0].strategy.complaint_handling=0.9": (10_000, 150_000),
        "firms[0].strategy.advertising=1.0": (-550_000, -250_000),
    }
    for setting, (low, high) in helps.items():
        assert within(
            change("retention_economics", (setting,), "Hunter", "cumulative_profit"), low, high
        ), setting
    keeper = load("retention_economics").spec.firms[1].strategy.model_dump()
    clone = "firms[0].strategy={" + ", ".join(f"{k} = {v!r}" for k, v in keeper.items()) + "}"
    tie = ahead("retention_economics", "cumulative_profit", "Keeper", "Hunter", clone)
    assert within(tie, -150_000, 150_000), tie
    both = ("firms[0].strategy.service_cut=0", "firms[0].strategy.complaint_handling=0.9")
    gap = ahead("retention_economics", "cumulative_profit", "Keeper", "Hunter", *both)
    assert within(gap, 500_000, 1_000_000), gap


# --- Session 05: lifetime value (core_customers) -------------------------------------------------


@cache
def core_markets() -> list[Market]:
    """core_customers at 3,000 customers, one finished market per seed."""
    scenario = load("core_customers", [CUSTOMERS]).spec
    return [Market(scenario, rng=seed, record_transactions=False).run() for seed in SEEDS]


def whale(market: Market, firm: int) -> dict[str, float]:
    """One firm's customer profit in one run: the peak of the whale curve (the largest cumulative
    share of total customer profit, customers sorted most profitable first), the share of the
    customers served who are unprofitable, and the key accounts' share of customer profit."""
    r = market.relations
    profit = r.customer_profit()[:, firm]
    served = r.purchases[:, firm] > 0
    ranked = np.sort(profit[served])[::-1]
    key = market.customers.segment == 1
    return {
        "peak": float(np.cumsum(ranked).max() / ranked.sum()),
        "unprofitable": float((profit[served] < 0).mean()),
        "key": float(profit[key].sum() / profit.sum()),
    }


def test_s05_sales_are_concentrated_and_a_third_of_customers_are_unprofitable():
    """“The best 20% of customers bring about 91% of Tiered's revenue and 84% of Flat's
    (top20_sales_share); about 37% of each firm's customers cost more to serve than they brought
    (unprofitable_share).”"""
    m = metrics("core_customers")
    last = m[m["period"] == m["period"].max()].set_index("firm")
    for firm, (low, high) in {"Tiered": (0.85, 0.95), "Flat": (0.78, 0.9)}.items():
        assert within(mean_interval(last.loc[firm, "top20_sales_share"]), low, high), firm
        assert within(mean_interval(last.loc[firm, "unprofitable_share"]), 0.3, 0.45), firm


def test_s05_the_whale_curve():
    """“The best 20% of customers bring about 93% of Tiered's customer profit and 90% of Flat's
    (top20_profit_share). Sorted from the most to the least profitable, the customers'
    cumulative profit peaks a little above the total (about 101.5% for Tiered, 102.7% for
    Flat): the unprofitable customers lose little each. In the flagship market MarketCo's
    top20_profit_share is about 1.14.”"""
    s = summary("core_customers").set_index("firm")["top20_profit_share"]
    for firm in ("Tiered", "Flat"):
        assert within(mean_interval(s.loc[firm]), 0.85, 1.0), firm
    for firm in (0, 1):
        peaks = np.array([whale(market, firm)["peak"] for market in core_markets()])
        assert within(mean_interval(peaks), 1.005, 1.05), firm
    flagship = summary("flagship").set_index("firm")["top20_profit_share"]
    assert within(mean_interval(flagship.loc["MarketCo"]), 1.03, 1.25)


def test_s05_key_accounts_bring_most_of_the_customer_profit():
    """“The key accounts, 15% of customers, bring about 66% of Tiered's customer profit.”"""
    shares = np.array([whale(market, 0)["key"] for market in core_markets()])
    assert within(mean_interval(shares), 0.55, 0.78)


def test_s05_the_top_tier_pays():
    """“Tiered earns about 2.1 times Flat's profit ($2.47 million against $1.15 million), in every
    seed, and ends with more customer equity ($1.51 million against $0.51 million) and more of
    the purchases (about 58%).”"""
    assert within(mean_interval(tier_advantage()), 1.8, 2.5)
    assert (tier_advantage() > 1).all()
    assert above(ahead("core_customers", "final_market_share", "Tiered", "Flat"))
    assert above(ahead("core_customers", "final_customer_equity", "Tiered", "Flat"))


def test_s05_tiering_wins_customer_share_more_than_retention():
    """“Tiered's customers buy about 76% of their purchases there, Flat's about 36%; retention
    (the share of a month's buyers who buy again within six months) differs by only about 1.7
    points (0.928 against 0.911).”"""
    assert above(ahead("core_customers", "share_of_wallet", "Tiered", "Flat"), 0.3)
    assert within(ahead("core_customers", "mean_retention_rate", "Tiered", "Flat"), 0.005, 0.03)


def test_s05_a_lavish_tier_does_not_pay():
    """“With $40 of extra service instead of $10, Tiered earns less than Flat (about 0.78 times
    its profit); with $0 the two firms are the same and earn about the same.”"""
    assert below(mean_interval(tier_advantage("firms[0].strategy.tier_service=40")), 1.0)
    assert within(mean_interval(tier_advantage("firms[0].strategy.tier_service=0")), 0.8, 1.25)


def test_s05_even_baskets_make_the_tier_matter_less():
    """“With even basket sizes (no big baskets), top20_profit_share falls only to about 0.81,
    because purchase frequency stays very uneven, and Tiered's profit advantage shrinks from about
    2.1 to about 1.4 times Flat's.”"""
    even = (
        "customers.segments[1].basket_mean=1",
        "customers.segments[0].basket_shape=20",
        "customers.segments[1].basket_shape=20",
    )
    s = summary("core_customers", *even).set_index("firm")["top20_profit_share"]
    assert within(mean_interval(s.loc["Tiered"]), 0.75, 0.87)
    assert below(mean_interval(tier_advantage(*even) - tier_advantage()), -0.4)


def test_s05_lifetime_value_multiples():
    """“At 0.968 retention a month and 1% discount rate a customer is worth about 23 months of
    margin; at 0.93 about 11.6; at 0.89 only about 7.4. For $20 of margin a month, one more point
    of retention is worth about $36 from 0.93 and about $101 from 0.96.”"""
    assert np.allclose(
        clv_margin_multiple([0.968, 0.93, 0.89], 0.01), [23.05, 11.62, 7.42], atol=0.01
    )
    # one more point of retention, for a customer bringing $20 a month
    gains = 20 * np.diff(clv_margin_multiple([0.93, 0.94, 0.96, 0.97], 0.01))[[0, 2]]
    assert np.allclose(gains, [36, 101], atol=1)


def test_s05_extra_service_for_everybody_works_like_a_price_cut():
    """“Giving the extra service to every customer (tier_share = 1) makes Tiered earn about 8
    times Flat's profit and take about 89% of purchases at the end.”"""
    everyone = "firms[0].strategy.tier_share=1.0"
    assert within(mean_interval(tier_advantage(everyone)), 6.0, 10.0)
    s = summary("core_customers", everyone).set_index("firm")["final_market_share"]
    assert within(mean_interval(s.loc["Tiered"]), 0.87, 0.93)


def test_s05_the_tier_pays_less_when_core_customers_do_not_care_for_service():
    """“If key accounts weigh service and personnel only 0.5, Tiered still earns more, but only
    about 1.6 times Flat's profit instead of 2.1.”"""
    indifferent = (
        "customers.segments[1].value_weights.service=0.5",
        "customers.segments[1].value_weights.personnel=0.5",
    )

    assert above(mean_interval(tier_advantage(*indifferent)), 1.0)
    assert below(mean_interval(tier_advantage(*indifferent) - tier_advantage()), -0.2)


def test_every_debrief_cites_existing_tests_and_every_test_is_cited():
    """Each debrief names, after each expected finding, the test in this file that checks it."""
    assert len(DEBRIEFS) == 5, DEBRIEFS
    defined = [name for name in globals() if name.startswith("test_s0")]
    check_citations(DEBRIEFS, defined, r"test_s0\d_\w+")
