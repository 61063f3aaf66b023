"""The game's pages rendered without a browser (Solara's test support: widgets built and set in
this process): the instructor's menus and messages in the page's language, the team form's
budget line with the game's own study prices, both pages once the game is over, tables numbered
from 1, and a shock's refusal as one sentence."""

from __future__ import annotations

import re

import ipyvuetify as v
import pytest
import solara
from solara.components.datatable import DataTableWidget

from sim.apps.game.chrome import language
from sim.apps.game.decisions import budget_items, budget_line
from sim.apps.game.game import MEASURES, SHOCKS
from sim.apps.game.instructor_page import InstructorView
from sim.apps.game.research import STUDIES
from sim.apps.game.tables import cell
from sim.apps.game.team_page import DecisionForm, TeamView

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)


@pytest.fixture
def zh():
    """The page in Chinese, as after a click on 中文 (English again afterwards)."""
    language.set("zh")
    yield
    language.set("en")


def chinese_only(words: str) -> bool:
    """Chinese words, no Latin letters (numbers aside)."""
    rest = re.sub(r"\d[\d,.]*", "", words)
    return bool(re.search(r"[\u4e00-\u9fff]", rest)) and not re.search(r"[A-Za-z]", rest)


def menu(rc, label: str) -> v.Select:
    return rc.find(v.Select, label=label).widget


def test_the_chinese_instructor_page_names_shocks_and_measures_in_chinese(new_game, zh):
    game = new_game()[0]
    game.advance()
    _, rc = solara.render(InstructorView(game, 1, lambda: None), handle_error=False)
    try:
        shocks, measures = menu(rc, "本轮（正在决策的一轮）的冲击事件"), menu(rc, "指标")
        assert [i["value"] for i in shocks.items] == list(SHOCKS)  # catalogue names underneath
        assert [i["value"] for i in measures.items] == list(MEASURES)
        shown = {i["value"]: i["text"] for i in shocks.items + measures.items}
        assert all(chinese_only(words) for words in shown.values()), shown
        assert shown["price_war"] == "价格战" and shown["homogenisation"] == "突发同质化"
        assert shown["cumulative_profit"] == "累计利润（$）"
        assert shown["retention_rate"] == "客户保持率"
        # a shock chosen by its Chinese name is scheduled under its own, and announced in Chinese
        shocks.v_model = "scandal"
        menu(rc, "企业").v_model = game.rules.spec.firms[1].name
        rc.find(v.Btn, children=["安排冲击"]).widget.click()
        announced = rc.find(v.Alert).widget.children[0]
        assert announced == "已安排丑闻，自第3期起"  # round 2 starts with period 3
        assert game.store.shocks() == [{"kind": "scandal", "period": 3, "firm": "CustomerCo"}]
        # the measure chosen in Chinese ranks the leaderboard on that measure
        measures.v_model = "customer_equity"
        board = rc.find(DataTableWidget).widgets[-1].items
        expected = game.leaderboard("customer_equity")["customer_equity"]
        assert [row["数值"] for row in board] == [cell(x, "money") for x in expected]
    finally:
        rc.close()


def test_the_english_menus_read_as_words_not_catalogue_names(new_game):
    game = new_game()[0]
    _, rc = solara.render(InstructorView(game, 0, lambda: None), handle_error=False)
    try:
        shocks = [i["text"] for i in menu(rc, "shock for the round being decided").items]
        assert shocks[:2] == ["recession", "price war"] and "CRM launch" in shocks
        assert [i["text"] for i in menu(rc, "measure").items] == list(MEASURES.values())
    finally:
        rc.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_budget_line_charges_the_games_own_study_prices(new_game, lang):
    prices = {"survey": 2.0, "churn_clv": 1.5}
    game = new_game(research_prices=prices)[0]
    language.set(lang)
    current = game.current_decision(0)
    _, rc = solara.render(DecisionForm(game, 0, 1, current, [], lambda: None), handle_error=False)
    try:
        line = rc.find(class_="game-budget").widget
        assert line.children == [budget_line(budget_items(current), 8.0, lang)]
        boxes = rc.find(v.Checkbox).widgets
        assert [b.label.split(" · ")[1] for b in boxes][2:] == (
            ["2 $ per capita per period", "1.5 $ per capita per period"]
            if lang == "en"
            else ["2 $/人/期", "1.5 $/人/期"]
        )
        for box in boxes[2:]:  # survey and churn_clv: 2 + 1.5 of the budget of 8
            box.v_model = True
        spent = budget_items(current, prices)
        assert sum(spent.values()) == 3.5
        assert line.children == [budget_line(spent, 8.0, lang)]
        total = "3.5 of 8 $ per capita per period" if lang == "en" else "：3.5，预算8（$/人/期）"
        assert total in line.children[0]
        assert len(boxes) == len(STUDIES)
    finally:
        rc.close()
        language.set("en")


def test_a_game_over_shows_no_open_round_to_either_side(new_game):
    game = new_game(rounds=2)[0]
    game.advance(), game.set_locked(True), game.advance()
    assert game.over
    _, rc = solara.render(InstructorView(game, 2, lambda: None), handle_error=False)
    try:
        assert not rc.find(class_="game-submissions").widgets  # no round to submit for
        assert not rc.find(class_="game-actions").widgets  # advance, lock, shock: gone
        labels = [b.children[0] for b in rc.find(v.Btn).widgets if b.children]
        assert labels == ["Run the debrief (30 seeds, each strategy in each team's place)"]
        links = rc.find(solara.widgets.HTML, tag="a").widgets
        assert [link.attributes["href"] for link in links] == ["/api/instructor/export.csv"]
        assert len(rc.find(DataTableWidget).widgets) == 1  # the leaderboard stays
    finally:
        rc.close()
    _, rc = solara.render(TeamView(game, 0, 2, lambda: None), handle_error=False)
    try:
        state = rc.find(class_="game-state").widget.children[0]
        assert state == "game over", state  # not "not submitted yet", not "locked"
    finally:
        rc.close()


def test_the_leaderboard_and_every_table_number_rows_from_1(new_game):
    game = new_game()[0]
    game.advance()
    _, rc = solara.render(InstructorView(game, 1, lambda: None), handle_error=False)
    try:
        teams, board = rc.find(DataTableWidget).widgets
        assert [row["__row__"] for row in teams.items] == ["1", "2"]  # the "#" column
        assert [row["__row__"] for row in board.items] == ["1", "2", "3"]  # the leader is 1
    finally:
        rc.close()
    _, rc = solara.render(TeamView(game, 0, 1, lambda: None), handle_error=False)
    try:
        for table in rc.find(DataTableWidget).widgets:
            assert [row["__row__"] for row in table.items][:1] == ["1"]
    finally:
        rc.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_shock_is_one_sentence_naming_the_firms(new_game, lang):
    game = new_game()[0]
    language.set(lang)
    _, rc = solara.render(InstructorView(game, 0, lambda: None), handle_error=False)
    try:
        labels = {"en": ("shock for the round being decided", "Firm", "Schedule shock")}
        labels["zh"] = ("本轮（正在决策的一轮）的冲击事件", "企业", "安排冲击")
        shock, firm, button = labels[lang]
        menu(rc, shock).v_model = "scandal"
        menu(rc, firm).v_model = "NoSuchCo"  # not one of the menu's: as a stale page could send
        rc.find(v.Btn, children=[button]).widget.click()
        said = rc.find(class_="game-problem").widget.children[0]
        assert (
            said
            == {
                "en": "the firm of a scandal must be one of ProductCo, CustomerCo, MarketCo, "
                "not 'NoSuchCo'",
                "zh": "丑闻的企业须为ProductCo、CustomerCo、MarketCo之一，而非“NoSuchCo”",
            }[lang]
        )
        assert game.store.shocks() == []
    finally:
        rc.close()
        language.set("en")
