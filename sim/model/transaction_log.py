"""The market's transaction log: one row per purchase (customer, firm, period, amount)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray


class TransactionLog:
    """Every purchase of a run, kept period by period as arrays."""

    COLUMNS = ("customer", "firm", "period", "amount")

    def __init__(self, firm_names: list[str]) -> None:
        self.firm_names = np.array(firm_names)
        self.periods: list[tuple[int, NDArray, NDArray, NDArray]] = []

    def record(
        self,
        period: int,
        customer: NDArray[np.int64],
        firm: NDArray[np.int64],
        amount: NDArray[np.float64],
    ) -> None:
        """Keep one period's purchases (customer and firm indices, $ paid)."""
        self.periods.append((period, customer, firm, amount))

    def frame(self) -> pd.DataFrame:
        """One row per purchase: customer index, firm name, period, amount ($)."""
        frames = [
            pd.DataFrame(
                {
                    "customer": customer,
                    "firm": self.firm_names[firm],
                    "period": period,
                    "amount": amount,
                }
            )
            for period, customer, firm, amount in self.periods
        ]
        if not frames:
            return pd.DataFrame(columns=list(self.COLUMNS))
        return pd.concat(frames, ignore_index=True)
