"""Calibrate a customer segment from transaction data (``crmsim calibrate``): fit
(:mod:`~sim.calibration.fits`), map (:mod:`~sim.calibration.mapping`) and check on a holdout
period (:mod:`~sim.calibration.holdout`). The model's period is ``period_days`` days."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.calibration.fits import CalibrationError, Fit, fit_bgnbd, fit_gamma_gamma, rfm_weeks
from sim.calibration.holdout import Tracking, track
from sim.calibration.mapping import fragment_scenario, fragment_toml, segment_from_fits
from sim.schema import MONTH_DAYS


@dataclass
class Calibration:
    """Everything ``crmsim calibrate`` computes from one transaction table."""

    source: str
    calibration_end: pd.Timestamp
    holdout_end: pd.Timestamp
    period_days: float
    rfm: pd.DataFrame  # calibration period, one row per customer
    bgnbd: Fit
    spend: Fit
    segment: dict[str, Any]
    fragment: str  # scenario fragment (TOML)
    tracking: Tracking

    @property
    def periods(self) -> int:
        """Periods the fragment runs: the data's span, first purchase to end of holdout."""
        return int(tomllib.loads(self.fragment)["periods"])


def calibrate(
    transactions: pd.DataFrame,
    source: str,
    calibration_end: pd.Timestamp | None = None,
    holdout_end: pd.Timestamp | None = None,
    period_days: float = MONTH_DAYS,
    seed: int = 0,
    stage: Callable[[str], None] = lambda _: None,
) -> Calibration:
    """Fit, map and check: see the module docstring. Dates default to the midpoint of the data
    (end of calibration) and its last purchase (end of the holdout). ``stage(what)`` is told
    before each step (for progress on large files)."""
    first, last = transactions["date"].min().normalize(), transactions["date"].max().normalize()
    if calibration_end is None:
        calibration_end = first + pd.Timedelta(days=(last - first).days // 2)
    if holdout_end is None:
        holdout_end = last
    if not first <= calibration_end < holdout_end:
        raise CalibrationError(
            f"the calibration period must end on or after the first purchase ({first:%Y-%m-%d}) "
            f"and before the end of the holdout period ({holdout_end:%Y-%m-%d}); "
            f"--calibration-end is {calibration_end:%Y-%m-%d}"
        )
    if not period_days > 0:
        raise CalibrationError(f"--period-days must be positive, got {period_days:g}")
    stage(f"summarising {len(transactions):,} purchases per customer")
    rfm = rfm_weeks(transactions, calibration_end)
    stage(f"fitting BG/NBD to {len(rfm):,} customers")
    bgnbd = fit_bgnbd(rfm)
    stage("fitting Gamma-Gamma to the repeat buyers' spend")
    spend = fit_gamma_gamma(rfm)
    segment = segment_from_fits(bgnbd, spend, period_days)
    periods = math.ceil(((holdout_end - first).days + 1) / period_days)
    fragment = fragment_toml(segment, source, period_days, min(periods, 10_000))
    scenario = fragment_scenario(fragment)
    stage("simulating the holdout period")
    tracking = track(transactions, bgnbd, scenario, calibration_end, holdout_end, period_days, seed)
    return Calibration(
        source,
        calibration_end,
        holdout_end,
        period_days,
        rfm,
        bgnbd,
        spend,
        segment,
        fragment,
        tracking,
    )
