"""Our design (`bench.our_design`) on PostgreSQL: the same wiring, the store opened by URL."""

from __future__ import annotations

from adapters.scheduler import ApschedulerAlarm
from adapters.sql import open_sql_store
from bench.our_design import CountingChat, OurApp, TimedDispatcher
from core.duties import Duties
from core.service import SessionService
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms


async def open_pg_app(url: str, clock: FakeClock) -> OurApp:
    """Open (and migrate) the store at `url` and wire the alarm clock (not started)."""
    store = await open_sql_store(url)
    chat = CountingChat()

    async def replan() -> None:
        await alarm.replan()

    service = SessionService(store, InMemoryVideoRooms(), chat, clock, timing_listener=replan)
    dispatcher = TimedDispatcher(store, chat)
    duties = Duties(service, dispatcher)
    alarm = ApschedulerAlarm(duties, clock)
    return OurApp(store, clock, chat, dispatcher, duties, alarm)
