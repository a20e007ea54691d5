"""Our design, wired as `bot.bootstrap` wires it, minus the front ends and the video provider.

`SqlSessionStore` on SQLite holds sessions, RSVPs and `Reminder` rows; `Duties` and
`ReminderDispatcher` deliver; `ApschedulerAlarm` keeps one APScheduler date job at the next
due time computed from the store. The chat sends nothing and only counts, so what is measured
is the scheduling and bookkeeping.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from adapters.scheduler import ApschedulerAlarm
from adapters.sql import SqlSessionStore, open_sql_store
from core.duties import Duties
from core.model import Origin
from core.notices import Notice
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.views import AnnouncementView


class CountingChat:
    """A ChatDelivery that sends nothing and counts what it was given, per session."""

    def __init__(self) -> None:
        self.sent = 0
        self.per_session: Counter[str] = Counter()

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        self.sent += 1
        self.per_session[notice.session.id] += 1

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        return False  # only counts; a benchmark process is never restarted mid-send

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        self.sent += 1
        self.per_session[notice.session.id] += 1

    async def send_file(self, member_id: str, file: object) -> None:
        """Exports are not part of this benchmark."""

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        return None


class TimedDispatcher(ReminderDispatcher):
    """ReminderDispatcher that records (seconds, messages sent) of every `run_due`."""

    def __init__(self, store: SqlSessionStore, chat: CountingChat) -> None:
        super().__init__(store, chat)
        self.runs: list[tuple[float, int]] = []

    async def run_due(self, now: datetime) -> int:
        started = time.perf_counter()
        sent = await super().run_due(now)
        self.runs.append((time.perf_counter() - started, sent))
        return sent


@dataclass
class OurApp:
    store: SqlSessionStore
    clock: FakeClock
    chat: CountingChat
    dispatcher: TimedDispatcher
    duties: Duties
    alarm: ApschedulerAlarm

    async def close(self) -> None:
        await self.alarm.stop()
        await self.store.close()


async def open_app(path: Path, clock: FakeClock) -> OurApp:
    """Open (and migrate) the store and wire the alarm clock; the alarm is not started."""
    store = await open_sql_store(f"sqlite+aiosqlite:///{path.as_posix()}")
    chat = CountingChat()

    async def replan() -> None:
        await alarm.replan()

    service = SessionService(store, InMemoryVideoRooms(), chat, clock, timing_listener=replan)
    dispatcher = TimedDispatcher(store, chat)
    duties = Duties(service, dispatcher)
    alarm = ApschedulerAlarm(duties, clock)
    return OurApp(store, clock, chat, dispatcher, duties, alarm)
