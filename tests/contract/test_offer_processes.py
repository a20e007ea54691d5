"""Waitlist offers across two real processes on PostgreSQL, each with its own
store, released at once by a line on their stdin (no sleeps):

* 200 sessions with one free seat in the open window: process A clicks Claim for one member,
  process B for another, session after session in the same order — one wins (CLAIMED), the
  other is told (TAKEN), every time;
* 20 sessions with k = 1…5 free seats and 30 waitlisted members each, every member claiming
  at once (15 from each process) — exactly k winners per session;
* 120 due offers lapsed by both processes at once, a few at a time — each offer is lapsed
  (returned) by exactly one of them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from adapters.sql import SqlSessionStore, open_sql_store
from core.model import RsvpStatus, TrainingSession
from tests.pg_server import fresh_database, require_server
from tests.worker_processes import at_once, workers_running

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=1)
PAIR_ROUNDS = 200
SEAT_SESSIONS = 20
CLAIMERS = 30
LAPSE_SESSIONS = 40
LAPSE_OFFERS = 3
LAPSE_LIMIT = 5

WORKER = """
import asyncio, json, sys
from datetime import datetime
from adapters.sql import open_sql_store

async def main(url: str) -> None:
    store = await open_sql_store(url)
    loop = asyncio.get_running_loop()
    try:
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            task = json.loads(line)
            now = datetime.fromisoformat(task["now"])
            if task["op"] == "claim_in_turn":
                found = [
                    (await store.claim_seat(s, m, now, open_to_all=True)).outcome.value
                    for s, m in task["claims"]
                ]
            elif task["op"] == "claim_at_once":
                claims = await asyncio.gather(
                    *(store.claim_seat(s, m, now, open_to_all=True) for s, m in task["claims"])
                )
                found = [c.outcome.value for c in claims]
            else:
                found = []
                while True:  # until no offer is due (a rival may have taken the last ones)
                    lapsed = await store.lapse_offers(now, task["limit"])
                    found += [[r.session_id, r.member_id] for r in lapsed]
                    due = await store.next_offer_lapse()
                    if not lapsed and (due is None or due > now):
                        break
            print(json.dumps(found), flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1]))
"""


@asynccontextmanager
async def database() -> AsyncIterator[str]:
    async with fresh_database(require_server()) as url:
        yield url


async def session_with_free_seats(
    store: SqlSessionStore, session_id: str, seats: int, waiting: list[str]
) -> None:
    """`seats` free seats (their members left without promotion), `waiting` waitlisted."""
    session = TrainingSession(
        id=session_id,
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=NOW + timedelta(minutes=20),
        duration_minutes=60,
        capacity=seats,
        created_at=T0,
        updated_at=T0,
    )
    await store.add_session(session)
    for n in range(seats):
        await store.rsvp_going(session_id, f"g{n}", "G", T0)
    for member in waiting:
        await store.rsvp_going(session_id, member, member, T0)
    for n in range(seats):
        await store.rsvp_leave(session_id, f"g{n}", T0, promote=False)


async def test_two_members_clicking_claim_at_once_one_wins_every_time() -> None:
    async with database() as url:
        store = await open_sql_store(url)
        try:
            sessions = [f"p{n:03d}" for n in range(PAIR_ROUNDS)]
            await asyncio.gather(
                *(session_with_free_seats(store, s, 1, ["ana", "bo"]) for s in sessions)
            )
            async with workers_running(WORKER, [url], [url]) as workers:
                tasks = [
                    {"op": "claim_in_turn", "now": NOW.isoformat(), "claims": claims}
                    for claims in ([[s, "ana"] for s in sessions], [[s, "bo"] for s in sessions])
                ]
                ana, bo = await at_once(workers, tasks)
            pairs = Counter(tuple(sorted(pair)) for pair in zip(ana, bo, strict=True))
            assert pairs == {("claimed", "taken"): PAIR_ROUNDS}  # 0 double winners, 0 none
            for session_id, outcome in zip(sessions, ana, strict=True):
                going = await store.list_rsvps(session_id, RsvpStatus.GOING)
                winner = "ana" if outcome == "claimed" else "bo"
                assert [r.member_id for r in going] == [winner]
        finally:
            await store.close()


async def test_many_claims_for_k_seats_have_exactly_k_winners() -> None:
    async with database() as url:
        store = await open_sql_store(url)
        try:
            members = [f"m{n:02d}" for n in range(CLAIMERS)]
            seats = {f"k{n:02d}": n % 5 + 1 for n in range(SEAT_SESSIONS)}
            await asyncio.gather(
                *(session_with_free_seats(store, s, k, members) for s, k in seats.items())
            )
            halves = (members[::2], members[1::2])
            async with workers_running(WORKER, [url], [url]) as workers:
                tasks = [
                    {
                        "op": "claim_at_once",
                        "now": NOW.isoformat(),
                        "claims": [[s, m] for s in seats for m in half],
                    }
                    for half in halves
                ]
                answers = await at_once(workers, tasks)
            for session_id, k in seats.items():
                going = await store.list_rsvps(session_id, RsvpStatus.GOING)
                assert len(going) == k, session_id
            outcomes = Counter(o for answer in answers for o in answer)
            assert outcomes["claimed"] == sum(seats.values())  # 60 seats, 60 winners
            assert outcomes["taken"] == SEAT_SESSIONS * CLAIMERS - sum(seats.values())
            assert set(outcomes) == {"claimed", "taken"}
        finally:
            await store.close()


async def test_two_processes_lapsing_at_once_lapse_each_offer_once() -> None:
    async with database() as url:
        store = await open_sql_store(url)
        try:
            members = [f"w{n}" for n in range(LAPSE_OFFERS + 1)]
            for n in range(LAPSE_SESSIONS):
                session_id = f"l{n:02d}"
                await session_with_free_seats(store, session_id, LAPSE_OFFERS, members)
                deadline = T0 + timedelta(minutes=n % 7)
                await store.offer_seats(session_id, T0, deadline, frozenset())
            assert await store.next_offer_lapse() == T0
            async with workers_running(WORKER, [url], [url]) as workers:
                task = {"op": "lapse", "now": NOW.isoformat(), "limit": LAPSE_LIMIT}
                first, second = await at_once(workers, [task, task])
            lapsed = [tuple(row) for row in (*first, *second)]
            assert len(lapsed) == LAPSE_SESSIONS * LAPSE_OFFERS  # 120 lapsed …
            assert len(set(lapsed)) == len(lapsed)  # … each once
            assert await store.next_offer_lapse() is None
            left = await store.list_rsvps_of_sessions(
                [f"l{n:02d}" for n in range(LAPSE_SESSIONS)], RsvpStatus.LEFT
            )
            assert len([r for r in left if r.offer_expires_at is not None]) == len(lapsed)
        finally:
            await store.close()
