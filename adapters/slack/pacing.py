"""Per-channel pacing of chat.postMessage (Slack allows about one message a second each)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class ChannelPacer:
    """Hands out send slots at least `interval` seconds apart per channel, in call order.

    Different channels never wait for each other, so a reminder fan-out over many DMs runs at
    full speed while posts into one channel are spaced out before Slack has to refuse them.
    """

    def __init__(
        self,
        interval: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_channels: int = 10_000,
    ) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._max_channels = max_channels
        self._next_slot: dict[str, float] = {}

    async def wait_turn(self, channel: str) -> None:
        """Return when `channel` may receive its next message."""
        if self.interval <= 0:
            return
        now = self._monotonic()
        slot = max(now, self._next_slot.get(channel, now))
        self._next_slot[channel] = slot + self.interval
        if len(self._next_slot) > self._max_channels:
            self._forget_idle(now)
        if slot > now:
            await self._sleep(slot - now)

    def _forget_idle(self, now: float) -> None:
        for channel in [c for c, at in self._next_slot.items() if at <= now]:
            del self._next_slot[channel]
