"""Headless Chromium (Debian `chromium` + `chromium-driver`, driven by Selenium) against the
whole app, wired by bot.bootstrap on SQLite with a FakeClock, served on an ephemeral port.

Selenium is synchronous: tests call it through `asyncio.to_thread`, so the server keeps
serving in the test's event loop. Waits are WebDriverWait conditions on the DOM, never sleeps.
Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from adapters.web import WebSettings
from adapters.web.branding import Branding
from adapters.web.pages import WebPages
from bot.bootstrap import App, bootstrap
from bot.components import Component, Wiring
from bot.settings import Settings
from bot.wiring.web import build_web
from core.ports import ChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WAIT_SECONDS = 15

T = TypeVar("T")


def _require_chromium() -> None:
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    reason = (
        f"{CHROMIUM} or {CHROMEDRIVER} is missing; install them with "
        "scripts/ci/install-chromium.sh (make services)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


class TestRoom:
    """Stands in for the video provider's site: `/test-room/...` says who entered;
    `/test-failure` fails, so the server's error boundary answers its 500 page."""

    name = "test-room"
    platform: str | None = None
    chat: ChatDelivery | None = None

    def mount(self, app: web.Application) -> None:
        app.router.add_get("/test-room/{room}", self.room)
        app.router.add_get("/test-failure", self.fail)

    async def room(self, request: web.Request) -> web.Response:
        member = request.query.get("member", "")
        body = f"<!doctype html><title>Room</title><h1 id='room'>In the room: {member}</h1>"
        return web.Response(text=body, content_type="text/html")

    async def fail(self, request: web.Request) -> web.Response:
        raise RuntimeError("a failure the 500 page reports")

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


def _test_room(wiring: Wiring) -> Component:
    return TestRoom()


@dataclass
class Browser:
    """The running app and a Chromium looking at it."""

    app: App
    clock: FakeClock
    rooms: InMemoryVideoRooms
    driver: WebDriver
    test_name: str

    @property
    def pages(self) -> WebPages:
        return next(c for c in self.app.components if isinstance(c, WebPages))

    @property
    def base_url(self) -> str:
        assert self.app.web is not None
        return self.app.web.base_url

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """A Selenium call, off the event loop so the server keeps answering."""
        return await asyncio.to_thread(call, *args)

    async def open(self, path: str) -> None:
        await self.run(self.driver.get, self.base_url + path)

    async def wait_for(self, condition: Callable[[WebDriver], T], message: str = "") -> T:
        """Wait on the DOM (WebDriverWait polls it) without blocking the server."""
        waiter = WebDriverWait(self.driver, WAIT_SECONDS, poll_frequency=0.1)
        return await self.run(waiter.until, condition, message)

    async def screenshot(self, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_-]+', '_', self.test_name)}-{step}.png"
        assert await self.run(self.driver.save_screenshot, str(path)), path
        return path


@pytest.fixture
def driver(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[WebDriver]:
    """Chromium reading in English (US), or in the language a test passes (indirect param:
    its UI language and Accept-Language)."""
    _require_chromium()
    language = getattr(request, "param", "en-US")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP reports, errors
    if language != "en-US":
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
    profile = tmp_path / "chromium-profile"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1000,800",
        f"--lang={language}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def branding() -> Branding:
    """The association's branding the app is configured with (dojobot's defaults unless a
    test parametrizes `branding`)."""
    return Branding()


@pytest.fixture
async def browser(
    tmp_path: Path, driver: WebDriver, branding: Branding, request: pytest.FixtureRequest
) -> AsyncIterator[Browser]:
    clock = FakeClock(START)
    rooms = InMemoryVideoRooms()
    settings = Settings(
        data_dir=tmp_path / "data",
        web=WebSettings(port=0, status_poll_seconds=0.3),
        branding=branding,
        _env_file=None,
    )
    app = await bootstrap(
        settings,
        write=lambda line: None,
        clock=clock,
        rooms=rooms,
        components=[build_web, _test_room],
    )
    await app.start()
    assert app.web is not None and app.web.listening
    rooms.base_url = app.web.base_url + "/test-room"
    try:
        yield Browser(app, clock, rooms, driver, request.node.name)
    finally:
        await app.close()
