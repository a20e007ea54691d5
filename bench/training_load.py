"""Bulk loading of `bench.training_data`'s year into fresh, migrated SQL stores.

The database is created and migrated by `open_sql_store` itself; rows then go in through the
tables of `adapters.sql.schema`: on SQLite one executemany per table and chunk of sessions
(values converted by the columns' own bind processors, so they are stored exactly as the
store writes them; one transaction per chunk, no fsync while seeding), on PostgreSQL one
binary COPY per table and chunk (asyncpg), then VACUUM ANALYZE as autovacuum would after a
bulk load. `BulkTable` refuses to start when the schema has a column the seeder does not
fill (or the seeder a column the schema lacks): a schema change fails here, loudly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Table, create_engine, event, insert
from sqlalchemy.engine import Dialect, Engine

from adapters.sql import open_sql_store, schema
from adapters.sql.mapping import session_to_row
from adapters.sql.member_records import profile_to_row
from adapters.sql.series_records import series_to_row
from bench.training_data import Params, Year, check_ledger, check_shapes
from core.model import TrainingSession

CHUNK_SESSIONS = 1_000
"""Sessions per transaction (about 300,000 rows)."""

Rows = dict[str, list[dict[str, Any]]]


class SchemaChanged(SystemExit):
    """The schema and the seeder disagree on a table's columns."""


@dataclass
class BulkTable:
    """One table's INSERT column list, checked against the schema."""

    table: Table
    names: list[str]

    @classmethod
    def of(cls, table: Table, sample: dict[str, Any]) -> BulkTable:
        """The columns `sample` fills; refuses a column the table lacks, or a required
        column (not null, no default, not an autoincrement key) the sample leaves out."""
        columns = {c.name: c for c in table.columns}
        unknown = sorted(set(sample) - set(columns))
        if unknown:
            raise SchemaChanged(
                f"bench seeder: {table.name} has no column(s) {unknown}; "
                "update bench/training_data.py"
            )
        missing = [
            name
            for name, c in columns.items()
            if name not in sample
            and not c.nullable
            and c.default is None
            and c.server_default is None
            and not (c.primary_key and c.autoincrement is True)
        ]
        if missing:
            raise SchemaChanged(
                f"bench seeder: {table.name} needs column(s) {missing} the seeder does not fill; "
                "update bench/training_data.py"
            )
        return cls(table, [name for name in columns if name in sample])


class Sink(Protocol):
    """Where seeded rows go (one store)."""

    seconds: float

    async def write(self, batch: list[tuple[BulkTable, list[dict[str, Any]]]]) -> None: ...

    async def finish(self) -> None: ...


class SqliteSink:
    """executemany into a SQLite file, one transaction per batch."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seconds = 0.0
        self.engine: Engine = create_engine(f"sqlite:///{path.as_posix()}")
        event.listen(self.engine, "connect", _fast_sqlite)
        self.dialect: Dialect = self.engine.dialect
        self.connection = self.engine.raw_connection()
        self._processors: dict[str, list[tuple[int, Any]]] = {}

    async def write(self, batch: list[tuple[BulkTable, list[dict[str, Any]]]]) -> None:
        began = time.perf_counter()
        cursor = self.connection.cursor()
        for bulk, rows in batch:
            if not rows:
                continue
            compiled = insert(bulk.table).compile(dialect=self.dialect, column_keys=bulk.names)
            assert list(compiled.positiontup or []) == bulk.names, compiled
            sql = str(compiled)
            converting: list[tuple[int, Any, dict[Any, Any]]] = [
                (i, process, {}) for i, process in self._converting(bulk)
            ]
            cursor.executemany(sql, [_values(row, bulk.names, converting) for row in rows])
        cursor.close()
        self.connection.commit()
        self.seconds += time.perf_counter() - began

    def _converting(self, bulk: BulkTable) -> list[tuple[int, Any]]:
        key = bulk.table.name
        if key not in self._processors:
            columns = {c.name: c for c in bulk.table.columns}
            found = []
            for index, name in enumerate(bulk.names):
                process = columns[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
                if process is not None:
                    found.append((index, process))
            self._processors[key] = found
        return self._processors[key]

    async def finish(self) -> None:
        began = time.perf_counter()
        self.connection.close()
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        self.engine.dispose()
        self.seconds += time.perf_counter() - began


class PostgresSink:
    """Binary COPY into PostgreSQL (asyncpg), one transaction per batch."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.seconds = 0.0

    @classmethod
    async def connect(cls, dsn: str) -> PostgresSink:
        import asyncpg  # type: ignore[import-untyped]

        return cls(await asyncpg.connect(dsn))

    async def write(self, batch: list[tuple[BulkTable, list[dict[str, Any]]]]) -> None:
        began = time.perf_counter()
        async with self.connection.transaction():
            for bulk, rows in batch:
                if rows:
                    records = [tuple(_pg(row[n]) for n in bulk.names) for row in rows]
                    await self.connection.copy_records_to_table(
                        bulk.table.name, records=records, columns=bulk.names
                    )
        self.seconds += time.perf_counter() - began

    async def finish(self) -> None:
        began = time.perf_counter()
        try:
            await self.connection.execute("VACUUM ANALYZE")
        finally:
            await self.connection.close()
        self.seconds += time.perf_counter() - began


@dataclass
class Seeded:
    """What went in, and how long each store took (its own writes only)."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    generating: float = 0.0
    missing: list[str] = field(default_factory=list)
    """Tables of the year the schema does not have yet (not seeded)."""
    cached: list[str] = field(default_factory=list)
    """Stores whose seeded file came from the cache (`seconds`: when it was seeded)."""


async def migrate(url: str) -> None:
    """Create and migrate the database as the store does."""
    store = await open_sql_store(url)
    await store.close()


async def seed(params: Params, sinks: dict[str, Sink]) -> Seeded:
    """Generate the year once and write it to every sink, chunk by chunk."""
    year = Year(params)
    out = Seeded()
    began = time.perf_counter()
    present = {t.name: t for t in schema.metadata.sorted_tables}
    out.missing = [t for t in ("training_ledger", "rank_promotions") if t not in present]
    head: Rows = {
        "member_profiles": [_plain(profile_to_row(p)) for p in year.profiles()],
        "series": [_plain(series_to_row(s)) for s in year.series],
    }
    head["member_identities"] = [
        {"identity_id": r["id"], "profile_id": r["id"], "position": 0}
        for r in head["member_profiles"]
    ]
    if "rank_promotions" in present:
        head["rank_promotions"] = [p.model_dump(mode="python") for p in year.promotions()]
    tables: dict[str, BulkTable] = {}
    out.generating += time.perf_counter() - began
    await _write(sinks, tables, present, head, out)
    for chunk in _chunks(year.sessions(), CHUNK_SESSIONS):
        began = time.perf_counter()
        rows: Rows = {"training_sessions": [_session_row(s) for s in chunk]}
        for session in chunk:
            for table, items in year.session_rows(session).items():
                rows.setdefault(table, []).extend(items)
        if not tables.get("training_sessions"):
            check_shapes(rows)
        check_ledger(chunk[0], rows)
        if "training_ledger" in present:
            _check_ledger(rows["training_ledger"][:3])
            tags: dict[int, str] = {}
            for row in rows["training_ledger"]:
                key = id(row["tags"])
                if key not in tags:
                    tags[key] = _tags_text(row["tags"])
                row["tags"] = tags[key]
        else:
            rows.pop("training_ledger")
        out.generating += time.perf_counter() - began
        await _write(sinks, tables, present, rows, out)
    for name, sink in sinks.items():
        await sink.finish()
        out.seconds[name] = sink.seconds
    return out


async def _write(
    sinks: dict[str, Sink],
    tables: dict[str, BulkTable],
    present: dict[str, Table],
    rows: Rows,
    out: Seeded,
) -> None:
    order = [t for t in present if t in rows]  # parents before children
    batch = []
    for name in order:
        if rows[name] and name not in tables:
            tables[name] = BulkTable.of(present[name], rows[name][0])
        if rows[name]:
            batch.append((tables[name], rows[name]))
            out.rows[name] = out.rows.get(name, 0) + len(rows[name])
    for sink in sinks.values():
        await sink.write(batch)


def _check_ledger(sample: list[dict[str, Any]]) -> None:
    """The seeded ledger rows are what LEDGER's `entry_to_row` stores for those entries."""
    from adapters.sql.ledger_records import entry_to_row
    from core.training_ledger import LedgerEntry

    for row in sample:
        stored = entry_to_row(LedgerEntry.model_validate(row))
        mine = dict(row, tags=_tags_text(row["tags"]))
        assert stored == mine, f"ledger row {mine} is stored as {stored}"


def _tags_text(tags: list[str]) -> str:
    from core.training_ledger import tags_text

    return tags_text(tags)


def _session_row(session: TrainingSession) -> dict[str, Any]:
    return _plain(session_to_row(session))


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Enums as their values, as the store writes them."""
    return {k: v.value if isinstance(v, StrEnum) else v for k, v in row.items()}


def _values(
    row: dict[str, Any], names: list[str], converting: list[tuple[int, Any, dict[Any, Any]]]
) -> tuple[Any, ...]:
    """The row's values in column order, converted by the columns' bind processors
    (memoised: a session's rows repeat most of their values)."""
    values = [row[n] for n in names]
    for index, process, memo in converting:
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


def _pg(value: Any) -> Any:
    """asyncpg's COPY takes JSON(B) as text; everything else as the store writes it."""
    return json.dumps(value) if isinstance(value, list | dict) else value


def _fast_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Seeding only: no fsync, rollback journal in memory; WAL is restored at the end.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
