"""Engine creation: the dialect-specific code lives here (and in `types.UtcDateTime`).

SQLite: WAL journal, foreign keys, a busy timeout, and transactions begun by us rather than
by the sqlite3 driver, so that write transactions can start with `BEGIN IMMEDIATE` (the
write lock is taken up front: two processes on one file serialise instead of failing), and
one-statement reads need no `BEGIN` at all (see SNAPSHOT_OPTION).
PostgreSQL (asyncpg; `postgres://` and `postgresql://` URLs, as Heroku's DATABASE_URL, are
accepted too): the store locks the session row with `SELECT … FOR UPDATE`, which SQLite
ignores, `upsert` below picks the dialect's `INSERT … ON CONFLICT` construct, one-statement
reads run in autocommit (no BEGIN/ROLLBACK round trips) and reads of several statements in
one REPEATABLE READ snapshot. SQLite engines also render table hints (`Select.with_hint(
table, "INDEXED BY ix_name", "sqlite")`), which SQLAlchemy's SQLite compiler drops otherwise.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import Table, event, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import URL, Connection, Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql.expression import FromClause
from sqlalchemy.util import await_only

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql

BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite connection waits for another writer before giving up."""

WRITE_OPTION = "dojobot_write"
"""Execution option marking a write transaction (`BEGIN IMMEDIATE` on SQLite)."""

SNAPSHOT_OPTION = "dojobot_snapshot"
"""Execution option marking a read of several statements that must see one snapshot.

Other SQLite reads run without `BEGIN`: each statement is then its own transaction, which is
the same thing for a one-statement read and saves a round trip through aiosqlite's thread
(~0.35 ms of ~1 ms per read).
"""


def is_sqlite(engine: AsyncEngine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def normalise_url(url: str) -> URL:
    """`url` parsed, with PostgreSQL URLs of any spelling (`postgres://`, `postgresql://`,
    `postgresql+psycopg2://`) turned into asyncpg ones; libpq's `sslmode` becomes asyncpg's
    `ssl`."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql") or parsed.get_backend_name() in (
        "postgres",
        "postgresql",
    ):
        parsed = parsed.set(drivername="postgresql+asyncpg")
        if "sslmode" in parsed.query:
            query = dict(parsed.query)
            query["ssl"] = query.pop("sslmode")
            parsed = parsed.set(query=query)
    return parsed


PG_POOL_SIZE = 10
PG_MAX_OVERFLOW = 20
"""Per engine (process): RSVP bursts beyond 30 queue for a connection (pool_timeout 30 s)."""


def create_engine(url: str) -> AsyncEngine:
    """An async engine for `url`, with the SQLite settings installed when it is SQLite."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=PG_POOL_SIZE,
            max_overflow=PG_MAX_OVERFLOW,
        )
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise ValueError(
            "the SQL store needs a SQLite file (sqlite+aiosqlite:///path/to/file.db); "
            "use core.testing.store.InMemorySessionStore for an in-memory store"
        )
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    engine.sync_engine.dialect.statement_compiler = _SQLiteHintingCompiler
    _skip_idle_rollbacks(engine.sync_engine.dialect)
    event.listen(engine.sync_engine, "connect", _sqlite_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


async def prepare(engine: AsyncEngine) -> None:
    """Per-database setup before first use: on SQLite, switch the file to WAL.

    The journal mode is stored in the file, so this is done once per open. Switching needs
    an exclusive lock, and SQLite refuses it at once (no busy wait) while another opener is
    mid-write, so it is retried until BUSY_TIMEOUT_MS has passed.
    """
    if not is_sqlite(engine):
        return
    waited = 0.0
    while True:
        try:
            async with engine.connect() as connection:
                raw = await connection.get_raw_connection()
                # the driver's own connection: no SQLAlchemy transaction around the PRAGMA
                driver = raw.driver_connection
                assert driver is not None
                async with driver.execute("PRAGMA journal_mode=WAL") as cursor:
                    (mode,) = await cursor.fetchone()
            if str(mode).lower() != "wal":
                raise RuntimeError(f"SQLite refused WAL journal mode (got {mode!r})")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or waited * 1000 >= BUSY_TIMEOUT_MS:
                raise
        await asyncio.sleep(_WAL_RETRY)
        waited += _WAL_RETRY


_WAL_RETRY = 0.02


def write_engine(engine: AsyncEngine) -> AsyncEngine:
    """A view of `engine` (same pool) whose transactions are write transactions."""
    return engine.execution_options(**{WRITE_OPTION: True})


def snapshot_engine(engine: AsyncEngine) -> AsyncEngine:
    """A view of `engine` (same pool) whose reads of several statements see one snapshot."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="REPEATABLE READ")
    return engine.execution_options(**{SNAPSHOT_OPTION: True})


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """A view of `engine` (same pool) for one-statement reads: no transaction around them.

    SQLite already skips `BEGIN` for them (see SNAPSHOT_OPTION); on PostgreSQL autocommit
    saves the BEGIN and ROLLBACK round trips.
    """
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


Upsert: TypeAlias = "sqlite.Insert | postgresql.Insert"
"""An INSERT with `on_conflict_do_nothing` / `on_conflict_do_update` (same API in both)."""


def upsert(dialect_name: str, table: Table) -> Upsert:
    """An INSERT of `table` in that dialect, ready for `.on_conflict_do_…()`."""
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    if dialect_name == "postgresql":
        from sqlalchemy.dialects import postgresql  # loaded already by a PostgreSQL engine

        return postgresql.insert(table)
    raise NotImplementedError(f"no INSERT … ON CONFLICT for {dialect_name}")


class _SQLiteHintingCompiler(SQLiteCompiler):
    """SQLite's compiler, rendering a table hint after the table name (`INDEXED BY ix`)."""

    def get_from_hint_text(self, table: FromClause, text: str | None) -> str | None:
        return text


def _skip_idle_rollbacks(dialect: Dialect) -> None:
    """SQLite: a rollback outside a transaction is a no-op in the driver (`sqlite3` checks
    first), yet it costs a round trip through aiosqlite's thread. SQLAlchemy rolls back at
    every return to the pool and after every read; skip those where the connection is in
    no transaction (`in_transaction`, read on the driver's connection, is exact: we begin
    transactions ourselves, see `_sqlite_begin`)."""
    rollback = dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        if not _in_no_transaction(dbapi_connection):
            rollback(dbapi_connection)

    dialect.do_rollback = do_rollback  # type: ignore[method-assign]


def _in_no_transaction(dbapi_connection: Any) -> bool:
    """True only when the (pooled) connection is open and surely outside a transaction
    (not so while a `BEGIN` whose caller was cancelled may still run in aiosqlite's thread:
    the rollback queued behind it ends the transaction it opens)."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    try:
        if driver in _interrupted_begins:
            _interrupted_begins.discard(driver)
            return False
        return driver is not None and driver.in_transaction is False
    except Exception:  # closed, or not aiosqlite: roll back as usual
        return False


_interrupted_begins: weakref.WeakSet[Any] = weakref.WeakSet()
"""aiosqlite connections whose `BEGIN` was cut short (cancelled) before it ran."""


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Stop the sqlite3 driver from issuing BEGIN itself; `_sqlite_begin` does it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    if options.get(WRITE_OPTION, False):
        _begin(connection, "BEGIN IMMEDIATE")
    elif options.get(SNAPSHOT_OPTION, False):
        _begin(connection, "BEGIN")


def _begin(connection: Connection, statement: str) -> None:
    """Run `statement` in one round trip through aiosqlite's thread (`execute_fetchall`),
    where SQLAlchemy's own execution takes three (cursor, execute, close); a refusal (the
    database stayed locked) is raised as SQLAlchemy would have wrapped it."""
    driver: Any = connection.connection.driver_connection
    if not hasattr(driver, "execute_fetchall"):  # not aiosqlite
        connection.exec_driver_sql(statement)
        return
    try:
        await_only(driver.execute_fetchall(statement))
    except sqlite3.Error as error:
        raise DBAPIError.instance(statement, None, error, sqlite3.Error) from error
    except BaseException:  # cancelled: the BEGIN may still run after we stop waiting
        _interrupted_begins.add(driver)
        raise


async def lock_for_migration(connection: AsyncConnection) -> None:
    """Keep concurrent migrators apart for the rest of the transaction.

    SQLite needs nothing more (the transaction began IMMEDIATE); PostgreSQL takes a
    transaction-scoped advisory lock.
    """
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})


_PG_LOCK = 0x646F6A6F  # "dojo"
