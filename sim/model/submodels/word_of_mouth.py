"""S10 Word of mouth: recommendations and warnings travel over the social network."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

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
    what they hear. The pair-by-pair steps are compiled loops; the random draws and exp stay
    numpy's (the same numbers as numpy's array passes, bit for bit)."""
    r = relations
    praise, warn = talkers(
        rng.random(r.satisfaction.shape),
        active,
        r.satisfaction,
        r.attachment,
        r.recommendations,
        np.array([w.positive_threshold, w.talk_positive, w.talk_attached]),
        np.array([w.negative_threshold, w.talk_negative]),
    )
    heard_praise = network.exposure(praise)
    heard_warning = network.exposure(warn)
    second_hop = network.exposure(heard_warning)
    exponent, shift = weigh(
        heard_praise, heard_warning, second_hop, w.forward_negative, w.awareness, w.attitude
    )
    missed = np.exp(exponent, out=exponent)  # exp(−awareness · heard): not made aware
    listen(rng.random(missed.shape), missed, shift, r.aware, r.trust)


@njit(cache=True)
def talkers(
    talk: NDArray[np.float64],
    active: NDArray[np.bool_],
    satisfaction: NDArray[np.float64],
    attachment: NDArray[np.float64],
    recommendations: NDArray[np.int32],
    positive: NDArray[np.float64],
    negative: NDArray[np.float64],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Who praises each firm and who warns against it, as two (N, F) masks, from one uniform
    draw per pair (``talk``): praise if active, satisfaction > positive[0] and
    talk < positive[1] + positive[2]·attachment (each praise counted in ``recommendations``);
    warn if active, satisfaction < negative[0] and talk < negative[1]."""
    n, f = talk.shape
    praise = np.zeros((n, f), dtype=np.bool_)
    warn = np.zeros((n, f), dtype=np.bool_)
    for i in range(n):
        for j in range(f):
            if active[i, j]:
                chance = attachment[i, j] * positive[2] + positive[1]
                if satisfaction[i, j] > positive[0] and talk[i, j] < chance:
                    praise[i, j] = True
                    recommendations[i, j] += 1
                warn[i, j] = satisfaction[i, j] < negative[0] and talk[i, j] < negative[1]
    return praise, warn


@njit(cache=True)
def weigh(
    heard_praise: NDArray[np.float64],
    heard_warning: NDArray[np.float64],
    second_hop: NDArray[np.float64],
    forward: float,
    awareness: float,
    attitude: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """What each listener heard, in place: the warnings are H⁻ = X(warn) + forward·X(X(warn));
    returns −awareness·(H⁺ + H⁻) (into ``second_hop``) and attitude·(H⁺ − H⁻) (into
    ``heard_praise``)."""
    n, f = heard_praise.shape
    for i in range(n):
        for j in range(f):
            warnings = second_hop[i, j] * forward + heard_warning[i, j]
            second_hop[i, j] = (heard_praise[i, j] + warnings) * -awareness
            heard_praise[i, j] = (heard_praise[i, j] - warnings) * attitude
    return second_hop, heard_praise


@njit(cache=True)
def listen(
    draw: NDArray[np.float64],
    missed: NDArray[np.float64],
    shift: NDArray[np.float64],
    aware: NDArray[np.bool_],
    trust: NDArray[np.float64],
) -> None:
    """Listeners become aware with chance 1 − ``missed`` (one uniform ``draw`` per pair) and
    their trust moves by ``shift``, within [−1, 1]; in place."""
    n, f = draw.shape
    for i in range(n):
        for j in range(f):
            aware[i, j] |= draw[i, j] < 1.0 - missed[i, j]
            trust[i, j] = min(max(trust[i, j] + shift[i, j], -1.0), 1.0)
