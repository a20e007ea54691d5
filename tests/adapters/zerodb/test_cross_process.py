"""Uniqueness and capacity without server constraints, across two stores on one project.

Each store has its own HTTP client and asyncio locks, as two processes would; only the
insert-then-verify rows and the session lease rows (adapters/zerodb/exclusive.py, lease.py)
keep them apart.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from adapters.zerodb import ZeroDBSessionStore
from adapters.zerodb.exclusive import TOKEN, insert_exclusive
from adapters.zerodb.lease import SessionBusy
from adapters.zerodb.rows import instant
from core.model import DeliveryKey, ReminderKind, RsvpStatus
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, no_wait

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
Stores = tuple[ZeroDBSessionStore, ZeroDBSessionStore]


def key(recipient: str) -> DeliveryKey:
    return DeliveryKey(
        session_id="s1", recipient_id=recipient, kind=ReminderKind.BEFORE_1H, start_time=T0
    )


async def test_rsvps_from_two_processes_respect_capacity(
    two_stores: Stores, standin: tuple[ZeroDBStandIn, str]
) -> None:
    first, second = two_stores
    await first.add_session(make_session(capacity=3))
    await asyncio.gather(
        *((first if n % 2 else second).rsvp_going("s1", f"m{n}", "M", T0) for n in range(16))
    )
    rows = await first.list_rsvps("s1")
    assert len(rows) == 16
    assert [r.position for r in rows] == list(range(1, 17))
    assert [r.position for r in rows if r.status is RsvpStatus.GOING] == [1, 2, 3]
    assert await second.count_going("s1") == 3
    fake, _ = standin
    assert fake.rows("dojobot_session_locks") == []  # every lease row released


async def test_leaves_and_joins_from_two_processes_never_exceed_capacity(
    two_stores: Stores,
) -> None:
    first, second = two_stores
    await first.add_session(make_session(capacity=4))
    for n in range(8):
        await first.rsvp_going("s1", f"m{n}", "M", T0)
    await asyncio.gather(
        *(first.rsvp_leave("s1", f"m{n}", T0) for n in range(0, 4, 2)),
        *(second.rsvp_leave("s1", f"m{n}", T0) for n in range(1, 4, 2)),
        *((first if n % 2 else second).rsvp_going("s1", f"new{n}", "N", T0) for n in range(4)),
    )
    going = await first.list_rsvps("s1", RsvpStatus.GOING)
    waiting = await first.list_rsvps("s1", RsvpStatus.WAITLISTED)
    assert len(going) == 4
    assert len(going) + len(waiting) == 8
    assert max(r.position for r in going) < min(r.position for r in waiting)


async def test_concurrent_claims_from_two_processes_have_one_winner(two_stores: Stores) -> None:
    first, second = two_stores
    await first.add_session(make_session())
    keys = [key(f"m{n}") for n in range(12)]
    results = await asyncio.gather(
        *(s.claim_deliveries(keys, T0, LEASE) for _ in range(4) for s in (first, second))
    )
    winners = [k for result in results for k in result]
    assert sorted(winners, key=keys.index) == keys
    assert [await first.delivery_attempts(k) for k in keys] == [1] * len(keys)


async def test_a_crashed_claim_is_retried_once_its_lease_expired(two_stores: Stores) -> None:
    first, second = two_stores
    await first.add_session(make_session())
    assert await first.claim_deliveries([key("m1")], T0, LEASE) == [key("m1")]
    # `first` crashes before sending: nobody may send until the lease has passed …
    almost = T0 + LEASE - timedelta(microseconds=1)
    assert await second.claim_deliveries([key("m1")], almost, LEASE) == []
    # … then exactly one process takes it over
    results = await asyncio.gather(
        second.claim_deliveries([key("m1")], T0 + LEASE, LEASE),
        first.claim_deliveries([key("m1")], T0 + LEASE, LEASE),
    )
    assert sorted(len(r) for r in results) == [0, 1]
    assert await first.delivery_attempts(key("m1")) == 2
    await second.mark_deliveries_sent([key("m1")], T0 + LEASE)
    assert await first.claim_deliveries([key("m1")], T0 + 10 * LEASE, LEASE) == []


async def test_a_crashed_lock_holder_blocks_the_session_for_one_lease(
    standin: tuple[ZeroDBStandIn, str], two_stores: Stores
) -> None:
    fake, _ = standin
    first, _second = two_stores
    await first.add_session(make_session())
    # a process died holding the session's lock (lease 30 s by default)
    fake.tables["dojobot_session_locks"].append(
        {"id": "dead", "lock_key": "s1", "expires_at": instant(T0 + timedelta(seconds=30))}
    )
    with pytest.raises(SessionBusy) as refused:
        await first.rsvp_going("s1", "m1", "Ann", T0 + timedelta(seconds=29))
    assert refused.value.hint
    assert await first.list_rsvps("s1") == []
    change = await first.rsvp_going("s1", "m1", "Ann", T0 + timedelta(seconds=30))
    assert change.rsvp is not None
    assert change.rsvp.status is RsvpStatus.GOING


async def test_the_same_session_id_added_twice_at_once_is_stored_once(
    two_stores: Stores, standin: tuple[ZeroDBStandIn, str]
) -> None:
    first, second = two_stores
    results = await asyncio.gather(
        first.add_session(make_session()),
        second.add_session(make_session()),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["InvalidState", "NoneType"]
    fake, _ = standin
    assert len(fake.rows("dojobot_training_sessions")) == 1


async def test_a_webhook_delivery_is_remembered_by_one_process(two_stores: Stores) -> None:
    first, second = two_stores
    results = await asyncio.gather(
        *(s.remember_webhook("evt-1", T0) for _ in range(3) for s in (first, second))
    )
    assert sorted(results) == [False] * 5 + [True]
    assert await second.webhook_seen("evt-1")


# insert_exclusive, step by step ---------------------------------------------------------------


async def _exclusive(store: ZeroDBSessionStore, rivals: list[dict[str, str]]) -> bool:
    """Claim key "k" in a scratch table holding `rivals` first; whether we won."""
    tables = store.tables
    await tables.create_table("scratch", "test")
    if rivals:
        await tables.insert("scratch", rivals)

    async def read() -> list[dict[str, str]]:
        return await tables.query_all("scratch", {"k": "k"})

    won = await insert_exclusive(
        tables,
        "scratch",
        [("k", {"k": "k"})],
        read,
        lambda r: r["k"],
        lambda _r: True,
        tries=3,
        pause=no_wait,
    )
    return "k" in won


async def test_an_established_row_wins_over_a_claimer(
    two_stores: Stores, standin: tuple[ZeroDBStandIn, str]
) -> None:
    first, _ = two_stores
    assert not await _exclusive(first, [{"k": "k"}])
    fake, _ = standin
    assert fake.rows("scratch") == [{"k": "k", "id": fake.rows("scratch")[0]["id"]}]


async def test_a_rival_with_a_smaller_token_wins(
    two_stores: Stores, standin: tuple[ZeroDBStandIn, str]
) -> None:
    first, _ = two_stores
    assert not await _exclusive(first, [{"k": "k", TOKEN: "0"}])
    fake, _ = standin
    assert [r[TOKEN] for r in fake.rows("scratch")] == ["0"]  # ours was deleted


async def test_a_rival_with_a_larger_token_is_waited_for_then_beaten(
    two_stores: Stores, standin: tuple[ZeroDBStandIn, str]
) -> None:
    """A larger token that stays is an earlier winner: we give up after our tries."""
    first, _ = two_stores
    assert not await _exclusive(first, [{"k": "k", TOKEN: "g" * 32}])
    fake, _ = standin
    assert [r[TOKEN] for r in fake.rows("scratch")] == ["g" * 32]
