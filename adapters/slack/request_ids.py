"""Slack requests' log lines carry a request id. Over HTTP it is the web server's (set before
Bolt runs, echoed in `X-Request-Id`); in Socket Mode, where no HTTP request exists, it is
Slack's own id of the delivery: the event id, else the interaction's trigger id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from core import log_context


def slack_request_id(body: dict[str, Any]) -> str | None:
    """Slack's id of this delivery, if it has a usable one."""
    for value in (body.get("event_id"), body.get("trigger_id")):
        if isinstance(value, str) and (sane := log_context.sane_id(value)):
            return sane
    return None


async def slack_request_ids(
    req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
) -> BoltResponse:
    """A Bolt global middleware: a request without an id (Socket Mode) gets Slack's (or a
    fresh one) for the rest of its task, which the queued work inherits (`JobRunner`)."""
    if log_context.current().request_id is None:
        body = req.body if isinstance(req.body, dict) else {}
        log_context.set_request_id(slack_request_id(body) or log_context.new_request_id())
    return await next()
