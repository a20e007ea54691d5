"""Fixtures of the contract suites: one registry of SessionStore implementations.

Adding an implementation (PostgreSQL, ZeroDB) is one entry in STORE_FACTORIES.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.schema import metadata
from core.ports import SessionStore
from core.testing.store import InMemorySessionStore
from tests.fakes.zerodb_standin import standin_store
from tests.pg_server import require_server

StoreFactory = Callable[[Path], AbstractAsyncContextManager[SessionStore]]


def sqlite_url(path: Path) -> str:
    """The aiosqlite URL of a database file."""
    return f"sqlite+aiosqlite:///{path}"


@asynccontextmanager
async def memory_store(_tmp: Path) -> AsyncIterator[SessionStore]:
    yield InMemorySessionStore()


def sqlite_at(filename: str) -> StoreFactory:
    """A factory of SQLite stores in the file `filename` of the test's directory."""

    @asynccontextmanager
    async def sqlite_store(tmp: Path) -> AsyncIterator[SessionStore]:
        store = await open_sql_store(sqlite_url(tmp / filename))
        try:
            yield store
        finally:
            await store.close()

    return sqlite_store


def postgres_in(database: str) -> StoreFactory:
    """A factory of stores on the test server's database `database` (tests/pg_server.py),
    migrated and emptied."""

    @asynccontextmanager
    async def postgres_store(_tmp: Path) -> AsyncIterator[SessionStore]:
        url = await require_server().reused_database(database)
        store = await open_sql_store(url)
        try:
            await empty_tables(store)
            yield store
        finally:
            await store.close()

    return postgres_store


async def empty_tables(store: SqlSessionStore) -> None:
    """Delete every row of the store's tables (schema_version stays)."""
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    async with store.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))


STORE_FACTORIES: dict[str, StoreFactory] = {
    "memory": memory_store,
    "sqlite": sqlite_at("store.db"),
    "postgres": postgres_in("dojobot_contract"),
    "zerodb": standin_store,
}


@pytest.fixture(params=list(STORE_FACTORIES))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SessionStore]:
    """Each SessionStore implementation in turn, empty."""
    async with STORE_FACTORIES[request.param](tmp_path) as opened:
        yield opened
