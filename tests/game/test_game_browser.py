"""A whole four-team game through the web pages in headless Chromium (Debian's chromium driven
by Playwright, as the app's browser tests): a wrong code, an over-budget decision, research
bought from the budget and its report the next round (to that team only), the Chinese labels,
a round that closes when every team has submitted, the server killed mid-game (the open pages
say so) and restarted, the instructor's advance, a team that joins in Chinese and is told of
the instructor's shock, and the debrief. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.apps.cli import main
from sim.apps.game.access import CODE_HEADER
from sim.apps.game.game import Game

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"  # gitignored
TIMEOUT = 60_000  # ms


def start(folder: Path, port: int, log: Path) -> subprocess.Popen:
    """``crmsim game serve`` on ``port``, starting (:func:`answering` waits for it)."""
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "sim", "game", "serve", str(folder), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )


def answering(server: subprocess.Popen, port: int, log: Path) -> None:
    """Wait until the started ``server`` answers (within a minute)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/join", timeout=2).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"crmsim game serve did not start:\n{log.read_text()}") from None
            time.sleep(0.1)


def stop(server: subprocess.Popen) -> None:
    """Stop the server as a shell's kill does (SIGTERM); it must go within a minute."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        raise


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def join(browser, url: str, path: str, code: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url + path)
    page.fill("input[name=code]", code)
    page.click("button")
    return page


def set_field(page, name: str, value: str) -> None:
    box = page.locator(f".game-field-{name} input")
    box.fill(value)
    box.press("Enter")


def test_a_four_team_game_through_the_pages(tmp_path, small_scenario, capsys):
    if not Path(CHROMIUM).exists():
        pytest.skip("the browser tests need Debian's chromium: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = tmp_path / "game"
    args = ["game", "new", str(small_scenario), "--teams", "4", "--rounds", "3"]
    assert main([*args, "--periods-per-round", "2", "--seed", "4", "--out", str(folder)]) == 0
    out = capsys.readouterr().out
    key = re.search(r"instructor key: (\S+)", out)[1]
    codes = re.findall(r"team \d+ code: (\S+)", out)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url, log = f"http://127.0.0.1:{port}", tmp_path / "server.log"
    server = start(folder, port, log)  # it starts while the browser does
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            answering(server, port, log)
            wrong = join(browser, url, "/join", "not-a-code")
            assert "not valid" in wrong.locator(".message").inner_text()
            wrong.context.close()
            teams = [join(browser, url, "/join", code) for code in codes]
            first = teams[0]
            first.get_by_text("Your decision for this round").wait_for()
            set_field(first, "advertising", "6")
            try:
                first.get_by_text("6 of 8 $").wait_for()
            except Exception:
                print("VALUE", first.locator(".game-field-advertising input").input_value())
                shoot(first, "game-debug")
                raise
            set_field(first, "crm", "5")
            first.get_by_text("11 of 8 $").wait_for()
            first.get_by_role("button", name="Submit decision").click()
            problem = first.locator(".game-problem")
            problem.wait_for()
            assert "over budget" in problem.inner_text() and "budget is 8" in problem.inner_text()
            shoot(first, "game-over-budget")
            set_field(first, "crm", "1.5")
            first.get_by_text("7.5 of 8 $").wait_for()
            first.locator(".game-study-survey label").click()  # research from the budget
            first.get_by_text("7.75 of 8 $").wait_for()
            first.locator(".game-study-churn_clv label").click()
            first.get_by_text("8.5 of 8 $").wait_for()
            first.get_by_role("button", name="Submit decision").click()
            first.get_by_text("or buy fewer studies").wait_for()
            first.locator(".game-study-churn_clv label").click()
            first.get_by_text("7.75 of 8 $").wait_for()
            for page in teams:
                page.get_by_role("button", name="Submit decision").click()
                page.locator(".game-message").wait_for()
            for page in teams[2:]:  # not looked at again: their re-renders would slow the rest
                page.context.close()
            # every team has submitted: the round closes by itself
            first.get_by_text("round 2 of 3").wait_for()
            survey = first.locator(".game-survey")  # the survey bought in round 1
            survey.wait_for()
            assert "±" in survey.inner_text() and "95% margin of error" in survey.inner_text()
            teams[1].get_by_text("round 2 of 3").wait_for()
            assert teams[1].locator(".game-survey").count() == 0  # for team 1 only
            assert "None yet" in teams[1].locator(".game-reports").inner_text()
            assert first.locator(".v-tabs").count() == 0  # no Solara navigation tabs
            shoot(first, "game-team-round-2")
            shown = first.locator("body").inner_text()
            assert "$" in shown and "%" in shown and "—" in shown  # money, shares, no retention
            assert not re.search(r"\d\.\d{4,}", shown)  # no float with more than 3 decimals
            first.locator(".game-language button").nth(1).click()  # 中文
            first.get_by_text("提交决策").wait_for()
            first.get_by_text("第2轮，共3轮").wait_for()
            reports = first.locator(".game-reports")
            sync_api.expect(reports).to_contain_text("顾客满意度调查", timeout=TIMEOUT)
            headers = ("客户保持率", "市场份额", "累计利润", "客户资产", "生命周期阶段")
            for words in (*headers, "广告投入", "客户资产（合计）", "每页行数"):  # Vuetify's too
                # column headers and field labels in Chinese; the tables re-render a moment
                # after the buttons, so each is awaited rather than read at once
                sync_api.expect(first.locator("body")).to_contain_text(words, timeout=TIMEOUT)
            chinese = first.locator("body").inner_text()
            assert "Customer equity" not in chinese and "Rows per page" not in chinese
            assert "a random sample of your active customers" not in chinese
            shoot(first, "game-team-zh")
            first.reload()  # the switched language outlives a reload (its cookie)
            sync_api.expect(first.locator("body")).to_contain_text("提交决策", timeout=TIMEOUT)
            server.kill()  # the server dies mid-game: the open pages say so …
            server.wait()
            offline = teams[1].locator(".game-offline-message")
            offline.wait_for(timeout=TIMEOUT)
            assert "not reachable" in offline.inner_text()
            assert "decisions are saved" in offline.inner_text()
            first.get_by_text("无法连接博弈服务器").wait_for()
            shoot(teams[1], "game-server-down")
            server = start(folder, port, log)  # … and comes back where it was
            answering(server, port, log)
            teams[1].get_by_text("The game server is back").wait_for()
            shoot(teams[1], "game-server-back")
            for page in teams[:2]:  # the same browser, fresh contexts (no cookies) from here
                page.context.close()
            first = join(browser, url, "/join", codes[0])
            first.get_by_text("round 2 of 3").wait_for()
            first.get_by_text("Results").wait_for()
            table = first.locator(".v-data-table").first.inner_text()
            assert "cumulative profit" in table and "$" in table and "%" in table
            assert not re.search(r"\d\.\d{4,}", table)  # no float with more than 3 decimals
            teacher = join(browser, url, "/instructor/join", key)
            teacher.get_by_text("Leaderboard").wait_for()
            teacher.get_by_role("button", name="Advance round").click()
            teacher.get_by_text("round 2 played").wait_for()
            teacher.get_by_text("round 3 of 3").wait_for()
            shock = urllib.request.Request(  # the instructor's shock, as a script sends it
                f"{url}/api/instructor/shock", data=b"kind=recession", headers={CODE_HEADER: key}
            )
            urllib.request.urlopen(shock, timeout=60).close()
            second = join(browser, url, "/join?lang=zh", codes[1])  # joined in Chinese
            for words in ("第2队", "提交决策", "经济衰退：自第5期起（第3轮）", "每页行数"):
                sync_api.expect(second.locator("body")).to_contain_text(words, timeout=TIMEOUT)
            shoot(second, "game-team-zh-shock")
            teacher.get_by_role("button", name=re.compile("Run the debrief")).click()
            teacher.get_by_text("luck percentile").first.wait_for(timeout=4 * TIMEOUT)
            shoot(teacher, "game-instructor-debrief")
            first.get_by_text("round 3 of 3").wait_for()  # the open page's poll, no reload
            browser.close()
    finally:
        stop(server)
    assert Game.open(folder).store.status().played == 2
