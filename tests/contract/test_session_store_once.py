"""SessionStore contract for what must happen once across processes (issue 11, items 1-3):
`claim_once`, compare-and-set status transitions, idempotent joins, and seat decisions that
read the capacity inside the store's lock (`save_within_capacity`). Every store runs it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.migrations import head_version, schema_version
from adapters.sql.once_ops import PRUNE_BATCH
from adapters.sql.schema import ATTENDANCE_STAY_INDEX, attendance_intervals, once_keys
from core.errors import NotFound
from core.model import RsvpChange, RsvpStatus, SessionStatus
from core.ports import SessionStore
from tests.contract.conftest import sqlite_url
from tests.contract.test_session_store import at, make_session

TTL = timedelta(minutes=10)


# claim_once --------------------------------------------------------------------------------


async def test_a_key_is_claimed_once_until_it_expires(store: SessionStore) -> None:
    assert await store.claim_once("slack:event:Ev1", at(0), TTL)
    assert not await store.claim_once("slack:event:Ev1", at(1), TTL)
    assert await store.claim_once("slack:event:Ev2", at(1), TTL)
    almost = at(0) + TTL - timedelta(microseconds=1)
    assert not await store.claim_once("slack:event:Ev1", almost, TTL)
    assert await store.claim_once("slack:event:Ev1", at(0) + TTL, TTL)  # expired: claimable
    assert not await store.claim_once("slack:event:Ev1", at(0) + TTL, TTL)


async def test_long_keys_are_claimed_once_too(store: SessionStore) -> None:
    long_key, other = "k" * 500, "k" * 499 + "x"
    assert await store.claim_once(long_key, at(0), TTL)
    assert not await store.claim_once(long_key, at(1), TTL)
    assert await store.claim_once(other, at(1), TTL)
    await store.release_once(long_key)
    assert await store.claim_once(long_key, at(2), TTL)


async def test_a_released_key_is_claimable_at_once(store: SessionStore) -> None:
    assert await store.claim_once("rtk-apply:d1", at(0), TTL)
    await store.release_once("rtk-apply:d1")
    await store.release_once("never-claimed")
    assert await store.claim_once("rtk-apply:d1", at(1), TTL)
    assert not await store.claim_once("rtk-apply:d1", at(2), TTL)


async def test_concurrent_claims_of_a_key_have_one_winner(store: SessionStore) -> None:
    results = await asyncio.gather(*(store.claim_once("k", at(0), TTL) for _ in range(20)))
    assert sorted(results) == [False] * 19 + [True]
    later = at(0) + TTL
    results = await asyncio.gather(*(store.claim_once("k", later, TTL) for _ in range(20)))
    assert sorted(results) == [False] * 19 + [True]


async def test_expired_keys_do_not_block_many_new_ones(store: SessionStore) -> None:
    for n in range(30):
        assert await store.claim_once(f"old{n}", at(0), timedelta(minutes=1))
    for n in range(30):  # after the old ones expired (and are pruned), new keys still claim
        assert await store.claim_once(f"new{n}", at(5), TTL)
        assert await store.claim_once(f"old{n}", at(5), TTL)


# compare-and-set status -----------------------------------------------------------------------


async def test_a_transition_happens_once(store: SessionStore) -> None:
    await store.add_session(make_session(status=SessionStatus.LIVE))
    ended = make_session(status=SessionStatus.ENDED, ended_at=at(2), updated_at=at(2))
    results = await asyncio.gather(
        *(store.transition_session(ended, SessionStatus.LIVE) for _ in range(10))
    )
    assert sorted(results) == [False] * 9 + [True]
    stored = await store.get_session("s1")
    assert stored is not None and stored.status is SessionStatus.ENDED
    assert stored.ended_at == at(2)
    assert not await store.transition_session(ended, SessionStatus.LIVE)


async def test_a_transition_from_another_status_changes_nothing(store: SessionStore) -> None:
    await store.add_session(make_session())
    live = make_session(status=SessionStatus.LIVE, title="changed", updated_at=at(1))
    assert not await store.transition_session(live, SessionStatus.LIVE)
    assert await store.get_session("s1") == make_session()
    assert await store.transition_session(live, SessionStatus.SCHEDULED)
    assert await store.get_session("s1") == live
    with pytest.raises(NotFound):
        await store.transition_session(make_session("ghost"), SessionStatus.SCHEDULED)


# attendance: a redelivered join --------------------------------------------------------------


async def test_a_join_recorded_twice_opens_one_interval(store: SessionStore) -> None:
    await store.add_session(make_session())
    await asyncio.gather(*(store.record_join("s1", "m1", "Ann", at(5)) for _ in range(10)))
    await store.record_join("s1", "m1", "Ann", at(5))
    await store.record_join("s1", "m2", "Bob", at(5))
    [ann, bob] = sorted(await store.list_attendance("s1"), key=lambda i: i.member_id)
    assert (ann.member_id, ann.joined_at, ann.left_at) == ("m1", at(5), None)
    assert bob.member_id == "m2"
    await store.record_leave("s1", "m1", at(10))
    await store.record_join("s1", "m1", "Ann", at(5))  # the same join, redelivered late
    await store.record_join("s1", "m1", "Ann", at(12))  # a real second stay
    rows = await store.list_attendance("s1")
    stays = [(i.joined_at, i.left_at) for i in rows if i.member_id == "m1"]
    assert stays == [(at(5), at(10)), (at(12), None)]


# capacity read under the lock ----------------------------------------------------------------


async def test_seats_follow_the_stored_capacity(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=1))
    first = await store.rsvp_going("s1", "m1", "Ann", at(1))
    second = await store.rsvp_going("s1", "m2", "Bob", at(2))
    assert first.rsvp is not None and first.rsvp.status is RsvpStatus.GOING
    assert second.rsvp is not None and second.rsvp.status is RsvpStatus.WAITLISTED
    assert await store.save_within_capacity(make_session(capacity=2)) is None
    assert [r.member_id for r in await store.promote_waitlisted("s1", at(3))] == ["m2"]
    third = await store.rsvp_going("s1", "m3", "Cy", at(4))
    assert third.rsvp is not None and third.rsvp.status is RsvpStatus.WAITLISTED


async def test_capacity_below_the_number_going_is_refused(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=5))
    for n in range(3):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))
    assert await store.save_within_capacity(make_session(capacity=2, title="x")) == 3
    stored = await store.get_session("s1")
    assert stored is not None and stored.capacity == 5 and stored.title == "Judo basics"
    assert await store.save_within_capacity(make_session(capacity=3)) is None
    assert await store.save_within_capacity(make_session(capacity=None)) is None
    stored = await store.get_session("s1")
    assert stored is not None and stored.capacity is None
    with pytest.raises(NotFound):
        await store.save_within_capacity(make_session("ghost", capacity=1))


async def test_lowering_capacity_during_an_rsvp_burst_keeps_going_within_it(
    store: SessionStore,
) -> None:
    """The capacity goes 50 → 5 while 50 RSVPs are queued: whichever order the store runs
    them in, never more going than the stored capacity, and the lowering is refused exactly
    when more than 5 were going at that moment."""
    await store.add_session(make_session(capacity=50))

    def rsvp(n: int) -> asyncio.Future[RsvpChange]:
        return asyncio.ensure_future(store.rsvp_going("s1", f"m{n:02d}", "M", at(1)))

    first = [rsvp(n) for n in range(25)]  # queued in this order
    lowering = asyncio.ensure_future(store.save_within_capacity(make_session(capacity=5)))
    await asyncio.gather(*first, lowering, *(rsvp(n) for n in range(25, 50)))
    refused = lowering.result()
    stored = await store.get_session("s1")
    assert stored is not None
    going = await store.list_rsvps("s1", RsvpStatus.GOING)
    waiting = await store.list_rsvps("s1", RsvpStatus.WAITLISTED)
    assert stored.capacity is not None and len(going) <= stored.capacity
    assert stored.capacity == (50 if refused is not None else 5)
    assert refused is None or refused > 5
    assert len(going) + len(waiting) == 50
    if waiting:
        assert max(r.position for r in going) < min(r.position for r in waiting)
    assert sorted(r.position for r in going + waiting) == list(range(1, 51))


# implementation-specific: SQL ----------------------------------------------------------------


async def test_sql_prunes_expired_keys_in_batches(tmp_path: Path) -> None:
    store = await open_sql_store(sqlite_url(tmp_path / "once.db"))
    try:
        for n in range(PRUNE_BATCH + 20):
            await store.claim_once(f"old{n}", at(0), timedelta(minutes=1))
        assert await _once_rows(store) == PRUNE_BATCH + 20
        await store.claim_once("new", at(5), TTL)
        assert await _once_rows(store) == 20 + 1  # one batch of expired keys went
        await store.claim_once("newer", at(5), TTL)
        assert await _once_rows(store) == 2
    finally:
        await store.close()


async def _once_rows(store: SqlSessionStore) -> int:
    async with store.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(once_keys)) or 0)


async def test_sqlite_migrates_a_version_3_database_keeping_one_row_per_stay(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v3.db"
    store = await open_sql_store(sqlite_url(path))
    try:
        await store.add_session(make_session())
        async with store.engine.begin() as connection:  # back to version 3, doubled stays
            await connection.exec_driver_sql(f"DROP INDEX {ATTENDANCE_STAY_INDEX}")
            await connection.exec_driver_sql("DROP TABLE once_keys")
            await connection.execute(schema_version.delete().where(schema_version.c.version > 3))
            stay = {"session_id": "s1", "member_id": "m1", "member_name": "Ann"}
            rows = [stay | {"joined_at": at(1)}] * 3 + [stay | {"joined_at": at(9)}]
            await connection.execute(insert(attendance_intervals), rows)
    finally:
        await store.close()
    store = await open_sql_store(sqlite_url(path))
    try:
        async with store.engine.connect() as connection:
            versions = list(await connection.scalars(select(schema_version.c.version)))
        assert versions == list(range(1, head_version() + 1))
        stays = [i.joined_at for i in await store.list_attendance("s1")]
        assert stays == [at(1), at(9)]
        await store.record_join("s1", "m1", "Ann", at(1))
        assert len(await store.list_attendance("s1")) == 2
        assert await store.claim_once("k", at(0), TTL)
    finally:
        await store.close()
