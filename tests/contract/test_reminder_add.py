"""`SessionStore.add_reminders`: the additive write of a session's reminder rows (a custom
kind someone going chose), in every store; and its race: concurrent adds of different kinds
(in one process, and from two processes on SQLite and PostgreSQL) all stay, where
`replace_reminders` from a stale read would drop the other's."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from core.errors import InvalidInput, NotFound
from core.model import ReminderKind
from core.ports import SessionStore
from tests.contract.test_member_processes import database, line_of
from tests.contract.test_session_store import H1, H24, M10, at, make_session, reminder

H3, H2, M30 = ReminderKind.BEFORE_3H, ReminderKind.BEFORE_2H, ReminderKind.BEFORE_30M
REPO = Path(__file__).resolve().parents[2]
READY_WITHIN = 30.0


async def pending(store: SessionStore, session_id: str = "s1") -> dict[ReminderKind, float]:
    """The session's unfinished reminders: kind → due time (minutes after T0)."""
    due = await store.due_reminders(at(10**6), 1000)
    return {
        r.kind: (r.due_at - at(0)).total_seconds() / 60 for r in due if r.session_id == session_id
    }


async def test_add_stores_new_kinds_and_leaves_the_rest(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    await store.add_session(make_session("s2"))
    await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", H1, 10)])
    await store.replace_reminders("s2", [reminder("s2", H1, 5)])
    await store.finish_reminders([reminder("s1", H24, 0)], at(1))
    await store.add_reminders(
        "s1",
        [
            reminder("s1", H24, 40),  # finished for this start: stays finished
            reminder("s1", H1, 50),  # unfinished for this start: left as it is
            reminder("s1", H3, 30),  # new: stored
        ],
    )
    assert await pending(store) == {H3: 30, H1: 10}
    assert await pending(store, "s2") == {H1: 5}
    await store.add_reminders("s1", [])
    assert await pending(store) == {H3: 30, H1: 10}


async def test_add_replaces_a_kind_for_another_start_and_ignores_another_start(
    store: SessionStore,
) -> None:
    await store.add_session(make_session("s1", start_time=at(2880)))
    await store.replace_reminders("s1", [reminder("s1", H1, 10, done=11)])  # old start 1440
    await store.add_reminders(
        "s1", [reminder("s1", H1, 2820, start=2880), reminder("s1", M30, 1410)]
    )
    assert await pending(store) == {H1: 2820}  # the old-start one was dropped unsent


async def test_add_refuses_bad_reminders_and_unknown_sessions(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    with pytest.raises(InvalidInput):
        await store.add_reminders("s1", [reminder("s2", H3, 0)])
    with pytest.raises(InvalidInput):
        await store.add_reminders("s1", [reminder("s1", H3, 0), reminder("s1", H3, 1)])
    with pytest.raises(NotFound):
        await store.add_reminders("ghost", [reminder("ghost", H3, 0)])
    assert await pending(store) == {}


async def test_concurrent_adds_of_different_kinds_all_stay(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", M10, 1430)])
    await asyncio.gather(
        store.add_reminders("s1", [reminder("s1", H3, 1260)]),
        store.add_reminders("s1", [reminder("s1", H2, 1320)]),
        store.add_reminders("s1", [reminder("s1", M30, 1410)]),
        store.add_reminders("s1", [reminder("s1", H2, 1321)]),  # one kind twice: one stays
    )
    added = await pending(store)
    assert added.keys() == {H24, H3, H2, M30, M10}
    assert added[H2] in (1320, 1321)


WORKER = """
import asyncio, sys
from datetime import timedelta
from adapters.sql import open_sql_store
from core.model import Reminder, ReminderKind

async def main(url: str, kind: str, sessions: int) -> None:
    store = await open_sql_store(url)
    try:
        ids = [f"s{n}" for n in range(sessions)]
        starts = {s.id: s.start_time for s in await store.get_sessions(ids)}
        lead = {"3h": timedelta(hours=3), "2h": timedelta(hours=2)}[kind]
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        for session_id in ids:
            start = starts[session_id]
            await store.add_reminders(session_id, [Reminder(
                session_id=session_id, kind=ReminderKind(kind), start_time=start,
                due_at=start - lead, useful_until=start,
            )])
        print("done", flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""
SESSIONS = 20


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_two_processes_adding_different_kinds_keep_both(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        store = await open_sql_store(url)
        try:
            for n in range(SESSIONS):
                await store.add_session(make_session(f"s{n}"))
                await store.replace_reminders(f"s{n}", [reminder(f"s{n}", H1, 1380)])
            env = os.environ | {"PYTHONPATH": str(REPO)}
            processes = [
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-c",
                    WORKER,
                    url,
                    lead,
                    str(SESSIONS),
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    env=env,
                    cwd=REPO,
                )
                for lead in ("3h", "2h")
            ]
            try:
                assert [await line_of(p) for p in processes] == ["ready", "ready"]
                for process in processes:
                    assert process.stdin is not None
                    process.stdin.write(b"go\n")
                    await process.stdin.drain()
                assert [await line_of(p) for p in processes] == ["done", "done"]
            finally:
                for process in processes:
                    if process.returncode is None:
                        await asyncio.wait_for(process.wait(), READY_WITHIN)
            due = await store.due_reminders(at(10**6), 1000)
            kinds: dict[str, set[str]] = {}
            for r in due:
                kinds.setdefault(r.session_id, set()).add(r.kind.value)
            assert kinds == {f"s{n}": {"3h", "2h", "1h"} for n in range(SESSIONS)}, json.dumps(
                {k: sorted(v) for k, v in kinds.items()}
            )
        finally:
            await store.close()
