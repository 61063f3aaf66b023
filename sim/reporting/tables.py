"""Tables and sentences of a report: outcomes as 'mean [low, high]' across runs, paired
comparisons in words, who leads when."""

from __future__ import annotations

import itertools
import math

import pandas as pd

from sim.analysis import by_period, compare, mean_interval, outcome_table

OUTCOMES = {
    "cumulative_profit": "cumulative profit ($)",
    "mean_market_share": "mean market share",
    "mean_retention_rate": "mean retention rate",
    "final_satisfaction": "final satisfaction",
    "final_customer_equity": "final customer equity ($)",
}


def format_interval(value: tuple[float, float, float]) -> str:
    """'mean [low, high]' with sensible precision; a single run has no interval (its bounds
    are nan), and says so: 'mean (1 run: no interval)'."""
    mean, low, high = value
    digits = 0 if abs(mean) >= 100 else 3
    if math.isnan(low) or math.isnan(high):
        return f"{mean:,.{digits}f} (1 run: no interval)"
    return f"{mean:,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def outcomes_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """Per firm: strategy and each outcome as 'mean [low, high]' across runs."""
    table = outcome_table(summary, OUTCOMES)
    shown = table[["strategy"]].copy()
    for label in OUTCOMES.values():
        shown[label] = table[label].map(format_interval)
    return shown.rename_axis("firm")


def comparison_line(result: dict[str, float]) -> str:
    """A :func:`~sim.analysis.compare` result in words: 'difference [low, high] over N runs:
    distinguishable from noise' (or not)."""
    digits = 0 if abs(result["difference"]) >= 100 else 3
    mean, low, high = (f"{result[k]:,.{digits}f}" for k in ("difference", "low", "high"))
    verdict = "distinguishable" if result["distinguishable"] else "NOT distinguishable"
    return f"{mean} [{low}, {high}] over {result['runs']} runs: {verdict} from noise"


def comparisons_text(summary: pd.DataFrame, metric: str = "cumulative_profit") -> str:
    """Every pair of firms compared on ``metric`` within the same runs, in plain words."""
    lines = []
    for a, b in itertools.combinations(summary["firm"].unique(), 2):
        c = compare(summary, metric, a, b)
        leader = f"; {a if c['difference'] > 0 else b} is ahead" if c["distinguishable"] else ""
        lines.append(
            f"- {a} − {b}: {comparison_line(c)}{leader} (effect size d = "
            f"{c['effect_size']:.2f}, p = {c['p_value']:.2g})."
        )
    return "\n".join(lines)


def lead_changes(metrics: pd.DataFrame, metric: str = "cumulative_profit") -> str:
    """Which firm leads in mean ``metric`` from which period on."""
    leader = by_period(metrics, metric).idxmax(axis=1)
    changes = leader[leader != leader.shift()]
    return ", ".join(f"{firm} from period {period}" for period, firm in changes.items()) + "."


def variants_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """Per variant and firm: cumulative profit, retention and share as 'mean [low, high]'."""
    columns = {
        k: OUTCOMES[k] for k in ("cumulative_profit", "mean_retention_rate", "mean_market_share")
    }
    rows = []
    for (variant, firm), group in summary.groupby(["variant", "firm"], sort=False):
        row = {"variant": variant, "firm": firm, "strategy": group["strategy"].iloc[0]}
        row |= {label: format_interval(mean_interval(group[c])) for c, label in columns.items()}
        rows.append(row)
    return pd.DataFrame(rows).set_index(["variant", "firm"])
