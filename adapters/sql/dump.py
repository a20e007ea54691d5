"""SqlStoreDump: the StoreDump port on a migrated SQL database (SQLite or PostgreSQL).

Export: one read transaction (one snapshot: REPEATABLE READ on PostgreSQL, `BEGIN` on
SQLite), each table streamed through a server-side cursor in key order, `FETCH_ROWS` at a
time, so memory stays flat whatever the size. Strings are ordered bytewise on both (`COLLATE
"C"` on PostgreSQL), so both export the same rows in the same order.

Import: one write transaction. The target must be empty; every record is checked
(`dump_rows.from_json`); rows are inserted `BATCH_ROWS` at a time, by runs of one table
(the foreign keys refuse a row whose session is not in the file before it). Any refusal
rolls everything back.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

from sqlalchemy import ColumnElement, String, Table, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.dump_rows import Row, columns_of, exported_tables, from_json, key_of, to_json
from adapters.sql.engine import snapshot_engine, write_engine
from adapters.sql.schema import training_sessions
from core.ports import ImportRefused, StoreRecord

FETCH_ROWS = 2_000
"""Rows per fetch from a server-side cursor."""
BATCH_ROWS = 2_000
"""Rows per INSERT (executemany)."""


class SqlStoreDump:
    """Export and import of every table of `schema.metadata` on `engine`."""

    transactional = True

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def count_records(self) -> int:
        """Rows of every exported table."""
        async with snapshot_engine(self._engine).connect() as connection:
            return sum([await _count(connection, table) for table in exported_tables()])

    async def export_records(self) -> AsyncIterator[StoreRecord]:
        """Every row, table by table (parents first), each in key order, from one snapshot."""
        async with snapshot_engine(self._engine).connect() as connection:
            postgres = connection.dialect.name == "postgresql"
            async with connection.begin():
                for table in exported_tables():
                    query = select(*columns_of(table)).order_by(*_order(table, postgres))
                    result = await connection.stream(query.execution_options(yield_per=FETCH_ROWS))
                    async for partition in result.partitions():
                        for values in partition:
                            yield StoreRecord(table.name, to_json(table, values))

    async def import_records(self, records: AsyncIterable[StoreRecord]) -> int:
        """Check and insert every record in one transaction (ImportRefused: nothing kept)."""
        async with write_engine(self._engine).begin() as connection:
            await _refuse_non_empty(connection)
            loader = _Loader(connection)
            async for record in records:
                await loader.add(record)
            await loader.flush()
            return loader.stored


def _order(table: Table, postgres: bool) -> list[ColumnElement[Any]]:
    return [c.collate("C") if postgres and isinstance(c.type, String) else c for c in key_of(table)]


async def _count(connection: AsyncConnection, table: Table) -> int:
    return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


async def _refuse_non_empty(connection: AsyncConnection) -> None:
    sessions = await _count(connection, training_sessions)
    if sessions:
        raise ImportRefused(
            f"the target store already holds {sessions} sessions; import needs an empty store"
        )
    for table in exported_tables():
        found = await _count(connection, table)
        if found:
            raise ImportRefused(
                f"the target store already holds {found} rows in {table.name}; "
                "import needs an empty store"
            )


class _Loader:
    """Checks records in order and inserts them by batches of one table."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self._tables = {t.name: t for t in exported_tables()}
        self._table: Table | None = None
        self._batch: list[Row] = []
        self._lines: list[int] = []
        self.stored = 0

    async def add(self, record: StoreRecord) -> None:
        table = self._tables.get(record.table)
        if table is None:
            known = ", ".join(self._tables)
            raise ImportRefused(
                f"line {record.line}: unknown table {record.table!r} (known: {known})"
            )
        if self._table is not table:
            await self.flush()
            self._table = table
        self._batch.append(from_json(table, record.row, record.line))
        self._lines.append(record.line)
        if len(self._batch) >= BATCH_ROWS:
            await self.flush()

    async def flush(self) -> None:
        if not self._batch or self._table is None:
            return
        table = self._table
        try:
            await self._connection.execute(insert(table), self._batch)
        except DBAPIError as error:
            first, last = self._lines[0], self._lines[-1]
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise ImportRefused(
                f"lines {first}–{last}: {table.name} rows refused by the database: a "
                f"duplicate key, or a reference to a session not in the file ({reason})"
            ) from None
        self.stored += len(self._batch)
        self._batch = []
        self._lines = []
