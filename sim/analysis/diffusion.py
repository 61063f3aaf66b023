"""Known diffusion curves to dock the model against (docs/validation.md, section 2).

The scenario ``bass_diffusion`` lets a new offer spread only by advertising and word of mouth;
:func:`bass_settings` maps Bass's innovation and imitation coefficients onto it. Time ``t`` is in
Bass time units; ``per_unit`` model periods make one unit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

PER_UNIT = 10  # model periods per Bass time unit in scenarios/bass_diffusion.toml


def bass_settings(p: float, q: float, per_unit: int = PER_UNIT) -> list[str]:
    """``--set`` settings that give the bass_diffusion scenario innovation ``p`` and imitation
    ``q`` per time unit: advertising hazard ad_effectiveness × $1 = p / per_unit and
    word-of-mouth hazard awareness × exposure = (q / per_unit) × share of adopters, per period."""
    return [
        f"economics.ad_effectiveness={p / per_unit!r}",
        f"word_of_mouth.awareness={q / per_unit!r}",
    ]


def bass_curve(t: ArrayLike, p: float, q: float) -> NDArray[np.float64]:
    """Bass (1969) share adopted in a fully mixed market:
    F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p)·e^{−(p+q)t})."""
    decay = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return (1.0 - decay) / (1.0 + q / p * decay)


def lattice_curve(t: ArrayLike, p: float, q: float) -> NDArray[np.float64]:
    """Fibich & Gibori (2010): share adopted on a ring where everyone hears two neighbours,
    f_1D(t) = 1 − exp(−(p+q)t + q·(1 − e^{−pt})/p)."""
    t = np.asarray(t, dtype=float)
    return 1.0 - np.exp(-(p + q) * t + q * (1.0 - np.exp(-p * t)) / p)


def discrete_bass_curve(
    p: float, q: float, periods: int, per_unit: int = PER_UNIT
) -> NDArray[np.float64]:
    """The model's exact law in discrete time (adopters of period n − 1 talk in period n):
    1 − F_n = (1 − F_{n−1})·exp(−(p + q·F_{n−1}) / per_unit), F_0 = 0; returns F_1 … F_periods."""
    curve = np.zeros(periods + 1)
    for n in range(1, periods + 1):
        curve[n] = 1.0 - (1.0 - curve[n - 1]) * np.exp(-(p + q * curve[n - 1]) / per_unit)
    return curve[1:]
