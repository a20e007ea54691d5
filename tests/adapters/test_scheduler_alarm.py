"""The APScheduler alarm fires from the store's next due time, on the service's clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from adapters.scheduler import ApschedulerAlarm
from adapters.scheduler.alarm import JOB_ID, RESYNC_JOB_ID
from core.clock import OffsetClock
from core.commands import ScheduleSession
from core.duties import Duties
from core.model import Member, Origin, ReminderKind, Role
from core.notices import Notice
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore

SENSEI = Member(id="t:sensei", display_name="sensei", role=Role.INSTRUCTOR)
ANA = Member(id="t:ana", display_name="ana")
ORIGIN = Origin(platform="test", channel_id="dojo")


class TimedChat(RecordingChatDelivery):
    """Records the service-clock time of every DM."""

    def __init__(self, clock: FakeClock | OffsetClock) -> None:
        super().__init__()
        self.clock = clock
        self.dm_times: list[tuple[ReminderKind | None, datetime]] = []
        self.dm_event = asyncio.Event()

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        await super().send_dm(member_id, notice)
        self.dm_times.append((notice.reminder_kind, self.clock.now()))
        self.dm_event.set()


def wire(clock: FakeClock | OffsetClock) -> tuple[SessionService, ApschedulerAlarm, TimedChat]:
    store = InMemorySessionStore()
    chat = TimedChat(clock)

    async def replan() -> None:
        await alarm.replan()

    service = SessionService(store, InMemoryVideoRooms(), chat, clock, timing_listener=replan)
    alarm = ApschedulerAlarm(Duties(service, ReminderDispatcher(store, chat)), clock)
    return service, alarm, chat


async def test_wakeup_is_planned_at_the_next_due_time_not_polled() -> None:
    clock = FakeClock()
    service, alarm, _ = wire(clock)
    await alarm.start()
    try:
        start = clock.now() + timedelta(hours=30)  # 24 h reminder due in 6 h, before cleanup
        await service.schedule(SENSEI, ScheduleSession(title="Kata", start_time=start), ORIGIN)
        assert alarm.planned_for == start - timedelta(hours=24)
        job = alarm.scheduler.get_job(JOB_ID)
        expected = datetime.now(UTC) + timedelta(hours=6)
        assert abs((job.next_run_time - expected).total_seconds()) < 5
    finally:
        await alarm.stop()


async def test_advance_fires_each_reminder_at_its_due_time_in_order() -> None:
    clock = FakeClock()
    service, alarm, chat = wire(clock)
    await alarm.start()
    try:
        start = clock.now() + timedelta(days=3)
        session = await service.schedule(
            SENSEI, ScheduleSession(title="Kata", start_time=start), ORIGIN
        )
        await service.rsvp(ANA, session.id)
        await alarm.advance(timedelta(days=3))
        assert chat.dm_times == [
            (ReminderKind.BEFORE_24H, start - timedelta(hours=24)),
            (ReminderKind.BEFORE_1H, start - timedelta(hours=1)),
            (ReminderKind.BEFORE_10M, start - timedelta(minutes=10)),
        ]
        assert clock.now() == start
    finally:
        await alarm.stop()


async def test_fires_by_itself_when_the_due_time_arrives_on_a_flowing_clock() -> None:
    clock = OffsetClock()
    service, alarm, chat = wire(clock)
    await alarm.start()
    try:
        start = clock.now() + timedelta(days=1, seconds=0.2)
        session = await service.schedule(
            SENSEI, ScheduleSession(title="Kata", start_time=start), ORIGIN
        )
        await service.rsvp(ANA, session.id)
        await asyncio.wait_for(chat.dm_event.wait(), timeout=10)
        [(kind, at)] = chat.dm_times
        assert kind is ReminderKind.BEFORE_24H
        assert at >= start - timedelta(hours=24)
    finally:
        await alarm.stop()


async def test_a_failing_wakeup_is_retried_not_lost() -> None:
    clock = FakeClock()
    _, alarm, _ = wire(clock)

    async def broken() -> None:
        raise RuntimeError("store down")

    alarm.duties.run_due = broken  # type: ignore[method-assign,assignment]
    await alarm.start()
    try:
        job = alarm.scheduler.get_job(JOB_ID)
        assert job is not None
        assert job.next_run_time > datetime.now(UTC) + timedelta(seconds=30)
    finally:
        await alarm.stop()


async def test_resync_picks_up_what_another_process_scheduled() -> None:
    clock = FakeClock()
    store = InMemorySessionStore()
    chat = TimedChat(clock)
    mine = SessionService(store, InMemoryVideoRooms(), chat, clock)
    alarm = ApschedulerAlarm(
        Duties(mine, ReminderDispatcher(store, chat)), clock, resync_every=timedelta(seconds=15)
    )
    other_process = SessionService(store, InMemoryVideoRooms(), chat, clock)  # no listener
    await alarm.start()
    try:
        job = alarm.scheduler.get_job(RESYNC_JOB_ID)
        assert job is not None and job.trigger.interval == timedelta(seconds=15)
        start = clock.now() + timedelta(hours=30)
        await other_process.schedule(
            SENSEI, ScheduleSession(title="Kata", start_time=start), ORIGIN
        )
        assert alarm.planned_for != start - timedelta(hours=24)
        await alarm.resync()
        assert alarm.planned_for == start - timedelta(hours=24)
    finally:
        await alarm.stop()


async def test_no_resync_job_for_a_single_process() -> None:
    _, alarm, _ = wire(FakeClock())
    await alarm.start()
    try:
        assert alarm.scheduler.get_job(RESYNC_JOB_ID) is None
    finally:
        await alarm.stop()


class ScheduleWhileWaking:
    """A timed duty whose `next_due`, the wake-up's last read, is where another task gets
    its turn: a session is scheduled (by a process without a listener) and the clock told
    to resync, after the wake-up has read the next reminder due."""

    name = "schedule_while_waking"

    def __init__(self, service: SessionService, alarm: list[ApschedulerAlarm]) -> None:
        self.service = service
        self.alarm = alarm
        self.start: datetime | None = None

    async def run_due(self, now: datetime) -> int:
        return 0

    async def next_due(self) -> datetime | None:
        if self.start is None and self.alarm:
            self.start = self.service.now() + timedelta(hours=30)
            await self.service.schedule(
                SENSEI, ScheduleSession(title="Kata", start_time=self.start), ORIGIN
            )
            await self.alarm[0].resync()
        return None


async def test_a_change_made_while_a_wake_up_runs_is_planned_after_it() -> None:
    clock = FakeClock()
    store = InMemorySessionStore()
    chat = TimedChat(clock)
    mine = SessionService(store, InMemoryVideoRooms(), chat, clock)
    other_process = SessionService(store, InMemoryVideoRooms(), chat, clock)  # no listener
    holder: list[ApschedulerAlarm] = []
    duty = ScheduleWhileWaking(other_process, holder)
    alarm = ApschedulerAlarm(
        Duties(mine, ReminderDispatcher(store, chat), timed=[duty]),
        clock,
        resync_every=timedelta(seconds=15),
    )
    await alarm.start()  # nothing scheduled yet: the first wake-up plans nothing new
    try:
        holder.append(alarm)
        await alarm.wake()  # one wake-up (the job's own call), during which the change comes
        assert duty.start is not None
        assert alarm.planned_for == duty.start - timedelta(hours=24)
    finally:
        await alarm.stop()
