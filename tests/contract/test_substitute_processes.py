"""Two instructors accepting one substitute request at once, from two real processes on
PostgreSQL (and SQLite), each with its own store and service, released at once by a line on
their stdin (no sleeps): round after round, exactly one becomes the session's instructor and
the other is told "already taken by …"."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from core.commands import ScheduleSession
from core.model import Member, Role
from core.service import SessionService
from core.substitutes import SubstituteRules, SubstituteStatus
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.contract.conftest import sqlite_url
from tests.pg_server import fresh_database, require_server
from tests.worker_processes import Worker, both

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ROUNDS = 25
INSTRUCTORS = ("terminal:ana", "terminal:ben")
SENSEI = Member(id="terminal:sensei", display_name="Sensei", role=Role.INSTRUCTOR)

WORKER = """
import asyncio, json, sys
from datetime import datetime
from adapters.sql import open_sql_store
from core.errors import DojoError
from core.model import Member, Role
from core.service import SessionService
from core.substitutes import SubstituteRules
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms

async def main(url: str, member_id: str, now: str) -> None:
    store = await open_sql_store(url)
    rules = SubstituteRules(instructors=("terminal:ana", "terminal:ben"))
    clock = FakeClock(datetime.fromisoformat(now))
    service = SessionService(
        store, InMemoryVideoRooms(), RecordingChatDelivery(), clock, substitute_rules=rules
    )
    me = Member(id=member_id, display_name=member_id[9:], role=Role.INSTRUCTOR)
    loop = asyncio.get_running_loop()
    try:
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            try:
                await service.take_sub(me, json.loads(line)["session"])
                found = ["won", ""]
            except DojoError as error:
                found = ["lost", str(error)]
            print(json.dumps(found), flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
"""


@asynccontextmanager
async def database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh SQLite file or PostgreSQL database (tests/pg_server.py)."""
    if kind == "sqlite":
        yield sqlite_url(tmp_path / "substitutes.db")
        return
    async with fresh_database(require_server()) as url:
        yield url


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_two_instructors_accepting_at_once_one_wins_every_round(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        store = await open_sql_store(url)
        try:
            rules = SubstituteRules(instructors=INSTRUCTORS)
            service = SessionService(
                store,
                InMemoryVideoRooms(),
                RecordingChatDelivery(),
                FakeClock(T0),
                substitute_rules=rules,
            )
            sessions = []
            for n in range(ROUNDS):
                start = T0 + timedelta(days=2, hours=2 * n)  # none overlap
                command = ScheduleSession(title=f"Kata {n}", start_time=start)
                session = await service.schedule(SENSEI, command)
                await service.need_sub(SENSEI, session.id)
                sessions.append(session.id)
            now = (T0 + timedelta(minutes=5)).isoformat()
            workers = [await Worker.start(WORKER, url, m, now) for m in INSTRUCTORS]
            try:
                answers = [await both(workers, {"session": s}) for s in sessions]
            finally:
                for worker in workers:
                    await worker.stop()
            outcomes = Counter(tuple(sorted(a[0] for a in pair)) for pair in answers)
            assert outcomes == {("lost", "won"): ROUNDS}  # never two winners, never none
            for session_id, (ana, ben) in zip(sessions, answers, strict=True):
                winner, loser = (ana, ben) if ana[0] == "won" else (ben, ana)
                winner_id = INSTRUCTORS[0] if winner is ana else INSTRUCTORS[1]
                assert "already taken by" in loser[1] and winner_id[9:] in loser[1]
                session = await service.get(session_id)
                assert session.instructor_id == winner_id and session.sequence == 1
                request = await store.get_substitute_request(session_id)
                assert request is not None and request.status is SubstituteStatus.TAKEN
                assert request.substitute_id == winner_id
        finally:
            await store.close()
