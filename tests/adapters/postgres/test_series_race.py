"""Two processes' stores on one PostgreSQL walk the same weekly-class window at once: each
day becomes one session, each standing member one RSVP on it (issue 14's hard case)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, time, timedelta

from adapters.sql import open_sql_store
from core.commands import ScheduleSeries
from core.model import Member, Origin, Role, SessionFilter
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms

SENSEI = Member(id="t:sensei", display_name="Sensei", role=Role.INSTRUCTOR)
MEMBERS = [Member(id=f"t:m{i}", display_name=f"M{i}") for i in range(6)]
ORIGIN = Origin(platform="test", workspace_id="w", channel_id="dojo")


async def test_two_stores_materialising_at_once_list_each_day_once(pg_url: str) -> None:
    clock = FakeClock()
    first, second = await open_sql_store(pg_url), await open_sql_store(pg_url)
    try:
        chat = RecordingChatDelivery()
        one = SessionService(first, InMemoryVideoRooms(), chat, clock)
        two = SessionService(second, InMemoryVideoRooms(), chat, clock)
        command = ScheduleSeries(
            title="Kids karate",
            weekdays=[0, 2, 4],
            local_time=time(17, 30),
            timezone="Europe/Berlin",
            until=date(2027, 6, 30),
            capacity=4,
        )
        plan = await one.schedule_series(SENSEI, command, ORIGIN)
        for member in MEMBERS:
            await one.stand(member, plan.series.id)
        for _ in range(3):  # three weeks, each walked by both at once
            clock.advance(timedelta(weeks=1))
            await asyncio.gather(one.materialise_series(), two.materialise_series())
        sessions = [
            s
            for s in await first.list_sessions(SessionFilter(limit=1000))
            if s.series_id == plan.series.id
        ]
        days = Counter(s.id for s in sessions)
        assert len(days) == 21 and set(days.values()) == {1}  # 7 weeks x Mon/Wed/Fri
        for session in sessions:
            rsvps = sorted(await first.list_rsvps(session.id), key=lambda r: r.position)
            assert [r.member_id for r in rsvps] == [m.id for m in MEMBERS]
            assert [r.status.value for r in rsvps] == ["going"] * 4 + ["waitlisted"] * 2
    finally:
        await first.close()
        await second.close()
