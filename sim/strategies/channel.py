"""Channel policies: how a firm sets its contract with its retailers each period (docs/model.md,
section 8, "Channel policies"). A firm's ``channel_policy`` sits beside its ``strategy`` (which
sets its offer to customers), so any customer strategy combines with either policy.

- ``transactional``: push volume with rebates (:class:`Transactional`);
- ``partnership``: support, shared customer data, co-planning (:class:`Partnership`).

A policy sees what the firm sees of its stores (:class:`ChannelView`) and returns this period's
:class:`ContractTerms`; the terms it does not set stay the contract's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from sim.schema import STAGES, ChannelPolicySpec, PartnershipPolicy, TransactionalPolicy

SHARED_MANAGEMENT = STAGES.index("shared_management")


@dataclass(frozen=True)
class ContractTerms:
    """One firm's terms with every store for one period."""

    margin: float  # retailer's share of the price paid, [0, 1)
    rebate: float  # $ per unit above the threshold
    threshold: float  # units per store per period before rebates
    bonus: float  # $ per customer a store wins for the brand
    support: float  # $ per carrying store per period
    share_data: bool  # the firm shares its customer data with the stores


@dataclass(frozen=True)
class ChannelView:
    """What a firm sees of its channel when it sets its terms (arrays over the stores that
    carry its brand; empty before any store carries it)."""

    period: int
    contract: ContractTerms  # as the scenario writes it
    stage: NDArray[np.int64]  # partnership stage, index in STAGES
    satisfaction: NDArray[np.float64]  # each store's satisfaction with the brand, (−1, 1)
    units: NDArray[np.float64]  # baskets each store sold of the brand last period

    @property
    def mean_stage(self) -> float:
        """Mean partnership stage over the stores that carry the brand (0 with none)."""
        return float(self.stage.mean()) if self.stage.size else 0.0


class ChannelPolicy(ABC):
    """Base class: one instance per firm, so a policy may remember past periods."""

    def __init__(self, spec: ChannelPolicySpec) -> None:
        self.spec = spec

    @abstractmethod
    def terms(self, view: ChannelView) -> ContractTerms:
        """This period's terms from what the firm sees of its stores."""


class Transactional(ChannelPolicy):
    """Push volume with rebates: after a period in which the stores sold more than ``tolerance``
    fewer units of the brand than the period before, raise the rebate by ``rebate_step`` (up to
    ``max_rebate``); otherwise relax it by a step back toward the contract's rebate."""

    spec: TransactionalPolicy

    def __init__(self, spec: TransactionalPolicy) -> None:
        super().__init__(spec)
        self.rebate: float | None = None
        self.sold: float | None = None  # units at the stores the period before

    def terms(self, view: ChannelView) -> ContractTerms:
        s, base = self.spec, view.contract.rebate
        sold = float(view.units.sum())
        rebate = base if self.rebate is None else self.rebate
        if self.sold is not None and sold < (1 - s.tolerance) * self.sold:
            rebate = min(max(base, s.max_rebate), rebate + s.rebate_step)
        else:
            rebate = max(base, rebate - s.rebate_step)
        self.rebate, self.sold = rebate, sold
        return replace(view.contract, rebate=rebate)


class Partnership(ChannelPolicy):
    """Build partnerships: the contract's support until the mean stage reaches ``taper_at``, then
    ``mature_support`` of it; customer data shared if ``share_data``; ``co_planning_bonus``
    added to the development bonus once the mean stage reaches shared management."""

    spec: PartnershipPolicy

    def terms(self, view: ChannelView) -> ContractTerms:
        s, contract, stage = self.spec, view.contract, view.mean_stage
        mature = stage >= STAGES.index(s.taper_at)
        co_planning = s.co_planning_bonus if stage >= SHARED_MANAGEMENT else 0.0
        return replace(
            contract,
            support=contract.support * (s.mature_support if mature else 1.0),
            share_data=s.share_data,
            bonus=contract.bonus + co_planning,
        )


POLICIES: dict[str, type[ChannelPolicy]] = {
    "transactional": Transactional,
    "partnership": Partnership,
}


def build_policy(spec: ChannelPolicySpec) -> ChannelPolicy:
    """The policy a firm's ``channel_policy`` names (the schema admits only these names)."""
    return POLICIES[spec.name](spec)
