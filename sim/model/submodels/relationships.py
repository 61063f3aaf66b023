"""S9 Relationships: trust, attachment, profiles, counters, lifecycle stages and dropout."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.population import Relationships, Stage, Traits
from sim.model.submodels.choice import Purchases
from sim.model.submodels.experience import Felt
from sim.schema import Experience, Knowledge
from sim.strategies import Decision


def per_customer(values: NDArray) -> NDArray[np.float64]:
    """Row sums of an (N, F) array, as one matrix-vector product."""
    return values @ np.ones(values.shape[1])


def update_relationships(
    customers: Traits,
    relations: Relationships,
    purchases: Purchases,
    felt: Felt,
    decisions: list[Decision],
    period: int,
    x: Experience,
    know: Knowledge,
) -> NDArray[np.bool_]:
    """Trust follows satisfaction; attachment grows with delight and breaks below the adequate
    level; profiles learn; stages move; the buyers who left (S6) leave the category.
    Returns the pairs with an active relationship after this period's purchases."""
    # Pairs that bought (``pairs``, flat i·F + j) get the full update; for the others it is the
    # same formula with no purchase, computed in place (x ** 0 = 1 exactly, and 0 delights,
    # let-downs and purchases add exactly 0): the same numbers bit for bit, fewer powers.
    c, r = customers, relations
    pairs = purchases.pairs
    times = purchases.count.take(pairs)  # purchases of each pair that bought
    letdowns = purchases.over_pairs(felt.inadequate)
    trust = r.trust.take(pairs)
    trust += x.trust_rate * (r.satisfaction.take(pairs) - trust)
    trust -= x.inadequate_trust_loss * letdowns
    r.trust *= 1 - x.trust_decay
    np.put(r.trust, pairs, trust)
    np.clip(r.trust, -1.0, 1.0, out=r.trust)
    held = r.attachment.take(pairs)
    r.attachment *= 1.0 - x.attachment_decay  # faded; with no delight or let-down, 1 − (1 − faded):
    np.subtract(1.0, r.attachment, out=r.attachment)
    np.subtract(1.0, r.attachment, out=r.attachment)
    np.put(r.attachment, pairs, attachment(held, purchases.over_pairs(felt.delighted), letdowns, x))
    crm = np.array([min(1.0, d.crm / know.crm_full_cost) for d in decisions])
    learn = np.minimum(1.0, know.base_rate + know.crm_rate * crm)
    knowledge = 1.0 - (1.0 - r.knowledge.take(pairs)) * (1.0 - learn)[pairs % r.f] ** times
    r.knowledge *= 1 - know.decay
    np.put(r.knowledge, pairs, knowledge)
    np.put(r.purchases, pairs, r.purchases.take(pairs) + times)
    np.put(r.last_purchase, pairs, period)
    # Each buyer's last purchase of the period: purchases come grouped by customer, in order.
    who = purchases.customer
    latest = np.flatnonzero(np.append(who[1:] != who[:-1], True)) if who.size else who
    r.last_firm[who[latest]] = purchases.firm[latest]
    active = r.active(period, x.lapse_periods)
    r.stage = stages(r, active, x)
    c.in_category &= ~purchases.leaving
    return active


def attachment(
    held: NDArray[np.float64],
    delights: NDArray[np.float64],
    letdowns: NDArray[np.float64],
    x: Experience,
) -> NDArray[np.float64]:
    """Attachment after a period: it fades by attachment_decay, each delighted purchase closes
    attachment_gain of the gap to 1, then each inadequate one breaks inadequate_attachment_loss
    of it. Works on scalars (one pair) and (N, F) arrays alike."""
    faded = held * (1.0 - x.attachment_decay)
    grown = 1.0 - (1.0 - faded) * (1.0 - x.attachment_gain) ** delights
    return grown * (1.0 - x.inadequate_attachment_loss) ** letdowns


def stages(relations: Relationships, active: NDArray[np.bool_], x: Experience) -> NDArray[np.int8]:
    """Lifecycle stage of every pair, from purchases, recency (``active``), trust and attachment
    (attitudinal loyalty: a repeat buyer who trusts the firm or is attached to it is loyal)."""
    r = relations
    attitude = (r.trust >= x.loyal_trust) | (r.attachment >= x.loyal_attachment)
    loyal = (r.purchases >= x.loyal_purchases) & attitude
    code = np.int8  # the first condition that holds decides the stage
    return np.where(
        r.purchases == 0,
        code(Stage.PROSPECT),
        np.where(
            ~active,
            code(Stage.LAPSED),
            np.where(
                r.purchases == 1,
                code(Stage.FIRST_TIME),
                np.where(loyal, code(Stage.LOYAL), code(Stage.REPEAT)),
            ),
        ),
    )
