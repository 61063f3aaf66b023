"""S10 Word of mouth: recommendations and warnings travel over the social network."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, firsts, run_blocks
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
    what they hear. Random numbers are drawn only where they decide something: one per active
    pair (who talks), one per pair not yet aware (who hears of the firm)."""
    r = relations
    edges = bounds(r.n)
    said = np.zeros((r.n, 2 * r.f), dtype=np.bool_)
    run_blocks(
        talkers,
        edges,
        edges,
        firsts(edges, mask=active),
        rng.random(np.count_nonzero(active)),
        active,
        r.satisfaction,
        r.attachment,
        r.recommendations,
        np.array([w.positive_threshold, w.talk_positive, w.talk_attached]),
        np.array([w.negative_threshold, w.talk_negative]),
        said,
    )
    heard = network.exposure(said)  # praise in the first F columns, warnings in the last F
    second_hop = network.exposure(np.ascontiguousarray(heard[:, r.f :]))
    unaware = ~r.aware
    run_blocks(
        listen,
        edges,
        edges,
        firsts(edges, mask=unaware),
        rng.random(np.count_nonzero(unaware)),
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
    edges: NDArray[np.int64],
    first: NDArray[np.int64],
    talk: NDArray[np.float64],
    active: NDArray[np.bool_],
    satisfaction: NDArray[np.float64],
    attachment: NDArray[np.float64],
    recommendations: NDArray[np.int32],
    positive: NDArray[np.float64],
    negative: NDArray[np.float64],
    said: NDArray[np.bool_],
) -> None:
    """Who of customers ``start`` to ``stop`` praises each firm (the first F columns of
    ``said``) and who warns against it (the last F), from one uniform draw per active pair
    (``talk``, active pairs in row-major order; block b's, starting at customer ``edges[b]``,
    from ``first[b]`` on):
    praise if satisfaction > positive[0] and talk < positive[1] + positive[2]·attachment
    (each praise counted in ``recommendations``); warn if satisfaction < negative[0] and
    talk < negative[1]."""
    f = active.shape[1]
    k = first[np.searchsorted(edges, start)]
    for i in range(start, stop):
        for j in range(f):
            if active[i, j]:
                u = talk[k]
                k += 1
                chance = attachment[i, j] * positive[2] + positive[1]
                if satisfaction[i, j] > positive[0] and u < chance:
                    said[i, j] = True
                    recommendations[i, j] += 1
                said[i, f + j] = satisfaction[i, j] < negative[0] and u < negative[1]


@njit(cache=True, nogil=True)
def listen(
    start: int,
    stop: int,
    edges: NDArray[np.int64],
    first: NDArray[np.int64],
    draws: NDArray[np.float64],
    heard: NDArray[np.float64],
    second_hop: NDArray[np.float64],
    weights: NDArray[np.float64],
    aware: NDArray[np.bool_],
    trust: NDArray[np.float64],
) -> None:
    """What each listener from ``start`` to ``stop`` heard, H⁺ (``heard``'s first F columns)
    and the warnings H⁻ = X(warn) (its last F) + weights[0]·X(X(warn)) (``second_hop``): a
    pair not yet aware becomes aware with chance 1 − exp(−weights[1]·(H⁺ + H⁻)) (one uniform
    of ``draws`` per such pair, in row-major order; block b's from ``first[b]`` on) and trust
    moves by weights[2]·(H⁺ − H⁻), within [−1, 1]; in place."""
    f = aware.shape[1]
    k = first[np.searchsorted(edges, start)]
    for i in range(start, stop):
        for j in range(f):
            warnings = second_hop[i, j] * weights[0] + heard[i, f + j]
            if not aware[i, j]:
                aware[i, j] = draws[k] < 1.0 - np.exp(-weights[1] * (heard[i, j] + warnings))
                k += 1
            trust[i, j] = min(max(trust[i, j] + weights[2] * (heard[i, j] - warnings), -1.0), 1.0)
