"""`add_reminders` from two ZeroDB stores on one project (two processes: their own clients
and locks): adds of different kinds both stay; of one kind, one row is kept."""

from __future__ import annotations

import asyncio

from adapters.zerodb import ZeroDBSessionStore
from core.model import ReminderKind
from tests.contract.test_session_store import H1, at, make_session, reminder

Stores = tuple[ZeroDBSessionStore, ZeroDBSessionStore]
H3, H2 = ReminderKind.BEFORE_3H, ReminderKind.BEFORE_2H
SESSIONS = [f"s{n}" for n in range(5)]


async def test_two_processes_adding_kinds_at_once_keep_each_kind_once(two_stores: Stores) -> None:
    first, second = two_stores
    for session_id in SESSIONS:
        await first.add_session(make_session(session_id))
        await first.replace_reminders(session_id, [reminder(session_id, H1, 1380)])
    await asyncio.gather(
        *(first.add_reminders(s, [reminder(s, H3, 1260)]) for s in SESSIONS),
        *(second.add_reminders(s, [reminder(s, H2, 1320)]) for s in SESSIONS),
        *(second.add_reminders(s, [reminder(s, H3, 1261)]) for s in SESSIONS),
    )
    due = await second.due_reminders(at(10**6), 1000)
    for session_id in SESSIONS:
        kinds = sorted(r.kind.value for r in due if r.session_id == session_id)
        assert kinds == sorted(["1h", "2h", "3h"]), session_id
