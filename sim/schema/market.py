"""A whole market: the top of the scenario schema."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from sim.schema.base import Info, Strict
from sim.schema.channels import Channel
from sim.schema.customers import Customers
from sim.schema.events import AnyEvent, NewEntrant
from sim.schema.firms import Firm
from sim.schema.mechanics import (
    Choice,
    Economics,
    Experience,
    Homogenisation,
    Knowledge,
    WordOfMouth,
)

MAX_PERIODS = 10_000  # periods of one run: more is centuries of months and gigabytes per run


class MarketSpec(Strict):
    """A whole market: customers, firms and the mechanics that connect them."""

    info: Info = Info()
    periods: int = Field(60, ge=1, le=MAX_PERIODS, description="simulated periods (months)")
    customers: Customers = Customers()
    firms: list[Firm] = Field(min_length=1, max_length=20)
    choice: Choice = Choice()
    experience: Experience = Experience()
    word_of_mouth: WordOfMouth = WordOfMouth()
    knowledge: Knowledge = Knowledge()
    economics: Economics = Economics()
    homogenisation: Homogenisation = Homogenisation()
    events: list[AnyEvent] = Field(default_factory=list, max_length=1000)
    channel: Channel | None = None  # retailers between firms and customers; None: all direct

    @model_serializer(mode="wrap")
    def _no_channel_key_without_a_channel(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        """A market without a channel section dumps (and hashes) as before the section existed."""
        data = handler(self)
        if self.channel is None:
            data.pop("channel", None)
        return data

    @model_validator(mode="after")
    def _firms_are_named_consistently(self) -> MarketSpec:
        names = [f.name for f in self.firms]
        if len(set(names)) != len(names):
            raise ValueError(f"firm names must be unique, got {names}")
        for i, event in enumerate(self.events):
            firm = getattr(event, "firm", None)
            if firm is not None and firm not in names:
                raise ValueError(
                    f"events[{i}] ({event.kind}) names firm {firm!r}; firms are: {', '.join(names)}"
                )
        entrants = [e.firm for e in self.events if isinstance(e, NewEntrant)]
        if len(set(entrants)) != len(entrants):
            raise ValueError(f"a firm can enter only once, got new_entrant events for {entrants}")
        if len(set(entrants)) == len(names):
            raise ValueError(
                "every firm is a new entrant; at least one must be there from the start"
            )
        if self.channel is not None:
            self.channel.check_firms(names)
        for i, firm in enumerate(self.firms):
            if firm.channel_policy is not None and (
                self.channel is None or not self.channel.sells_through(firm.name)
            ):
                raise ValueError(
                    f"firms[{i}].channel_policy ({firm.channel_policy.name}): {firm.name} sells "
                    "through no retailer; give it a [[channel.contracts]] entry with mode "
                    "'retail' or 'both', or remove its channel_policy"
                )
        return self
