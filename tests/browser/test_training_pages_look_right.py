"""The training pages in headless Chromium: a member's page, a class's page and the
association overview, light and dark, at desktop and phone widths, with the charts loaded
(same-origin SVG images behind the link's token). Each is screenshotted to
test-artifacts/browser/pages/, must not scroll sideways on the phone and must pass axe-core's
WCAG 2.1 A/AA rules with no violation; nothing may trip the pages' CSP."""

from __future__ import annotations

import json
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

from core.model import Member, Origin, Role
from core.page_pass import PageKind
from tests.browser.accessibility import console
from tests.browser.conftest import START, Browser
from tests.browser.test_pages_look_right import PAGES, Checker
from tests.training_scene import seed_training

SENSEI = Member(id="terminal:sensei", display_name="Sensei Sato", role=Role.INSTRUCTOR)
BOSS = Member(id="terminal:boss", display_name="Boss", role=Role.ADMIN)
ANA = Member(id="terminal:ana", display_name="Ana Aoki")
BEN = Member(id="terminal:ben", display_name="Ben Berg")
ORIGIN = Origin(platform="terminal", channel_id="dojo")

CHARTS_LOADED = """
const images = [...document.querySelectorAll("figure.chart img")];
return images.length > 0 && images.every((i) => i.complete && i.naturalWidth > 0);
"""


def charts_loaded(driver: WebDriver) -> Any:
    return driver.execute_script(CHARTS_LOADED)


async def test_training_pages_read_well_light_and_dark_on_desktop_and_phone(
    browser: Browser,
) -> None:
    service = browser.app.service
    scene = await seed_training(service, browser.app.store, SENSEI, [ANA, BEN], ORIGIN, START)
    check = Checker(browser, "training")
    for name, actor, kind, subject in (
        ("member-page", ANA, PageKind.MEMBER, None),
        ("class-page", SENSEI, PageKind.CLASS, scene.class_id),
        ("overview", BOSS, PageKind.OVERVIEW, None),
    ):
        outcome = await service.page_link(actor, kind, subject)
        url = outcome.buttons[0].url
        assert url is not None
        await browser.run(browser.driver.get, url.replace("localhost", "127.0.0.1"))
        await check.page(name, charts_loaded, f"the charts of the {name}")

    logs = await browser.run(console, browser.driver)
    assert [e for e in logs if "Content Security Policy" in e["message"]] == [], logs
    severe = [e for e in logs if e.get("level") == "SEVERE" and "favicon" not in e["message"]]
    assert severe == [], logs  # every chart image loaded
    PAGES.mkdir(parents=True, exist_ok=True)
    report = PAGES / "axe-training.json"
    report.write_text(json.dumps(check.summary(), indent=2, sort_keys=True), encoding="utf-8")
    assert check.problems() == []
