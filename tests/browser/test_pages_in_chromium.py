"""The session page and the join page in headless Chromium, on the service's FakeClock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec

from core.commands import ScheduleSession
from core.model import Member, Origin, Role, TrainingSession, Visibility
from tests.browser.conftest import Browser

SENSEI = Member(id="slack:T0001:U0SENSEI", display_name="Sensei Sato", role=Role.INSTRUCTOR)
ANA = Member(id="slack:T0001:U0ANA", display_name="Ana Aoki", timezone="Europe/Berlin")
ORIGIN = Origin(platform="slack", workspace_id="T0001", channel_id="C0DOJO")


async def schedule(browser: Browser, in_: timedelta, **fields: object) -> TrainingSession:
    command = ScheduleSession.model_validate(
        {"title": "Kata basics", "start_time": browser.clock.now() + in_, "capacity": 20} | fields
    )
    return await browser.app.service.schedule(SENSEI, command, ORIGIN)


def text_of(element_id: str, *needles: str) -> Callable[[WebDriver], str | bool]:
    """A wait condition: the element's visible text contains every needle; returns it."""

    def check(driver: WebDriver) -> str | bool:
        element = driver.find_element(By.ID, element_id)
        text = element.text
        return text if element.is_displayed() and all(n in text for n in needles) else False

    return check


async def test_session_page_counts_down_and_shows_join_when_the_clock_crosses_the_window(
    browser: Browser,
) -> None:
    session = await schedule(
        browser, timedelta(minutes=12), visibility=Visibility.PUBLIC, recording_enabled=True
    )
    await browser.app.service.rsvp(ANA, session.id)
    await browser.open(f"/sessions/{session.id}")

    countdown = await browser.wait_for(
        text_of("countdown", "Starts in 12 min"), "the live countdown"
    )
    assert isinstance(countdown, str) and countdown.endswith(" s")  # seconds tick
    driver = browser.driver
    assert await browser.run(lambda: driver.find_element(By.ID, "seats").text) == "1/20 going"
    assert await browser.run(lambda: driver.find_element(By.ID, "recording").is_displayed())
    local = await browser.run(lambda: driver.find_element(By.CSS_SELECTOR, "time").text)
    assert "2026" in local and local != "Tue 1 Dec 2026 09:12 UTC"  # formatted by Intl
    join_box = await browser.run(driver.find_element, By.ID, "join-box")
    assert not await browser.run(join_box.is_displayed)
    page = await browser.run(lambda: driver.page_source)
    assert ANA.display_name not in page and ANA.id not in page
    await browser.screenshot("1-countdown")

    browser.clock.advance(timedelta(minutes=2, seconds=30))  # 9.5 min before start
    await browser.wait_for(ec.visibility_of_element_located((By.ID, "join-box")), "Join button")
    await browser.wait_for(text_of("countdown", "Starts in 9 min"), "re-synchronised countdown")
    link = await browser.run(driver.find_element, By.ID, "join")
    assert await browser.run(link.get_attribute, "href") == (
        "https://slack.com/app_redirect?channel=C0DOJO&team=T0001"
    )
    await browser.screenshot("2-join-visible")

    await browser.app.service.start(SENSEI, session.id)
    await browser.wait_for(text_of("status", "Live now"), "live status without reload")
    await browser.wait_for(ec.invisibility_of_element_located((By.ID, "countdown")), "no countdown")
    await browser.screenshot("3-live")


async def test_hidden_parts_stay_hidden_and_times_show_in_the_readers_zone(
    browser: Browser,
) -> None:
    session = await schedule(browser, timedelta(days=1), recording_enabled=False)
    await browser.open(f"/sessions/{session.id}")
    await browser.wait_for(text_of("countdown", "Starts in 1 d 0 h 00 min"), "the countdown")
    driver = browser.driver
    for element_id in ("recording", "join-box"):
        element = await browser.run(driver.find_element, By.ID, element_id)
        assert not await browser.run(element.is_displayed), element_id
    zone = await browser.run(
        driver.execute_script, "return Intl.DateTimeFormat().resolvedOptions().timeZone"
    )
    shown = await browser.run(lambda: driver.find_element(By.CSS_SELECTOR, "time").text)
    expected = await browser.run(
        driver.execute_script,
        "return new Intl.DateTimeFormat(undefined, {weekday: 'short', day: 'numeric',"
        " month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',"
        " timeZoneName: 'short'}).format(new Date(arguments[0]))",
        "2026-12-02T09:00:00Z",
    )
    assert zone and shown == expected


async def test_a_refused_join_shows_its_reason_then_lets_the_member_in_when_it_opens(
    browser: Browser,
) -> None:
    session = await schedule(browser, timedelta(minutes=20))
    # a link handed out before the session moved later: the page decides at click time
    link = browser.pages.links.issue(ANA, session, browser.clock.now())
    await browser.run(browser.driver.get, link.url.replace("localhost", "127.0.0.1"))

    await browser.wait_for(text_of("reason", "Too early", "10 minutes before"), "reason")
    await browser.wait_for(text_of("countdown", "Opens in 10 min"), "countdown to opening")
    retry = await browser.run(browser.driver.find_element, By.ID, "retry")
    assert not await browser.run(retry.is_displayed)
    await browser.screenshot("1-too-early")
    # the page re-reads the status (and the service's clock): still counting to the opening
    browser.clock.advance(timedelta(minutes=1))
    await browser.wait_for(text_of("countdown", "Opens in 9 min"), "polled countdown to opening")

    browser.clock.advance(timedelta(minutes=9))
    await browser.wait_for(ec.visibility_of_element_located((By.ID, "join")), "Join now")
    await browser.screenshot("2-open")
    button = await browser.run(browser.driver.find_element, By.ID, "join")
    await browser.run(button.click)
    await browser.wait_for(text_of("room", "In the room: slack:T0001:U0ANA"), "the room")
    await browser.screenshot("3-in-the-room")
    stays = await browser.app.store.list_attendance(session.id)
    assert [s.member_id for s in stays] == [ANA.id]


async def test_a_canceled_session_refuses_the_join_with_its_reason(browser: Browser) -> None:
    session = await schedule(browser, timedelta(minutes=5))
    link = await browser.app.service.join(ANA, session.id)
    await browser.app.service.cancel(SENSEI, session.id, "sensei is ill")
    await browser.run(browser.driver.get, link.url.replace("localhost", "127.0.0.1"))
    await browser.wait_for(text_of("reason", "was canceled"), "the refusal")
    await browser.screenshot("canceled")


async def test_a_forged_token_is_refused(browser: Browser) -> None:
    session = await schedule(browser, timedelta(minutes=5))
    link = await browser.app.service.join(ANA, session.id)
    body, signature = link.url.rsplit("/", 1)[1].split(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature
    await browser.open(f"/join/{forged}")
    await browser.wait_for(text_of("reason", "This join link isn't valid"), "the refusal")
    page = await browser.run(lambda: browser.driver.page_source)
    assert "Kata basics" not in page and session.id not in page
    assert browser.rooms.issued == []
    await browser.screenshot("forged")


@pytest.mark.parametrize("driver", ["ja"], indirect=True)
async def test_a_japanese_browser_reads_the_session_page_in_japanese_as_it_counts_down(
    browser: Browser,
) -> None:
    session = await schedule(browser, timedelta(minutes=12), recording_enabled=True)
    await browser.app.service.rsvp(ANA, session.id)
    await browser.open(f"/sessions/{session.id}")
    driver = browser.driver
    assert await browser.run(driver.execute_script, "return document.documentElement.lang") == "ja"
    countdown = await browser.wait_for(text_of("countdown", "開始まであと 12 分"), "countdown")
    assert isinstance(countdown, str) and countdown.endswith(" 秒")  # page.js, in Japanese
    assert await browser.run(lambda: driver.find_element(By.ID, "seats").text) == (
        "1/20 人参加予定"
    )
    local = await browser.run(lambda: driver.find_element(By.CSS_SELECTOR, "time").text)
    assert "2026年12月1日" in local  # Intl in the page's language
    await browser.screenshot("1-ja-countdown")
    browser.clock.advance(timedelta(minutes=3))
    await browser.app.service.start(SENSEI, session.id)
    await browser.wait_for(text_of("status", "開催中"), "the polled status, in Japanese")
    await browser.screenshot("2-ja-live")
