"""What must happen once (issue 11, items 1-3), across two ZeroDB stores on one project:
a key claimed once, a join stored once, a status changed once, a capacity never below the
number going. Each store has its own HTTP client and locks, as two processes would."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from adapters.zerodb import ZeroDBSessionStore
from core.model import RsvpStatus, SessionStatus
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)
Stores = tuple[ZeroDBSessionStore, ZeroDBSessionStore]


async def test_a_key_claimed_from_two_processes_has_one_winner(
    two_stores: Stores, standin: tuple[ZeroDBStandIn, str]
) -> None:
    first, second = two_stores
    results = await asyncio.gather(*(s.claim_once("k", T0, TTL) for s in two_stores * 4))
    assert sorted(results) == [False] * 7 + [True]
    later = T0 + TTL
    again = await asyncio.gather(
        first.claim_once("k", later, TTL), second.claim_once("k", later, TTL)
    )
    assert sorted(again) == [False, True]
    fake, _ = standin
    assert len(fake.rows("dojobot_once_keys")) == 1  # the expired claim was pruned


async def test_a_join_and_an_end_from_two_processes_happen_once(two_stores: Stores) -> None:
    first = two_stores[0]
    await first.add_session(make_session(status=SessionStatus.LIVE))
    await asyncio.gather(*(s.record_join("s1", "m1", "Ann", T0) for s in two_stores * 3))
    assert len(await first.list_attendance("s1")) == 1
    ended = make_session(status=SessionStatus.ENDED, updated_at=T0)
    results = await asyncio.gather(
        *(s.transition_session(ended, SessionStatus.LIVE) for s in two_stores * 2)
    )
    assert sorted(results) == [False, False, False, True]


async def test_capacity_lowered_from_another_process_during_rsvps(two_stores: Stores) -> None:
    first, second = two_stores
    await first.add_session(make_session(capacity=8))
    rsvps = [
        asyncio.ensure_future((first if n % 2 else second).rsvp_going("s1", f"m{n}", "M", T0))
        for n in range(8)
    ]
    lowering = asyncio.ensure_future(second.save_within_capacity(make_session(capacity=2)))
    await asyncio.gather(*rsvps, lowering)
    stored = await first.get_session("s1")
    assert stored is not None and stored.capacity is not None
    going = await first.list_rsvps("s1", RsvpStatus.GOING)
    assert len(going) <= stored.capacity
    assert stored.capacity == (8 if lowering.result() is not None else 2)
