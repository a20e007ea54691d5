"""The whole app, wired by bot.bootstrap on SQLite + Jitsi, driven through the terminal."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.testing.clock import FakeClock
from tests.fakes.discord_api import FakeDiscord

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Terminal:
    """Types lines into the terminal front end and keeps everything it printed."""

    def __init__(self, tmp_path: Path, clock: FakeClock) -> None:
        self.settings = Settings(
            data_dir=tmp_path / "data", web=WebSettings(port=0), _env_file=None
        )
        self.clock = clock
        self.output: list[str] = []
        self.app: App | None = None

    async def boot(self) -> App:
        self.app = await bootstrap(self.settings, write=self.output.append, clock=self.clock)
        await self.app.start()
        return self.app

    async def restart(self) -> None:
        assert self.app is not None
        await self.app.close()
        await self.boot()

    async def type(self, *lines: str) -> list[str]:
        """Run lines; return what they printed."""
        assert self.app is not None
        mark = len(self.output)
        for line in lines:
            self.output.append(f"> {line}")
            assert await self.app.console.handle(line)
        return self.output[mark:]

    async def open_join_link(self, printed: list[str]) -> httpx.Response:
        """Follow the personal join link a /join printed, as the member's browser would."""
        assert self.app is not None and self.app.web is not None
        found = [m for line in printed if (m := re.search(r"https?://\S+/join/(\S+)", line))]
        assert found, printed
        async with httpx.AsyncClient(base_url=self.app.web.base_url) as client:
            return await client.get(f"/join/{found[0].group(1)}")

    def lines_with(self, needle: str) -> list[str]:
        return [line for line in self.output if needle in line]

    @staticmethod
    def session_id(printed: list[str]) -> str:
        for line in printed:
            found = re.search(r"\(id ([a-z0-9]+)\)", line)
            if found:
                return found.group(1)
        raise AssertionError(f"no session id in {printed}")


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """The fake Discord API, started (the Discord stories' `fake`)."""
    api = FakeDiscord()
    await api.start()
    yield api
    await api.stop()


@asynccontextmanager
async def booted(tmp_path: Path, **settings: Any) -> AsyncIterator[Terminal]:
    """A terminal at START, booted with `settings` (Settings fields, e.g. `offers=…`) in
    place of the defaults; closed on the way out."""
    term = Terminal(tmp_path, FakeClock(START))
    if settings:
        term.settings = term.settings.model_copy(update=settings)
    await term.boot()
    try:
        yield term
    finally:
        if term.app is not None:
            await term.app.close()


@pytest.fixture
async def terminal(tmp_path: Path) -> AsyncIterator[Terminal]:
    async with booted(tmp_path) as term:
        yield term
