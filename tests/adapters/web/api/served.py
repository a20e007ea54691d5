"""The REST API served from a background thread, for blocking clients (schemathesis uses
requests). The core behind it stores in SQLite (so database-level failures would show as
5xx), runs on a FakeClock and has a few seeded sessions."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from datetime import time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.web.api import RestApi
from core.commands import CreateEvent, ScheduleSeries, ScheduleSession
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.adapters.web.api.conftest import ADMIN, SECRET, SENSEI, token

T = TypeVar("T")


class ThreadedApi:
    """Runs the API on its own event loop in a daemon thread, on an ephemeral port."""

    def __init__(self, database: Path) -> None:
        self.clock = FakeClock()
        self.database = database
        self.store: SqlSessionStore | None = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.session_ids: list[str] = []
        self.event_ids: list[str] = []
        self.series_ids: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def headers_for(self, path: str) -> dict[str, str]:
        """The seeded sessions' instructor starts and ends them; an admin does the rest."""
        who = SENSEI if path.endswith(("/start", "/end")) else ADMIN
        return {"Authorization": f"Bearer {token(who, self.clock)}"}

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=30)

    def start(self) -> None:
        self.thread.start()
        self.run(self._start())

    def stop(self) -> None:
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    async def _start(self) -> None:
        self.store = await open_sql_store(f"sqlite+aiosqlite:///{self.database}")
        rooms, chat = InMemoryVideoRooms(), RecordingChatDelivery()
        self.service = SessionService(self.store, rooms, chat, self.clock)
        app = web.Application()
        RestApi(self.service, self.clock, SECRET).mount(app)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        assert site._server is not None
        self.port = int(site._server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
        await self._seed()

    async def _seed(self) -> None:
        event = await self.service.create_event(ADMIN, CreateEvent(title="Camp"))
        self.event_ids.append(event.id)
        for days in (1, 2, 3):
            command = ScheduleSession(
                title=f"Kata {days}",
                start_time=self.clock.now() + timedelta(days=days),
                event_id=event.id if days == 2 else None,
            )
            self.session_ids.append((await self.service.schedule(SENSEI, command)).id)
        for weekdays in ([0, 2], [3]):
            weekly = ScheduleSeries(
                title="Kids karate", weekdays=weekdays, local_time=time(17, 30), weeks=12
            )
            plan = await self.service.schedule_series(SENSEI, weekly)
            self.series_ids.append(plan.series.root_id)

    async def _stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
        if self.store is not None:
            await self.store.close()
