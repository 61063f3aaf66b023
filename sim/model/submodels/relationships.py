"""S9 Relationships: trust, profiles, counters, lifecycle stages and dropout."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.population import Relationships, Stage, Traits
from sim.model.submodels.choice import Purchases
from sim.schema import Experience, Knowledge
from sim.strategies import Decision


def per_customer(values: NDArray) -> NDArray[np.float64]:
    """Row sums of an (N, F) array, as one matrix-vector product."""
    return values @ np.ones(values.shape[1])


def update_relationships(
    customers: Traits,
    relations: Relationships,
    purchases: Purchases,
    decisions: list[Decision],
    period: int,
    x: Experience,
    know: Knowledge,
    rng: np.random.Generator,
) -> NDArray[np.bool_]:
    """Trust follows satisfaction; profiles learn; stages move; some buyers leave.
    Returns the pairs with an active relationship after this period's purchases."""
    c, r = customers, relations
    count = purchases.count
    bought = count > 0
    r.trust = np.where(
        bought,
        r.trust + x.trust_rate * (r.satisfaction - r.trust),
        r.trust * (1 - x.trust_decay),
    )
    np.clip(r.trust, -1.0, 1.0, out=r.trust)
    crm = np.array([min(1.0, d.crm / know.crm_full_cost) for d in decisions])
    learn = np.minimum(1.0, know.base_rate + know.crm_rate * crm)
    r.knowledge = np.where(
        bought,
        1.0 - (1.0 - r.knowledge) * (1.0 - learn) ** count,
        r.knowledge * (1 - know.decay),
    )
    r.purchases += count
    r.last_purchase[bought] = period
    # Each buyer's last purchase of the period: purchases come grouped by customer, in order.
    who = purchases.customer
    latest = np.flatnonzero(np.append(who[1:] != who[:-1], True)) if who.size else who
    r.last_firm[who[latest]] = purchases.firm[latest]
    active = r.active(period, x.lapse_periods)
    r.stage = stages(r, active, x)
    leave = rng.random(c.count) < 1.0 - (1.0 - c.dropout) ** per_customer(count)
    c.in_category &= ~leave
    return active


def stages(relations: Relationships, active: NDArray[np.bool_], x: Experience) -> NDArray[np.int8]:
    """Lifecycle stage of every pair, from purchases, recency (``active``) and trust."""
    r = relations
    loyal = (r.purchases >= x.loyal_purchases) & (r.trust >= x.loyal_trust)
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
