"""A fake Slack Socket Mode endpoint: the WebSocket that `apps.connections.open` hands out.

`FakeSocketMode` serves `ws://127.0.0.1:<ephemeral>/link/?ticket=…&app_id=…` and plays
Slack's side of Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode, and
docs.slack.dev/reference/methods/apps.connections.open):

- A URL comes only from `apps.connections.open` on the fake Web API (which wants the
  app-level `xapp-…` token and answers a bot token `not_allowed_token_type`); each URL's
  ticket opens one connection, so every reconnection needs a fresh call.
- On connect Slack sends `hello` (`num_connections`, `debug_info`, `connection_info.app_id`).
- `push` sends an envelope `{envelope_id, type, payload, accepts_response_payload}` (plus
  `retry_attempt`/`retry_reason`, always present on `events_api`) on the newest connection
  that was not told to go away; with none open it waits for the next one.
- The app acks with `{"envelope_id": …}` and, where `accepts_response_payload` is true, an
  optional `payload` (slash command reply, `response_action`). Recorded in `acks`. Refused
  and recorded in `violations`: an ack for an unknown envelope id, a second ack, an ack
  later than `ACK_DEADLINE_SECONDS` after the envelope was sent (timed on the injectable
  `now`, so no test sleeps), a payload where none is accepted, blocks or a view Slack would
  refuse, and a connection with an unknown or used ticket.
- `drop_next_ack()` loses the next frame the app sends, as if on the wire: it never reaches
  the bookkeeping above (not in `acks`, not checked, not recorded), only `dropped`; the
  envelope stays unacknowledged, so closing its connection makes it redelivered.
- `disconnect(reason)` sends `{type: disconnect, reason, debug_info}` (`warning`,
  `refresh_requested`); no new envelope goes to that connection afterwards. Envelopes sent on
  a connection that closes unacknowledged are redelivered on the next one (`retry_attempt`
  + 1, `retry_reason` "timeout"), as Slack retries an envelope that got no ack.

With `DOJOBOT_FAKES_RECORD_DIR` set, each connection and each frame the app sends is
appended to `slack.jsonl` like a Web API call (`method` `socket_mode.connect` /
`socket_mode.ack`, `http` "WS", `args` the frame, `response` the hello or the refusal).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from adapters.slack.limits import block_problems, view_problems
from tests.fakes.recording import TrafficRecorder, scrub
from tests.fakes.slack_api import FakeSlackApi

APP_ID = "A0DOJO"
ACK_DEADLINE_SECONDS = 3.0
"""Slack wants every envelope acknowledged within 3 seconds (docs: Acknowledge events)."""
ENVELOPE_TYPES = frozenset({"events_api", "slash_commands", "interactive"})
RESPONSE_PAYLOAD_TYPES = frozenset({"view_submission", "block_suggestion"})
"""Interactive payloads whose ack may carry a payload (a modal's `response_action`, options),
as their HTTP response can; a slash command's ack may carry its immediate reply."""
DISCONNECT_REASONS = frozenset({"warning", "refresh_requested", "link_disabled"})
HOST = "applink-fake-1"


@dataclass
class Envelope:
    """One envelope as the fake sent (or will send) it."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    retry_attempt: int | None = None
    retry_reason: str | None = None
    sent_at: float | None = None
    connection: int | None = None
    acked: bool = False
    retried_as: str | None = None
    """The envelope id of its redelivery, once it was redelivered."""

    def message(self) -> dict[str, Any]:
        """The JSON text frame Slack sends."""
        message: dict[str, Any] = {
            "envelope_id": self.envelope_id,
            "type": self.type,
            "payload": self.payload,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.retry_attempt is not None:
            message["retry_attempt"] = self.retry_attempt
            message["retry_reason"] = self.retry_reason or ""
        return message


@dataclass
class Ack:
    """An accepted acknowledgement."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int


@dataclass
class Connection:
    """One WebSocket connection of the app."""

    number: int
    ws: web.WebSocketResponse
    going_away: bool = False
    closed: bool = False


@dataclass
class FakeSocketMode:
    """Slack's Socket Mode side on loopback; see the module docstring."""

    api: FakeSlackApi
    now: Callable[[], float] = time.monotonic
    envelopes: dict[str, Envelope] = field(default_factory=dict)
    acks: list[Ack] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    disconnects: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    """Frames lost on the wire (`drop_next_ack`), as the app sent them."""

    def __post_init__(self) -> None:
        self._drop_next = False
        self._tickets: set[str] = set()
        self._outbox: list[Envelope] = []
        self._numbers = itertools.count(1)
        self._changed = asyncio.Event()
        self._server: TestServer | None = None
        self._closing = False
        self._recorder = TrafficRecorder.from_env("slack")

    # lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on an ephemeral port and answer the fake Web API's apps.connections.open."""
        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server()
        self.api.open_socket = self.new_url

    async def close(self) -> None:
        """Close every connection (1001 "going away", nothing redelivered) and stop listening."""
        self._closing = True
        for connection in self.connections:
            if not connection.closed:
                await connection.ws.close(code=1001, message=b"going away")
        if self._server is not None:
            await self._server.close()

    def new_url(self) -> str:
        """A fresh single-use WebSocket URL (what apps.connections.open answers)."""
        assert self._server is not None
        ticket = secrets.token_hex(8)
        self._tickets.add(ticket)
        return str(self._server.make_url(f"/link/?ticket={ticket}&app_id={APP_ID}")).replace(
            "http://", "ws://", 1
        )

    # driving ---------------------------------------------------------------------------
    async def push(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
    ) -> Envelope:
        """Send an envelope to the app (or queue it until a connection is open)."""
        envelope = self._envelope(
            type, payload, accepts_response_payload, retry_attempt, retry_reason
        )
        await self._deliver(envelope)
        return envelope

    def _envelope(
        self,
        type: str,
        payload: dict[str, Any],
        accepts_response_payload: bool | None,
        retry_attempt: int | None,
        retry_reason: str | None,
    ) -> Envelope:
        if type not in ENVELOPE_TYPES:
            raise ValueError(f"unknown envelope type {type!r}")
        if accepts_response_payload is None:
            accepts_response_payload = type == "slash_commands" or (
                type == "interactive" and payload.get("type") in RESPONSE_PAYLOAD_TYPES
            )
        if type == "events_api" and retry_attempt is None:
            retry_attempt, retry_reason = 0, ""
        envelope = Envelope(
            envelope_id=str(uuid.uuid4()),
            type=type,
            payload=payload,
            accepts_response_payload=accepts_response_payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        self.envelopes[envelope.envelope_id] = envelope
        return envelope

    def drop_next_ack(self) -> None:
        """Lose the next frame the app sends (its ack, usually) on the wire: Slack never
        sees it, so the envelope stays unacknowledged; the frame goes to `dropped` only."""
        self._drop_next = True

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Tell every live connection to go away (the client must open a new one)."""
        if reason not in DISCONNECT_REASONS:
            raise ValueError(f"unknown disconnect reason {reason!r}")
        for connection in self._live():
            connection.going_away = True
            await connection.ws.send_json(
                {"type": "disconnect", "reason": reason, "debug_info": {"host": HOST}}
            )
            self.disconnects.append(reason)

    # queries ---------------------------------------------------------------------------
    def ack_of(self, envelope: Envelope) -> Ack | None:
        """The accepted ack of this very envelope (not of a redelivery), if any."""
        return next((a for a in self.acks if a.envelope_id == envelope.envelope_id), None)

    def open_connections(self) -> list[Connection]:
        """The connections not closed yet, told to go away or not, oldest first."""
        return [c for c in self.connections if not c.closed]

    async def wait_for(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until `condition()` holds, re-checking after every frame and connection."""
        async with asyncio.timeout(within):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    async def wait_acked(self, envelope: Envelope, within: float = 5.0) -> Ack:
        """The accepted ack of `envelope` (or of its redelivery), once it arrived."""
        await self.wait_for(lambda: self._ack_of_delivery(envelope) is not None, within)
        ack = self._ack_of_delivery(envelope)
        assert ack is not None
        return ack

    def _ack_of_delivery(self, envelope: Envelope) -> Ack | None:
        """The first ack of `envelope` or of one of its redeliveries."""
        ids = [envelope.envelope_id]
        while (retried := self.envelopes[ids[-1]].retried_as) is not None:
            ids.append(retried)
        return next((a for a in self.acks if a.envelope_id in ids), None)

    # the socket ------------------------------------------------------------------------
    def _live(self) -> list[Connection]:
        return [c for c in self.connections if not c.closed and not c.going_away]

    async def _deliver(self, envelope: Envelope) -> None:
        live = self._live()
        if not live:
            self._outbox.append(envelope)
            return
        connection = live[-1]
        envelope.sent_at = self.now()
        envelope.connection = connection.number
        await connection.ws.send_json(envelope.message())

    async def _link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            self._violation("connected with an unknown or already used ticket")
            return web.Response(status=401, text="invalid ticket")
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse()  # autoping: answers the client's pings with pongs
        await ws.prepare(request)
        connection = Connection(next(self._numbers), ws)
        self.connections.append(connection)
        hello = {
            "type": "hello",
            "num_connections": len(self.open_connections()),
            "debug_info": {"host": HOST, "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": APP_ID},
        }
        self._record("socket_mode.connect", {"app_id": request.query.get("app_id")}, hello)
        await ws.send_json(hello)
        outbox, self._outbox = self._outbox, []
        for envelope in outbox:
            await self._deliver(envelope)
        self._changed.set()
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT and self._drop_next:
                    self._drop_next = False  # lost on the wire: no bookkeeping at all
                    self.dropped.append(str(message.data))
                    self._changed.set()
                elif message.type == WSMsgType.TEXT:
                    self._on_ack(connection, str(message.data))
                else:  # binary frames are not part of Socket Mode
                    self._violation(f"unexpected {message.type.name} frame")
        finally:
            connection.closed = True
            await self._redeliver_unacked(connection)
            self._changed.set()
        return ws

    async def _redeliver_unacked(self, connection: Connection) -> None:
        if self._closing:
            return
        for envelope in list(self.envelopes.values()):
            if (
                envelope.connection == connection.number
                and not envelope.acked
                and envelope.retried_as is None
            ):
                retry = self._envelope(
                    envelope.type,
                    envelope.payload,
                    envelope.accepts_response_payload,
                    (envelope.retry_attempt or 0) + 1,
                    "timeout",
                )
                envelope.retried_as = retry.envelope_id
                await self._deliver(retry)

    def _on_ack(self, connection: Connection, raw: str) -> None:
        self._changed.set()
        violations = len(self.violations)
        self._check_ack(connection, raw)
        refusal = self.violations[violations:]
        try:
            frame = json.loads(raw)
        except ValueError:
            frame = raw
        self._record("socket_mode.ack", frame, {"refused": refusal[0]} if refusal else None)

    def _record(self, method: str, args: Any, response: Any) -> None:
        line = {"method": method, "http": "WS", "query": {}, "args": args, "response": response}
        self._recorder.write(scrub(line))

    def _check_ack(self, connection: Connection, raw: str) -> None:
        try:
            frame = json.loads(raw)
        except ValueError:
            self._violation(f"a frame that is not JSON: {raw[:80]!r}")
            return
        envelope_id = frame.get("envelope_id") if isinstance(frame, dict) else None
        if not isinstance(envelope_id, str):
            self._violation(f"a frame without an envelope_id: {raw[:80]!r}")
            return
        envelope = self.envelopes.get(envelope_id)
        if envelope is None or envelope.sent_at is None:
            self._violation(f"ack for unknown envelope_id {envelope_id!r}")
            return
        if envelope.acked:
            self._violation(f"second ack for envelope {envelope_id}")
            return
        waited = self.now() - envelope.sent_at
        if waited > ACK_DEADLINE_SECONDS:
            self._violation(f"late ack for envelope {envelope_id} ({waited:.1f} s > 3 s)")
            return
        payload = frame.get("payload")
        problem = self._payload_problem(envelope, payload)
        if problem is not None:
            self._violation(f"ack for envelope {envelope_id}: {problem}")
            return
        envelope.acked = True
        self.acks.append(Ack(envelope_id, payload, connection.number))

    @staticmethod
    def _payload_problem(envelope: Envelope, payload: Any) -> str | None:
        if payload is None:
            return None
        if not envelope.accepts_response_payload:
            return "a payload where accepts_response_payload is false"
        if not isinstance(payload, dict):
            return "a payload that is not a JSON object"
        problems = []
        if "blocks" in payload:
            problems += block_problems(payload["blocks"])
        if "view" in payload:
            problems += view_problems(payload["view"])
        return "; ".join(problems) or None

    def _violation(self, text: str) -> None:
        self.violations.append(text)
        self._changed.set()
