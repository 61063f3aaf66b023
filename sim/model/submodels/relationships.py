"""S9 Relationships: trust, attachment, profiles, counters, lifecycle stages and dropout."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from sim.model.blocks import bounds, run_blocks
from sim.model.population import Relationships, Stage, Traits
from sim.model.submodels.choice import Purchases
from sim.model.submodels.experience import FeltByPair
from sim.schema import Experience, Knowledge
from sim.strategies import Decision

# Stage codes are compiled into this module's loops, which numba caches by this file: after
# changing them in population.py, run `make clean-compiled`.
PROSPECT, FIRST_TIME, REPEAT, LOYAL, LAPSED = (int(stage) for stage in Stage)


def update_relationships(
    customers: Traits,
    relations: Relationships,
    purchases: Purchases,
    by_pair: FeltByPair,
    decisions: list[Decision],
    period: int,
    x: Experience,
    know: Knowledge,
) -> NDArray[np.bool_]:
    """Trust follows satisfaction; attachment grows with delight and breaks below the adequate
    level; profiles learn; stages move; the buyers who left (S6) leave the category.
    Returns the pairs with an active relationship after this period's purchases."""
    c, r = customers, relations
    crm = np.array([min(1.0, d.crm / know.crm_full_cost) for d in decisions])
    learn = np.minimum(1.0, know.base_rate + know.crm_rate * crm)
    active = np.empty_like(r.aware)
    run_blocks(
        relate,
        bounds(r.n),
        by_pair.pairs,
        by_pair.times,
        by_pair.delights,
        by_pair.letdowns,
        1.0 - learn,
        period,
        Pace(
            trust_rate=x.trust_rate,
            trust_kept=1 - x.trust_decay,
            trust_loss=x.inadequate_trust_loss,
            attachment_kept=1.0 - x.attachment_decay,
            attachment_gap_kept=1.0 - x.attachment_gain,
            attachment_after_letdown=1.0 - x.inadequate_attachment_loss,
            knowledge_kept=1 - know.decay,
            lapse_periods=x.lapse_periods,
            loyal_purchases=x.loyal_purchases,
            loyal_trust=x.loyal_trust,
            loyal_attachment=x.loyal_attachment,
        ),
        r.satisfaction,
        r.trust,
        r.attachment,
        r.knowledge,
        r.purchases,
        r.last_purchase,
        r.stage,
        active,
    )
    # Each buyer's last purchase of the period: purchases come grouped by customer, in order.
    who = purchases.customer
    latest = np.flatnonzero(np.append(who[1:] != who[:-1], True)) if who.size else who
    r.last_firm[who[latest]] = purchases.firm[latest]
    c.in_category &= ~purchases.leaving
    return active


class Pace(NamedTuple):
    """How fast relationships move (from the scenario's experience and knowledge keys), as
    :func:`relate` reads them."""

    trust_rate: float  # trust moves this share of the way to satisfaction per period bought
    trust_kept: float  # 1 − trust_decay
    trust_loss: float  # inadequate_trust_loss, per inadequate purchase
    attachment_kept: float  # 1 − attachment_decay
    attachment_gap_kept: float  # 1 − attachment_gain
    attachment_after_letdown: float  # 1 − inadequate_attachment_loss
    knowledge_kept: float  # 1 − knowledge decay
    lapse_periods: int
    loyal_purchases: int
    loyal_trust: float
    loyal_attachment: float


@njit(cache=True, nogil=True)
def relate(
    start: int,
    stop: int,
    pairs: NDArray[np.intp],
    times: NDArray[np.int64],
    delights: NDArray[np.float64],
    letdowns: NDArray[np.float64],
    unlearnt: NDArray[np.float64],
    period: int,
    pace: Pace,
    satisfaction: NDArray[np.float64],
    trust: NDArray[np.float64],
    attachment: NDArray[np.float64],
    knowledge: NDArray[np.float64],
    purchases: NDArray[np.int32],
    last_purchase: NDArray[np.int32],
    stage: NDArray[np.int8],
    active: NDArray[np.bool_],
) -> None:
    """Customers ``start`` to ``stop``: each of their customer-firm pairs' relationship after
    this period, in place: trust, attachment, profile, purchase count, last purchase and stage;
    ``active`` is filled. ``pairs`` are the pairs that bought (flat i·F + j, ascending),
    ``times`` how often, ``delights`` and ``letdowns`` how many of those purchases were above
    desired and below adequate; ``unlearnt`` is 1 − each firm's learning rate. A pair that did
    not buy gets the same formulas with no purchase, without the powers (x ** 0 = 1 exactly,
    and no delights, let-downs or purchases add exactly 0): the numbers of the formulas, bit
    for bit."""
    f = trust.shape[1]
    p = np.searchsorted(pairs, start * f)  # the next pair that bought
    for i in range(start, stop):
        for j in range(f):
            if p < pairs.size and pairs[p] == i * f + j:
                t = trust[i, j]
                t += pace.trust_rate * (satisfaction[i, j] - t)
                t -= pace.trust_loss * letdowns[p]
                trust[i, j] = t
                attachment[i, j] = compiled_attachment_after(
                    attachment[i, j],
                    delights[p],
                    letdowns[p],
                    pace.attachment_kept,
                    pace.attachment_gap_kept,
                    pace.attachment_after_letdown,
                )
                unknown = (1.0 - knowledge[i, j]) * unlearnt[j] ** float(times[p])
                knowledge[i, j] = 1.0 - unknown
                purchases[i, j] += times[p]
                last_purchase[i, j] = period
                p += 1
            else:
                trust[i, j] *= pace.trust_kept
                faded = attachment[i, j] * pace.attachment_kept
                attachment[i, j] = 1.0 - (1.0 - faded)  # attachment_after with no purchase
                knowledge[i, j] *= pace.knowledge_kept
            trust[i, j] = min(max(trust[i, j], -1.0), 1.0)
            last = last_purchase[i, j]
            live = last >= 0 and last > period - pace.lapse_periods
            active[i, j] = live
            stage[i, j] = stage_of(purchases[i, j], live, trust[i, j], attachment[i, j], pace)


def attachment_after(
    held: NDArray[np.float64] | float,
    delights: NDArray[np.float64] | float,
    letdowns: NDArray[np.float64] | float,
    kept: float,
    gap_kept: float,
    after_letdown: float,
) -> NDArray[np.float64] | float:
    """Attachment after a period: it fades to ``kept`` of itself, each delighted purchase
    closes attachment_gain of the gap to 1 (``gap_kept`` = 1 − attachment_gain), then each
    inadequate one breaks inadequate_attachment_loss of it (``after_letdown`` = 1 − that). On
    scalars and arrays alike; :func:`relate` calls it compiled."""
    faded = held * kept
    grown = 1.0 - (1.0 - faded) * gap_kept**delights
    return grown * after_letdown**letdowns


compiled_attachment_after = njit(cache=True)(attachment_after)


def attachment(
    held: NDArray[np.float64] | float,
    delights: NDArray[np.float64] | float,
    letdowns: NDArray[np.float64] | float,
    x: Experience,
) -> NDArray[np.float64] | float:
    """:func:`attachment_after` with the scenario's rates: on scalars (one pair, as the
    reference engine calls it) and (N, F) arrays alike."""
    return attachment_after(
        held,
        delights,
        letdowns,
        1.0 - x.attachment_decay,
        1.0 - x.attachment_gain,
        1.0 - x.inadequate_attachment_loss,
    )


@njit(cache=True)
def stage_of(purchases: int, active: bool, trust: float, attachment: float, pace: Pace) -> int:
    """Lifecycle stage of one pair, from purchases, recency (``active``), trust and attachment
    (attitudinal loyalty: a repeat buyer who trusts the firm or is attached to it is loyal); the
    first condition that holds decides."""
    if purchases == 0:
        return PROSPECT
    if not active:
        return LAPSED
    if purchases == 1:
        return FIRST_TIME
    if purchases >= pace.loyal_purchases and (
        trust >= pace.loyal_trust or attachment >= pace.loyal_attachment
    ):
        return LOYAL
    return REPEAT
