"""Telling other processes that the schedule changed (PostgreSQL LISTEN/NOTIFY).

Writes that can move the next wake-up (a session added or saved, its reminders replaced or
postponed) call `announce` inside their transaction: PostgreSQL delivers the notification on
commit to every connection listening on CHANNEL. The clock process runs a
`ScheduleChangeListener`, which calls its `on_change` once per burst of notifications and, as
a safety net for notifications lost while its connection was down, at least every
`max_interval` seconds. SQLite has one process: the service's timing listeners suffice, and
`announce` does nothing there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.engine import normalise_url

log = logging.getLogger(__name__)

CHANNEL = "dojobot_schedule"
"""The NOTIFY channel; the payload is the session id."""
MAX_INTERVAL_S = 30.0
"""Without notifications, `on_change` still runs this often (lost-notification safety net)."""

_NOTIFY = text("SELECT pg_notify(:channel, :session_id)")


async def announce(connection: AsyncConnection, session_id: str) -> None:
    """Notify listeners, on commit, that `session_id`'s timing may have changed (PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        await connection.execute(_NOTIFY, {"channel": CHANNEL, "session_id": session_id})


def asyncpg_dsn(url: str) -> str:
    """The libpq-style DSN asyncpg connects with, from any accepted PostgreSQL URL."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError("LISTEN/NOTIFY and advisory locks need a PostgreSQL URL")
    query = dict(parsed.query)
    if "ssl" in query:
        query["sslmode"] = query.pop("ssl")
    dsn = parsed.set(drivername="postgresql", query=query)
    return dsn.render_as_string(hide_password=False)


class ScheduleChangeListener:
    """Calls `on_change` after schedule changes announced by any process (see module doc)."""

    def __init__(
        self,
        url: str,
        on_change: Callable[[], Awaitable[None]],
        *,
        max_interval: float = MAX_INTERVAL_S,
    ) -> None:
        self._dsn = asyncpg_dsn(url)
        self._on_change = on_change
        self._max_interval = max_interval
        self._changed = asyncio.Event()
        self._connection: Any = None
        self._task: asyncio.Task[None] | None = None
        self.runs = 0
        """How many times `on_change` ran (diagnostics)."""

    async def start(self) -> None:
        """LISTEN on CHANNEL and start calling `on_change`."""
        await self._connect()
        self._task = asyncio.create_task(self._loop(), name="schedule-change-listener")

    async def stop(self) -> None:
        """Stop listening and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._close()

    async def __aenter__(self) -> ScheduleChangeListener:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def _connect(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        connection = await asyncpg.connect(self._dsn)
        await connection.add_listener(CHANNEL, self._notified)
        connection.add_termination_listener(self._terminated)
        self._connection = connection

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            await connection.close()

    def _notified(self, *_args: Any) -> None:
        self._changed.set()

    def _terminated(self, *_args: Any) -> None:
        self._changed.set()  # wake the loop, which reconnects

    async def _loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), self._max_interval)
            self._changed.clear()
            if self._connection is None or self._connection.is_closed():
                await self._reconnect()
            try:
                await self._on_change()
            except Exception:
                log.exception("re-planning after a schedule change failed")
            self.runs += 1

    async def _reconnect(self) -> None:
        await self._close()
        try:
            await self._connect()
        except Exception:
            log.warning(
                "schedule listener cannot reconnect; polling every %.0f s", self._max_interval
            )
