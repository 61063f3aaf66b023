"""One seeded run of a market, its per-firm summary, and replications kept in memory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from sim.errors import InputError
from sim.model import Market
from sim.schema import MarketSpec
from sim.strategies import StrategyError, portable_name


def simulate(
    spec: MarketSpec, seed: int, periods: int | None = None, decision_seconds: float | None = None
) -> pd.DataFrame:
    """One seeded run: per-period firm metrics joined with the market metrics of that period.
    A strategy that fails is reported with the seed (``decision_seconds``: its time limit)."""
    try:
        market = Market(
            spec, rng=seed, record_transactions=False, decision_seconds=decision_seconds
        ).run(periods)
    except StrategyError as exc:
        raise StrategyError(f"seed {seed}: {exc}") from None
    return run_metrics(market, seed)


def run_metrics(market: Market, seed: int) -> pd.DataFrame:
    """Per period and firm: the firm's metrics joined with the market's (prefixed ``market_``),
    headed by the seed: the columns of every stored run."""
    overall = (
        market.market_metrics().add_prefix("market_").rename(columns={"market_period": "period"})
    )
    frame = market.firm_metrics().merge(overall, on="period", how="left")
    frame.insert(0, "seed", seed)
    return frame


def portable(spec: MarketSpec) -> MarketSpec:
    """The same market with every strategy named so that another process finds it (built-in
    short names, import paths for the rest; :func:`sim.strategies.portable_name`)."""
    firms = []
    for firm in spec.firms:
        strategy = firm.strategy.model_copy(update={"name": portable_name(firm.strategy.name)})
        firms.append(firm.model_copy(update={"strategy": strategy}))
    return spec.model_copy(update={"firms": firms})


def summarise_run(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per firm of one run: the outcomes learners compare. A firm that was never in the
    market during the run (a new entrant whose entry comes after the last period) has no row."""
    played = metrics.groupby("firm", sort=False)["in_market"].transform("any")
    by_firm = metrics[played].sort_values("period").groupby("firm", sort=False)
    last = by_firm.last()
    return pd.DataFrame(
        {
            "seed": last["seed"],
            "strategy": last["strategy"],
            "periods": last["period"],
            "cumulative_profit": last["cumulative_profit"],
            "total_revenue": by_firm["revenue"].sum(),
            "final_customers": last["customers"],
            "final_market_share": last["market_share"],
            "mean_market_share": by_firm["market_share"].mean(),
            "mean_retention_rate": by_firm["retention_rate"].mean(),
            "final_satisfaction": last["mean_satisfaction"],
            "final_customer_equity": last["customer_equity"],
            "top20_profit_share": last["top20_profit_share"],
            "share_of_wallet": last["share_of_wallet"],
            "complaints": by_firm["complaints"].sum(),
            "recoveries": by_firm["recoveries"].sum(),
            "final_loyal_customers": last["loyal_customers"],
            "final_knowledge": last["mean_knowledge"],
        }
    ).reset_index()


class Replication(NamedTuple):
    """Runs of one scenario over several seeds, kept in memory."""

    metrics: pd.DataFrame  # per period and firm, every run (simulate's columns)
    summary: pd.DataFrame  # one row per run and firm (summarise_run's columns)


def replicate(spec: MarketSpec, seeds: Iterable[int], periods: int | None = None) -> Replication:
    """Run the market once per seed in this process and keep the results in memory.

    For notebooks and tests; :func:`~sim.experiments.executors.run_experiment` does the same
    in parallel and on disk.
    """
    seeds = list(seeds)
    if not seeds:
        raise InputError(
            "seeds: no seed given (e.g. SEEDS = 0 or range(0)); give at least 1, and 2 or more "
            "for an interval and to tell a difference from noise"
        )
    metrics = [simulate(spec, seed, periods) for seed in seeds]
    return Replication(
        pd.concat(metrics, ignore_index=True),
        pd.concat([summarise_run(m) for m in metrics], ignore_index=True),
    )
