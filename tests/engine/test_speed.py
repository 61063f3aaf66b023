"""What the vectorised engine does for speed and memory without changing a number: BLAS on one
thread while a period runs, offers computed in one compiled pass equal to their formulas written
out, offers made only to shoppers equal to their rows of everyone's, and relationships updated in
full only for the pairs that bought (one compiled pass) equal to the update of every pair."""

from __future__ import annotations

import copy

import numpy as np
from threadpoolctl import threadpool_info

import sim.model.market
from sim.model import Market
from sim.model.equations import (
    circular_distance,
    failure_probability,
    satisfaction_response,
    shortfall_weight,
)
from sim.model.population import Stage
from sim.model.submodels.choice import Purchases, choose
from sim.model.submodels.complaints import handle_complaints
from sim.model.submodels.experience import experience, felt_by_pair
from sim.model.submodels.relationships import attachment, update_relationships
from sim.model.submodels.word_of_mouth import word_of_mouth
from sim.scenarios import load
from sim.schema import ENERGY, MONEY, PRODUCT, SERVICE, TIME

from conftest import market_decisions, market_offers


def pair_sums(purchases: Purchases, values: np.ndarray) -> np.ndarray:
    """Each customer-firm pair's sum of ``values`` (one per purchase), (N, F)."""
    n, f = purchases.count.shape
    pair = purchases.customer * f + purchases.firm
    return np.bincount(pair, values, minlength=n * f).reshape(n, f)


def blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_a_period_runs_blas_on_one_thread_and_gives_the_threads_back(monkeypatch):
    market = Market(load("flagship", ["customers.count=500"]).spec, rng=1)
    before = blas_threads()
    seen: list[set[int]] = []
    choose = sim.model.market.choose

    def recording_choose(*args, **kwargs):
        seen.append(blas_threads())
        return choose(*args, **kwargs)

    monkeypatch.setattr(sim.model.market, "choose", recording_choose)
    market.run_for(2)
    assert seen == [{1}, {1}]
    assert blas_threads() == before


def test_offers_computed_in_one_pass_equal_the_formulas_bit_for_bit():
    spec = load("flagship", ["customers.count=3000"]).spec
    market = Market(spec, rng=4).run(9)  # segments, profiles, tiers and discounts under way
    c, r, know, ch = market.customers, market.relations, spec.knowledge, spec.choice
    decisions = market_decisions(market)
    active = r.active(market.period, spec.experience.lapse_periods)
    offers = market_offers(market, decisions, active)

    def per_firm(values) -> np.ndarray:
        return np.array(list(values))

    price = per_firm(d.price for d in decisions)
    research = per_firm(min(1.0, d.research / know.research_full_cost) for d in decisions)
    segment_fit = research * per_firm(d.personalisation == "segment" for d in decisions)
    position = per_firm(f.position for f in market.firms)
    distance = circular_distance(c.taste[:, None], position[None, :])
    distance = distance - segment_fit * np.maximum(distance - c.segment_distance[:, None], 0.0)
    profile = r.knowledge * per_firm(d.personalisation == "individual" for d in decisions)
    distance = distance * (1.0 - know.personalisation_fit * profile)
    misfit = c.misfit_sensitivity[:, None] * distance
    tier_extra = offers.service - per_firm(d.service for d in decisions)
    member = (r.stage == Stage.REPEAT) | (r.stage == Stage.LOYAL)
    newcomer = (r.stage == Stage.PROSPECT) | (r.stage == Stage.LAPSED)
    loyalty = per_firm(d.loyalty_discount for d in decisions)
    discount = loyalty * member + per_firm(d.first_purchase_discount for d in decisions) * newcomer
    w, s, money = c.value_weights, c.cost_sensitivities, market.conditions.money_sensitivity
    standard = np.array(
        [
            per_firm(f.value.product for f in market.firms),
            per_firm(d.service for d in decisions),
            per_firm(d.personnel for d in decisions),
            per_firm(f.value.image for f in market.firms),
        ]
    )
    costs = [per_firm(getattr(f.costs, k) for f in market.firms) for k in ("time", "energy")]
    list_costs = np.array([money * price, *costs, per_firm(f.costs.psychic for f in market.firms)])
    total_value = sum(w[:, k, None] * standard[k] for k in range(4))  # left to right
    total_value = total_value + (w[:, SERVICE, None] * tier_extra - w[:, PRODUCT, None] * misfit)
    total_cost = (
        sum(s[:, k, None] * list_costs[k] for k in range(4))
        - s[:, MONEY, None] * (money * price) * discount
        - (s[:, TIME, None] * costs[0] + s[:, ENERGY, None] * costs[1])
        * (know.convenience * profile)
    )
    delivered = total_value - total_cost
    incumbent = r.last_firm[:, None] == np.arange(len(decisions))[None, :]
    lock_in = ch.switching_cost + ch.loyalty_lockin * loyalty * price * member
    relationship = (
        ch.trust_weight * r.trust + ch.attachment_value * r.attachment + incumbent * lock_in
    )
    for used in (segment_fit, profile, tier_extra, discount):
        assert np.count_nonzero(used)
    assert np.array_equal(offers.delivered_value, delivered)
    assert np.array_equal(offers.price, price * (1.0 - discount))
    assert np.array_equal(offers.utility, np.where(r.aware, delivered + relationship, -np.inf))


def test_offers_to_shoppers_are_their_rows_of_everyones_offers_bit_for_bit():
    spec = load("flagship", ["customers.count=3000"]).spec
    market = Market(spec, rng=4).run(9)  # profiles, tiers and discounts under way
    decisions = market_decisions(market)
    active = market.relations.active(market.period, spec.experience.lapse_periods)
    everyone = market_offers(market, decisions, active)
    shoppers = np.flatnonzero(np.random.default_rng(0).random(3000) < 0.3)
    some = market_offers(market, decisions, active, shoppers)
    for field in ("delivered_value", "price", "service", "unit_cost", "utility"):
        assert np.array_equal(getattr(some, field), getattr(everyone, field)[shoppers]), field
    assert np.array_equal(some.at(shoppers), np.arange(shoppers.size))
    listed = np.array([d.service for d in decisions])
    assert (some.service > listed).any()  # some shoppers are in a top tier


def test_experience_in_one_compiled_pass_equals_the_formulas():
    """S7 feels every purchase and moves every expectation in one compiled pass over customers;
    the results are docs/model.md's formulas over all purchases and customers in numpy (the same
    ufuncs, the same draws from the block's own generator), bit for bit, with failures, delight
    and letdowns all present."""
    spec = load("flagship", ["customers.count=3000"]).spec
    market = Market(spec, rng=4).run(8)
    c, r, x = market.customers, market.relations, spec.experience
    decisions = market_decisions(market)
    active = r.active(market.period, x.lapse_periods)
    offers = market_offers(market, decisions, active, np.arange(c.count)[::2])
    occasions = np.where(np.arange(c.count) % 2 == 0, 2, 0)
    purchases = choose(c, offers, spec.choice, market.conditions, market.rng, occasions)
    replay = copy.deepcopy(market.rng)
    before = c.expectation.copy()
    felt = experience(c, r, purchases, offers, x, market.conditions, market.rng)
    i, j = purchases.customer, purchases.firm
    at = offers.at(i)
    chance = np.maximum(
        failure_probability(offers.service[at, j], x.failure_base, x.failure_service_scale),
        market.conditions.failure_floor[j],
    )
    (block,) = replay.spawn(1)  # one block at 3,000 customers: one uniform, one normal a purchase
    draws = np.array([(block.random(), block.normal(0.0, x.performance_noise)) for _ in i])
    failed = draws[:, 0] < chance
    realised = offers.delivered_value[at, j] - x.failure_loss * failed
    realised += draws[:, 1]
    d = realised - before[i]
    weight = shortfall_weight(x.loss_aversion, x.forgiveness, r.attachment[i, j])
    satisfaction = satisfaction_response(
        d, x.adequate_gap, x.desired_gap, x.slope_inside, x.slope_outside, weight
    )
    count = np.bincount(i, minlength=c.count)
    gap = np.bincount(i, realised, minlength=c.count) / np.maximum(count, 1) - before
    rate = np.where(gap > 0, x.expectation_up, x.expectation_down) * (count > 0)
    expectation = before + (rate * gap + x.expectation_drift * c.in_category)
    assert failed.any() and (d > x.desired_gap).any() and (d < -x.adequate_gap).any()
    assert (count[1::2] == 0).all() and (count > 1).any()
    assert np.array_equal(felt.satisfaction, satisfaction)
    assert np.array_equal(felt.delighted, d > x.desired_gap)
    assert np.array_equal(felt.inadequate, d < -x.adequate_gap)
    assert np.array_equal(c.expectation, expectation)


def test_relationships_updated_for_buyers_only_equal_the_update_of_every_pair():
    """S9 updates trust, attachment and profiles in full only where a pair bought; the result is
    the formula applied to every pair (np.where over all pairs, as written in docs/model.md), and
    so are the active pairs and the stages."""
    spec = load("flagship", ["customers.count=3000"]).spec
    market = Market(spec, rng=6).run(8)
    c, r, x, know = market.customers, market.relations, spec.experience, spec.knowledge
    decisions = market_decisions(market)
    active = r.active(market.period, x.lapse_periods)
    offers = market_offers(market, decisions, active)
    purchases = choose(c, offers, spec.choice, market.conditions, market.rng)
    felt = experience(c, r, purchases, offers, x, market.conditions, market.rng)
    count, bought = purchases.count, purchases.count > 0
    trust = np.where(
        bought, r.trust + x.trust_rate * (r.satisfaction - r.trust), r.trust * (1 - x.trust_decay)
    )
    letdowns = pair_sums(purchases, felt.inadequate)
    trust = np.clip(trust - x.inadequate_trust_loss * letdowns, -1.0, 1.0)
    # Powers pair by pair, in Python floats: numpy's own array power (SIMD, on some processors)
    # may round the last bit otherwise than the C library's pow, which the compiled pass and the
    # reference engine use.
    held = np.vectorize(lambda *pair: attachment(*pair, x))(
        r.attachment, pair_sums(purchases, felt.delighted), letdowns
    )
    crm = np.array([min(1.0, d.crm / know.crm_full_cost) for d in decisions])
    learn = np.minimum(1.0, know.base_rate + know.crm_rate * crm)
    knowledge = np.where(
        bought,
        1.0 - (1.0 - r.knowledge) * np.vectorize(pow)(1.0 - learn, count.astype(float)),
        r.knowledge * (1 - know.decay),
    )
    times = r.purchases + count
    last = np.where(bought, market.period + 1, r.last_purchase)
    live = (last >= 0) & (last > market.period + 1 - x.lapse_periods)
    attitude = (trust >= x.loyal_trust) | (held >= x.loyal_attachment)
    stage = np.select(  # docs/model.md, S9 Stages: the first rule that applies wins
        [times == 0, ~live, times == 1, (times >= x.loyal_purchases) & attitude],
        [Stage.PROSPECT, Stage.LAPSED, Stage.FIRST_TIME, Stage.LOYAL],
        Stage.REPEAT,
    )
    by_pair = felt_by_pair(purchases, felt)
    active = update_relationships(c, r, purchases, by_pair, decisions, market.period + 1, x, know)
    assert bought.mean() > 0.05 and (letdowns > 0).any()
    for name, expected in (("trust", trust), ("attachment", held), ("knowledge", knowledge)):
        assert np.array_equal(getattr(r, name), expected), name
    assert np.array_equal(r.purchases, times) and np.array_equal(r.last_purchase, last)
    assert np.array_equal(active, live) and np.array_equal(r.stage, stage)
    assert {Stage.PROSPECT, Stage.LAPSED, Stage.FIRST_TIME, Stage.REPEAT} <= set(np.unique(stage))


def test_books_settled_in_one_pass_equal_the_formulas(monkeypatch):
    """S11 settles every pair's accounts in one compiled pass and estimates lifetime values in
    another; the results are docs/model.md's formulas over all pairs in numpy, bit for bit (the
    lifetime value's in the order the code takes them; as the docs write it, to rounding)."""
    spec = load("flagship", ["customers.count=3000"]).spec
    market = Market(spec, rng=7).run(8)
    r, econ, seen = market.relations, spec.economics, {}
    names = ("cumulative_revenue", "cumulative_margin", "margin_rate", "cost_to_serve")
    keep_books = sim.model.market.keep_books

    def spy(firms, relations, lifetime, cohorts, purchases, decisions, before, active, *rest):
        seen.update(purchases=purchases, before=before, active=active)
        seen.update({name: getattr(relations, name).copy() for name in names})
        keep_books(firms, relations, lifetime, cohorts, purchases, decisions, before, active, *rest)

    monkeypatch.setattr(sim.model.market, "keep_books", spy)
    market.run_for(1)
    purchases, won = seen["purchases"], seen["active"] & ~seen["before"]
    spend, margin = pair_sums(purchases, purchases.revenue), pair_sums(purchases, purchases.margin)
    expected = {
        "cumulative_revenue": seen["cumulative_revenue"] + spend,
        "cumulative_margin": seen["cumulative_margin"] + margin,
        "margin_rate": seen["margin_rate"] + econ.margin_smoothing * (margin - seen["margin_rate"]),
        "cost_to_serve": seen["cost_to_serve"] + econ.acquisition_cost * won,
    }
    assert np.array_equal(r.spend, spend) and won.any() and (spend > 0).any()
    for name in names:
        assert np.array_equal(getattr(r, name), expected[name]), name
    books = market.firm_metrics().query(f"period == {market.period}")
    assert books["new_customers"].tolist() == won.sum(axis=0).tolist()
    assert books["customers"].tolist() == seen["active"].sum(axis=0).tolist()
    assert books["loyal_customers"].tolist() == (r.stage == Stage.LOYAL).sum(axis=0).tolist()
    rate = np.clip(market.cohorts.retention_estimate(market.period), 0.01, 0.99)
    shift = np.where(r.trust >= 0, 1 - rate, rate) * r.trust * r.knowledge
    estimate = np.clip(shift + rate, 0.0, 0.99)
    value = estimate / (1.0 + econ.discount_rate - estimate) * r.margin_rate
    lifetime = market.lifetime
    assert np.array_equal(lifetime.retention, estimate) and np.array_equal(lifetime.value, value)
    weight = seen["active"].astype(float)
    for metric, summed in (("customer_equity", value), ("mean_knowledge", r.knowledge)):
        total = np.einsum("nf,nf->f", summed, weight)  # over active customers, in order
        if metric == "mean_knowledge":
            total = total / weight.sum(axis=0)
        assert np.array_equal(books[metric].to_numpy(), total), metric
    wallet = sum(r.spend[:, j] for j in range(r.f))  # each customer's spend at all firms
    here = np.einsum("nf,nf->f", r.spend, weight)
    everywhere = np.einsum("nf,nf->f", np.repeat(wallet[:, None], r.f, axis=1), weight)
    assert np.array_equal(books["share_of_wallet"].to_numpy(), here / everywhere)
    signal = np.where(r.trust >= 0, rate + r.trust * (1 - rate), rate * (1 + r.trust))
    documented = np.clip(rate + r.knowledge * (signal - rate), 0, 0.99)
    np.testing.assert_allclose(lifetime.retention, documented, rtol=1e-12, atol=1e-15)
    assert len(np.unique(estimate)) > 100 and (value > 0).any()


def test_complaints_in_one_compiled_pass_equal_the_formulas():
    """S8 in one compiled pass over the pairs that bought: the satisfaction, trust and cost to
    serve of docs/model.md's formulas in numpy, bit for bit, with the same draws (one block at
    3,000 customers: its generator gives, pair after pair, one number for whether an unhappy
    pair complains and one more for whether a complaint is handled well); the counts per firm
    are those of the replay, with recovered and ignored complaints both present."""
    spec = load("flagship", ["customers.count=3000"]).spec
    market = Market(spec, rng=5).run(8)
    c, r, x = market.customers, market.relations, spec.experience
    decisions = market_decisions(market)
    active = r.active(market.period, x.lapse_periods)
    offers = market_offers(market, decisions, active)
    purchases = choose(c, offers, spec.choice, market.conditions, market.rng)
    feelings = experience(c, r, purchases, offers, x, market.conditions, market.rng)
    by_pair = felt_by_pair(purchases, feelings)
    before = copy.deepcopy(r)
    complaints, recoveries = handle_complaints(
        r, by_pair, decisions, x, 7.5, np.random.default_rng(9)
    )
    (replay,) = np.random.default_rng(9).spawn(1)
    handling = np.array([d.complaint_handling for d in decisions])
    rho, f = x.satisfaction_memory, r.f
    felt = by_pair.satisfaction / by_pair.times
    satisfaction = before.satisfaction.ravel().copy()
    trust, cost = before.trust.ravel().copy(), before.cost_to_serve.ravel().copy()
    satisfaction[by_pair.pairs] = (1 - rho) * satisfaction[by_pair.pairs] + rho * felt
    counted = np.zeros((2, f), np.int64)
    for pair, mean in zip(by_pair.pairs, felt, strict=True):
        if mean < x.complaint_threshold and replay.random() < x.complaint_probability:
            counted[0, pair % f] += 1
            if replay.random() < handling[pair % f]:
                counted[1, pair % f] += 1
                cost[pair] += 7.5
                satisfaction[pair] = x.recovery_satisfaction
                trust[pair] = min(1.0, trust[pair] + x.recovery_trust)
            else:
                satisfaction[pair] = max(-1.0, satisfaction[pair] - x.unhandled_penalty)
    assert counted[1].sum() > 5 and (counted[0] - counted[1]).sum() > 5
    assert np.array_equal(complaints, counted[0]) and np.array_equal(recoveries, counted[1])
    assert np.array_equal(r.satisfaction.ravel(), satisfaction)
    assert np.array_equal(r.trust.ravel(), trust) and np.array_equal(r.cost_to_serve.ravel(), cost)


def test_word_of_mouth_in_compiled_steps_equals_the_formulas():
    """S10 in compiled steps: the same awareness, trust and recommendations, bit for bit, as
    docs/model.md's formulas over all pairs in numpy, with the same draws (one block at 3,000
    customers: its generator for who talks, one number per active pair satisfied or dissatisfied
    enough to talk; then another for who hears, one per pair not yet aware that heard anything;
    each in row-major order)."""
    spec = load("flagship", ["customers.count=3000"]).spec
    market = Market(spec, rng=8).run(10)
    r, w, net = market.relations, spec.word_of_mouth, market.network
    active = r.active(market.period, spec.experience.lapse_periods)
    before = copy.deepcopy(r)
    word_of_mouth(r, net, active, w, np.random.default_rng(3))
    replay = np.random.default_rng(3)
    (talking,), (hearing,) = replay.spawn(1), replay.spawn(1)
    s = before.satisfaction
    talks = active & ((s > w.positive_threshold) | (s < w.negative_threshold))
    talk = np.full(active.shape, np.nan)
    talk[talks] = talking.random(talks.sum())
    chance = before.attachment * w.talk_attached + w.talk_positive
    praise = active & (s > w.positive_threshold) & (talk < chance)
    warn = active & (s < w.negative_threshold) & (talk < w.talk_negative)
    praised = net.exposure(praise).astype(float)  # exposures are single precision
    warned = net.exposure(warn)
    warned = net.exposure(warned).astype(float) * w.forward_negative + warned.astype(float)
    hears = np.full(active.shape, np.nan)
    told = ~before.aware & (praised + warned > 0)
    hears[told] = hearing.random(told.sum())
    aware = before.aware | (hears < 1 - np.exp(-w.awareness * (praised + warned)))
    trust = np.clip(before.trust + w.attitude * (praised - warned), -1, 1)
    assert praise.sum() > 10 and warn.sum() > 10 and (aware & ~before.aware).any()
    assert np.array_equal(r.recommendations, before.recommendations + praise)
    assert np.array_equal(r.aware, aware) and np.array_equal(r.trust, trust)
