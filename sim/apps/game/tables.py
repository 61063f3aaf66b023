"""Tables as people read them: money in $ with thousands separators, shares as %, counts as
whole numbers, a missing value as "—", and column headers in the session's language.

A column's kind comes from its name (:data:`KINDS`); a column whose name says nothing (a
leaderboard's ``value``, a strategy in the debrief) takes the kind of the measure it holds.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd

from sim.apps.web.i18n import Language, strategy_name, text

MISSING = "—"
MONEY = ("revenue", "costs", "cost_studies", "profit", "cumulative_profit", "customer_equity")
MONEY += ("clv", "mean_clv", "value_at_risk", "0.1", "0.25", "0.5", "0.75", "0.9", "0.99")
PER_BASKET = ("price", "product", "service", "personnel", "image")  # $ with cents
SHARES = ("market_share", "retention_rate", "share", "churn_risk", "mean_churn_risk")
COUNTS = ("period", "customers", "new_customers", "lost_customers", "complaints", "recoveries")
COUNTS += ("sample", "customer", "prospect", "new", "repeat", "loyal", "lapsed")
KINDS: dict[str, str] = (
    dict.fromkeys(MONEY, "money")
    | dict.fromkeys(PER_BASKET, "cents")
    | dict.fromkeys(SHARES, "share")
    | dict.fromkeys(COUNTS, "count")
    | {"luck percentile": "percentile"}
)


def cell(value: object, kind: str) -> str:
    """One value as shown: ``kind`` is money ($, no decimals), cents ($, 2 decimals), share
    (%, 1 decimal), percentile (%, none), count (whole) or number (2 decimals)."""
    if value is None or (isinstance(value, numbers.Real) and math.isnan(float(value))):
        return MISSING
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return str(value)
    x = float(value)
    if kind == "money":
        return f"-${-x:,.0f}" if x < 0 else f"${x:,.0f}"
    if kind == "cents":
        return f"-${-x:,.2f}" if x < 0 else f"${x:,.2f}"
    if kind == "share":
        return f"{x:.1%}"
    if kind == "percentile":
        return f"{x:.0f}%"
    if kind == "count":
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def header(column: object, language: Language) -> str:
    """A column's header: the table's ``col_…`` words, a built-in strategy's name, or itself."""
    name = str(column)
    words = text(f"col_{name}", language)
    return strategy_name(name, language) if words == f"col_{name}" else words


def shown(
    table: pd.DataFrame, language: Language, kind: str | None = None, index: bool = False
) -> pd.DataFrame:
    """``table`` as text to show; a column not in :data:`KINDS` takes ``kind`` (or 2 decimals
    if none). With ``index``, the index becomes the first column. Rows are numbered from 1 (a
    table's "#" column shows its index: the leader of a leaderboard is 1, not 0)."""
    if index:
        table = table.reset_index(names=table.index.name or "")
    return pd.DataFrame(
        {
            header(c, language): [cell(v, KINDS.get(str(c), kind or "number")) for v in table[c]]
            for c in table.columns
        },
        index=pd.RangeIndex(1, len(table) + 1),
    )


def kind_of(measure: str) -> str:
    """The kind of a measure's values (a leaderboard's, a debrief's)."""
    return KINDS.get(measure, "number")
