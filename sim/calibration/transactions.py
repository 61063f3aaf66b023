"""Transaction logs: read and check a CSV of purchases; time a simulated log's purchases.

A transaction table has one row per purchase: ``customer`` (text), ``date`` (timestamp) and
``amount`` ($, ≥ 0). :mod:`sim.calibration` fits repeat-buying models to it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from sim.calibration.csv_layout import CsvLayout
from sim.errors import InputError

COLUMNS = ("customer", "date", "amount")


class TransactionDataError(InputError):
    """A transaction file that cannot be used, with a message naming the file, row and fix."""


def read_transactions(path: Path, layout: CsvLayout = CsvLayout()) -> pd.DataFrame:
    """The purchases in a CSV file as (customer, date, amount), checked row by row.

    Rows are numbered as lines of the file (the header is line 1). Raises
    TransactionDataError for a missing or empty file, missing columns, empty customer ids,
    unparseable dates or amounts, negative amounts, or fewer than two customers.
    """
    if not path.exists():
        raise TransactionDataError(f"{path}: no such file")
    if not path.is_file():
        raise TransactionDataError(f"{path}: not a file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # e.g. fields dropped
            raw = pd.read_csv(
                path, dtype=str, keep_default_na=False, skipinitialspace=True, index_col=False
            )
    except pd.errors.EmptyDataError:
        raise TransactionDataError(
            f"{path}: the file is empty; it needs a header line and one line per purchase"
        ) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError) as exc:
        raise TransactionDataError(
            f"{path}: not a readable CSV file, or a line has more fields than the header ({exc})"
        ) from None
    wanted = layout.columns()
    missing = [f"{name!r} (--{key}-column)" for key, name in wanted.items() if name not in raw]
    if missing:
        raise TransactionDataError(
            f"{path}: missing column(s) {', '.join(missing)}; the file has: "
            f"{', '.join(map(repr, raw.columns))}. Name the right ones with --customer-column, "
            "--date-column and --amount-column."
        )
    if raw.empty:
        raise TransactionDataError(f"{path}: the file has a header but no purchases")
    table = raw[list(wanted.values())].set_axis(list(COLUMNS), axis=1)
    table.index = pd.RangeIndex(2, len(table) + 2)  # line numbers in the file
    table["customer"] = table["customer"].str.strip()
    no_id = table["customer"] == ""
    if no_id.any():
        raise TransactionDataError(f"{path}, line {no_id.idxmax()}: the customer id is empty")
    table["date"] = _parse_dates(path, table["date"].str.strip(), layout.date_format)
    table["amount"] = _parse_amounts(path, table["amount"].str.strip())
    customers = table["customer"].nunique()
    if customers < 2:
        raise TransactionDataError(
            f"{path}: all purchases belong to one customer ({table['customer'].iloc[0]!r}); "
            "fitting purchase-rate and dropout distributions needs many customers"
        )
    return table.reset_index(drop=True)


def _parse_dates(path: Path, text: pd.Series, date_format: str | None) -> pd.Series:
    """Dates in the given strftime format, or in one inferred format (ISO, YYYYMMDD, …)."""
    try:
        with warnings.catch_warnings():  # pandas warns when it cannot infer one format
            warnings.simplefilter("ignore", UserWarning)
            dates = pd.to_datetime(text, format=date_format or "ISO8601", errors="coerce")
            if date_format is None and dates.isna().any():  # not ISO 8601: infer one format
                dates = _infer_dates(path, text)
    except TransactionDataError:
        raise
    except (ValueError, TypeError) as exc:  # e.g. mixed time zones
        raise TransactionDataError(f"{path}: the dates cannot be read together ({exc})") from None
    bad = dates.isna()
    if bad.any():
        line = bad.idxmax()
        hint = (
            f"does not match --date-format {date_format!r}"
            if date_format
            else "is not a date in the file's format; give it with --date-format, "
            "e.g. --date-format %d/%m/%Y"
        )
        more = f" ({bad.sum()} such rows)" if bad.sum() > 1 else ""
        raise TransactionDataError(f"{path}, line {line}: date {text[line]!r} {hint}{more}")
    return dates.dt.tz_localize(None) if dates.dt.tz is not None else dates


def _infer_dates(path: Path, text: pd.Series) -> pd.Series:
    """Dates in one inferred format, read month first and day first: whichever reads every
    date; if both do and they differ (every day ≤ 12), the file does not say which it is."""
    month_first = pd.to_datetime(text, errors="coerce")
    day_first = pd.to_datetime(text, errors="coerce", dayfirst=True)
    unread = month_first.isna().sum(), day_first.isna().sum()
    if unread[0] != unread[1]:  # one reading fails on a day above 12: the other one is right
        return month_first if unread[0] < unread[1] else day_first
    differ = (month_first != day_first) & month_first.notna()
    if not unread[0] and differ.any():
        line = differ.idxmax()
        sample = text[line]
        m_format = guess_datetime_format(sample) or "%m/%d/%Y"
        d_format = guess_datetime_format(sample, dayfirst=True) or "%d/%m/%Y"
        raise TransactionDataError(
            f"{path}: the dates are ambiguous: {differ.sum():,} of {len(text):,} can be read day "
            f"first or month first (line {line}: {sample!r} is {day_first[line]:%Y-%m-%d} day "
            f"first, {month_first[line]:%Y-%m-%d} month first), and no date has a day above 12 "
            f"to tell which; give the format with --date-format {d_format} (day first) or "
            f"--date-format {m_format} (month first)"
        )
    return month_first


def _parse_amounts(path: Path, text: pd.Series) -> pd.Series:
    """Amounts in $ as floats, ≥ 0."""
    amounts = pd.to_numeric(text, errors="coerce")
    bad = amounts.isna() | ~np.isfinite(amounts)
    if bad.any():
        line = bad.idxmax()
        raise TransactionDataError(f"{path}, line {line}: amount {text[line]!r} is not a number")
    negative = amounts < 0
    if negative.any():
        line = negative.idxmax()
        more = f" ({negative.sum()} such rows)" if negative.sum() > 1 else ""
        raise TransactionDataError(
            f"{path}, line {line}: amount {text[line]} is negative; amounts must be ≥ 0 "
            f"(remove returns and refunds, or net them against their purchase){more}"
        )
    return amounts.astype(float)


def purchase_days(log: pd.DataFrame, period_days: float, rng: np.random.Generator) -> np.ndarray:
    """Times (days since the start of period 1) of a simulated log's purchases.

    ``log`` is ``Market.transactions()`` (customer, firm, period, amount). Purchases within a
    period are the events of a Poisson process, so given their number they fall at independent
    uniform times inside the period: (period − 1 + u)·period_days, u ~ U(0, 1) from ``rng``.
    """
    return (log["period"].to_numpy() - 1 + rng.random(len(log))) * period_days
