"""The built-in strategies, one per orientation a CRM course contrasts (docs/model.md, section 8).

Write your own the same way: subclass :class:`~sim.strategies.Strategy`, give it a ``name`` and a
``Params`` schema, and return a :class:`~sim.strategies.Decision` from ``decide``::

    from pydantic import Field

    from sim.strategies import Decision, FirmView, MarketView, Strategy, StrategyParams

    class Discounter(Strategy):
        '''Cost-plus with a thin margin and heavy advertising.'''
        name = "discounter"

        class Params(StrategyParams):
            markup: float = Field(0.15, ge=0, le=10)

        def decide(self, firm: FirmView, market: MarketView) -> Decision:
            return self.base_decision(
                firm, price=firm.unit_cost() * (1 + self.params.markup), advertising=3.0
            )

Put it in a module and name it by import path in a scenario (``strategy = {name =
"my_policy:Discounter"}``), so that runs on several processes find it.
"""

from __future__ import annotations

from pydantic import Field

from sim.strategies.base import Decision, FirmView, MarketView, Strategy, StrategyParams
from sim.strategies.registry import register


@register
class Static(Strategy):
    """A fixed offer: the initial price, service and personnel, a fixed advertising budget."""

    name = "static"

    class Params(StrategyParams):
        advertising: float = Field(0.5, ge=0, description="$ per capita per period")
        complaint_handling: float = Field(0.0, ge=0, le=1)

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        p = self.params
        return self.base_decision(
            firm, advertising=p.advertising, complaint_handling=p.complaint_handling
        )


@register
class ProductCentric(Strategy):
    """以产品为中心: better product, one offer for all, push for volume, judged by market share.

    Rule: price = unit cost × (1 + markup); spend ``rd`` on product quality every period;
    advertise ``advertising``, raised by ``push`` (a fraction) after a period in which market
    share fell and relaxed back towards the base otherwise; minimal complaint handling; no
    customer profiles, no retention programme.
    """

    name = "product_centric"

    class Params(StrategyParams):
        markup: float = Field(0.45, ge=0, le=10)
        rd: float = Field(1.0, ge=0, description="$ per capita per period on product quality")
        advertising: float = Field(1.5, ge=0, description="base $ per capita per period")
        push: float = Field(0.2, ge=0, le=5, description="advertising raise when share falls")
        max_advertising: float = Field(4.0, ge=0)
        complaint_handling: float = Field(0.2, ge=0, le=1)

    def __init__(self, params: StrategyParams | None = None) -> None:
        super().__init__(params)
        self.advertising = self.params.advertising

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        p = self.params
        shares = firm.share_history
        if len(shares) >= 2 and shares[-1] < shares[-2]:
            self.advertising = min(p.max_advertising, self.advertising * (1 + p.push))
        else:
            self.advertising += 0.5 * (p.advertising - self.advertising)
        return self.base_decision(
            firm,
            price=firm.unit_cost() * (1 + p.markup),
            rd=p.rd,
            advertising=self.advertising,
            complaint_handling=p.complaint_handling,
        )


@register
class CustomerCentric(Strategy):
    """以客户为中心: know each customer, personalise, serve, recover, retain by lifetime value.

    Rule: invest ``crm`` in customer profiles and personalise each offer to the profile; deliver
    ``service_boost`` and ``personnel_boost`` above the initial offer; handle ``complaint_handling``
    of complaints well; contact the ``retention_share`` of own customers with the highest
    lifetime value × churn risk (raised by ``retention_step`` after a period in which customer
    equity fell, up to ``max_retention_share``, relaxed otherwise); give the top ``tier_share`` by
    lifetime value ``tier_service`` extra service (客户经理制); reward repeat customers with
    ``loyalty_discount``; price = unit cost × (1 + markup). Judged by customer equity.
    """

    name = "customer_centric"

    class Params(StrategyParams):
        markup: float = Field(0.45, ge=0, le=10)
        crm: float = Field(1.5, ge=0, description="$ per capita per period on CRM")
        service_boost: float = Field(10.0, ge=0, description="extra service $ per basket")
        personnel_boost: float = Field(5.0, ge=0, description="extra personnel $ per basket")
        advertising: float = Field(0.5, ge=0)
        complaint_handling: float = Field(0.9, ge=0, le=1)
        retention_share: float = Field(0.1, ge=0, le=1)
        retention_step: float = Field(0.02, ge=0, le=1)
        max_retention_share: float = Field(0.3, ge=0, le=1)
        tier_share: float = Field(0.2, ge=0, le=1)
        tier_service: float = Field(10.0, ge=0)
        loyalty_discount: float = Field(0.05, ge=0, le=0.9)

    def __init__(self, params: StrategyParams | None = None) -> None:
        super().__init__(params)
        self.retention_share = self.params.retention_share

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        p = self.params
        equity = firm.equity_history
        if len(equity) >= 2 and equity[-1] < equity[-2]:
            self.retention_share = min(
                p.max_retention_share, self.retention_share + p.retention_step
            )
        else:
            self.retention_share += 0.5 * (p.retention_share - self.retention_share)
        service = firm.spec.value.service + p.service_boost
        personnel = firm.spec.value.personnel + p.personnel_boost
        return self.base_decision(
            firm,
            price=firm.unit_cost(service=service, personnel=personnel) * (1 + p.markup),
            service=service,
            personnel=personnel,
            advertising=p.advertising,
            crm=p.crm,
            personalisation="individual",
            complaint_handling=p.complaint_handling,
            retention_share=self.retention_share,
            tier_share=p.tier_share,
            tier_service=p.tier_service,
            loyalty_discount=p.loyalty_discount,
        )


@register
class MarketOriented(Strategy):
    """Market-oriented: study the market by research (以小代大), tailor offers to segments.

    Rule: spend ``research`` on market research, which tailors the product to each segment's
    average taste (no individual knowledge); add ``service_boost``; price between cost-plus and
    the rivals' mean price (``price_matching`` is the weight on the rivals' mean); moderate
    advertising and complaint handling.
    """

    name = "market_oriented"

    class Params(StrategyParams):
        markup: float = Field(0.45, ge=0, le=10)
        research: float = Field(0.5, ge=0, description="$ per capita per period")
        service_boost: float = Field(5.0, ge=0)
        advertising: float = Field(1.0, ge=0)
        price_matching: float = Field(0.5, ge=0, le=1)
        complaint_handling: float = Field(0.5, ge=0, le=1)

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        p = self.params
        service = firm.spec.value.service + p.service_boost
        cost_plus = firm.unit_cost(service=service) * (1 + p.markup)
        rivals = [r.price for r in market.rivals]
        reference = sum(rivals) / len(rivals) if rivals else cost_plus
        return self.base_decision(
            firm,
            price=(1 - p.price_matching) * cost_plus + p.price_matching * reference,
            service=service,
            advertising=p.advertising,
            research=p.research,
            personalisation="segment",
            complaint_handling=p.complaint_handling,
        )


@register
class SalesPush(Strategy):
    """推销观念: promotion and discounts to win new customers; service trimmed to pay for it.

    Rule: heavy ``advertising``; ``first_purchase_discount`` for prospects and lapsed customers;
    service reduced by ``service_cut``; thin ``markup``; little complaint handling.
    """

    name = "sales_push"

    class Params(StrategyParams):
        markup: float = Field(0.3, ge=0, le=10)
        advertising: float = Field(3.0, ge=0)
        first_purchase_discount: float = Field(0.2, ge=0, le=0.9)
        service_cut: float = Field(5.0, ge=0)
        complaint_handling: float = Field(0.1, ge=0, le=1)

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        p = self.params
        service = max(0.0, firm.spec.value.service - p.service_cut)
        return self.base_decision(
            firm,
            price=firm.unit_cost(service=service) * (1 + p.markup),
            service=service,
            advertising=p.advertising,
            first_purchase_discount=p.first_purchase_discount,
            complaint_handling=p.complaint_handling,
        )


@register
class CompetitorCentric(Strategy):
    """以竞争者为中心: match or undercut the cheapest rival; cut quality when margins vanish.

    Rule: price = cheapest rival's price × (1 − undercut), but never below unit cost ×
    (1 + min_margin); when that floor binds, cut product value by ``quality_cut`` $ a period to
    lower unit cost — the price war that degrades quality.
    """

    name = "competitor_centric"

    class Params(StrategyParams):
        undercut: float = Field(0.03, ge=0, le=0.9)
        min_margin: float = Field(0.05, ge=-0.5, le=10)
        quality_cut: float = Field(1.0, ge=0)
        min_product: float = Field(20.0, ge=0, description="product value it will not go below")
        advertising: float = Field(1.0, ge=0)
        complaint_handling: float = Field(0.2, ge=0, le=1)

    def decide(self, firm: FirmView, market: MarketView) -> Decision:
        p = self.params
        floor = firm.unit_cost() * (1 + p.min_margin)
        rivals = [r.price for r in market.rivals]
        target = min(rivals) * (1 - p.undercut) if rivals else floor
        cut = (
            p.quality_cut
            if target < floor and firm.value.product - p.quality_cut >= p.min_product
            else 0
        )
        return self.base_decision(
            firm,
            price=max(target, floor),
            quality_cut=cut,
            advertising=p.advertising,
            complaint_handling=p.complaint_handling,
        )
