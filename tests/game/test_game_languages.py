"""Every word a team or the instructor reads is in the page's language: the team and instructor
pages rendered in Chinese (Solara's test support, as tests/game/test_game_pages.py) hold none of
the game's English phrases and the Chinese ones in their place — team names, refusals from the
server, research notes, the shocks announced; the join page follows ``?lang=`` or the browser.
Teams are told of a shock as soon as it is scheduled, with the period and round it starts."""

from __future__ import annotations

import re
import warnings

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from solara.components.datatable import DataTableWidget
from starlette.applications import Starlette

with warnings.catch_warnings():  # Starlette 0.52's test client names an alias anyio deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from sim.apps.game.access import LANGUAGE_COOKIE
from sim.apps.game.chrome import language
from sim.apps.game.codes import Throttle
from sim.apps.game.http import routes
from sim.apps.game.instructor_page import InstructorView
from sim.apps.game.research import STUDIES
from sim.apps.game.status import team_status
from sim.apps.game.team_page import TeamView
from sim.apps.web.game_words import GAME_LABELS

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)

PLACEHOLDER = re.compile(r"\{[^}]*\}")
# English phrases of the game's table: each run of words between placeholders with at least two
# words, and the one-word labels (a decision file's field names stay English on purpose)
ENGLISH = sorted(
    {
        part.strip(" .:;,()")
        for english, chinese in GAME_LABELS.values()
        if english != chinese
        for part in PLACEHOLDER.split(english)
        if len(part.strip(" .:;,()").split()) >= 2
    }
    | {"Results", "Leaderboard", "Actions", "Lock", "Unlock", "Reload", "Instructor", "Team"}
)


def texts(widget: object, seen: set[int] | None = None) -> list[str]:
    """Every string a rendered widget tree holds (labels, children, items, menus, tables)."""
    seen = set() if seen is None else seen
    if isinstance(widget, str):
        return [widget]
    if isinstance(widget, dict):
        return [t for value in widget.values() for t in texts(value, seen)]
    if isinstance(widget, list | tuple):
        return [t for value in widget for t in texts(value, seen)]
    if not isinstance(widget, ipywidgets.Widget) or id(widget) in seen:
        return []
    seen.add(id(widget))
    names = widget.trait_names(sync=True)
    skip = {"_model_module", "_view_module", "_model_name", "_view_name", "_dom_classes"}
    skip |= {"class_", "style_", "layout", "template", "_model_module_version"}
    skip |= {"_view_module_version", "tabbable", "tooltip", "_esm", "_css"}
    return [t for name in names if name not in skip for t in texts(getattr(widget, name), seen)]


def english_left(words: list[str]) -> list[str]:
    """The game's English phrases found in ``words`` (whole words only)."""
    page = "\n".join(words)
    return [p for p in ENGLISH if re.search(rf"(?<![A-Za-z_]){re.escape(p)}(?![A-Za-z_])", page)]


@pytest.fixture
def zh():
    """The page in Chinese, as after a click on 中文 (English again afterwards)."""
    language.set("zh")
    yield
    language.set("en")


def played_with_research_and_a_shock(new_game):
    """A game whose round 1 is played with every study bought by team 1, and a scandal at
    CustomerCo scheduled for round 2 (periods 3–4)."""
    game = new_game()[0]
    game.submit(0, {"studies": list(STUDIES)}, "k1")
    game.advance()
    game.schedule_shock("scandal", firm="CustomerCo")
    return game


def test_the_chinese_team_page_has_no_english_left(new_game, zh):
    game = played_with_research_and_a_shock(new_game)
    _, rc = solara.render(TeamView(game, 0, 1, lambda: None), handle_error=False)
    try:
        assert "第1队 · ProductCo" in "".join(texts(rc.container))  # the team's name
        news = rc.find(class_="game-shock-news").widget.children[0]
        assert news == "丑闻（CustomerCo）：自第3期起（第2轮）"
        notes = [w.children[0] for w in rc.find(class_="game-note").widgets]
        assert notes == ["每个细分市场最多150名客户的样本均值", "第2期"]  # segment needs, rivals
        personalisation = rc.find(v.Select, label="个性化程度").widget
        assert [i["text"] for i in personalisation.items] == ["不个性化", "按细分市场", "一对一"]
        assert [i["value"] for i in personalisation.items] == ["none", "segment", "individual"]
        advertising = rc.find(v.TextField, class_="game-field-advertising").widget
        advertising.v_model = "abc"  # not a number: said in Chinese, and nothing can be sent
        assert advertising.error and advertising.messages == [
            "不是数字：请输入数字，例如 95 或 95.5"
        ]
        assert rc.find(v.Btn, children=["提交决策"]).widget.disabled
        fix = rc.find(class_="game-fix-fields").widget.children[0]
        assert fix == "上面有字段不是数字：改正后才能提交。"
        advertising.v_model = "20"  # over budget
        assert not advertising.error and not rc.find(v.Btn, children=["提交决策"]).widget.disabled
        assert not rc.find(class_="game-fix-fields")
        rc.find(v.Checkbox).widgets[list(STUDIES).index("survey")].v_model = True
        rc.find(v.Btn, children=["提交决策"]).widget.click()
        problem = rc.find(class_="game-problem").widget.children[0]
        assert problem.startswith("决策未被接受：超出预算：广告投入 20 + 顾客满意度调查 0.25")
        fields = "广告投入、研发投入、客户关系管理投入、市场调研投入"
        assert f"而预算为8；请降低{fields}中的一项" in problem
        assert problem.endswith("，或少购买市场调研")
        shown = texts(rc.container)
        assert "$" in "".join(shown) and "第2轮，共4轮" in "".join(shown)
        assert english_left(shown) == []
        language.set("en")  # the same refusal, told again in English after a switch
        assert {"Your decision for this round", "Results"} <= set(english_left(texts(rc.container)))
        problem = rc.find(class_="game-problem").widget.children[0]
        assert problem.startswith("decision refused: over budget: advertising 20 + study survey")
        assert "Team 1 · ProductCo" in "".join(texts(rc.container))
        news = rc.find(class_="game-shock-news").widget.children[0]
        assert news == "scandal at CustomerCo from period 3 (round 2)"
    finally:
        rc.close()


def test_the_chinese_instructor_page_has_no_english_left(new_game, zh):
    game = new_game(rounds=2)[0]
    version = solara.reactive(0)

    @solara.component
    def Page():  # noqa: N802 - a Solara component
        InstructorView(game, version.value, lambda: version.set(version.value + 1))

    _, rc = solara.render(Page(), handle_error=False)
    try:

        def said() -> str:
            return rc.find(v.Alert).widget.children[0]

        rc.find(v.Select, label="本轮（正在决策的一轮）的冲击事件").widget.v_model = "recession"
        rc.find(v.Btn, children=["安排冲击"]).widget.click()
        assert said() == "已安排经济衰退，自第1期起"
        rc.find(v.Btn, children=["锁定"]).widget.click()
        assert said() == "已锁定：解锁之前不接受提交，也不会自动推进。"
        rc.find(v.Btn, children=["推进一轮"]).widget.click()
        assert said() == "第1轮已运行"
        rc.find(v.Select, label="本轮（正在决策的一轮）的冲击事件").widget.v_model = "scandal"
        rc.find(v.Select, label="企业").widget.v_model = "NoSuchCo"  # a stale page's firm
        rc.find(v.Btn, children=["安排冲击"]).widget.click()
        assert said() == "丑闻的企业须为ProductCo、CustomerCo、MarketCo之一，而非“NoSuchCo”"
        shown = texts(rc.container)
        news = rc.find(class_="game-shock-news").widget.children[0]
        assert news == "经济衰退：自第1期起（第1轮）"
        teams = [row["团队"] for row in rc.find(DataTableWidget).widgets[0].items]
        assert teams == ["第1队", "第2队"]
        board = {row["团队"] for row in rc.find(DataTableWidget).widgets[-1].items}
        assert board == {"第1队", "第2队", "机器人1（市场导向）"}
        assert english_left(shown) == []
        language.set("en")  # the refusal again, in English
        assert said() == (
            "the firm of a scandal must be one of ProductCo, CustomerCo, MarketCo, not 'NoSuchCo'"
        )
        language.set("zh")
        rc.find(v.Btn, children=["推进一轮"]).widget.click()  # the last round: the game is over
        assert not rc.find(class_="game-actions").widgets  # nothing left to advance or shock
        assert english_left(texts(rc.container)) == []
    finally:
        rc.close()


def test_a_team_is_told_of_a_shock_at_its_next_poll(new_game):
    game = new_game()[0]
    version = solara.reactive(0)

    @solara.component
    def Polled():  # noqa: N802 - a Solara component
        TeamView(game, 1, version.value, lambda: None)

    _, rc = solara.render(Polled(), handle_error=False)
    try:
        assert not rc.find(class_="game-shock-news").widgets  # no shock, no card
        game.schedule_shock("price_war", firm="MarketCo")  # for round 1: periods 1–2
        version.set(1)  # the page's next poll
        news = rc.find(class_="game-shock-news").widget.children[0]
        assert news == "price war at MarketCo from period 1 (round 1)"
        told = {"kind": "price_war", "period": 1, "firm": "MarketCo", "round": 1}
        assert team_status(game, 1)["shocks"] == [told]  # GET /api/team's, too
        game.advance()
        game.schedule_shock("recession")  # for round 2: period 3
        version.set(2)
        news = [w.children[0] for w in rc.find(class_="game-shock-news").widgets]
        assert news[1] == "recession from period 3 (round 2)" and len(news) == 2
    finally:
        rc.close()


@pytest.mark.parametrize(
    ("ask", "headers", "title", "invalid"),
    [
        ("?lang=zh", {}, "加入博弈", "该代码对本博弈无效。"),
        ("", {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}, "加入博弈", "该代码对本博弈无效。"),
        ("", {"Accept-Language": "en-GB,en"}, "Join the game", "not valid for this game"),
    ],
)
def test_the_join_page_speaks_the_asked_language(new_game, ask, headers, title, invalid):
    game, codes, _ = new_game()
    client = TestClient(Starlette(routes=routes(game, Throttle(limit=5, window=60))))
    page = client.get("/join" + ask, headers=headers).text
    assert f"<h1>{title}</h1>" in page and ">English</a>" in page and ">中文</a>" in page
    wrong = client.post("/join" + ask, data={"code": "nope"}, headers=headers)
    assert wrong.status_code == 403 and invalid in wrong.text
    right = client.post(
        "/join" + ask, data={"code": codes[0]}, headers=headers, follow_redirects=False
    )
    assert right.status_code == 303
    assert right.cookies[LANGUAGE_COOKIE] == ("zh" if "加入" in title else "en")


def test_a_form_left_open_after_its_round_closed_is_refused(new_game):
    """(A price typed for round 1 and sent after the instructor advanced was stored as round 2's
    decision, "Decision received", before the team had seen round 1's results.)"""
    game = new_game()[0]
    _, rc = solara.render(TeamView(game, 1, 0, lambda: None), handle_error=False)
    try:
        rc.find(v.TextField, class_="game-field-price").widget.v_model = "77"
        game.advance()  # the page has not polled yet: its form is still round 1's
        rc.find(v.Btn, children=["Submit decision"]).widget.click()
        problem = rc.find(class_="game-problem").widget.children[0]
        assert problem == "round 1 is not open; the open round is 2"
        assert not rc.find(class_="game-message") and game.store.submissions(2) == {}
    finally:
        rc.close()
