"""S8 Satisfaction and complaints: satisfaction follows experience; complaints may be recovered."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, run_drawing_blocks
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
    to serve. One compiled pass (:func:`complain`) in blocks of customers, each block drawing
    from its own generator. Returns per-firm complaints and recoveries."""
    r = relations
    rules = np.array(
        [
            x.satisfaction_memory,
            x.complaint_threshold,
            x.complaint_probability,
            complaint_cost,
            x.recovery_satisfaction,
            x.recovery_trust,
            x.unhandled_penalty,
        ]
    )
    handling = np.array([d.complaint_handling for d in decisions])
    counts = run_drawing_blocks(
        complain, bounds(r.n), rng, by_pair.pairs, by_pair.satisfaction, by_pair.times,
        rules, handling, r.satisfaction, r.trust, r.cost_to_serve,
    )  # fmt: skip
    return sum(c for c, _ in counts), sum(h for _, h in counts)


@njit(cache=True, nogil=True)
def complain(
    start: int,
    stop: int,
    generator: np.random.Generator,
    pairs: NDArray[np.intp],
    felt_sum: NDArray[np.float64],
    times: NDArray[np.int64],
    rules: NDArray[np.float64],
    handling: NDArray[np.float64],
    satisfaction: NDArray[np.float64],
    trust: NDArray[np.float64],
    cost_to_serve: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The pairs that bought (flat i·F + j, ascending) of customers ``start`` to ``stop``, in
    place: satisfaction moves towards the mean felt ``felt_sum / times`` with weight rules[0];
    below rules[1] the pair complains with chance rules[2] and the firm handles it well with
    chance handling[j] (one uniform number of the block's ``generator`` each, in pair order):
    recovered, it costs rules[3] of cost to serve, satisfaction becomes rules[4] and trust rises
    by rules[5] (at most 1); not recovered, satisfaction falls by rules[6] (at least −1).
    Returns the block's complaints and recoveries per firm."""
    f = handling.size
    complaints, recoveries = np.zeros(f, np.int64), np.zeros(f, np.int64)
    p = np.searchsorted(pairs, start * f)
    while p < pairs.size and pairs[p] < stop * f:
        i, j = divmod(pairs[p], f)
        felt = felt_sum[p] / times[p]
        satisfaction[i, j] = (1 - rules[0]) * satisfaction[i, j] + rules[0] * felt
        if felt < rules[1] and generator.random() < rules[2]:
            complaints[j] += 1
            if generator.random() < handling[j]:
                recoveries[j] += 1
                cost_to_serve[i, j] += rules[3]
                satisfaction[i, j] = rules[4]
                trust[i, j] = min(1.0, trust[i, j] + rules[5])
            else:
                satisfaction[i, j] = max(-1.0, satisfaction[i, j] - rules[6])
        p += 1
    return complaints, recoveries
