"""crmsim: an agent-based market in which customers choose firms by customer delivered value.

``Market`` (the model, with Mesa and its dependencies) is imported on first use, so that light
tools such as ``crmsim list`` and ``crmsim validate`` start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.config import Scenario
from sim.strategies import Decision, Strategy, StrategyParams, register

if TYPE_CHECKING:
    from sim.model import Market

__all__ = ["Decision", "Market", "Scenario", "Strategy", "StrategyParams", "register"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    if name == "Market":
        from sim.model import Market

        return Market
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
