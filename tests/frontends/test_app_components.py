"""Every control of the browser app, rendered without a browser (Solara's test support: the
widgets are built and clicked in this process)."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import solara

from sim.apps.web import run_view
from sim.apps.web.page import Page
from sim.apps.web.session import SCENARIO_VARIABLE
from sim.strategies import BUILTIN

SMALL = 'extends = "flagship"\nperiods = 12\n\n[customers]\ncount = 300\n'


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A freshly rendered page of the app on a small market (300 customers, 12 periods)."""
    scenario = tmp_path / "small.toml"
    scenario.write_text(SMALL, encoding="utf-8")
    monkeypatch.setenv(SCENARIO_VARIABLE, str(scenario))
    _, rc = solara.render(Page(), handle_error=False)
    yield rc
    rc.close()


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def period(rc) -> str:
    return rc.find(class_="crmsim-period").widget.children[0]


def eventually(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def messages(rc) -> str:
    """Every message (alert) the page shows, joined."""
    return " ".join(str(w.children) for w in rc.find(v.Alert).widgets)


def test_step_and_reset(app):
    assert period(app) == "Period 0 / 12"
    click(app, "Step")
    click(app, "Step")
    assert period(app) == "Period 2 / 12"
    click(app, "Reset")
    assert period(app) == "Period 0 / 12"


def test_play_and_pause(app):
    """Pause stops the market: the period under way when it is clicked may still finish, then
    nothing moves."""
    click(app, "Play")
    eventually(lambda: int(period(app).split()[1]) >= 2)
    click(app, "Pause")
    at_click = int(period(app).split()[1])
    time.sleep(1.0)  # a period under way (300 customers: a few ms, and its picture) finishes
    paused = period(app)
    assert at_click <= int(paused.split()[1]) <= at_click + 1
    time.sleep(0.5)
    assert period(app) == paused


def test_the_language_switch(app):
    app.find(v.BtnToggle).widget.v_model = 1  # the second button: zh
    assert period(app) == "期 0 / 12"
    assert "单步" in [b.children[0] for b in app.find(v.Btn).widgets if b.children]


def test_a_strategy_menu_and_a_lever_then_apply(app):
    menus = app.find(v.Select, label="Strategy").widgets
    next(w for w in menus if w.v_model == "customer_centric").v_model = "static"  # CustomerCo
    levers = [w.label for w in app.find(v.TextField).widgets]
    assert "advertising" in levers and "$ per capita per period" in captions(app)
    noise = app.find(v.TextField, label="choice noise").widget
    noise.v_model = "-1"
    noise.fire_event("keyup.enter", {})
    assert "choice.noise: -1 is not allowed; use a number > 0 and ≤ 10000" in messages(app)
    noise.v_model = "5"
    noise.fire_event("focusout", {})
    click(app, "Apply and reset")
    click(app, "Step")
    assert period(app) == "Period 1 / 12"
    html = " ".join(str(w.template) for w in app.find(v.VuetifyTemplate).widgets)
    assert re.search(r"CustomerCo</td>\s*<td[^>]*>static</td>", html)  # the firm table


def test_a_slider_steps_for_the_mouse_and_its_field_takes_any_allowed_value(app):
    """Markup (0–10 allowed) slides over 0–2 in steps of 0.02; typed, 7.25 is taken."""

    def markup():
        return next(w for w in app.find(v.Slider).widgets if w.label.startswith("markup"))

    assert (markup().min, markup().max, markup().step) == (0, 2, 0.02)
    assert markup().label == "markup = 0.45"
    field = next(w for w in fields(app) if w.label == "Value" and w.v_model == "0.45")
    field.v_model = "7.25"
    field.fire_event("keyup.enter", {})
    assert markup().label == "markup = 7.25" and markup().max == 8  # reaches the value


def test_a_slider_moves_a_lever(app):
    def rate():
        return next(w for w in app.find(v.Slider).widgets if w.label.startswith("homog"))

    assert rate().label == "homogenisation rate = 0.15"
    rate().v_model = 0.5
    assert rate().label == "homogenisation rate = 0.5"


def test_a_and_b_step_and_play_together_and_downloads(app, monkeypatch):
    monkeypatch.setattr(run_view, "PLAY_PERIOD", 0.0)  # play to the end without pacing
    before = len(app.find(ipywidgets.Image).widgets)  # the dashboard (the network tab is hidden)
    strategy = app.find(v.Select, label="Strategy").widgets[0]  # the A/B card's (firm: ProductCo)
    strategy.v_model = "sales_push"
    click(app, "Start A and B")
    assert len(app.find(ipywidgets.Image).widgets) == before + 1  # and A/B
    shown = [str(w.children) for w in app.find(v.Html).widgets]
    assert any("B: ProductCo's strategy: sales_push" in text for text in shown)
    click(app, "Step A and B")
    click(app, "Step A and B")
    counters = [w.children[0] for w in app.find(class_="crmsim-period").widgets]
    assert counters == ["Period 0 / 12", "Period 2 / 12"]  # the run view's market is not moved
    click(app, "Play A and B")
    eventually(lambda: "Period 12 / 12 (finished)" in str(app.find(class_="crmsim-period")))
    click(app, "Reset A and B")
    assert [w.children[0] for w in app.find(class_="crmsim-period").widgets][1] == "Period 0 / 12"
    names = {w.children[-1] for w in app.find(v.Btn).widgets if w.children}
    assert {"Metrics (CSV)", "Metrics (Parquet)", "Transaction log (CSV)"} <= names


def test_scenario_menu_seed_and_upload(app):
    app.find(v.TextField, label="Seed").widget.v_model = "7"
    app.find(v.TextField, label="Seed").widget.fire_event("keyup.enter", {})
    menu = next(w for w in app.find(v.Select, label="Scenario").widgets)
    menu.v_model = "price_war"
    cards = {str(w.children) for w in app.find(v.CardTitle).widgets}
    assert any("RivalA" in card for card in cards)
    click(app, "Apply and reset")
    assert any("A = price_war, Seed 7" in str(w.children) for w in app.find(v.Html).widgets)
    upload = app.find(ipywidgets.FileUpload).widget
    content = b'periods = "x"\n'
    upload.value = (
        {
            "name": "mine.toml",
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.UTC),
        },
    )
    assert "mine.toml: invalid scenario:" in messages(app)


def test_a_b_with_a_market_lever(app):
    lever = next(w for w in app.find(v.Select).widgets if w.label == "Market levers")
    lever.v_model = "choice.noise"
    value = app.find(v.TextField, hint="a number > 0 and ≤ 10000").widget
    assert value.label == "choice noise" and value.v_model == "10.0"  # named; its range below
    value.v_model = "3"
    value.fire_event("keyup.enter", {})
    click(app, "Start A and B")
    assert any("B: choice noise = 3" in str(w.children) for w in app.find(v.Html).widgets)
    value.v_model = "0"
    value.fire_event("keyup.enter", {})
    click(app, "Start A and B")
    assert "choice.noise: 0 is not allowed" in messages(app)
    assert "Not applied: choice noise — a value there is not allowed" in messages(app)


@pytest.mark.slow
def test_replicate(app):
    seeds = next(w for w in app.find(v.Slider).widgets if w.label == "Seeds = 10")
    seeds.v_model = 2
    assert seeds.label == "Seeds = 2"
    before = len(app.find(ipywidgets.Image).widgets)
    click(app, "Replicate A and B")
    eventually(lambda: len(app.find(ipywidgets.Image).widgets) == before + 1, seconds=120)


def test_in_chinese_every_lever_and_strategy_shown_is_in_chinese(app):
    app.find(v.BtnToggle).widget.v_model = 1  # zh
    lever = next(w for w in app.find(v.Select).widgets if w.label == "市场参数")  # A/B's menu
    lever.v_model = "choice.noise"
    checked = set()
    for name in BUILTIN:  # every strategy's levers, shown by giving every firm that strategy
        menus = [w for w in app.find(v.Select).widgets if w.label == "策略"]
        assert len(menus) == 4  # three firms in Set up, and B's strategy in Compare
        for menu in menus:
            menu.v_model = name
        labels = [w.label for w in app.find(v.Slider).widgets + app.find(v.TextField).widgets]
        selects = app.find(v.Select).widgets
        items = [i["text"] for w in selects for i in w.items if isinstance(i, dict)]
        strategy_levers = next(w for w in selects if w.label == "策略参数").items
        assert len(items) == 4 * len(BUILTIN) + 5 + len(strategy_levers)  # and B's levers
        for words in labels + captions(app) + [item for item in items if item != "—"]:
            assert chinese_only(words), words
        checked |= set(labels)
    assert len(checked) > 30  # every lever of every built-in strategy, and the market levers


def captions(rc) -> list[str]:
    """The levers' help texts shown under them."""
    return [w.children[0] for w in rc.find(class_="crmsim-help").widgets]


def chinese_only(words: str) -> bool:
    """Chinese words, no Latin letters (numbers such as 1e+04 or 200,000 aside)."""
    rest = re.sub(r"\d[\d,.]*(e[+-]?\d+)?", "", words)
    return bool(re.search(r"[\u4e00-\u9fff]", rest)) and not re.search(r"[A-Za-z]", rest)


BAD = ("nan", "inf", "-inf", "", "ten")


def fields(rc) -> list:
    """Every number field shown (Set up's, and B's in Compare)."""
    return [w for w in rc.find(v.TextField).widgets if not isinstance(w, v.Select)]


def tab(rc) -> int:
    return rc.find(v.Tabs).widget.v_model


@pytest.mark.parametrize("typed", BAD)
def test_nan_inf_empty_and_text_are_refused_in_every_number_field(app, typed):
    """Each refusal names its field, Apply and Start A and B refuse too, nothing crashes and the
    running market stays."""
    click(app, "Step")
    menu = next(w for w in app.find(v.Select).widgets if w.label == "Strategy lever")
    menu.v_model = "firms[0].strategy.rd"  # B's lever of ProductCo's strategy: a number field
    next(
        w for w in app.find(v.Select).widgets if w.label == "Market levers"
    ).v_model = "choice.noise"
    shown = fields(app)
    sliders = len(app.find(v.Slider).widgets) - 1  # each with a field beside it (not Seeds)
    assert len(shown) == 1 + 4 + 11 + sliders + 2  # seed, market levers, strategies', B's two
    for field in shown:
        field.v_model = typed
        field.fire_event("focusout", {})
    refusals = [str(w.children[0]) for w in app.find(v.Alert).widgets]
    keys = ["seed", "homogenisation.start", "choice.noise", "customers.count", "periods"]
    keys += ["firms[0].strategy.rd", "firms[1].strategy.crm", "firms[2].strategy.research"]
    for key in keys:
        word = "no number" if typed == "" else f"{typed!r}" if typed == "ten" else typed
        assert any(r.startswith(f"{key}: {word}") for r in refusals), (key, refusals)
    assert all(field.error for field in fields(app))
    click(app, "Apply and reset")
    assert tab(app) == 1  # the tab the test started on stays: Apply did nothing
    assert "Not applied: Seed, homogenisation start, choice noise" in messages(app)
    click(app, "Start A and B")
    assert "Not applied: R&D, choice noise — " in messages(app)
    assert period(app) == "Period 1 / 12"


def test_apply_refuses_while_a_field_is_invalid_and_says_so(app):
    app.find(v.Tabs).widget.v_model = 0
    count = app.find(v.TextField, label="number of customers").widget
    start = app.find(v.TextField, label="homogenisation start").widget
    click(app, "Step")
    for field, typed in ((count, "200001"), (start, "-3")):
        field.v_model = typed
        field.fire_event("focusout", {})
    assert "customers.count: 200001 is not allowed; use a whole number ≥ 10 and ≤ 200000" in (
        messages(app)
    )
    click(app, "Apply and reset")
    assert tab(app) == 0 and period(app) == "Period 1 / 12"  # stays on Set up; market kept
    assert "Not applied: number of customers, homogenisation start — a value there is" in (
        messages(app)
    )
    for field, typed in ((count, "400"), (start, "3")):
        field.v_model = typed
        field.fire_event("keyup.enter", {})
    assert "Not applied" not in messages(app)
    click(app, "Apply and reset")
    assert tab(app) == 1 and period(app) == "Period 0 / 12"


def test_a_strategy_lever_above_its_decision_range_is_refused_in_set_up(app):
    crm = app.find(v.TextField, label="CRM spend").widget
    for typed, read in (("2000000", "2000000"), ("1e308", "1e+308")):
        crm.v_model = typed
        crm.fire_event("keyup.enter", {})
        assert f"firms[1].strategy.crm: {read} is not allowed; use a number ≥ 0 and ≤ 1e+06" in (
            messages(app)
        )
    click(app, "Apply and reset")
    assert "Not applied: CRM spend" in messages(app)


@pytest.mark.parametrize(
    ("firm", "key", "typed", "shown"),
    [
        ("CustomerCo", "firms[1].strategy.crm", "3", "CustomerCo CRM spend = 3"),
        ("CustomerCo", "firms[1].strategy.loyalty_discount", "0.2", "loyalty discount = 0.2"),
    ],
)
def test_b_changes_one_lever_of_the_chosen_firms_strategy(app, firm, key, typed, shown):
    """The lecture guide's A/B on the CRM lever (session 06) and the loyalty discount (09)."""
    next(w for w in app.find(v.Select).widgets if w.label == "Firm").v_model = firm
    menu = next(w for w in app.find(v.Select).widgets if w.label == "Strategy lever")
    assert key in [item["value"] for item in menu.items]
    menu.v_model = key
    value = next(w for w in fields(app) if w.hint.startswith("a number ≥ 0 and ≤"))
    value.v_model = "0.95" if "discount" in key else "2e6"
    value.fire_event("focusout", {})
    assert f"{key}: " in messages(app)  # beyond the strategy's range, or the decisions'
    value.v_model = typed
    value.fire_event("focusout", {})
    click(app, "Start A and B")
    assert any(shown in str(w.children) for w in app.find(v.Html).widgets)
    click(app, "Step A and B")
    assert [w.children[0] for w in app.find(class_="crmsim-period").widgets][1] == "Period 1 / 12"


def test_in_chinese_the_firm_table_and_b_name_strategies_and_levers_in_chinese(app):
    app.find(v.BtnToggle).widget.v_model = 1  # zh
    click(app, "单步")
    html = " ".join(str(w.template) for w in app.find(v.VuetifyTemplate).widgets)
    assert "以客户为中心" in html and "customer_centric" not in html
    lever = next(w for w in app.find(v.Select).widgets if w.label == "市场参数")
    lever.v_model = "homogenisation.rate"
    value = app.find(v.TextField, hint="数值 ≥ 0 且 ≤ 1").widget
    assert value.label == "同质化速度"
    value.v_model = "0"
    value.fire_event("keyup.enter", {})
    click(app, "开始A与B")
    assert any("B：同质化速度 = 0" in str(w.children) for w in app.find(v.Html).widgets)
