"""Fast seeding of our design's PostgreSQL store: COPY of rows built as `bench.seed_ours` builds
them (the same sessions, going RSVPs and reminders as the SQLite benchmark).

The database is created and migrated by `open_sql_store` itself; rows then go in with asyncpg's
binary COPY, one per table and chunk, followed by VACUUM ANALYZE (as autovacuum would after a
bulk load), so the planner knows the tables' sizes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table

from adapters.sql import open_sql_store
from adapters.sql.schema import reminders, rsvps, training_sessions
from bench.scenarios import SessionSpec
from bench.seed_ours import CHUNK, _chunks, _reminder_rows, _rsvp_rows, _session_row


async def create_db(url: str, dsn: str, specs: Iterable[SessionSpec]) -> int:
    """Migrate the database at `url` as the store does, then COPY `specs` in (asyncpg `dsn`)."""
    store = await open_sql_store(url)
    await store.close()
    return await add_sessions(dsn, specs, analyze=True)


async def add_sessions(dsn: str, specs: Iterable[SessionSpec], analyze: bool = False) -> int:
    """COPY the sessions, their going RSVPs and their reminders; returns sessions added."""
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(dsn)
    added = 0
    try:
        for chunk in _chunks(specs, CHUNK):
            sessions, going, planned = [], [], []
            for spec in chunk:
                sessions.append(_session_row(spec))
                going += _rsvp_rows(spec)
                planned += _reminder_rows(spec)
            async with connection.transaction():
                for table, rows in ((training_sessions, sessions), (rsvps, going)):
                    await _copy(connection, table, rows)
                await _copy(connection, reminders, planned)
            added += len(chunk)
        if analyze:
            await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return added


async def _copy(connection: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    names = [c.name for c in table.columns]
    records = [tuple(_value(row.get(name)) for name in names) for row in rows]
    await connection.copy_records_to_table(table.name, records=records, columns=names)


def _value(value: Any) -> Any:
    """asyncpg's COPY takes JSON(B) as text; everything else as the store writes it."""
    return json.dumps(value) if isinstance(value, list | dict) else value
