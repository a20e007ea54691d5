"""RSVP writes, run inside a write transaction that holds the session row lock.

The decisions are `core.rsvp_policy`'s; this module loads the rows and persists them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql import queries
from adapters.sql.mapping import row_to_rsvp
from adapters.sql.schema import rsvps, training_sessions
from core import rsvp_policy
from core.model import Rsvp, RsvpChange, RsvpStatus

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


async def load(
    connection: AsyncConnection, session_id: str, capacity: int | None, waitlist: bool = True
) -> rsvp_policy.Queue:
    """The session's queue as the policy reads it (under the row lock): counts, the last
    position and only the head of the waitlist any decision may promote (none when not
    `waitlist`: going never promotes anyone)."""
    going = int(await connection.scalar(queries.count_going(session_id)) or 0)
    last = await connection.scalar(select(func.max(_v.position)).where(_v.session_id == session_id))
    if not waitlist:
        return rsvp_policy.Queue(capacity, going, int(last or 0))
    waiting = (
        select(rsvps)
        .where(_v.session_id == session_id, _v.status == RsvpStatus.WAITLISTED.value)
        .order_by(_v.position)
        .limit(rsvp_policy.waitlist_head(capacity, going))
    )
    rows = (await connection.execute(waiting)).mappings()
    return rsvp_policy.Queue(capacity, going, int(last or 0), [row_to_rsvp(r) for r in rows])


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


def _stored(queue: rsvp_policy.Queue, existing: Rsvp | None) -> set[str]:
    return {r.member_id for r in queue.waiting} | ({existing.member_id} if existing else set())


async def going(
    connection: AsyncConnection,
    session_id: str,
    member_id: str,
    member_name: str,
    capacity: int | None,
    now: datetime,
) -> RsvpChange:
    """`rsvp_policy.going` on the session's queue, persisted."""
    queue = await load(connection, session_id, capacity, waitlist=False)
    existing = await own_row(connection, session_id, member_id)
    decision = rsvp_policy.going(queue, existing, session_id, member_id, member_name, now)
    await persist(connection, decision.writes, _stored(queue, existing))
    return decision.change


async def leave(
    connection: AsyncConnection,
    session_id: str,
    member_id: str,
    capacity: int | None,
    now: datetime,
) -> RsvpChange:
    """`rsvp_policy.leave` on the session's queue, persisted."""
    queue = await load(connection, session_id, capacity)
    existing = await own_row(connection, session_id, member_id)
    decision = rsvp_policy.leave(queue, existing, now)
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
