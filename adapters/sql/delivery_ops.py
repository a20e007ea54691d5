"""Delivery claims in bulk: conditional writes that stay correct under concurrency.

New keys are inserted with `ON CONFLICT DO NOTHING … RETURNING` (only rows really inserted
come back); the rest are reclaimed by an UPDATE whose WHERE re-checks "unsent and stale"
(PostgreSQL re-evaluates it after waiting for a concurrent claimer). Keys are matched with
OR-ed equalities, which SQLite serves from the primary key (a row-value IN would scan).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.batching import chunks
from adapters.sql.engine import insert_ignoring_conflict
from adapters.sql.schema import deliveries, training_sessions
from core.errors import NotFound
from core.model import DeliveryKey, ReminderKind

_d = deliveries.c


def _matching(keys: Sequence[DeliveryKey]) -> ColumnElement[bool]:
    return or_(
        *(
            and_(
                _d.session_id == k.session_id,
                _d.recipient_id == k.recipient_id,
                _d.kind == k.kind.value,
            )
            for k in keys
        )
    )


def _key(row: Row[Any]) -> DeliveryKey:
    values = row._mapping
    return DeliveryKey(
        session_id=values["session_id"],
        recipient_id=values["recipient_id"],
        kind=ReminderKind(values["kind"]),
    )


async def require_sessions(connection: AsyncConnection, session_ids: set[str]) -> None:
    """NotFound unless every one of these sessions exists."""
    wanted = sorted(session_ids)
    found: set[str] = set()
    for part in chunks(wanted):
        query = select(training_sessions.c.id).where(training_sessions.c.id.in_(part))
        found.update(await connection.scalars(query))
    missing = [s for s in wanted if s not in found]
    if missing:
        raise NotFound(f"No session with id {missing[0]}.")


async def claim(
    connection: AsyncConnection, keys: list[DeliveryKey], now: datetime, lease: timedelta
) -> list[DeliveryKey]:
    """Claim new keys and stale unsent ones; returns the claimed keys in the order given."""
    unique = list(dict.fromkeys(keys))
    await require_sessions(connection, {k.session_id for k in unique})
    returning = (_d.session_id, _d.recipient_id, _d.kind)
    claimed: set[DeliveryKey] = set()
    for part in chunks(unique):
        rows = [
            {
                "session_id": k.session_id,
                "recipient_id": k.recipient_id,
                "kind": k.kind.value,
                "claimed_at": now,
                "attempts": 1,
            }
            for k in part
        ]
        inserted = await connection.execute(
            insert_ignoring_conflict(connection, deliveries).values(rows).returning(*returning)
        )
        new = {_key(row) for row in inserted}
        claimed |= new
        existing = [k for k in part if k not in new]
        if not existing:
            continue
        reclaimed = await connection.execute(
            update(deliveries)
            .where(_matching(existing), _d.sent_at.is_(None), _d.claimed_at <= now - lease)
            .values(claimed_at=now, attempts=_d.attempts + 1)
            .returning(*returning)
        )
        claimed |= {_key(row) for row in reclaimed}
    return [k for k in unique if k in claimed]


async def mark_sent(connection: AsyncConnection, keys: list[DeliveryKey], at: datetime) -> None:
    """Record these deliveries as sent at `at` (creating never-claimed ones; first time kept)."""
    unique = list(dict.fromkeys(keys))
    await require_sessions(connection, {k.session_id for k in unique})
    for part in chunks(unique):
        rows = [
            {
                "session_id": k.session_id,
                "recipient_id": k.recipient_id,
                "kind": k.kind.value,
                "claimed_at": at,
                "sent_at": at,
                "attempts": 1,
            }
            for k in part
        ]
        await connection.execute(insert_ignoring_conflict(connection, deliveries).values(rows))
        await connection.execute(
            update(deliveries).where(_matching(part), _d.sent_at.is_(None)).values(sent_at=at)
        )
