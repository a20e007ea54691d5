"""In-process FIFO locks by key, created on demand and dropped when nobody holds or awaits them.

They only order one process's own writers (arrival order per key, independent keys run
concurrently); what must happen once across processes is still decided by the store.
The SQL store takes one per session around RSVP writes, so one process's concurrent RSVPs
reach the session's row lock in the order they were made; the ZeroDB store takes them per
session and per delivery key.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable, Iterable
from contextlib import asynccontextmanager


class KeyedLocks:
    """One asyncio.Lock per key: holders of one key queue in arrival order."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._users: dict[Hashable, int] = {}

    @asynccontextmanager
    async def hold(self, keys: Iterable[Hashable]) -> AsyncIterator[None]:
        """Hold the locks of every key (taken in sorted order: no deadlock between holders)."""
        ordered = sorted(set(keys), key=repr)
        for key in ordered:
            self._users[key] = self._users.get(key, 0) + 1
            self._locks.setdefault(key, asyncio.Lock())
        taken: list[Hashable] = []
        try:
            for key in ordered:
                await self._locks[key].acquire()
                taken.append(key)
            yield
        finally:
            for key in taken:
                self._locks[key].release()
            for key in ordered:
                self._users[key] -= 1
                if not self._users[key]:
                    del self._users[key], self._locks[key]

    def __len__(self) -> int:
        """How many keys are held or awaited."""
        return len(self._locks)
