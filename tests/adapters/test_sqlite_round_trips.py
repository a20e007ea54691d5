"""SQLite through aiosqlite: each round trip to its thread costs, so the engine skips the
ones that do nothing. A write transaction's `BEGIN IMMEDIATE` is one trip, outside
SQLAlchemy's cursor machinery (three), and still takes the write lock up front; a rollback
is skipped only where the connection is in no transaction, so a failed write still rolls
back and a snapshot read still ends."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.engine import (
    _in_no_transaction,
    create_engine,
    prepare,
    snapshot_engine,
    write_engine,
)


async def engine_at(tmp_path: Path) -> AsyncEngine:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    await prepare(engine)
    async with write_engine(engine).begin() as connection:
        await connection.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
    return engine


async def test_begin_immediate_takes_the_write_lock_in_one_trip(tmp_path: Path) -> None:
    engine = await engine_at(tmp_path)
    executed: list[str] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: executed.append(statement),
    )
    other = sqlite3.connect(tmp_path / "trips.db", timeout=0, isolation_level=None)
    try:
        async with write_engine(engine).begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (1)"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # the writer holds the lock already
        assert executed == ["INSERT INTO t VALUES (1)"]  # BEGIN went straight to the driver
    finally:
        other.close()
        await engine.dispose()


async def test_a_refused_begin_is_raised_as_sqlalchemy_raises_it(tmp_path: Path) -> None:
    engine = await engine_at(tmp_path)
    other = sqlite3.connect(tmp_path / "trips.db", isolation_level=None)
    try:
        async with engine.connect() as connection:  # the pool's one connection: no waiting
            await connection.exec_driver_sql("PRAGMA busy_timeout=0")
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"):
            async with write_engine(engine).begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (2)"))
        other.execute("ROLLBACK")
        async with write_engine(engine).begin() as connection:  # usable again
            await connection.execute(text("INSERT INTO t VALUES (2)"))
    finally:
        other.close()
        await engine.dispose()


async def test_only_connections_outside_a_transaction_skip_the_rollback(tmp_path: Path) -> None:
    engine = await engine_at(tmp_path)
    try:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert _in_no_transaction(raw)  # a one-statement read: nothing to roll back
        async with snapshot_engine(engine).connect() as connection:
            await connection.execute(text("SELECT count(*) FROM t"))
            raw = await connection.get_raw_connection()
            assert not _in_no_transaction(raw)  # BEGIN: rolled back as usual
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert _in_no_transaction(raw)  # ...and it was: the snapshot ended
        assert not _in_no_transaction(object())  # not aiosqlite: rolled back as usual
    finally:
        await engine.dispose()


class HalfWay(Exception):
    """A write failing after its first statement."""


async def write_half(engine: AsyncEngine) -> None:
    async with write_engine(engine).begin() as connection:
        await connection.execute(text("INSERT INTO t VALUES (3)"))
        raise HalfWay


async def test_a_failed_write_is_rolled_back(tmp_path: Path) -> None:
    engine = await engine_at(tmp_path)
    try:
        with pytest.raises(HalfWay):
            await write_half(engine)
        async with write_engine(engine).begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (4)"))
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT x FROM t ORDER BY x"))
            assert [x for (x,) in rows] == [4]
    finally:
        await engine.dispose()


async def test_a_begin_cancelled_while_waiting_for_the_lock_is_rolled_back(
    tmp_path: Path,
) -> None:
    """Cancelled while its `BEGIN IMMEDIATE` waits for another process's lock, a write
    leaves that BEGIN queued in aiosqlite's thread: the rollback must queue behind it, not be
    skipped, or the pooled connection keeps the write lock and its next write fails."""
    engine = await engine_at(tmp_path)
    other = sqlite3.connect(tmp_path / "trips.db", isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")
        task = asyncio.create_task(write_one(engine, 5))
        for _ in range(100):  # until its BEGIN waits in aiosqlite's thread
            await asyncio.sleep(0)
        assert not task.done()  # its BEGIN waits for `other`'s lock
        task.cancel()
        for _ in range(100):  # let the cancelled write hand its connection back
            if task.done():
                break
            await asyncio.sleep(0)
        other.execute("ROLLBACK")  # the queued BEGIN now runs
        with pytest.raises(asyncio.CancelledError):
            await task
        await write_one(engine, 6)  # the pool's one connection: behind that BEGIN
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT x FROM t ORDER BY x"))
            assert [x for (x,) in rows] == [6]
        other.execute("PRAGMA busy_timeout=0")
        other.execute("BEGIN IMMEDIATE")  # no write lock left behind
        other.execute("ROLLBACK")
    finally:
        other.close()
        await engine.dispose()


async def write_one(engine: AsyncEngine, x: int) -> None:
    async with write_engine(engine).begin() as connection:
        await connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": x})
