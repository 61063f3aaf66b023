"""Loyalty against satisfaction: what customers at each level of satisfaction do next.

Jones & Sasser (1995) found that "completely satisfied" customers are far more loyal than merely
"satisfied" ones; in the model that shape is not fitted but emerges from the zone of tolerance,
delight and attachment (docs/model.md, S7–S10). :func:`loyalty_by_satisfaction` follows every
purchase in a run and reports, by the buyer's satisfaction with the firm after it, what the buyer
does in the next ``lapse_periods`` periods: of those who buy in the category again, the share who
buy from the same firm (``repurchase``) and the share who buy only elsewhere (``defect``, Jones &
Sasser's defection: switching, not buying less); and the share of all who recommend the firm
(docs/validation.md, section 8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model import Market
from sim.schema import MarketSpec

BINS = np.linspace(-1.0, 1.0, 11)  # satisfaction bins of width 0.2


def follow_purchases(spec: MarketSpec, seed: int, warm_up: int = 12) -> pd.DataFrame:
    """One run: each customer-firm pair that bought in a period t ≥ ``warm_up`` (and at least
    lapse_periods before the end), its satisfaction after period t, whether it bought from the
    same firm again in t+1 … t+L (``repurchased``), whether the customer bought in the category
    at all then (``shopped``) and whether it recommended the firm then (``recommended``)."""
    market = Market(spec, rng=seed, record_transactions=False)
    lapse = spec.experience.lapse_periods
    r = market.relations
    open_windows: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    rows = []
    for _ in range(spec.periods):
        market.step()
        t = market.period
        while open_windows and open_windows[0][0] + lapse == t:
            start, pairs, satisfaction, bought, praised, in_category = open_windows.pop(0)
            customers_bought = r.purchases.sum(axis=1)[pairs // r.f]
            rows.append(
                pd.DataFrame(
                    {
                        "period": start,
                        "firm": pairs % r.f,
                        "satisfaction": satisfaction,
                        "repurchased": r.purchases.ravel()[pairs] > bought,
                        "shopped": customers_bought > in_category,
                        "recommended": r.recommendations.ravel()[pairs] > praised,
                    }
                )
            )
        if warm_up <= t <= spec.periods - lapse:
            pairs = np.flatnonzero(r.last_purchase.ravel() == t)
            open_windows.append(
                (
                    t,
                    pairs,
                    r.satisfaction.ravel()[pairs].copy(),
                    r.purchases.ravel()[pairs].copy(),
                    r.recommendations.ravel()[pairs].copy(),
                    r.purchases.sum(axis=1)[pairs // r.f],
                )
            )
    return pd.concat(rows, ignore_index=True)


def loyalty_by_satisfaction(spec: MarketSpec, seeds: range | list[int]) -> pd.DataFrame:
    """Over ``seeds``: by satisfaction bin (width 0.2), the purchases followed, the share whose
    buyer shopped in the category again, and of those the shares that repurchased from the same
    firm and that defected; and the share of all that recommended the firm."""
    followed = pd.concat([follow_purchases(spec, seed) for seed in seeds], ignore_index=True)
    followed["bin"] = pd.cut(followed["satisfaction"], BINS, include_lowest=True)
    followed["stayed"] = followed["repurchased"].where(followed["shopped"])
    table = followed.groupby("bin", observed=True).agg(
        purchases=("satisfaction", "size"),
        satisfaction=("satisfaction", "mean"),
        shopped=("shopped", "mean"),
        repurchase=("stayed", "mean"),
        recommend=("recommended", "mean"),
    )
    table["defect"] = 1.0 - table["repurchase"]
    return table.reset_index()
