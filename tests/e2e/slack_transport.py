"""How Slack's requests reach dojobot in a test: signed HTTP, or Socket Mode envelopes.

The Slack story runs once per transport. Both build the same requests (`SlackSender`'s slash
command, button click and modal submission bodies); only the delivery differs:

- `http`: POSTed, signed, to the app's `/slack/events` route (`SlackSender`).
- `socket_mode`: the app holds an app-level token, so at start slack_sdk's Socket Mode client
  calls `apps.connections.open` on the fake Web API and connects to the fake Socket Mode
  endpoint; each request is pushed there as an envelope and its ack is awaited
  (`SocketModeSender`). Its answer is the ack's payload, as the HTTP answer is the body.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl

from tests.adapters.slack.world import SlackWorld, make_world
from tests.fakes.slack_api import APP_TOKEN, FakeSlackApi, SlackSender
from tests.fakes.slack_socket_mode import Envelope, FakeSocketMode

Transport = Literal["http", "socket_mode"]
TRANSPORTS: tuple[Transport, ...] = ("http", "socket_mode")


def envelope_of(body: str) -> tuple[str, dict[str, Any]]:
    """The Socket Mode envelope type and payload of an HTTP body Slack would have POSTed."""
    if body.startswith("{"):  # the Events API posts JSON
        return "events_api", json.loads(body)
    form = dict(parse_qsl(body, keep_blank_values=True))
    if set(form) == {"payload"}:
        return "interactive", json.loads(form["payload"])
    if "command" in form:
        return "slash_commands", form
    raise ValueError(f"not a Slack request body: {body[:80]!r}")


class SocketModeSender(SlackSender):
    """`SlackSender`'s requests, delivered as Socket Mode envelopes instead of HTTP."""

    def __init__(self, socket: FakeSocketMode, api: FakeSlackApi) -> None:
        super().__init__("", api)
        self.socket = socket
        self.sent: list[Envelope] = []

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, str]:
        """Push the envelope, wait for its ack: (200, the ack's payload as JSON or "")."""
        kind, payload = envelope_of(body)
        retry = headers.get("x-slack-retry-num")
        envelope = await self.socket.push(
            kind,
            payload,
            retry_attempt=None if retry is None else int(retry),
            retry_reason=headers.get("x-slack-retry-reason"),
        )
        self.sent.append(envelope)
        ack = await self.socket.wait_acked(envelope)
        return 200, "" if ack.payload is None else json.dumps(ack.payload)

    async def redeliver(self, envelope: Envelope, attempt: int = 1) -> tuple[int, str]:
        """Slack's retry of `envelope`: the same payload, `retry_attempt` set."""
        retry = await self.socket.push(
            envelope.type,
            envelope.payload,
            retry_attempt=attempt,
            retry_reason="timeout",
        )
        ack = await self.socket.wait_acked(retry)
        return 200, "" if ack.payload is None else json.dumps(ack.payload)


@asynccontextmanager
async def slack_world(
    tmp_path: Path, transport: Transport, **slack: Any
) -> AsyncIterator[SlackWorld]:
    """A running dojobot with the Slack front end on `transport`, against the fakes; on exit
    closed, and checked that neither fake saw anything Slack would refuse."""
    if transport == "http":
        world = await make_world(tmp_path, **slack)
        try:
            yield world
        finally:
            await world.close()
        return
    api = FakeSlackApi()
    await api.start()
    socket = FakeSocketMode(api)
    await socket.start()
    try:
        world = await make_world(tmp_path, api=api, app_token=APP_TOKEN, **slack)
    except BaseException:
        await socket.close()
        await api.close()
        raise
    await world.sender.close()
    world.sender = SocketModeSender(socket, api)
    try:
        assert world.slack.socket_mode
        await socket.wait_for(lambda: len(socket.open_connections()) == 1)
        yield world
    finally:
        await world.close()
        await socket.close()
    assert socket.violations == [], "Slack would have refused these Socket Mode frames"


def socket_of(world: SlackWorld) -> FakeSocketMode:
    """The fake Socket Mode endpoint of a `socket_mode` world."""
    assert isinstance(world.sender, SocketModeSender)
    return world.sender.socket
