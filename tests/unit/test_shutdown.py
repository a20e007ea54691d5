"""Shutdown is one exit stack: every port that holds something is closed through `close()`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from adapters.web import WebSettings
from bot.bootstrap import bootstrap
from bot.components import Component, Wiring
from bot.settings import Settings
from core.ports import ChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore

CLOSED: list[str] = []


class ClosingStore(InMemorySessionStore):
    async def close(self) -> None:
        CLOSED.append("store")


class ClosingRooms(InMemoryVideoRooms):
    async def close(self) -> None:
        CLOSED.append("rooms")


class Part:
    name = "part"
    platform: str | None = None
    chat: ChatDelivery | None = None

    def __init__(self, fails: bool) -> None:
        self.fails = fails

    def mount(self, app: web.Application) -> None:
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        CLOSED.append(f"part fails={self.fails}")
        if self.fails:
            raise RuntimeError("cannot stop")


def part(fails: bool) -> Callable[[Wiring], Component]:
    def factory(wiring: Wiring) -> Component:
        return Part(fails)

    return factory


async def test_close_unwinds_components_then_rooms_then_store(tmp_path: Path) -> None:
    CLOSED.clear()
    settings = Settings(data_dir=tmp_path, web=WebSettings(enabled=False), _env_file=None)
    app = await bootstrap(
        settings,
        write=lambda line: None,
        clock=FakeClock(),
        store=ClosingStore(),
        rooms=ClosingRooms(),
        components=[part(fails=False), part(fails=True)],
        serve_http=False,
    )
    await app.close()
    await app.close()  # a second close closes nothing twice
    assert CLOSED == ["part fails=True", "part fails=False", "rooms", "store"]
