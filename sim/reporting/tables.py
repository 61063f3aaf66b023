"""Tables and sentences of a report: outcomes as 'mean [low, high]' across runs, paired
comparisons in words, which firm leads when; in English or Chinese (``lang``)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from sim.analysis import by_period, compare, compare_variants, mean_interval, outcome_table
from sim.analysis.statistics import RANGES
from sim.i18n import Language, strategy_name
from sim.reporting.words import WORDS, word

MONEY_OUTCOMES = ("cumulative_profit", "final_customer_equity")
OUTCOMES = {
    key: WORDS[key][0] + (" ($)" if key in MONEY_OUTCOMES else "")
    for key in (
        "cumulative_profit",
        "mean_market_share",
        "mean_retention_rate",
        "final_satisfaction",
        "final_customer_equity",
    )
}  # summary column → its English heading


def headings(columns: list[str], lang: Language) -> dict[str, str]:
    """Summary columns → their headings in ``lang`` (money columns marked ($))."""
    return {
        k: word(k, lang) + (word("dollars", lang) if k in MONEY_OUTCOMES else "") for k in columns
    }


def format_interval(value: tuple[float, float, float], lang: Language = "en") -> str:
    """'mean [low, high]' with sensible precision; a single run has no interval (its bounds
    are nan), and says so: 'mean (1 run: no interval)'; with no value in any run (retention in
    runs no longer than the lapse window) it says that."""
    mean, low, high = value
    if math.isnan(mean):
        return word("no_value", lang)
    digits = 0 if abs(mean) >= 100 else 3
    if math.isnan(low) or math.isnan(high):
        return f"{mean:,.{digits}f} ({word('no_interval', lang)})"
    return f"{mean:,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def outcomes_frame(summary: pd.DataFrame, lang: Language = "en") -> pd.DataFrame:
    """Per firm: strategy and each outcome as 'mean [low, high]' across runs."""
    columns = headings(list(OUTCOMES), lang)
    table = outcome_table(summary, columns)
    shown = pd.DataFrame(index=table.index)
    shown[word("strategy", lang)] = [strategy_name(s, lang) for s in table["strategy"]]
    for label in columns.values():
        shown[label] = [format_interval(v, lang) for v in table[label]]
    return shown.rename_axis(word("firm", lang))


def comparison_line(result: dict[str, float], lang: Language = "en") -> str:
    """A :func:`~sim.analysis.compare` result in words: 'difference [low, high] over N runs:
    distinguishable from noise' (or not)."""
    digits = 0 if abs(result["difference"]) >= 100 else 3
    mean, low, high = (f"{result[k]:,.{digits}f}" for k in ("difference", "low", "high"))
    if result["runs"] < 2:  # one seed: no spread to tell the difference from noise with
        return word("verdict", lang, spread=mean, verdict=word("one_run", lang))
    verdict = word("distinguishable" if result["distinguishable"] else "not_distinguishable", lang)
    spread = word("over_runs", lang, mean=mean, low=low, high=high, runs=result["runs"])
    return word("verdict", lang, spread=spread, verdict=verdict)


def comparisons_text(
    summary: pd.DataFrame, metric: str = "cumulative_profit", lang: Language = "en"
) -> str:
    """Every pair of firms compared on ``metric`` within the same runs, in plain words; a firm
    is said to be ahead only when the difference is distinguishable from noise."""
    lines = []
    for a, b in itertools.combinations(summary["firm"].unique(), 2):
        c = compare(summary, metric, a, b)
        ahead = a if c["difference"] > 0 else b
        leader = word("is_ahead", lang, firm=ahead) if c["distinguishable"] else ""
        effect = word("effect", lang, d=f"{c['effect_size']:.2f}", p=f"{c['p_value']:.2g}")
        line = comparison_line(c, lang)
        if c["runs"] < 2:  # no effect size or p-value of one run
            lines.append(word("pair_one_run", lang, a=a, b=b, line=line))
            continue
        lines.append(word("pair", lang, a=a, b=b, line=line, ahead=leader, effect=effect))
    return "\n".join(lines)


def leaders(metrics: pd.DataFrame, metric: str = "cumulative_profit") -> pd.Series:
    """Per period, the firm with the highest mean ``metric``, or "" where two or more firms
    share the highest (a tie: no firm leads)."""
    means = by_period(metrics, metric)
    top = means.max(axis=1)
    at_top = np.isclose(means.to_numpy(), top.to_numpy()[:, None], rtol=1e-9, atol=1e-9)
    firms = means.columns.to_numpy()
    return pd.Series([firms[row][0] if row.sum() == 1 else "" for row in at_top], index=means.index)


def lead_changes(
    metrics: pd.DataFrame, metric: str = "cumulative_profit", lang: Language = "en"
) -> str:
    """Which firm leads in mean ``metric`` from which period on ('no firm (a tie)' while the
    highest means are equal), and whether the last leader's lead over the runner-up in the last
    period, paired by seed, is within noise (then it says so: a lead of the means is not a
    finding)."""
    lead = leaders(metrics, metric)
    changes = lead[lead != lead.shift()]
    parts = [
        word("leads_from", lang, firm=firm, period=period)
        if firm
        else word("tie_from", lang, period=period)
        for period, firm in changes.items()
    ]
    said = ("，" if lang == "zh" else ", ").join(parts) + ("。" if lang == "zh" else ".")
    return said + within_noise(metrics, metric, lead, lang)


def within_noise(metrics: pd.DataFrame, metric: str, lead: pd.Series, lang: Language) -> str:
    """' In period P, A's lead over B is NOT distinguishable from noise.' when the last
    period's leader A and runner-up B differ by a paired 95% interval that holds 0 ('' when it
    does not, with one seed, or with no leader)."""
    period, firm = lead.index[-1], lead.iloc[-1]
    last = metrics[metrics["period"] == period].pivot_table(
        index="seed", columns="firm", values=metric
    )
    if not firm or last.shape[1] < 2 or last.shape[0] < 2:
        return ""
    runner = last.mean().drop(firm).idxmax()
    low = mean_interval(last[firm] - last[runner])[1]
    if low > 0:
        return ""
    return word("lead_within_noise", lang, period=period, firm=firm, other=runner)


def variant_comparisons(
    summary: pd.DataFrame, metric: str = "cumulative_profit", lang: Language = "en"
) -> str:
    """Each variant of a sweep or comparison against the first, firm by firm, on ``metric``,
    paired by seed, in plain words ("" with fewer than 2 seeds: no interval to judge by)."""
    if summary["seed"].nunique() < 2:
        return ""
    variants = list(dict.fromkeys(summary["variant"]))
    base = summary[summary["variant"] == variants[0]]
    lines = []
    for firm in summary["firm"].unique():
        for variant in variants[1:]:
            other = summary[summary["variant"] == variant]
            if firm in set(other["firm"]) and firm in set(base["firm"]):
                result = compare_variants(other, base, metric, firm)
                line = comparison_line(result, lang)
                lines.append(
                    word("variant_pair", lang, firm=firm, a=variant, b=variants[0], line=line)
                )
    return "\n".join(lines)


def variants_frame(summary: pd.DataFrame, lang: Language = "en") -> pd.DataFrame:
    """Per variant and firm: cumulative profit, retention and share as 'mean [low, high]'."""
    columns = headings(["cumulative_profit", "mean_retention_rate", "mean_market_share"], lang)
    rows = []
    for (variant, firm), group in summary.groupby(["variant", "firm"], sort=False):
        row = {
            word("variant", lang): variant,
            word("firm", lang): firm,
            word("strategy", lang): strategy_name(group["strategy"].iloc[0], lang),
        }
        row |= {
            label: format_interval(mean_interval(group[c], within=RANGES.get(c)), lang)
            for c, label in columns.items()
        }
        rows.append(row)
    return pd.DataFrame(rows).set_index([word("variant", lang), word("firm", lang)])
