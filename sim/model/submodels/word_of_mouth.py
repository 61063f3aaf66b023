"""S10 Word of mouth: recommendations and warnings travel over the social network."""

from __future__ import annotations

import numpy as np
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
    what they hear."""
    # Computed in place (out=, +=) to keep few (N, F) arrays alive; the same numbers bit for bit.
    r = relations
    praise, warn = said(r, active, w, rng)
    heard_praise = network.exposure(praise)
    heard_warning = network.exposure(warn)
    second_hop = network.exposure(heard_warning)
    second_hop *= w.forward_negative
    second_hop += heard_warning
    heard_warning = second_hop
    heard = np.add(heard_praise, heard_warning)
    chance = np.multiply(heard, -w.awareness, out=heard)
    np.exp(chance, out=chance)
    np.subtract(1.0, chance, out=chance)  # 1 − exp(−awareness · heard)
    r.aware |= rng.random(chance.shape) < chance
    heard_praise -= heard_warning
    heard_praise *= w.attitude
    r.trust += heard_praise
    np.clip(r.trust, -1.0, 1.0, out=r.trust)


def said(
    relations: Relationships, active: NDArray[np.bool_], w: WordOfMouth, rng: np.random.Generator
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Who praises each firm and who warns against it, as two (N, F) masks; counts each praise
    in ``relations.recommendations``."""
    r = relations
    talk = rng.random(r.satisfaction.shape)
    praise_chance = np.multiply(r.attachment, w.talk_attached)
    praise_chance += w.talk_positive
    praise = active & (r.satisfaction > w.positive_threshold) & (talk < praise_chance)
    r.recommendations += praise
    warn = active & (r.satisfaction < w.negative_threshold) & (talk < w.talk_negative)
    return praise, warn
