"""The per-agent reference engine: the same market as :mod:`sim.model`, customer by customer.

Read it to see what the vectorised engine computes; tests check that both agree in
distribution over seeds.
"""

from sim.reference.market import ReferenceMarket

__all__ = ["ReferenceMarket"]
