"""The event timeline's kinds: shocks that change the market mid-run (docs/scenarios.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.schema.base import Strict


class Event(Strict):
    """Something that happens to the market at ``period`` (1 = the first month)."""

    period: int = Field(ge=1, le=100_000, description="period in which the event starts")


class LastingEvent(Event):
    """An event that lasts ``duration`` periods."""

    duration: int = Field(1, ge=1, le=100_000, description="periods the event lasts")


class ProductConvergence(Event):
    """A sudden catch-up: every product closes ``strength`` of its gap to the best at once."""

    kind: Literal["homogenisation"]
    strength: float = Field(0.5, ge=0, le=1, description="share of the gap closed at once")


class NewEntrant(Event):
    """The named firm enters the market in ``period``; before that nobody knows it and it
    neither decides nor pays anything."""

    kind: Literal["new_entrant"]
    period: int = Field(ge=2, le=100_000, description="period of entry (2 or later)")
    firm: str


class PriceWar(LastingEvent):
    """The named firm cuts its price by ``cut`` (a fraction) whatever its strategy says."""

    kind: Literal["price_war"]
    firm: str
    cut: float = Field(0.2, ge=0, le=0.9, description="fraction taken off the firm's price")


class Recession(LastingEvent):
    """Customers buy less often and weigh money more."""

    kind: Literal["recession"]
    purchase_rate: float = Field(0.7, ge=0, le=10, description="multiplier on purchase rates")
    money_sensitivity: float = Field(1.3, ge=0, le=10, description="multiplier on money weight")


class ServiceOutage(LastingEvent):
    """The named firm's purchases fail at least this often (systems down, staff missing)."""

    kind: Literal["service_outage"]
    firm: str
    failure_probability: float = Field(0.5, ge=0, le=1, description="minimum failure chance")


class CrmLaunch(Event):
    """The named firm launches a CRM system: its records of past buyers become profiles of at
    least ``accuracy``; from then on it personalises each offer and adds ``running_cost`` to its
    CRM budget (profiles learn faster, up to full speed at ``knowledge.crm_full_cost``)."""

    kind: Literal["crm_launch"]
    firm: str
    accuracy: float = Field(0.3, ge=0, le=1, description="profile accuracy of past buyers")
    running_cost: float = Field(1.0, ge=0, le=1e6, description="$ per capita per period")


class Scandal(Event):
    """The named firm's image takes a blow and every customer's trust in it falls."""

    kind: Literal["scandal"]
    firm: str
    image_loss: float = Field(10.0, ge=0, le=1e6, description="$ of image value lost")
    trust_loss: float = Field(0.3, ge=0, le=2, description="trust lost by every customer")


AnyEvent = Annotated[
    ProductConvergence | NewEntrant | PriceWar | Recession | ServiceOutage | CrmLaunch | Scandal,
    Field(discriminator="kind"),
]
