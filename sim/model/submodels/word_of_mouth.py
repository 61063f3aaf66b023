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
    r = relations
    talk = rng.random(r.satisfaction.shape)
    praise_chance = w.talk_positive + w.talk_attached * r.attachment
    praise = active & (r.satisfaction > w.positive_threshold) & (talk < praise_chance)
    r.recommendations += praise
    warn = active & (r.satisfaction < w.negative_threshold) & (talk < w.talk_negative)
    f = r.f
    heard_praise, heard_warning = np.hsplit(
        network.exposure(np.hstack([praise, warn]).astype(float)), [f]
    )
    heard_warning = heard_warning + w.forward_negative * network.exposure(heard_warning)
    heard = heard_praise + heard_warning
    r.aware |= rng.random(heard.shape) < 1.0 - np.exp(-w.awareness * heard)
    r.trust = np.clip(r.trust + w.attitude * (heard_praise - heard_warning), -1.0, 1.0)
