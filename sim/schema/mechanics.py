"""The market's mechanics: choice, experience, word of mouth, knowledge, economics and
homogenisation (one section each in a scenario file)."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.schema.base import Strict


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
    attachment_value: float = Field(
        15.0, ge=0, le=10_000, description="$ of utility per unit of attachment (delight)"
    )


class Experience(Strict):
    """Realised value, disconfirmation, satisfaction, complaints and trust."""

    failure_base: float = Field(0.3, ge=0, le=1, description="service-failure chance at no service")
    failure_service_scale: float = Field(
        15.0, gt=0, le=10_000, description="$ of service per e-fold"
    )
    failure_loss: float = Field(30.0, ge=0, le=10_000, description="$ lost in a failed purchase")
    performance_noise: float = Field(5.0, ge=0, le=10_000, description="sd of realised value ($)")
    adequate_gap: float = Field(
        6.0, ge=0, le=10_000, description="$ below expectation: the adequate level (zone floor)"
    )
    desired_gap: float = Field(
        6.0, ge=0, le=10_000, description="$ above expectation: the desired level (zone ceiling)"
    )
    slope_inside: float = Field(0.01, ge=0, le=10, description="satisfaction per $ inside the zone")
    slope_outside: float = Field(
        0.06, ge=0, le=10, description="satisfaction per $ outside the zone"
    )
    loss_aversion: float = Field(2.0, ge=1, le=10, description="shortfalls weigh this many times")
    forgiveness: float = Field(
        0.5, ge=0, le=1, description="share of the shortfall weight full attachment forgives"
    )
    attachment_gain: float = Field(
        0.3, ge=0, le=1, description="share of the gap to full attachment a delight closes"
    )
    attachment_decay: float = Field(
        0.05, ge=0, le=1, description="share of attachment lost each period"
    )
    inadequate_attachment_loss: float = Field(
        0.5, ge=0, le=1, description="share of attachment lost on an inadequate purchase"
    )
    inadequate_trust_loss: float = Field(
        0.1, ge=0, le=2, description="trust lost on an inadequate purchase"
    )
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
    loyal_trust: float = Field(0.4, ge=0, le=1, description="trust that makes a repeat buyer loyal")
    loyal_attachment: float = Field(
        0.5, ge=0, le=1, description="attachment that makes a repeat buyer loyal"
    )
    lapse_periods: int = Field(6, ge=1, le=1000, description="periods without purchase = lapsed")


class WordOfMouth(Strict):
    """Who talks, to whom, and what it does to listeners."""

    positive_threshold: float = Field(0.3, ge=-1, le=1, description="satisfaction to recommend")
    negative_threshold: float = Field(-0.3, ge=-1, le=1, description="satisfaction to warn")
    talk_positive: float = Field(0.1, ge=0, le=1, description="chance a satisfied customer talks")
    talk_negative: float = Field(0.3, ge=0, le=1, description="chance a dissatisfied one talks")
    talk_attached: float = Field(
        0.3, ge=0, le=1, description="extra chance to recommend per unit of attachment"
    )
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
