"""crmsim: an agent-based market in which customers choose firms by customer delivered value.

The package is layered (ARCHITECTURE.md): :mod:`sim.schema` (what a market is) →
:mod:`sim.strategies` and :mod:`sim.scenarios` → :mod:`sim.model` and :mod:`sim.reference` (how
one market runs) → :mod:`sim.experiments` (many markets) → :mod:`sim.analysis`,
:mod:`sim.reporting`, :mod:`sim.calibration` → :mod:`sim.apps` (front ends). This module only
names the few things most users need; ``Market`` (with Mesa and its dependencies) is imported on
first use, so that light tools such as ``crmsim list`` start quickly.
"""

from __future__ import annotations

from sim.scenarios import Scenario, load
from sim.schema import MarketSpec
from sim.strategies import Decision, FirmView, MarketView, Strategy, StrategyParams

__all__ = [
    "Decision",
    "FirmView",
    "Market",
    "MarketSpec",
    "MarketView",
    "Scenario",
    "Strategy",
    "StrategyParams",
    "load",
]
__version__ = "0.3.0"


def __getattr__(name: str) -> object:
    if name == "Market":
        from sim.model import Market

        return Market
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
