"""SQL of the video-provider webhook support: room lookup and delivery dedupe.

Kept apart from `store.py` so the store only delegates; every function runs on a connection
the store opened (a write transaction for `remember`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.engine import upsert
from adapters.sql.mapping import row_to_session
from adapters.sql.schema import training_sessions, webhook_deliveries
from core.model import TrainingSession, ensure_utc

_s = training_sessions.c
_w = webhook_deliveries.c


async def session_by_room(connection: AsyncConnection, room_id: str) -> TrainingSession | None:
    """The session whose `room_id` is this provider id (the oldest if several), or None."""
    result = await connection.execute(
        select(training_sessions).where(_s.room_id == room_id).order_by(_s.created_at).limit(1)
    )
    row = result.mappings().first()
    return None if row is None else row_to_session(row)


async def seen(connection: AsyncConnection, delivery_id: str) -> bool:
    """Whether the delivery id is stored."""
    found = await connection.scalar(select(_w.delivery_id).where(_w.delivery_id == delivery_id))
    return found is not None


async def remember(connection: AsyncConnection, delivery_id: str, at: datetime) -> bool:
    """Store the delivery id; False when it was there already (`ON CONFLICT DO NOTHING`)."""
    statement = upsert(connection.dialect.name, webhook_deliveries).values(
        delivery_id=delivery_id, received_at=ensure_utc(at)
    )
    result = await connection.execute(statement.on_conflict_do_nothing())
    return bool(result.rowcount)
