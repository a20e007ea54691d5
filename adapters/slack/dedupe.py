"""Drop Slack's redeliveries: the same trigger_id / event_id is handled once.

The memory is a bounded TTL cache in this process: it protects one dojobot process (the
supported deployment). Several processes behind a load balancer would need a shared store.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)


class SeenDeliveries:
    """Keys seen in the last `ttl` seconds, at most `max_entries` of them (oldest dropped)."""

    def __init__(
        self, ttl: float, max_entries: int, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        """Remember `key`; True unless it was already seen within the TTL."""
        now = self._monotonic()
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at < self.ttl and len(self._seen) < self.max_entries:
                break
            del self._seen[oldest]
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def delivery_key(body: dict[str, Any]) -> str | None:
    """What identifies one delivery from Slack: event_id, else the interaction's trigger_id."""
    if event_id := body.get("event_id"):
        return f"event:{event_id}"
    if trigger_id := body.get("trigger_id"):
        kind = body.get("type") or body.get("command") or "command"
        return f"{kind}:{trigger_id}"
    return None


def dedupe_middleware(
    seen: SeenDeliveries,
) -> Callable[..., Awaitable[BoltResponse]]:
    """A Bolt global middleware (runs after signature verification) that acks a repeat
    delivery with 200 and no work, so a retry never schedules or RSVPs twice."""

    async def dedupe(
        req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        key = delivery_key(req.body)
        if key is None or seen.first_time(key):
            return await next()
        retry = req.headers.get("x-slack-retry-num", ["?"])[0]
        log.info("dropped repeated Slack delivery %s (retry %s)", key, retry)
        return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})

    return dedupe
