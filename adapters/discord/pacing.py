"""Paces our own REST fan-out under Discord's global rate limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
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

    A new pacer starts with its bucket empty: nothing goes out until one hold after it was
    made (`quiet_start`), or after `start_quiet()` (this process took the clock over). The
    process it replaces (a restart, a clock taking over) may have sent a full window of
    requests just before it died, which Discord still counts; starting with all slots free
    would burst past the global limit and earn 429s.
    """

    def __init__(
        self,
        limit: int = 50,
        window: float = 1.0,
        margin: float = 0.0,
        *,
        quiet_start: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.hold = window * (1 + margin)
        self._slots = asyncio.Semaphore(limit)
        self._monotonic = monotonic
        self._sleep = sleep
        self._quiet_until = monotonic() + self.hold if quiet_start else 0.0

    def start_quiet(self) -> None:
        """Send nothing for one hold from now: this process just took over the sending (the
        clock) from one that may have used the current window in full."""
        self._quiet_until = max(self._quiet_until, self._monotonic() + self.hold)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot around one request (discord.py's own retries included)."""
        while (left := self._quiet_until - self._monotonic()) > 0:
            await self._sleep(left)
        await self._slots.acquire()
        try:
            yield
        finally:
            asyncio.get_running_loop().call_later(self.hold, self._slots.release)
