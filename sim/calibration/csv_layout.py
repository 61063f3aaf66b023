"""Where a transaction CSV keeps its columns (kept apart from :mod:`sim.calibration.transactions`,
which needs pandas, so that the command line can offer these defaults without importing it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CsvLayout:
    """Which CSV columns hold the customer id, the purchase date and the amount ($)."""

    customer: str = "customer_id"
    date: str = "date"
    amount: str = "amount"
    date_format: str | None = None  # strftime format, e.g. "%Y%m%d"; None: infer

    def columns(self) -> dict[str, str]:
        """Standard column name → the file's column name."""
        return {"customer": self.customer, "date": self.date, "amount": self.amount}
