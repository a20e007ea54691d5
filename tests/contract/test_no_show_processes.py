"""No-show marks across two real processes on PostgreSQL, each with its own store, released
at once by a line on their stdin (no sleeps): 100 sessions ended by both at once (the same
no-show written by each: one write wins per mark), then both appealing and both waiving
every mark at once (each mark changed by exactly one of them)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.sql import open_sql_store
from core.model import TrainingSession
from tests.pg_server import fresh_database, require_server

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
READY_WITHIN = 60.0
REPO = Path(__file__).resolve().parents[2]
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


class Worker:
    """One worker process: `send` a task, then read its JSON answer (`line`)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, url: str, name: str) -> Worker:
        env = os.environ | {"PYTHONPATH": str(REPO)}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            WORKER,
            url,
            name,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        worker = cls(process)
        assert await worker.line() == "ready"
        return worker

    async def line(self) -> str:
        assert self.process.stdout is not None
        read = self.process.stdout.readline()
        return (await asyncio.wait_for(read, READY_WITHIN)).decode().strip()

    def send(self, task: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(task).encode() + b"\n")

    async def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), READY_WITHIN)


@asynccontextmanager
async def two_workers(url: str) -> AsyncIterator[list[Worker]]:
    workers = [await Worker.start(url, "terminal:boss"), await Worker.start(url, "terminal:root")]
    try:
        yield workers
    finally:
        for worker in workers:
            await worker.stop()


async def both(workers: list[Worker], task: dict[str, Any]) -> list[list[list[str]]]:
    """The same task to both workers (both written before either is read), both answers."""
    for worker in workers:
        worker.send(task)
    for worker in workers:
        assert worker.process.stdin is not None
        await worker.process.stdin.drain()
    return [json.loads(await worker.line()) for worker in workers]


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
        async with two_workers(url) as workers:
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
