"""Minimum-attendance decisions taken at once by two real processes on PostgreSQL (and
SQLite), each with its own store, service and chat, released at once by a line on their
stdin (no sleeps): two clocks reaching the decision time ask each instructor once; a Keep
pressed a second before the deadline in one process while the other's clock (a second
ahead) applies the default (cancel) has exactly one winner, and a losing Keep is told what
happened."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from core.commands import ScheduleSession
from core.min_attendance import MinAttendanceRules, MinDefault, MinState
from core.model import Member, Role, SessionStatus
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.contract.test_start_time_migration import database
from tests.worker_processes import Worker, at_once

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ROUNDS = 12
SENSEI = Member(id="terminal:sensei", display_name="Sensei", role=Role.INSTRUCTOR)

WORKER = """
import asyncio, json, sys
from datetime import datetime
from adapters.sql import open_sql_store
from core.min_attendance import MinAttendanceRules, MinDefault
from core.model import Member, Role
from core.notices import NoticeKind
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms

async def main(url: str) -> None:
    store = await open_sql_store(url)
    clock = FakeClock(datetime.fromisoformat("2026-12-01T09:00:00+00:00"))
    chat = RecordingChatDelivery()
    rules = MinAttendanceRules(default=MinDefault.CANCEL)
    service = SessionService(store, InMemoryVideoRooms(), chat, clock, min_attendance=rules)
    sensei = Member(id="terminal:sensei", display_name="Sensei", role=Role.INSTRUCTOR)
    loop = asyncio.get_running_loop()
    try:
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            task = json.loads(line)
            clock.set(datetime.fromisoformat(task["now"]))
            if task["op"] == "decide":
                done = await service.decide_min_attendance(clock.now())
                asks = [
                    s for s in chat.sent
                    if s.notice is not None and s.notice.kind is NoticeKind.MIN_ATTENDANCE_ASK
                ]
                found = [done, len(asks)]
            else:
                reply = await service.keep_session(sensei, task["session"])
                found = [reply.action, str(reply.lines[0])]
            print(json.dumps(found), flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1]))
"""


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_two_processes_ask_once_and_a_keep_races_the_default(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        store = await open_sql_store(url)
        try:
            rules = MinAttendanceRules(default=MinDefault.CANCEL)
            service = SessionService(
                store,
                InMemoryVideoRooms(),
                RecordingChatDelivery(),
                FakeClock(T0),
                min_attendance=rules,
            )
            start = T0 + timedelta(days=1)
            sessions = []
            for n in range(ROUNDS):
                command = ScheduleSession(title=f"Kata {n}", start_time=start, min_going=3)
                sessions.append((await service.schedule(SENSEI, command)).id)
            workers = [await Worker.start(WORKER, url), await Worker.start(WORKER, url)]
            try:
                decide = {"op": "decide", "now": (start - timedelta(hours=3)).isoformat()}
                asked = await at_once(workers, [decide, decide])
                assert sum(done for done, _ in asked) == ROUNDS  # each decided once
                assert sum(dms for _, dms in asked) == ROUNDS  # each instructor asked once
                deadline = start - timedelta(hours=2)
                just_before = (deadline - timedelta(seconds=1)).isoformat()
                answers = [
                    await at_once(
                        workers,
                        [
                            {"op": "keep", "session": s, "now": just_before},
                            {"op": "decide", "now": deadline.isoformat()},
                        ],
                    )
                    for s in sessions
                ]
            finally:
                for worker in workers:
                    await worker.stop()
            outcomes: Counter[str] = Counter()
            for session_id, (keep, _) in zip(sessions, answers, strict=True):
                decision = await store.get_min_decision(session_id)
                assert decision is not None
                status = (await service.get(session_id)).status
                if decision.state is MinState.CANCELED:  # the clock's default came first
                    assert decision.by_default and status is SessionStatus.CANCELED
                    assert keep[0] == "unchanged" and "Already canceled at" in keep[1], keep
                else:  # the Keep came first: the default found nothing to do
                    assert decision.state is MinState.KEPT, decision
                    assert decision.decided_by == SENSEI.id and keep[0] == "kept"
                    assert status is SessionStatus.SCHEDULED
                outcomes[decision.state.value] += 1
            assert sum(outcomes.values()) == ROUNDS
            assert await store.next_min_decision_due() is None
        finally:
            await store.close()
