"""Tables as people read them: no long floats, money in $, shares in %, "—" for a missing
value, Chinese headers in the Chinese view; and the results chart's retention note."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sim.apps.game.debrief import debrief, debrief_html
from sim.apps.game.status import team_status
from sim.apps.game.tables import cell, shown
from sim.apps.game.team_page import results_chart

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)
LONG_FLOAT = re.compile(r"\d\.\d{4,}")  # a number with more than 3 decimals


def long_floats(table: pd.DataFrame) -> list[str]:
    """Every cell and header of ``table`` that shows a number with more than 3 decimals."""
    texts = [str(c) for c in table.columns] + [str(v) for v in table.to_numpy().ravel()]
    return [t for t in texts if LONG_FLOAT.search(t)]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (19592.776709432754, "money", "$19,593"),
        (-1466.7, "money", "-$1,467"),
        (0.632996632996633, "share", "63.3%"),
        (-0.1189, "number", "-0.12"),
        (77.0, "count", "77"),
        (95.5, "cents", "$95.50"),
        (None, "share", "—"),
        (float("nan"), "money", "—"),
        ("Team 1", "money", "Team 1"),
    ],
)
def test_a_cell_is_shown_as_people_read_it(value, kind, expected):
    assert cell(value, kind) == expected


@pytest.fixture
def team(new_game):
    game = new_game(rounds=2)[0]
    game.submit(0, {"advertising": 2.0, "studies": ["segment_needs", "churn_clv"]}, key="a")
    game.advance()
    return team_status(game, 0), game


def test_the_team_tables_have_no_long_floats_and_chinese_headers(team):
    status, _ = team
    results = pd.DataFrame(status["results"])
    assert results["revenue"].map(lambda v: LONG_FLOAT.search(repr(v))).any()  # raw: long
    tables = [results] + [
        pd.DataFrame(report[part])
        for bought in status["research"]
        for report in bought["reports"]
        for part in ("rows", "by_segment")
        if report.get(part)
    ]
    assert len(tables) == 4  # results, segment needs, churn (top and by segment)
    for table in tables:
        for lang in ("en", "zh"):
            assert long_floats(shown(table, lang)) == []
    english, chinese = shown(results, "en"), shown(results, "zh")
    assert list(english.columns[:3]) == ["period", "customers", "new customers"]
    assert {"客户保持率", "市场份额", "累计利润", "客户资产", "平均满意度"} <= set(chinese.columns)
    assert english["retention rate"].iloc[0] == "—"  # undefined in the first period
    assert english["revenue"].str.fullmatch(r"-?\$[\d,]+").all()
    assert english["market share"].str.fullmatch(r"\d+\.\d%").all()


def test_the_retention_chart_is_a_note_while_undefined(team):
    status, _ = team
    results = pd.DataFrame(status["results"])
    assert results["retention_rate"].isna().all()
    with_note = results_chart(results, "en", 3)
    defined = results_chart(results.assign(retention_rate=0.5), "en", 3)
    assert with_note[:8] == b"\x89PNG\r\n\x1a\n" and with_note != defined


def test_the_debrief_page_has_no_long_floats(team):
    _, game = team
    page = debrief_html(debrief(game, seeds=3), "复盘", "zh")
    numbers = re.sub(r"<[^>]+>", " ", page)
    assert not LONG_FLOAT.search(numbers)
    assert "$" in numbers and "团队自己的路径" in page


def test_the_lifetime_value_card_sums_to_the_customer_equity_in_the_results(new_game):
    """(The card's "Customer equity (sum)" added up every buyer ever, $36,566 against the
    results' $35,297: one label, two numbers.)"""
    game = new_game(rounds=1, periods_per_round=10)[0]  # past lapse_periods: some have lapsed
    game.advance()
    status = team_status(game, 0)
    customers, last = status["customers"], status["results"][-1]
    assert customers["clv_total"] == last["customer_equity"] > 0
    market = game.market().market
    active = market.relations.active(market.period, market.spec.experience.lapse_periods)[:, 0]
    ever = market.relations.purchases[:, 0] > 0
    assert 0 < active.sum() < ever.sum()  # the lapsed are left out of the quantiles and the sum
    values = np.sort(market.lifetime.value[active, 0])
    assert customers["clv_quantiles"]["0.5"] == pytest.approx(np.quantile(values, 0.5))
