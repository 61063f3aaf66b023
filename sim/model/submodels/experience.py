"""S7 Experience: realised value, satisfaction per purchase, and expectations that adapt."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.equations import failure_probability, satisfaction_response
from sim.model.events import Conditions
from sim.model.population import Traits
from sim.model.submodels.choice import Purchases
from sim.model.submodels.offers import Offers
from sim.schema import Experience


def experience(
    customers: Traits,
    purchases: Purchases,
    offers: Offers,
    x: Experience,
    conditions: Conditions,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Realised value = offered delivered value − failure_loss on a service failure + noise;
    satisfaction = response(realised − expectation); expectations adapt and drift upward.
    Returns the satisfaction of each purchase."""
    c = customers
    i, j = purchases.customer, purchases.firm
    failed = rng.random(i.size) < np.maximum(
        failure_probability(offers.service[i, j], x.failure_base, x.failure_service_scale),
        conditions.failure_floor[j],
    )
    realised = (
        offers.delivered_value[i, j]
        - x.failure_loss * failed
        + rng.normal(0.0, x.performance_noise, i.size)
    )
    satisfaction = satisfaction_response(
        realised - c.expectation[i],
        x.tolerance_zone,
        x.slope_inside,
        x.slope_outside,
        x.loss_aversion,
    )
    count = np.bincount(i, minlength=c.count)
    mean_realised = np.bincount(i, realised, minlength=c.count) / np.maximum(count, 1)
    gap = mean_realised - c.expectation
    rate = np.where(gap > 0, x.expectation_up, x.expectation_down) * (count > 0)
    c.expectation += rate * gap + x.expectation_drift * c.in_category
    return satisfaction
