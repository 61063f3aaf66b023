"""The debrief: the same decisions over other seeds, and each built-in strategy in a team's
place, checked against an independent replay."""

from __future__ import annotations

import pytest

from sim.apps.game.debrief import debrief, debrief_html
from sim.strategies import BUILTIN

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)


@pytest.fixture
def played(new_game):
    game = new_game(rounds=2)[0]
    # Team 1 plays exactly what the 'static' strategy decides: the initial offer, 0.5 on ads
    game.submit(0, {"advertising": 0.5}, key="a")
    game.submit(1, {"price": 90.0, "crm": 2.0, "personalisation": "individual"}, key="b")
    game.advance()
    game.advance()
    return game


def test_debrief_replays_seeds_and_strategies(played):
    result = debrief(played, seeds=6)
    books = played.market().firm_metrics()
    last = books[books.period == books.period.max()].set_index("seat")
    assert (result.actual["cumulative_profit"] == last["cumulative_profit"]).all()
    assert len(result.seeds) == 6 * 3 and result.seeds["seed"].nunique() == 6
    assert played.rules.seed not in set(result.seeds["seed"])
    luck = result.luck()
    assert list(luck.team) == ["Team 1", "Team 2"]
    assert (luck["5%"] < luck["95%"]).all()  # other seeds, other markets
    assert luck["luck percentile"].between(0, 100).all()
    versus = result.versus_strategies()
    assert list(versus.columns) == ["team's own path", *sorted(BUILTIN)]
    # Team 1's own path is the static strategy's: the same decisions give the same books
    assert versus.loc["Team 1", "static"] == versus.loc["Team 1", "team's own path"]
    assert versus.loc["Team 1", "customer_centric"] != versus.loc["Team 1", "static"]
    page = debrief_html(result, "Debrief")
    assert page.count("<table") == 6 and "Team 2" in page and "Luck or skill" in page
    chinese = debrief_html(result, "复盘", "zh")  # the same tables, in Chinese words
    assert chinese.count("<table") == 6 and "运气还是能力：累计利润" in chinese
    assert "运气百分位" in chinese and "以客户为中心" in chinese and "Luck" not in chinese
