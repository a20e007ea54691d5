"""FIFO locks by key, created on demand and dropped when nobody holds or awaits them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class KeyedLock:
    """One asyncio.Lock per key: holders of one key queue in arrival order, keys are independent.

    The PostgreSQL store takes it per session around RSVP writes, so that one process's
    concurrent RSVPs reach the session's row lock in the order they were made (the row lock
    alone serialises them, but in whatever order their connections happen to get there).
    """

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        """How many keys are held or awaited."""
        return len(self._locks)
