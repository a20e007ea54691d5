"""PostgreSQL-only tests: each gets an empty database on the test server (tests/pg_server.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from adapters.sql import SqlSessionStore, open_sql_store
from tests.pg_server import PostgresServer, fresh_database, require_server


@pytest.fixture
def pg_server() -> PostgresServer:
    """The test server (skipped without PostgreSQL, a failure when CI=true)."""
    return require_server()


@pytest.fixture
async def pg_url(pg_server: PostgresServer) -> AsyncIterator[str]:
    """The URL of an empty database, dropped after the test."""
    async with fresh_database(pg_server) as url:
        yield url


@pytest.fixture
async def pg_store(pg_url: str) -> AsyncIterator[SqlSessionStore]:
    """A migrated store; the test fails if it leaves a connection checked out or in a
    transaction."""
    store = await open_sql_store(pg_url)
    try:
        yield store
        await assert_no_connection_left(store)
    finally:
        await store.close()


async def assert_no_connection_left(store: SqlSessionStore) -> None:
    """Every pooled connection is back in the pool and none idles inside a transaction."""
    pool = store.engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.checkedout() == 0
    async with store.engine.connect() as connection:
        stuck = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%'"
            )
        )
    assert stuck == 0
