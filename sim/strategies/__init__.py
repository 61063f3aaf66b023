"""Strategies: how a firm spends and prices each period.

- :mod:`sim.strategies.base`: the :class:`Decision` a strategy returns, what it may see
  (:class:`FirmView`, :class:`MarketView`), the :class:`Strategy` base class.
- :mod:`sim.strategies.registry`: names (built-in short names, import paths for the rest).
- :mod:`sim.strategies.builtin`: the six built-in strategies, and how to write your own.
- :mod:`sim.strategies.channel`: channel policies (a firm's contract with its retailers).
"""

from sim.strategies import builtin
from sim.strategies.base import (
    Decision,
    FirmView,
    MarketView,
    Personalisation,
    RivalView,
    Strategy,
    StrategyError,
    StrategyParams,
)
from sim.strategies.registry import (
    build_strategy,
    import_path,
    portable_name,
    register,
    registered,
    resolve_params,
    strategy_class,
)

BUILTIN = tuple(registered())  # the built-in strategies' names, in the order docs list them

__all__ = [
    "BUILTIN",
    "Decision",
    "FirmView",
    "MarketView",
    "Personalisation",
    "RivalView",
    "Strategy",
    "StrategyError",
    "StrategyParams",
    "build_strategy",
    "builtin",
    "import_path",
    "portable_name",
    "register",
    "registered",
    "resolve_params",
    "strategy_class",
]
