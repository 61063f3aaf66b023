"""S5 continued: offers made through a customer's home store. The retailer's service effort adds
to or takes from the brand's service value; the customer buys each brand the better way it can
(at its store unless the store serves it worse than the firm does directly), and cannot buy a
brand it can reach neither way."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.submodels.offers import Offers
from sim.schema import SERVICE


def retail_service(
    service: NDArray[np.float64],
    effort: NDArray[np.float64],
    carries: NDArray[np.bool_],
    support: NDArray[np.float64],
    data: NDArray[np.float64],
) -> NDArray[np.float64]:
    """(K, F) $ per basket a store adds to (or takes from) each brand's service: the store's
    swing ``service`` (K,) × (brands carried × effort share − 1), so an even split adds nothing,
    plus what the firm's ``support`` (F,) trains in and what shared ``data`` (K, F) add."""
    brands = carries.sum(axis=1, keepdims=True)
    swing = service[:, None] * (brands * effort - 1.0)
    return np.where(carries, swing + support[None, :] + data, 0.0)


def through_stores(
    offers: Offers,
    weights: NDArray[np.float64],
    home: NDArray[np.int64],
    extra: NDArray[np.float64],
    carries: NDArray[np.bool_],
    direct: NDArray[np.bool_],
) -> tuple[Offers, NDArray[np.bool_]]:
    """The offers as customers can take them (``offers``, changed in place: delivered value,
    service and utility), and (N, F) whether each is taken at the store.

    ``extra`` (K, F) is :func:`retail_service`; ``weights`` the customers' value weights;
    ``direct`` (F,) whether a firm sells directly. The store's service is never below 0.
    (Hot, N × F: few passes and new arrays; a brand the store does not carry gains exactly 0,
    as its ``extra`` is 0.)"""
    at_store = carries.take(home, axis=0)  # take: several times faster than carries[home]
    service = offers.service + extra.take(home, axis=0)
    np.maximum(service, 0.0, out=service)
    gain = service - offers.service
    gain *= weights[:, SERVICE, None]
    store = at_store if not direct.any() else at_store & (~direct[None, :] | (gain >= 0))
    gain *= store  # 0 where the offer is taken directly
    offers.delivered_value += gain
    offers.utility += gain
    if not direct.all():  # a brand reachable neither way
        offers.utility[~(at_store | direct[None, :])] = -np.inf
    np.copyto(offers.service, service, where=store)
    return offers, store
