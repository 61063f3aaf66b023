"""Every expected finding of the instructor debrief of session 11, channel partners
(course/instructor/11-channels.md).

Each test's docstring quotes the debrief sentence it checks. Runs: 10 seeds (0-9) at 3,000
customers (the scenarios' own size), with each firm's channel policy; criteria as in
test_debrief_06_10.py (paired 95% intervals; paths are means across seeds or hold in every seed).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sim.analysis import compare, mean_interval
from sim.model import Market
from sim.scenarios import load

from conftest import shared_cache
from course_claims import CUSTOMERS, INSTRUCTOR, SEEDS, check_citations

# one process: the runs its tests share are computed once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("debrief_11")]

NO_DATA = "firms[1].channel_policy.share_data=false"


@shared_cache
def runs(name: str, *settings: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Firm metrics and channel metrics of every seed, with a ``seed`` column."""
    spec = load(name, [CUSTOMERS, *settings]).spec
    firms, channels = [], []
    for seed in SEEDS:
        market = Market(spec, rng=seed, record_transactions=False).run()
        firms.append(market.firm_metrics().assign(seed=seed))
        channels.append(market.channel_metrics().assign(seed=seed))
    return pd.concat(firms), pd.concat(channels)


def final(name: str, *settings: str) -> pd.DataFrame:
    """One row per seed and firm at the last period."""
    firms, _ = runs(name, *settings)
    return firms[firms["period"] == firms["period"].max()]


def channel(name: str, firm: str, *settings: str) -> pd.DataFrame:
    """One firm's channel metrics, indexed by (seed, period)."""
    _, channels = runs(name, *settings)
    return channels[channels["firm"] == firm].set_index(["seed", "period"])


def test_11_partnership_beats_pushing_volume_through_twenty_stores():
    """Partner earns $3.00M over five years, Pusher loses $123k: Partner ahead by $3.12M
    [3.07M, 3.17M]."""
    table = final("channel_partnership")
    result = compare(table, "cumulative_profit", "Partner", "Pusher")
    assert result["distinguishable"] and 3.0e6 < result["low"] < result["high"] < 3.3e6, result
    means = table.groupby("firm")["cumulative_profit"].mean()
    assert 2.9e6 < means["Partner"] < 3.1e6 and -1.5e5 < means["Pusher"] < -1.0e5, means


def test_11_partnerships_climb_to_alignment_and_the_stores_drop_the_pusher():
    """Partner's stores reach dependence on average by month 12 and alignment by month 20 in
    every seed (measured: months 8–10 and 14–17); Partner's support then halves from $2,000 to
    $1,000 a month. Partner's share of the stores' effort rises from 0.51 in month 1 to 0.97 in
    month 15, Pusher's units at the stores fall from about 660 to 57 a month, on average from
    month 19 (15–29 across seeds) no store carries Pusher and no store takes it back. No store
    ever climbs a stage with Pusher. Checked: effort 0.49-0.53 in month 1, above 0.9 in month 15;
    units 600-730 in month 1, 20-100 in month 15; the month Pusher loses its last store at most
    24 on average, and no store carries it from then on in any seed."""
    partner = channel("channel_partnership", "Partner")
    pusher = channel("channel_partnership", "Pusher")
    effort = partner["mean_effort"].groupby("period").mean()
    assert 0.49 < effort[1] < 0.53 and 0.9 < effort[15] <= 1.0, effort
    units = pusher["store_units"].groupby("period").mean()
    assert 600 < units[1] < 730 and 20 < units[15] < 100, units
    dropped = []
    for seed in SEEDS:
        stage = partner.loc[seed, "mean_stage"]
        assert stage[stage >= 2].index.min() <= 12 and stage[stage >= 4].index.min() <= 20
        support = partner.loc[seed, "support"]
        assert support.iloc[0] == 2000.0 and support.iloc[-1] == 1000.0  # 20 stores × $100, ½
        carried = pusher.loc[seed, "retailers"]
        dropped.append(carried[carried == 0].index.min())
        assert (carried.loc[dropped[-1] :] == 0).all(), (seed, carried)
    assert sum(dropped) / len(dropped) <= 24, dropped
    assert (pusher["mean_stage"] == 0).all()


def test_11_without_shared_data_partnerships_stop_at_dependence():
    """Without shared customer data the partnerships stop at dependence (mean stage exactly 2.00
    in every seed by month 36 at the latest, measured months 12–23; never higher). Partner still
    earns $2.56M and stays far ahead, but $439k [425k, 454k] less than with shared data."""
    stage = channel("channel_partnership", "Partner", NO_DATA)["mean_stage"]
    assert stage.max() == 2.0 and (stage.groupby("period").mean().loc[36:] == 2.0).all()
    with_data = final("channel_partnership")
    without = final("channel_partnership", NO_DATA)
    paired = pd.concat(
        [
            with_data[with_data["firm"] == "Partner"].assign(firm="data"),
            without[without["firm"] == "Partner"].assign(firm="no data"),
        ]
    )
    result = compare(paired, "cumulative_profit", "data", "no data")
    assert result["distinguishable"] and 3.5e5 < result["low"] < result["high"] < 5.5e5, result
    assert compare(without, "cumulative_profit", "Partner", "Pusher")["low"] > 2e6


def test_11_rebates_beat_partnership_through_many_small_outlets_over_two_years():
    """Through 200 small outlets over two years Pusher earns $206k and Partner $121k: Pusher
    ahead by $85k [53k, 117k]. Partner's support is $20,000 a month at first; at the end its
    stores are on average only at the support stage (mean stage 1.18–1.40)."""
    assert (channel("channel_rebates", "Partner").xs(1, level="period")["support"] == 2e4).all()
    table = final("channel_rebates")
    result = compare(table, "cumulative_profit", "Partner", "Pusher")
    assert result["distinguishable"] and result["high"] < 0 and result["low"] > -2e5, result
    end = channel("channel_rebates", "Partner")["mean_stage"].groupby("seed").last()
    assert (end > 1.0).all() and (end < 1.6).all(), end


def test_11_over_five_years_the_partnership_wins_even_through_small_outlets():
    """With five years instead of two (--set periods=60) the lesson turns: Partner earns $571k,
    Pusher $459k, Partner ahead on average by $112k [28k, 196k], though not in every seed.
    Between months 24 and 60 Partner gains $196k [141k, 252k] on Pusher, paired by seed.
    Checked: the mean difference at month 60 above zero; the paired gain from month 24 to 60
    distinguishable and above $50k."""
    firms, _ = runs("channel_rebates", "periods=60")
    lead = firms.pivot_table(index="seed", columns=["period", "firm"], values="cumulative_profit")
    gain = (lead[60]["Partner"] - lead[60]["Pusher"]) - (lead[24]["Partner"] - lead[24]["Pusher"])
    mean, low, high = mean_interval(gain)
    assert low > 5e4, (mean, low, high)
    table = final("channel_rebates", "periods=60")
    assert compare(table, "cumulative_profit", "Partner", "Pusher")["difference"] > 0


def variant_gap(firm: str, *settings: str) -> dict[str, float]:
    """Paired comparison of ``firm``'s five-year profit in channel_partnership with
    ``settings`` against without them."""
    base, variant = final("channel_partnership"), final("channel_partnership", *settings)
    paired = pd.concat(
        [
            variant[variant["firm"] == firm].assign(firm="variant"),
            base[base["firm"] == firm].assign(firm="base"),
        ]
    )
    return compare(paired, "cumulative_profit", "variant", "base")


FULL_SUPPORT = "firms[1].channel_policy.mature_support=1"
WAR = ("firms[0].channel_policy.rebate_step=3", "firms[0].channel_policy.tolerance=0")


def test_11_keeping_full_support_pays_for_itself():
    """With full support all five years Partner earns $3.15M: $157k [149k, 165k] more than with
    the tapered support, although full support costs about $50k more."""
    result = variant_gap("Partner", FULL_SUPPORT)
    assert result["distinguishable"] and 1.3e5 < result["low"] < result["high"] < 2.0e5, result
    support = channel("channel_partnership", "Partner", FULL_SUPPORT)["support"].sum() / 10
    tapered = channel("channel_partnership", "Partner")["support"].sum() / 10
    assert 4e4 < support - tapered < 6e4, (support, tapered)


def test_11_a_faster_rebate_war_costs_the_pusher_and_keeps_no_store():
    """Escalating faster (rebate_step 3, tolerance 0) costs Pusher $26k [22k, 31k] more over five
    years, changes Partner's profit by less than 1% (−$12k [−17k, −7k]), and still no store
    carries Pusher at the end. Checked: Pusher's paired interval within −$60k to 0; Partner's
    within ±1% of its five-year profit."""
    pusher = variant_gap("Pusher", *WAR)
    assert pusher["distinguishable"] and -6e4 < pusher["low"] < pusher["high"] < 0, pusher
    partner = variant_gap("Partner", *WAR)
    base = final("channel_partnership")
    scale = 0.01 * base.loc[base["firm"] == "Partner", "cumulative_profit"].mean()
    assert -scale < partner["low"] < partner["high"] < scale, (partner, scale)
    carried = channel("channel_partnership", "Pusher", *WAR)["retailers"]
    assert (carried.groupby("seed").last() == 0).all()


def test_debrief_11_cites_every_test_and_only_tests_that_exist():
    defined = [name for name in globals() if re.fullmatch(r"test_11_\w+", name)]
    check_citations([INSTRUCTOR / "11-channels.md"], defined, r"test_11_\w+")
