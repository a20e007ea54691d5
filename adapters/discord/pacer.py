"""Paces our own REST fan-out under Discord's global rate limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class GlobalPacer:
    """At most `limit` of our requests in any window of `window` seconds, at Discord.

    discord.py honours per-route buckets and 429s, but the global limit (50 requests per
    second per bot) only shows up as 429s after the fact, so the fan-out waits here first.
    A request holds one of `limit` slots from before it is sent until `window * (1 + margin)`
    after its answer arrived. Discord saw it before we got the answer, so any window at
    Discord holds at most `limit` of ours, whatever the network's jitter; the cost is one
    round trip per slot cycle (≈ 95 % of the limit at 50 ms to Discord). Turns are handed out
    first come, first served.
    """

    def __init__(self, limit: int = 50, window: float = 1.0, margin: float = 0.0) -> None:
        self.limit = limit
        self.hold = window * (1 + margin)
        self._slots = asyncio.Semaphore(limit)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot around one request (discord.py's own retries included)."""
        await self._slots.acquire()
        try:
            yield
        finally:
            asyncio.get_running_loop().call_later(self.hold, self._slots.release)
