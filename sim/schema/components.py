"""Kotler's components of customer delivered value, by name, as the model's state holds them.

Total customer value has four components (product, service, personnel, image); total customer
cost has four (money, time, energy, psychic), of which money is the price and the other three are
:class:`NonMoneyCosts`. Every array with one column per component keeps this order.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

VALUE_COMPONENTS = ("product", "service", "personnel", "image")
COST_COMPONENTS = ("money", "time", "energy", "psychic")
PRODUCT, SERVICE, PERSONNEL, IMAGE = range(4)  # columns of value arrays
MONEY, TIME, ENERGY, PSYCHIC = range(4)  # columns of cost arrays


@dataclass(frozen=True)
class ValueLevels:
    """What an offer is worth to a customer with par weights, per component ($ per basket)."""

    product: float
    service: float
    personnel: float
    image: float


@dataclass(frozen=True)
class NonMoneyCosts:
    """What buying costs a customer besides the price ($-equivalent per basket)."""

    time: float
    energy: float
    psychic: float

    def total(self) -> float:
        """Total non-money cost with par sensitivities ($ per basket)."""
        return float(sum(astuple(self)))
