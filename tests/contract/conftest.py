"""Fixtures of the contract suites: one registry of SessionStore implementations.

Adding an implementation (PostgreSQL, ZeroDB) is one entry in STORE_FACTORIES.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from core.ports import SessionStore
from core.testing.store import InMemorySessionStore

StoreFactory = Callable[[Path], AbstractAsyncContextManager[SessionStore]]


def sqlite_url(path: Path) -> str:
    """The aiosqlite URL of a database file."""
    return f"sqlite+aiosqlite:///{path}"


@asynccontextmanager
async def memory_store(_tmp: Path) -> AsyncIterator[SessionStore]:
    yield InMemorySessionStore()


@asynccontextmanager
async def sqlite_store(tmp: Path) -> AsyncIterator[SessionStore]:
    store = await open_sql_store(sqlite_url(tmp / "store.db"))
    try:
        yield store
    finally:
        await store.close()


STORE_FACTORIES: dict[str, StoreFactory] = {
    "memory": memory_store,
    "sqlite": sqlite_store,
}


@pytest.fixture(params=list(STORE_FACTORIES))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SessionStore]:
    """Each SessionStore implementation in turn, empty."""
    async with STORE_FACTORIES[request.param](tmp_path) as opened:
        yield opened
