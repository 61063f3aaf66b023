"""S0 for the channel: each firm with a ``channel_policy`` sets this period's contract terms from
what it sees of its stores (:mod:`sim.strategies.channel`); the others keep their contract's."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
from numpy.typing import NDArray

from sim.model.channel.partnership import Partnerships
from sim.model.channel.terms import Terms
from sim.schema import Firm
from sim.strategies.channel import ChannelPolicy, ChannelView, ContractTerms, build_policy

TERMS = [f.name for f in fields(ContractTerms)]  # fields of Terms a policy sets


class ChannelPolicies:
    """The firms' channel policies, one instance per firm that has one."""

    def __init__(self, firms: list[Firm]) -> None:
        self.policies: dict[int, ChannelPolicy] = {
            j: build_policy(firm.channel_policy)
            for j, firm in enumerate(firms)
            if firm.channel_policy is not None
        }

    def __bool__(self) -> bool:
        return bool(self.policies)

    def set_terms(
        self,
        contracts: Terms,
        partners: Partnerships,
        units: NDArray[np.float64],
        period: int,
    ) -> Terms:
        """The contracts with every policy firm's terms for this period; ``units`` (K, F) the
        baskets each store sold of each brand last period."""
        columns = {name: getattr(contracts, name).copy() for name in TERMS}
        for j, policy in self.policies.items():
            carried = partners.carries[:, j]
            view = ChannelView(
                period=period,
                contract=ContractTerms(**{name: columns[name][j].item() for name in TERMS}),
                stage=partners.stage[carried, j],
                satisfaction=partners.satisfaction[carried, j],
                units=units[carried, j],
            )
            terms = policy.terms(view)
            for name in TERMS:
                columns[name][j] = getattr(terms, name)
        return replace(contracts, **columns)
