"""S1 Homogenisation (同质化): products grow alike, as a trend and in sudden catch-ups."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.model.firms import Firm
from sim.schema import Homogenisation


def converge(firms: list[Firm], present: np.ndarray, rate: float) -> None:
    """Products grow alike: each present firm's product value closes ``rate`` of its gap to the
    best product, and its position moves ``rate`` of the way to the firms' circular mean position
    (positions spread evenly round the circle have no mean and stay)."""
    firms = [firm for firm in firms if present[firm.index]]
    best = max(firm.value.product for firm in firms)
    mean = np.exp(2j * np.pi * np.array([firm.position for firm in firms])).mean()
    centre = (np.angle(mean) / (2 * np.pi)) % 1.0
    for firm in firms:
        product = firm.value.product + rate * (best - firm.value.product)
        firm.value = replace(firm.value, product=product)
        if abs(mean) > 1e-9:
            gap = (centre - firm.position + 0.5) % 1.0 - 0.5
            firm.position = (firm.position + rate * gap) % 1.0


def homogenise(firms: list[Firm], present: np.ndarray, spec: Homogenisation, period: int) -> None:
    """Products grow alike as a trend: from ``spec.start`` on, :func:`converge` by ``spec.rate``
    every period."""
    if spec.rate > 0 and period >= spec.start:
        converge(firms, present, spec.rate)
