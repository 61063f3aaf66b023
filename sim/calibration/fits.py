"""BG/NBD (purchase rates and dropout) and Gamma-Gamma (spend) fitted to transaction data.

Both are fitted by maximum likelihood with pymc-marketing's CLV models (flat priors, MAP);
standard errors come from the Hessian of the log-likelihood (differences of its compiled
gradient). Time in the fits is in weeks
(days / 7, fractional). pymc-marketing is an optional extra (``pip install 'crmsim[calibrate]'``),
imported on use.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError

WEEK_DAYS = 7.0
BGNBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "v")
DEPENDENCIES = r"(pymc|pymc_marketing|pymc_extras|pytensor|arviz\w*|xarray|pandas)(\.|$)"


class CalibrationError(InputError):
    """Data or settings that cannot be calibrated, with a message that says why."""


@dataclass(frozen=True)
class Estimate:
    """A maximum-likelihood estimate with its standard error (delta method on the log scale)."""

    value: float
    se: float

    def interval(self, z: float = 1.96) -> tuple[float, float]:
        """Approximate interval (z = 1.96: 95%), symmetric on the log scale (stays positive)."""
        spread = math.exp(z * self.se / self.value) if self.value > 0 else math.nan
        return self.value / spread, self.value * spread


@dataclass
class Fit:
    """One fitted model: estimates by parameter name, customers used, seconds taken."""

    estimates: dict[str, Estimate]
    customers: int
    seconds: float
    model: Any  # the fitted pymc-marketing model

    def __getitem__(self, name: str) -> float:
        return self.estimates[name].value


@contextmanager
def _quiet_dependencies() -> Iterator[None]:
    """Silence the deprecation, future and user warnings that pymc-marketing and the libraries
    under it raise about their own internals, and numba's notes on code it cannot cache (they
    come from generated code, module "<string>"): they are not ours to fix."""
    with warnings.catch_warnings():
        for category in (DeprecationWarning, FutureWarning, UserWarning):
            warnings.filterwarnings("ignore", category=category, module=DEPENDENCIES)
        warnings.filterwarnings("ignore", message="Cannot cache compiled function")
        yield


def _clv() -> Any:
    """pymc-marketing's CLV module, or a CalibrationError saying how to install it."""
    try:
        with _quiet_dependencies():
            from pymc_marketing import clv
    except ImportError:
        raise CalibrationError(
            "calibration needs the optional 'calibrate' extra (pymc-marketing): "
            "pip install 'crmsim[calibrate]'"
        ) from None
    return clv


def rfm_weeks(transactions: pd.DataFrame, end: pd.Timestamp, resolution: str = "D") -> pd.DataFrame:
    """Per customer: frequency (repeat purchases), recency and age T in fractional weeks, and
    monetary_value (mean $ of the repeat purchases), from purchases up to ``end``.

    Purchases in the same ``resolution`` unit ("D" day, "h" hour) count as one, amounts summed
    (pymc-marketing's ``rfm_summary``). Times are unit counts divided by the units in a week.
    """
    units_per_week = {"D": WEEK_DAYS, "h": WEEK_DAYS * 24}[resolution]
    clv = _clv()
    with _quiet_dependencies():
        return clv.rfm_summary(
            transactions[transactions["date"] <= end],
            "customer",
            "date",
            monetary_value_col="amount",
            observation_period_end=end,
            time_unit=resolution,
            time_scaler=units_per_week,
        )


def _fit(model: Any, data: pd.DataFrame, names: tuple[str, ...]) -> Fit:
    """Maximum likelihood (MAP under flat priors) and Hessian standard errors."""
    started = time.perf_counter()
    with _quiet_dependencies():
        model.fit(data, method="map", progressbar=False)
        values = {n: float(model.fit_result[n].values.item()) for n in names}
        if not all(math.isfinite(v) and v > 0 for v in values.values()):
            raise CalibrationError(f"the {type(model).__name__} fit did not converge: {values}")
        pm_model = model.model
        point = {
            pm_model.rvs_to_values[rv].name: pm_model.rvs_to_transforms[rv]
            .forward(values[rv.name], *rv.owner.inputs)
            .eval()
            for rv in pm_model.free_RVs
        }
        hessian = _hessian(pm_model, point)
    try:
        variances = np.diag(np.linalg.inv(-np.atleast_2d(hessian)))
    except np.linalg.LinAlgError:
        variances = np.full(len(names), np.nan)
    log_se = np.sqrt(np.where(variances > 0, variances, np.nan))  # on the transformed (log) scale
    estimates = {
        rv.name: Estimate(values[rv.name], values[rv.name] * float(se))
        for rv, se in zip(pm_model.free_RVs, log_se, strict=True)
    }
    return Fit({n: estimates[n] for n in names}, len(data), time.perf_counter() - started, model)


def _hessian(pm_model: Any, point: dict[str, np.ndarray]) -> np.ndarray:
    """Hessian of the log-likelihood at ``point`` (transformed scale): scipy's adaptive central
    differences (Richardson extrapolation) of pymc's compiled gradient, symmetrised. On CDNOW
    it agrees with pytensor's exact Hessian to 1e-9 relative, in 0.5 s instead of the 15-30 s
    that compiling the exact one takes (docs/calibration.md, "Fit times"). The exact one when
    the differences' error estimate is not small against every eigenvalue (near-flat likelihood)."""
    from scipy.differentiate import jacobian

    gradient = pm_model.compile_dlogp(jacobian=False)
    names = list(point)

    def batched(x: np.ndarray) -> np.ndarray:  # x: (parameters, ...) -> gradients, same shape
        columns = x.reshape(len(names), -1).T
        return np.column_stack([gradient(dict(zip(names, c, strict=True))) for c in columns])

    at = np.array([point[n] for n in names], dtype=float)
    differences = jacobian(lambda x: batched(x).reshape(x.shape), at)
    hessian = (differences.df + differences.df.T) / 2
    # Weyl: the errors move each eigenvalue by at most their norm, so the information matrix
    # -hessian must be positive definite with its smallest eigenvalue far above that norm
    if np.linalg.norm(differences.error) < 1e-4 * np.linalg.eigvalsh(-hessian).min():
        return hessian
    # a (nearly) flat likelihood, e.g. no dropout seen (b → ∞): the exact Hessian, slow to compile
    return pm_model.compile_d2logp(jacobian=False, negate_output=False)(point)


def fit_bgnbd(rfm: pd.DataFrame) -> Fit:
    """BG/NBD (Fader, Hardie & Lee 2005) by maximum likelihood: r, alpha (weeks), a, b."""
    if (rfm["frequency"] == 0).all():
        raise CalibrationError(
            "no customer made a repeat purchase in the calibration period, so purchase rates "
            "and dropout cannot be estimated; use a later --calibration-end"
        )
    clv = _clv()
    flat = {name: _flat() for name in BGNBD_PARAMETERS}
    data = rfm[["customer_id", "frequency", "recency", "T"]]
    return _fit(clv.BetaGeoModel(model_config=flat), data, BGNBD_PARAMETERS)


def fit_gamma_gamma(rfm: pd.DataFrame) -> Fit:
    """Gamma-Gamma spend model (Fader, Hardie & Lee 2005b) on the repeat buyers: p, q, v ($)."""
    buyers = rfm[(rfm["frequency"] > 0) & (rfm["monetary_value"] > 0)]
    if len(buyers) < 2:
        raise CalibrationError(
            f"only {len(buyers)} customer(s) made a repeat purchase with a positive amount in the "
            "calibration period; the spend model needs many"
        )
    clv = _clv()
    flat = {name: _flat() for name in GAMMA_GAMMA_PARAMETERS}
    data = buyers[["customer_id", "frequency", "monetary_value"]]
    return _fit(clv.GammaGammaModel(model_config=flat), data, GAMMA_GAMMA_PARAMETERS)


def _flat() -> Any:
    """A flat prior on (0, ∞): MAP is then the maximum-likelihood estimate."""
    from pymc_extras.prior import Prior

    return Prior("HalfFlat")
