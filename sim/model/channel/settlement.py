"""S6 and S11 for the channel: the retailer's cut of each store sale, and what every firm owes
every retailer this period (rebates on volume, development bonuses, support)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from sim.model.channel.terms import Terms
from sim.model.submodels.choice import Purchases


@dataclass(frozen=True)
class StoreSales:
    """This period's sales at the stores, as (K, F) arrays of retailer × brand."""

    units: NDArray[np.float64]  # baskets sold
    sales: NDArray[np.float64]  # $ customers paid
    margin: NDArray[np.float64]  # $ the retailer kept of it
    at_store: NDArray[np.bool_]  # (purchases,) whether each purchase was made at a store


def store_sales(
    purchases: Purchases,
    store: NDArray[np.bool_],
    home: NDArray[np.int64],
    margin_rate: NDArray[np.float64],
    k: int,
) -> tuple[Purchases, StoreSales]:
    """The purchases with each store sale's margin net of the retailer's cut (the firm's margin),
    and the sales per retailer and brand. ``store`` (N, F) is where each offer was taken."""
    f = store.shape[1]
    at_store = store.ravel().take(purchases.customer * f + purchases.firm)  # flat: fast
    cut = purchases.revenue * margin_rate.take(purchases.firm) * at_store
    cell = home.take(purchases.customer) * f + purchases.firm

    def per_cell(values: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.bincount(cell, values, minlength=k * f).astype(float).reshape(k, f)

    sales = StoreSales(
        units=per_cell(at_store.astype(float)),
        sales=per_cell(purchases.revenue * at_store),
        margin=per_cell(cut),
        at_store=at_store,
    )
    return replace(purchases, margin=purchases.margin - cut), sales


@dataclass(frozen=True)
class Payments:
    """What firms pay retailers this period beyond the margin, as (K, F) arrays in $."""

    rebates: NDArray[np.float64]
    bonuses: NDArray[np.float64]
    support: NDArray[np.float64]

    def firm_total(self) -> NDArray[np.float64]:
        """(F,) each firm's channel payments."""
        return (self.rebates + self.bonuses + self.support).sum(axis=0)


def payments(
    sales: StoreSales,
    won: NDArray[np.float64],
    carries: NDArray[np.bool_],
    terms: Terms,
) -> Payments:
    """Rebates (rebate × units above the threshold), development bonuses (bonus × ``won``, the
    customers each store won for each brand this period) and support (per carrying store)."""
    above = np.maximum(sales.units - terms.threshold[None, :], 0.0)
    return Payments(
        rebates=terms.rebate[None, :] * above,
        bonuses=terms.bonus[None, :] * won,
        support=terms.support[None, :] * carries,
    )


def won_at_stores(
    new: NDArray[np.bool_],
    store: NDArray[np.bool_],
    bought: NDArray[np.bool_],
    home: NDArray[np.int64],
    k: int,
) -> NDArray[np.float64]:
    """(K, F) customers won this period (``new`` pairs) who bought the brand at their store."""
    f = new.shape[1]
    customer, firm = np.nonzero(new & store & bought)
    cell = home[customer] * f + firm
    return np.bincount(cell, minlength=k * f).astype(float).reshape(k, f)


@dataclass(frozen=True)
class ChannelTake:
    """What the channel takes of each firm's revenue this period, (F,) arrays in $."""

    margin: NDArray[np.float64]  # the stores' cut of the firm's store sales
    paid: Payments  # rebates, bonuses and support

    def deduction(self) -> NDArray[np.float64]:
        """(F,) the stores' margin plus every channel payment."""
        return self.margin + self.paid.firm_total()
