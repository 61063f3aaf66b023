"""Research a team buys: its price comes out of the budget and the firm's profit to the cent,
nothing else in the market changes, and each report tells the truth about the model's state
within its stated precision."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.apps.game.decisions import DecisionError
from sim.apps.game.game import Game
from sim.apps.game.research import SAMPLE, active, survey
from sim.apps.game.rules import new_rules
from sim.model.population import Stage

CUSTOMERS = 3_000  # enough that the survey samples a part of a firm's customers


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "market.toml"
    path.write_text(f'extends = "flagship"\n[customers]\ncount = {CUSTOMERS}\n')
    return path


def game(folder: Path, scenario: Path, studies: list[str]) -> Game:
    """Two teams and a bot; team 1 buys ``studies`` in round 1, both play 2 rounds."""
    rules = new_rules(str(scenario), teams=2, bots=1, rounds=3, periods_per_round=2, seed=5)
    played = Game.create(folder, rules)[0]
    played.submit(0, {"advertising": 2.0, "studies": studies}, key="a")
    played.submit(1, {"crm": 1.0}, key="b")
    played.advance()
    played.advance()
    return played


def test_studies_cost_exactly_their_price_and_change_nothing_else(tmp_path, scenario):
    bought = game(tmp_path / "bought", scenario, ["survey", "churn_clv"])
    plain = game(tmp_path / "plain", scenario, [])
    a, b = bought.market().firm_metrics(), plain.market().firm_metrics()
    prices = bought.rules.research_prices
    per_period = (prices["survey"] + prices["churn_clv"]) * CUSTOMERS  # 1.0 $ × 3,000
    assert per_period == 3_000.0
    mine = (a["seat"] == 0) & a["period"].isin([1, 2])
    assert (a.loc[mine, "cost_studies"] == per_period).all()
    assert a.loc[~mine, "cost_studies"].eq(0).all()  # round 2 (not bought), other seats
    np.testing.assert_allclose(a["profit"], b["profit"] - a["cost_studies"], rtol=0, atol=1e-6)
    last = a["period"] == 4
    gap = b.loc[last, "cumulative_profit"].to_numpy() - a.loc[last, "cumulative_profit"].to_numpy()
    np.testing.assert_allclose(gap, [2 * per_period, 0, 0], atol=1e-6)
    for column in ("revenue", "customers", "mean_satisfaction", "customer_equity"):
        assert a[column].equals(b[column]), column  # the market itself is untouched
    # the reports: bought in round 1 (drawn after it), for team 1 only
    assert list(bought.market().research) == [1, 2]
    assert [r["study"] for r in bought.market().research[1][0]] == ["survey", "churn_clv"]
    assert 1 not in bought.market().research[1] and bought.market().research[2] == {}


def test_over_budget_or_unknown_studies_are_refused(tmp_path, scenario):
    rules = new_rules(str(scenario), teams=1, rounds=2, periods_per_round=1, seed=1)
    played = Game.create(tmp_path / "g", rules)[0]
    with pytest.raises(
        DecisionError,
        match=r"over budget: advertising 7.5 \+ study survey 0.25 \+ study churn_clv 0.75 = 8.5 "
        r".*budget is 8",
    ):
        played.submit(0, {"advertising": 7.5, "studies": ["survey", "churn_clv"]}, key="x")
    with pytest.raises(DecisionError, match="unknown: horoscope"):
        played.submit(0, {"studies": ["horoscope"]}, key="y")
    with pytest.raises(DecisionError, match="each at most once"):
        played.submit(0, {"studies": "survey,survey"}, key="z")
    assert played.submitted() == set()  # nothing stored
    played.submit(0, {"advertising": 7.0, "studies": "survey, churn_clv"}, key="ok")  # = 8
    assert played.current_studies(0) == ["survey", "churn_clv"]


def test_a_games_own_prices_are_kept_charged_and_checked(tmp_path, scenario):
    rules = new_rules(
        str(scenario), teams=1, rounds=2, periods_per_round=1, seed=1, research_prices={"survey": 3}
    )
    Game.create(tmp_path / "g", rules)
    played = Game.open(tmp_path / "g")  # as a restarted server reads it
    assert played.rules.research_prices["survey"] == 3.0
    with pytest.raises(DecisionError, match=r"advertising 5.5 \+ study survey 3 = 8.5 "):
        played.submit(0, {"advertising": 5.5, "studies": ["survey"]}, key="x")
    played.submit(0, {"advertising": 5.0, "studies": ["survey"]}, key="y")  # = 8
    played.advance()
    books = played.market().firm_metrics()
    assert books["cost_studies"].tolist() == [3.0 * CUSTOMERS]  # one seat, one period


def test_the_survey_mean_lies_within_its_margin_of_the_true_mean(tmp_path, scenario):
    played = game(tmp_path / "g", scenario, ["survey"])
    gm = played.market()
    result = gm.research[1][0][0]
    books = gm.firm_metrics()
    truth = books.query("seat == 0 and period == 2")["mean_satisfaction"].item()
    assert result["customers"] == books.query("seat == 0 and period == 2")["customers"].item()
    assert result["customers"] > result["respondents"] == SAMPLE
    assert 0 < result["margin"] < 0.5 * abs(truth)
    assert abs(result["mean"] - truth) <= result["margin"]


@pytest.mark.slow  # statistical: 200 surveys
def test_about_95_percent_of_survey_margins_hold_the_true_mean(tmp_path, scenario):
    market = game(tmp_path / "g", scenario, []).market().market
    members = active(market, 0)
    now = market.relations.satisfaction[members, 0].mean()  # after round 2
    hits = [
        abs((r := survey(market, 0, np.random.default_rng(k)))["mean"] - now) <= r["margin"]
        for k in range(200)
    ]
    assert 0.9 <= np.mean(hits) <= 0.99


def test_segment_needs_and_churn_reports_come_from_the_model(tmp_path, scenario):
    played = game(tmp_path / "g", scenario, ["segment_needs", "churn_clv", "benchmarking"])
    gm = played.market()
    needs, bench, churn = gm.research[1][0]
    segments = gm.market.spec.customers.segments
    for row, segment in zip(needs["rows"], segments, strict=True):
        assert row["segment"] == segment.name and abs(row["share"] - segment.share) < 0.02
        spread = segment.weight_dispersion * segment.value_weights.product / np.sqrt(SAMPLE)
        assert abs(row["w_product"] - segment.value_weights.product) < 4 * spread + 0.05
    risks = [r["value_at_risk"] for r in churn["rows"]]
    assert risks == sorted(risks, reverse=True) and len(risks) == 20
    assert all(r["stage"] != Stage.PROSPECT.name.lower() for r in churn["rows"])
    counted = sum(s["customers"] for s in churn["by_segment"])
    books = gm.firm_metrics().query("seat == 0 and period == 2")
    assert counted == books["customers"].item()
    rivals = {r["firm"] for r in bench["rows"]}
    assert rivals == {gm.market.firms[1].name, gm.market.firms[2].name}
