"""The two channel lessons (scenarios channel_partnership and channel_rebates, each firm with its
channel policy) hold over seeds 0-9 with paired 95% intervals (course/instructor/11-channels.md
measures them the same way): a partnership beats pushing
volume with rebates through 20 stores over five years, and does not through 200 small stores
with expensive training over two."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.analysis.statistics import compare
from sim.model import Market
from sim.scenarios import load

SEEDS = range(10)


def final_profits(name: str) -> pd.DataFrame:
    """One row per seed and firm: cumulative profit at the end of the scenario."""
    spec = load(name).spec
    rows = []
    for seed in SEEDS:
        fm = Market(spec, rng=seed, record_transactions=False).run().firm_metrics()
        last = fm[fm["period"] == spec.periods]
        rows += [
            {"seed": seed, "firm": firm, "cumulative_profit": profit}
            for firm, profit in zip(last["firm"], last["cumulative_profit"], strict=True)
        ]
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_partnership_beats_pushing_volume_with_rebates_through_twenty_stores():
    result = compare(final_profits("channel_partnership"), "cumulative_profit", "Partner", "Pusher")
    assert result["distinguishable"] and result["low"] > 2.5e6, result  # +$3.12M [3.07M, 3.17M]


@pytest.mark.slow
def test_rebates_beat_partnership_through_many_small_stores_over_two_years():
    result = compare(final_profits("channel_rebates"), "cumulative_profit", "Partner", "Pusher")
    assert result["distinguishable"] and result["high"] < 0, result  # −$85k [−117k, −53k]
