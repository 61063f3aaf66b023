"""Statistics across seeded runs: means with 95% intervals, bands over time, comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SHARE = (0.0, 1.0)
RANGES = {  # outcomes and per-period metrics that cannot leave a range: intervals cut at its ends
    **dict.fromkeys(("mean_market_share", "final_market_share", "mean_retention_rate"), SHARE),
    **dict.fromkeys(("share_of_wallet", "final_knowledge", "market_share"), SHARE),
    **dict.fromkeys(("occasion_share", "retention_rate", "mean_knowledge"), SHARE),
    **dict.fromkeys(("top20_sales_share", "unprofitable_share"), SHARE),
    **dict.fromkeys(("final_satisfaction", "mean_satisfaction"), (-1.0, 1.0)),
}


def mean_interval(
    values: pd.Series | np.ndarray, level: float = 0.95, within: tuple[float, float] | None = None
) -> tuple[float, float, float]:
    """Mean and the ends of its t-based confidence interval across runs (NaNs ignored); with
    ``within`` (the values' possible range, e.g. :data:`RANGES`), ends beyond it are cut to it
    (with 2 seeds, a retention rate's interval could otherwise reach 1.01)."""
    x = pd.Series(values, dtype=float).dropna().to_numpy()
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if x.size < 2:
        return (mean, np.nan, np.nan)
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    low, high = mean - half, mean + half
    if within is not None:
        low, high = max(low, within[0]), min(high, within[1])
    return (mean, low, high)


def bands(
    metrics: pd.DataFrame,
    metric: str,
    level: float = 0.95,
    within: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Per period and firm: mean of ``metric`` across seeds and its confidence band, cut at the
    ends of ``within`` if given (the metric's range, :data:`RANGES`: with 2 seeds a share's band
    reached −0.5; a difference of shares has no such range)."""
    rows = [
        (period, firm, *mean_interval(group[metric], level, within))
        for (period, firm), group in metrics.groupby(["period", "firm"], sort=True)
    ]
    return pd.DataFrame(rows, columns=["period", "firm", "mean", "low", "high"])


def outcome_table(
    summary: pd.DataFrame, columns: dict[str, str], level: float = 0.95
) -> pd.DataFrame:
    """One row per firm: for each summary column, 'mean [low, high]' across runs."""
    table = {}
    for firm, group in summary.groupby("firm", sort=False):
        row = {"strategy": group["strategy"].iloc[0]}
        for column, label in columns.items():
            mean, low, high = mean_interval(group[column], level, RANGES.get(column))
            row[label] = (mean, low, high)
        table[firm] = row
    return pd.DataFrame.from_dict(table, orient="index")


def compare(summary: pd.DataFrame, metric: str, firm_a: str, firm_b: str) -> dict[str, float]:
    """Paired comparison of two firms in the same runs: mean difference a − b with its 95%
    interval, Cohen's d_z (mean difference / sd of differences) and the paired t-test p-value."""
    wide = summary.pivot(index="seed", columns="firm", values=metric)
    diff = (wide[firm_a] - wide[firm_b]).dropna()
    mean, low, high = mean_interval(diff)
    sd = float(diff.std(ddof=1)) if diff.size > 1 else np.nan
    p = float(stats.ttest_1samp(diff, 0.0).pvalue) if diff.size > 1 and sd > 0 else np.nan
    return {
        "difference": mean,
        "low": low,
        "high": high,
        "effect_size": mean / sd if sd else np.nan,
        "p_value": p,
        "runs": int(diff.size),
        "distinguishable": bool(np.isfinite(low) and (low > 0 or high < 0)),
    }


def compare_variants(
    variant: pd.DataFrame, base: pd.DataFrame, metric: str, firm: str
) -> dict[str, float]:
    """Paired comparison of one firm in two variants of a scenario run with the same seeds
    (the seed fixes the customers, so the runs pair up): variant − base, as :func:`compare`."""
    pair = pd.concat(
        [
            variant.loc[variant["firm"] == firm].assign(firm="variant"),
            base.loc[base["firm"] == firm].assign(firm="base"),
        ]
    )
    return compare(pair, metric, "variant", "base")


def by_period(metrics: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean of ``metric`` across seeds: one row per period, one column per firm."""
    return metrics.groupby(["period", "firm"])[metric].mean().unstack("firm")
