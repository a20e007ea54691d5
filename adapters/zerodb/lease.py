"""SessionLease: a per-session lock row with an expiry, serialising writers across processes.

Acquired with `insert_exclusive` (a rival is another unexpired lock row of the session) and
released by deleting the row. A holder that crashes leaves its row behind; it stops counting
once `expires_at` has passed, so the session is blocked for at most one lease. Expiry is
judged by the `now` the caller passes (the service's clock), like every time rule here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.zerodb.exclusive import insert_exclusive
from adapters.zerodb.retry import backoff_seconds
from adapters.zerodb.rows import instant
from adapters.zerodb.tables import Pause, Row, ZeroDBTables
from core.errors import InvalidState

LOCK_KEY = "lock_key"


class SessionBusy(InvalidState):
    """Another process held the session's lock through every try."""


class SessionLease:
    """Lock rows in `table`, one per holder; `lease` bounds how long a crash blocks."""

    def __init__(
        self, tables: ZeroDBTables, table: str, lease: timedelta, tries: int, pause: Pause
    ) -> None:
        self._tables = tables
        self._table = table
        self._lease = lease
        self._tries = tries
        self._pause = pause

    async def acquire(self, key: str, now: datetime) -> list[str]:
        """Take the lock of `key` at `now`; returns our lock row ids (pass them to release)."""
        stamp = instant(now)

        async def read() -> list[Row]:
            return await self._tables.query_all(self._table, {LOCK_KEY: key})

        def is_rival(row: Row) -> bool:
            return str(row.get("expires_at") or "") > stamp

        row = {LOCK_KEY: key, "expires_at": instant(now + self._lease)}
        for attempt in range(1, self._tries + 1):
            won = await insert_exclusive(
                self._tables,
                self._table,
                [(key, row)],
                read,
                lambda r: str(r.get(LOCK_KEY)),
                is_rival,
                tries=3,
                pause=self._pause,
            )
            if key in won:
                return won[key]
            if attempt < self._tries:
                await self._pause(backoff_seconds(attempt, 0.05, 2.0))
        raise SessionBusy(
            "Many members are answering for this session at once.",
            hint="Try again in a moment.",
        )

    async def release(self, row_ids: list[str]) -> None:
        """Drop our lock rows."""
        for row_id in row_ids:
            await self._tables.delete(self._table, row_id)
