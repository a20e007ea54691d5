"""SQL of `claim_once`: a key claimed by one caller across processes until it expires.

One `INSERT … ON CONFLICT (key) DO UPDATE … WHERE expires_at <= now` decides: a new key is
inserted, an expired one is taken over, an unexpired one is left alone (no row changed). The
unique key makes it atomic across processes on PostgreSQL; SQLite has one writer at a time.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.engine import upsert
from adapters.sql.schema import once_keys
from core.model import ensure_utc

_o = once_keys.c

KEY_LENGTH = 200
"""Longest key stored as is (the column's length)."""
PRUNE_BATCH = 100
"""Expired keys deleted per claim at most (old keys go away as new ones come)."""


async def claim(connection: AsyncConnection, key: str, now: datetime, ttl: timedelta) -> bool:
    """Claim `key` until `now + ttl`; False while an earlier claim is unexpired."""
    now = ensure_utc(now)
    statement = upsert(connection.dialect.name, once_keys)
    statement = statement.values(key=stored_key(key), expires_at=now + ttl)
    statement = statement.on_conflict_do_update(
        index_elements=[_o.key],
        set_={"expires_at": statement.excluded.expires_at},
        where=_o.expires_at <= now,
    )
    claimed = bool((await connection.execute(statement)).rowcount)
    await prune(connection, now)
    return claimed


async def release(connection: AsyncConnection, key: str) -> None:
    """Drop the claim of `key` (no-op when there is none)."""
    await connection.execute(delete(once_keys).where(_o.key == stored_key(key)))


def stored_key(key: str) -> str:
    """The key as stored: itself, or its SHA-256 when longer than the column."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


async def prune(connection: AsyncConnection, now: datetime) -> None:
    """Delete a batch of expired keys (rows another transaction holds are skipped)."""
    expired = (
        select(_o.key)
        .where(_o.expires_at <= now)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    await connection.execute(delete(once_keys).where(_o.key.in_(expired.scalar_subquery())))
