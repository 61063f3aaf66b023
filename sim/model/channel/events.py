"""The channel's events (``channel.events``): a retailer that defects to a rival brand, and a
rebate war. Applied at the start of each period, after the market's own events (S0)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.channel.partnership import Partnerships
from sim.schema import ChannelEvent, RebateWar, RetailerDefects


def war_rebates(events: list[ChannelEvent], names: list[str], period: int) -> NDArray[np.float64]:
    """(F,) $ per unit the rebate wars under way add to each firm's rebate this period: step ×
    the number of periods the war has lasted (1 in its first period)."""
    extra = np.zeros(len(names))
    for war in events:
        if isinstance(war, RebateWar) and war.period <= period < war.period + war.duration:
            for firm in war.firms:
                extra[names.index(firm)] += war.step * (period - war.period + 1)
    return extra


def defect(
    partners: Partnerships,
    events: list[ChannelEvent],
    stores: list[str],
    names: list[str],
    period: int,
) -> None:
    """Every retailer that defects this period drops its brand and moves that brand's effort to
    the rival (carried from now on, at the stage it had or at interest)."""
    p = partners
    for event in events:
        if isinstance(event, RetailerDefects) and event.period == period:
            k, j, rival = (
                stores.index(event.retailer),
                names.index(event.firm),
                names.index(event.rival),
            )
            p.effort[k, rival] += p.effort[k, j]
            p.effort[k, j] = 0.0
            p.carries[k, j], p.carries[k, rival] = False, True
            p.stage[k, j] = 0
            p.progress[k, j] = 0
