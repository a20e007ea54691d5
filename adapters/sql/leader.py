"""Which process runs the clock: exactly one at a time, through a PostgreSQL advisory lock.

`ClockLeader` holds a session-level `pg_try_advisory_lock(CLOCK_LOCK_KEY)` on a connection of
its own. PostgreSQL releases the lock when that connection ends, so when the leading process
dies (or loses its connection) another one, retrying every `interval` seconds, takes over
within `interval` plus the time PostgreSQL needs to notice (at once for a killed process: its
socket closes). The leader checks its connection every `interval` and reports the loss
(`lost()`), so a process cut off from the database stops its clock.

Leadership only saves work: were two clocks to run at once for a moment, each delivery is
still sent once (claims, `delivery_ops`). On SQLite there is one process: `LocalLeader` always
leads. `leader_for(url)` picks one; `lead(leader, start, stop)` runs the clock only while
leading.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from adapters.sql.engine import normalise_url
from adapters.sql.schedule_changes import asyncpg_dsn

log = logging.getLogger(__name__)

CLOCK_LOCK_KEY = 0x646F6A6F_636C6B  # "dojo" "clk"; the migration lock is another key
DEFAULT_INTERVAL_S = 5.0
"""Followers retry, and the leader checks its connection, this often (≤ 10 s: takeover < 30 s)."""


class Leadership(Protocol):
    """What the clock's wiring needs from a leader."""

    @property
    def is_leader(self) -> bool: ...

    async def acquire(self) -> None:
        """Return once this process leads (wait as long as it takes)."""

    async def lost(self) -> None:
        """Return once this process no longer leads (after `acquire`)."""

    async def release(self) -> None:
        """Stop leading (or trying to) and let go of any connection."""


class ClockLeader:
    """Leadership held as a PostgreSQL session-level advisory lock (see module doc)."""

    def __init__(
        self, url: str, *, interval: float = DEFAULT_INTERVAL_S, key: int = CLOCK_LOCK_KEY
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.interval = interval
        self.key = key
        self._dsn = asyncpg_dsn(url)
        self._connection: Any = None
        self._leading = False
        self._lost = asyncio.Event()
        self._watch: asyncio.Task[None] | None = None
        self._busy = asyncio.Lock()

    @property
    def is_leader(self) -> bool:
        """Whether this process holds the lock (as far as it knows)."""
        return self._leading

    @property
    def backend_pid(self) -> int | None:
        """The server process id of the lock's connection (diagnostics, tests)."""
        return None if self._connection is None else int(self._connection.get_server_pid())

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; True when this process now leads."""
        async with self._busy:  # one attempt at a time on the connection
            return await self._try_acquire()

    async def _try_acquire(self) -> bool:
        if self._leading:
            return True
        try:
            if self._connection is None or self._connection.is_closed():
                await self._connect()
            took = await self._connection.fetchval("SELECT pg_try_advisory_lock($1)", self.key)
        except asyncio.CancelledError:
            # The answer is lost (the lock may even have been granted): drop the connection,
            # which releases whatever it held, rather than reuse it in an unknown state.
            self._drop_connection()
            raise
        except Exception as error:
            if not _is_connection_error(error):
                raise
            log.warning("clock leadership: database unreachable (%s)", error)
            await self._disconnect()
            return False
        if took:
            await self._stop_watch()
            self._leading = True
            self._lost = asyncio.Event()
            self._watch = asyncio.create_task(
                self._check_connection(self._connection), name="clock-leader"
            )
        return bool(took)

    async def acquire(self) -> None:
        """Try now and then every `interval` seconds until this process leads."""
        while not await self.try_acquire():  # noqa: ASYNC110
            # The lock's holder may die without telling anyone: asking again is the only way.
            await asyncio.sleep(self.interval)

    async def wait_until_leader(self, within: float | None = None) -> bool:
        """`acquire`, giving up after `within` seconds; whether this process leads."""
        try:
            await asyncio.wait_for(self.acquire(), within)
        except TimeoutError:
            return False
        return True

    async def lost(self) -> None:
        """Return once leadership is lost (connection gone) or released."""
        await self._lost.wait()

    async def release(self) -> None:
        """Unlock (if leading) and close the connection."""
        await self._stop_watch()
        if self._leading and self._connection is not None and not self._connection.is_closed():
            with contextlib.suppress(Exception):
                await self._connection.execute("SELECT pg_advisory_unlock($1)", self.key)
        await self._disconnect()

    async def __aenter__(self) -> ClockLeader:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.release()

    async def _connect(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        connecting = asyncio.ensure_future(
            asyncpg.connect(self._dsn, timeout=max(self.interval, 5.0))
        )
        try:
            self._connection = await asyncio.shield(connecting)
        except asyncio.CancelledError:
            connecting.add_done_callback(_abort_connected)  # do not leak it when it arrives
            raise
        self._connection.add_termination_listener(self._terminated)

    def _terminated(self, *_args: Any) -> None:
        if self._leading:
            log.warning("clock leadership lost: the lock's connection closed")
        self._set_lost()

    def _set_lost(self) -> None:
        self._leading = False
        self._lost.set()

    async def _check_connection(self, connection: Any) -> None:
        """While leading on `connection`: a trivial query every interval; a failure or a
        timeout ends leadership."""
        while self._leading and self._connection is connection:
            await asyncio.sleep(self.interval)
            if not (self._leading and self._connection is connection):
                return
            try:
                await asyncio.wait_for(connection.fetchval("SELECT 1"), self.interval)
            except Exception as error:
                log.warning("clock leadership lost: %s", error or type(error).__name__)
                self._drop_connection()
                return

    def _drop_connection(self) -> None:
        """Abort the connection at once (no goodbye to the server)."""
        connection, self._connection = self._connection, None
        self._set_lost()
        if connection is not None and not connection.is_closed():
            connection.terminate()

    async def _stop_watch(self) -> None:
        task, self._watch = self._watch, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _disconnect(self) -> None:
        await self._stop_watch()
        self._set_lost()
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await asyncio.wait_for(connection.close(), self.interval)
            except Exception:
                connection.terminate()


def _abort_connected(connecting: asyncio.Future[Any]) -> None:
    if not connecting.cancelled() and connecting.exception() is None:
        connecting.result().terminate()


def _is_connection_error(error: Exception) -> bool:
    """Errors meaning the connection is unusable or the server unreachable."""
    import asyncpg

    return isinstance(
        error,
        OSError
        | TimeoutError
        | asyncpg.PostgresError
        | asyncpg.InterfaceError
        | asyncpg.InternalClientError,
    )


class LocalLeader:
    """The only process there is (SQLite): leads from the start until released."""

    def __init__(self) -> None:
        self._released = asyncio.Event()

    @property
    def is_leader(self) -> bool:
        return not self._released.is_set()

    async def acquire(self) -> None:
        self._released.clear()

    async def lost(self) -> None:
        await self._released.wait()

    async def release(self) -> None:
        self._released.set()


def leader_for(url: str, *, interval: float = DEFAULT_INTERVAL_S) -> Leadership:
    """A `ClockLeader` for a PostgreSQL URL, a `LocalLeader` otherwise."""
    if normalise_url(url).get_backend_name() == "postgresql":
        return ClockLeader(url, interval=interval)
    return LocalLeader()


async def lead(
    leader: Leadership,
    start: Callable[[], Awaitable[None]],
    stop: Callable[[], Awaitable[None]],
) -> None:
    """Forever: wait for leadership, `start()` the clock, wait until it is lost, `stop()` it.

    Run it as a task and cancel it to finish (the clock is stopped; release the leader after).
    """
    while True:
        await leader.acquire()
        try:
            await start()
            await leader.lost()
        finally:
            await stop()
