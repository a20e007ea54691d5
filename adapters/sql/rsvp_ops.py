"""RSVP writes, run inside a write transaction that holds the session row lock.

The decisions are `core.rsvp_policy`'s; this module loads the rows and persists them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.mapping import row_to_rsvp
from adapters.sql.schema import rsvps, training_sessions
from core import rsvp_policy
from core.model import Rsvp, RsvpChange, RsvpStatus
from core.offers import ClaimOutcome, SeatClaim
from core.rsvp_policy import Queue

_v = rsvps.c


async def lock_session(connection: AsyncConnection, session_id: str) -> bool:
    """Lock the session row until the transaction ends; False when there is no such session.

    `FOR UPDATE` serialises writers of one session on PostgreSQL; SQLite omits it (the
    transaction already holds the database's write lock).
    """
    return await locked_capacity(connection, session_id) is not MISSING


class Missing:
    """The session does not exist (distinct from an unlimited capacity, None)."""


MISSING = Missing()


async def locked_capacity(connection: AsyncConnection, session_id: str) -> int | Missing | None:
    """Lock the session row (as `lock_session`) and read its capacity under that lock.

    Every seat decision uses this value, never one the caller read before: a capacity
    changed meanwhile (under the same lock, `save_within_capacity`) is the one obeyed.
    """
    found = (
        await connection.execute(
            select(training_sessions.c.capacity)
            .where(training_sessions.c.id == session_id)
            .with_for_update()
        )
    ).first()
    if found is None:
        return MISSING
    return None if found.capacity is None else int(found.capacity)


async def tally(
    connection: AsyncConnection, session_id: str, capacity: int | None
) -> tuple[Queue, int]:
    """The session's queue without its waitlist (under the row lock) — how many are going,
    how many hold an offered seat, the last position — and how many are waitlisted, in one
    statement."""
    found = (
        await connection.execute(
            select(
                func.count().filter(_v.status == RsvpStatus.GOING.value),
                func.count().filter(_v.status == RsvpStatus.OFFERED.value),
                func.count().filter(_v.status == RsvpStatus.WAITLISTED.value),
                func.max(_v.position),
            ).where(_v.session_id == session_id)
        )
    ).one()
    going, offered, waitlisted, last = found
    queue = Queue(capacity, int(going or 0), int(last or 0), offered=int(offered or 0))
    return queue, int(waitlisted or 0)


async def counts(connection: AsyncConnection, session_id: str, capacity: int | None) -> Queue:
    """The session's queue without its waitlist (`tally`)."""
    return (await tally(connection, session_id, capacity))[0]


async def with_waiting(
    connection: AsyncConnection, session_id: str, queue: Queue, limit: int | None
) -> Queue:
    """`queue` with the first `limit` waitlisted members by position (None: all)."""
    waiting = (
        select(rsvps)
        .where(_v.session_id == session_id, _v.status == RsvpStatus.WAITLISTED.value)
        .order_by(_v.position)
        .limit(limit)
    )
    rows = (await connection.execute(waiting)).mappings()
    return replace(queue, waiting=[row_to_rsvp(r) for r in rows])


async def load(
    connection: AsyncConnection, session_id: str, capacity: int | None, skipped: int = 0
) -> Queue:
    """The session's queue as the policy reads it (under the row lock): counts, the last
    position and only the head of the waitlist any decision may promote or offer a seat to
    (`rsvp_policy.waitlist_head`, `skipped` more for the members an offer passes over)."""
    queue = await counts(connection, session_id, capacity)
    head = rsvp_policy.waitlist_head(capacity, queue.going, queue.offered, skipped)
    return await with_waiting(connection, session_id, queue, head)


async def own_row(connection: AsyncConnection, session_id: str, member_id: str) -> Rsvp | None:
    """The member's stored RSVP, if any."""
    key = and_(_v.session_id == session_id, _v.member_id == member_id)
    found = (await connection.execute(select(rsvps).where(key))).mappings().first()
    return None if found is None else row_to_rsvp(found)


async def persist(connection: AsyncConnection, writes: list[Rsvp], stored: set[str]) -> None:
    """Store what the policy decided: rows of members in `stored` are overwritten, the
    others inserted (one transaction, the caller's)."""
    for write in writes:
        if write.member_id in stored:
            key = and_(_v.session_id == write.session_id, _v.member_id == write.member_id)
            await connection.execute(update(rsvps).where(key).values(write.model_dump()))
    fresh = [w.model_dump() for w in writes if w.member_id not in stored]
    if fresh:
        await connection.execute(insert(rsvps), fresh)


def _stored(queue: Queue, existing: Rsvp | None) -> set[str]:
    return {r.member_id for r in queue.waiting} | ({existing.member_id} if existing else set())


async def going(
    connection: AsyncConnection,
    session_id: str,
    member_id: str,
    member_name: str,
    capacity: int | None,
    now: datetime,
    waitlist_only: bool = False,
    passed_over: frozenset[str] = frozenset(),
) -> RsvpChange:
    """`rsvp_policy.going` on the session's queue, persisted (the waitlist is read only
    while a seat is free: whether anybody waits for it, past those `passed_over`)."""
    queue, waitlisted = await tally(connection, session_id, capacity)
    if waitlisted and (queue.free is None or queue.free > 0):
        queue = await with_waiting(connection, session_id, queue, 1 + len(passed_over))
    existing = await own_row(connection, session_id, member_id)
    decision = rsvp_policy.going(
        queue, existing, session_id, member_id, member_name, now, waitlist_only, passed_over
    )
    await persist(connection, decision.writes, _stored(queue, existing))
    return decision.change


async def leave(
    connection: AsyncConnection,
    session_id: str,
    member_id: str,
    capacity: int | None,
    now: datetime,
    promote: bool = True,
) -> RsvpChange:
    """`rsvp_policy.leave` on the session's queue, persisted."""
    queue = await load(connection, session_id, capacity)
    existing = await own_row(connection, session_id, member_id)
    decision = rsvp_policy.leave(queue, existing, now, promote)
    await persist(connection, decision.writes, _stored(queue, existing))
    return decision.change


async def promote(
    connection: AsyncConnection, session_id: str, capacity: int | None, now: datetime
) -> list[Rsvp]:
    """`rsvp_policy.promotions` on the session's queue, persisted."""
    queue = await load(connection, session_id, capacity)
    promoted = rsvp_policy.promotions(queue, now)
    await persist(connection, promoted, _stored(queue, None))
    return promoted


async def offer(
    connection: AsyncConnection,
    session_id: str,
    capacity: int | None,
    now: datetime,
    expires_at: datetime,
    skip: frozenset[str],
) -> list[Rsvp]:
    """`rsvp_policy.offers` on the session's queue, persisted."""
    queue = await load(connection, session_id, capacity, skipped=len(skip))
    offered = rsvp_policy.offers(queue, now, expires_at, skip)
    await persist(connection, offered, _stored(queue, None))
    return offered


async def claim(
    connection: AsyncConnection,
    session_id: str,
    member_id: str,
    capacity: int | None,
    now: datetime,
    open_to_all: bool,
) -> SeatClaim:
    """`rsvp_policy.claim` on the session's queue, persisted when the seat is won."""
    queue = await counts(connection, session_id, capacity)
    existing = await own_row(connection, session_id, member_id)
    decided = rsvp_policy.claim(queue, existing, now, open_to_all)
    if decided.outcome is ClaimOutcome.CLAIMED and decided.rsvp is not None:
        await persist(connection, [decided.rsvp], {member_id})
    return decided


async def withdraw(connection: AsyncConnection, session_id: str, now: datetime) -> list[Rsvp]:
    """`rsvp_policy.withdrawn` for each of the session's offers, persisted."""
    held = select(rsvps).where(_v.session_id == session_id, _v.status == RsvpStatus.OFFERED.value)
    rows = (await connection.execute(held.order_by(_v.position))).mappings()
    back = [rsvp_policy.withdrawn(row_to_rsvp(r), now) for r in rows]
    await persist(connection, back, {r.member_id for r in back})
    return back
