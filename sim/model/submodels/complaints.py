"""S8 Satisfaction and complaints: satisfaction follows experience; complaints may be recovered."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.population import Relationships
from sim.model.submodels.experience import FeltByPair
from sim.schema import Experience
from sim.strategies import Decision


def handle_complaints(
    relations: Relationships,
    by_pair: FeltByPair,
    decisions: list[Decision],
    x: Experience,
    complaint_cost: float,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Satisfaction follows this period's experience (``by_pair``: each pair's purchases);
    dissatisfied buyers may complain, and a complaint handled well (chance =
    complaint_handling) recovers them at ``complaint_cost`` ($), charged to the customer's cost
    to serve. Returns per-firm complaints and recoveries."""
    r = relations
    f = r.f
    pairs = by_pair.pairs  # flat i·F + j; only these pairs' satisfaction moves
    felt = by_pair.satisfaction / by_pair.times
    rho = x.satisfaction_memory
    np.put(r.satisfaction, pairs, (1 - rho) * r.satisfaction.take(pairs) + rho * felt)
    unhappy = pairs[felt < x.complaint_threshold]
    complains = unhappy[rng.random(unhappy.size) < x.complaint_probability]
    handling = np.array([d.complaint_handling for d in decisions])
    handled = rng.random(complains.size) < handling[complains % f]
    recovered = np.divmod(complains[handled], f)
    ignored = np.divmod(complains[~handled], f)
    r.cost_to_serve[recovered] += complaint_cost
    r.satisfaction[recovered] = x.recovery_satisfaction
    r.trust[recovered] = np.minimum(1.0, r.trust[recovered] + x.recovery_trust)
    r.satisfaction[ignored] = np.maximum(-1.0, r.satisfaction[ignored] - x.unhandled_penalty)
    return np.bincount(complains % f, minlength=f), np.bincount(recovered[1], minlength=f)
