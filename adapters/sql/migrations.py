"""Versioned migrations applied when the store opens.

`schema_version` holds one row per applied step. A fresh database (version 0) gets the
current schema of `adapters.sql.schema` in one go and is stamped with every version; an
existing database runs each newer step once, in order, each in its own write transaction
(`BEGIN IMMEDIATE` on SQLite, so two processes opening one file at once cannot both apply
a step). Running it again is a no-op.

To change the schema: edit `schema.py` and append a `Migration` whose `apply` alters an
existing database from the previous version to the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.engine import lock_for_migration, write_engine
from adapters.sql.schema import (
    ROOM_ID_INDEX,
    ROOM_STATE_STATUS_INDEX,
    metadata,
    training_sessions,
    webhook_deliveries,
)
from adapters.sql.types import UtcDateTime


@dataclass(frozen=True)
class Migration:
    """One schema step: `apply` runs on a synchronous connection inside a transaction."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _baseline(connection: Connection) -> None:
    metadata.create_all(connection)


def _room_state_status_index(connection: Connection) -> None:
    # The new index starts with room_state too, and SQLite used the old (room_state,
    # start_time) one to walk every ready room for "finished sessions with a ready room".
    connection.execute(text("DROP INDEX IF EXISTS ix_training_sessions_room_state_start_time"))
    (index,) = (i for i in training_sessions.indexes if i.name == ROOM_STATE_STATUS_INDEX)
    index.create(connection, checkfirst=True)


def _webhooks_and_recordings(connection: Connection) -> None:
    columns = {c["name"] for c in inspect(connection).get_columns("training_sessions")}
    if "recording_url" not in columns:
        connection.execute(text("ALTER TABLE training_sessions ADD COLUMN recording_url TEXT"))
    (index,) = (i for i in training_sessions.indexes if i.name == ROOM_ID_INDEX)
    index.create(connection, checkfirst=True)
    webhook_deliveries.create(connection, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "sessions, events, rsvps, attendance, reminders, deliveries", _baseline),
    Migration(2, "index sessions by (room_state, status, start_time)", _room_state_status_index),
    Migration(
        3, "recording_url, sessions by room_id, webhook deliveries", _webhooks_and_recordings
    ),
)
"""Every step, in version order (1, 2, 3, …)."""

schema_version = Table(
    "schema_version",
    MetaData(),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)


def head_version() -> int:
    """The version the code expects the database to be at."""
    return MIGRATIONS[-1].version


async def current_version(connection: AsyncConnection) -> int:
    """The highest applied version (0 when none)."""
    found = await connection.scalar(select(func.max(schema_version.c.version)))
    return int(found or 0)


async def migrate(engine: AsyncEngine) -> int:
    """Bring the database up to `head_version()` and return it."""
    versions = [m.version for m in MIGRATIONS]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError("migration versions must be 1, 2, 3, … in order")
    while True:
        async with write_engine(engine).begin() as connection:
            await lock_for_migration(connection)
            await connection.run_sync(schema_version.create, checkfirst=True)
            current = await current_version(connection)
            pending = [m for m in MIGRATIONS if m.version > current]
            if not pending:
                return current
            if current == 0:
                await connection.run_sync(metadata.create_all)
                await _record(connection, MIGRATIONS)
                return head_version()
            step = pending[0]
            await connection.run_sync(step.apply)
            await _record(connection, (step,))


async def _record(connection: AsyncConnection, steps: tuple[Migration, ...]) -> None:
    now = datetime.now(UTC)
    rows = [{"version": m.version, "description": m.description, "applied_at": now} for m in steps]
    await connection.execute(insert(schema_version), rows)
