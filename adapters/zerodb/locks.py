"""In-process locks per key, so one process never races itself on a session or delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable, Iterable
from contextlib import asynccontextmanager


class KeyedLocks:
    """One asyncio.Lock per key, created on demand and dropped when nobody holds or waits."""

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
        """How many keys have a lock right now (diagnostics)."""
        return len(self._locks)
