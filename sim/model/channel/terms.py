"""Each firm's channel contract as per-firm arrays, and who carries whom at the start."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.schema import Channel


@dataclass(frozen=True)
class Terms:
    """Contracts of the F firms, one entry per firm (a firm without a contract sells directly)."""

    direct: NDArray[np.bool_]  # the firm sells directly (mode direct or both)
    retail: NDArray[np.bool_]  # the firm sells through retailers (mode retail or both)
    margin: NDArray[np.float64]  # retailer's share of the price paid, [0, 1)
    rebate: NDArray[np.float64]  # $ per unit above the threshold, per retailer and period
    threshold: NDArray[np.float64]  # units per retailer per period before rebates start
    bonus: NDArray[np.float64]  # $ per customer won through a retailer
    support: NDArray[np.float64]  # $ per carrying retailer per period
    share_data: NDArray[np.bool_]  # the firm shares customer data with its retailers


def contract_terms(channel: Channel, names: list[str]) -> Terms:
    """The contracts of ``channel`` as arrays over the firms ``names``."""
    contracts = [channel.contract(name) for name in names]

    def field(name: str, default: float) -> NDArray[np.float64]:
        return np.array([default if c is None else getattr(c, name) for c in contracts], float)

    mode = [("direct" if c is None else c.mode) for c in contracts]
    return Terms(
        direct=np.array([m != "retail" for m in mode]),
        retail=np.array([m != "direct" for m in mode]),
        margin=field("margin", 0.0),
        rebate=field("rebate", 0.0),
        threshold=field("rebate_threshold", 0.0),
        bonus=field("development_bonus", 0.0),
        support=field("support", 0.0),
        share_data=field("share_data", 0.0).astype(bool),
    )


def initial_carrying(channel: Channel, names: list[str]) -> NDArray[np.bool_]:
    """(K, F): retailer k carries firm j at the start."""
    return np.array([[channel.carried(r, name) for name in names] for r in channel.retailers])
