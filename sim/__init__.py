"""crmsim: an agent-based market in which customers choose firms by customer delivered value."""

from sim.config import Scenario
from sim.model import Market
from sim.strategies import Decision, Strategy, StrategyParams, register

__all__ = ["Decision", "Market", "Scenario", "Strategy", "StrategyParams", "register"]
__version__ = "0.1.0"
