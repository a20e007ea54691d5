"""Slow and idle clients cannot hold the server: deadlines on headers and bodies, and a cap.

aiohttp waits as long as a client likes for a request's headers and body. `ConnectionGuard`
hooks the low-level server's connection and request callbacks and:

- drops a connection whose request headers are not complete `header_timeout` seconds after
  it opened, or whose request body is not complete `body_timeout` seconds after its headers
  (answering `408 Request Timeout` first);
- keeps at most `max_connections` open: a connection beyond the cap evicts the oldest one
  still waiting for headers or a body, or is closed at once when every connection is busy.

Idle keep-alive connections are closed by aiohttp itself after `keepalive_timeout`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from adapters.web.refusals import RefusalLog

log = logging.getLogger(__name__)

TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 16\r\n\r\nrequest timeout\n"
)


@dataclass(frozen=True)
class ConnectionLimits:
    """How long a client may take to send a request, and how many may be connected."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keepalive_timeout: float = 75.0
    max_connections: int = 1000


@dataclass
class _Connection:
    transport: asyncio.Transport
    since: float
    """When it began waiting (for headers, or for the body of its current request)."""
    timer: asyncio.TimerHandle | None = None
    payload: Any = field(default=None)
    """The body stream of the latest request (aiohttp's StreamReader); None before one."""
    writer: Any = field(default=None)
    """The latest request's response writer (aiohttp's StreamWriter)."""
    task: asyncio.Task[None] | None = None
    """The task serving the connection (cancelled with it, so a handler blocked reading
    the body ends quietly instead of failing on a lost connection)."""

    @property
    def waiting(self) -> bool:
        """Headers or a body are still to come (a slow client may be evicted at the cap)."""
        return self.payload is None or not self.payload.is_eof()

    @property
    def answered(self) -> bool:
        """Some of a response was already written on this connection's latest request."""
        return self.writer is not None and bool(getattr(self.writer, "output_size", 0))


class ConnectionGuard:
    """Enforces `ConnectionLimits` on one aiohttp low-level server (see the module doc)."""

    def __init__(
        self, limits: ConnectionLimits, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits
        self.monotonic = monotonic
        self._open: dict[RequestHandler, _Connection] = {}
        self.refusals = RefusalLog(log)
        self.dropped = 0
        """Connections closed for being too slow or beyond the cap (diagnostics)."""

    @property
    def open_connections(self) -> int:
        return len(self._open)

    def install(self, server: web.Server) -> None:
        """Wrap `server`'s connection and request callbacks (before it accepts anything)."""
        made, lost, make_request = (
            server.connection_made,
            server.connection_lost,
            server.request_factory,
        )

        def connection_made(handler: RequestHandler, transport: asyncio.Transport) -> None:
            made(handler, transport)
            self._opened(handler, transport)

        def connection_lost(handler: RequestHandler, exc: BaseException | None = None) -> None:
            self._closed(handler)
            lost(handler, exc)

        def request_factory(
            message: Any, payload: Any, protocol: RequestHandler, writer: Any, task: Any
        ) -> web.BaseRequest:
            self._request_started(protocol, payload, writer, task)
            return make_request(message, payload, protocol, writer, task)

        server.connection_made = connection_made  # type: ignore[method-assign]
        server.connection_lost = connection_lost  # type: ignore[method-assign]
        server.request_factory = request_factory

    def _opened(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        connection = _Connection(transport, self.monotonic())
        self._open[handler] = connection
        self._arm(handler, connection, self.limits.header_timeout)
        if len(self._open) > self.limits.max_connections:
            waiting = [(c.since, h) for h, c in self._open.items() if c.waiting and h != handler]
            victim = min(waiting, key=lambda pair: pair[0])[1] if waiting else handler
            self.refusals.refused(f"connection limit ({self.limits.max_connections}) reached")
            self._drop(victim)

    def _request_started(
        self, handler: RequestHandler, payload: Any, writer: Any, task: asyncio.Task[None]
    ) -> None:
        connection = self._open.get(handler)
        if connection is None:
            return
        self._disarm(connection)
        connection.payload, connection.writer, connection.task = payload, writer, task
        if connection.waiting:
            connection.since = self.monotonic()
            self._arm(handler, connection, self.limits.body_timeout)

    def _closed(self, handler: RequestHandler) -> None:
        connection = self._open.pop(handler, None)
        if connection is not None:
            self._disarm(connection)

    def _arm(self, handler: RequestHandler, connection: _Connection, delay: float) -> None:
        loop = asyncio.get_running_loop()
        connection.timer = loop.call_later(delay, self._expired, handler)

    @staticmethod
    def _disarm(connection: _Connection) -> None:
        if connection.timer is not None:
            connection.timer.cancel()
            connection.timer = None

    def _expired(self, handler: RequestHandler) -> None:
        connection = self._open.get(handler)
        if connection is None:
            return
        connection.timer = None
        if connection.waiting:
            self._drop(handler)

    def _drop(self, handler: RequestHandler) -> None:
        connection = self._open.pop(handler, None)
        if connection is None:
            return
        self._disarm(connection)
        self.dropped += 1
        transport = connection.transport
        if not transport.is_closing():
            if not connection.answered:
                transport.write(TIMEOUT_RESPONSE)
            transport.close()
        if connection.payload is not None and connection.task is not None:
            connection.task.cancel()
