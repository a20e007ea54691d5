"""Training-ledger verdicts across two real processes on PostgreSQL, each with its own
store, released at once by a line on their stdin (no sleeps): both record the same 200
entries at once (a redelivered end), then both set a verdict on every entry at once (one
PRESENT by one, ABSENT by the other), then both record again: every entry ends whole — one
of the two verdicts with its own author and the `attended` it decides — and each verdict
replaced either the recorded entry or the other's verdict, never a mix."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from adapters.sql import open_sql_store
from core.training_ledger import LedgerQuery, Verdict
from tests.pg_server import fresh_database, require_server
from tests.worker_processes import both, workers_running

T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
SESSIONS = 100
MEMBERS = ("terminal:ana", "terminal:ben")
AUTHORS = {"terminal:boss": Verdict.PRESENT, "terminal:root": Verdict.ABSENT}

WORKER = """
import asyncio, json, sys
from datetime import datetime
from adapters.sql import open_sql_store
from core.training_ledger import LedgerEntry, Verdict

def entry(session_id, member_id, now, **more):
    return LedgerEntry(
        session_id=session_id, member_id=member_id, member_name=member_id[9:], title="Kata",
        instructor_id="terminal:sensei", starts_at=now, session_seconds=3600,
        seconds_present=3000, recorded_at=now, **({"attended": True} | more),
    )

async def main(url: str, name: str, verdict: str) -> None:
    store = await open_sql_store(url)
    loop = asyncio.get_running_loop()
    try:
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            task = json.loads(line)
            now = datetime.fromisoformat(task["now"])
            found = []
            if task["op"] == "record":
                await store.save_ledger([entry(s, m, now) for s, m in task["pairs"]])
            else:
                for session_id, member_id in task["pairs"]:
                    decided = entry(
                        session_id, member_id, now, verdict=Verdict(verdict), verdict_by=name,
                        verdict_at=now, attended=verdict == "present",
                    )
                    replaced = await store.set_verdict(decided)
                    found.append(None if replaced is None else replaced.verdict_by)
            print(json.dumps(found), flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
"""


async def test_two_processes_record_twice_and_leave_one_whole_verdict_per_entry() -> None:
    async with fresh_database(require_server()) as url:
        store = await open_sql_store(url)
        await store.close()  # migrated
        pairs = [[f"s{n}", member] for n in range(SESSIONS) for member in MEMBERS]
        now = T0.isoformat()
        args = [[url, name, verdict.value] for name, verdict in AUTHORS.items()]
        async with workers_running(WORKER, *args) as workers:
            await both(workers, {"op": "record", "pairs": pairs, "now": now})
            boss, root = await both(workers, {"op": "verdict", "pairs": pairs, "now": now})
            await both(workers, {"op": "record", "pairs": pairs, "now": now})
        # per entry: one verdict replaced the recorded entry, the other replaced it
        for first, second in zip(boss, root, strict=True):
            assert Counter([first, second]) in (
                Counter([None, "terminal:boss"]),
                Counter([None, "terminal:root"]),
            )
        store = await open_sql_store(url)
        try:
            entries = [e async for e in store.read_ledger(LedgerQuery(), batch=64)]
        finally:
            await store.close()
        assert len(entries) == len(pairs)
        for entry in entries:
            assert entry.verdict_by in AUTHORS
            assert entry.verdict is AUTHORS[entry.verdict_by]  # whole: verdict and author
            assert entry.attended is (entry.verdict is Verdict.PRESENT)
