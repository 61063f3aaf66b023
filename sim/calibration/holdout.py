"""The holdout check: the calibration customers' repeat purchases week by week, against the
BG/NBD expectation and the calibrated simulation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibration.fits import WEEK_DAYS, Fit
from sim.calibration.transactions import purchase_days
from sim.model import Market
from sim.schema import MarketSpec

SIMULATED_CUSTOMERS = 50_000  # at least this many simulated customers in the holdout check


def simulated_purchases(
    scenario: MarketSpec, period_days: float, seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """Run the scenario; its transaction log and each purchase's time in days since the start,
    drawn uniformly inside its period (seeded by ``seed``)."""
    log = Market(scenario, rng=seed).run().transactions()
    return log, purchase_days(log, period_days, np.random.default_rng([seed, 1]))


def simulated_transactions(
    scenario: MarketSpec, period_days: float, seed: int, start: pd.Timestamp
) -> pd.DataFrame:
    """A transaction table from a run: every customer's trial purchase on ``start`` (model
    period 0), then the model's purchases (its repeat purchases) at their times. Customer ids
    are the model's indices as text."""
    log, days = simulated_purchases(scenario, period_days, seed)
    trials = pd.DataFrame(
        {
            "customer": np.arange(scenario.customers.count).astype(str),
            "date": start,
            "amount": 0.0,
        }
    )
    repeats = pd.DataFrame(
        {
            "customer": log["customer"].astype(str).to_numpy(),
            "date": start + pd.to_timedelta(days, unit="D"),
            "amount": log["amount"].to_numpy(dtype=float),
        }
    )
    return pd.concat([trials, repeats], ignore_index=True)


# --- holdout tracking -----------------------------------------------------------------------


@dataclass
class Tracking:
    """Cumulative repeat purchases of the calibration customers at the end of each week since
    the first purchase in the data: actual, BG/NBD expectation and calibrated simulation."""

    frame: pd.DataFrame  # index week (1…); columns actual, bgnbd, simulated
    calibration_weeks: float  # weeks from the start of the data to the end of calibration

    def holdout(self) -> pd.DataFrame:
        """The weeks after the calibration period."""
        return self.frame[self.frame.index > self.calibration_weeks]

    def errors(self) -> dict[str, dict[str, float]]:
        """Relative errors against the actual counts over the holdout weeks: the largest in
        absolute value, the last week's, and that of the holdout period's own purchases."""
        hold = self.holdout()
        before = self.frame[self.frame.index <= self.calibration_weeks].iloc[-1]
        out = {}
        for column in ("bgnbd", "simulated"):
            rel = hold[column] / hold["actual"] - 1
            gained = (hold[column].iloc[-1] - before[column]) / (
                hold["actual"].iloc[-1] - before["actual"]
            ) - 1
            out[column] = {
                "max_abs": float(rel.abs().max()),
                "end": float(rel.iloc[-1]),
                "holdout_purchases": float(gained),
            }
        return out

    def simulation_bias(self) -> float:
        """Mean relative difference between the simulation and the BG/NBD expectation over the
        holdout weeks (sampling noise: the model's purchase process is BG/NBD's)."""
        hold = self.holdout()
        return float((hold["simulated"] / hold["bgnbd"] - 1).mean())


def _weeks_since(first_days: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """(customers, ends) array: weeks from each customer's trial day to each end day (≥ 0)."""
    return np.maximum(ends[None, :] - first_days[:, None], 0.0) / WEEK_DAYS


def track(
    transactions: pd.DataFrame,
    bgnbd: Fit,
    scenario: MarketSpec,
    calibration_end: pd.Timestamp,
    holdout_end: pd.Timestamp,
    period_days: float,
    seed: int,
) -> Tracking:
    """Weekly cumulative repeat purchases of the customers whose first purchase is on or before
    ``calibration_end``, up to ``holdout_end``: actual, expected by the BG/NBD fit, and simulated
    from ``scenario`` with each simulated customer started on a real
    customer's first-purchase day (customers are independent, so this equals simulating each
    trial cohort and shifting it)."""
    start = transactions["date"].min().normalize()
    days = (transactions["date"].dt.normalize() - start).dt.days.to_numpy()
    visits = (
        pd.DataFrame({"customer": transactions["customer"], "day": days})
        .drop_duplicates()
        .sort_values("day")
    )
    first = visits.groupby("customer")["day"].min()
    first = first[first <= (calibration_end - start).days]
    span = (holdout_end - start).days + 1  # days up to the end of the holdout
    weeks = math.ceil(span / WEEK_DAYS)
    kept = visits[visits["customer"].isin(first.index)]
    repeats = kept.drop(kept.drop_duplicates("customer").index)["day"]  # all but the first
    ends = np.minimum(WEEK_DAYS * np.arange(1, weeks + 1), span)
    frame = pd.DataFrame(
        {"actual": np.searchsorted(np.sort(repeats.to_numpy()), ends, side="left")},
        index=pd.RangeIndex(1, weeks + 1, name="week"),
    )
    cohorts = first.value_counts().sort_index()
    t = _weeks_since(cohorts.index.to_numpy(dtype=float), ends)
    expected = bgnbd.model.expected_purchases_new_customer(
        pd.DataFrame({"customer_id": np.arange(t.size), "t": t.ravel()})
    )
    per_cohort = expected.mean(dim=("chain", "draw")).to_numpy().reshape(t.shape)
    frame["bgnbd"] = cohorts.to_numpy() @ per_cohort
    frame["simulated"] = _simulated_cumulative(
        scenario, first.to_numpy(dtype=float), ends, period_days, seed
    )
    return Tracking(frame, ((calibration_end - start).days + 1) / WEEK_DAYS)


def _simulated_cumulative(
    scenario: MarketSpec, first_days: np.ndarray, ends: np.ndarray, period_days: float, seed: int
) -> np.ndarray:
    """Mean over copies of the cumulative simulated repeat purchases at each day in ``ends``."""
    n = len(first_days)
    copies = max(1, math.ceil(SIMULATED_CUSTOMERS / n))
    horizon = math.ceil((ends[-1] - first_days.min()) / period_days)
    sized = scenario.model_copy(deep=True)
    sized.customers.count = n * copies
    sized.periods = horizon
    log, days = simulated_purchases(sized, period_days, seed)
    at = first_days[log["customer"].to_numpy() % n] + days
    return np.searchsorted(np.sort(at), ends, side="left") / copies
