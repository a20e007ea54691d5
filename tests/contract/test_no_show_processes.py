"""No-show marks across two real processes on PostgreSQL, each with its own store, released
at once by a line on their stdin (no sleeps): 100 sessions ended by both at once (the same
no-show written by each: one write wins per mark), then both appealing and both waiving
every mark at once (each mark changed by exactly one of them)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from adapters.sql import open_sql_store
from core.model import TrainingSession
from tests.pg_server import fresh_database, require_server
from tests.worker_processes import both, workers_running

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SESSIONS = 100
MEMBERS = ("terminal:ana", "terminal:ben")

WORKER = """
import asyncio, json, sys
from datetime import datetime
from adapters.sql import open_sql_store
from core.seat_marks import MarkKind, SeatMark

async def main(url: str, name: str) -> None:
    store = await open_sql_store(url)
    loop = asyncio.get_running_loop()
    try:
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            task = json.loads(line)
            now = datetime.fromisoformat(task["now"])
            found = []
            for session_id, member_id in task["pairs"]:
                if task["op"] == "mark":
                    mark = SeatMark(
                        session_id=session_id,
                        member_id=member_id,
                        kind=MarkKind.NO_SHOW,
                        created_at=now,
                    )
                    if await store.add_seat_mark(mark):
                        found.append([session_id, member_id])
                elif task["op"] == "appeal":
                    for m in await store.appeal_seat_marks(session_id, member_id, now):
                        found.append([m.session_id, m.member_id])
                else:
                    for m in await store.waive_seat_marks(session_id, member_id, name, now, now):
                        found.append([m.session_id, m.member_id])
            print(json.dumps(found), flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def once_each(answers: list[list[list[str]]], pairs: list[list[str]]) -> None:
    """Every pair answered by exactly one worker."""
    counted = Counter(tuple(pair) for answer in answers for pair in answer)
    assert counted == Counter(tuple(pair) for pair in pairs)


async def test_two_processes_write_appeal_and_waive_each_mark_once() -> None:
    async with fresh_database(require_server()) as url:
        store = await open_sql_store(url)
        try:
            for n in range(SESSIONS):
                await store.add_session(
                    TrainingSession(
                        id=f"s{n}",
                        title="Kata",
                        instructor_id="terminal:sensei",
                        instructor_name="Sensei",
                        start_time=T0,
                        duration_minutes=60,
                        created_at=T0,
                        updated_at=T0,
                    )
                )
        finally:
            await store.close()
        pairs = [[f"s{n}", member] for n in range(SESSIONS) for member in MEMBERS]
        now = (T0 + timedelta(hours=1)).isoformat()
        async with workers_running(
            WORKER, [url, "terminal:boss"], [url, "terminal:root"]
        ) as workers:
            once_each(await both(workers, {"op": "mark", "pairs": pairs, "now": now}), pairs)
            once_each(await both(workers, {"op": "appeal", "pairs": pairs, "now": now}), pairs)
            once_each(await both(workers, {"op": "waive", "pairs": pairs, "now": now}), pairs)
        store = await open_sql_store(url)
        try:
            marks = await store.list_seat_marks(list(MEMBERS), T0)
            assert len(marks) == len(pairs)
            assert all(m.waived_by in ("terminal:boss", "terminal:root") for m in marks)
        finally:
            await store.close()
