"""The browser app as a person uses it, in real headless Chromium (Debian's chromium, driven by
Playwright): set up, step, play, pause and reset, A and B side by side live and replicated,
download, bad input, language, and two tabs that do not share a market. Screenshots go to
tests/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from app_server import CHROMIUM, SCREENSHOTS, need_browser, opened, serve

from sim.analysis.statistics import mean_interval
from sim.apps.cli import main
from sim.experiments import simulate
from sim.scenarios import load

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]  # one server, one browser

CLASS_MARKET = """extends = "flagship"
periods = 12

[customers]
count = 1500
"""
TIMEOUT = 60_000  # ms for anything the server computes


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("app") / "class.toml"
    path.write_text(CLASS_MARKET, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def url(scenario: Path) -> Iterator[str]:
    need_browser()
    yield from serve(scenario, scenario.with_name("server.log"))


@pytest.fixture(scope="module")
def browser(url: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, url: str) -> Iterator:
    with opened(browser, url, {"width": 1400, "height": 1000}, TIMEOUT, downloads=True) as tab:
        yield tab


def shoot(page, name: str, height: int = 1000) -> None:
    """Save a screenshot of the page, ``height`` pixels high (the page scrolls inside)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": height})
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def period(page) -> int:
    shown = page.locator(".crmsim-period:visible").inner_text()
    return int(re.search(r"(\d+) /", shown)[1])


def choose(page, card: str, label: str, option: str) -> None:
    """Pick ``option`` in the select called ``label`` inside the card titled ``card``."""
    box = page.locator(".v-card", has_text=card).locator(".v-select", has_text=label).first
    box.click()
    page.locator(".v-menu__content:visible .v-list-item", has_text=option).first.click()


def type_into(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True).first
    field.fill(value)
    field.press("Enter")


def table_rows(page) -> dict[str, list[str]]:
    """The visible firm table: firm → its cells."""
    rows = page.locator("table:visible").first.locator("tbody tr")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    return {row[0]: row[1:] for row in cells}


def number(cell: str) -> float:
    return float(cell.replace(",", ""))


def test_set_up_step_play_pause_reset_and_the_numbers_are_the_models(page, scenario):
    page.get_by_role("tab", name="Set up").click()
    choose(page, "CustomerCo", "Strategy", "static")
    type_into(page, "choice noise", "5")
    page.get_by_text("$ per capita per period").first.wait_for()
    shoot(page, "setup")
    page.get_by_role("button", name="Apply and reset").click()
    page.get_by_text("Period 0 / 12").wait_for()
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Period 1 / 12").wait_for()
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Period 2 / 12").wait_for()
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => /Period ([4-9]|1[0-2]) \\//.test(document.body.innerText)", timeout=TIMEOUT
    )
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    page.wait_for_timeout(1000)  # the last picture of the play loop
    paused = period(page)
    page.wait_for_timeout(1000)
    assert period(page) == paused, "the market moved while paused"
    shoot(page, "run-paused")
    changed = {"firms[1].strategy": {"name": "static"}, "choice.noise": 5.0}
    expected = simulate(load(scenario, settings=changed).spec, seed=0, periods=paused)
    now = expected[expected["period"] == paused].set_index("firm")
    shown = table_rows(page)
    assert shown["CustomerCo"][0] == "static"
    for firm, row in now.iterrows():
        assert number(shown[firm][3]) == pytest.approx(row["market_share"], abs=5e-5)
        assert number(shown[firm][7]) == pytest.approx(row["cumulative_profit"], abs=0.5)
    page.get_by_role("button", name="Play").click()
    page.get_by_text("Period 12 / 12 (finished)").wait_for()
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Period 0 / 12").wait_for()


def card_rows(page, card: str) -> list[list[str]]:
    """The cells of every row of the table in the card that shows ``card``."""
    rows = page.locator(".v-card", has_text=card).locator("table tbody tr")
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def interval(cell: str) -> tuple[float, float, float]:
    """'mean [low, high]' as three numbers."""
    return tuple(number(x) for x in re.fullmatch(r"(\S+) \[(\S+), (\S+)\]", cell).groups())


B_CHANGE = {"firms[0].strategy": {"name": "sales_push"}}  # ProductCo pushes sales in B
TOLERANCE = {"Cumulative profit ($)": 0.5, "Market share": 5e-5, "Customer equity ($)": 0.5}
COLUMNS = {"Cumulative profit ($)": "cumulative_profit", "Market share": "market_share"}
COLUMNS["Customer equity ($)"] = "customer_equity"


def check_pair(page, scenario: Path, at: int) -> None:
    """The A/B table (the plotted lines' last points) against both markets' own metrics."""
    expected = [
        simulate(load(scenario, settings=settings).spec, seed=0, periods=at)
        for settings in ({}, B_CHANGE)
    ]
    rows = card_rows(page, "A/B")
    assert len(rows) == 3 * 3
    for firm, label, *cells in rows:
        a, b = (e.set_index(["period", "firm"]).loc[(at, firm), COLUMNS[label]] for e in expected)
        shown = [number(cell) for cell in cells]
        assert shown == pytest.approx([a, b, b - a], abs=TOLERANCE[label]), (firm, label)
    assert any(number(cells[2]) != 0 for _, _, *cells in rows)  # B's change shows


def test_live_a_b_steps_and_plays_both_markets_and_the_numbers_are_the_models(page, scenario):
    page.get_by_role("tab", name="Compare").click()
    choose(page, "A/B", "Strategy", "sales_push")
    page.get_by_role("button", name="Start A and B").click()
    page.get_by_text("B: ProductCo's strategy: sales_push").wait_for()
    for n in range(1, 4):
        page.get_by_role("button", name="Step A and B").click()
        page.get_by_text(f"Period {n} / 12").wait_for()
    check_pair(page, scenario, 3)
    shoot(page, "compare-live", 1700)
    page.get_by_role("button", name="Play A and B").click()
    page.get_by_text("Period 12 / 12 (finished)").wait_for()
    page.wait_for_timeout(1000)  # the play loop's last picture and table
    check_pair(page, scenario, 12)
    shoot(page, "compare-live-finished", 1700)
    page.get_by_role("tab", name="Run").click()
    page.get_by_text("Period 0 / 12").wait_for(state="visible")  # the run view's market stayed


def test_replicate_a_and_b_shows_means_and_bands_of_a_b_and_the_difference(page, scenario):
    page.get_by_role("tab", name="Compare").click()
    choose(page, "A/B", "Strategy", "sales_push")
    seeds = page.locator(".v-card", has_text="95% band").get_by_role("slider")
    seeds.focus()
    for _ in range(20):  # 10 → 3 seeds; under load a key press can be lost, so read the value
        if seeds.get_attribute("aria-valuenow") == "3":
            break
        seeds.press("ArrowLeft")
        page.wait_for_timeout(100)
    assert seeds.get_attribute("aria-valuenow") == "3"
    page.wait_for_timeout(500)  # the server has the value before the button is pressed
    page.get_by_role("button", name="Replicate A and B").click()
    table = page.locator(".v-card", has_text="95% band").locator("table")
    table.wait_for(timeout=4 * TIMEOUT)
    runs = [
        pd.concat(simulate(load(scenario, settings=settings).spec, seed) for seed in range(3))
        for settings in ({}, B_CHANGE)
    ]
    last = [r[r["period"] == 12].set_index(["seed", "firm"]) for r in runs]
    rows = card_rows(page, "95% band")
    assert len(rows) == 3 * 2
    for firm, label, *cells in rows:
        key = COLUMNS[label]
        a, b = (frame.xs(firm, level="firm")[key] for frame in last)
        for cell, values in zip(cells, (a, b, b - a), strict=True):
            want = mean_interval(values)
            assert interval(cell) == pytest.approx(want, abs=TOLERANCE[label]), (firm, label)
    page.wait_for_timeout(500)
    shoot(page, "compare-replicate", 1900)


def test_downloads_reproduce_with_crmsim_run(page, tmp_path, monkeypatch):
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Period 1 / 12").wait_for()
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Period 2 / 12").wait_for()
    page.get_by_role("tab", name="Take it home").click()
    saved = {}
    for label in ("Metrics (CSV)", "Metrics (Parquet)", "Transaction log (CSV)", "Scenario"):
        with page.expect_download() as event:
            page.get_by_role("button", name=label).click()
        download = event.value
        saved[label] = tmp_path / download.suggested_filename
        download.save_as(saved[label])
    shoot(page, "downloads")
    toml = saved["Scenario"]
    command = re.search(r"#\s+(crmsim run .*)", toml.read_text(encoding="utf-8"))[1].split()
    monkeypatch.chdir(tmp_path)  # the command as typed where the downloads were saved
    assert main([*command[1:], "--out", "again", "--workers", "1", "--quiet"]) == 0
    again = pd.read_parquet(tmp_path / "again" / "runs" / "seed=0.parquet")
    mine = pd.read_parquet(saved["Metrics (Parquet)"])
    made = ["scenario", *(c for c in mine if c.startswith("version_"))]  # where it came from
    assert "version_crmsim" in made and set(mine["scenario"]) == {"class"}  # class.toml
    pd.testing.assert_frame_equal(mine.drop(columns=made), again.drop(columns="experiment"))
    assert len(pd.read_csv(saved["Metrics (CSV)"])) == 2 * 3
    assert set(pd.read_csv(saved["Transaction log (CSV)"])["period"]) == {1, 2}


def test_bad_input_is_a_message_and_the_market_is_kept(page, tmp_path):
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Period 1 / 12").wait_for()
    page.get_by_role("tab", name="Set up").click()
    type_into(page, "number of customers", "500000")
    page.get_by_text("customers.count: 500000 is not allowed").wait_for()
    broken = tmp_path / "broken.toml"
    broken.write_text('periods = "twelve"\n[[firms]]\nname = "A"\n', encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload a scenario").click()
    chooser.value.set_files(broken)
    message = page.locator(".crmsim-problem")
    message.wait_for()
    assert "broken.toml: invalid scenario:" in message.inner_text()
    assert "periods: must be a whole number" in message.inner_text()
    assert "Traceback" not in page.inner_text("body")
    shoot(page, "bad-input")
    page.get_by_role("tab", name="Run").click()
    assert period(page) == 1


def test_chinese_labels_and_separate_tabs(page, browser, url):
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Period 1 / 12").wait_for()
    page.get_by_role("button", name="ZH").click()
    page.get_by_role("tab", name="运行").wait_for()
    page.get_by_text("期 1 / 12").wait_for()
    page.get_by_role("tab", name="网络").click()
    page.wait_for_function(  # the network picture is the only square one
        "() => [...document.images].some(i => i.offsetParent && i.complete && i.naturalWidth > 0"
        " && i.naturalWidth === i.naturalHeight)"
    )
    page.wait_for_timeout(500)  # the tab's slide
    shoot(page, "network-zh")
    page.get_by_role("tab", name="运行").click()
    page.get_by_text("期 1 / 12").wait_for(state="visible")
    page.wait_for_timeout(500)  # the tab's slide
    shoot(page, "run-zh")
    page.get_by_role("tab", name="设置").click()
    page.get_by_text("常客折扣 = 0.05").wait_for(state="visible")  # CustomerCo loyalty_discount
    assert "advertising" not in page.locator(".v-window-item--active").inner_text()
    page.wait_for_timeout(500)
    shoot(page, "setup-zh", 1500)
    other = browser.new_page()
    other.goto(url)
    other.get_by_text("Period 0 / 12").wait_for(timeout=TIMEOUT)
    other.close()
