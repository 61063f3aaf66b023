"""Market research a team buys from its round budget, and the reports it gets back.

A study is part of the round's decision (``studies = ["survey", …]``); its price (the game's
``research_prices``, $ per capita per period, like advertising) counts against the same budget
and is charged to the team's firm in every period of the round (``cost_studies`` in its books).
Its report is drawn from the market as it stands when the round has been played, and shown to
that team only in the next round. Sampling noise comes from a generator seeded by the game's
seed, the round, the seat and the study, never from the model's own: buying research changes
no customer's behaviour, and a replayed game gives the same reports.
"""

from __future__ import annotations

import numpy as np

from sim.apps.web.i18n import text
from sim.model import Market
from sim.model.population import Stage

# the catalogue a team chooses from, with default prices ($ per capita per period of the round)
PRICES: dict[str, float] = {
    "segment_needs": 0.5,
    "benchmarking": 0.5,
    "survey": 0.25,
    "churn_clv": 0.75,
}
# study → (title, what it tells), in English (the app's table holds both languages)
STUDIES: dict[str, tuple[str, str]] = {
    study: (text(f"study_{study}", "en"), text(f"what_{study}", "en")) for study in PRICES
}
SAMPLE = 150  # customers per segment (segment needs) and respondents (survey)
TOP = 20  # customers listed in the churn-risk report
Z95 = 1.959964  # normal quantile of a 95% interval


class StudyError(ValueError):
    """A study that is not in the catalogue, or bought twice."""


def chosen(value: object) -> list[str]:
    """The studies of a decision (a list, or a comma-separated text from a form), checked."""
    names = [s.strip() for s in value.split(",")] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not all(isinstance(s, str) for s in names):
        raise StudyError(f"studies={value!r}: give a list of names from {', '.join(STUDIES)}")
    names = [s for s in names if s]
    unknown = [s for s in names if s not in STUDIES]
    if unknown or len(set(names)) != len(names):
        raise StudyError(
            f"studies={value!r}: each at most once, from {', '.join(STUDIES)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    return sorted(names, key=list(STUDIES).index)


def priced(studies: list[str], prices: dict[str, float]) -> dict[str, float]:
    """Each study bought → its price, $ per capita per period of the round."""
    return {s: float(prices[s]) for s in studies}


def cost(studies: list[str], prices: dict[str, float]) -> float:
    """What the studies cost, $ per capita per period of the round."""
    return sum(priced(studies, prices).values())


def price_problem(prices: dict[str, float], budget: float) -> str | None:
    """What is wrong with a game's study prices (every study priced, each from 0 to the
    budget, $ per capita per period), or None."""
    unknown = sorted(set(prices) - set(STUDIES))
    missing = [s for s in STUDIES if s not in prices]
    if unknown or missing:
        what = f"unknown: {', '.join(unknown)}" if unknown else f"missing: {', '.join(missing)}"
        return f"give a price for each study, {', '.join(STUDIES)} ({what})"
    dear = [f"{s}={p:g}" for s, p in prices.items() if not 0 <= p <= budget]
    if dear:
        return (
            f"{', '.join(dear)}: a study's price must be from 0 to the budget ({budget:g} $ per "
            "capita per period)"
        )
    return None


def active(market: Market, seat: int) -> np.ndarray:
    """Indices of the seat's active customers (a purchase within the lapse window)."""
    lapse = market.spec.experience.lapse_periods
    return np.flatnonzero(market.relations.active(market.period, lapse)[:, seat])


def sample(rng: np.random.Generator, members: np.ndarray, size: int) -> np.ndarray:
    """A simple random sample (without replacement) of at most ``size`` members."""
    return rng.choice(members, size=min(size, members.size), replace=False)


def segment_needs(market: Market, seat: int, rng: np.random.Generator) -> dict[str, object]:
    """Per segment: its share of customers and the sample means of its customers' traits."""
    c = market.customers
    rows = []
    for k, segment in enumerate(market.spec.customers.segments):
        picked = sample(rng, np.flatnonzero(c.segment == k), SAMPLE)
        weights = c.value_weights[picked].mean(0)
        sensitivities = c.cost_sensitivities[picked].mean(0)
        share = float(np.mean(c.segment == k))
        rows.append(
            {"segment": segment.name, "share": share, "sample": len(picked)}
            | dict(zip(("w_product", "w_service", "w_personnel", "w_image"), weights, strict=True))
            | dict(zip(("s_money", "s_time", "s_energy", "s_psychic"), sensitivities, strict=True))
            | {"purchase_rate": float(c.purchase_rate[picked].mean())}
        )
    return {"rows": rows, "note": f"sample means of up to {SAMPLE} customers per segment"}


def benchmarking(market: Market, seat: int, rng: np.random.Generator) -> dict[str, object]:
    """Each rival's offer and results in the last period played."""
    books = market.firm_metrics()
    last = books[books["period"] == books["period"].max()]
    columns = ["firm", "price", "product", "service", "personnel", "image", "market_share"]
    columns += ["customers", "mean_satisfaction"]
    rivals = last[last["firm"] != market.firms[seat].name][columns]
    rows = rivals.round(4).to_dict("records")
    return {"rows": rows, "period": market.period, "note": f"period {market.period}"}


def survey(market: Market, seat: int, rng: np.random.Generator) -> dict[str, object]:
    """A random sample of the seat's active customers: their mean satisfaction and its 95%
    margin of error (with the finite-population correction)."""
    members = active(market, seat)
    picked = sample(rng, members, SAMPLE)
    if picked.size < 2:
        return {"respondents": int(picked.size), "note": "too few active customers to survey"}
    answers = market.relations.satisfaction[picked, seat]
    n, population = picked.size, members.size
    correction = np.sqrt((population - n) / (population - 1))
    margin = Z95 * answers.std(ddof=1) / np.sqrt(n) * correction
    return {
        "respondents": int(n),
        "customers": int(population),
        "mean": float(answers.mean()),
        "margin": float(margin),
        "quartiles": np.quantile(answers, (0.25, 0.5, 0.75)).tolist(),
        "note": f"mean ± {margin:.3f} (95% margin of error, {n} of {population} customers)",
    }


def churn_clv(market: Market, seat: int, rng: np.random.Generator) -> dict[str, object]:
    """The seat's active customers ranked by lifetime value × churn risk (as the firm's CRM
    estimates them): the top :data:`TOP`, and means by segment."""
    members = active(market, seat)
    value = market.lifetime.value[members, seat]
    risk = 1.0 - market.lifetime.retention[members, seat]
    at_risk = value * risk
    order = np.argsort(-at_risk, kind="stable")[:TOP]
    names = [s.name for s in market.spec.customers.segments]
    segment = market.customers.segment[members]
    stage = market.relations.stage[members, seat]
    top = [
        {
            "customer": int(members[i]),
            "segment": names[segment[i]],
            "stage": Stage(int(stage[i])).name.lower(),
            "clv": float(value[i]),
            "churn_risk": float(risk[i]),
            "value_at_risk": float(at_risk[i]),
        }
        for i in order
    ]
    by_segment = [
        {
            "segment": name,
            "customers": int(np.sum(segment == k)),
            "mean_clv": float(value[segment == k].mean()) if np.any(segment == k) else 0.0,
            "mean_churn_risk": float(risk[segment == k].mean()) if np.any(segment == k) else 0.0,
        }
        for k, name in enumerate(names)
    ]
    return {"rows": top, "by_segment": by_segment, "value_at_risk": float(at_risk.sum())}


REPORTS = {
    "segment_needs": segment_needs,
    "benchmarking": benchmarking,
    "survey": survey,
    "churn_clv": churn_clv,
}


def report(market: Market, seat: int, study: str, seed: int, round_: int) -> dict[str, object]:
    """A study's report for a seat from the market now; noise seeded by (seed, round, seat,
    study), so a replay draws the same sample."""
    rng = np.random.default_rng([seed, round_, seat, list(STUDIES).index(study)])
    return {"study": study, "title": STUDIES[study][0]} | REPORTS[study](market, seat, rng)
