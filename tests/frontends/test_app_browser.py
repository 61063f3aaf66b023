"""The browser app as a person uses it, in real headless Chromium (Debian's chromium, driven by
Playwright): set up, step, play, pause and reset, compare, replicate, download, bad input,
language, and two tabs that do not share a market. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from app_server import CHROMIUM, SCREENSHOTS, need_browser, serve

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
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT)
    tab.goto(url)
    tab.get_by_role("button", name="Step").wait_for()
    yield tab
    context.close()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
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
    field = page.get_by_label(label).first
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
    type_into(page, "noise · Gumbel scale mu ($)", "5")
    page.get_by_text("advertising · $ per capita per period").first.wait_for()
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


def test_compare_a_b_and_replicate(page):
    page.get_by_role("tab", name="Compare").click()
    choose(page, "A/B", "Strategy", "sales_push")
    page.get_by_role("button", name="Run A and B").click()
    page.locator(".v-card", has_text="A/B").locator("img").wait_for()
    page.get_by_role("button", name="Replicate").last.click()
    replicated = page.locator(".v-card", has_text="95% band").locator("table")
    replicated.wait_for(timeout=2 * TIMEOUT)
    assert re.search(r"\[[-\d,]+, [-\d,]+\]", replicated.inner_text())
    shoot(page, "compare")


def test_downloads_reproduce_with_crmsim_run(page, tmp_path):
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
    subprocess.run(
        [sys.executable, "-m", "sim", *command[1:], "--out", "again", "--workers", "1", "--quiet"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    again = pd.read_parquet(tmp_path / "again" / "runs" / "seed=0.parquet")
    again = again.drop(columns=["scenario_hash", "experiment"])
    pd.testing.assert_frame_equal(pd.read_parquet(saved["Metrics (Parquet)"]), again)
    assert len(pd.read_csv(saved["Metrics (CSV)"])) == 2 * 3
    assert set(pd.read_csv(saved["Transaction log (CSV)"])["period"]) == {1, 2}


def test_bad_input_is_a_message_and_the_market_is_kept(page, tmp_path):
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Period 1 / 12").wait_for()
    page.get_by_role("tab", name="Set up").click()
    type_into(page, "count · customers in the market (at most 200,000 in the app)", "500000")
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
    other = browser.new_page()
    other.goto(url)
    other.get_by_text("Period 0 / 12").wait_for(timeout=TIMEOUT)
    other.close()
