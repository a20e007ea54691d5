"""Real processes walking one weekly class's window on PostgreSQL: two at once, one of them
SIGKILLed after a random number of store calls, then a restart. Each day ends up one
session with its reminders and every standing RSVP once, in the order made (issue 14)."""

from __future__ import annotations

import asyncio
import random
import signal
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from core.commands import ScheduleSeries
from core.model import Member, Origin, Role, SessionFilter
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms

REPO = Path(__file__).resolve().parents[3]
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LATER = START + timedelta(weeks=3)
SENSEI = Member(id="t:sensei", display_name="Sensei", role=Role.INSTRUCTOR)
MEMBERS = [Member(id=f"t:m{i}", display_name=f"M{i}") for i in range(5)]
WITHIN = 60.0

WORKER = """
import asyncio, os, signal, sys
from datetime import datetime
from adapters.sql import open_sql_store
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms

url, at, die_after = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])

class Dying:
    def __init__(self, store):
        self.store, self.calls = store, 0
    def __getattr__(self, name):
        target = getattr(self.store, name)
        if name.startswith("_") or not callable(target):
            return target
        async def call(*args, **kwargs):
            self.calls += 1
            if die_after and self.calls >= die_after:
                os.kill(os.getpid(), signal.SIGKILL)
            return await target(*args, **kwargs)
        return call

async def main():
    store = await open_sql_store(url)
    service = SessionService(Dying(store), InMemoryVideoRooms(), RecordingChatDelivery(),
                             FakeClock(at))
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await service.materialise_series()
    await store.close()
    print("done", flush=True)

asyncio.run(main())
"""


async def _worker(url: str, die_after: int) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        WORKER,
        url,
        LATER.isoformat(),
        str(die_after),
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), WITHIN)
    assert line.strip() == b"ready"
    return process


async def _go(process: asyncio.subprocess.Process) -> int:
    assert process.stdin is not None
    process.stdin.write(b"go\n")
    await process.stdin.drain()
    return await asyncio.wait_for(process.wait(), WITHIN)


@pytest.mark.parametrize("seed", [1, 2])
async def test_two_processes_and_a_killed_one_list_each_day_once(pg_url: str, seed: int) -> None:
    store = await open_sql_store(pg_url)
    try:
        service = SessionService(
            store, InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock(START)
        )
        command = ScheduleSeries(
            title="Kids karate",
            weekdays=[0, 2],
            local_time=time(17, 30),
            timezone="Europe/Berlin",
            until=date(2027, 6, 30),
            capacity=3,
        )
        origin = Origin(platform="test", workspace_id="w", channel_id="dojo")
        plan = await service.schedule_series(SENSEI, command, origin)
        for member in MEMBERS:
            await service.stand(member, plan.series.id)
        die_after = random.Random(seed).randint(3, 40)
        first, second, killed = (
            await _worker(pg_url, 0),
            await _worker(pg_url, 0),
            await _worker(pg_url, die_after),
        )
        codes = await asyncio.gather(_go(first), _go(second), _go(killed))
        assert list(codes[:2]) == [0, 0] and codes[2] in (0, -signal.SIGKILL)
        assert await _go(await _worker(pg_url, 0)) == 0  # the restart
        sessions = [
            s
            for s in await store.list_sessions(SessionFilter(limit=1000))
            if s.series_id == plan.series.id
        ]
        assert set(Counter(s.id for s in sessions).values()) == {1}
        assert len(sessions) == 14  # Wed 2 Dec .. Wed 20 Jan: 7 weeks of Mon + Wed
        for session in sessions:
            rsvps = sorted(await store.list_rsvps(session.id), key=lambda r: r.position)
            assert [r.member_id for r in rsvps] == [m.id for m in MEMBERS]
            assert [r.status.value for r in rsvps] == ["going"] * 3 + ["waitlisted"] * 2
        due = await store.due_reminders(LATER + timedelta(weeks=5), limit=1000)
        assert {r.session_id for r in due} >= {s.id for s in sessions if s.start_time > LATER}
    finally:
        await store.close()
