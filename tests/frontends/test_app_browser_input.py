"""The browser app's refusals and page furniture in real headless Chromium, at a projector's
1280 × 720: 'nan' in a number field is a message naming the field (never a crashed page),
Apply refuses while a field is invalid, B changes a lever of a firm's strategy, and no badge
covers the page. Screenshots go to tests/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from app_server import SCREENSHOTS, opened
from test_app_browser import TIMEOUT, browser, scenario, type_into, url  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]  # one server, one browser
PROJECTOR = {"width": 1280, "height": 720}


@pytest.fixture
def page(browser, url: str) -> Iterator:  # noqa: F811 (the fixture of this module)
    with opened(browser, url, PROJECTOR, TIMEOUT) as tab:
        yield tab


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def test_nan_is_refused_naming_the_field_and_apply_refuses(page):
    page.get_by_role("tab", name="Set up").click()
    for typed in ("nan", "inf", ""):
        field = page.get_by_label("choice noise", exact=True).first
        field.fill(typed)  # checked while typing, before the field is left
        word = "no number" if typed == "" else f"{typed} is not allowed"
        page.get_by_text(f"choice.noise: {word}").wait_for()
    page.get_by_label("choice noise", exact=True).first.fill("nan")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Apply and reset").click()
    page.get_by_text("Not applied: choice noise — a value there is not allowed").wait_for()
    page.wait_for_timeout(500)
    body = page.inner_text("body")
    assert "Traceback" not in body and "Too many renders" not in body
    assert page.get_by_label("choice noise", exact=True).first.is_visible()  # still Set up
    shoot(page, "setup-refused-1280")
    type_into(page, "choice noise", "5")
    page.get_by_role("button", name="Apply and reset").click()
    page.get_by_text("Period 0 / 12").wait_for(state="visible")


def test_b_changes_the_crm_lever_and_no_badge_covers_the_page(page):
    assert not page.get_by_text("This website runs on").is_visible()
    page.get_by_role("tab", name="Compare").click()
    card = page.locator(".v-card", has_text="A/B")
    for label, option in (("Firm", "CustomerCo"), ("Strategy lever", "CRM spend")):
        card.locator(".v-select", has_text=label).first.click()
        page.locator(".v-menu__content:visible .v-list-item", has_text=option).first.click()
    value = card.get_by_label("CRM spend", exact=True)  # B's field: the lever's name
    value.fill("3")
    value.press("Enter")
    card.get_by_text("a number ≥ 0 and ≤ 1e+06").first.wait_for()  # its allowed values
    page.get_by_role("button", name="Start A and B").click()
    page.get_by_text("B: CustomerCo CRM spend = 3").wait_for()
    page.get_by_role("button", name="Step A and B").click()
    page.get_by_text("Period 1 / 12").wait_for()
    button = page.get_by_role("button", name="Replicate A and B")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('button')?.innerText", middle
    )
    assert on_top == "REPLICATE A AND B" or on_top == "Replicate A and B"
    page.wait_for_timeout(500)
    shoot(page, "compare-crm-1280")
