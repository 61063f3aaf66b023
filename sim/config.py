"""The scenario schema: every parameter of the market, with its default, unit and range.

A scenario is a validated :class:`Scenario` object. Files in ``scenarios/`` are TOML documents of
the same shape (see :mod:`sim.scenario`). Unknown keys are errors, so a typo never passes silently.
Money is in dollars ($) per basket, per customer or per period as each field says; "per capita"
budgets are dollars per customer in the market per period, so results do not depend on how many
customers a run simulates.

Every field is described in ``docs/model.md`` (Details, "Parameters").
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    """Base for all scenario sections: unknown keys are errors; assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class Info(Strict):
    """The scenario's own documentation, in the spirit of NetLogo's Info tab."""

    title: str = ""
    what_is_it: str = ""
    how_it_works: str = ""
    how_to_use_it: str = ""
    things_to_notice: str = ""
    things_to_try: str = ""
    extending_the_model: str = ""


MONTH_DAYS = 365.25 / 12  # days in one period when periods are months (the default reading)
INFO_SECTIONS = tuple(name for name in Info.model_fields if name != "title")


class ValueComponents(Strict):
    """Kotler's four components of total customer value ($ of perceived worth per basket)."""

    product: float = Field(80.0, ge=0, le=10_000)
    service: float = Field(20.0, ge=0, le=10_000)
    personnel: float = Field(10.0, ge=0, le=10_000)
    image: float = Field(10.0, ge=0, le=10_000)


class NonMonetaryCosts(Strict):
    """The non-money parts of total customer cost ($-equivalent per basket)."""

    time: float = Field(5.0, ge=0, le=10_000)
    energy: float = Field(3.0, ge=0, le=10_000)
    psychic: float = Field(2.0, ge=0, le=10_000)


class Weights(Strict):
    """Mean importance a segment gives each value component (dimensionless multiplier, 1 = par)."""

    product: float = Field(1.0, ge=0, le=10)
    service: float = Field(1.0, ge=0, le=10)
    personnel: float = Field(1.0, ge=0, le=10)
    image: float = Field(1.0, ge=0, le=10)


class Sensitivities(Strict):
    """Mean sensitivity a segment has to each cost component (dimensionless multiplier)."""

    money: float = Field(1.0, ge=0, le=10)
    time: float = Field(1.0, ge=0, le=10)
    energy: float = Field(1.0, ge=0, le=10)
    psychic: float = Field(1.0, ge=0, le=10)


class BetaDistribution(Strict):
    """Beta(a, b) distribution of a probability across customers."""

    a: float = Field(gt=0, le=1000)
    b: float = Field(gt=0, le=1000)


class Segment(Strict):
    """A group of customers whose parameters are drawn from the same distributions."""

    name: str
    share: float = Field(gt=0, le=1, description="fraction of all customers in this segment")
    value_weights: Weights = Weights()
    cost_sensitivities: Sensitivities = Sensitivities()
    weight_dispersion: float = Field(
        0.3, ge=0, le=2, description="coefficient of variation of each weight and sensitivity"
    )
    purchase_rate: float = Field(1.0, gt=0, le=100, description="mean purchase occasions/period")
    purchase_rate_shape: float = Field(
        2.0, gt=0, le=1000, description="gamma shape r of purchase rates (small = heterogeneous)"
    )
    basket_mean: float = Field(1.0, gt=0, le=1000, description="mean baskets bought per purchase")
    basket_shape: float = Field(
        4.0, gt=0, le=1000, description="gamma shape of baskets per purchase (spend heterogeneity)"
    )
    dropout: BetaDistribution | None = Field(
        None, description="Beta-distributed chance of leaving the category after each purchase"
    )
    taste: float = Field(0.0, ge=0, lt=1, description="centre of ideal product variants (circle)")
    taste_spread: float = Field(0.15, ge=0, le=0.5, description="sd of ideal variants (circle)")
    misfit_sensitivity: float = Field(
        25.0, ge=0, le=10_000, description="$ of product value lost per unit of taste distance"
    )
    expectation: float = Field(5.0, ge=-1000, le=1000, description="initial expected value ($)")


class Network(Strict):
    """Who talks to whom: the social network word of mouth travels over."""

    kind: Literal["small_world", "fully_mixed", "none"] = "small_world"
    degree: int = Field(10, ge=2, le=200, description="neighbours per customer (even)")
    rewiring: float = Field(0.1, ge=0, le=1, description="Watts-Strogatz rewiring probability")

    @model_validator(mode="after")
    def _even_degree(self) -> Network:
        if self.degree % 2:
            raise ValueError(
                f"degree must be even (a ring lattice has k/2 each side), got {self.degree}"
            )
        return self


class Customers(Strict):
    """The customer population."""

    count: int = Field(10_000, ge=10, le=5_000_000)
    segments: list[Segment] = Field(default_factory=lambda: [Segment(name="all", share=1.0)])
    network: Network = Network()

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Customers:
        total = sum(s.share for s in self.segments)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"segment shares must sum to 1, they sum to {total:.6g}")
        names = [s.name for s in self.segments]
        if len(set(names)) != len(names):
            raise ValueError(f"segment names must be unique, got {names}")
        return self


class Choice(Strict):
    """How customers choose among offers (multinomial logit with relationship terms)."""

    noise: float = Field(10.0, gt=0, le=10_000, description="Gumbel scale mu ($)")
    outside_value: float = Field(0.0, ge=-10_000, le=10_000, description="value of buying nothing")
    trust_weight: float = Field(20.0, ge=0, le=10_000, description="$ of utility per unit trust")
    switching_cost: float = Field(
        5.0, ge=0, le=10_000, description="$ bonus for the last firm used"
    )
    loyalty_lockin: float = Field(
        0.5, ge=0, le=10, description="extra switching cost per $ of loyalty discount forgone"
    )


class Experience(Strict):
    """Realised value, disconfirmation, satisfaction, complaints and trust."""

    failure_base: float = Field(0.3, ge=0, le=1, description="service-failure chance at no service")
    failure_service_scale: float = Field(
        15.0, gt=0, le=10_000, description="$ of service per e-fold"
    )
    failure_loss: float = Field(30.0, ge=0, le=10_000, description="$ lost in a failed purchase")
    performance_noise: float = Field(5.0, ge=0, le=10_000, description="sd of realised value ($)")
    tolerance_zone: float = Field(5.0, ge=0, le=10_000, description="half-width z of the zone ($)")
    slope_inside: float = Field(0.01, ge=0, le=10, description="satisfaction per $ inside the zone")
    slope_outside: float = Field(
        0.06, ge=0, le=10, description="satisfaction per $ outside the zone"
    )
    loss_aversion: float = Field(2.0, ge=1, le=10, description="shortfalls weigh this many times")
    satisfaction_memory: float = Field(
        0.5, gt=0, le=1, description="weight of the newest experience"
    )
    trust_rate: float = Field(
        0.15, gt=0, le=1, description="speed at which trust follows satisfaction"
    )
    trust_decay: float = Field(
        0.02, ge=0, le=1, description="trust lost per period without contact"
    )
    expectation_up: float = Field(0.3, ge=0, le=1, description="adaptation to better experiences")
    expectation_down: float = Field(0.1, ge=0, le=1, description="adaptation to worse experiences")
    expectation_drift: float = Field(
        0.05, ge=-100, le=100, description="$ per period, all customers"
    )
    complaint_threshold: float = Field(-0.3, ge=-1, le=1, description="satisfaction below this")
    complaint_probability: float = Field(0.3, ge=0, le=1, description="share who complain")
    recovery_satisfaction: float = Field(
        0.3, ge=-1, le=1, description="satisfaction after recovery"
    )
    recovery_trust: float = Field(0.1, ge=0, le=1, description="trust gained by a recovery")
    unhandled_penalty: float = Field(0.3, ge=0, le=2, description="satisfaction lost if ignored")
    loyal_purchases: int = Field(
        4, ge=2, le=1000, description="purchases before loyalty is possible"
    )
    loyal_trust: float = Field(0.4, ge=0, le=1, description="trust needed to count as loyal")
    lapse_periods: int = Field(6, ge=1, le=1000, description="periods without purchase = lapsed")


class WordOfMouth(Strict):
    """Who talks, to whom, and what it does to listeners."""

    positive_threshold: float = Field(0.3, ge=-1, le=1, description="satisfaction to recommend")
    negative_threshold: float = Field(-0.3, ge=-1, le=1, description="satisfaction to warn")
    talk_positive: float = Field(0.1, ge=0, le=1, description="chance a satisfied customer talks")
    talk_negative: float = Field(0.3, ge=0, le=1, description="chance a dissatisfied one talks")
    forward_negative: float = Field(0.5, ge=0, le=1, description="weight of second-hop warnings")
    awareness: float = Field(0.3, ge=0, le=1, description="awareness chance per unit exposure (q)")
    attitude: float = Field(0.2, ge=0, le=2, description="trust change per unit net exposure")

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> WordOfMouth:
        if self.negative_threshold >= self.positive_threshold:
            raise ValueError(
                f"negative_threshold ({self.negative_threshold}) must be below "
                f"positive_threshold ({self.positive_threshold})"
            )
        return self


class Knowledge(Strict):
    """Customer knowledge: profiles that grow with transactions and CRM investment."""

    base_rate: float = Field(0.02, ge=0, le=1, description="profile accuracy gained per purchase")
    crm_rate: float = Field(0.15, ge=0, le=1, description="extra gain per purchase at full CRM")
    crm_full_cost: float = Field(2.0, gt=0, le=10_000, description="$ per capita for full CRM")
    decay: float = Field(0.01, ge=0, le=1, description="accuracy lost per period without contact")
    personalisation_fit: float = Field(0.8, ge=0, le=1, description="misfit removable by a profile")
    convenience: float = Field(0.5, ge=0, le=1, description="time and energy cost removable")
    research_full_cost: float = Field(0.5, gt=0, le=10_000, description="$ per capita, segment fit")


class Economics(Strict):
    """What firms pay for what they do."""

    acquisition_cost: float = Field(50.0, ge=0, le=1e6, description="$ per customer won")
    retention_cost: float = Field(10.0, ge=0, le=1e6, description="$ per retention contact")
    retention_trust: float = Field(0.1, ge=0, le=1, description="trust a retention contact adds")
    complaint_cost: float = Field(20.0, ge=0, le=1e6, description="$ per complaint handled")
    rd_efficiency: float = Field(0.5, ge=0, le=1000, description="product $ per R&D $ per capita")
    ad_effectiveness: float = Field(0.2, ge=0, le=1000, description="awareness hazard per ad $")
    image_per_ad: float = Field(0.3, ge=0, le=1000, description="image $ per ad $ per capita")
    image_decay: float = Field(0.05, ge=0, le=1, description="share of image lost per period")
    discount_rate: float = Field(0.01, ge=0, le=1, description="per period, for lifetime value")
    margin_smoothing: float = Field(
        0.2, gt=0, le=1, description="weight of the newest period in a customer's margin rate"
    )


class Homogenisation(Strict):
    """Products growing alike: followers imitate the best product and positions converge."""

    rate: float = Field(0.0, ge=0, le=1, description="share of the gap closed per period")
    start: int = Field(0, ge=0, le=100_000, description="first period it acts")


class UnitCostRates(Strict):
    """$ of variable cost per $ of each value component delivered in a basket."""

    product: float = Field(0.4, ge=0, le=100)
    service: float = Field(0.5, ge=0, le=100)
    personnel: float = Field(0.5, ge=0, le=100)


class StrategySpec(Strict):
    """A strategy by registered name, with its parameters (checked by the strategy's own schema)."""

    model_config = ConfigDict(extra="allow")

    name: str

    @property
    def params(self) -> dict[str, object]:
        """The strategy's parameters: every key but ``name``."""
        return dict(self.model_extra or {})

    @model_validator(mode="after")
    def _known_strategy(self) -> StrategySpec:
        from sim.strategies import resolve_params

        resolve_params(self.name, self.params)
        return self


class Firm(Strict):
    """One firm: its initial offer, cost structure and strategy."""

    name: str
    strategy: StrategySpec
    price: float = Field(100.0, gt=0, le=1e7, description="list price ($ per basket)")
    value: ValueComponents = ValueComponents()
    costs: NonMonetaryCosts = NonMonetaryCosts()
    position: float = Field(0.0, ge=0, lt=1, description="product variant on the taste circle")
    unit_cost_rates: UnitCostRates = UnitCostRates()
    overhead: float = Field(1.0, ge=0, le=1e6, description="fixed $ per capita per period")
    initial_awareness: float = Field(0.5, ge=0, le=1, description="share of customers aware at t=0")


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


class Scenario(Strict):
    """A whole market: customers, firms and the mechanics that connect them."""

    info: Info = Info()
    periods: int = Field(60, ge=1, le=10_000, description="simulated periods (months)")
    customers: Customers = Customers()
    firms: list[Firm] = Field(min_length=1, max_length=20)
    choice: Choice = Choice()
    experience: Experience = Experience()
    word_of_mouth: WordOfMouth = WordOfMouth()
    knowledge: Knowledge = Knowledge()
    economics: Economics = Economics()
    homogenisation: Homogenisation = Homogenisation()
    events: list[AnyEvent] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def _firms_are_named_consistently(self) -> Scenario:
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
        return self
