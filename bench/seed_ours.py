"""Fast seeding of our design's SQLite store: bulk Core inserts on `adapters.sql.schema`.

The file is created and migrated by `open_sql_store` itself (schema_version included); rows are
then inserted with one executemany per table and chunk, using the INSERT statement SQLAlchemy
compiles for the tables of `adapters.sql.schema` and the bind processors of their column types,
so every value is stored exactly as the store writes it (`UtcDateTime` → naive-UTC text on
SQLite). Session rows come from `session_to_row` of a real `TrainingSession`; reminders from
`core.reminders.plan_reminders`, as `SessionService` plans them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, Table, create_engine, event, insert
from sqlalchemy.engine import Dialect

from adapters.sql import open_sql_store
from adapters.sql.mapping import session_to_row
from adapters.sql.schema import reminders, rsvps, training_sessions
from bench.scenarios import NOW0, SessionSpec
from core.model import ReminderKind, Room, RoomState, Rsvp, RsvpStatus, TrainingSession
from core.reminders import REMINDER_OFFSETS, plan_reminders

CHUNK = 20_000
T = TypeVar("T")


def store_url(path: Path) -> str:
    """The `open_sql_store` URL of a database file."""
    return f"sqlite+aiosqlite:///{path.as_posix()}"


def create_db(path: Path, specs: Iterable[SessionSpec]) -> None:
    """Create and migrate the database as the store does, then bulk-insert `specs`."""

    async def migrate() -> None:
        store = await open_sql_store(store_url(path))
        await store.close()

    asyncio.run(migrate())
    add_sessions(path, specs)


def add_sessions(path: Path, specs: Iterable[SessionSpec]) -> int:
    """Insert the sessions, their 10 going RSVPs and their reminders; returns sessions added."""
    engine = _bulk_engine(path)
    dialect = engine.dialect
    tables = [_BulkInsert(t, dialect) for t in (training_sessions, rsvps, reminders)]
    added = 0
    try:
        with engine.begin() as connection:
            cursor = connection.connection.cursor()
            for chunk in _chunks(specs, CHUNK):
                sessions, going, planned = [], [], []
                for spec in chunk:
                    sessions.append(_session_row(spec))
                    going += _rsvp_rows(spec)
                    planned += _reminder_rows(spec)
                for bulk, rows in zip(tables, (sessions, going, planned), strict=True):
                    bulk.run(cursor, rows)
                added += len(chunk)
            cursor.close()
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    finally:
        engine.dispose()
    return added


class _BulkInsert:
    """`INSERT INTO <table>` run as one DB-API executemany, values converted by the column types.

    Same statement and bind processors SQLAlchemy would use; conversions are memoised per
    value because seeded rows repeat most of theirs.
    """

    def __init__(self, table: Table, dialect: Dialect) -> None:
        compiled = insert(table).compile(dialect=dialect)
        self.sql = str(compiled)
        self.names = list(compiled.positiontup or [])
        assert self.names == [c.name for c in table.columns]
        processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns]
        self.converting = [
            (index, process, dict[Any, Any]())
            for index, process in enumerate(processors)
            if process is not None
        ]

    def run(self, cursor: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            cursor.executemany(self.sql, [self._values(row) for row in rows])

    def _values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        assert len(row) == len(self.names)
        values = [row[name] for name in self.names]
        for index, process, memo in self.converting:
            value = values[index]
            if value is None:
                continue
            try:
                values[index] = memo[value]
            except KeyError:
                values[index] = memo[value] = process(value)
            except TypeError:  # unhashable (a JSON list)
                values[index] = process(value)
        return tuple(values)


_TEMPLATE = TrainingSession(
    id="template",
    title="Randori — open mat",
    description="Bring a white gi.",
    instructor_id="slack:T1:U00000",
    instructor_name="Sensei",
    start_time=NOW0,
    duration_minutes=60,
    capacity=30,
    tags=["bjj", "open-mat"],
    room=Room(provider="jitsi", room_id="template", state=RoomState.READY, attempts=1),
    origin=None,
    created_at=NOW0,
    updated_at=NOW0,
)
"""Every seeded session looks like this (room created, no channel: DMs only)."""
_TEMPLATE_ROW = {
    k: v.value if isinstance(v, StrEnum) else v for k, v in session_to_row(_TEMPLATE).items()
}
_REMINDER_COLUMNS = {c.name for c in reminders.columns}
_RSVP_COLUMNS = set(
    Rsvp(
        session_id="s",
        member_id="m",
        member_name="n",
        status=RsvpStatus.GOING,
        created_at=NOW0,
        updated_at=NOW0,
    ).model_dump()
)


def _session_row(spec: SessionSpec) -> dict[str, Any]:
    row = dict(_TEMPLATE_ROW)
    row.update(
        id=spec.id,
        start_time=spec.start_time,
        room_id=f"dojo-{spec.id}",
        room_last_attempt_at=spec.created_at,
        created_at=spec.created_at,
        updated_at=spec.created_at,
    )
    return row


def _rsvp_rows(spec: SessionSpec) -> list[dict[str, Any]]:
    rows = [
        {
            "session_id": spec.id,
            "member_id": member,
            "member_name": f"Member {member}",
            "status": RsvpStatus.GOING.value,
            "position": position,
            "created_at": spec.created_at,
            "updated_at": spec.created_at,
            "offer_expires_at": None,
        }
        for position, member in enumerate(spec.members, start=1)
    ]
    assert not rows or set(rows[0]) == _RSVP_COLUMNS
    return rows


def _reminder_rows(spec: SessionSpec) -> list[dict[str, Any]]:
    rows = []
    for kind, before_due, before_useless in _relative_plan(spec.start_time - spec.created_at):
        due_at = spec.start_time - before_due
        rows.append(
            {
                "session_id": spec.id,
                "kind": kind.value,
                "start_time": spec.start_time,
                "due_at": due_at,
                "useful_until": spec.start_time - before_useless,
                "done_at": due_at if kind.value in spec.done else None,
            }
        )
    return rows


_ALL_AHEAD = max(REMINDER_OFFSETS.values()) + timedelta(seconds=1)


@cache
def _relative_plan(lead: timedelta) -> list[tuple[ReminderKind, timedelta, timedelta]]:
    """`plan_reminders` for a session scheduled `lead` before its start, relative to the start.

    Memoised: every lead longer than the earliest reminder offset gives the same plan.
    """
    if lead > _ALL_AHEAD:
        return _relative_plan(_ALL_AHEAD)
    planned = plan_reminders(_TEMPLATE, _TEMPLATE.start_time - lead)
    rows = [
        (r.kind, _TEMPLATE.start_time - r.due_at, _TEMPLATE.start_time - r.useful_until)
        for r in planned
    ]
    assert all(set(r.model_dump()) == _REMINDER_COLUMNS for r in planned)
    return rows


def _bulk_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path.as_posix()}")

    def fast(dbapi_connection: Any, _record: Any) -> None:
        # Seeding only: no fsync, rollback journal in memory; WAL is restored at the end.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    event.listen(engine, "connect", fast)
    return engine


def _chunks(items: Iterable[T], size: int) -> Iterator[Sequence[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
