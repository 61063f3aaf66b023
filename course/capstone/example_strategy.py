"""A starting point for the capstone: a strategy that is product-centric while its product lead
lasts and turns customer-centric once rivals catch up.

Name it by import path (``module:Class``), with this folder on ``PYTHONPATH``: runs go to worker
processes, which find a strategy only by its import path. From the command line::

    PYTHONPATH=course/capstone crmsim run flagship --seeds 10 \\
        --set 'firms[0].strategy={name = "example_strategy:ProductThenCustomer"}'

    PYTHONPATH=course/capstone crmsim compare flagship --firm ProductCo --seeds 10 \\
        --strategies product_centric,customer_centric,example_strategy:ProductThenCustomer

Parameters go in the same table: ``{name = "example_strategy:ProductThenCustomer",
switch_lead = 10.0}``. From Python, pass the same table to ``sim.scenarios.load`` as a setting
(see ``tests/course/test_capstone.py``). Copy this file, rename the class, and change ``decide``.
"""

from __future__ import annotations

import math

from pydantic import Field

from sim.strategies import Decision, FirmView, MarketView, Strategy, StrategyParams


class ProductThenCustomer(Strategy):
    """Lead with the product while the lead lasts; then know, serve and keep customers.

    Product phase (以产品为中心): price = unit cost × (1 + markup); spend ``rd`` on product quality
    and ``advertising`` on awareness; handle few complaints.
    Switch: in the first period in which the firm's product value exceeds the best rival's by
    less than ``switch_lead`` dollars (products have grown alike, 同质化), it switches for good.
    Customer phase (以客户为中心): add ``service_boost`` and ``personnel_boost`` to the initial
    offer and price on that cost; spend ``crm`` on profiles and personalise offers; handle
    ``complaint_handling`` of complaints well; contact the ``retention_share`` of customers with
    the most lifetime value at risk; give repeat customers ``loyalty_discount``.
    """

    name = "product_then_customer"

    class Params(StrategyParams):
        markup: float = Field(0.45, ge=0, le=10, description="price = unit cost × (1 + markup)")
        switch_lead: float = Field(
            5.0, ge=0, description="$ of product lead below which the firm switches"
        )
        rd: float = Field(1.0, ge=0, description="product phase: $ per capita per period")
        advertising: float = Field(1.5, ge=0, description="product phase: $ per capita")
        crm: float = Field(1.5, ge=0, description="customer phase: $ per capita per period")
        service_boost: float = Field(10.0, ge=0, description="customer phase: $ per basket")
        personnel_boost: float = Field(5.0, ge=0, description="customer phase: $ per basket")
        complaint_handling: float = Field(0.9, ge=0, le=1, description="customer phase")
        retention_share: float = Field(0.1, ge=0, le=1, description="customer phase")
        loyalty_discount: float = Field(0.05, ge=0, le=0.9, description="customer phase")

    def __init__(self, params: StrategyParams | None = None) -> None:
        super().__init__(params)
        self.switched_in: int | None = None  # period of the switch; None while product-led

    @staticmethod
    def product_lead(firm: FirmView, market: MarketView) -> float:
        """$ by which the firm's product value exceeds the best rival's (inf with no rivals)."""
        if not market.rivals:
            return math.inf
        return float(firm.value.product) - max(rival.product for rival in market.rivals)

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        p = self.params
        if self.switched_in is None and self.product_lead(firm, market) < p.switch_lead:
            self.switched_in = market.period
        initial = firm.spec.value
        if self.switched_in is None:
            cost = firm.unit_cost(service=initial.service, personnel=initial.personnel)
            return self.base_decision(
                firm,
                price=cost * (1 + p.markup),
                rd=p.rd,
                advertising=p.advertising,
                complaint_handling=0.2,
            )
        service = initial.service + p.service_boost
        personnel = initial.personnel + p.personnel_boost
        return self.base_decision(
            firm,
            price=firm.unit_cost(service=service, personnel=personnel) * (1 + p.markup),
            service=service,
            personnel=personnel,
            advertising=0.5,
            crm=p.crm,
            personalisation="individual",
            complaint_handling=p.complaint_handling,
            retention_share=p.retention_share,
            loyalty_discount=p.loyalty_discount,
        )
