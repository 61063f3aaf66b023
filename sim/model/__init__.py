"""How one market runs: the vectorised engine.

:class:`Market` (the Mesa model) holds the customers' arrays (:mod:`~sim.model.population`), the
firms (:mod:`~sim.model.firms`), the social network (:mod:`~sim.model.network`) and the event
timeline (:mod:`~sim.model.events`); each period runs the submodels of docs/model.md in ODD order
(:mod:`~sim.model.submodels`), then keeps the books (:mod:`~sim.model.books`). The equations are
plain functions in :mod:`~sim.model.equations`.
"""

from sim.model.market import Market

__all__ = ["Market"]
