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
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
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
from adapters.sql.fair_seats_schema import fair_seats
from adapters.sql.schema import (
    ATTENDANCE_STAY_INDEX,
    ROOM_ID_INDEX,
    ROOM_STATE_STATUS_INDEX,
    SERIES_INDEX,
    announcement_copies,
    attendance_intervals,
    deferred_deliveries,
    member_codes,
    member_identities,
    member_profiles,
    metadata,
    once_keys,
    series,
    series_skips,
    standing_rsvps,
    training_sessions,
    webhook_deliveries,
)
from adapters.sql.training_schema import training_record
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


def _once_keys_and_unique_stays(connection: Connection) -> None:
    once_keys.create(connection, checkfirst=True)
    # Redelivered joins may have doubled stays: keep the first row of each before the
    # unique index makes a second one impossible.
    connection.execute(
        text(
            "DELETE FROM attendance_intervals WHERE id NOT IN ("
            "SELECT MIN(id) FROM attendance_intervals GROUP BY session_id, member_id, joined_at)"
        )
    )
    (index,) = (i for i in attendance_intervals.indexes if i.name == ATTENDANCE_STAY_INDEX)
    index.create(connection, checkfirst=True)


def _v5_tables() -> tuple[Table, Table]:
    """`reminders` and `deliveries` as of version 5 (frozen here: later schema edits must
    not change what this step creates), named like `schema.metadata` names them."""
    frozen = MetaData(naming_convention=metadata.naming_convention)
    Table("training_sessions", frozen, Column("id", String(200), primary_key=True))
    reminders_v5 = Table(
        "reminders",
        frozen,
        Column(
            "session_id",
            String(200),
            ForeignKey("training_sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("kind", String(32), primary_key=True),
        Column("start_time", UtcDateTime, nullable=False),
        Column("due_at", UtcDateTime, nullable=False),
        Column("useful_until", UtcDateTime, nullable=False),
        Column("done_at", UtcDateTime, nullable=True),
    )
    Index(
        "ix_reminders_pending_due_at",
        reminders_v5.c.due_at,
        reminders_v5.c.session_id,
        reminders_v5.c.kind,
        sqlite_where=reminders_v5.c.done_at.is_(None),
        postgresql_where=reminders_v5.c.done_at.is_(None),
    )
    deliveries_v5 = Table(
        "deliveries",
        frozen,
        Column(
            "session_id",
            String(200),
            ForeignKey("training_sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("recipient_id", String(200), primary_key=True),
        Column("kind", String(32), primary_key=True),
        Column("start_time", UtcDateTime, primary_key=True),
        Column("claimed_at", UtcDateTime, nullable=False),
        Column("sent_at", UtcDateTime, nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
    )
    return reminders_v5, deliveries_v5


def _rebuild_with_start_time(connection: Connection, table: Table, columns: list[str]) -> None:
    """Recreate `table` with its new shape; old rows get their session's start_time."""
    old = f"{table.name}_v4"
    connection.execute(text(f"CREATE TABLE {old} AS SELECT * FROM {table.name}"))
    connection.execute(text(f"DROP TABLE {table.name}"))
    table.create(connection)
    listed = ", ".join(columns)
    picked = ", ".join(f"o.{c}" for c in columns)
    connection.execute(
        text(
            f"INSERT INTO {table.name} ({listed}, start_time) SELECT {picked}, s.start_time "
            f"FROM {old} o JOIN training_sessions s ON s.id = o.session_id"
        )
    )
    connection.execute(text(f"DROP TABLE {old}"))


def _start_times_and_sequence(connection: Connection) -> None:
    # A reminder and its deliveries belong to one start time (existing ones to the session's
    # current start); every session counts its visible changes (.ics SEQUENCE).
    columns = {c["name"] for c in inspect(connection).get_columns("training_sessions")}
    if "sequence" not in columns:
        connection.execute(
            text("ALTER TABLE training_sessions ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0")
        )
    reminders_v5, deliveries_v5 = _v5_tables()
    _rebuild_with_start_time(
        connection, reminders_v5, ["session_id", "kind", "due_at", "useful_until", "done_at"]
    )
    _rebuild_with_start_time(
        connection,
        deliveries_v5,
        ["session_id", "recipient_id", "kind", "claimed_at", "sent_at", "attempts"],
    )


def _weekly_series(connection: Connection) -> None:
    # Weekly classes: the series, their standing RSVPs and skipped days, and each
    # session's series (one-off sessions keep NULL).
    columns = {c["name"] for c in inspect(connection).get_columns("training_sessions")}
    if "series_id" not in columns:
        connection.execute(text("ALTER TABLE training_sessions ADD COLUMN series_id VARCHAR(200)"))
    (index,) = (i for i in training_sessions.indexes if i.name == SERIES_INDEX)
    index.create(connection, checkfirst=True)
    for table in (series, standing_rsvps, series_skips):
        table.create(connection, checkfirst=True)


def _members(connection: Connection) -> None:
    # Member profiles with their platform identities, one-time member codes and deliveries
    # held back by quiet hours: new tables only, every existing row stays as it is.
    for table in (member_profiles, member_identities, member_codes, deferred_deliveries):
        table.create(connection, checkfirst=True)


def _announcement_copies(connection: Connection) -> None:
    # A session's cards in the channels linked with its own: a new table only.
    announcement_copies.create(connection, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "sessions, events, rsvps, attendance, reminders, deliveries", _baseline),
    Migration(2, "index sessions by (room_state, status, start_time)", _room_state_status_index),
    Migration(
        3, "recording_url, sessions by room_id, webhook deliveries", _webhooks_and_recordings
    ),
    Migration(4, "once keys, one attendance stay per join time", _once_keys_and_unique_stays),
    Migration(
        5, "reminders and deliveries per start time, session sequence", _start_times_and_sequence
    ),
    Migration(6, "weekly series, standing RSVPs, skipped days", _weekly_series),
    Migration(7, "member profiles, identities, member codes, held deliveries", _members),
    Migration(8, "announcement copies in linked channels", _announcement_copies),
    Migration(9, "fair seats: offers, minimum attendance, no-shows, substitutes", fair_seats),
    Migration(
        10, "training record: ledger, promotions, audit log, calendar feeds", training_record
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
