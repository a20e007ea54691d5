"""RSVP writes, run inside a write transaction that holds the session row lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql import queries
from adapters.sql.mapping import row_to_rsvp
from adapters.sql.schema import rsvps, training_sessions
from core.model import Rsvp, RsvpChange, RsvpStatus

_ACTIVE = (RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value)
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


async def going(
    connection: AsyncConnection,
    session_id: str,
    member_id: str,
    member_name: str,
    capacity: int | None,
    now: datetime,
) -> RsvpChange:
    """Going while a seat is free, else waitlisted at the back; active rows are kept."""
    key = and_(_v.session_id == session_id, _v.member_id == member_id)
    found = (await connection.execute(select(rsvps).where(key))).mappings().first()
    if found is not None and found["status"] in _ACTIVE:
        return RsvpChange(rsvp=row_to_rsvp(found), changed=False)
    taken = int(await connection.scalar(queries.count_going(session_id)) or 0)
    last = await connection.scalar(select(func.max(_v.position)).where(_v.session_id == session_id))
    rsvp = Rsvp(
        session_id=session_id,
        member_id=member_id,
        member_name=member_name,
        status=(
            RsvpStatus.GOING if capacity is None or taken < capacity else RsvpStatus.WAITLISTED
        ),
        position=int(last or 0) + 1,
        created_at=found["created_at"] if found is not None else now,
        updated_at=now,
    )
    if found is None:
        await connection.execute(insert(rsvps), rsvp.model_dump())
    else:
        await connection.execute(update(rsvps).where(key).values(rsvp.model_dump()))
    return RsvpChange(rsvp=rsvp)


async def leave(
    connection: AsyncConnection,
    session_id: str,
    member_id: str,
    capacity: int | None,
    now: datetime,
) -> RsvpChange:
    """Mark the member left; a freed seat goes to the first waitlisted member."""
    key = and_(_v.session_id == session_id, _v.member_id == member_id)
    found = (await connection.execute(select(rsvps).where(key))).mappings().first()
    if found is None or found["status"] not in _ACTIVE:
        return RsvpChange(rsvp=None, changed=False)
    left = row_to_rsvp(found).model_copy(update={"status": RsvpStatus.LEFT, "updated_at": now})
    await connection.execute(
        update(rsvps).where(key).values(status=left.status.value, updated_at=now)
    )
    promoted = []
    if found["status"] == RsvpStatus.GOING.value:
        promoted = await promote(connection, session_id, capacity, now, most=1)
    return RsvpChange(rsvp=left, promoted=promoted[0] if promoted else None)


async def promote(
    connection: AsyncConnection,
    session_id: str,
    capacity: int | None,
    now: datetime,
    most: int | None,
) -> list[Rsvp]:
    """Move waitlisted members to going in position order while seats are free."""
    free: int | None = None
    if capacity is not None:
        taken = int(await connection.scalar(queries.count_going(session_id)) or 0)
        free = max(capacity - taken, 0)
    if most is not None:
        free = most if free is None else min(free, most)
    if free == 0:
        return []
    query = (
        select(rsvps)
        .where(_v.session_id == session_id, _v.status == RsvpStatus.WAITLISTED.value)
        .order_by(_v.position)
        .limit(free)
    )
    rows = (await connection.execute(query)).mappings().all()
    if not rows:
        return []
    await connection.execute(
        update(rsvps)
        .where(_v.session_id == session_id, _v.member_id.in_([r["member_id"] for r in rows]))
        .values(status=RsvpStatus.GOING.value, updated_at=now)
    )
    change = {"status": RsvpStatus.GOING, "updated_at": now}
    return [row_to_rsvp(r).model_copy(update=change) for r in rows]
