"""Drop Slack's retries and replays: each delivery is handled once, by one process.

What Slack resends identifies a delivery: an event's `event_id`, an interaction's
`trigger_id`, and for a slash command its fingerprint (workspace, channel, user, command,
text and `trigger_id`), so a replayed request is recognised however it is re-sent. The key
is claimed in the store (`SessionStore.claim_once`), atomic across every dojobot process on
the database and surviving restarts; it expires after `ttl` (longer than Slack's 5-minute
replay window and retry schedule), and expired keys are pruned by the store.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

AcceptOnce = Callable[[str, timedelta], Awaitable[bool]]
"""`SessionService.accept_once`: True for the one caller that presented the key first."""

_FINGERPRINT = ("enterprise_id", "team_id", "channel_id", "user_id", "command", "text")


def delivery_key(body: dict[str, Any]) -> str | None:
    """What identifies one delivery from Slack: event_id, a slash command's fingerprint, else
    the interaction's trigger_id (None: nothing to dedupe on)."""
    if event_id := body.get("event_id"):
        return f"slack:event:{event_id}"
    if command := body.get("command"):
        parts = [str(body.get(name) or "") for name in _FINGERPRINT]
        parts.append(str(body.get("trigger_id") or ""))
        digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
        return f"slack:command:{command}:{digest}"[:200]
    if trigger_id := body.get("trigger_id"):
        kind = body.get("type") or "interaction"
        return f"slack:{kind}:{trigger_id}"[:200]
    return None


def dedupe_middleware(
    accept_once: AcceptOnce, ttl: timedelta
) -> Callable[..., Awaitable[BoltResponse]]:
    """A Bolt global middleware (runs after signature verification) that acks a repeat
    delivery with 200 and no work, so a retry or replay never schedules or RSVPs twice."""

    async def dedupe(
        req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        key = delivery_key(req.body)
        if key is None or await accept_once(key, ttl):
            return await next()
        retry = req.headers.get("x-slack-retry-num", ["-"])[0]
        log.info("dropped repeated Slack delivery %s (retry %s)", key.split(":")[1], retry)
        return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})

    return dedupe
