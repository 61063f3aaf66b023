"""S10 Word of mouth: recommendations and warnings travel over the social network."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, run_drawing_blocks
from sim.model.network import SocialNetwork
from sim.model.population import Relationships
from sim.schema import WordOfMouth


def word_of_mouth(
    relations: Relationships,
    network: SocialNetwork,
    active: NDArray[np.bool_],
    w: WordOfMouth,
    rng: np.random.Generator,
) -> None:
    """Satisfied customers recommend (attached ones more often), dissatisfied ones warn (more
    often, and warnings travel a second hop); listeners become aware and their trust moves with
    what they hear. Random numbers, from each block's own generator, are drawn only where they
    decide something: one per active pair satisfied or dissatisfied enough to talk, one per pair
    not yet aware that heard something."""
    r = relations
    edges = bounds(r.n)
    said = np.zeros((r.n, 2 * r.f), dtype=np.bool_)
    run_drawing_blocks(
        talkers,
        edges,
        rng,
        active,
        r.satisfaction,
        r.attachment,
        r.recommendations,
        np.array([w.positive_threshold, w.talk_positive, w.talk_attached]),
        np.array([w.negative_threshold, w.talk_negative]),
        said,
    )
    heard = network.exposure(said)  # praise in the first F columns, warnings in the last F
    second_hop = network.exposure(heard, first=r.f)  # the warnings' second hop
    run_drawing_blocks(
        listen,
        edges,
        rng,
        heard,
        second_hop,
        np.array([w.forward_negative, w.awareness, w.attitude]),
        r.aware,
        r.trust,
    )


@njit(cache=True, nogil=True)
def talkers(
    start: int,
    stop: int,
    generator: np.random.Generator,
    active: NDArray[np.bool_],
    satisfaction: NDArray[np.float64],
    attachment: NDArray[np.float64],
    recommendations: NDArray[np.int32],
    positive: NDArray[np.float64],
    negative: NDArray[np.float64],
    said: NDArray[np.bool_],
) -> None:
    """Who of customers ``start`` to ``stop`` praises each firm (the first F columns of
    ``said``) and who warns against it (the last F), from one uniform number u of the block's
    ``generator`` per active pair whose satisfaction is above positive[0] or below negative[0]
    (in row-major order): praise if satisfaction > positive[0] and
    u < positive[1] + positive[2]·attachment (each praise counted in ``recommendations``); warn
    if satisfaction < negative[0] and u < negative[1]."""
    f = active.shape[1]
    for i in range(start, stop):
        for j in range(f):
            if not active[i, j]:
                continue
            s = satisfaction[i, j]
            if s > positive[0]:
                if generator.random() < attachment[i, j] * positive[2] + positive[1]:
                    said[i, j] = True
                    recommendations[i, j] += 1
            elif s < negative[0]:
                said[i, f + j] = generator.random() < negative[1]


@njit(cache=True, nogil=True)
def listen(
    start: int,
    stop: int,
    generator: np.random.Generator,
    heard: NDArray[np.float64],
    second_hop: NDArray[np.float64],
    weights: NDArray[np.float64],
    aware: NDArray[np.bool_],
    trust: NDArray[np.float64],
) -> None:
    """What each listener from ``start`` to ``stop`` heard, H⁺ (``heard``'s first F columns)
    and the warnings H⁻ = X(warn) (its last F) + weights[0]·X(X(warn)) (``second_hop``): a
    pair not yet aware that heard anything becomes aware with chance
    1 − exp(−weights[1]·(H⁺ + H⁻)) (one uniform number of the block's ``generator`` per such
    pair, in row-major order) and trust moves by weights[2]·(H⁺ − H⁻), within [−1, 1]; in
    place."""
    f = aware.shape[1]
    for i in range(start, stop):
        for j in range(f):
            warnings = second_hop[i, j] * weights[0] + heard[i, f + j]
            told = heard[i, j] + warnings
            if not aware[i, j] and told > 0.0:
                aware[i, j] = generator.random() < 1.0 - np.exp(-weights[1] * told)
            trust[i, j] = min(max(trust[i, j] + weights[2] * (heard[i, j] - warnings), -1.0), 1.0)
