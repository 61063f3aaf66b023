"""Mapping the fits onto the model: one segment of the ``repeat_buying`` scenario, in which every
purchase occasion is a purchase (docs/calibration.md, "The mapping")."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sim import scenarios
from sim.calibration.fits import (
    BGNBD_PARAMETERS,
    GAMMA_GAMMA_PARAMETERS,
    WEEK_DAYS,
    CalibrationError,
    Fit,
)
from sim.schema import MarketSpec

BASE_SCENARIO = "repeat_buying"
FALLBACK_BASKET_SHAPE = 0.5  # used when Gamma-Gamma's q ≤ 2 (mean spend with infinite variance)


def base_price() -> float:
    """$ per basket in the base scenario (its one firm's list price)."""
    return scenarios.load(BASE_SCENARIO).spec.firms[0].price


def segment_from_fits(bgnbd: Fit, spend: Fit, period_days: float) -> dict[str, Any]:
    """The calibrated segment's scenario keys (docs/calibration.md, "The mapping").

    purchase_rate = (r/α)·period_days/7 occasions per period, purchase_rate_shape = r;
    dropout = Beta(a, b); basket_mean = E[mean spend]/price with E = p·v/(q − 1), and
    basket_shape = q − 2 (the same coefficient of variation of mean spend across customers).
    """
    r, alpha, a, b = (bgnbd[k] for k in BGNBD_PARAMETERS)
    p, q, v = (spend[k] for k in GAMMA_GAMMA_PARAMETERS)
    if q <= 1:
        raise CalibrationError(
            f"the spend model's q = {q:.3g} ≤ 1: mean spend across customers has no finite mean, "
            "so it cannot be mapped onto baskets"
        )
    return {
        "name": "calibrated",
        "share": 1.0,
        "purchase_rate": r / alpha * period_days / WEEK_DAYS,
        "purchase_rate_shape": r,
        "dropout": {"a": a, "b": b},
        "basket_mean": p * v / (q - 1) / base_price(),
        "basket_shape": q - 2 if q > 2 else FALLBACK_BASKET_SHAPE,
    }


def fragment_toml(segment: dict[str, Any], source: str, period_days: float, periods: int) -> str:
    """The scenario fragment: extends the base scenario, replaces its segment, runs
    ``periods`` periods."""
    drop = segment["dropout"]
    return f'''# Calibrated by `crmsim calibrate` from {source}
# (BG/NBD + Gamma-Gamma, pymc-marketing). One period = {period_days:g} days.
# Run it: crmsim run THIS_FILE --seeds 10
extends = "{BASE_SCENARIO}"
periods = {periods}

[info]
title = "Repeat buying calibrated from {Path(source).name}"

[[customers.segments]]
name = "{segment["name"]}"
share = 1.0
# mean occasions per period: (r/alpha)*{period_days:g}/7
purchase_rate = {segment["purchase_rate"]:.6g}
purchase_rate_shape = {segment["purchase_rate_shape"]:.6g}  # BG/NBD r
dropout = {{ a = {drop["a"]:.6g}, b = {drop["b"]:.6g} }}  # BG/NBD a, b
basket_mean = {segment["basket_mean"]:.6g}  # Gamma-Gamma mean spend p*v/(q-1) / price
basket_shape = {segment["basket_shape"]:.6g}  # Gamma-Gamma q - 2
'''


def fragment_scenario(text: str) -> MarketSpec:
    """The full scenario a fragment describes (base scenario merged underneath)."""
    base = scenarios.read_document(scenarios.locate(BASE_SCENARIO))
    document = scenarios.merge(base, tomllib.loads(text))
    document.pop("extends", None)
    try:
        return scenarios.validate(document, "calibrated fragment")
    except scenarios.ScenarioError as exc:
        raise CalibrationError(
            "the fitted values are outside the model's ranges (with little data the estimates can "
            f"run off to extremes): {exc}"
        ) from None
